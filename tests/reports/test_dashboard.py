"""The home page's dashboard: the year's figures against last year, what is overdue, leaders."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guongsang.accounts.models import User
from guongsang.reports import dashboard, figures
from guongsang.units.models import Unit, UnitKind

from ..factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_the_provinces_dashboard_shows_the_years_figures_and_its_communes(demo, client):
    province = Unit.objects.get(code="04")
    today = timezone.localdate()
    s = figures.summary(province, dt.date(today.year, 1, 1), today)
    board = dashboard.build(province, today)
    assert [(f.key, f.now, f.before) for f in board.figures] == [
        (key, s.total.get(key, 0), s.previous_total.get(key, 0))
        for key, _l in dashboard.KEY_FIGURES
    ]
    assert board.leading and board.lagging
    assert board.leading[0].activities >= board.leading[-1].activities
    assert board.missing_reports == 56 - 23  # the six-month round, past its deadline
    page = login(client, "tinh.thuongtruc").get("/bao-cao/bang-tin/").content.decode()
    assert "Hội LHPN tỉnh Cao Bằng: số liệu năm" in page
    assert "Dẫn đầu về hoạt động" in page and "Cần đôn đốc" in page
    assert "33 báo cáo quá hạn chưa nộp" in page
    assert "<svg" in page and "<title" in page  # the chart has its text alternative


def test_a_commune_sees_its_own_dashboard_only(demo, client):
    c = login(client, "dongkhe.canbo")
    page = c.get("/bao-cao/bang-tin/").content.decode()
    assert "Hội LHPN xã Đông Khê: số liệu năm" in page
    other = Unit.objects.get(name="Phường Tân Giang", valid_to__isnull=True, kind="commune")
    assert c.get("/bao-cao/bang-tin/", {"don_vi": other.pk}).status_code == 404
    for bad in ("²", "a\x00", "9" * 40):
        assert c.get("/bao-cao/bang-tin/", {"don_vi": bad}).status_code == 400


def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_units(demo, client):
    c = login(client, "tinh.thuongtruc")
    province = Unit.objects.get(code="04")
    with CaptureQueriesContext(connection) as small:
        dashboard.build(province)
    # Add a hundred communes' worth of units: the count must not move.
    for i in range(100):
        make_unit(f"Xã Thử {i}", UnitKind.COMMUNE, province)
    with CaptureQueriesContext(connection) as large:
        dashboard.build(province)
    assert len(large) == len(small)
    assert c.get("/bao-cao/bang-tin/").status_code == 200
