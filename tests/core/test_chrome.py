"""The header's navigation and the footer's language choice are rendered once per language,
section and role, then reused: what each user sees must still be hers."""

import re

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.deactivate()


def nav_of(client, url) -> str:
    body = client.get(url).content.decode()
    return re.search(r'<nav class="mainnav".*?</nav>', body, re.S).group(0)


def current(nav: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)</a>', nav)


def test_the_current_section_is_marked(cast):
    client = cast.client_for(cast.province_admin)
    assert current(nav_of(client, reverse("units:tree"))) == ["Đơn vị"]
    assert current(nav_of(client, reverse("units:search"))) == ["Tìm"]
    assert current(nav_of(client, reverse("exemplars:nomination_list"))) == ["Điển hình"]
    assert current(nav_of(client, reverse("accounts:account_list"))) == ["Tài khoản"]
    assert current(nav_of(client, reverse("accounts:password_change"))) == []
    assert current(nav_of(client, reverse("home"))) == []


def test_the_accounts_link_only_for_those_who_manage(cast):
    url = reverse("units:tree")
    admin = nav_of(cast.client_for(cast.province_admin), url)
    viewer = nav_of(cast.client_for(cast.branch_viewer), url)
    assert reverse("accounts:account_list") in admin
    assert reverse("accounts:account_list") not in viewer
    assert reverse("accounts:account_list") in nav_of(cast.client_for(cast.province_admin), url)


def test_each_language_has_its_own_chrome(cast):
    client = cast.client_for(cast.province_admin)
    url = reverse("units:tree")
    assert ">Đơn vị</a>" in nav_of(client, url)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(url).content.decode()
    assert ">Units</a>" in body and ">Đơn vị</a>" not in body
    assert '<option value="en" selected>' in body
    other = cast.client_for(cast.branch_viewer)  # still Vietnamese
    body = other.get(url).content.decode()
    assert ">Đơn vị</a>" in body and '<option value="vi" selected>' in body
