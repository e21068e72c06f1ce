"""The monthly rollup of the outreach log (``ActivityMonth``): activities, participants and
members per month, activity form and *rollup unit* — the activity's own unit, or for a branch or
a group its commune. A summary of a unit above the communes (province, central union, former
district) reads whole months from here instead of every activity; a summary below, a partial
month and a tree with merged branches read the activities themselves (``queries``). The same
rows summed per province (``ActivityProvinceMonth``: the rollup path cut to
``PROVINCE_WIDTH``) serve the country's summary, whose rows are the provinces.

Exactness: ``Activity.save()`` and ``Activity.delete()`` apply their change to both tables in
the same transaction (an upsert that adds, so concurrent writers never lose a count; writers of
one province's month and form wait for each other's commit on its row); bulk writers call
``add_activities``; ``rebuild`` recomputes everything from the log (the data generator, the
demo, the migration); ``differences`` compares both tables with the log (tests, and the
``check_rollup`` command)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from guongsang.core.db import as_date
from guongsang.units.models import PROVINCE_WIDTH, SEGMENT_WIDTH

# Kinds whose activities roll up to an ancestor, and how many path segments up it is
# (``units.models.ALLOWED_PARENT_KINDS``: a branch sits under a commune, a group under a branch).
ROLLED_UP_LEVELS = {"branch": 1, "group": 2}


def rollup_path(unit_path: str, unit_kind: str) -> str:
    up = ROLLED_UP_LEVELS.get(unit_kind, 0)
    return unit_path[: len(unit_path) - up * SEGMENT_WIDTH] if up else unit_path


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


Key = tuple[str, dt.date, int]  # (rollup path, month, form id)


def apply(deltas: dict[Key, list[int]]) -> None:
    """Add ``deltas[key] = [activities, participants, members]`` to both tables (an upsert per
    key, in batches; the province table's keys are the deltas summed per province); rows that
    reach zero activities are removed."""
    from .models import ActivityMonth, ActivityProvinceMonth

    by_province: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (path, month, form_id), values in deltas.items():
        sums = by_province[(path[:PROVINCE_WIDTH], month, form_id)]
        for i, v in enumerate(values):
            sums[i] += v
    with transaction.atomic():
        _upsert(ActivityMonth._meta.db_table, deltas)
        _upsert(ActivityProvinceMonth._meta.db_table, by_province)


def _upsert(table: str, deltas: dict[Key, list[int]]) -> None:
    rows = [(k, v) for k, v in deltas.items() if any(v)]
    if not rows:
        return
    ops = connection.ops
    with connection.cursor() as cursor:
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


def _province_sql(month_table: str) -> str:
    """The province table's rows, from the month table's."""
    return (
        f"SELECT substr(path, 1, {PROVINCE_WIDTH}), month, form_id, SUM(activities), "  # noqa: S608 (names from code)
        f"SUM(participants), SUM(members) FROM {month_table} GROUP BY 1, 2, 3"
    )


@transaction.atomic
def rebuild() -> int:
    """Recompute both tables from the activities (one INSERT … SELECT each); the month table's
    row count."""
    from .models import ActivityMonth, ActivityProvinceMonth

    table = ActivityMonth._meta.db_table
    provinces = ActivityProvinceMonth._meta.db_table
    columns = "(path, month, form_id, activities, participants, members)"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {provinces}")  # noqa: S608
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} {columns} " + _live_sql(),  # noqa: S608
            [],  # with parameters, the driver reads "%%" as "%"
        )
        cursor.execute(f"INSERT INTO {provinces} {columns} " + _province_sql(table))  # noqa: S608
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def differences(limit: int = 20) -> list[tuple]:
    """Rows where a table and the activities disagree: (table, path, month, form id, stored
    (activities, participants, members), computed ...), the table ``"month"`` or
    ``"province"``. Empty when both are exact."""
    from .models import ActivityMonth, ActivityProvinceMonth

    with connection.cursor() as cursor:
        cursor.execute(_live_sql(), [])
        live = {
            (p, as_date(m), f): (n, people or 0, members or 0)
            for p, m, f, n, people, members in cursor.fetchall()
        }
    live_provinces: dict[Key, tuple] = {}
    for (path, month, form_id), values in live.items():
        key = (path[:PROVINCE_WIDTH], month, form_id)
        before = live_provinces.get(key, (0, 0, 0))
        live_provinces[key] = tuple(a + b for a, b in zip(before, values, strict=True))
    out = []
    for name, model, computed in (
        ("month", ActivityMonth, live),
        ("province", ActivityProvinceMonth, live_provinces),
    ):
        stored = {
            (r.path, r.month, r.form_id): (r.activities, r.participants, r.members)
            for r in model.objects.all()
        }
        for key in sorted(set(computed) | set(stored), key=str):
            if computed.get(key) != stored.get(key):
                out.append((name, *key, stored.get(key), computed.get(key)))
                if len(out) >= limit:
                    return out
    return out
