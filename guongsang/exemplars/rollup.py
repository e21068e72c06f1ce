"""Nominations per province, local month of creation and current state
(``NominationProvinceMonth``). The country's summary (``reports.figures``: its rows are the
provinces) reads whole months here and only the partial months' days from the nominations:
on national data, 1.6 ms against 17.5 ms for this year so far and the same days a year earlier
read nomination by nomination (43,513 and 3,287 nominations; 30 ms when all 50,000 fell in the
period).

Exactness: database triggers on ``exemplars_nomination`` (migration 0012) move the counts in
the writer's own transaction on every insert, delete and change of state, proposing path or
moment of creation, however written (services, bulk writes, cascades, raw SQL). Writers of one
province's month and state wait for each other's commit on its row. ``differences`` compares
the table with the nominations, counted here in Python by local day (tests and the
``check_rollup`` command); ``rebuild`` recomputes it.

The triggers take the local month in the ``TIME_ZONE`` of the migration (on SQLite its fixed
offset): after changing ``TIME_ZONE``, create them again (``migrate exemplars 0011``, then
``migrate``)."""

from __future__ import annotations

from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from guongsang.units.models import PROVINCE_WIDTH

TRIGGERS = {
    "postgresql": (
        "exemplars_nomination_months",
        "exemplars_nomination_months_update",
        "exemplars_nomination_months_truncate",
    ),
    "sqlite": (
        "exemplars_nomination_months_insert",
        "exemplars_nomination_months_delete",
        "exemplars_nomination_months_update",
    ),
}


def triggers_present() -> set[str]:
    """The names of the triggers keeping the table that exist in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'exemplars_nomination'::regclass "
                "AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'exemplars_nomination'"
            )
        return {name for (name,) in cursor.fetchall()}


def missing_triggers() -> list[str]:
    """The triggers keeping the table that the database lacks (none after the migrations; a
    table rebuilt by hand, or restored without its triggers, loses them)."""
    present = triggers_present()
    return [name for name in TRIGGERS[connection.vendor] if name not in present]


def live() -> Counter:
    """The counts computed from the nominations: (path, month, state) -> nominations."""
    from .models import Nomination

    out: Counter = Counter()
    rows = Nomination.objects.values_list("proposing_path", "created_at", "state")
    for path, created_at, state in rows.iterator(chunk_size=5000):
        month = timezone.localtime(created_at).date().replace(day=1)
        out[(path[:PROVINCE_WIDTH], month, state)] += 1
    return out


def differences(limit: int = 20) -> list[tuple]:
    """Keys where the table and the nominations disagree: (path, month, state, stored,
    computed), stored or computed None where the row is missing. Empty when exact."""
    from .models import NominationProvinceMonth

    computed = live()
    stored = {
        (r.path, r.month, r.state): r.nominations for r in NominationProvinceMonth.objects.all()
    }
    out = []
    for key in sorted(set(computed) | set(stored), key=str):
        if computed.get(key) != stored.get(key):
            out.append((*key, stored.get(key), computed.get(key)))
            if len(out) >= limit:
                break
    return out


@transaction.atomic
def rebuild() -> int:
    """Recompute the table from the nominations; its row count."""
    from .models import NominationProvinceMonth

    NominationProvinceMonth.objects.all().delete()
    rows = [
        NominationProvinceMonth(path=path, month=month, state=state, nominations=n)
        for (path, month, state), n in live().items()
    ]
    NominationProvinceMonth.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
