"""The bare one-query view of the throughput benchmark: never wired by default, one query."""

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from guongsang.units.bench_views import bare, bare_logged_in
from tests.factories import UnitKind, make_unit


def test_not_wired_by_default():
    for name in ("bench_bare", "bench_bare_logged_in"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


@pytest.mark.django_db
def test_one_query_and_a_few_bytes(django_assert_num_queries):
    make_unit("Trung ương Hội LHPN Việt Nam", UnitKind.CENTRAL)
    with django_assert_num_queries(1):
        response = bare(RequestFactory().get("/bench/bare/"))
    assert response.status_code == 200
    assert response.content.startswith(b"ok ")
    assert len(response.content) < 200


@pytest.mark.django_db
def test_logged_in_variant_reads_the_session_and_account_only(client, django_assert_num_queries):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.middleware import SessionMiddleware

    from tests.factories import make_user

    unit = make_unit("Trung ương Hội LHPN Việt Nam", UnitKind.CENTRAL)
    user = make_user(unit, None, username="do.do", full_name="Đỗ Thị Đô")
    client.force_login(user)
    request = RequestFactory().get("/bench/bare-logged-in/")
    request.COOKIES.update({k: v.value for k, v in client.cookies.items()})
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    with django_assert_num_queries(3):  # the session, the account, the view's own query
        response = bare_logged_in(request)
    assert response.status_code == 200 and response.content.startswith(b"ok ")
    anonymous = RequestFactory().get("/bench/bare-logged-in/")
    anonymous.user = AnonymousUser()
    assert bare_logged_in(anonymous).status_code == 403
