"""Decisions and certificates over the API (issue 9, point 9): same access as the pages, each
certificate with its verify_url; the public verification needs no token and says only what the
public page says."""

import datetime as dt

import pytest
from django.test import Client

from guongsang.awards import decisions
from guongsang.awards.models import Certificate

from .test_decisions import closed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cast, closed):  # noqa: F811
    session, hoa, _lan = closed
    decision = decisions.decision_draft(by=cast.province_admin, session=session)
    decision = decisions.decision_issue(
        by=cast.province_admin, decision=decision, on=dt.date(2024, 7, 1)
    )
    assert decision.document.symbol  # the issued document, numbered
    return decision


def test_decisions_with_their_certificates(cast, api, issued):
    body = api(cast.province_admin).get(f"/api/v1/award-decisions/{issued.pk}").json()
    assert body["number"] == issued.document.symbol and body["issued"] is True
    [line] = body["lines"]
    code = Certificate.objects.get().code
    assert line["subject"] == "=Lò Thị Hoa" and line["prize_amount"] in (702000, "702000")
    assert line["certificate"]["code"] == code
    assert line["certificate"]["verify_url"].endswith(f"/xac-minh/{code}/")
    listed = api(cast.province_admin).get("/api/v1/award-decisions").json()
    assert [d["id"] for d in listed] == [issued.pk]


def test_another_unit_sees_nothing(cast, api, issued):
    for user in (cast.a_staff, cast.b_staff):
        client = api(user)
        assert client.get(f"/api/v1/award-decisions/{issued.pk}").status_code == 404
        assert client.get("/api/v1/award-decisions").json() == []
    assert api(cast.a_staff).get("/api/v1/award-decisions/99999999999").status_code in (404, 422)


def test_public_verification_without_a_token(issued):
    code = Certificate.objects.get().code
    body = Client().get(f"/api/v1/public/certificates/{code}").json()
    assert body == {
        "valid": True,
        "revoked": False,
        "name": "=Lò Thị Hoa",
        "award": "Lao động tiên tiến",
        "year": issued.year,
        "decision_number": issued.document.symbol,
        "decision_date": "2024-07-01",
        "issued_by": "Hội LHPN tỉnh Cao Bằng",
    }
    assert Client().get("/api/v1/public/certificates/AAAAAAAAAAAAAAAA").status_code == 404
    assert Client().get("/api/v1/public/certificates/%00").status_code == 404
