"""Schemathesis over the whole JSON API (issue 11, point 3): every operation, as a province
admin and as commune staff, gets generated valid and invalid input; no answer may be a server
error or disagree with the OpenAPI document (status code, content type, body schema)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks as st_checks
from schemathesis.config import SchemathesisConfig

from guongsang.api.api import api
from guongsang.wsgi import application

from .test_units_api import token_for

# Loaded from the app itself, no request: the document the server publishes.
# A schema-valid request may still break a business rule only a service can judge (a unit
# outside the holder's subtree, an empty name, a period longer than ten years, an id that names
# nothing): the service refuses it with a 400 and its message, so 400 counts as an acceptable
# answer to positive data as well.
CONFIG = SchemathesisConfig.from_dict(
    {
        # The API ignores query parameters it does not know (a cache-busting "_=" and the
        # like), as HTTP APIs commonly do, so an unknown one is not counted as invalid input.
        "generation": {"allow-extra-parameters": False},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409"]
            }
        },
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = application

# Every response check that judges a single call against the document. The stateful ones
# (use_after_free, ensure_resource_availability) need linked operations and are left to a
# stateful run; max_response_time is not set.
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
    st_checks.response_headers_conformance,
    st_checks.negative_data_rejection,
    st_checks.positive_data_acceptance,
]
# These send requests of their own (without the token, with another method, without a required
# header) whose answer does not depend on who holds the token: run once, for the first holder.
CHECKS_ONCE = [
    st_checks.missing_required_header,
    st_checks.unsupported_method,
    st_checks.ignored_auth,
]


@pytest.fixture
def tokens(cast):
    return [token_for(cast.province_admin), token_for(cast.a_staff)]


@pytest.fixture
def keep_test_connection():
    """The calls go straight to the WSGI handler, which closes the database connection at the
    end of every request (Django's test client switches that off, this does the same): on
    PostgreSQL that would drop the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    # Bounded so the suite stays fast (about 50 s per database on two cores); raise it for a
    # deeper hunt with GS_SCHEMATHESIS_EXAMPLES=100.
    max_examples=int(os.environ.get("GS_SCHEMATHESIS_EXAMPLES", "10")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_document(case, tokens, keep_test_connection):
    for index, token in enumerate(tokens):
        checks = CHECKS + CHECKS_ONCE if index == 0 else CHECKS
        # Straight to the WSGI handler, nothing decompresses: ask for plain bodies (a real
        # client gets them compressed, see tests/core/test_compression.py).
        headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
        case.call_and_validate(headers=headers, checks=checks)


# The 500s issue 11 lists, each pinned by hand: the generated run above need not hit them.


def _activity(cast, **changes):
    from guongsang.outreach.models import ActivityForm

    form = ActivityForm.objects.first() or ActivityForm.objects.create(name="Sinh hoạt", order=1)
    return {
        "unit_id": cast.commune_a.pk,
        "date": "2026-03-08",
        "form_id": form.pk,
        "title": "Sinh hoạt chuyên đề",
        **changes,
    }


@pytest.mark.django_db
def test_bad_input_named_in_the_issue_is_refused_not_a_crash(cast, api):
    admin, staff = api(cast.province_admin), api(cast.a_staff)
    assert admin.get("/api/v1/units", page=10**12).status_code == 422
    assert admin.get("/api/v1/units", page=10_000).status_code == 200
    assert admin.get("/api/v1/activities", unit=2**63).status_code == 422
    assert admin.get("/api/v1/activities", date_to="0").status_code == 422

    refused = admin.get("/api/v1/units", q="a\x00b")
    assert refused.status_code == 400
    assert refused.json()["code"] == "control_characters"
    assert refused.json()["detail"] == ["Không được có ký tự điều khiển (như ký tự NUL)."]

    assert staff.post("/api/v1/activities", _activity(cast, members=-1)).status_code == 422
    assert staff.post("/api/v1/activities", _activity(cast, title="x" * 301)).status_code == 422
    assert staff.post("/api/v1/activities", _activity(cast, title="a\x00b")).status_code == 400
    assert staff.post("/api/v1/activities", _activity(cast, notes="a\x07")).status_code == 400
    assert staff.post("/api/v1/activities", _activity(cast, notes="hai\ndòng")).status_code == 201


@pytest.mark.django_db
def test_a_malformed_body_is_a_documented_400(cast, api):
    from django.test import Client

    from .test_units_api import bearer

    response = Client().post(
        "/api/v1/activities",
        "{not json",
        content_type="application/json",
        headers=bearer(token_for(cast.a_staff)),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["Không đọc được nội dung gửi lên (JSON không hợp lệ)."],
        "code": "parse",
    }
    documented = api_schema_of(400, "/api/v1/activities", "post")
    assert documented == {"$ref": "#/components/schemas/RefusalOut"}


def api_schema_of(status: int, path: str, method: str) -> dict:
    responses = api.get_openapi_schema()["paths"][path][method]["responses"]
    return responses[status]["content"]["application/json"]["schema"]
