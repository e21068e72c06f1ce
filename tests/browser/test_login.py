import re

import pytest

from tests.factories import PASSWORD

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_login_logout(page, cast, shot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập Gương Sáng")
    shot("form")

    page.get_by_label("Tên đăng nhập").fill("a.staff")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".errorlist")).to_contain_text(
        "Tên đăng nhập hoặc mật khẩu không đúng (lưu ý chữ hoa, chữ thường)."
    )
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("a.staff")
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
    shot("wrong-password")

    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Bế Thị Hoa")
    expect(page.get_by_role("navigation", name="Chức năng chính")).to_be_visible()
    shot("home")

    page.locator(".usermenu summary").click()
    shot("usermenu")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/$"))
    expect(page.locator(".messages")).to_contain_text("Bạn đã đăng xuất.")
    expect(page.locator(".usermenu")).to_have_count(0)

    page.goto("/don-vi/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next=/don-vi/$"))


def test_login_follows_next(page, cast):
    page.goto("/don-vi/tim/?q=dong+khe")
    page.get_by_label("Tên đăng nhập").fill("tinh.admin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page).to_have_url(re.compile(r"/don-vi/tim/\?q=dong(\+|%20)khe$"))
    expect(page.locator("#results")).to_contain_text("Xã Đông Khê")


def test_english_interface(page, cast, login_as, shot):
    login_as(cast.province_admin)
    page.goto("/don-vi/")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unit tree")
    nav = page.get_by_role("navigation", name=re.compile("."))
    expect(nav.get_by_role("link", name="Accounts")).to_be_visible()
    shot()
    page.goto(f"/don-vi/{cast.commune_a.pk}/")
    shot("unit")
    page.get_by_label("Language").select_option("vi")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hội LHPN xã Đông Khê")
