"""No page may trip the strict Content-Security-Policy (no inline script or style).

Every browser test checks this through the ``page`` fixture (console messages about the
Content Security Policy fail the test); this one walks the pages the others do not reach.
"""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_pages_respect_csp(page, cast, login_as, watcher, shot):
    login_as(cast.province_admin)
    pages = {
        "tree-history": "/don-vi/?lich_su=1",
        "closed-unit": f"/don-vi/{cast.former_commune.pk}/",
        "unit-create": f"/don-vi/{cast.commune_a.pk}/them/",
        "unit-edit": f"/don-vi/{cast.commune_a.pk}/sua/",
        "unit-close": f"/don-vi/{cast.commune_a.pk}/dong/",
        "unit-import": f"/don-vi/{cast.commune_a.pk}/nhap-excel/",
        "password": "/doi-mat-khau/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_be_visible()
        # The stylesheet really applied (a blocked one would leave the top bar unstyled).
        bg = page.locator(".topbar").evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg == "rgb(173, 20, 87)", path
        assert not watcher.csp, f"{path}: {watcher.csp}"
        shot(name)
