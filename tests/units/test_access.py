"""The access layer, tried with the fixed cast from every side: pages, fragments, forged POSTs."""

import datetime as dt

import pytest
from django.urls import reverse

from guongsang.accounts.models import Membership, Role, User
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


class TestScope:
    def test_role_applies_to_whole_subtree(self, cast):
        visible = names(access.units_for(cast.a_staff))
        assert {"Xã Đông Khê", "Chi hội Nà Pàn", "Tổ phụ nữ số 1"} <= visible
        assert "Phường Tân Giang" not in visible
        assert "Tỉnh Cao Bằng" not in visible

    def test_commune_reads_history_of_units_merged_into_it(self, cast):
        assert "Thị trấn Đông Khê" in names(access.units_for(cast.a_staff))
        assert "Thị trấn Đông Khê" not in names(access.units_for(cast.b_staff))
        # Reading history does not grant changing it.
        assert not access.can(cast.a_admin, Perm.MANAGE, cast.former_commune)
        assert not access.can(cast.a_staff, Perm.EDIT, cast.former_commune)

    def test_merged_units_are_found_by_their_successor_path(self, cast, django_assert_num_queries):
        cast.former_commune.refresh_from_db()
        assert cast.former_commune.successor_path == cast.commune_a.path
        fresh = User.objects.get(pk=cast.a_staff.pk)
        # One query for the memberships with the units merged straight into their subtrees,
        # then one range scan per further merger step (here the empty step that ends the
        # chain); no join on the successor there.
        with django_assert_num_queries(2) as captured:
            paths = access.scope_paths(fresh, Perm.VIEW)
        assert cast.former_commune.path in paths
        assert all("JOIN" not in q["sql"] for q in captured.captured_queries[1:])

    def test_scope_without_merged_units_is_one_query(self, cast, django_assert_num_queries):
        # Commune B absorbed nothing; the province's former district lies inside the province.
        for user in (cast.b_staff, cast.province_admin):
            fresh = User.objects.get(pk=user.pk)
            with django_assert_num_queries(1):
                access.scope_paths(fresh, Perm.VIEW)
                access.scope_paths(fresh, Perm.EDIT)

    def test_scope_reads_use_the_index_of_merged_units(self, cast):
        """Both scope reads find merged units by the partial index on ``successor_path`` (a
        range per path), not by reading every unit: on both databases."""
        from ..explain import sql_plan

        reads = [
            (access._memberships_sql(), [cast.a_staff.pk]),
            access._merged_into_sql([cast.commune_a.path, cast.province.path]),
        ]
        for sql, params in reads:
            plan = sql_plan(sql, params)
            assert "unit_successor_path_idx" in plan, plan

    def test_scope_equals_the_step_by_step_reading(self, cast):
        """The first merger step read with the memberships gives the scope that reading the
        memberships, then every step one query at a time, gives: for every account of the cast
        and every permission, with a chain of mergers from outside the province and a role
        that sees nothing (an account without membership)."""
        from guongsang.units.services import unit_close
        from tests.factories import make_unit, make_user

        # A commune of Lạng Sơn merged into Tân Giang (commune B), and another commune
        # merged into that one before: a chain of two steps from outside the province.
        older = make_unit("Xã Cũ", UnitKind.COMMUNE, cast.other_province, code="09003")
        moved = make_unit("Xã Chuyển", UnitKind.COMMUNE, cast.other_province, code="09002")
        unit_close(unit=older, on=dt.date(2024, 1, 1), successor=moved)
        unit_close(unit=moved, on=dt.date(2025, 7, 1), successor=cast.commune_b)
        nobody = make_user(cast.province, None, username="no.role", full_name="Nông Thị Ba")
        two_roles = make_user(
            cast.commune_b, Role.VIEWER, username="two.roles", full_name="Lý Thị Na"
        )
        Membership.objects.create(user=two_roles, unit=cast.branch_a, role=Role.STAFF)
        users = [*cast.accounts, nobody, two_roles]
        for user in users:
            for perm in Perm:
                fresh = User.objects.get(pk=user.pk)
                got = access.scope_paths(fresh, perm)
                held = [
                    path
                    for role, path in Membership.objects.filter(user=user).values_list(
                        "role", "unit__path"
                    )
                    if perm in access.ROLE_PERMS[role]
                ]
                expected = access._minimal(held)
                if perm == Perm.VIEW and expected:
                    expected = access._minimal(expected + access._predecessor_paths(expected))
                assert got == expected, (user.username, perm)
        b_scope = access.scope_paths(User.objects.get(pk=cast.b_staff.pk))
        assert {older.path, moved.path} <= set(b_scope)
        assert older.path not in access.scope_paths(User.objects.get(pk=cast.a_staff.pk))

    def test_province_admin_sees_province_not_neighbour(self, cast):
        visible = names(access.units_for(cast.province_admin))
        assert {"Tỉnh Cao Bằng", "Xã Đông Khê", "Phường Tân Giang", "Huyện Thạch An"} <= visible
        assert "Tỉnh Lạng Sơn" not in visible
        assert "Trung ương Hội LHPN Việt Nam" not in visible

    def test_branch_viewer_sees_only_her_branch(self, cast):
        assert names(access.units_for(cast.branch_viewer)) == {"Chi hội Nà Pàn", "Tổ phụ nữ số 1"}
        assert not access.can(cast.branch_viewer, Perm.EDIT, cast.branch_a)

    def test_roles_grant_their_permissions_only(self, cast):
        assert access.can(cast.a_staff, Perm.EDIT, cast.branch_a)
        assert not access.can(cast.a_staff, Perm.MANAGE, cast.branch_a)
        assert not access.can(cast.a_staff, Perm.REVIEW, cast.commune_a)
        assert access.can(cast.a_admin, Perm.MANAGE, cast.group_a)
        reviewer = User.objects.create_user("rv", password="x", full_name="Hà", unit=cast.province)
        Membership.objects.create(user=reviewer, unit=cast.province, role=Role.REVIEWER)
        assert access.can(reviewer, Perm.REVIEW, cast.commune_b)
        assert not access.can(reviewer, Perm.EDIT, cast.commune_b)

    def test_inactive_and_anonymous_see_nothing(self, cast):
        from django.contrib.auth.models import AnonymousUser

        cast.a_staff.is_active = False
        cast.a_staff.save()
        fresh = User.objects.get(pk=cast.a_staff.pk)
        assert not access.units_for(fresh).exists()
        assert not access.units_for(AnonymousUser()).exists()
        assert not access.units_for(None).exists()

    def test_scope_is_one_query_then_cached(self, cast, django_assert_num_queries):
        user = User.objects.get(pk=cast.province_admin.pk)
        with django_assert_num_queries(1):
            access.scope_paths(user, Perm.MANAGE)
            access.scope_paths(user, Perm.MANAGE)
            access.can(user, Perm.MANAGE, cast.commune_a)

    def test_get_unit_is_404_for_missing_and_forbidden_alike(self, cast):
        from django.http import Http404

        for pk in (cast.commune_b.pk, 999999, "abc"):
            with pytest.raises(Http404):
                access.get_unit(cast.a_staff, pk)

    def test_manage_excludes_accounts_with_roles_outside(self, cast):
        # A province officer whose home unit is commune A must not be managed by A's admin.
        officer = User.objects.create_user(
            "officer", password="x", full_name="Hà", unit=cast.commune_a
        )
        Membership.objects.create(user=officer, unit=cast.province, role=Role.ADMIN)
        assert officer not in access.users_for(cast.a_admin)
        assert officer in access.users_for(cast.province_admin)
        assert cast.a_staff in access.users_for(cast.a_admin)
        assert cast.b_staff not in access.users_for(cast.a_admin)


def b_object_urls(cast):
    b = cast.commune_b.pk
    return [
        reverse("units:detail", args=[b]),
        reverse("units:children", args=[b]),
        reverse("units:create", args=[b]),
        reverse("units:edit", args=[b]),
        reverse("units:close", args=[b]),
        reverse("units:import", args=[b]),
        reverse("units:detail", args=[cast.branch_b.pk]),
        reverse("units:import_template") + f"?don_vi={b}",
        reverse("accounts:account_detail", args=[cast.b_staff.pk]),
        reverse("accounts:account_create") + f"?don_vi={b}",
    ]


class TestCommuneAgainstCommune:
    @pytest.mark.parametrize("who", ["a_staff", "a_admin", "branch_viewer"])
    def test_every_b_page_is_404(self, cast, who):
        client = cast.client_for(getattr(cast, who))
        for url in b_object_urls(cast):
            assert client.get(url).status_code == 404, url

    def test_b_never_in_tree_search_or_lists(self, cast):
        client = cast.client_for(cast.a_admin)
        for url in (
            reverse("units:tree") + "?lich_su=1",
            reverse("units:search") + "?q=tan+giang&lich_su=1",
            reverse("units:search") + "?q=chi+hoi",
            reverse("units:detail", args=[cast.commune_a.pk]) + "?lich_su=1",
            reverse("accounts:account_list") + "?trang_thai=all",
            reverse("accounts:account_create"),
            reverse("home"),
        ):
            body = client.get(url).content.decode()
            assert "Tân Giang" not in body, url
            assert "Tổ dân phố" not in body, url
            assert "Triệu Thị Nga" not in body, url
            assert "Lạng Sơn" not in body, url

    def test_forged_posts_change_nothing_in_b(self, cast):
        client = cast.client_for(cast.a_admin)
        b = cast.commune_b
        before = list(Unit.objects.order_by("pk").values_list("pk", "name", "valid_to"))
        posts = [
            (
                reverse("units:create", args=[b.pk]),
                {"kind": "branch", "name": "Chi hội giả", "code": "FAKE-1"},
            ),
            (reverse("units:edit", args=[b.pk]), {"name": "Đổi tên trái phép"}),
            (
                reverse("units:close", args=[b.pk]),
                {"on": "2026-01-01", "successor": cast.commune_a.pk},
            ),
            (
                reverse("units:close", args=[cast.branch_a.pk]),
                {"on": "2026-01-01", "successor": cast.branch_b.pk},
            ),
            (reverse("accounts:account_toggle_active", args=[cast.b_staff.pk]), {}),
            (reverse("accounts:account_reset_password", args=[cast.b_staff.pk]), {}),
            (
                reverse("accounts:membership_add", args=[cast.b_staff.pk]),
                {"unit": cast.commune_a.pk, "role": "admin"},
            ),
        ]
        for url, data in posts:
            response = client.post(url, data)
            assert response.status_code in (404, 200), url
        after = list(Unit.objects.order_by("pk").values_list("pk", "name", "valid_to"))
        assert before == after
        b_staff = User.objects.get(pk=cast.b_staff.pk)
        assert b_staff.is_active and not b_staff.must_change_password
        assert not Membership.objects.filter(user=b_staff, role="admin").exists()

    def test_cannot_give_own_account_a_role_in_b(self, cast):
        client = cast.client_for(cast.a_admin)
        response = client.post(
            reverse("accounts:membership_add", args=[cast.a_staff.pk]),
            {"unit": cast.commune_b.pk, "role": "admin"},
        )
        assert response.status_code == 302
        assert not Membership.objects.filter(unit=cast.commune_b, user=cast.a_staff).exists()

    def test_cannot_create_account_in_b(self, cast):
        client = cast.client_for(cast.a_admin)
        client.post(
            reverse("accounts:account_create"),
            {
                "full_name": "Người Lạ",
                "username": "nguoila",
                "unit": cast.commune_b.pk,
                "role": "admin",
                "password": "Mot-mat-khau-dai-2026",
            },
        )
        assert not User.objects.filter(username="nguoila").exists()

    def test_staff_cannot_manage_even_own_commune(self, cast):
        client = cast.client_for(cast.a_staff)
        assert client.get(reverse("units:create", args=[cast.commune_a.pk])).status_code == 404
        assert client.get(reverse("accounts:account_list")).status_code == 404
        assert client.get(reverse("accounts:account_create")).status_code == 404

    def test_outsider_sees_nothing_of_cao_bang(self, cast):
        client = cast.client_for(cast.outsider)
        for unit in (
            cast.province,
            cast.commune_a,
            cast.commune_b,
            cast.branch_a,
            cast.former_commune,
        ):
            assert client.get(reverse("units:detail", args=[unit.pk])).status_code == 404
        body = client.get(reverse("units:search") + "?q=dong+khe&lich_su=1").content.decode()
        assert "Đông Khê" not in body

    def test_anonymous_is_sent_to_login(self, cast, client):
        response = client.get(reverse("units:detail", args=[cast.commune_a.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_superusers_everything_survives_an_or(cast):
    """A superuser's scope (an empty ``Q``: no condition) keeps every row in a rule of several
    branches: ``Q() | q`` is ``q``, so rules written with ``|`` gave her only their other branch
    (only the councils she sat on, only submitted proposals, no draft rounds of others)."""
    from django.db.models import Q

    from guongsang.awards.council_access import councils_for
    from guongsang.awards.models import Council

    from ..factories import make_user

    root = make_user(None, username="root.gs", full_name="Quản Trị", is_superuser=True)

    def units(q):
        return set(Unit.objects.filter(q).values_list("pk", flat=True))

    every = units(Q())
    nothing = Q(pk__in=[])
    mine = units(access.scope_q(cast.a_staff))
    assert len(every) > len(mine) > 0
    for perm in Perm:
        everything = access.scope_q(root, perm)
        assert not everything  # no condition in the query
        assert units(access.either(everything, nothing)) == every
        assert units(access.either(nothing, everything)) == every
    assert units(access.either(access.scope_q(cast.a_staff), nothing)) == mine
    assert units(access.either(nothing, access.scope_q(cast.a_staff))) == mine
    assert units(access.either(nothing, nothing)) == set()
    # A rule with two branches: the councils of units she sees, or where she sits.
    council = Council.objects.create(unit=cast.commune_b, name="Hội đồng TĐKT phường Tân Giang")
    assert list(councils_for(root)) == [council]
    assert list(councils_for(cast.b_staff)) == [council]
    assert list(councils_for(cast.a_staff)) == []
