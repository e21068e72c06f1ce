"""Pages asked for with nonsense or huge numbers never reach the database as an OFFSET that
overflows: every paginated list answers 200."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = [
    "exemplars:subject_list",
    "exemplars:nomination_list",
    "exemplars:exemplar_list",
    "outreach:activity_list",
]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("page", ["9" * 30, "-5", "abc", "²", "1e9", "\u0661\u0662"])
def test_any_page_number_gives_a_page(cast, name, page):
    response = cast.client_for(cast.province_admin).get(reverse(name), {"page": page})
    assert response.status_code == 200


def test_search_with_a_huge_page_number(cast):
    response = cast.client_for(cast.province_admin).get(
        reverse("exemplars:subject_list"), {"q": "hoa", "page": "9" * 30}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "9" * 30, "-1", "\x00", "1e9"])
def test_numeric_filters_ignore_what_is_not_a_bounded_number(cast, value):
    from django.test import Client

    for params in ({"nam": value}, {"xa": value}, {"phong_trao": value}):
        assert Client().get(reverse("public:story_list"), params).status_code == 200
    client = cast.client_for(cast.province_admin)
    for params in ({"hinh_thuc": value}, {"phong_trao": value}):
        assert client.get(reverse("outreach:activity_list"), params).status_code == 200


@pytest.mark.parametrize("name", LISTS[:3])
@pytest.mark.parametrize("value", ["²", "9" * 30, "-1"])
def test_exemplar_list_filters_ignore_what_is_not_a_bounded_number(cast, name, value):
    client = cast.client_for(cast.province_admin)
    assert client.get(reverse(name), {"nam": value, "phong_trao": value}).status_code == 200
