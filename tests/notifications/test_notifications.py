"""In-app notifications with an unread count, e-mail per preference after commit."""

from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from guongsang.notifications import services
from guongsang.notifications.models import Notification, NotificationKind
from tests.jobs.helpers import run_queued_tasks


def test_notify_creates_rows_and_emails_after_commit(cast):
    cast.a_staff.email = "hoa@example.vn"
    cast.a_staff.save()
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        rows = services.notify(
            users=[cast.a_staff, cast.a_admin, cast.a_staff],
            text="Văn bản mới 01/KH-BTV",
            link="/van-ban/1/",
            kind=NotificationKind.DOCUMENT,
        )
    assert len(rows) == 2
    assert len(mail.outbox) == 0  # nothing before commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 0  # nor at commit: the background worker sends it
    assert run_queued_tasks() == 1
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert "01/KH-BTV" in mail.outbox[0].subject and "/van-ban/1/" in mail.outbox[0].body
    assert Notification.objects.get(user=cast.a_staff).emailed_at is not None


def test_email_preference_per_kind(cast):
    cast.a_staff.email = "hoa@example.vn"
    cast.a_staff.save()
    client = cast.client_for(cast.a_staff)
    response = client.post("/thong-bao/tuy-chon/", {"document": "on", "answer": "on"})
    assert response.status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.notify(users=[cast.a_staff], text="Đôn đốc", kind=NotificationKind.REMINDER)
        services.notify(users=[cast.a_staff], text="Văn bản mới", kind=NotificationKind.DOCUMENT)
    run_queued_tasks()
    assert [m.subject for m in mail.outbox] == ["[Gương Sáng] Văn bản mới"]
    assert Notification.objects.filter(user=cast.a_staff).count() == 2  # in-app always


def test_centre_badge_mark_read_and_mark_all(cast):
    services.notify(users=[cast.a_staff], text="Một", link="/van-ban/")
    services.notify(users=[cast.a_staff], text="Hai", link="https://evil.example/")
    services.notify(users=[cast.b_staff], text="Của người khác")
    client = cast.client_for(cast.a_staff)
    home = client.get("/").content.decode()
    assert 'class="count-pill">2' in home
    page = client.get("/thong-bao/").content.decode()
    assert "Một" in page and "Hai" in page and "Của người khác" not in page
    one = Notification.objects.get(text="Một")
    response = client.post(f"/thong-bao/{one.pk}/mo/")
    assert response["Location"] == "/van-ban/"
    two = Notification.objects.get(text="Hai")
    assert client.post(f"/thong-bao/{two.pk}/mo/")["Location"] == "/thong-bao/"  # no open redirect
    other = Notification.objects.get(text="Của người khác")
    assert client.post(f"/thong-bao/{other.pk}/mo/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    services.notify(users=[cast.a_staff], text="Ba")
    client.post("/thong-bao/da-doc-het/")
    assert not Notification.objects.filter(user=cast.a_staff, read_at__isnull=True).exists()
    assert "count-pill" not in client.get("/").content.decode()


def test_unread_count_is_one_query_and_list_does_not_grow(cast):
    client = cast.client_for(cast.a_staff)
    counts = []
    for n in (1, 20):
        services.notify(users=[cast.a_staff] * 1, text="x")
        for _ in range(n):
            services.notify(users=[cast.a_staff], text="y")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/thong-bao/").status_code == 200
        counts.append(len(ctx.captured_queries))
        assert (
            sum(
                "notifications_notification" in q["sql"] and "COUNT" in q["sql"]
                for q in ctx.captured_queries
            )
            <= 2
        )
    assert counts[0] == counts[1]
