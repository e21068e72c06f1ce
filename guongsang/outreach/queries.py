"""Reused reads of the outreach log, for pages of other apps (reports)."""

from __future__ import annotations

from django.db import connection

from .models import Activity, ActivityForm, Story


def activity_forms():
    return ActivityForm.objects.order_by("order", "name")


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The grouped counts of a summary are SQL: ``grouping`` (reports.figures.Grouping) gives the
# scope and the bucket (the row's path prefix) on a stored unit path, ``periods`` the filter and
# the period index; one GROUP BY whatever the number of units.


def activity_sums_sql(*, grouping, periods) -> tuple[str, list]:
    """The SQL of ``activity_sums`` and its parameters (tests read its plan)."""
    period, p1 = periods.index_sql("a.date")
    bucket, p2 = grouping.bucket_sql("a.unit_path")
    scope, p3 = grouping.scope_sql("a.unit_path")
    when, p4 = periods.where_sql("a.date")
    sql = (
        f"SELECT {period}, {bucket}, a.form_id, COUNT(*), SUM(a.participants), SUM(a.members) "  # noqa: S608 (names from code; every value is a parameter)
        f"FROM {Activity._meta.db_table} a WHERE {scope} AND {when} GROUP BY 1, 2, 3"
    )
    return sql, [*p1, *p2, *p3, *p4]


def activity_sums(*, grouping, periods) -> list[tuple]:
    """(period, bucket, form id, activities, participants, members) by the activity's date and
    its copied unit path: one range of ``activity_path_report_idx`` (unit_path, date, form,
    ...) per scope root, read index-only, with no join to the units."""
    return _fetch(*activity_sums_sql(grouping=grouping, periods=periods))


def stories_published(*, grouping, periods) -> list[tuple]:
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
    return _fetch(sql, [*p1, *p2, *p3, *p4])
