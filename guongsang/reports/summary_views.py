"""Sơ kết / tổng kết pages: live figures for a unit's subtree and a period (reports.figures)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from guongsang.exemplars.models import Category, NominationState, SubjectKind
from guongsang.exemplars.queries import movement_names
from guongsang.units import access
from guongsang.units.access import Perm
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


def number_formatter(*, html: bool = False):
    """Whole numbers with the language's thousands separator ("1.745.763" in Vietnamese), and
    changes with their sign. Formatted once here: a province's page shows thousands of numbers,
    and the template's localisation of each took a third of its rendering. With ``html`` the
    separator is escaped, so the text is safe in markup as it is."""
    separator = formats.get_format("THOUSAND_SEPARATOR")
    if html:
        separator = escape(separator)

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


def summary_url_maker(start, end, former: bool):
    """``summary_url`` for many units of one period: the path and the period are encoded once
    (a province links 168 rows)."""
    head, _sep, tail = summary_url(0, start, end, former).partition("don_vi=0")
    return lambda unit_pk: f"{head}don_vi={int(unit_pk)}{tail}"


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
    fmt = number_formatter(html=True)
    shown = rows
    if len(rows) > CHART_MAX_BARS:
        shown = sorted(rows, key=lambda r: -r[1])[:CHART_MAX_BARS]
    same_period = conditional_escape(_("cùng kỳ"))
    year_before = conditional_escape(_("Cùng kỳ năm trước"))
    desc, bars = [], []
    for i, (row, n_now, n_before) in enumerate(shown):
        y = i * CHART_ROW
        label = _row_label(row)
        text, now, before = conditional_escape(label), fmt(n_now), fmt(n_before)
        desc.append(f"{text}: {now} ({same_period} {before}). ")
        # Numbers in SVG attributes are written as Python writes them ("94.3"), never localised.
        now_width = round(CHART_BARS * n_now / top, 1)
        before_width = round(CHART_BARS * n_before / top, 1)
        value_x = CHART_LABEL + round(CHART_BARS * max(n_now, n_before) / top, 1) + 6
        bars.append(
            f"<g>\n"
            f'      <text class="sum-chart-label" x="{CHART_LABEL - 6}" y="{y + 15}"'
            f' text-anchor="end">{conditional_escape(_short(label))}</text>\n'
            f'      <rect class="sum-bar-now" x="{CHART_LABEL}" y="{y + 3}" width="{now_width}"'
            f' height="12"><title>{text}: {now}</title></rect>\n'
            f'      <rect class="sum-bar-before" x="{CHART_LABEL}" y="{y + 16}"'
            f' width="{before_width}" height="8"><title>{year_before}: {before}</title></rect>\n'
            f'      <text class="sum-chart-value" x="{value_x}" y="{y + 15}">{now}</text>\n'
            f"    </g>"
        )
    return {
        "key": key,
        "title": figures.FIGURES[key].label,
        "bar_count": len(bars),
        "desc": mark_safe("".join(desc)),  # noqa: S308 (every text above is escaped)
        "svg": mark_safe("".join(bars)),  # noqa: S308 (every text above is escaped)
        "partial": len(shown) < len(rows),
        "width": CHART_LABEL + CHART_BARS + 60,
        "height": len(shown) * CHART_ROW + 4,
    }


def _short(label: str, length: int = 26) -> str:
    """``truncatechars``, without its cost for the labels that already fit."""
    if len(label) <= length and unicodedata.is_normalized("NFC", label):
        return label
    return Truncator(label).chars(length)


def _row_label(row: figures.Row) -> str:
    if row.own:
        return _("Trực tiếp tại %(unit)s") % {"unit": row.unit.name}
    return row.unit.name


def _cells_html(cells) -> str:
    # The cells come from number_formatter(html=True): safe as they are.
    return "".join(f"<td>{v}</td>" for v in cells)


def _main_rows_html(lines: list[Line]) -> SafeString:
    """The rows of the table by unit, built once here: a province has 168 rows of ten numbers,
    which the template language took longer to write than the figures took to read."""
    out = []
    for line in lines:
        label = conditional_escape(line.label)
        if line.url:
            label = f'<a href="{conditional_escape(line.url)}">{label}</a>'
        if line.note:
            label += f'<span class="sum-note">{conditional_escape(line.note)}</span>'
        out.append(
            f'<tr>\n      <th scope="row">{label}</th>\n      {_cells_html(line.cells)}\n    </tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (labels, links and notes escaped above)


def _lines_html(lines: list[Line]) -> SafeString:
    out = []
    for line in lines:
        tr = '<tr class="sum-total">' if line.strong else "<tr>"
        label = conditional_escape(line.label)
        out.append(f'{tr}<th scope="row">{label}</th>{_cells_html(line.cells)}</tr>')
    return mark_safe("".join(out))  # noqa: S308 (labels escaped above)


def _tables(s: figures.Summary, former: bool) -> dict:
    url_of = summary_url_maker(s.start, s.end, former)
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
                url="" if row.own else url_of(row.unit.pk),
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
    fmt = number_formatter(html=True)
    for line in [*main_rows, *forms, *exemplar_lines, *movement_lines, *nomination_lines]:
        line.cells = [
            fmt(v, line.change and i == len(line.cells) - 1) for i, v in enumerate(line.cells)
        ]
    for line in other_lines:
        line.cells = [fmt(v, i == len(line.cells) - 1) for i, v in enumerate(line.cells)]
    return {
        "columns": [figures.FIGURES[k] for k in MAIN_KEYS],
        "main_rows": _main_rows_html(main_rows),
        "main_total": mark_safe(_cells_html(fmt(v) for v in total)),  # noqa: S308 (numbers)
        "main_before": mark_safe(_cells_html(fmt(v) for v in before)),  # noqa: S308 (numbers)
        "main_change": mark_safe(  # noqa: S308 (numbers)
            _cells_html(fmt(a - b, True) for a, b in zip(total, before, strict=True))
        ),
        "forms": _lines_html(forms),
        "exemplar_kinds": [str(k.label) for k in SubjectKind],
        "exemplar_lines": _lines_html(exemplar_lines),
        "movement_categories": [str(c.label) for c in Category],
        "movement_lines": _lines_html(movement_lines),
        "nomination_lines": _lines_html(nomination_lines),
        "other_lines": _lines_html(other_lines),
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
    context["form"] = form.with_period()
    s = figures.summary(unit, start, end, former_structure=former, today=today, unit_forms=False)
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
    from .access import summary_rounds

    rounds = summary_rounds(user, unit, start, end, ROUNDS_SHOWN)
    out = []
    for rnd in rounds:
        indicators = [
            i for i in services.form_indicators(rnd.form_id) if i.aggregation != Aggregation.TEXTS
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
