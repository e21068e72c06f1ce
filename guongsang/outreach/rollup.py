"""The monthly rollup of the outreach log (``ActivityMonth``): activities, participants and
members per month, activity form and *rollup unit* — the activity's own unit, or for a branch or
a group its commune. A summary of a unit above the communes (province, central union, former
district) reads whole months from here instead of every activity; a summary below, a partial
month and a tree with merged branches read the activities themselves (``queries``).

Exactness: ``Activity.save()`` and ``Activity.delete()`` apply their change here in the same
transaction (an upsert that adds, so concurrent writers never lose a count); bulk writers call
``add_activities``; ``rebuild`` recomputes everything from the log (the data generator, the
demo, the migration); ``differences`` compares the table with the log (tests, and the
``check_rollup`` command)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from guongsang.core.db import as_date

# Kinds whose activities roll up to an ancestor, and how many path segments up it is
# (``units.models.ALLOWED_PARENT_KINDS``: a branch sits under a commune, a group under a branch).
ROLLED_UP_LEVELS = {"branch": 1, "group": 2}


def rollup_path(unit_path: str, unit_kind: str) -> str:
    from guongsang.units.models import SEGMENT_WIDTH

    up = ROLLED_UP_LEVELS.get(unit_kind, 0)
    return unit_path[: len(unit_path) - up * SEGMENT_WIDTH] if up else unit_path


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


Key = tuple[str, dt.date, int]  # (rollup path, month, form id)


def apply(deltas: dict[Key, list[int]]) -> None:
    """Add ``deltas[key] = [activities, participants, members]`` to the table (an upsert per
    key, in batches); rows that reach zero activities are removed."""
    from .models import ActivityMonth

    rows = [(k, v) for k, v in deltas.items() if any(v)]
    if not rows:
        return
    table = ActivityMonth._meta.db_table
    ops = connection.ops
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            params: list = []
            for (path, month, form_id), (n, people, members) in batch:
                params += [path, ops.adapt_datefield_value(month), form_id, n, people, members]
            cursor.execute(
                f"INSERT INTO {table} (path, month, form_id, activities, participants, members) "  # noqa: S608 (table name from the model)
                f"VALUES {values} ON CONFLICT (path, month, form_id) DO UPDATE SET "
                f"activities = {table}.activities + excluded.activities, "
                f"participants = {table}.participants + excluded.participants, "
                f"members = {table}.members + excluded.members",
                params,
            )
            # Rows of the keys just written that reached zero (by the unique index, never a
            # scan of the whole table on each write).
            emptied = [
                (path, month, form_id) for (path, month, form_id), (n, *_r) in batch if n < 0
            ]
            if emptied:
                keys = " OR ".join(["(path = %s AND month = %s AND form_id = %s)"] * len(emptied))
                cursor.execute(
                    f"DELETE FROM {table} WHERE activities = 0 AND ({keys})",  # noqa: S608
                    [
                        x
                        for path, month, form_id in emptied
                        for x in (path, ops.adapt_datefield_value(month), form_id)
                    ],
                )


def change(old: tuple | None, new: tuple | None) -> None:
    """One activity's change: ``old`` and ``new`` are (rollup path, date, form id,
    participants, members), or None when it did not exist / no longer exists."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row, sign in ((old, -1), (new, 1)):
        if row is None:
            continue
        path, day, form_id, people, members = row
        d = deltas[(path, month_of(day), form_id)]
        d[0] += sign
        d[1] += sign * (people or 0)
        d[2] += sign * (members or 0)
    apply(deltas)


def add_activities(activities: Iterable, unit_kinds: dict[int, str]) -> None:
    """After a bulk insert: ``activities`` with ``unit_path`` filled, ``unit_kinds`` by unit id."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for a in activities:
        key = (rollup_path(a.unit_path, unit_kinds[a.unit_id]), month_of(a.date), a.form_id)
        d = deltas[key]
        d[0] += 1
        d[1] += a.participants or 0
        d[2] += a.members or 0
    apply(deltas)


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"strftime('%%Y-%%m-01', {column})"


def _rollup_path_sql() -> str:
    """The rollup path of ``a`` (an activity) joined to ``u`` (its unit), in SQL."""
    from guongsang.units.models import SEGMENT_WIDTH

    whens = " ".join(
        f"WHEN '{kind}' THEN substr(a.unit_path, 1, length(a.unit_path) - {up * SEGMENT_WIDTH})"
        for kind, up in ROLLED_UP_LEVELS.items()
    )
    return f"CASE u.kind {whens} ELSE a.unit_path END"


def _live_sql() -> str:
    from guongsang.units.models import Unit

    from .models import Activity

    return (
        f"SELECT {_rollup_path_sql()}, {_month_sql('a.date')}, a.form_id, COUNT(*), "  # noqa: S608 (names from code)
        "SUM(a.participants), SUM(a.members) "
        f"FROM {Activity._meta.db_table} a JOIN {Unit._meta.db_table} u ON u.id = a.unit_id "
        "GROUP BY 1, 2, 3"
    )


@transaction.atomic
def rebuild() -> int:
    """Recompute the whole table from the activities (one INSERT … SELECT); its row count."""
    from .models import ActivityMonth

    table = ActivityMonth._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (path, month, form_id, activities, participants, members) "  # noqa: S608
            + _live_sql(),
            [],  # with parameters, the driver reads "%%" as "%"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def differences(limit: int = 20) -> list[tuple]:
    """Rows where the table and the activities disagree: (path, month, form id, stored
    (activities, participants, members), computed ...). Empty when exact."""
    from .models import ActivityMonth

    with connection.cursor() as cursor:
        cursor.execute(_live_sql(), [])
        live = {
            (p, as_date(m), f): (n, people or 0, members or 0)
            for p, m, f, n, people, members in cursor.fetchall()
        }
    stored = {
        (r.path, r.month, r.form_id): (r.activities, r.participants, r.members)
        for r in ActivityMonth.objects.all()
    }
    out = []
    for key in sorted(set(live) | set(stored), key=str):
        if live.get(key) != stored.get(key):
            out.append((*key, stored.get(key), live.get(key)))
            if len(out) >= limit:
                break
    return out
