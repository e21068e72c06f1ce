"""The rows of the nomination list, the registry and the subject list, written in one Python
pass.

A page is 50 rows × 5 cells: as template loops that was ~750 node renders, the largest part of
the page's time after the queries. The tags write the same HTML with the column names translated
once per page; links and choice labels are made once per page (``core.links``: in the view
for nominations and exemplars, here for subjects). Every value is escaped here.
"""

from html import escape  # what django.utils.html.escape does, without its lazy wrapper

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from guongsang.core.links import choice_labels, url_maker
from guongsang.exemplars.models import SubjectKind

register = template.Library()


@register.simple_tag
def nomination_rows(rows) -> str:
    l_subject = escape(gettext("Đối tượng"))
    l_category = escape(gettext("Loại"))
    l_year = escape(gettext("Năm"))
    l_unit = escape(gettext("Đơn vị đề cử"))
    l_state = escape(gettext("Trạng thái"))
    overdue = f' <span class="badge badge-closed">{escape(gettext("Quá hạn"))}</span>'
    out = []
    for n in rows:
        where = (
            f' <span class="muted">· {escape(n.current_unit.name)}</span>'
            if n.state == "submitted"
            else ""
        )
        out.append(
            f'<tr>\n    <td data-label="{l_subject}"><a href="{escape(n.url)}">'
            f"{escape(n.subject.name)}</a> "
            f'<span class="muted">({escape(n.kind_label)})</span></td>\n'
            f'    <td data-label="{l_category}">{escape(n.category_label)}</td>\n'
            f'    <td data-label="{l_year}">{n.year}</td>\n'
            f'    <td data-label="{l_unit}">{escape(n.proposing_unit.name)}</td>\n'
            f'    <td data-label="{l_state}"><span class="badge state-{escape(n.state)}">'
            f"{escape(n.state_label)}</span>{overdue if n.is_overdue else ''}{where}</td>\n"
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def exemplar_rows(rows) -> str:
    l_subject = escape(gettext("Đối tượng"))
    l_category = escape(gettext("Loại"))
    l_year = escape(gettext("Năm"))
    l_unit = escape(gettext("Đơn vị"))
    l_level = escape(gettext("Cấp công nhận"))
    out = []
    for e in rows:
        ref = f" ({escape(e.decision_ref)})" if e.decision_ref else ""
        out.append(
            f'<tr>\n    <td data-label="{l_subject}"><a href="{escape(e.url)}">'
            f"{escape(e.subject.name)}</a> "
            f'<span class="muted">({escape(e.kind_label)})</span></td>\n'
            f'    <td data-label="{l_category}">{escape(e.category_label)}</td>\n'
            f'    <td data-label="{l_year}">{e.year}</td>\n'
            f'    <td data-label="{l_unit}">{escape(e.subject.unit.name)}</td>\n'
            f'    <td data-label="{l_level}">{escape(e.recognising_unit.name)}{ref}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def subject_rows(rows) -> str:
    """The subject list's rows (50 a page; the search's page too)."""
    l_name = escape(gettext("Tên"))
    l_kind = escape(gettext("Loại"))
    l_born = escape(gettext("Năm sinh"))
    l_ethnicity = escape(gettext("Dân tộc"))
    l_unit = escape(gettext("Đơn vị"))
    kinds = choice_labels(SubjectKind.choices, html=True)
    url = url_maker("exemplars:subject_detail")
    out = []
    for s in rows:
        born = s.birth_year or "—"
        out.append(
            f'<tr>\n    <td data-label="{l_name}"><a href="{url(s.pk)}">'
            f"{escape(s.name)}</a></td>\n"
            f'    <td data-label="{l_kind}">{kinds.get(s.kind) or escape(s.kind)}</td>\n'
            f'    <td data-label="{l_born}">{born}</td>\n'
            f'    <td data-label="{l_ethnicity}">{escape(s.ethnicity) if s.ethnicity else "—"}</td>\n'
            f'    <td data-label="{l_unit}">{escape(s.unit.name)}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
