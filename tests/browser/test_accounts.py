import re

import pytest

from guongsang.accounts.models import User

from .conftest import choose, chooser_input

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

COMMUNE_B_NAMES = ["Triệu Thị Nga", "b.staff", "Phường Tân Giang"]


def assert_no_commune_b(page) -> None:
    body = page.locator("body")
    for text in COMMUNE_B_NAMES:
        expect(body).not_to_contain_text(text)


def test_account_management(page, cast, login_as, shot, watcher):
    login_as(cast.a_admin)
    page.goto("/")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Tài khoản"
    ).click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/$"))
    table = page.locator("table.table")
    expect(table.get_by_role("link", name="Bế Thị Hoa")).to_be_visible()
    expect(table.get_by_role("link", name="Lục Thị Xuân")).to_be_visible()
    assert_no_commune_b(page)
    expect(table).not_to_contain_text("Hoàng Thị Thu Hà")  # the province's own admin
    shot("list")

    # Create an account.
    page.get_by_role("main").get_by_role("link", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo tài khoản")
    page.get_by_label("Họ và tên").fill("  Nông   Thị Ngọc Ánh ")
    page.get_by_label("Tên đăng nhập").fill("ngoc.anh")
    # The chooser suggests her subtree only.
    chooser_input(page, "Đơn vị công tác").fill("p")
    suggestions = page.locator(".chooser-results")
    expect(suggestions.get_by_role("option").first).to_be_visible()
    expect(suggestions).not_to_contain_text("Phường Tân Giang")
    choose(page, "Đơn vị công tác", "na pan", "Chi hội Nà Pàn – Xã Đông Khê")
    page.get_by_label("Vai trò").select_option(label="Cán bộ")
    page.get_by_label("Chức vụ").fill("Chi hội trưởng")
    page.get_by_label("Mật khẩu ban đầu").fill("Hoa-ban-no-2026")
    shot("create")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo tài khoản ngoc.anh.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nông Thị Ngọc Ánh")
    account = User.objects.get(username="ngoc.anh")
    assert account.full_name == "Nông Thị Ngọc Ánh"
    assert account.must_change_password
    expect(page).to_have_url(re.compile(rf"/tai-khoan/{account.pk}/$"))
    shot("detail")

    # It is in the list, and the list's search finds it without diacritics.
    page.goto("/tai-khoan/?q=ngoc+anh")
    row = page.locator("table.table tr", has=page.get_by_role("link", name="Nông Thị Ngọc Ánh"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Cán bộ (Chi hội Nà Pàn)")
    expect(page.locator("table.table tbody tr")).to_have_count(1)

    # Reset its password: the temporary password is shown once.
    row.get_by_role("link", name="Nông Thị Ngọc Ánh").click()
    page.get_by_role("button", name="Đặt lại mật khẩu").click()
    once = page.locator(".password-once")
    expect(once).to_have_text(re.compile(r"^[A-Za-z0-9]{12}$"))
    temporary = once.inner_text()
    account.refresh_from_db()
    assert account.check_password(temporary)
    shot("password")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nông Thị Ngọc Ánh")
    expect(page.locator(".password-once")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(temporary)

    # Deactivate it.
    page.get_by_role("button", name="Khóa tài khoản").click()
    expect(page.locator(".messages")).to_contain_text("Đã khóa tài khoản.")
    expect(page.get_by_role("heading", level=1).locator(".badge-closed")).to_have_text("Đã khóa")
    expect(page.get_by_role("button", name="Mở lại tài khoản")).to_be_visible()
    account.refresh_from_db()
    assert not account.is_active
    shot("locked")

    page.goto("/tai-khoan/")
    expect(page.get_by_role("link", name="Nông Thị Ngọc Ánh")).to_have_count(0)
    page.get_by_label("Trạng thái").select_option("inactive")  # submits on change
    expect(page).to_have_url(re.compile(r"trang_thai=inactive"))
    expect(page.get_by_role("link", name="Nông Thị Ngọc Ánh")).to_be_visible()
    page.get_by_label("Trạng thái").select_option("all")
    expect(page.get_by_role("link", name="Nông Thị Ngọc Ánh")).to_be_visible()
    expect(page.get_by_role("link", name="Bế Thị Hoa")).to_be_visible()
    assert_no_commune_b(page)
    shot("all")

    # Commune B's accounts stay out of reach, even by name or address.
    page.goto("/tai-khoan/?trang_thai=all&q=nga")
    expect(page.get_by_role("main")).to_contain_text("Không có tài khoản nào.")
    response = page.goto(f"/tai-khoan/{cast.b_staff.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    assert_no_commune_b(page)
    # The 404 itself is logged by Chromium as a failed resource load.
    watcher.errors[:] = [e for e in watcher.errors if "404" not in e]


def test_temporary_password_must_be_changed(page, cast, login_as, shot):
    login_as(cast.a_admin)
    page.goto(f"/tai-khoan/{cast.a_staff.pk}/")
    page.get_by_role("button", name="Đặt lại mật khẩu").click()
    temporary = page.locator(".password-once").inner_text()
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Đăng xuất").click()

    page.get_by_label("Tên đăng nhập").fill("a.staff")
    page.get_by_label("Mật khẩu").fill(temporary)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/doi-mat-khau/$"))
    expect(page.locator(".msg-warning")).to_contain_text("Bạn đang dùng mật khẩu tạm.")
    shot()
    page.goto("/don-vi/")  # nothing else until she has chosen her own
    expect(page).to_have_url(re.compile(r"/doi-mat-khau/$"))

    page.locator("#id_old_password").fill(temporary)
    page.locator("#id_new_password1").fill("Hoa-mai-vang-2026")
    page.locator("#id_new_password2").fill("Hoa-mai-vang-2026")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.locator(".messages")).to_contain_text("Đã đổi mật khẩu.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Bế Thị Hoa")
    page.goto("/don-vi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cây đơn vị")
