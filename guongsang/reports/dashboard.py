"""The home page's dashboard: the year's key figures of the user's subtree against the same days
of last year, what is overdue below her, a small chart, and for a unit with child units the
leading and lagging ones. Computed by ``figures.summary`` (a fixed number of grouped queries),
loaded after the page (HTMX) and kept for a few minutes per unit and day, so that a central
officer's visits do not each add up the whole country."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guongsang.units.models import PATH_END, Unit, UnitKind

from . import figures
from .models import ReportState, Round, UnitReport

CACHE_SECONDS = 600
KEY_FIGURES = [
    ("activities", _("Hoạt động tuyên truyền")),
    ("participants", _("Lượt người tham dự")),
    ("nominations.discovered", _("Điển hình được phát hiện")),
    ("exemplars.recognised", _("Điển hình được công nhận")),
    ("replications", _("Lượt nhân rộng")),
    ("stories.published", _("Bài viết được đăng")),
]
RANKED = 5  # leading and lagging units shown
RANKED_KINDS = {
    UnitKind.PROVINCE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.BRANCH,
    UnitKind.GROUP,
}


@dataclass
class Figure:
    key: str
    label: str
    now: int
    before: int

    @property
    def change(self) -> int:
        return self.now - self.before

    @property
    def percent(self) -> int | None:
        return round(100 * self.change / self.before) if self.before else None


@dataclass
class Ranked:
    unit: Unit
    activities: int
    exemplars: int


@dataclass
class Dashboard:
    unit: Unit
    start: dt.date
    end: dt.date
    figures: list[Figure]
    overdue_tasks: int
    missing_reports: int
    open_rounds: int
    leading: list[Ranked]
    lagging: list[Ranked]
    chart: dict


def _chart(items: list[Figure]) -> dict:
    """Pairs of bars (this year, last year) for the key figures, each pair scaled to its own
    largest value: a glance at the direction, the numbers are beside it."""
    bars = []
    label_width, width = 150, 150
    for i, f in enumerate(items):
        top = max(f.now, f.before) or 1
        y = i * 28
        bars.append(
            {
                "label": f.label,
                "now": f.now,
                "before": f.before,
                "y_text": y + 15,
                "y_now": y + 4,
                "y_before": y + 15,
                "w_now": round(width * f.now / top, 1),
                "w_before": round(width * f.before / top, 1),
            }
        )
    return {
        "bars": bars,
        "x": label_width,
        "width": label_width + width + 4,
        "height": len(items) * 28,
    }


def _missing_reports(unit: Unit, today: dt.date) -> tuple[int, int]:
    """Reports past their deadline and not submitted, in rounds her subtree asked, and the
    number of those rounds still open. One query each, independent of the number of units."""
    rounds = Round.objects.filter(
        unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END
    ).exclude(state="closed")
    late = rounds.filter(deadline__lt=today, task__isnull=False)
    expected = (
        late.filter(task__document__status="issued")
        .values_list("task__assignments", flat=True)
        .count()
    )
    submitted = UnitReport.objects.filter(
        Q(round__in=late.filter(task__document__status="issued")), state=ReportState.SUBMITTED
    ).count()
    open_rounds = rounds.filter(deadline__gte=today, task__document__status="issued").count()
    return max(expected - submitted, 0), open_rounds


def build(unit: Unit, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    start = dt.date(today.year, 1, 1)
    s = figures.summary(unit, start, today, today=today, unit_forms=False)
    items = [
        Figure(key, str(label), s.total.get(key, 0), s.previous_total.get(key, 0))
        for key, label in KEY_FIGURES
    ]
    # Units of the union's levels are ranked; a province's departments (ban) are not.
    children = [
        Ranked(r.unit, r.get("activities"), r.get("exemplars.recognised"))
        for r in s.rows
        if not r.own and not r.closed and r.unit.kind in RANKED_KINDS
    ]
    # A handful of child rows (a province's communes): sorting them here is cheap.
    order = sorted(children, key=lambda r: (-r.activities, -r.exemplars, r.unit.path))
    leading = order[:RANKED] if len(order) > 1 else []
    lagging = list(reversed(order[-RANKED:])) if len(order) > RANKED else []
    missing, open_rounds = _missing_reports(unit, today)
    return Dashboard(
        unit=unit,
        start=start,
        end=today,
        figures=items,
        overdue_tasks=s.total.get("tasks.overdue", 0),
        missing_reports=missing,
        open_rounds=open_rounds,
        leading=leading,
        lagging=lagging,
        chart=_chart(items),
    )


def cached(unit: Unit) -> Dashboard:
    today = timezone.localdate()
    key = f"gs:dashboard:{unit.pk}:{today.isoformat()}"
    board = cache.get(key)
    if board is None:
        board = build(unit, today)
        cache.set(key, board, CACHE_SECONDS)
    return board
