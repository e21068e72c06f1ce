"""GET /api/v1/reports/summary: the same figures and access rules as the page, and totals that
agree with the list endpoints for the same unit and period."""

import pytest

from ..api.test_units_api import Api
from .test_figures import records  # noqa: F401 (fixture)

URL = "/api/v1/reports/summary"
H1 = {"from": "2026-01-01", "to": "2026-06-30"}


def test_summary_per_child_and_total(cast, records):  # noqa: F811
    api = Api(cast.province_admin)
    body = api.ok(URL, unit=cast.province.pk, **H1)
    assert body["unit"]["name"] == "Tỉnh Cao Bằng"
    assert body["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    assert body["previous_period"] == {"from": "2025-01-01", "to": "2025-06-30"}
    assert body["former_structure"] is False
    rows = {("*" if r["own"] else "") + r["unit"]["name"]: r for r in body["rows"]}
    assert list(rows) == ["Phường Tân Giang", "Xã Đông Khê", "*Tỉnh Cao Bằng"]
    assert rows["Xã Đông Khê"]["figures"]["participants"] == 75
    assert rows["Xã Đông Khê"]["previous"]["participants"] == 30
    total = body["total"]
    assert (total["activities"], total["participants"], total["members"]) == (6, 237, 187)
    assert total["exemplars.recognised"] == 2 and total["nominations.discovered"] == 3
    assert total["replications"] == 2 and total["stories.published"] == 2
    assert body["previous_total"]["activities"] == 2
    for key, value in total.items():
        assert sum(r["figures"].get(key, 0) for r in body["rows"]) == value
    assert body["labels"]["activities@hoi-nghi"] == "Hoạt động tuyên truyền: Hội nghị"

    former = api.ok(URL, unit=cast.province.pk, former="true", **H1)
    names = [r["unit"]["name"] for r in former["rows"]]
    assert "Huyện Thạch An" in names and former["total"] == total


def test_totals_equal_the_list_endpoints(cast, records):  # noqa: F811
    api = Api(cast.province_admin)
    for unit in (cast.province, cast.commune_b, cast.branch_a):
        total = api.ok(URL, unit=unit.pk, **H1)["total"]
        listed = api.ok(
            "/api/v1/activities",
            unit=unit.pk,
            date_from=H1["from"],
            date_to=H1["to"],
            page_size=100,
        )
        assert total.get("activities", 0) == listed["count"]
        assert total.get("participants", 0) == sum(a["participants"] for a in listed["items"])
        assert total.get("members", 0) == sum(a["members"] for a in listed["items"])
        for form in ("Hội nghị", "Sinh hoạt chi hội"):
            slug = {"Hội nghị": "hoi-nghi", "Sinh hoạt chi hội": "sinh-hoat-chi-hoi"}[form]
            assert total.get(f"activities@{slug}", 0) == sum(
                1 for a in listed["items"] if a["form_name"] == form
            )


def test_access_rules(cast, records):  # noqa: F811
    api = Api(cast.a_staff)
    for unit in (cast.commune_b, cast.province, cast.other_commune):
        r = api.get(URL, unit=unit.pk, **H1)
        assert r.status_code == 404 and r.json() == {"detail": "Không tìm thấy."}
    body = api.ok(URL, **H1)  # default: her commune
    assert body["unit"]["id"] == cast.commune_a.pk
    assert body["total"]["participants"] == 75
    assert Api(cast.outsider).get(URL, unit=cast.province.pk).status_code == 404
    assert Api(cast.outsider).ok(URL, unit=cast.other_province.pk, **H1)["total"][
        "participants"] == 999  # fmt: skip
    r = api.client.get(URL, {"unit": cast.commune_a.pk})  # no token
    assert r.status_code == 401


@pytest.mark.parametrize(
    "params, status",
    [
        ({"from": "2026-13-40"}, 422),
        ({"from": "2026-01-01\x00"}, 422),
        ({"to": "²"}, 422),
        ({"unit": "²"}, 422),
        ({"unit": "99999999999999999999999"}, 422),
        ({"unit": "0"}, 422),
        ({"from": "1800-01-01"}, 400),
        ({"from": "2026-06-30", "to": "2026-01-01"}, 400),
        ({"from": "2001-01-01", "to": "2026-01-01"}, 400),
        ({"former": "peut-être"}, 422),
    ],
)
def test_bad_input(cast, params, status):
    r = Api(cast.province_admin).get(URL, **params)
    assert r.status_code == status, r.content
    if status == 400:
        assert r.json()["detail"][0].startswith(("Ngày", "Khoảng"))


def test_openapi_describes_the_summary(db):
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/reports/summary"]["get"]["parameters"]}
    assert params == {"unit", "from", "to", "former"}
