"""Reused reads of the outreach log, for pages of other apps (reports)."""

from __future__ import annotations

from django.db import connection

from guongsang.core.dates import month_parts
from guongsang.core.db import fetch_all

from .models import Activity, ActivityForm, ActivityMonth, ActivityProvinceMonth, Story


def activity_forms():
    return ActivityForm.objects.order_by("order", "name")


def activity_form_names() -> list[tuple[int, str]]:
    """(id, name) of every activity form, in ``activity_forms``' order; written out (read on
    every summary, where the ORM took longer to build the query than to run it)."""
    table = connection.ops.quote_name(ActivityForm._meta.db_table)
    return fetch_all(f'SELECT id, name FROM {table} ORDER BY "order", name', [])  # noqa: S608 (name from the model)


# The grouped counts of a summary are SQL: ``grouping`` (reports.figures.Grouping) gives the
# scope and the bucket (the row's path prefix) on a stored unit path, ``periods`` the filter and
# the period index; one GROUP BY whatever the number of units.


def activity_sums_sql(*, grouping, periods, totals=False) -> tuple[str, list]:
    """The SQL of ``activity_sums`` and its parameters (tests read its plan); ``totals``: see
    ``activity_sum_parts_sql``."""
    period, p1 = periods.index_sql("a.date")
    bucket, p2 = grouping.bucket_sql("a.unit_path")
    scope, p3 = grouping.scope_sql("a.unit_path")
    # SQLite, without statistics, would take the period's days over the whole tree
    # (``activity_day_report_idx``) as readily as the subtree's range: "+" keeps it off the days.
    when, p4 = periods.where_sql("+a.date" if connection.vendor == "sqlite" else "a.date")
    sql = (
        f"SELECT {period}, {bucket}, a.form_id, COUNT(*), SUM(a.participants), SUM(a.members) "  # noqa: S608 (names from code; every value is a parameter)
        f"FROM {Activity._meta.db_table} a WHERE {scope} AND {when} "
        f"GROUP BY {'1, GROUPING SETS ((2), (3))' if totals else '1, 2, 3'}"
    )
    return sql, [*p1, *p2, *p3, *p4]


def activity_sums(*, grouping, periods) -> list[tuple]:
    """(period, bucket, form id, activities, participants, members), one row per (period,
    bucket, form). When ``grouping.monthly`` (a summary above the communes, ``rollup``), whole
    months come from the monthly rollup and the days of partial months from the activities;
    otherwise every activity is read, by its date and its copied unit path: one range of
    ``activity_path_report_idx`` (unit_path, date, form, ...) per scope root, index-only, with
    no join to the units."""
    if getattr(grouping, "monthly", False):
        return _merged(fetch_all(*activity_sums_monthly_sql(grouping=grouping, periods=periods)))
    return fetch_all(*activity_sums_sql(grouping=grouping, periods=periods))


def activity_sum_parts_sql(
    *, grouping, periods, rollup_paths=False, totals=False
) -> tuple[str, list]:
    """The SQL of the rows of ``activity_sums`` before the parts are summed: over the monthly
    rollup, a (period, bucket, form) may come twice (its whole months and its partial days). For
    a caller that adds the rows up anyway (the summary), which saves a pass over thousands of
    rows. ``rollup_paths``: see ``activity_sums_monthly_sql`` (the rows' second column is then
    a path to cut to its bucket).

    ``totals`` (PostgreSQL, and no merger to map: ``grouping.entries`` empty, so no record
    falls outside the rows): instead of a row per bucket and form, each part gives a row per
    bucket (form None) and a row per form over the whole scope (bucket None), from one reading
    (``GROUPING SETS``): what a caller needs that shows each row's figures in total only. A
    province's 4,678 rows become 704, read in 8.4 against 11.9 ms (national data)."""
    if totals and (connection.vendor != "postgresql" or grouping.entries):
        raise ValueError("totals: PostgreSQL only, and no merger to map")
    if getattr(grouping, "monthly", False):
        return activity_sums_monthly_sql(
            grouping=grouping, periods=periods, rollup_paths=rollup_paths, totals=totals
        )
    return activity_sums_sql(grouping=grouping, periods=periods, totals=totals)


def activity_sums_monthly_sql(
    *, grouping, periods, rollup_paths=False, totals=False
) -> tuple[str, list]:
    """The SQL of ``activity_sums`` over the monthly rollup: one statement, the months of every
    period from ``activity_month_sums_idx`` (month, path, ...: the months listed, so that each
    is one short range of the subtree's paths) and each partial month's days from
    ``activity_day_report_idx`` (a range of days, whatever the size of the subtree), each part
    grouped on its own (a country's months are 300,000 rows); ``_merged`` sums the parts.

    ``rollup_paths``: the months' rows come back by rollup path rather than by bucket, for a
    caller that cuts each path to its bucket itself (the summary, ``reports.figures``); allowed
    only when the bucket is a path's prefix (``grouping.entries`` empty). Grouping on the stored
    path spares the database a ``substr`` per row: a province's rollup paths are its communes,
    one row per bucket anyway. ``totals``: see ``activity_sum_parts_sql``."""
    ops = connection.ops
    group_by = "GROUPING SETS ((2), (3))" if totals else "2, 3"
    parts, params = [], []
    # The rows are provinces (``grouping.by_province``): their months, summed per province.
    by_province = getattr(grouping, "by_province", False)
    months_table = (ActivityProvinceMonth if by_province else ActivityMonth)._meta.db_table
    for index, firsts, edges in month_parts(periods.spans):
        if firsts:
            if rollup_paths:
                if grouping.entries:
                    raise ValueError("a merged unit's bucket is not a prefix of its path")
                bucket, p1 = "m.path", []
            else:
                bucket, p1 = grouping.bucket_sql("m.path")
            scope, p2 = grouping.scope_sql("m.path")
            parts.append(
                f"SELECT {int(index)} AS p, {bucket} AS b, m.form_id AS f, "  # noqa: S608 (names from code; every value is a parameter)
                # The sums of bigint columns come back as numeric (Decimal) on PostgreSQL
                # unless cast: thousands of Decimals per summary.
                "SUM(m.activities) AS n, CAST(SUM(m.participants) AS BIGINT) AS people, "
                "CAST(SUM(m.members) AS BIGINT) AS mem "
                f"FROM {months_table} m WHERE m.month IN ({', '.join(['%s'] * len(firsts))}) "
                f"AND {scope} GROUP BY {group_by}"
            )
            params += [*p1, *(ops.adapt_datefield_value(d) for d in firsts), *p2]
        for a, b in edges:
            bucket, p1 = grouping.bucket_sql("a.unit_path")
            scope, p2 = grouping.scope_sql("a.unit_path")
            parts.append(
                f"SELECT {int(index)} AS p, {bucket} AS b, a.form_id AS f, COUNT(*) AS n, "  # noqa: S608 (names from code; every value is a parameter)
                "SUM(a.participants) AS people, SUM(a.members) AS mem "
                f"FROM {Activity._meta.db_table} a "
                f"WHERE a.date >= %s AND a.date <= %s AND {scope} GROUP BY {group_by}"
            )
            params += [*p1, ops.adapt_datefield_value(a), ops.adapt_datefield_value(b), *p2]
    return " UNION ALL ".join(parts), params


def _merged(rows: list[tuple]) -> list[tuple]:
    """The parts' rows summed per (period, bucket, form): a whole month and its partial days
    give two rows for one key. (Summed here rather than by an outer GROUP BY, which kept
    PostgreSQL from reading the parts in parallel: 1.3× the parts alone for the country.)"""
    out: dict[tuple, list[int]] = {}
    for p, b, f, n, people, members in rows:
        row = out.get((p, b, f))
        if row is None:
            out[(p, b, f)] = [int(n), int(people or 0), int(members or 0)]
        else:
            row[0] += int(n)
            row[1] += int(people or 0)
            row[2] += int(members or 0)
    return [(*key, *values) for key, values in out.items()]


def stories_published_sql(*, grouping, periods) -> tuple[str, list]:
    """(period, bucket, stories) by the first publication (whatever happened to the story
    since) and the subject's unit path, stored on the exemplar."""
    period, p1 = periods.index_sql("s.published_at", moment=True)
    bucket, p2 = grouping.bucket_sql("e.subject_path")
    scope, p3 = grouping.scope_sql("e.subject_path")
    when, p4 = periods.where_sql("s.published_at", moment=True)
    sql = (
        f"SELECT {period}, {bucket}, COUNT(*) FROM {Story._meta.db_table} s "  # noqa: S608 (names from code; every value is a parameter)
        "JOIN exemplars_exemplar e ON e.id = s.exemplar_id "
        f"WHERE {scope} AND {when} GROUP BY 1, 2"
    )
    return sql, [*p1, *p2, *p3, *p4]
