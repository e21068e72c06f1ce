"""Reused reads of the unit tree."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import PATH_END, Unit


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
    from django.db.models import Q

    found: dict[str, str] = {}
    ranges = [unit.path]
    for _step in range(5):
        q = Q()
        for p in ranges:
            q |= Q(path__gte=p, path__lt=p + PATH_END)
            q |= Q(successor_path__gte=p, successor_path__lt=p + PATH_END)
        rows = (
            Unit.objects.exclude(successor_path="").filter(q).values_list("path", "successor_path")
        )
        new = {path: succ for path, succ in rows if path not in found}
        found.update(new)
        # Predecessors from outside the subtree bring their own subtrees (and what merged there).
        ranges = [p for p in new if not p.startswith(unit.path)]
        if not ranges:
            break
    return found


def summary_children(unit: Unit) -> QuerySet[Unit]:
    """Every child of ``unit``, closed ones included, with what a summary row shows."""
    return (
        Unit.objects.filter(parent=unit)
        .only("name", "kind", "code", "path", "valid_to", "successor_path", "parent_id")
        .order_by("kind", "name_folded", "pk")
    )


def any_of_kinds(paths: list[str], kinds) -> bool:
    """Whether any unit at ``paths`` is of one of ``kinds`` (no query for no paths)."""
    if not paths:
        return False
    return Unit.objects.filter(path__in=paths, kind__in=list(kinds)).exists()
