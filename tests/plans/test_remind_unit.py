"""Đôn đốc one unit with the sender's own message (issue 12, point 7): from the board's row, to
that unit's officers only; the recipient reads it in her notifications and on the document."""

import pytest
from django.urls import reverse

from guongsang.notifications.models import Notification, NotificationKind
from guongsang.plans.models import Recipient, Reminder

pytestmark = pytest.mark.django_db


def url(doc, recipient):
    return reverse("plans:remind_unit", args=[doc.pk, recipient.pk])


def test_one_unit_is_reminded_in_the_senders_words(cast, plan):
    a = Recipient.objects.get(document=plan, unit=cast.commune_a)
    client = cast.client_for(cast.province_admin)
    board = client.get(reverse("plans:board", args=[plan.pk])).content.decode()
    assert url(plan, a) in board and "Nhắc riêng" in board
    form = client.get(url(plan, a))
    assert form.status_code == 200 and "khẩn trương thực hiện" in form.content.decode()
    response = client.post(url(plan, a), {"message": "Chị Hoa gửi giúp báo cáo trước thứ Sáu."})
    assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert reminder.recipient == a and reminder.sent_by == cast.province_admin
    assert reminder.text.endswith("Chị Hoa gửi giúp báo cáo trước thứ Sáu.")
    told = Notification.objects.filter(kind=NotificationKind.REMINDER)
    assert {n.user for n in told} >= {cast.a_staff}
    assert not told.filter(user=cast.b_staff).exists()  # commune B hears nothing
    page = cast.client_for(cast.a_staff).get(reverse("notifications:list")).content.decode()
    assert "Chị Hoa gửi giúp báo cáo trước thứ Sáu." in page
    doc_page = cast.client_for(cast.a_staff).get(reverse("plans:detail", args=[plan.pk]))
    assert "Cấp trên đã đôn đốc" in doc_page.content.decode()
    assert "Chị Hoa gửi giúp báo cáo trước thứ Sáu." in doc_page.content.decode()
    b_page = cast.client_for(cast.b_staff).get(reverse("plans:detail", args=[plan.pk]))
    assert "Chị Hoa gửi giúp" not in b_page.content.decode()
    # The board counts it on that row.
    board = client.get(reverse("plans:board", args=[plan.pk])).content.decode()
    assert "1 lần, gần nhất" in board


def test_bad_messages_and_strangers(cast, plan):
    a = Recipient.objects.get(document=plan, unit=cast.commune_a)
    client = cast.client_for(cast.province_admin)
    for bad, error in (
        ("   ", "Nhập lời nhắn"),
        ("a\x00b", "ký tự điều khiển"),
        ("x" * 401, "400"),
    ):
        response = client.post(url(plan, a), {"message": bad})
        assert response.status_code == 200 and error in response.content.decode(), bad
    assert not Reminder.objects.exists()
    # A commune cannot remind anyone of the province's plan; another document's recipient and
    # huge ids are not found.
    commune = cast.client_for(cast.a_admin)
    assert commune.get(url(plan, a)).status_code == 404
    assert commune.post(url(plan, a), {"message": "x"}).status_code == 404
    huge = reverse("plans:remind_unit", args=[plan.pk, 2**40])
    assert client.get(huge).status_code == 404
    assert not Reminder.objects.exists()
