"""The compliance board's rows in one Python pass.

A page of the board is 100 units × up to a few tasks; written as template loops it cost ~30k
variable lookups and a ``reverse()`` per answer link. The tag writes the same HTML (byte for
byte) with the strings translated and the link prefixes reversed once per page.
"""

from html import escape  # what django.utils.html.escape does, without its lazy wrapper

from django import template
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from guongsang.core.links import url_maker

register = template.Library()


@register.simple_tag
def board_rows(rows, tasks, doc) -> str:
    l_unit = escape(gettext("Đơn vị"))
    l_state = escape(gettext("Tình trạng"))
    l_reminders = escape(gettext("Đôn đốc"))
    l_received = escape(gettext("đã nhận"))
    l_file = escape(gettext("tệp trả lời"))
    no_state = {
        "acknowledged": escape(gettext("Đã nhận")),
        "read": escape(gettext("Đã xem")),
        "unread": escape(gettext("Chưa đọc")),
    }
    detail_url = url_maker("plans:detail")
    remind_url = url_maker("plans:remind_unit", doc.pk)
    l_remind_one = escape(gettext("Nhắc riêng"))
    file_url = url_maker("plans:answer_file", doc.pk)
    titles = {}
    reminder_texts = {}
    badges = {}
    out = []
    add = out.append
    for row in rows:
        add('\n  <tr>\n    <td data-label="')
        add(l_unit)
        add('"><strong>')
        add(escape(row.unit.name))
        add("</strong>")
        received = row.received_on
        if received:
            add(f'<br><span class="muted">{l_received} {escape(received)}</span>')
        add("</td>\n    ")
        for c in row.cells:
            task = c.task
            title = titles.get(task.pk)
            if title is None:
                title = titles[task.pk] = escape(task.title)
            add(f'\n    <td data-label="{title}">')
            if c.state:
                badge = badges.get(c.state)
                if badge is None:  # a handful of states: each escaped once per page
                    badge = badges[c.state] = (
                        f'<span class="state state-{escape(c.state)}">{escape(c.label)}</span>\n      '
                    )
                add(badge)
                if c.answer_symbol:
                    add(
                        f'<br><a href="{detail_url(c.answer_document_id)}">'
                        f"{escape(c.answer_symbol)}</a>"
                    )
                add("\n      ")
                if c.has_file:
                    add(f'<br><a href="{file_url(c.assignment_id)}">{l_file}</a>')
                add("\n      ")
                if c.note:
                    add(f'<br><span class="muted">{escape(c.note_short)}</span>')
                add("\n      ")
            else:
                add("—")
            add("</td>\n    ")
        add("\n    ")
        if not tasks:
            recipient = row.recipient
            if recipient.acknowledged_at:
                label = no_state["acknowledged"]
            elif recipient.read_at:
                label = no_state["read"]
            else:
                label = no_state["unread"]
            add(f'<td data-label="{l_state}">{label}</td>')
        add(f'\n    <td data-label="{l_reminders}">')
        if row.reminders:
            at = row.last_reminder
            # "d/m/Y H:i" written directly: Django's date_format per row was a visible cost.
            at = f"{timezone.localtime(at):%d/%m/%Y %H:%M}" if at else ""
            n = row.reminders
            text = reminder_texts.get(n)
            if text is None:
                text = reminder_texts[n] = (
                    ngettext("%(n)s lần, gần nhất %(at)s", "%(n)s lần, gần nhất %(at)s", n),
                    escape(formats.localize(n)),
                )
            add(text[0] % {"n": text[1], "at": escape(at)})
        else:
            add("—")
        add(f'<br><a href="{remind_url(row.recipient.pk)}">{l_remind_one}</a>')
        add("</td>\n  </tr>\n  ")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
