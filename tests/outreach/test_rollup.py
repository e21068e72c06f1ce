"""The monthly rollup of the outreach log (outreach.rollup) stays exact after every kind of
write, and a summary read through it equals the one read from the activities."""

import datetime as dt

import pytest
from django.db import connection

from guongsang.core import bulk, dates
from guongsang.outreach import queries, rollup, services
from guongsang.outreach.imports import import_activities
from guongsang.outreach.models import (
    Activity,
    ActivityForm,
    ActivityMonth,
    ActivityProvinceMonth,
)
from guongsang.units.models import SEGMENT_WIDTH

from .conftest import HOI_NGHI, SINH_HOAT
from .test_import import good_rows, xlsx


def form(name: str) -> ActivityForm:
    return ActivityForm.objects.get(name=name)


def create(cast, unit, day, name=HOI_NGHI, participants=30, members=20) -> Activity:
    return services.activity_create(
        by=cast.province_admin,
        unit=unit,
        date=day,
        form=form(name),
        title="Nói chuyện chuyên đề",
        participants=participants,
        members=members,
    )


def stored() -> dict:
    return {
        (r.path, r.month, r.form.name): (r.activities, r.participants, r.members)
        for r in ActivityMonth.objects.select_related("form")
    }


def test_a_branch_and_a_group_roll_up_to_their_commune(cast):
    create(cast, cast.commune_a, dt.date(2026, 3, 5), participants=40, members=30)
    create(cast, cast.branch_a, dt.date(2026, 3, 31), participants=15, members=15)
    create(cast, cast.group_a, dt.date(2026, 3, 1), participants=8, members=8)
    create(cast, cast.province, dt.date(2026, 4, 1), participants=100, members=60)
    assert stored() == {
        (cast.commune_a.path, dt.date(2026, 3, 1), HOI_NGHI): (3, 63, 53),
        (cast.province.path, dt.date(2026, 4, 1), HOI_NGHI): (1, 100, 60),
    }
    # Summed per province: the commune's month and the province's own.
    by_province = {
        (r.path, r.month, r.form.name): (r.activities, r.participants, r.members)
        for r in ActivityProvinceMonth.objects.select_related("form")
    }
    assert by_province == {
        (cast.province.path, dt.date(2026, 3, 1), HOI_NGHI): (3, 63, 53),
        (cast.province.path, dt.date(2026, 4, 1), HOI_NGHI): (1, 100, 60),
    }
    assert rollup.PROVINCE_WIDTH == 2 * SEGMENT_WIDTH == len(cast.province.path)
    assert rollup.differences() == []


def test_every_kind_of_write_keeps_it_exact(cast):
    a = create(cast, cast.branch_a, dt.date(2026, 1, 31))
    b = create(cast, cast.commune_b, dt.date(2026, 1, 15), SINH_HOAT, 12, 12)
    assert rollup.differences() == []
    # A new date in another month, another form, other counts.
    services.activity_update(
        by=cast.province_admin,
        activity=a,
        date=dt.date(2026, 2, 1),
        form=form(SINH_HOAT),
        participants=50,
        members=45,
    )
    assert rollup.differences() == []
    assert (cast.commune_a.path, dt.date(2026, 1, 1), HOI_NGHI) not in stored()
    # A change that leaves the month alone; a stale instance saved again.
    stale = Activity.objects.get(pk=b.pk)
    services.activity_update(by=cast.province_admin, activity=b, participants=20, members=2)
    stale.title = "Sửa tiêu đề"
    stale.save()  # writes its old counts back: the rollup follows what is stored
    assert rollup.differences() == []
    services.activity_delete(by=cast.province_admin, activity=a)
    assert rollup.differences() == []
    # The import (a bulk write), then a bulk write that tells the rollup.
    import_activities(data=xlsx(good_rows("")), by=cast.a_staff)
    assert rollup.differences() == []
    made = bulk.bulk_create(
        Activity,
        [
            Activity(
                unit=cast.group_a,
                date=dt.date(2025, 12, d),
                form=form(HOI_NGHI),
                title="Tổ họp",
                participants=d,
                members=1,
                created_by=cast.a_staff,
            )
            for d in range(1, 29)
        ],  # fmt: skip
    )
    rollup.add_activities(made, {cast.group_a.pk: cast.group_a.kind})
    assert rollup.differences() == []
    # What ``rebuild`` makes from the log equals what the writes kept.
    kept = stored()
    assert rollup.rebuild() == len(kept) and stored() == kept
    # Everything deleted: nothing left, not even rows of zero.
    for activity in Activity.objects.all():
        services.activity_delete(by=cast.province_admin, activity=activity)
    assert not ActivityMonth.objects.exists()
    assert not ActivityProvinceMonth.objects.exists()


def test_differences_names_a_row_out_of_step(cast):
    create(cast, cast.commune_a, dt.date(2026, 5, 5))
    ActivityMonth.objects.update(participants=1)
    [(table, path, month, form_id, kept, live)] = rollup.differences()
    assert (table, path, kept, live) == ("month", cast.commune_a.path, (1, 1, 20), (1, 30, 20))
    # The province table is checked too.
    rollup.rebuild()
    ActivityProvinceMonth.objects.update(activities=7)
    [(table, path, month, form_id, kept, live)] = rollup.differences()
    assert (table, path, kept, live) == ("province", cast.province.path, (7, 30, 20), (1, 30, 20))


@pytest.mark.parametrize(
    ("start", "end", "months", "edges"),
    [
        ("2026-01-01", "2026-06-30", ("2026-01-01", "2026-06-01"), []),
        ("2026-01-01", "2026-12-02", ("2026-01-01", "2026-11-01"), [("2026-12-01", "2026-12-02")]),
        ("2026-01-15", "2026-03-31", ("2026-02-01", "2026-03-01"), [("2026-01-15", "2026-01-31")]),
        ("2026-01-15", "2026-03-10", ("2026-02-01", "2026-02-01"),
         [("2026-01-15", "2026-01-31"), ("2026-03-01", "2026-03-10")]),
        ("2026-02-03", "2026-02-20", None, [("2026-02-03", "2026-02-20")]),
        ("2026-02-03", "2026-03-02", None, [("2026-02-03", "2026-03-02")]),
        ("2024-02-01", "2024-02-29", ("2024-02-01", "2024-02-01"), []),  # leap year
        ("2025-12-31", "2026-01-31", ("2026-01-01", "2026-01-01"), [("2025-12-31", "2025-12-31")]),
    ],
    ids=["half-year", "year-so-far", "late-start", "both-edges", "inside-a-month",
         "across-two-partial-months", "leap-february", "one-day-before-a-month"],
)  # fmt: skip
def test_a_period_splits_into_whole_months_and_partial_days(start, end, months, edges):
    d = dt.date.fromisoformat
    want_months = (d(months[0]), d(months[1])) if months else None
    assert dates.split_months(d(start), d(end)) == (
        want_months,
        [(d(a), d(b)) for a, b in edges],
    )


def test_the_months_are_listed_on_the_covering_index_led_by_the_month(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    from guongsang.reports import figures

    from ..explain import sql_plan

    activity = create(cast, cast.branch_a, dt.date(2026, 3, 5))

    def fill(table: str, below) -> None:
        # 300 paths below ``below``, four years of months, rolled back with the test (paths
        # no unit holds): on one row, the planner takes any index.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (path, month, form_id, activities, participants, members) "
                "SELECT %s || 'z' || lpad(p::text, 5, '0'), m::date, %s, 1, 1, 1 "
                "FROM generate_series(1, 300) AS p, "
                "generate_series('2023-01-01'::date, '2026-12-01'::date, '1 month') AS m",
                [below.path, activity.form_id],
            )
            cursor.execute(f"ANALYZE {table}")

    fill("outreach_activitymonth", cast.province)  # a province's worth of rollup rows
    grouping = figures.Grouping(cast.province, former_structure=True)
    assert grouping.monthly
    periods = figures.Periods([(dt.date(2026, 1, 1), dt.date(2026, 6, 30))])
    sql, params = queries.activity_sums_monthly_sql(grouping=grouping, periods=periods)
    plan = sql_plan(sql, params)
    # The covering index led by the month, the months listed: one short range of the
    # province's paths per month (benchmarks/README.md).
    assert "Seq Scan" not in plan, plan
    assert "activity_month_sums_idx" in plan, plan
    cond = next(line for line in plan.splitlines() if "Index Cond:" in line)
    assert "month = ANY" in cond and "path" in cond, plan
    # The country's months: the province table by its own covering index.
    fill("outreach_activityprovincemonth", cast.central)
    grouping = figures.Grouping(cast.central, former_structure=True)
    assert grouping.by_province
    sql, params = queries.activity_sums_monthly_sql(grouping=grouping, periods=periods)
    plan = sql_plan(sql, params)
    assert "Seq Scan" not in plan and "activity_province_sums_idx" in plan, plan


def test_the_check_command_finds_a_drift_and_rebuild_mends_it(cast):
    import io

    from django.core.management import CommandError, call_command

    create(cast, cast.commune_a, dt.date(2026, 5, 5))
    out = io.StringIO()
    call_command("check_rollup", stdout=out)
    assert "khớp nhật ký" in out.getvalue()
    ActivityMonth.objects.update(members=0)
    with pytest.raises(CommandError):
        call_command("check_rollup", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_rollup", rebuild=True, stdout=out)
    assert "Đã tính lại" in out.getvalue() and rollup.differences() == []
