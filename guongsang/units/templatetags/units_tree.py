"""The unit tree's nodes in one Python pass.

A level of the tree can hold a few hundred units (170 communes of a province, 3,321 under the
central union's "open all"); written as ``{% include "units/fragment_node.html" %}`` per node it
cost an include and two ``reverse()`` per unit. The tag writes the same HTML (byte for byte) as
that template, with the strings translated and the URL prefixes reversed once per list.
"""

from html import escape  # what django.utils.html.escape does, without its lazy wrapper

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from guongsang.core.links import url_maker

register = template.Library()


@register.simple_tag
def unit_nodes(children, show_closed) -> str:
    """``<li>`` + fragment_node.html + ``</li>`` for each unit of ``children`` (with
    ``child_count``), as fragment_children.html's loop wrote them."""
    detail = url_maker("units:detail")
    below_url = url_maker("units:children")
    closed_q = "?lich_su=1" if show_closed else ""
    l_loading = escape(gettext("Đang tải…"))
    l_below = escape(gettext("Xem đơn vị cấp dưới"))
    l_until = escape(gettext("đến"))
    out = []
    add = out.append
    for node in children:
        url = detail(node.pk)
        name = escape(node.name)
        closed = ""
        if node.valid_to:
            closed = (
                f'<span class="badge badge-closed">{l_until} '
                f"{escape(formats.localize(node.valid_to))}</span>"
            )
        if node.child_count:
            add(
                f'<li>\n<details hx-get="{below_url(node.pk)}{closed_q}" hx-trigger="toggle once"'
                ' hx-target="find .subtree" hx-swap="innerHTML">\n'
                f'  <summary><a href="{url}">{name}</a>\n'
                f'    <span class="count">({escape(formats.localize(node.child_count))})</span>\n'
                f"    {closed}\n  </summary>\n"
                f'  <div class="subtree"><span class="htmx-indicator muted">{l_loading}</span>'
                f'<noscript><a href="{url}">{l_below}</a></noscript></div>\n</details>\n\n</li>\n  '
            )
        else:
            add(
                f'<li>\n<span class="leaf"><a href="{url}">{name}</a>\n  {closed}</span>\n\n</li>\n  '
            )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
