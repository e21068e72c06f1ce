"""Searchable choosers in the browser: type, see at most 20 suggestions inside the scope, pick;
a pick on the document form reloads its recipients; without JavaScript the typed text is
resolved on the server."""

import re

import pytest

from guongsang.outreach.models import Activity
from guongsang.units.models import UnitKind

from ..factories import make_unit
from .conftest import choose, chooser_input
from .test_outreach import (  # noqa: F401 (fixtures)
    column,
    criteria_set,
    forms,
    movement,
    review_round,
    reviewer,
    world,
)

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_unit_chooser_on_the_quick_entry_form(page, cast, forms, login_as, shot):  # noqa: F811
    for n in range(25):
        make_unit(f"Tổ phụ nữ Bản Giốc {n:02d}", UnitKind.GROUP, cast.branch_a)
    login_as(cast.a_staff)
    page.goto("/tuyen-truyen/moi/")
    field = chooser_input(page, "Đơn vị")
    expect(field).to_have_value("Xã Đông Khê – Tỉnh Cao Bằng")
    field.fill("ban gioc")
    options = page.locator("#id_unit-results").get_by_role("option")
    expect(options).to_have_count(20)
    expect(options.first).to_have_text("Tổ phụ nữ Bản Giốc 00 – Chi hội Nà Pàn")
    expect(page.locator("#id_unit-results")).to_contain_text("Chỉ hiện 20 kết quả đầu")
    shot("suggestions")
    # Commune B's branch is never suggested to commune A.
    field.fill("to dan pho")
    expect(page.locator("#id_unit-results")).to_contain_text("Không tìm thấy")
    choose(page, "Đơn vị", "na pan", "Chi hội Nà Pàn – Xã Đông Khê")
    expect(field).to_have_value("Chi hội Nà Pàn – Xã Đông Khê")
    expect(page.locator("#id_unit-results")).to_be_empty()
    page.get_by_label("Hình thức").select_option(label="Sinh hoạt chi hội")
    page.get_by_label("Nội dung").fill("Sinh hoạt chi hội tháng 12")
    page.get_by_label("Số người tham dự").fill("30")
    page.get_by_label("Trong đó hội viên").fill("28")
    shot("picked")
    page.get_by_role("button", name="Lưu, ghi tiếp").click()
    expect(page.locator(".saved-entry")).to_contain_text("Đã ghi:")
    assert Activity.objects.get().unit == cast.branch_a


def test_exemplars_chooser_picks_several(page, cast, column, login_as, shot):  # noqa: F811
    mai = column.exemplar(name="Nông Thị Mai")
    lan = column.exemplar(name="Hoàng Thị Lan")
    login_as(cast.a_staff)
    page.goto("/tuyen-truyen/moi/")
    choose(page, "Đơn vị", "na pan", "Chi hội Nà Pàn – Xã Đông Khê")
    page.get_by_label("Hình thức").select_option(label="Hội nghị")  # no form is chosen for her
    page.get_by_label("Nội dung").fill("Biểu dương điển hình")
    label_mai = f"Nông Thị Mai ({mai.year}) – Chi hội Nà Pàn"
    choose(page, "Điển hình được nêu", "mai", label_mai)
    choose(page, "Điển hình được nêu", "hoang lan", f"Hoàng Thị Lan ({lan.year}) – Chi hội Nà Pàn")
    chips = page.locator(".chooser-chip")
    expect(chips).to_have_count(2)
    expect(chips.first).to_contain_text(label_mai)
    expect(chooser_input(page, "Điển hình được nêu")).to_have_value("")
    shot()
    page.get_by_role("button", name="Lưu, ghi tiếp").click()
    expect(page.locator(".saved-entry")).to_contain_text("Đã ghi:")
    assert set(Activity.objects.get().exemplars.all()) == {mai, lan}


def test_document_form_reloads_recipients_on_pick(page, cast, login_as, shot):
    login_as(cast.province_admin)
    page.goto("/van-ban/moi/")
    recipients = page.locator("#recipients")
    expect(recipients.get_by_label("Xã Đông Khê")).to_be_visible()
    choose(page, "Đơn vị ban hành", "dong khe", "Xã Đông Khê – Tỉnh Cao Bằng")
    expect(recipients.get_by_label("Chi hội Nà Pàn")).to_be_visible()
    shot()


def test_activity_filter_without_javascript(browser, live_server, cast, forms):  # noqa: F811
    """With JavaScript off, the filter is a text field: a code or a name is resolved."""
    from django.conf import settings
    from django.test import Client

    from ..outreach.conftest import make_activity

    make_activity(cast.province_admin, cast.branch_a, title="Hoạt động ở Nà Pàn")
    make_activity(cast.province_admin, cast.commune_b, title="Hoạt động ở Tân Giang")
    context = browser.new_context(
        java_script_enabled=False,
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": 360, "height": 740},
    )
    context.set_default_timeout(10_000)
    client = Client()
    client.force_login(cast.province_admin)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto("/tuyen-truyen/")
    page.locator("#f-dv").fill("Tân Giang")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"don_vi_text=T"))
    rows = page.locator("table.table").last.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Hoạt động ở Tân Giang")
    page.locator("#f-dv").fill("chi hoi")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator(".errorlist")).to_contain_text("Có nhiều kết quả khớp với “chi hoi”")
    expect(page.locator("#f-dv")).to_have_value("chi hoi")
    context.close()
