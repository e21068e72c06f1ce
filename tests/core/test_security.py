import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_security_headers(cast):
    response = cast.client_for(cast.a_staff).get(reverse("units:tree"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_no_inline_script_or_style_in_pages(cast):
    client = cast.client_for(cast.province_admin)
    for url in (
        reverse("home"),
        reverse("units:tree"),
        reverse("units:detail", args=[cast.commune_a.pk]),
        reverse("units:search") + "?q=dong",
        reverse("accounts:account_list"),
        reverse("accounts:account_create"),
    ):
        body = client.get(url).content.decode()
        assert "<style" not in body, url
        assert " style=" not in body, url
        for chunk in body.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), url
        assert "http://" not in body.replace("http://testserver", "") and "https://" not in body, (
            url
        )


def test_assets_are_served_by_the_app(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "/static/gs/css/app.css" in body and "/static/gs/js/htmx.min.js" in body


def test_mobile_viewport(client, db):
    assert (
        'name="viewport" content="width=device-width, initial-scale=1"'
        in client.get(reverse("accounts:login")).content.decode()
    )


def _start(env_extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(env_extra)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='guongsang.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_debug_and_with_dev_key():
    result = _start({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_starts_with_a_real_key_or_in_debug():
    assert (
        _start({"DEBUG": "0", "SECRET_KEY": "a-real-secret-for-this-test-0123456789"}).returncode
        == 0
    )
    assert _start({"DEBUG": "1"}).returncode == 0


def test_email_url_parsing():
    from guongsang.settings import parse_email_url

    assert parse_email_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = parse_email_url("smtp://hoi%40caobang.vn:m%E1%BA%ADt@mail.example.vn:587")
    assert smtp["EMAIL_HOST"] == "mail.example.vn" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "hoi@caobang.vn" and smtp["EMAIL_USE_TLS"]


def test_healthz(client, db):
    assert client.get("/healthz").content == b"ok"
