"""Query strings of the unit pages are parsed by forms: hostile values give a Vietnamese
message or a 404, never a server error (on SQLite and PostgreSQL alike)."""

import pytest

CONTROL_MESSAGE = "Không được có ký tự điều khiển (như ký tự NUL)."


@pytest.mark.parametrize("q", ["dong\x00khe", "dong\x1bkhe"])
def test_unit_search_refuses_control_characters(cast, q):
    client = cast.client_for(cast.province_admin)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/don-vi/tim/", {"q": q}, headers=headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert CONTROL_MESSAGE in html and "Xã Đông Khê" not in html


def test_unit_search_ignores_unknown_kinds(cast):
    client = cast.client_for(cast.province_admin)
    for kind in ["²", "commune\x00", "robot"]:
        response = client.get("/don-vi/tim/", {"q": "dong khe", "loai": kind})
        assert response.status_code == 200
        assert "Xã Đông Khê" in response.content.decode()
    html = client.get("/don-vi/tim/", {"q": "dong khe", "loai": "branch"}).content.decode()
    assert "Xã Đông Khê" not in html


@pytest.mark.parametrize("unit", ["²", "١", "1\x00", "9" * 40, "-1", "abc"])
def test_import_template_for_a_unit_that_is_not_one_is_not_found(cast, unit):
    response = cast.client_for(cast.a_admin).get("/don-vi/mau-nhap.xlsx", {"don_vi": unit})
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/tuyen-truyen/", "/dien-hinh/doi-tuong/", "/dien-hinh/de-cu/"])
@pytest.mark.parametrize("text", ["dong\x00khe", "01450\x1b"])
def test_unit_filter_typed_text_refuses_control_characters(cast, url, text):
    response = cast.client_for(cast.province_admin).get(url, {"don_vi_text": text})
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("q", ["dong\x00khe", "dong\x1bkhe"])
def test_chooser_search_refuses_control_characters(cast, q):
    response = cast.client_for(cast.province_admin).get("/don-vi/chon/don-vi/", {"q": q})
    assert response.status_code == 200
    assert "Xã Đông Khê" not in response.content.decode()
