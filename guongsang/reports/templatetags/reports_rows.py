"""The round page's tables (units, respondents, the roll-up), written in one Python pass.

A national round lists 34 provinces with their counts, 50 respondents a page and ~40 rolled-up
indicators: as template loops that was ~2,000 node renders and ~400 translations per page, most
of the page's time after its queries. The tags write the same HTML with the labels translated once per page.
Every value is escaped here.
"""

from html import escape  # what django.utils.html.escape does, without its lazy wrapper

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from guongsang.core.links import choice_labels, url_maker
from guongsang.reports.models import Aggregation

register = template.Library()


@register.simple_tag
def unit_count_rows(rows) -> str:
    """One row per unit of the level below the round's unit: its respondents and their states."""
    l_unit = escape(gettext("Đơn vị"))
    l_asked = escape(gettext("Được yêu cầu"))
    out = []
    for b in rows:
        unit = b["unit"]
        name = f'<a href="?trong={int(unit.pk)}">{escape(unit.name)}</a>' if unit else "—"
        counts = "".join(f"<td>{int(n)}</td>" for n in b["counts"])
        out.append(
            f'<tr>\n        <td data-label="{l_unit}">{name}</td>\n'
            f'        <td data-label="{l_asked}">{int(b["total"])}</td>\n'
            f"        {counts}\n      </tr>"
        )
    return mark_safe("\n      ".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def respondent_rows(page) -> str:
    """The respondents of a page: unit, state (late, still being drafted), when, the report."""
    l_unit = escape(gettext("Đơn vị"))
    l_state = escape(gettext("Tình trạng"))
    l_when = escape(gettext("Nộp lúc"))
    l_report = escape(gettext("Báo cáo"))
    overdue = f' <span class="state state-overdue">{escape(gettext("quá hạn"))}</span>'
    drafting = f' <span class="muted">{escape(gettext("(đang soạn)"))}</span>'
    see = escape(gettext("Xem"))
    not_opened = f'<span class="muted">{escape(gettext("chưa mở"))}</span>'
    report_url = url_maker("reports:report")
    out = []
    for row in page:
        state = (
            f'<span class="state resp-{escape(row.status)}">{escape(str(row.status_label))}</span>'
        )
        if row.overdue:
            state += overdue
        if row.status == "missing" and row.report:
            state += drafting
        when = timezone.localtime(row.done_at).strftime("%d/%m/%Y %H:%M") if row.done_at else "—"
        report = f'<a href="{report_url(row.report.pk)}">{see}</a>' if row.report else not_opened
        out.append(
            f'<tr>\n        <td data-label="{l_unit}">{escape(row.unit.name)}</td>\n'
            f'        <td data-label="{l_state}">{state}</td>\n'
            f'        <td data-label="{l_when}">{when}</td>\n'
            f'        <td data-label="{l_report}">{report}</td>\n      </tr>'
        )
    return mark_safe("\n      ".join(out))  # noqa: S308 - every value above is escaped


def _lines(text: str) -> str:
    # What the ``linebreaksbr`` filter writes: escaped, each line break as <br>.
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


@register.simple_tag
def rollup_rows(items, rnd, within=None) -> str:
    """One section's indicators rolled up: the figure and how it was made, or the first texts
    by unit and a link to all of them."""
    aggregations = choice_labels(Aggregation.choices, html=True)
    no_text = f'<span class="muted">{escape(gettext("Chưa có ý kiến."))}</span>'
    texts_url = url_maker("reports:round_texts", rnd.pk)
    inside = f"?trong={int(within.pk)}" if within is not None else ""
    out = []
    for it in items:
        ind, rolled = it["ind"], it["rolled"]
        label = escape(ind.label)
        if ind.measure:
            label += f' <span class="muted">({escape(ind.measure)})</span>'
        if ind.aggregation == Aggregation.TEXTS:
            texts = "\n          ".join(
                f'<div class="compiled"><strong>{escape(name)}:</strong> {_lines(text)}</div>'
                for name, text in rolled.texts
            )
            more = ""
            if rolled.reports > len(rolled.texts):
                n = rolled.reports
                words = escape(ngettext("Xem cả %(n)s ý kiến", "Xem cả %(n)s ý kiến", n) % {"n": n})
                more = f'<p><a href="{texts_url(ind.pk)}{inside}">{words}</a></p>'
            cells = (
                f'<td colspan="2">\n          {texts or no_text}\n          {more}\n        </td>'
            )
        else:
            n = rolled.reports
            made = ngettext("%(n)s báo cáo", "%(n)s báo cáo", n) % {"n": n}
            cells = (
                f'<td class="num">{escape(rolled.display() or "—")}</td>\n'
                f'        <td class="muted">{aggregations.get(ind.aggregation, "")} · '
                f"{escape(made)}</td>"
            )
        out.append(f'<tr>\n        <th scope="row">{label}</th>\n        {cells}\n      </tr>')
    return mark_safe("\n      ".join(out))  # noqa: S308 - every value above is escaped
