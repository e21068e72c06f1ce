"""Reused reads of the unit tree."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import PATH_END, Unit


def children_of(unit: Unit, *, include_closed: bool = False) -> QuerySet[Unit]:
    if include_closed:
        qs = Unit.objects.filter(parent=unit).annotate(child_count=Count("children"))
    else:
        qs = Unit.objects.filter(parent=unit, valid_to__isnull=True).annotate(
            child_count=Count("children", filter=Q(children__valid_to__isnull=True))
        )
    return qs.order_by("kind", "name_folded")


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
