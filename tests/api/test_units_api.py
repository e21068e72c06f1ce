"""The JSON API under /api/v1: bearer tokens and the access layer's scoping of units."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guongsang.accounts.models import ApiToken, Membership
from guongsang.units.models import Unit

from ..factories import Role, UnitKind, make_unit, make_user

UNITS = "/api/v1/units"


def token_for(user, name: str = "") -> str:
    out = io.StringIO()
    call_command("create_api_token", user.username, name=name, stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("gs_")
    return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Api:
    """A test client speaking for one token holder."""

    def __init__(self, user):
        self.user = user
        self.token = token_for(user)
        self.client = Client()

    def get(self, url: str, **params):
        return self.client.get(url, params, headers=bearer(self.token))

    def ok(self, url: str, **params) -> dict:
        response = self.get(url, **params)
        assert response.status_code == 200, response.content
        return response.json()

    def codes(self, url: str = UNITS, **params) -> list[str]:
        params.setdefault("page_size", 100)
        body = self.ok(url, **params)
        assert body["count"] == len(body["items"])
        return [item["code"] for item in body["items"]]


def codes_of(*units) -> list[str]:
    return [u.code for u in units]


def path_sorted(*units) -> list[str]:
    return [u.code for u in sorted(units, key=lambda u: u.path)]


# ---- authentication ---------------------------------------------------------------------------
def test_token_from_the_command_authenticates(cast):
    token = token_for(cast.a_staff, name="Báo cáo tháng")
    response = Client().get(UNITS, headers=bearer(token))
    assert response.status_code == 200
    stored = ApiToken.objects.get(user=cast.a_staff)
    assert stored.name == "Báo cáo tháng"
    assert stored.prefix == token[:8]
    assert stored.key_hash != token and token not in stored.key_hash
    assert stored.last_used_at is not None


def test_command_refuses_unknown_or_inactive_user(cast):
    with pytest.raises(CommandError):
        call_command("create_api_token", "khong.co", stdout=io.StringIO())
    cast.b_staff.is_active = False
    cast.b_staff.save()
    with pytest.raises(CommandError):
        call_command("create_api_token", cast.b_staff.username, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer gs_khong-phai-token-that"},
        {"Authorization": "Basic YS5zdGFmZjpNYXQta2hhdS10aHUtMjAyNg=="},
    ],
)
def test_missing_or_wrong_token_is_401(cast, headers):
    token_for(cast.a_staff)
    for url in (UNITS, f"{UNITS}/{cast.commune_a.pk}", f"{UNITS}/{cast.commune_a.pk}/subtree"):
        assert Client().get(url, headers=headers).status_code == 401


def test_session_login_is_not_enough(cast):
    assert cast.client_for(cast.a_staff).get(UNITS).status_code == 401


def test_revoked_token_is_401(cast):
    api = Api(cast.a_staff)
    assert api.get(UNITS).status_code == 200
    ApiToken.objects.filter(user=cast.a_staff).update(revoked_at=timezone.now())
    assert api.get(UNITS).status_code == 401
    # A fresh token works again.
    assert Api(cast.a_staff).get(UNITS).status_code == 200


def test_token_of_inactive_user_is_401(cast):
    api = Api(cast.a_staff)
    assert api.get(UNITS).status_code == 200
    cast.a_staff.is_active = False
    cast.a_staff.save(update_fields=["is_active"])
    assert api.get(UNITS).status_code == 401
    assert api.get(f"{UNITS}/{cast.commune_a.pk}").status_code == 401


def test_openapi_schema_lists_the_unit_paths(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {"/api/v1/units", "/api/v1/units/{unit_id}", "/api/v1/units/{unit_id}/subtree"} <= set(
        schema["paths"]
    )
    assert schema["info"]["title"] == "Gương Sáng API"


# ---- list -------------------------------------------------------------------------------------
def test_list_is_paginated(cast):
    for i in range(60):
        make_unit(f"Chi hội số {i}", UnitKind.BRANCH, cast.commune_a, code=f"01450-P{i:02d}")
    api = Api(cast.a_staff)
    first = api.ok(UNITS)
    assert set(first) >= {"items", "count"}
    visible = Unit.objects.subtree_of(cast.commune_a).count()
    assert first["count"] == visible == 63
    assert len(first["items"]) == 50
    second = api.ok(UNITS, page=2)
    assert second["count"] == 63
    assert len(second["items"]) == 13
    codes = [i["code"] for i in first["items"] + second["items"]]
    assert len(set(codes)) == 63
    paths = dict(Unit.objects.values_list("code", "path"))
    assert [paths[c] for c in codes] == sorted(paths[c] for c in codes)
    assert len(api.ok(UNITS, page_size=10)["items"]) == 10


def test_unit_fields(cast):
    body = Api(cast.a_staff).ok(f"{UNITS}/{cast.commune_a.pk}")
    assert body == {
        "id": cast.commune_a.pk,
        "code": "01450",
        "name": "Xã Đông Khê",
        "union_name": "Hội LHPN xã Đông Khê",
        "kind": "commune",
        "kind_label": "Xã, phường, đặc khu",
        "parent_id": cast.province.pk,
        "depth": 2,
        "admin_code": "",
        "valid_from": None,
        "valid_to": None,
        "successor_id": None,
    }
    former = Api(cast.province_admin).ok(f"{UNITS}/{cast.former_commune.pk}")
    assert former["valid_to"] == "2025-06-30"
    assert former["successor_id"] == cast.commune_a.pk


def test_commune_staff_sees_only_her_commune(cast):
    api = Api(cast.a_staff)
    assert api.codes() == path_sorted(cast.commune_a, cast.branch_a, cast.group_a)
    # With closed units: the former commune merged into A, never the former district.
    assert api.codes(include_closed="true") == path_sorted(
        cast.commune_a, cast.branch_a, cast.group_a, cast.former_commune
    )


def test_commune_staff_gets_404_for_commune_b(cast):
    api = Api(cast.a_staff)
    for unit in (cast.commune_b, cast.branch_b, cast.province, cast.other_commune):
        missing = api.get(f"{UNITS}/{unit.pk}")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Không tìm thấy."}
        assert api.get(f"{UNITS}/{unit.pk}/subtree").status_code == 404
        assert api.get(UNITS, parent=unit.pk).status_code == 404
    # Not yours and does not exist answer alike.
    assert api.get(f"{UNITS}/999999").json() == {"detail": "Không tìm thấy."}
    assert api.get(f"{UNITS}/999999/subtree").status_code == 404
    assert api.get(UNITS, parent=999999).status_code == 404


def test_commune_staff_lists_never_leak(cast):
    api = Api(cast.a_staff)
    outside = set(
        codes_of(
            cast.central,
            cast.province,
            cast.commune_b,
            cast.branch_b,
            cast.former_district,
            cast.other_province,
            cast.other_commune,
        )
    )
    for params in (
        {},
        {"include_closed": "true"},
        {"kind": "commune", "include_closed": "true"},
        {"kind": "branch"},
        {"q": "tan giang"},
        {"q": "chi hoi"},
        {"q": "tinh"},
    ):
        assert not outside & set(api.codes(**params)), params
    assert api.codes(q="tan giang") == []


def test_province_admin_sees_both_communes(cast):
    api = Api(cast.province_admin)
    assert api.codes(kind="commune") == path_sorted(cast.commune_a, cast.commune_b)
    assert api.codes(kind="commune", include_closed="true") == path_sorted(
        cast.commune_a, cast.commune_b, cast.former_commune
    )
    assert api.codes(parent=cast.province.pk) == path_sorted(cast.commune_a, cast.commune_b)
    assert api.codes() == path_sorted(
        cast.province, cast.commune_a, cast.branch_a, cast.group_a, cast.commune_b, cast.branch_b
    )
    assert cast.other_commune.code not in api.codes(include_closed="true")
    assert api.get(f"{UNITS}/{cast.other_province.pk}").status_code == 404
    assert api.ok(f"{UNITS}/{cast.commune_b.pk}")["name"] == "Phường Tân Giang"


def test_filters_by_parent_and_kind(cast):
    api = Api(cast.province_admin)
    assert api.codes(parent=cast.commune_a.pk) == codes_of(cast.branch_a)
    assert api.codes(parent=cast.branch_a.pk) == codes_of(cast.group_a)
    assert api.codes(parent=cast.group_a.pk) == []
    assert api.codes(kind="branch") == path_sorted(cast.branch_a, cast.branch_b)
    assert api.codes(kind="group") == codes_of(cast.group_a)
    assert api.codes(kind="district") == []
    assert api.codes(kind="district", include_closed="true") == codes_of(cast.former_district)
    assert api.codes(parent=cast.province.pk, kind="branch") == []
    assert api.get(UNITS, kind="tinh").status_code == 422


def test_search_is_accent_and_case_insensitive(cast):
    api = Api(cast.province_admin)
    assert api.codes(q="dong khe") == codes_of(cast.commune_a)
    assert api.codes(q="ĐÔNG KHÊ") == codes_of(cast.commune_a)
    assert api.codes(q="  khe   dong ") == codes_of(cast.commune_a)
    assert api.codes(q="dong khe", include_closed="true") == path_sorted(
        cast.commune_a, cast.former_commune
    )
    assert api.codes(q="tan giang") == codes_of(cast.commune_b)
    assert api.codes(q="na pan", kind="branch") == codes_of(cast.branch_a)
    assert api.codes(q="khong co dau") == []


def test_search_finds_imported_names(cast):
    commune = make_unit("Xã Đàm Thuỷ", UnitKind.COMMUNE, cast.province, code="01501")
    api = Api(cast.province_admin)
    assert api.codes(q="dam thuy") == codes_of(commune)


def test_closed_units_only_on_request(cast):
    api = Api(cast.province_admin)
    default = api.codes()
    assert cast.former_district.code not in default
    assert cast.former_commune.code not in default
    everything = api.codes(include_closed="true")
    assert {cast.former_district.code, cast.former_commune.code} <= set(everything)
    subtree = api.codes(f"{UNITS}/{cast.province.pk}/subtree")
    assert cast.former_district.code not in subtree
    subtree = api.codes(f"{UNITS}/{cast.province.pk}/subtree", include_closed="true")
    assert {cast.former_district.code, cast.former_commune.code} <= set(subtree)
    # A closed unit itself stays readable by id.
    assert api.get(f"{UNITS}/{cast.former_commune.pk}").status_code == 200


def test_subtree_is_the_unit_and_its_descendants_in_path_order(cast):
    extra_branch = make_unit("Chi hội Bản Giới", UnitKind.BRANCH, cast.commune_a, code="A-CH02")
    extra_group = make_unit("Tổ phụ nữ số 2", UnitKind.GROUP, cast.branch_a, code="A-CH01-T2")
    expected = path_sorted(cast.commune_a, cast.branch_a, cast.group_a, extra_branch, extra_group)
    assert Api(cast.a_staff).codes(f"{UNITS}/{cast.commune_a.pk}/subtree") == expected
    # Branch A1's group comes before branch A2: tree order, not creation order.
    assert expected == [cast.commune_a.code, "01450-CH01", "01450-CH01-T1", "A-CH01-T2", "A-CH02"]
    province_tree = Api(cast.province_admin).codes(f"{UNITS}/{cast.province.pk}/subtree")
    assert province_tree[0] == cast.province.code
    assert cast.commune_b.code in province_tree
    assert cast.other_commune.code not in province_tree


def test_branch_viewer_sees_only_her_branch(cast):
    api = Api(cast.branch_viewer)
    assert api.codes() == path_sorted(cast.branch_a, cast.group_a)
    assert api.codes(include_closed="true") == path_sorted(cast.branch_a, cast.group_a)
    assert api.codes(f"{UNITS}/{cast.branch_a.pk}/subtree") == path_sorted(
        cast.branch_a, cast.group_a
    )
    assert api.codes(parent=cast.branch_a.pk) == codes_of(cast.group_a)
    for unit in (cast.commune_a, cast.province, cast.commune_b, cast.branch_b):
        assert api.get(f"{UNITS}/{unit.pk}").status_code == 404
        assert api.get(f"{UNITS}/{unit.pk}/subtree").status_code == 404
        assert api.get(UNITS, parent=unit.pk).status_code == 404


def test_outsider_sees_only_her_province(cast):
    api = Api(cast.outsider)
    assert api.codes(include_closed="true") == path_sorted(cast.other_province, cast.other_commune)
    assert api.get(f"{UNITS}/{cast.commune_a.pk}").status_code == 404


def test_user_without_roles_sees_nothing(cast):
    api = Api(make_user(cast.commune_a, username="khong.vai.tro"))
    assert api.ok(UNITS) == {"items": [], "count": 0}
    assert api.get(f"{UNITS}/{cast.commune_a.pk}").status_code == 404


def test_superuser_sees_everything(cast):
    root = make_user(None, username="root", is_superuser=True, is_staff=True)
    api = Api(root)
    assert api.ok(UNITS, include_closed="true")["count"] == Unit.objects.count()


def test_role_on_two_units_sees_both(cast):
    user = make_user(cast.commune_a, Role.VIEWER, username="hai.xa")
    Membership.objects.create(user=user, unit=cast.other_commune, role=Role.VIEWER)
    codes = Api(user).codes(kind="commune")
    assert codes == path_sorted(cast.commune_a, cast.other_commune)


# ---- queries ----------------------------------------------------------------------------------
def _count_queries(api, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        body = api.ok(url, **params)
    assert body["items"]
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_units(cast, django_assert_max_num_queries):
    for i in range(5):
        make_unit(f"Chi hội {i}", UnitKind.BRANCH, cast.commune_a, code=f"Q-{i:03d}")
    api = Api(cast.a_staff)
    subtree = f"{UNITS}/{cast.commune_a.pk}/subtree"
    api.ok(UNITS)  # the first use of a token stamps last_used_at
    few_list = _count_queries(api, UNITS)
    few_subtree = _count_queries(api, subtree)
    # token, memberships, merged units (2 rounds), count, page; the subtree adds its root.
    assert few_list <= 6
    assert few_subtree <= few_list + 1

    for i in range(5, 50):
        make_unit(f"Chi hội {i}", UnitKind.BRANCH, cast.commune_a, code=f"Q-{i:03d}")
    with django_assert_max_num_queries(few_list):
        body = api.ok(UNITS, include_closed="true")
    # commune A, branch A1, its group, 50 branches and the former commune merged into A
    assert body["count"] == 54
    assert len(body["items"]) == 50
    with django_assert_max_num_queries(few_list):
        assert api.ok(UNITS, q="chi hoi", kind="branch")["count"] == 51
    with django_assert_max_num_queries(few_subtree):
        assert len(api.ok(subtree)["items"]) == 53
