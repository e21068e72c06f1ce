"""What the system already holds for a unit and a year, shown beside a points table's criteria
(``PointsCriterion.figure`` names a key of ``FIGURES``).

Every figure covers the unit's subtree (its path range, today's structure: the 2025 mergers
count under the successor) over the calendar year, and is read by the database through the
live figures of the reports (``reports.figures``): one grouped query per source family, never
a query per criterion. ``figures_for`` reads several keys in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from guongsang.plans.models import Assignment
from guongsang.reports import figures as live
from guongsang.units.models import PATH_END, Unit, UnitKind

Value = int | str | None


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# Figures read from ``reports.figures`` (its key for each of ours).
LIVE = {
    "tasks.on_time": "tasks.on_time",
    "tasks.late": "tasks.late",
    "tasks.overdue": "tasks.overdue",
    "activities": "activities",
    "participants": "participants",
    "exemplars.recognised": "exemplars.recognised",
    "stories.published": "stories.published",
}


def _live_values(unit: Unit, year: int, keys: Iterable[str]) -> dict[str, int]:
    start, end = _year(year)
    return live.figure_values(sorted(set(keys)), unit, start, end)


def _branches(unit: Unit) -> int:
    """Current branches in the unit's subtree (the unit itself when it is a branch)."""
    return Unit.objects.filter(
        path__gte=unit.path,
        path__lt=unit.path + PATH_END,
        kind=UnitKind.BRANCH,
        valid_to__isnull=True,
    ).count()


def _per_branch(activities: int, branches: int) -> Value:
    if not branches:
        return None
    return f"{activities / branches:.1f}".replace(".", ",")


def _reports_on_time(unit: Unit, year: int) -> Value:
    """The unit's own reports (tasks of the reporting rounds) due in the year: "on time/asked"."""
    start, end = _year(year)
    counts = Assignment.objects.filter(
        recipient__unit=unit,
        task__managed_by="reports",
        task__deadline__gte=start,
        task__deadline__lte=end,
    ).aggregate(
        asked=Count("pk"),
        on_time=Count("pk", filter=Q(done_at__date__lte=F("task__deadline"))),
    )
    if not counts["asked"]:
        return None
    return f"{counts['on_time']}/{counts['asked']}"


def _one(key: str) -> Callable[[Unit, int], Value]:
    def read(unit: Unit, year: int) -> Value:
        return figures_for(unit, year, [key])[key]

    return read


FIGURES: dict[str, tuple[str, Callable[[Unit, int], Value]]] = {
    "tasks.on_time": (_("Nhiệm vụ kế hoạch hoàn thành đúng hạn"), _one("tasks.on_time")),
    "tasks.late": (_("Nhiệm vụ kế hoạch hoàn thành muộn"), _one("tasks.late")),
    "tasks.overdue": (_("Nhiệm vụ kế hoạch quá hạn"), _one("tasks.overdue")),
    "activities": (_("Hoạt động tuyên truyền"), _one("activities")),
    "participants": (_("Lượt người tham dự hoạt động"), _one("participants")),
    "activities.per_branch": (_("Hoạt động bình quân mỗi chi hội"), _one("activities.per_branch")),
    "exemplars.recognised": (_("Điển hình được công nhận"), _one("exemplars.recognised")),
    "nominations.submitted": (_("Hồ sơ đề cử đã gửi"), _one("nominations.submitted")),
    "stories.published": (_("Bài viết được đăng"), _one("stories.published")),
    "reports.on_time": (_("Báo cáo nộp đúng hạn (đúng hạn/được yêu cầu)"), _one("reports.on_time")),
}


def figure_choices() -> list[tuple[str, str]]:
    return [("", _("(không)"))] + [(key, label) for key, (label, _read) in FIGURES.items()]


def figures_for(unit: Unit, year: int, keys: Iterable[str]) -> dict[str, Value]:
    """The figures ``keys`` (unknown keys and blanks skipped) of ``unit``'s subtree for
    ``year``: one query per source family of ``reports.figures``, one for the branches and one
    for the reports, whatever the number of keys. The caller fetched ``unit`` through access."""
    keys = [k for k in dict.fromkeys(keys) if k in FIGURES]
    if not keys:
        return {}
    wanted = {LIVE[k] for k in keys if k in LIVE}
    if "activities.per_branch" in keys:
        wanted.add("activities")
    if "nominations.submitted" in keys:
        wanted |= {"nominations.discovered", "nominations.draft"}
    values = _live_values(unit, year, wanted) if wanted else {}
    out: dict[str, Value] = {}
    for key in keys:
        if key in LIVE:
            out[key] = values.get(LIVE[key], 0)
        elif key == "activities.per_branch":
            out[key] = _per_branch(values.get("activities", 0), _branches(unit))
        elif key == "nominations.submitted":
            out[key] = values.get("nominations.discovered", 0) - values.get("nominations.draft", 0)
        elif key == "reports.on_time":
            out[key] = _reports_on_time(unit, year)
    return out


def display(value: Value) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)
