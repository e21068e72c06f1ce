"""The list's plans: a wide scope walks the time index newest first, a narrow one reads its
subtree's range; measured at 3 M entries on PostgreSQL and 1 M on SQLite (see the report of
issue 11 point 6): every first page under 1 ms, a province's page 100 under 50 ms."""

import pytest
from django.db import connection

from guongsang.audit import queries
from guongsang.audit.models import Action
from tests.explain import query_plan
from tests.factories import Role, make_user

pytestmark = pytest.mark.django_db


def first_page(qs):
    return queries.filter_entries(qs).defer("details")[:51]


@pytest.mark.parametrize("who", ["province_admin", "central_admin"])
def test_a_wide_scope_walks_the_time_index(cast, who):
    user = (
        make_user(cast.central, Role.ADMIN, username="tw.admin")
        if who == "central_admin"
        else cast.province_admin
    )
    assert queries.is_wide(user)
    plan = query_plan(first_page(queries.entries_for(user, walk_time=True)))
    assert "audit_time_idx" in plan, plan
    if connection.vendor == "postgresql":
        assert "Sort" not in plan, plan
    else:
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_one_kind_of_event_walks_its_own_index(cast):
    qs = queries.filter_entries(
        queries.entries_for(cast.province_admin, walk_time=True), action=Action.EXPORT
    )
    plan = query_plan(qs[:51])
    assert "audit_action_time_idx" in plan, plan


def test_a_narrow_scope_reads_its_range(cast):
    assert not queries.is_wide(cast.a_admin)
    assert not queries.is_wide(cast.province_admin, cast.commune_b)
    plan = query_plan(first_page(queries.entries_for(cast.a_admin)), forbid_sort=False)
    assert "audit_path_time_idx" in plan, plan
    # The capped count is a range on the same index.
    count = queries.entries_for(cast.province_admin).values("pk")[:10001]
    assert "audit_path_time_idx" in query_plan(count, forbid_sort=False)
