"""Reports API: the live summary figures of a unit's subtree (bearer token, access layer)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from guongsang.api.fields import IsoDate
from guongsang.core.forms import ID_MAX
from guongsang.units import access
from guongsang.units.access import Perm

from . import figures
from .summary_forms import summary_period
from .summary_views import default_unit

router = Router(tags=["reports"])


class SummaryQuery(Schema):
    unit: int | None = Field(None, ge=1, le=ID_MAX)
    date_from: IsoDate | None = Field(None, alias="from")
    date_to: IsoDate | None = Field(None, alias="to")
    former: bool = False


class UnitRef(Schema):
    id: int
    name: str
    kind: str
    valid_to: dt.date | None


class SummaryRowOut(Schema):
    unit: UnitRef
    own: bool = Field(description="records of the unit itself and of units merged into it")
    figures: dict[str, int]
    previous: dict[str, int]


class PeriodOut(Schema):
    date_from: dt.date = Field(serialization_alias="from")
    date_to: dt.date = Field(serialization_alias="to")


class SummaryOut(Schema):
    unit: UnitRef
    period: PeriodOut
    previous_period: PeriodOut
    former_structure: bool
    rows: list[SummaryRowOut]
    total: dict[str, int]
    previous_total: dict[str, int]
    labels: dict[str, str]


def _unit_ref(unit) -> dict:
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind, "valid_to": unit.valid_to}


@router.get("/reports/summary", response=SummaryOut, by_alias=True)
def summary(request, q: Query[SummaryQuery]):
    """Live figures (``reports.figures`` keys) per child unit and in total for ``[from, to]``
    (defaults: the caller's top unit, this year so far), and for the same period a year earlier.
    By default units merged in 2025 count under their successor; ``former=true`` shows the
    structure as it was."""
    unit = (
        access.get_unit(request.user, q.unit, Perm.VIEW)
        if q.unit is not None
        else default_unit(request.user)
    )
    start, end = summary_period(q.date_from, q.date_to, timezone.localdate())
    s = figures.summary(unit, start, end, former_structure=q.former)
    keys = set(s.total) | set(s.previous_total)
    registry = figures.figure_registry()
    return {
        "unit": _unit_ref(unit),
        "period": {"date_from": start, "date_to": end},
        "previous_period": {"date_from": s.previous.start, "date_to": s.previous.end},
        "former_structure": s.former_structure,
        "rows": [
            {"unit": _unit_ref(r.unit), "own": r.own, "figures": r.values, "previous": r.previous}
            for r in s.rows
        ],
        "total": s.total,
        "previous_total": s.previous_total,
        "labels": {k: str(registry[k].label) for k in sorted(keys) if k in registry},
    }
