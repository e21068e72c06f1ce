"""Report forms, rounds and units' reports over the API: same access rules as the pages."""

import pytest

from guongsang.plans.models import Assignment
from guongsang.reports.models import ReportState, ReportValue

from .test_services import make_form, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(cast):
    return open_round(cast, make_form(cast.province_admin, cast.province))


def test_forms_and_rounds_are_listed_for_whoever_may_see_them(cast, rnd, api):
    forms = api(cast.a_staff).get("/api/v1/reports/forms").json()
    assert [f["code"] for f in forms["items"]] == ["BC6T"]
    assert api(cast.outsider).get("/api/v1/reports/forms").json()["count"] == 0
    detail = api(cast.a_staff).get(f"/api/v1/reports/forms/{rnd.form_id}").json()
    assert [i["code"] for i in detail["indicators"]] == ["HD", "NTG", "HV", "TL", "CLB", "HC"]
    assert detail["indicators"][2]["at_most"] == "NTG"
    assert api(cast.outsider).get(f"/api/v1/reports/forms/{rnd.form_id}").status_code == 404

    rounds = api(cast.a_staff).get("/api/v1/reports/rounds").json()
    assert [r["id"] for r in rounds["items"]] == [rnd.pk]
    assert rounds["items"][0]["state"] == "open"
    assert api(cast.outsider).get("/api/v1/reports/rounds").json()["count"] == 0
    assert api(cast.outsider).get(f"/api/v1/reports/rounds/{rnd.pk}").status_code == 404


def test_fill_submit_and_return_through_the_api(cast, rnd, api):
    a = api(cast.a_staff)
    opened = a.post(f"/api/v1/reports/rounds/{rnd.pk}/open", {"unit": cast.commune_a.pk})
    assert opened.status_code == 200, opened.content
    report = opened.json()
    assert report["state"] == "draft" and len(report["values"]) == 6
    url = f"/api/v1/reports/unit-reports/{report['id']}/values"

    bad = a.post(
        url,
        {
            "version": report["version"],
            "values": [
                {"code": "HD", "number": -3},
                {"code": "NTG", "number": "10"},
                {"code": "HV", "number": "20"},
                {"code": "TL", "number": "²"},
            ],
        },
    )
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert errors["TL"] == ["Chỉ dùng các chữ số 0–9."]
    bad = a.post(
        url,
        {
            "version": report["version"],
            "values": [
                {"code": "HD", "number": -3},
                {"code": "NTG", "number": 10},
                {"code": "HV", "number": 20},
            ],
        },
    )
    assert bad.json()["errors"] == {
        "HD": ["Không được là số âm."],
        "HV": ["Không được lớn hơn “Số người tham dự” (10)."],
    }
    assert not ReportValue.objects.filter(report_id=report["id"]).exclude(number=None).exists()
    for body in (
        {"version": report["version"], "values": [{"code": "HC", "text": "a\x00b"}]},
        {"version": report["version"], "values": [{"code": "HD", "number": "1e400"}]},
        {"version": report["version"], "values": [{"code": "HD", "number": "NaN"}]},
    ):
        assert a.post(url, body).status_code == 400

    ok = a.post(
        url,
        {
            "version": report["version"],
            "values": [{"code": "HD", "number": 4}, {"code": "HC", "text": "Chưa đều"}],
            "submit": True,
        },
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["state"] == "submitted"
    assert Assignment.objects.get(task=rnd.task, recipient__unit=cast.commune_a).done_at
    stale = a.post(url, {"version": report["version"], "values": []})
    assert stale.status_code == 400

    # Another commune cannot read it; the commune cannot return it; the province can.
    rid = report["id"]
    assert api(cast.b_staff).get(f"/api/v1/reports/unit-reports/{rid}").status_code == 404
    assert api(cast.outsider).post(url, {"version": 3, "values": []}).status_code == 404
    version = ok.json()["version"]
    back = f"/api/v1/reports/unit-reports/{rid}/return"
    assert a.post(back, {"version": version, "reason": "Sai"}).status_code == 400
    returned = api(cast.province_admin).post(back, {"version": version, "reason": "Thiếu số liệu"})
    assert returned.status_code == 200 and returned.json()["state"] == ReportState.RETURNED
    listed = api(cast.province_admin).get(f"/api/v1/reports/rounds/{rnd.pk}/reports").json()
    assert [r["unit"] for r in listed["items"]] == ["Xã Đông Khê"]
    assert api(cast.b_staff).get(f"/api/v1/reports/rounds/{rnd.pk}/reports").json()["count"] == 0


def test_a_commune_cannot_open_another_communes_report(cast, rnd, api):
    r = api(cast.b_staff).post(f"/api/v1/reports/rounds/{rnd.pk}/open", {"unit": cast.commune_a.pk})
    assert r.status_code == 404
    r = api(cast.b_staff).post(f"/api/v1/reports/rounds/{rnd.pk}/open", {"unit": 10**12})
    assert r.status_code in (404, 422)
