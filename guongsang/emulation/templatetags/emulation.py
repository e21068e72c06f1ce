"""Template filters and tags of the emulation pages: points written one way everywhere, and the
rankings' rows written in one pass."""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation
from html import escape  # what django.utils.html.escape does, without its lazy wrapper

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from guongsang.core.links import choice_labels, url_maker
from guongsang.emulation.models import ScoreState
from guongsang.emulation.ranking import BANDS
from guongsang.emulation.services import points_text

register = template.Library()

# A score's state shown with the project's state colours (app.css ``.badge.state-*``).
STATE_CLASS = {
    "draft": "state-draft",
    "submitted": "state-submitted",
    "checked": "state-submitted",
    "returned": "state-returned",
    "final": "state-recognised",
}


@register.filter
def points(value, empty="–"):
    """12, 12,5 or 12,25 (as ``services.points_text``); ``empty`` for None or ""."""
    if value is None or value == "":
        return empty
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if not number.is_finite():
        return value
    return points_text(number)


@register.filter
def score_state_class(state) -> str:
    return STATE_CLASS.get(str(state), "state-draft")


@functools.cache
def _docx_url():
    # One reverse() for every row of a ranking (a province's has ~170 rows, three links each).
    return url_maker("emulation:score_table_docx")


@register.filter
def score_docx_url(pk) -> str:
    """The address of a score's table as Word (``emulation:score_table_docx``)."""
    return _docx_url()(pk)


# ---- the ranking's rows, written in one Python pass ---------------------------------------
# A province's overall ranking has ~170 ranked rows, each shown twice (the table, and the folded
# list on phones), and ~130 pending units: as template loops that was ~5,000 node renders and
# filter calls, most of the page's time. The tags write the same HTML with the labels
# translated once per page. Every value is escaped here.
def _pts(value, empty="–") -> str:
    return empty if value is None else points_text(value)


@register.simple_tag
def ranking_rows(table, show_block=False) -> str:
    l_rank, l_unit, l_final, l_band, l_table = (
        escape(gettext(w)) for w in ("Hạng", "Đơn vị", "Điểm chốt", "Xếp loại", "Bảng điểm")
    )
    l_block, l_self, l_check, l_bonus, l_penalty = _column_labels()
    l_word = escape(gettext("Tải (Word)"))
    bands = choice_labels(BANDS, html=True)
    out = []
    for row in table.rows:
        s = row.score
        block = (
            f'<td data-label="{l_block}">{escape(s.block.name)}</td>\n      ' if show_block else ""
        )
        out.append(
            f'<tr>\n      <td data-label="{l_rank}"><strong>{row.rank}</strong></td>\n'
            f'      <td data-label="{l_unit}">{escape(s.unit.name)}</td>\n      {block}'
            f'<td data-label="{l_self}">{_pts(s.self_total, "—")}</td>\n'
            f'      <td data-label="{l_check}">{_pts(s.check_total, "—")}</td>\n'
            f'      <td data-label="{l_final}"><strong>{_pts(s.final_total)}</strong></td>\n'
            f'      <td data-label="{l_bonus}">{_pts(row.bonus)}</td>\n'
            f'      <td data-label="{l_penalty}">{_pts(row.penalty)}</td>\n'
            f'      <td data-label="{l_band}"><span class="badge badge-kind">'
            f"{bands[row.band]}</span></td>\n"
            f'      <td data-label="{l_table}"><a href="{score_docx_url(s.pk)}">{l_word}</a></td>\n'
            "    </tr>"
        )
    return mark_safe("\n    ".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def ranking_items(table, show_block=False) -> str:
    """The same rows for a phone: one line per unit, the details folded (no JavaScript)."""
    l_block, l_self, l_check, l_bonus, l_penalty = _column_labels()
    l_word = escape(gettext("Tải bảng điểm (Word)"))
    bands = choice_labels(BANDS, html=True)
    out = []
    for row in table.rows:
        s = row.score
        total = escape(gettext("%(t)s điểm") % {"t": _pts(s.final_total)})
        block = f"<dt>{l_block}</dt><dd>{escape(s.block.name)}</dd>" if show_block else ""
        out.append(
            f'<li><details>\n    <summary><span class="ranking-line"><strong>{row.rank}.</strong> '
            f"{escape(s.unit.name)} — <strong>{total}</strong> · "
            f'<span class="badge badge-kind">{bands[row.band]}</span></span></summary>\n'
            f'    <dl class="facts">{block}'
            f"<dt>{l_self}</dt><dd>{_pts(s.self_total, '—')}</dd>"
            f"<dt>{l_check}</dt><dd>{_pts(s.check_total, '—')}</dd>"
            f"<dt>{l_bonus}</dt><dd>{_pts(row.bonus)}</dd>"
            f"<dt>{l_penalty}</dt><dd>{_pts(row.penalty)}</dd></dl>\n"
            f'    <p><a href="{score_docx_url(s.pk)}">{l_word}</a></p>\n'
            "  </details></li>"
        )
    return mark_safe("\n  ".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def pending_items(table, show_block=False) -> str:
    """The member units not yet final, each with its score's state where the reader may see it."""
    l_self = escape(gettext("tự chấm"))
    l_check = escape(gettext("chấm chéo"))
    l_not_final = escape(gettext("chưa chốt điểm"))
    l_word = escape(gettext("Bảng điểm (Word)"))
    states = choice_labels(ScoreState.choices, html=True)
    out = []
    for p in table.pending:
        block = (
            f' <span class="muted">· {escape(p.block.name)}</span>'
            if show_block and p.block
            else ""
        )
        s = p.score
        if s is None:
            state, link = l_not_final, ""
        else:
            state = states.get(s.state, escape(s.state))
            if s.self_total is not None:
                state += f" · {l_self} {points_text(s.self_total)}"
            if s.check_total is not None:
                state += f" · {l_check} {points_text(s.check_total)}"
            link = f' <a href="{score_docx_url(s.pk)}">{l_word}</a>'
        out.append(
            f'<li>{escape(p.unit.name)}{block}\n    <span class="muted">· {state}</span>{link}</li>'
        )
    return mark_safe("\n  ".join(out))  # noqa: S308 - every value above is escaped


def _column_labels() -> tuple[str, ...]:
    """The columns both forms of a ranking show (the table and the phone list)."""
    return tuple(
        escape(gettext(w)) for w in ("Cụm, khối", "Tự chấm", "Chấm chéo", "Điểm thưởng", "Điểm trừ")
    )
