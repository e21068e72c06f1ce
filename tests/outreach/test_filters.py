"""Query strings of the outreach pages are parsed by forms: hostile values give a Vietnamese
message or a 404, never a server error (on SQLite and PostgreSQL alike)."""

import datetime as dt

import pytest
from django.test import Client

from guongsang.outreach.models import ActivityForm

from .conftest import HOI_NGHI, XLSX, form, make_activity

LIST = "/tuyen-truyen/"
PUBLIC = "/chuyen-muc/bai-viet/"
CONTROL_MESSAGE = "Không được có ký tự điều khiển (như ký tự NUL)."
YEAR_MESSAGE = "Năm phải là số từ 1900 đến 2100."
NOT_IDS = ["²", "١", "1\x00", "9" * 40, "-1", "0", "1.5"]


@pytest.fixture
def activity(cast):
    return make_activity(cast.a_staff, cast.branch_a, title="Hội nghị biểu dương phụ nữ")


@pytest.mark.parametrize("q", ["a\x00b", "hoi\x1fnghi", "a\x85b"])
def test_activity_search_refuses_control_characters(cast, activity, q):
    client = cast.client_for(cast.a_staff)
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert CONTROL_MESSAGE in html and activity.title in html  # the search is ignored
    export = client.get(LIST, {"q": q, "xuat": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"] == XLSX


@pytest.mark.parametrize("day", ["2026-02-30", "²", "2026-03-01\x00", "99999-01-01", "01/03/2026"])
def test_activity_days_that_are_not_days_are_named(cast, activity, day):
    response = cast.client_for(cast.a_staff).get(LIST, {"tu": day, "den": day})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“Từ ngày” không phải một ngày." in html
    assert "“Đến ngày” không phải một ngày." in html
    assert activity.title in html


def test_activity_days_filter(cast, activity):
    client = cast.client_for(cast.a_staff)
    after = (activity.date + dt.timedelta(days=1)).isoformat()
    assert activity.title not in client.get(LIST, {"tu": after}).content.decode()
    assert activity.title in client.get(LIST, {"den": after}).content.decode()


@pytest.mark.parametrize("value", NOT_IDS)
def test_activity_id_filters_ignore_what_is_not_an_id(cast, activity, value):
    response = cast.client_for(cast.a_staff).get(LIST, {"hinh_thuc": value, "phong_trao": value})
    assert response.status_code == 200
    assert activity.title in response.content.decode()


@pytest.mark.parametrize("pk", NOT_IDS)
def test_editing_an_activity_form_that_is_not_one_is_not_found(cast, pk):
    before = list(ActivityForm.objects.values_list("pk", "name"))
    response = cast.client_for(cast.province_admin).post(
        "/tuyen-truyen/hinh-thuc/", {"pk": pk, "name": "Sân khấu hóa"}
    )
    assert response.status_code == 404
    assert list(ActivityForm.objects.values_list("pk", "name")) == before


def test_editing_an_activity_form_by_its_id(cast):
    target = form(HOI_NGHI)
    response = cast.client_for(cast.province_admin).post(
        "/tuyen-truyen/hinh-thuc/", {"pk": str(target.pk), "name": "Hội nghị chuyên đề"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.name == "Hội nghị chuyên đề"


@pytest.mark.parametrize("state", ["x\x00", "²", "published\x00"])
def test_story_list_ignores_unknown_states(cast, state):
    response = cast.client_for(cast.a_staff).get("/tuyen-truyen/bai-viet/", {"trang_thai": state})
    assert response.status_code == 200


# ---- the public column (no login) -------------------------------------------------------------
@pytest.mark.parametrize("field", ["q", "xa_ten"])
@pytest.mark.parametrize("text", ["a\x00b", "dong\x1bkhe"])
def test_public_searches_refuse_control_characters(db, field, text):
    response = Client().get(PUBLIC, {field: text})
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("year", ["²", "١٢", "99999", "-2026", "2026\x00", "9" * 40])
def test_public_year_that_is_not_one_is_named(db, year):
    response = Client().get(PUBLIC, {"nam": year})
    assert response.status_code == 200
    assert YEAR_MESSAGE in response.content.decode()


@pytest.mark.parametrize("value", NOT_IDS)
def test_public_ids_kinds_and_pages_that_are_not_ones_are_ignored(db, value):
    response = Client().get(
        PUBLIC,
        {"xa": value, "phong_trao": value, "doi_tuong": value, "loai": value, "page": value},
    )
    assert response.status_code == 200
    assert CONTROL_MESSAGE not in response.content.decode()


@pytest.mark.parametrize("pk", ["9" * 40, str(2**63)])
def test_public_image_with_a_huge_id_is_not_found(db, pk):
    assert Client().get(f"/chuyen-muc/anh/{pk}/").status_code == 404
