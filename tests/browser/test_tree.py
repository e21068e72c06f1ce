import re

import pytest

from tests.factories import UnitKind, make_unit

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def tree_node(page, name: str):
    """The <details> of the tree whose own summary links to ``name``."""
    summary = page.locator("ul.tree summary").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )
    return summary.locator("xpath=..")


LONG_NAME = "Chi hội Phụ nữ Tổ dân phố Nà Pàn số 12 (Khu dân cư Bản Hẩu – Phja Khao)"


def test_tree_navigation(page, cast, login_as, shot):
    # Real names are long; none may push the page sideways on a phone.
    make_unit(LONG_NAME, UnitKind.BRANCH, cast.commune_a)
    login_as(cast.province_admin)
    page.goto("/")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Đơn vị"
    ).click()
    expect(page).to_have_url(re.compile(r"/don-vi/$"))
    tree = page.locator("ul.tree")
    expect(tree.get_by_role("link", name="Tỉnh Cao Bằng")).to_be_visible()
    # The root is opened one level: its current communes, not the closed district.
    commune = tree_node(page, "Xã Đông Khê")
    expect(commune).to_be_visible()
    expect(tree.get_by_role("link", name="Phường Tân Giang")).to_be_visible()
    expect(tree.get_by_role("link", name="Huyện Thạch An")).to_have_count(0)
    shot("closed")

    # Open the commune: its branches come over HTMX.
    expect(commune).not_to_have_attribute("open", "")
    commune.locator("summary .count").click()
    expect(commune).to_have_attribute("open", "")
    branch = commune.locator(".subtree").get_by_role("link", name="Chi hội Nà Pàn")
    expect(branch).to_be_visible()
    expect(commune.locator(".subtree").get_by_role("link", name=LONG_NAME)).to_be_visible()
    shot("open")

    branch.click()
    expect(page).to_have_url(re.compile(rf"/don-vi/{cast.branch_a.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chi hội Nà Pàn")
    crumbs = page.get_by_role("list", name="Đơn vị cấp trên")
    expect(crumbs.get_by_role("link", name="Xã Đông Khê")).to_be_visible()
    expect(page.locator("table.table")).to_contain_text("Tổ phụ nữ số 1")
    shot("unit")

    crumbs.get_by_role("link", name="Tỉnh Cao Bằng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hội LHPN tỉnh Cao Bằng")
    shot("province")

    page.goto(f"/don-vi/{cast.commune_a.pk}/")
    expect(page.locator("table.table")).to_contain_text(LONG_NAME)
    shot("commune")


def test_tree_history(page, cast, login_as, shot):
    login_as(cast.province_admin)
    page.goto("/don-vi/")
    page.get_by_role("link", name=re.compile("Hiện cả đơn vị đã sáp nhập")).click()
    district = tree_node(page, "Huyện Thạch An")
    expect(district.locator("summary .badge-closed")).to_be_visible()
    district.locator("summary .count").click()
    expect(district.get_by_role("link", name="Thị trấn Đông Khê")).to_be_visible()
    shot()
