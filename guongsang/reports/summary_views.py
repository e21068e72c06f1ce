"""Sơ kết / tổng kết pages: live figures for a unit's subtree and a period (reports.figures)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from guongsang.exemplars.models import Category, NominationState, SubjectKind
from guongsang.exemplars.queries import movement_names
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END, SEGMENT_WIDTH
from guongsang.units.queries import ancestors_of

from . import figures, services
from .models import Aggregation, ReportState, UnitReport
from .summary_forms import SummaryForm, presets

MAIN_KEYS = [
    "activities",
    "participants",
    "members",
    "exemplars.recognised",
    "nominations.discovered",
    "replications",
    "stories.published",
    "tasks.on_time",
    "tasks.late",
    "tasks.overdue",
]
TASK_KEYS = ["tasks.on_time", "tasks.late", "tasks.overdue"]


@dataclass
class Line:
    """One line of a table: a label, an optional link, and numbers in column order (the last
    one a change, shown with its sign, when ``change`` is set)."""

    label: str
    cells: list
    url: str = ""
    note: str = ""
    strong: bool = False
    change: bool = False


def number_formatter():
    """Whole numbers with the language's thousands separator ("1.745.763" in Vietnamese), and
    changes with their sign. Formatted once here: a province's page shows thousands of numbers,
    and the template's localisation of each took a third of its rendering."""
    separator = formats.get_format("THOUSAND_SEPARATOR")

    def fmt(n: int, signed: bool = False) -> str:
        text = f"{abs(n):,}".replace(",", separator)
        if n < 0:
            return "−" + text
        return "+" + text if signed and n > 0 else text

    return fmt


def _compare(key: str, s: figures.Summary) -> list[int]:
    now, before = s.total.get(key, 0), s.previous_total.get(key, 0)
    return [now, before, now - before]


def summary_query(unit_pk: int, start, end, former: bool) -> str:
    query = {"don_vi": unit_pk, "tu": start.isoformat(), "den": end.isoformat()}
    if former:
        query["cu"] = "1"
    return urlencode(query)


def summary_url(unit_pk: int, start, end, former: bool) -> str:
    return f"{reverse('reports:summary')}?{summary_query(unit_pk, start, end, former)}"


# Chart geometry (SVG user units): label column, bar area, row height.
CHART_LABEL = 170
CHART_BARS = 220
CHART_ROW = 30


CHART_MAX_BARS = 40


def bar_chart(s: figures.Summary, key: str) -> dict | None:
    """Horizontal bars per row, this period against the same period a year earlier; drawn on
    the server so the page needs no script and prints as it shows. Above ``CHART_MAX_BARS``
    rows (a province of 168 communes) only the highest are drawn; the table has them all."""
    rows = [(r, r.get(key), r.previous.get(key, 0)) for r in s.rows]
    top = max([max(now, before) for _r, now, before in rows] + [0])
    if not rows or top == 0:
        return None
    fmt = number_formatter()
    shown = rows
    if len(rows) > CHART_MAX_BARS:
        shown = sorted(rows, key=lambda r: -r[1])[:CHART_MAX_BARS]
    bars = []
    for i, (row, now, before) in enumerate(shown):
        y = i * CHART_ROW
        bars.append(
            {
                "label": _row_label(row),
                "text_y": y + 15,
                "now": fmt(now),
                "before": fmt(before),
                "now_width": round(CHART_BARS * now / top, 1),
                "before_width": round(CHART_BARS * before / top, 1),
                "now_y": y + 3,
                "before_y": y + 16,
                "value_x": CHART_LABEL + round(CHART_BARS * max(now, before) / top, 1) + 6,
            }
        )
    return {
        "key": key,
        "title": figures.FIGURES[key].label,
        "bars": bars,
        "partial": len(shown) < len(rows),
        "label_width": CHART_LABEL,
        "bar_x": CHART_LABEL,
        "width": CHART_LABEL + CHART_BARS + 60,
        "height": len(shown) * CHART_ROW + 4,
    }


def _row_label(row: figures.Row) -> str:
    if row.own:
        return _("Trực tiếp tại %(unit)s") % {"unit": row.unit.name}
    return row.unit.name


def _tables(s: figures.Summary, former: bool) -> dict:
    main_rows = []
    for row in s.rows:
        note = ""
        if row.own:
            note = (
                _("số liệu của chính đơn vị")
                if former
                else _("số liệu của chính đơn vị và của đơn vị cũ sáp nhập vào")
            )
        elif row.closed:
            note = _("đã kết thúc hoạt động %(day)s") % {"day": f"{row.unit.valid_to:%d/%m/%Y}"}
        main_rows.append(
            Line(
                label=_row_label(row),
                cells=[row.get(k) for k in MAIN_KEYS],
                url="" if row.own else summary_url(row.unit.pk, s.start, s.end, former),
                note=note,
            )
        )
    total = [s.total.get(k, 0) for k in MAIN_KEYS]
    before = [s.previous_total.get(k, 0) for k in MAIN_KEYS]
    forms = [
        Line(
            label=f.name,
            cells=[
                v
                for measure in figures.ACTIVITY_MEASURES
                for v in _compare(f"{measure}@{f.slug}", s)[:2]
            ],
        )
        for f in s.forms
        if any(
            s.total.get(f"{m}@{f.slug}") or s.previous_total.get(f"{m}@{f.slug}")
            for m in figures.ACTIVITY_MEASURES
        )
    ]
    exemplar_lines = []
    for cat in Category:
        cells = [s.total.get(f"exemplars.recognised@{cat.value}.{k.value}", 0) for k in SubjectKind]
        cells += _compare(f"exemplars.recognised@{cat.value}", s)
        exemplar_lines.append(Line(label=str(cat.label), cells=cells, change=True))
    exemplar_lines.append(
        Line(
            label=_("Tổng số"),
            cells=[
                sum(s.total.get(f"exemplars.recognised@{c.value}.{k.value}", 0) for c in Category)
                for k in SubjectKind
            ]
            + _compare("exemplars.recognised", s),
            strong=True,
            change=True,
        )
    )
    names = movement_names({m for m, _c, _k in s.current.movements}) if s.current.movements else {}
    by_movement: dict = {}
    for (movement, cat, _kind), n in s.current.movements.items():
        cells = by_movement.setdefault(movement, [0] * (len(Category) + 1))
        cells[list(Category.values).index(cat)] += n
        cells[-1] += n
    movement_lines = sorted(
        (
            Line(label=names.get(m, _("Không gắn phong trào")), cells=cells)
            for m, cells in by_movement.items()
        ),
        key=lambda line: (-line.cells[-1], line.label),
    )
    nomination_lines = [
        Line(label=str(state.label), cells=_compare(f"nominations.{state.value}", s), change=True)
        for state in NominationState
    ]
    nomination_lines.append(
        Line(
            label=_("Tổng số hồ sơ mới"),
            cells=_compare("nominations.discovered", s),
            strong=True,
            change=True,
        )
    )
    other_lines = [
        Line(label=str(figures.FIGURES[k].label), cells=_compare(k, s), change=True)
        for k in ["replications", "stories.published", *TASK_KEYS]
    ]
    fmt = number_formatter()
    for line in [*main_rows, *forms, *exemplar_lines, *movement_lines, *nomination_lines]:
        line.cells = [
            fmt(v, line.change and i == len(line.cells) - 1) for i, v in enumerate(line.cells)
        ]
    for line in other_lines:
        line.cells = [fmt(v, i == len(line.cells) - 1) for i, v in enumerate(line.cells)]
    return {
        "columns": [figures.FIGURES[k] for k in MAIN_KEYS],
        "main_rows": main_rows,
        "main_total": [fmt(v) for v in total],
        "main_before": [fmt(v) for v in before],
        "main_change": [fmt(a - b, True) for a, b in zip(total, before, strict=True)],
        "forms": forms,
        "exemplar_kinds": [str(k.label) for k in SubjectKind],
        "exemplar_lines": exemplar_lines,
        "movement_categories": [str(c.label) for c in Category],
        "movement_lines": movement_lines,
        "nomination_lines": nomination_lines,
        "other_lines": other_lines,
    }


def default_unit(user):
    roots = sorted(access.root_units(user, Perm.VIEW), key=lambda u: (len(u.path), u.path))
    if not roots:
        raise Http404
    return roots[0]


@login_required
def summary(request):
    form = SummaryForm(request.GET)
    valid = form.is_valid()
    # The unit is resolved even when a date is wrong: the page keeps its heading and links.
    if "don_vi" in form.errors:
        unit = None
    elif form.cleaned_data.get("don_vi"):
        unit = access.get_unit(request.user, form.cleaned_data["don_vi"], Perm.VIEW)
    else:
        unit = default_unit(request.user)
    today = timezone.localdate()
    context = {"form": form, "unit": unit, "summary": None}
    if unit is not None:
        context["ancestors"] = [
            a for a in ancestors_of(unit) if access.can(request.user, Perm.VIEW, a)
        ]
        former = bool(form.cleaned_data.get("cu"))
        context["presets"] = [
            (label, summary_url(unit.pk, a, b, former)) for label, a, b in presets(today)
        ]
    if not valid or unit is None:
        return render(request, "reports/summary.html", context, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    former = form.cleaned_data["cu"]
    s = figures.summary(unit, start, end, former_structure=former, today=today)
    context.update(
        {
            "summary": s,
            "previous_start": s.previous.start,
            "previous_end": s.previous.end,
            "switch_url": summary_url(unit.pk, start, end, not former),
            "query_string": summary_query(unit.pk, start, end, former),
            "can_draft": access.can(request.user, Perm.EDIT, unit),
            "charts": [c for c in (bar_chart(s, "activities"), bar_chart(s, "participants")) if c],
            "report_rollups": report_rollups(request.user, unit, start, end),
            **_tables(s, s.former_structure),
        }
    )
    return render(request, "reports/summary.html", context)


ROUNDS_SHOWN = 3


def report_rollups(user, unit, start, end) -> list[dict]:
    """The figures rolled up from the units' submitted reports: the newest rounds she may see
    whose period lies inside [start, end] and that asked units of ``unit``'s subtree (asked by
    ``unit``, an ancestor, or a unit below it), each summed over that subtree only."""
    from .access import rounds_for

    ancestors = [unit.path[:i] for i in range(SEGMENT_WIDTH, len(unit.path) + 1, SEGMENT_WIDTH)]
    rounds = list(
        rounds_for(user)
        .filter(period_start__gte=start, period_end__lte=end)
        .filter(
            Q(unit__path__in=ancestors)
            | Q(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
        )
        .order_by("-period_end", "-pk")[:ROUNDS_SHOWN]
    )
    out = []
    for rnd in rounds:
        indicators = [
            i for i in services.form_indicators(rnd.form) if i.aggregation != Aggregation.TEXTS
        ]
        q = services.round_q(rnd, unit)
        rolled = services.cached_rollup(rnd, indicators, q, with_texts=False)
        submitted = UnitReport.objects.filter(q, state=ReportState.SUBMITTED).count()
        out.append(
            {
                "round": rnd,
                "submitted": submitted,
                "lines": [(ind, rolled[ind.pk]) for ind in indicators],
            }
        )
    return out
