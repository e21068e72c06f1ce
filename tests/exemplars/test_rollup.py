"""The nominations counted by province, month and state (``exemplars.rollup``) stay exact
after every kind of write: the services' own (create, edit, submit, return, reject,
recognise), a bulk insert, a queryset update, raw SQL, a delete, and on PostgreSQL a
TRUNCATE; and the triggers that keep them survive every migration."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from guongsang.exemplars import rollup, services
from guongsang.exemplars.models import (
    Nomination,
    NominationProvinceMonth,
    NominationState,
    ReviewAction,
)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


def stored() -> dict[tuple, int]:
    return {
        (r.path, r.month, r.state): r.nominations for r in NominationProvinceMonth.objects.all()
    }


def exact() -> dict[tuple, int]:
    assert rollup.differences() == []
    return stored()


@pytest.mark.django_db
def test_the_triggers_exist_after_all_migrations():
    """SQLite drops a table's triggers when a migration rebuilds the table: a later migration
    that alters the nominations must create them again."""
    assert set(rollup.TRIGGERS[connection.vendor]) <= rollup.triggers_present()


def test_every_write_of_the_services_keeps_the_counts_exact(world):
    cast = world.cast
    today = timezone.localdate().replace(day=1)
    province = cast.province.path
    nomination = world.nominate(world.subject())
    assert exact() == {(province, today, NominationState.DRAFT): 1}
    world.complete(nomination)  # an edit: nothing moves
    assert exact() == {(province, today, NominationState.DRAFT): 1}
    nomination = services.nomination_submit(by=cast.a_staff, nomination=nomination)
    assert exact() == {(province, today, NominationState.SUBMITTED): 1}
    nomination = services.nomination_review(
        by=cast.a_admin, nomination=nomination, action=ReviewAction.RETURN, comment="Bổ sung"
    )
    assert exact() == {(province, today, NominationState.RETURNED): 1}
    nomination = services.nomination_submit(by=cast.a_staff, nomination=nomination)
    services.nomination_review(by=cast.a_admin, nomination=nomination, action=ReviewAction.FORWARD)
    recognised = world.recognised(name="Nông Thị Hoa")
    rejected = world.at_province(name="Hoàng Thị Thu")
    services.nomination_review(
        by=world.reviewer, nomination=rejected, action=ReviewAction.REJECT, comment="Chưa đạt"
    )
    other = world.submitted(unit=cast.branch_b, name="Triệu Thị Mai")
    assert exact() == {
        (province, today, NominationState.SUBMITTED): 2,
        (province, today, NominationState.RECOGNISED): 1,
        (province, today, NominationState.REJECTED): 1,
    }
    assert recognised.state == NominationState.RECOGNISED
    assert other.proposing_path.startswith(province)


def test_bulk_writes_raw_sql_and_deletes_keep_the_counts_exact(world):
    cast = world.cast
    province, other_province = cast.province.path, cast.other_province.path
    first = world.nominate(world.subject())
    # The last evening of January and the first night of February, local time: the month is
    # the local one (UTC+7), on both databases.
    Nomination.objects.filter(pk=first.pk).update(created_at=local(2026, 1, 31, 23, 30))
    jan, feb = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    assert exact() == {(province, jan, NominationState.DRAFT): 1}
    Nomination.objects.filter(pk=first.pk).update(created_at=local(2026, 2, 1, 0, 30))
    assert exact() == {(province, feb, NominationState.DRAFT): 1}

    # A bulk insert (the data generator's way), then a queryset update of the state.
    second = world.nominate(world.subject(name="Lò Thị Xuân"))
    copies = []
    for n in range(3):
        copy = Nomination.objects.get(pk=second.pk)
        copy.pk = None
        copy.created_at = None
        copy.year = 2020 + n
        copies.append(copy)
    Nomination.objects.bulk_create(copies)
    this_month = timezone.localdate().replace(day=1)
    assert exact()[(province, this_month, NominationState.DRAFT)] == 4
    Nomination.objects.filter(year__in=[2020, 2021]).update(state=NominationState.SUBMITTED)
    counts = exact()
    assert counts[(province, this_month, NominationState.DRAFT)] == 2
    assert counts[(province, this_month, NominationState.SUBMITTED)] == 2

    # Raw SQL moving a nomination to another province's path; an update that changes nothing.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE exemplars_nomination SET proposing_path = %s WHERE year = 2022",
            [cast.other_commune.path],
        )
        cursor.execute("UPDATE exemplars_nomination SET state = state, version = version + 1")
    counts = exact()
    assert counts[(other_province, this_month, NominationState.DRAFT)] == 1

    # Deletes: one object, then a queryset; rows that reach zero are removed.
    Nomination.objects.get(year=2022).delete()
    assert (other_province, this_month, NominationState.DRAFT) not in exact()
    Nomination.objects.filter(year__in=[2020, 2021]).delete()
    assert (province, this_month, NominationState.SUBMITTED) not in exact()
    assert sum(exact().values()) == Nomination.objects.count() == 2

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # (The deletes above left deferred foreign-key checks, which a TRUNCATE refuses.)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE exemplars_nomination CASCADE")
        assert exact() == {}


def test_a_wrong_count_is_found_and_rebuilt(world):
    world.nominate(world.subject())
    assert exact()
    NominationProvinceMonth.objects.update(nominations=5)
    ((path, month, state, was, live),) = rollup.differences()
    assert (was, live) == (5, 1) and state == NominationState.DRAFT
    assert rollup.rebuild() == 1
    assert exact()


def test_the_check_command_reports_both_rollups(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    world.nominate(world.subject())
    out = StringIO()
    call_command("check_rollup", stdout=out)
    assert "khớp" in out.getvalue()
    NominationProvinceMonth.objects.update(nominations=3)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_rollup", stdout=out)
    assert "hồ sơ đề cử" in out.getvalue()
    call_command("check_rollup", "--rebuild", stdout=StringIO())
    assert exact()


def test_the_check_command_names_a_missing_trigger(world):
    """A nominations' table without one of its triggers (dropped here, inside the test's
    transaction) would stop following the nominations: the check says which, and fails."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    assert rollup.missing_triggers() == []
    name = rollup.TRIGGERS[connection.vendor][1]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {name} ON exemplars_nomination")
        else:
            cursor.execute(f"DROP TRIGGER {name}")
    assert rollup.missing_triggers() == [name]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_rollup", stdout=out)
    assert f"thiếu trigger giữ bảng: {name}" in out.getvalue()


def test_the_country_reads_its_months_and_days_by_index(world):
    """The country's nominations: the table by province on an index, and the partial months'
    days as a range of ``nomination_created_idx`` (on national data: 2.4 ms against 30 ms for
    every nomination, benchmarks/README.md)."""
    from guongsang.exemplars import queries
    from guongsang.reports import figures

    from ..explain import sql_plan

    world.nominate(world.subject())
    grouping = figures.Grouping(world.cast.central, former_structure=False)
    assert grouping.province_rows
    periods = figures.Periods([(dt.date(2026, 1, 10), dt.date(2026, 6, 20))])
    sql, params = queries.nominations_created_sql(grouping=grouping, periods=periods)
    assert "exemplars_nominationprovincemonth" in sql
    plan = sql_plan(sql, params)
    if connection.vendor == "postgresql":
        # On a few rows PostgreSQL takes any index of the table (which one depends on the
        # statistics other tests left); on national data it reads both partial months by
        # ``nomination_created_idx``, index-only (benchmarks/README.md).
        assert "Seq Scan" not in plan, plan
    else:
        assert not any(
            line.split()[-1] in ("exemplars_nomination", "exemplars_nominationprovincemonth")
            for line in plan.splitlines()
            if " SCAN " in f" {line} "
        ), plan
        assert plan.count("nomination_created_idx") == 2, plan
