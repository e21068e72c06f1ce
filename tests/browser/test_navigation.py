"""The menus on a phone (issue 12, point 3): at 360 px every item of the main menu and of each
section's sub-menu is on screen, whole, without scrolling sideways; each section opens on a view
with content."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

SECTIONS = [
    "/",
    "/don-vi/",
    "/dien-hinh/",
    "/khen-thuong/",
    "/tuyen-truyen/",
    "/van-ban/",
    "/bao-cao/",
    "/tai-khoan/",
]


def cut_items(page, selector: str) -> list[str]:
    """Links of the menu that are hidden or reach past either edge of the viewport."""
    return page.evaluate(
        """(selector) => {
            const width = document.documentElement.clientWidth;
            const cut = [];
            for (const a of document.querySelectorAll(selector + ' a')) {
                const box = a.getBoundingClientRect();
                const style = getComputedStyle(a);
                if (box.width === 0 || style.visibility === 'hidden' || box.left < 0
                        || box.right > width + 0.5) {
                    cut.push(a.textContent.trim());
                }
            }
            return cut;
        }""",
        selector,
    )


def test_every_menu_item_is_in_sight(page, cast, login_as, shot, viewport):
    login_as(cast.province_admin)  # the longest menu: an admin's, with accounts and the log
    for path in SECTIONS:
        page.goto(path)
        names = page.locator(".mainnav a").all_inner_texts()
        assert {"Văn bản", "Tài khoản", "Báo cáo"} <= set(names), names
        assert cut_items(page, ".mainnav") == [], path
        if page.locator(".subnav").count():
            assert cut_items(page, ".subnav") == [], path
        shot(path.strip("/").replace("/", "-") or "home")  # also checks no sideways scroll


def test_a_section_opens_on_a_view_with_content(page, cast, login_as, viewport):
    """The province sent a plan and received none: "Văn bản" opens on what it sent."""
    from guongsang.plans.models import DocType, Organ
    from guongsang.plans.services import document_issue, document_save

    plan = document_save(
        by=cast.province_admin,
        unit=cast.province,
        organ=Organ.BTV,
        doc_type=DocType.KH,
        abstract="Tuyên truyền điển hình tiên tiến",
        body="I. MỤC ĐÍCH",
        recipients=[cast.commune_a],
    )
    document_issue(document=plan, by=cast.province_admin)
    login_as(cast.province_admin)
    page.goto("/")
    page.get_by_role("navigation", name="Chức năng chính").get_by_role(
        "link", name="Văn bản"
    ).click()
    expect(page.get_by_role("link", name="Văn bản đi")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Tuyên truyền điển hình tiên tiến")).to_be_visible()
