"""Quick entry at a branch head's pace (issue 12, point 4): a 360 px phone on a slow link
(1.6 Mbps down, 750 kbps up, 150 ms latency, emulated by Chromium), a fixed time per tap and per
character typed. She logs a talk from the home page within 40 seconds, network waits included;
the next one is quicker, the form of outreach being remembered.

The time is a sum: the taps and characters at the fixed human pace, plus the time the pages
really took to arrive over the emulated link."""

import time

import pytest

from guongsang.outreach.models import Activity

from ..factories import Role, make_user
from .test_outreach import forms  # noqa: F401 - the plan's forms

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

TAP_S = 1.5  # find the control and tap it
CHAR_S = 0.35  # one character on a phone keyboard
BUDGET_S = 40.0
SLOW_LINK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}


class Pace:
    """Counts taps and characters; measures the time spent waiting for the network."""

    def __init__(self, page):
        self.page, self.taps, self.chars, self.waited = page, 0, 0, 0.0

    def tap(self, locator) -> None:
        self.taps += 1
        started = time.monotonic()
        locator.click()
        self.page.wait_for_load_state("load")
        self.waited += time.monotonic() - started

    def type(self, locator, text: str) -> None:
        self.taps += 1  # into the field
        self.chars += len(text)
        locator.fill(text)

    def goto(self, path: str) -> None:
        started = time.monotonic()
        self.page.goto(path)
        self.waited += time.monotonic() - started

    @property
    def total(self) -> float:
        return self.taps * TAP_S + self.chars * CHAR_S + self.waited


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_talk_logged_in_forty_seconds_on_a_slow_link(page, cast, forms, login_as, shot):  # noqa: F811
    branch_head = make_user(cast.branch_a, Role.STAFF)
    login_as(branch_head)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    pace = Pace(page)

    # From the home page: her branch and today's date are already filled in.
    pace.goto("/")
    pace.tap(
        page.get_by_role("navigation", name="Chức năng chính").get_by_role(
            "link", name="Tuyên truyền"
        )
    )
    pace.tap(page.get_by_role("main").get_by_role("link", name="Ghi hoạt động"))
    pace.taps += 2  # the form's list: open it, pick
    page.get_by_label("Hình thức").select_option(label="Nói chuyện chuyên đề")
    pace.type(page.get_by_label("Nội dung"), "Nói chuyện phòng, chống bạo lực gia đình")
    pace.type(page.get_by_label("Số người tham dự"), "32")
    pace.type(page.get_by_label("Trong đó hội viên"), "30")
    pace.tap(page.get_by_role("button", name="Lưu, ghi tiếp"))
    expect(page.locator(".saved-entry")).to_contain_text("Nói chuyện phòng, chống bạo lực")
    first = pace.total
    print(
        f"quick entry: {pace.taps} taps, {pace.chars} characters, network {pace.waited:.1f} s, "
        f"total {first:.1f} s of {BUDGET_S:.0f}"
    )
    assert first <= BUDGET_S, f"{pace.taps} taps, {pace.chars} chars, {pace.waited:.1f} s net"
    talk = Activity.objects.get()
    assert (talk.unit, talk.form.name, talk.participants) == (
        cast.branch_a,
        "Nói chuyện chuyên đề",
        32,
    )

    # The next one starts on the fresh form with the same form of outreach chosen.
    pace = Pace(page)
    expect(page.get_by_label("Hình thức")).to_have_value(str(talk.form_id))
    pace.type(page.get_by_label("Nội dung"), "Nói chuyện nuôi con khỏe, dạy con ngoan")
    pace.type(page.get_by_label("Số người tham dự"), "25")
    pace.type(page.get_by_label("Trong đó hội viên"), "25")
    pace.tap(page.get_by_role("button", name="Lưu, ghi tiếp"))
    expect(page.locator(".saved-entry")).to_contain_text("nuôi con khỏe")
    shot()
    assert pace.total < first - 2 * TAP_S  # no section to find, no form to pick
    assert Activity.objects.filter(unit=cast.branch_a).count() == 2
