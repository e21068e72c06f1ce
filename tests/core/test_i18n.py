"""Vietnamese by default, English on request, and a complete English catalogue."""

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from guongsang.core.templatetags.vn import ngay_thang

CHECKER = Path(__file__).resolve().parents[2] / "scripts" / "check_messages.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_messages", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _reset_language():
    """Requests activate a language for the thread; don't let English leak into other tests."""
    yield
    translation.deactivate()


def _switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_login_page_is_vietnamese_by_default(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert "Tên đăng nhập" in body and "Mật khẩu" in body
    assert "Sign in" not in body


def test_unit_tree_is_vietnamese_by_default(cast):
    body = cast.client_for(cast.a_staff).get(reverse("units:tree")).content.decode()
    assert '<html lang="vi">' in body
    assert "Cây đơn vị" in body and "Đăng xuất" in body


def test_login_page_in_english_after_setlang(client, db):
    _switch_to_english(client)
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in body
    assert "Sign in to Gương Sáng" in body
    assert "Username" in body and "Password" in body
    assert "Đăng nhập" not in body and "Mật khẩu" not in body


def test_unit_tree_in_english_after_setlang(cast):
    client = cast.client_for(cast.a_staff)
    _switch_to_english(client)
    body = client.get(reverse("units:tree")).content.decode()
    assert '<html lang="en">' in body
    assert "Unit tree" in body and "Sign out" in body and "Find a unit" in body
    assert "Cây đơn vị" not in body and "Đăng xuất" not in body
    # Unit names are data, not interface text: they stay as entered.
    assert "Xã Đông Khê" in body


def test_language_switch_back_to_vietnamese(client, db):
    _switch_to_english(client)
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in body and "Đăng nhập" in body


def test_english_catalogue_complete_and_compiled():
    checker = _checker()
    entries = checker.parse_po(checker.PO)
    assert len(entries) > 100
    untranslated = [
        entry["msgid"]
        for entry, fuzzy in entries
        if entry.get("msgid")
        and (fuzzy or not all(v for k, v in entry.items() if k.startswith("msgstr")))
    ]
    assert untranslated == []
    assert checker.problems() == []


def test_english_catalogue_keeps_placeholders():
    checker = _checker()
    placeholder = r"%\([a-z_]+\)[sd]"
    for entry, _fuzzy in checker.parse_po(checker.PO):
        msgid = entry.get("msgid")
        if not msgid:
            continue
        wanted = sorted(re.findall(placeholder, msgid))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert sorted(re.findall(placeholder, value)) == wanted, msgid


def test_dates_render_dd_mm_yyyy_in_vietnamese():
    with translation.override("vi"):
        rendered = Template("{{ d }}|{{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"d": dt.date(2024, 2, 5)})
        )
    assert rendered == "05/02/2024|05/02/2024"


def test_closed_unit_page_shows_dd_mm_yyyy(cast):
    closed_on = cast.former_commune.valid_to
    assert closed_on is not None
    client = cast.client_for(cast.province_admin)
    body = client.get(reverse("units:detail", args=[cast.former_commune.pk])).content.decode()
    assert closed_on.strftime("%d/%m/%Y") in body
    assert closed_on.isoformat() not in body


def test_ngay_thang_filter():
    assert ngay_thang(dt.date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert ngay_thang(dt.date(2017, 7, 28)) == "ngày 28 tháng 7 năm 2017"
    assert ngay_thang(None) == ""


def test_ngay_thang_in_a_template():
    rendered = Template("{% load vn %}{{ d|ngay_thang }}").render(
        Context({"d": dt.date(2024, 2, 5)})
    )
    assert rendered == "ngày 05 tháng 02 năm 2024"
