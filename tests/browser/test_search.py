import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_live_search(page, cast, login_as, shot):
    login_as(cast.a_staff)
    page.goto("/don-vi/tim/")
    box = page.get_by_label("Tên đơn vị")
    expect(box).to_be_focused()
    nav = page.get_by_role("navigation", name="Chức năng chính")
    expect(nav.locator("[aria-current=page]")).to_have_text("Tìm")
    with page.expect_request(re.compile(r"/don-vi/tim/\?.*q=dong")) as req:
        box.press_sequentially("dong khe", delay=20)
    assert req.value.headers.get("hx-request") == "true"
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Xã Đông Khê")).to_be_visible()
    # The closed town of the same name stays out until asked for.
    expect(results.get_by_role("link", name="Thị trấn Đông Khê")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=dong(\+|%20)khe"))
    shot()

    page.get_by_label("Gồm cả đơn vị đã hết hiệu lực").check()
    expect(results.get_by_role("link", name="Thị trấn Đông Khê")).to_be_visible()
    expect(results.locator(".badge-closed")).to_have_count(1)
    shot("history")

    box.fill("khong co don vi nay")
    expect(results).to_contain_text("Không tìm thấy đơn vị nào khớp với “khong co don vi nay”.")


def test_plain_search(page, cast, login_as, shot):
    login_as(cast.a_staff)
    page.goto("/")
    box = page.get_by_label("Tìm đơn vị")
    box.fill("dong khe")
    with page.expect_navigation():
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/don-vi/tim/\?q=dong\+khe$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm đơn vị")
    expect(page.get_by_label("Tên đơn vị")).to_have_value("dong khe")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Xã Đông Khê")).to_be_visible()
    expect(results).to_contain_text("1 đơn vị")
    shot()

    # Commune A's staff sees nothing of commune B.
    page.goto("/don-vi/tim/?q=tan+giang")
    expect(results).to_contain_text("Không tìm thấy đơn vị nào")
