import os
import subprocess
import sys
from pathlib import Path

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


def test_refuses_to_start_without_debug_and_with_dev_key(tmp_path):
    result = _start({"DEBUG": "0", "VAR_DIR": str(tmp_path)})  # no var/secret_key there
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_reads_the_key_make_run_wrote(tmp_path):
    """After `make run`, `.venv/bin/guongsang …` finds var/secret_key by itself (README)."""
    (tmp_path / "secret_key").write_text("a-generated-key-0123456789-abcdefghijklmnop\n")
    env = {"DEBUG": "0", "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "from guongsang import settings; print(settings.SECRET_KEY)"],
        env={k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}} | env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a-generated-key-0123456789-abcdefghijklmnop"


def test_the_readme_production_settings_pass_check_deploy(tmp_path):
    """The environment of the README's "Production" block, as written (the database and the
    key stand in for the placeholders): `guongsang check --deploy` finds nothing."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Production on PostgreSQL", 1)[1].split("```sh", 1)[1]
    block = block.split("```", 1)[0]
    exported = block.split("export ", 1)[1].split("\nguongsang ", 1)[0].replace("\\\n", " ")
    env = dict(pair.split("=", 1) for pair in exported.split())
    assert {"SECURE_COOKIES", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"} <= set(env)
    env |= {
        "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
    }
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=base | env | {"DJANGO_SETTINGS_MODULE": "guongsang.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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


def test_an_expired_session_sends_the_whole_page_to_the_login_not_a_box(client, db):
    """An HTMX fragment asked for without a session: HX-Redirect to the login page, never the
    login page swapped into a box of the page."""
    response = client.get("/?viec_can_lam=1", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"].startswith("/dang-nhap/")
    plain = client.get("/?viec_can_lam=1")
    assert plain.status_code == 302 and plain["Location"].startswith("/dang-nhap/")
