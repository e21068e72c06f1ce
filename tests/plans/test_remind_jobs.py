"""A reminder to many late units runs in the background, batch by batch, with progress."""

import datetime as dt

import pytest
from django.core import mail

from guongsang.jobs.models import Job, JobState
from guongsang.notifications.models import Notification
from guongsang.plans import tasks
from guongsang.plans.models import Assignment, Reminder, TaskKind
from guongsang.units.models import UnitKind

from ..factories import Role, make_unit, make_user
from ..jobs.helpers import queued, run_queued_tasks
from .conftest import TODAY, frozen, make_plan


@pytest.fixture
def big_plan(cast, settings, monkeypatch):
    """A plan sent to 7 communes, each with one staff officer; the inline limit set to 3 and
    the batch to 2 units so that 7 late units take the background path in 4 batches."""
    settings.REMIND_INLINE_MAX_UNITS = 3
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    communes = [make_unit(f"Xã Thử {i}", UnitKind.COMMUNE, cast.province) for i in range(7)]
    for i, unit in enumerate(communes):
        make_user(unit, Role.STAFF, username=f"thu{i}.canbo", email=f"thu{i}@example.vn")
    with frozen(TODAY):
        plan = make_plan(cast.province_admin, cast.province, communes)
    Notification.objects.all().delete()
    return plan


def late_day(plan):
    return plan.tasks.get(kind=TaskKind.PLAN).deadline + dt.timedelta(days=1)


def test_many_late_units_are_reminded_by_the_worker(
    cast, big_plan, django_capture_on_commit_callbacks
):
    day = late_day(big_plan)
    province = cast.client_for(cast.province_admin)
    with frozen(day), django_capture_on_commit_callbacks(execute=True):
        response = province.post(f"/van-ban/{big_plan.pk}/don-doc/")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tac-vu/{job.pk}/"
    assert (job.kind, job.user, job.unit, job.state) == (
        "remind",
        cast.province_admin,
        cast.province,
        JobState.QUEUED,
    )
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    page = province.get(f"/tac-vu/{job.pk}/").content.decode()
    assert "Đang đôn đốc 7 đơn vị chậm thực hiện ở chế độ nền." in page
    assert "Đôn đốc các đơn vị chậm thực hiện" in page

    seen = []
    original = tasks.progress

    def spy(**kwargs):
        seen.append((kwargs["done"], kwargs["total"]))
        original(**kwargs)

    tasks.progress = spy
    try:
        with frozen(day):
            run_queued_tasks()
    finally:
        tasks.progress = original
    assert seen == [(0, 7), (2, 7), (4, 7), (6, 7), (7, 7)]
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.done, job.total) == (7, 7)
    assert job.message == "Đã đôn đốc 7 đơn vị chậm thực hiện."
    assert Reminder.objects.count() == 7
    assert Notification.objects.filter(kind="reminder").count() == 7
    with frozen(day):
        run_queued_tasks()  # the e-mails, queued by each batch
    assert len(mail.outbox) == 7
    page = province.get(f"/tac-vu/{job.pk}/").content.decode()
    assert "Đã đôn đốc 7 đơn vị chậm thực hiện." in page and "hx-trigger" not in page


def test_units_that_answered_meanwhile_are_not_reminded(
    cast, big_plan, django_capture_on_commit_callbacks
):
    day = late_day(big_plan)
    province = cast.client_for(cast.province_admin)
    with frozen(day), django_capture_on_commit_callbacks(execute=True):
        province.post(f"/van-ban/{big_plan.pk}/don-doc/")
    # Two of the first batch's units answer before the worker gets there.
    first_two = big_plan.recipients.order_by("pk")[:2]
    Assignment.objects.filter(recipient__in=first_two).update(done_at=dt.datetime.now(dt.UTC))
    with frozen(day):
        run_queued_tasks()
    job = Job.objects.get()
    assert job.state == JobState.DONE and job.message == "Đã đôn đốc 5 đơn vị chậm thực hiện."
    assert Reminder.objects.count() == 5


def test_a_few_late_units_are_still_reminded_at_once(cast, plan):
    day = late_day(plan)
    with frozen(day):
        response = cast.client_for(cast.province_admin).post(f"/van-ban/{plan.pk}/don-doc/")
    assert response["Location"] == f"/van-ban/{plan.pk}/theo-doi/"
    assert Reminder.objects.count() == 2 and not Job.objects.exists()


def test_one_unit_is_reminded_at_once_however_many_are_late(
    cast, big_plan, django_capture_on_commit_callbacks
):
    day = late_day(big_plan)
    recipient = big_plan.recipients.order_by("pk").first()
    with frozen(day):
        response = cast.client_for(cast.province_admin).post(
            f"/van-ban/{big_plan.pk}/don-doc/", {"recipient": recipient.pk}
        )
    assert response["Location"] == f"/van-ban/{big_plan.pk}/theo-doi/"
    assert list(Reminder.objects.values_list("recipient", flat=True)) == [recipient.pk]
    assert not Job.objects.exists()


def test_a_user_who_lost_her_rights_gets_a_failed_job(
    cast, big_plan, django_capture_on_commit_callbacks
):
    day = late_day(big_plan)
    with frozen(day), django_capture_on_commit_callbacks(execute=True):
        cast.client_for(cast.province_admin).post(f"/van-ban/{big_plan.pk}/don-doc/")
    cast.province_admin.memberships.all().delete()
    with frozen(day):
        run_queued_tasks()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert job.message == "Bạn không có quyền đôn đốc văn bản này."
    assert not Reminder.objects.exists()
    assert not queued().exists()


def test_others_cannot_follow_the_reminder_job(cast, big_plan, django_capture_on_commit_callbacks):
    day = late_day(big_plan)
    with frozen(day), django_capture_on_commit_callbacks(execute=True):
        cast.client_for(cast.province_admin).post(f"/van-ban/{big_plan.pk}/don-doc/")
    job = Job.objects.get()
    assert cast.client_for(cast.a_admin).get(f"/tac-vu/{job.pk}/").status_code == 404
