"""The bare one-query view of the throughput benchmark: never wired by default, one query."""

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from guongsang.units.bench_views import bare
from tests.factories import UnitKind, make_unit


def test_not_wired_by_default():
    with pytest.raises(NoReverseMatch):
        reverse("bench_bare")


@pytest.mark.django_db
def test_one_query_and_a_few_bytes(django_assert_num_queries):
    make_unit("Trung ương Hội LHPN Việt Nam", UnitKind.CENTRAL)
    with django_assert_num_queries(1):
        response = bare(RequestFactory().get("/bench/bare/"))
    assert response.status_code == 200
    assert response.content.startswith(b"ok ")
    assert len(response.content) < 200
