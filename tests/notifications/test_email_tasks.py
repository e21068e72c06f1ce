"""E-mail goes out from the background worker: retried on failure, never inside a request."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from guongsang.notifications import services, tasks
from guongsang.notifications.models import Notification, NotificationKind
from tests.jobs.helpers import queued, run_queued_tasks

from .backends import FlakyBackend


@pytest.fixture
def hoa(cast):
    cast.a_staff.email = "hoa@example.vn"
    cast.a_staff.save()
    return cast.a_staff


def notify(users, django_capture_on_commit_callbacks, text="Văn bản mới 01/KH-BTV"):
    with django_capture_on_commit_callbacks(execute=True):
        return services.notify(users=users, text=text, link="/van-ban/1/")


def test_a_failing_server_is_retried_later_then_succeeds(
    hoa, cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.attempts = 2, 0
    cast.b_staff.email = "nga@example.vn"
    cast.b_staff.save()
    notify([hoa, cast.b_staff], django_capture_on_commit_callbacks)
    assert run_queued_tasks() == 1
    # Both refused: nothing marked, one retry queued for later, not now.
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert mail.outbox == [] and not queued().exists()
    (retry,) = queued(now=timezone.now() + dt.timedelta(minutes=2))
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert sorted(retry.args_kwargs["kwargs"]["notification_ids"]) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )
    assert run_queued_tasks(now=timezone.now() + dt.timedelta(minutes=2)) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["hoa@example.vn", "nga@example.vn"]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    assert FlakyBackend.attempts == 4
    assert not queued(now=timezone.now() + dt.timedelta(days=1)).exists()


def test_a_partial_failure_retries_only_what_failed(
    hoa, cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.attempts = 1, 0
    cast.b_staff.email = "nga@example.vn"
    cast.b_staff.save()
    notify([hoa, cast.b_staff], django_capture_on_commit_callbacks)
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1
    later = timezone.now() + dt.timedelta(hours=1)
    (retry,) = queued(now=later)
    assert len(retry.args_kwargs["kwargs"]["notification_ids"]) == 1
    run_queued_tasks(now=later)
    assert len(mail.outbox) == 2  # nobody got it twice
    assert len({m.to[0] for m in mail.outbox}) == 2


def test_attempts_are_bounded(hoa, settings, django_capture_on_commit_callbacks, caplog):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DownBackend"
    notify([hoa], django_capture_on_commit_callbacks)
    far = timezone.now() + dt.timedelta(days=1)
    assert run_queued_tasks(now=far) == tasks.MAX_ATTEMPTS
    assert not queued(now=far).exists()
    assert Notification.objects.get().emailed_at is None
    assert "Gave up" in caplog.text


def test_retry_delays_grow(hoa, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DownBackend"
    notify([hoa], django_capture_on_commit_callbacks)
    run_queued_tasks()
    run_queued_tasks(now=timezone.now() + dt.timedelta(seconds=61))
    (third,) = queued(now=timezone.now() + dt.timedelta(days=1))
    assert third.args_kwargs["kwargs"]["attempt"] == 3
    wait = third.run_after - timezone.now()
    assert dt.timedelta(minutes=4) < wait <= dt.timedelta(minutes=5)


def test_a_dead_mail_server_never_reaches_the_request(
    cast, hoa, settings, django_capture_on_commit_callbacks
):
    """The board's reminder notifies the late communes' officers: the page answers at once,
    the mail waits for the worker, and a mail server that is down changes nothing for the user."""
    from guongsang.plans.models import TaskKind
    from tests.plans.conftest import TODAY, frozen, make_plan

    settings.EMAIL_BACKEND = "tests.notifications.backends.DownBackend"
    with frozen(TODAY), django_capture_on_commit_callbacks(execute=True):
        plan = make_plan(cast.province_admin, cast.province, [cast.commune_a])
    run_queued_tasks()  # the issue's own notifications meet the dead server too
    late = plan.tasks.get(kind=TaskKind.PLAN).deadline + dt.timedelta(days=1)
    province = cast.client_for(cast.province_admin)
    with frozen(late), django_capture_on_commit_callbacks(execute=True):
        response = province.post(f"/van-ban/{plan.pk}/don-doc/", follow=True)
    assert response.status_code == 200
    assert "Đã đôn đốc 1 đơn vị" in response.content.decode()
    assert mail.outbox == []
    reminder = Notification.objects.get(kind=NotificationKind.REMINDER, user=hoa)
    with frozen(late):
        assert run_queued_tasks() == 1  # nothing raises in the worker either
    reminder.refresh_from_db()
    assert reminder.emailed_at is None


def test_the_board_reminder_request_sends_nothing(cast, hoa, django_capture_on_commit_callbacks):
    from guongsang.plans.models import TaskKind
    from tests.plans.conftest import TODAY, frozen, make_plan

    with frozen(TODAY):
        plan = make_plan(cast.province_admin, cast.province, [cast.commune_a])
    mail.outbox.clear()
    late = plan.tasks.get(kind=TaskKind.PLAN).deadline + dt.timedelta(days=1)
    province = cast.client_for(cast.province_admin)
    with frozen(late), django_capture_on_commit_callbacks(execute=True):
        response = province.post(f"/van-ban/{plan.pk}/don-doc/")
    assert response.status_code == 302
    assert mail.outbox == []
    assert Notification.objects.filter(kind=NotificationKind.REMINDER, user=hoa).exists()
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]


def test_a_queue_that_cannot_be_reached_does_not_break_notify(
    hoa, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from django_tasks_db.backend import DatabaseBackend

    def broken(self, task, args, kwargs):
        raise ConnectionError("database gone")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    rows = notify([hoa], django_capture_on_commit_callbacks)
    assert len(rows) == 1 and Notification.objects.get().emailed_at is None
    assert "Could not queue" in caplog.text


def test_an_address_removed_meanwhile_is_skipped(hoa, django_capture_on_commit_callbacks):
    notify([hoa], django_capture_on_commit_callbacks)
    hoa.email = ""
    hoa.save()
    run_queued_tasks()
    assert mail.outbox == [] and not queued(now=timezone.now() + dt.timedelta(days=1)).exists()


def test_a_multiline_text_makes_a_one_line_subject(hoa, django_capture_on_commit_callbacks):
    notify([hoa], django_capture_on_commit_callbacks, text="Dòng một\nDòng hai")
    run_queued_tasks()
    assert mail.outbox[0].subject == "[Gương Sáng] Dòng một Dòng hai"
