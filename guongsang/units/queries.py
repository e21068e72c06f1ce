"""Reused reads of the unit tree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from guongsang.core.db import as_date, fetch_all

from .models import PATH_END, StructureStamp, Unit


def children_of(unit: Unit, *, include_closed: bool = False) -> QuerySet[Unit]:
    # The grandchildren are counted per child in a subquery: a GROUP BY over the join sorted
    # every grandchild row (3,321 communes under the central union) to count them.
    grandchildren = Unit.objects.filter(parent=OuterRef("pk"))
    qs = Unit.objects.filter(parent=unit)
    if not include_closed:
        grandchildren = grandchildren.filter(valid_to__isnull=True)
        qs = qs.filter(valid_to__isnull=True)
    count = grandchildren.order_by().values("parent").annotate(n=Count("*")).values("n")
    qs = qs.annotate(child_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))
    # Only what the tree and the unit page show: a level can hold hundreds of units.
    return qs.only("name", "kind", "code", "valid_to", "parent_id").order_by("kind", "name_folded")


def ancestors_of(unit: Unit) -> list[Unit]:
    paths = unit.ancestor_paths()
    by_path = {u.path: u for u in Unit.objects.filter(path__in=paths)}
    return [by_path[p] for p in paths if p in by_path]


def subtree_counts(unit: Unit) -> dict[str, int]:
    rows = (
        Unit.objects.filter(path__gt=unit.path, path__lt=unit.path + PATH_END)
        .filter(valid_to__isnull=True)
        .values("kind")
        .annotate(n=Count("*"))
    )
    return {row["kind"]: row["n"] for row in rows}


def merged_around(unit: Unit) -> dict[str, str]:
    """Closed units with a successor whose records may count in ``unit``'s summary, as
    ``{path: successor_path}``: those inside its subtree and those merged into it (and, in
    turn, into those: chains up to five steps). Read from the partial index of closed units,
    so the cost follows the number of mergers, not the number of units."""
    found: dict[str, str] = {}
    ranges = [unit.path]
    for _step in range(5):
        rows = fetch_all(*merged_around_sql(ranges))
        new = {path: succ for path, succ in rows if path not in found}
        found.update(new)
        # Predecessors from outside the subtree bring their own subtrees (and what merged there).
        ranges = [p for p in new if not p.startswith(unit.path)]
        if not ranges:
            break
    return found


def ranges_sql(paths: list[str], column: str) -> tuple[str, list]:
    """The subtrees at ``paths`` as a condition on a path ``column`` (``access.scope_q``'s ranges
    written as SQL, ``column >= p AND column < p || '~'`` for each path), with its parameters.
    No path: nothing; the empty path (a superuser's scope): everything."""
    if not paths:
        return "1 = 0", []
    if "" in paths:
        return "1 = 1", []
    sql = " OR ".join(f"({column} >= %s AND {column} < %s)" for _p in paths)
    return f"({sql})", [x for p in paths for x in (p, p + PATH_END)]


def merged_around_sql(ranges: list[str]) -> tuple[str, list]:
    """One step of ``merged_around``: the closed units with a successor inside, or merged into,
    the subtrees at ``ranges``. Written as SQL: on every summary, building it through the ORM
    cost more than the query (0.3 of 0.6 ms for a province, measured). The condition is spelled
    as the partial index's (``NOT (successor_path = '')``): SQLite uses a partial index only
    then, and with ``<> ''`` it read every unit (136k on national data)."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    inside, p1 = ranges_sql(ranges, "path")
    merged_into, p2 = ranges_sql(ranges, "successor_path")
    return (
        f"SELECT path, successor_path FROM {table} "  # noqa: S608 (names from code; values are parameters)
        f"WHERE NOT (successor_path = '') AND ({inside} OR {merged_into})",
        [*p1, *p2],
    )


@dataclass(frozen=True, slots=True)
class ChildUnit:
    """A child row of a summary: what the row shows and links to, read as plain values (a
    province's 168 model instances cost more than the query that reads them)."""

    id: int
    name: str
    kind: str
    code: str
    path: str
    valid_to: dt.date | None
    successor_path: str

    @property
    def pk(self) -> int:
        return self.id


def summary_children(unit: Unit) -> list[ChildUnit]:
    """Every child of ``unit``, closed ones included, with what a summary row shows. Written
    out: built by the ORM, the query took a third more than with it written (1.8 against
    1.3 ms for a province's 168 communes)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.name) for f in dataclass_fields(ChildUnit))
    sql = (
        f"SELECT {columns} FROM {quote(Unit._meta.db_table)} "  # noqa: S608 (names from code; the id is a parameter)
        "WHERE parent_id = %s ORDER BY kind, name_folded, id"
    )
    return [
        ChildUnit(pk, name, kind, code, path, as_date(valid_to), successor)
        for pk, name, kind, code, path, valid_to, successor in fetch_all(sql, [unit.pk])
    ]


def any_of_kinds(paths: list[str], kinds) -> bool:
    """Whether any unit at ``paths`` is of one of ``kinds`` (no query for no paths)."""
    if not paths:
        return False
    return Unit.objects.filter(path__in=paths, kind__in=list(kinds)).exists()


def structure_stamp() -> int | None:
    """The value of ``StructureStamp``: it moves with every committed change of the units or the
    memberships. ``None`` when the row is missing (a flushed test database): nothing may then be
    kept under it. Written out: it is read on every visit of the home page."""
    quote = connection.ops.quote_name
    meta = StructureStamp._meta
    rows = fetch_all(
        f"SELECT {quote(meta.get_field('value').column)} FROM {quote(meta.db_table)} "  # noqa: S608 (names from code)
        f"WHERE {quote(meta.pk.column)} = 1",
        [],
    )
    return rows[0][0] if rows else None
