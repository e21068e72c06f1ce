"""Template filters of the emulation pages: points written one way everywhere."""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

from django import template
from django.urls import reverse

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
def _docx_pattern() -> tuple[str, str]:
    # One reverse() for every row of a ranking (a province's has ~170 rows, three links each).
    head, tail = reverse("emulation:score_table_docx", args=[0]).rsplit("/0/", 1)
    return head + "/", "/" + tail


@register.filter
def score_docx_url(pk) -> str:
    """The address of a score's table as Word (``emulation:score_table_docx``)."""
    head, tail = _docx_pattern()
    return f"{head}{int(pk)}{tail}"
