"""Links and labels for pages that write many rows in one pass (the list tags)."""

from __future__ import annotations

from html import escape

from django.urls import reverse

_ID = 987654321  # a placeholder id: reverse() once, then each id put in its place


def url_maker(name: str, *args):
    """``reverse(name, args=[*args, pk])`` for the rows of a page: reversed once, then each id
    put in the placeholder's place (a ``{% url %}`` or ``reverse()`` per row was a measurable
    part of a list page)."""
    head, _sep, tail = reverse(name, args=[*args, _ID]).rpartition(str(_ID))
    return lambda pk: f"{head}{int(pk)}{tail}"


def choice_labels(choices, *, html: bool = False) -> dict[str, str]:
    """Choice labels translated once per page (``get_FOO_display`` hashes the lazy choices on
    every call); escaped for markup with ``html``."""
    return {value: escape(str(label)) if html else str(label) for value, label in choices}
