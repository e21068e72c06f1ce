"""The fixed cast every access test uses.

Cao Bằng province ─┬─ commune A (Xã Đông Khê) ── branch A1 (Chi hội Nà Pàn) ── group A1a
                   ├─ commune B (Phường Tân Giang) ── branch B1
                   └─ former district (closed) ── former commune (closed, merged into A)
Another province stands beside Cao Bằng for the outsider.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from guongsang.accounts.models import User
from guongsang.units.models import Unit
from guongsang.units.services import unit_close

from .factories import PASSWORD, Role, UnitKind, make_unit, make_user


@pytest.fixture(autouse=True)
def _no_kept_home_pages():
    """Each test starts with no home page kept from another test: a rolled-back test leaves the
    structure stamp at a value a later test reaches again with other units (in production the
    stamp only grows)."""
    from guongsang.reports import home_views

    home_views._KEPT.clear()
    yield
    home_views._KEPT.clear()


@dataclass
class Cast:
    central: Unit
    province: Unit
    commune_a: Unit
    branch_a: Unit
    group_a: Unit
    commune_b: Unit
    branch_b: Unit
    former_district: Unit
    former_commune: Unit
    other_province: Unit
    other_commune: Unit
    province_admin: User
    a_staff: User
    a_admin: User
    b_staff: User
    branch_viewer: User
    outsider: User

    @property
    def accounts(self) -> list[User]:
        """The cast's accounts, a role each: for tests that try every one of them."""
        return [
            self.province_admin,
            self.a_staff,
            self.a_admin,
            self.b_staff,
            self.branch_viewer,
            self.outsider,
        ]

    def client_for(self, user: User) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client


@pytest.fixture
def cast(db) -> Cast:
    central = make_unit("Trung ương Hội LHPN Việt Nam", UnitKind.CENTRAL, code="TW")
    province = make_unit("Tỉnh Cao Bằng", UnitKind.PROVINCE, central, code="04")
    commune_a = make_unit("Xã Đông Khê", UnitKind.COMMUNE, province, code="01450")
    branch_a = make_unit("Chi hội Nà Pàn", UnitKind.BRANCH, commune_a, code="01450-CH01")
    group_a = make_unit("Tổ phụ nữ số 1", UnitKind.GROUP, branch_a, code="01450-CH01-T1")
    commune_b = make_unit("Phường Tân Giang", UnitKind.COMMUNE, province, code="01288")
    branch_b = make_unit("Chi hội Tổ dân phố 1", UnitKind.BRANCH, commune_b, code="01288-CH01")
    former_district = make_unit("Huyện Thạch An", UnitKind.DISTRICT, province, code="H-TA")
    former_commune = make_unit("Thị trấn Đông Khê", UnitKind.COMMUNE, former_district, code="X-DK")
    unit_close(unit=former_commune, on=dt.date(2025, 7, 1), successor=commune_a)
    unit_close(unit=former_district, on=dt.date(2025, 7, 1), successor=province)
    other_province = make_unit("Tỉnh Lạng Sơn", UnitKind.PROVINCE, central, code="09")
    other_commune = make_unit("Xã Hữu Lũng", UnitKind.COMMUNE, other_province, code="09001")
    return Cast(
        central=central,
        province=province,
        commune_a=commune_a,
        branch_a=branch_a,
        group_a=group_a,
        commune_b=commune_b,
        branch_b=branch_b,
        former_district=Unit.objects.get(pk=former_district.pk),
        former_commune=Unit.objects.get(pk=former_commune.pk),
        other_province=other_province,
        other_commune=other_commune,
        province_admin=make_user(
            province, Role.ADMIN, username="tinh.admin", full_name="Hoàng Thị Thu Hà"
        ),
        a_staff=make_user(commune_a, Role.STAFF, username="a.staff", full_name="Bế Thị Hoa"),
        a_admin=make_user(commune_a, Role.ADMIN, username="a.admin", full_name="Đàm Thị Lan"),
        b_staff=make_user(commune_b, Role.STAFF, username="b.staff", full_name="Triệu Thị Nga"),
        branch_viewer=make_user(
            branch_a, Role.VIEWER, username="a1.viewer", full_name="Lục Thị Xuân"
        ),
        outsider=make_user(other_province, Role.ADMIN, username="ls.admin", full_name="Vi Thị Mơ"),
    )


@pytest.fixture
def api(cast):
    """api(user) -> a client of the JSON API with that user's bearer token."""
    from .api.test_units_api import bearer, token_for

    tokens = {}

    def client_for(user):
        if user.pk not in tokens:
            tokens[user.pk] = token_for(user)
        token = tokens[user.pk]

        class C:
            def get(self, url, **params):
                return Client().get(url, params, headers=bearer(token))

            def post(self, url, body):
                return Client().post(
                    url, body, content_type="application/json", headers=bearer(token)
                )

        return C()

    return client_for
