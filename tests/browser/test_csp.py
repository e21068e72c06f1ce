"""No page may trip the strict Content-Security-Policy (no inline script or style).

Every browser test checks this through the ``page`` fixture; this test walks the pages
the others do not reach, with HTMX at work.
"""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_pages_respect_csp(page, cast, login_as, watcher, shot):
    login_as(cast.province_admin)
    paths = [
        "/",
        "/don-vi/",
        "/don-vi/?lich_su=1",
        f"/don-vi/{cast.province.pk}/",
        f"/don-vi/{cast.commune_a.pk}/",
        f"/don-vi/{cast.former_commune.pk}/",
        f"/don-vi/{cast.commune_a.pk}/them/",
        f"/don-vi/{cast.commune_a.pk}/sua/",
        f"/don-vi/{cast.commune_a.pk}/dong/",
        f"/don-vi/{cast.commune_a.pk}/nhap-excel/",
        "/don-vi/tim/?q=dong+khe&lich_su=1",
        "/tai-khoan/",
        "/tai-khoan/moi/",
        f"/tai-khoan/{cast.a_staff.pk}/",
        "/doi-mat-khau/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_be_visible()
        # The stylesheet really applied (a blocked one would leave the top bar unstyled).
        bg = page.locator(".topbar").evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg == "rgb(173, 20, 87)", path
        assert not watcher.csp, f"{path}: {watcher.csp}"
    # HTMX swaps content in: still nothing blocked.
    page.goto("/don-vi/")
    page.locator("ul.tree details summary .count").first.click()
    expect(page.locator(".subtree a").first).to_be_visible()
    page.goto("/don-vi/tim/")
    page.get_by_label("Tên đơn vị").press_sequentially("tan giang")
    expect(page.locator("#results")).to_contain_text("Phường Tân Giang")
    shot("search")
    page.goto(f"/don-vi/{cast.commune_a.pk}/")
    shot("unit")
    page.goto(f"/tai-khoan/{cast.a_staff.pk}/")
    shot("account")
    assert not watcher.csp, watcher.csp
