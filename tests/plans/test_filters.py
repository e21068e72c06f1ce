"""Query strings of the plans pages are parsed by forms: hostile values give a Vietnamese
message or a 404, never a server error (on SQLite and PostgreSQL alike)."""

import datetime as dt

import pytest

from guongsang.plans.models import Reminder

from .conftest import TODAY, frozen

YEAR_MESSAGE = "Năm phải là số từ 1900 đến 2100."
CONTROL_MESSAGE = "Không được có ký tự điều khiển (như ký tự NUL)."
NOT_NUMBERS = ["²", "١٢", "2026\x00", "9" * 40, "-2026", "99999", "0", "1899", "2026.5"]


@pytest.mark.parametrize("year", NOT_NUMBERS)
def test_document_list_refuses_a_year_that_is_not_one(cast, plan, year):
    response = cast.client_for(cast.province_admin).get("/van-ban/", {"hop": "di", "nam": year})
    assert response.status_code == 200
    html = response.content.decode()
    assert YEAR_MESSAGE in html
    assert plan.abstract in html  # the year is ignored, the list still shows


def test_document_list_filters_by_a_year(cast, plan):
    client = cast.client_for(cast.province_admin)
    html = client.get("/van-ban/", {"hop": "di", "nam": TODAY.year}).content.decode()
    assert plan.abstract in html and YEAR_MESSAGE not in html
    html = client.get("/van-ban/", {"hop": "di", "nam": TODAY.year - 1}).content.decode()
    assert plan.abstract not in html


@pytest.mark.parametrize("q", ["a\x00b", "tuyen\x1ftruyen", "\x7f", "x" * 201])
def test_document_list_refuses_control_characters_and_overlong_searches(cast, plan, q):
    response = cast.client_for(cast.province_admin).get("/van-ban/", {"hop": "di", "q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert (CONTROL_MESSAGE if len(q) < 200 else "200") in html
    assert plan.abstract in html  # the search is ignored


def test_document_list_ignores_unknown_boxes_and_types(cast, plan):
    client = cast.client_for(cast.province_admin)
    response = client.get("/van-ban/", {"hop": "x\x00", "loai": "²"})
    # An unknown box is the default one: for the province, which received nothing, what it sent.
    assert response.status_code == 200 and response.context["tab"] == "di"
    html = client.get("/van-ban/", {"hop": "di", "loai": "KH\x00"}).content.decode()
    assert plan.abstract in html


@pytest.mark.parametrize("q", ["a\x00b", "\x1b"])
def test_board_refuses_control_characters(cast, plan, q):
    response = cast.client_for(cast.province_admin).get(f"/van-ban/{plan.pk}/theo-doi/", {"q": q})
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("recipient", ["²", "١", "1\x00", "9" * 40, "-1"])
def test_reminding_an_id_that_is_not_one_is_not_found(cast, plan, recipient):
    deadline = plan.tasks.order_by("deadline").first().deadline
    with frozen(deadline + dt.timedelta(days=1)):
        response = cast.client_for(cast.province_admin).post(
            f"/van-ban/{plan.pk}/don-doc/", {"recipient": recipient}
        )
    assert response.status_code == 404
    assert not Reminder.objects.exists()
