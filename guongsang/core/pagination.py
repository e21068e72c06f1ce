"""Pages of a queryset that never count (or sort) the whole scope.

Usage in a view::

    from guongsang.core.pagination import paginate

    page = paginate(qs.order_by("sort_key", "id"), request, per_page=50)
    return render(request, "...", {"page": page})

and in the template ``{% for obj in page %}`` (or ``page.object_list``) and
``{% include "core/fragment_pagination.html" %}``.

``qs`` must already be ordered by the database on an index (plus a unique tie-breaker such as
``id``). The page reads ``per_page + 1`` rows (the extra one tells whether a next page exists)
and counts at most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (... LIMIT 10001)``), so its
cost does not grow with the number of rows in scope. When the count is capped, ``page.count`` is
``COUNT_CAP``, ``page.count_capped`` is true, and the template says "hơn 10.000". The page
number comes from ``?page=`` (anything else than a positive number means 1; past the end means
the last page, like Django's ``Paginator.get_page``). The object also answers what
``core/fragment_pagination.html`` asks of a Django ``Page`` (``has_other_pages``,
``previous_page_number``, ``paginator.num_pages``...), so the same template serves both.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from django import forms
from django.db.models import QuerySet

from guongsang.core.forms import valid_values

COUNT_CAP = 10_000
MAX_PAGE = 1_000_000


class CappedPage:
    def __init__(self, object_list: list, number: int, per_page: int, count: int, capped: bool):
        self.object_list = object_list
        self.number = number
        self.per_page = per_page
        self.count = count
        self.count_capped = capped
        self.num_pages = max(1, math.ceil(count / per_page))
        self._has_next = False

    # Django's Page asks for page.paginator.num_pages / page.paginator.count.
    @property
    def paginator(self) -> CappedPage:
        return self

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __repr__(self) -> str:
        return f"<CappedPage {self.number} of {'>' if self.count_capped else ''}{self.num_pages}>"

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


class PageForm(forms.Form):
    # Bounded: a huge number would overflow the database's OFFSET.
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)


def _page_number(request) -> int:
    return valid_values(PageForm(request.GET)).get("page", 1)


def paginate(
    qs: QuerySet,
    request,
    *,
    per_page: int = 50,
    count_cap: int | None = None,
    count_qs: QuerySet | None = None,
) -> CappedPage:
    """The requested page of the ordered ``qs`` (see the module docstring): two queries."""
    count_cap = COUNT_CAP if count_cap is None else count_cap
    # Only the ids: the subquery drops select_related's joins.
    # ``count_qs``: the same rows in the shape that counts fastest, when it differs from the
    # shape that reads them in order (the activity list).
    counted = qs if count_qs is None else count_qs
    count = counted.order_by().values("pk")[: count_cap + 1].count()
    capped = count > count_cap
    if capped:
        count = count_cap
    number = _page_number(request)
    if not capped:
        number = min(number, max(1, math.ceil(count / per_page)))
    offset = (number - 1) * per_page
    rows = list(qs[offset : offset + per_page + 1])
    if not rows and capped and number > 1:
        # Past the end of a long list (a hand-edited URL): count it all once, show the last page.
        count = counted.order_by().values("pk").count()
        capped = False
        number = max(1, math.ceil(count / per_page))
        offset = (number - 1) * per_page
        rows = list(qs[offset : offset + per_page + 1])
    page = CappedPage(rows[:per_page], number, per_page, count, capped)
    page._has_next = len(rows) > per_page
    return page
