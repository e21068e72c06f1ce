"""The session read written as SQL (core/sessions.py) keeps Django's rules: a session counts
until it expires, logout ends it, an unknown or malformed key is nobody."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

HOME = reverse("home")


def cookie_client(key: str) -> Client:
    client = Client()
    client.cookies["sessionid"] = key
    return client


def test_a_session_works_until_logout(cast):
    client = cast.client_for(cast.a_staff)
    key = client.cookies["sessionid"].value
    assert cookie_client(key).get(HOME).status_code == 200
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    response = cookie_client(key).get(HOME)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_expired_session_is_nobody(cast):
    client = cast.client_for(cast.a_staff)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert cookie_client(key).get(HOME).status_code == 302


def test_unknown_and_malformed_keys_are_nobody(db):
    for key in ("x" * 32, "", "'; DROP TABLE django_session; --", "é" * 40):
        assert cookie_client(key).get(HOME).status_code == 302
    assert Session.objects.count() == 0
