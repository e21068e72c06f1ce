"""Offline entry on a phone (issue 12, point 5): a branch head who opened quick entry once loses
the signal, reopens the page from the phone, logs two activities, and finds each recorded
exactly once when the signal returns; one the server refuses waits with its message until she
discards it."""

import datetime as dt

import pytest
from django.utils import timezone

from guongsang.outreach.models import Activity

from ..factories import Role, make_user
from .test_outreach import forms  # noqa: F401 - the plan's forms

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def log(page, title: str, participants: str, members: str) -> None:
    page.get_by_label("Hình thức").select_option(label="Sinh hoạt chi hội")
    page.get_by_label("Nội dung").fill(title)
    page.get_by_label("Số người tham dự").fill(participants)
    page.get_by_label("Trong đó hội viên").fill(members)
    page.get_by_role("button", name="Lưu, ghi tiếp").click()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_two_activities_logged_without_signal_arrive_once(page, cast, forms, login_as, shot):  # noqa: F811
    branch_head = make_user(cast.branch_a, Role.STAFF)
    login_as(branch_head)
    page.goto("/tuyen-truyen/moi/")
    # The page is kept on the phone once its service worker is ready.
    expect(page.locator("form[data-offline-ready]")).to_have_count(1)

    page.context.set_offline(True)
    page.reload()  # served by the service worker: no network
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi nhanh hoạt động tuyên truyền")
    log(page, "Sinh hoạt chi hội tháng 12 ở bản Nà Pàn", "24", "20")
    expect(page.locator("#offline-status")).to_contain_text("Không có mạng")
    log(page, "Tuyên truyền phòng chống lừa đảo qua mạng", "31", "30")
    future = (timezone.localdate() + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    page.get_by_label("Ngày").fill(future)
    log(page, "Ghi nhầm ngày", "5", "5")
    queue = page.locator("#offline-queue li")
    expect(queue).to_have_count(3)
    shot("queued")
    assert not Activity.objects.exists()

    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text("Đã gửi 2 hoạt động")
    expect(queue).to_have_count(1)  # the one the server refused, with its reason
    expect(queue.first).to_contain_text("Ngày hoạt động không được sau hôm nay.")
    shot("sent")
    titles = sorted(Activity.objects.values_list("title", flat=True))
    assert titles == [
        "Sinh hoạt chi hội tháng 12 ở bản Nà Pàn",
        "Tuyên truyền phòng chống lừa đảo qua mạng",
    ]
    assert set(Activity.objects.values_list("unit", flat=True)) == {cast.branch_a.pk}

    # Sending again (a reload replays the queue) creates nothing new; discarding empties it.
    page.reload()
    expect(queue).to_have_count(1)
    queue.first.get_by_role("button", name="Bỏ").click()
    expect(page.locator("#offline-queue")).to_be_hidden()
    assert Activity.objects.count() == 2
