"""Calendar helpers shared by the monthly rollups (``outreach.rollup``, ``exemplars.rollup``):
a period of days read as its whole months from a rollup and its partial days from the records."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def split_months(start: dt.date, end: dt.date):
    """``[start, end]`` as (first and last whole month, or None; the partial days before and
    after them as (from, to) spans)."""
    first = start if start.day == 1 else next_month(start)
    after_last = next_month(end) if end == month_end(end) else end.replace(day=1)
    if first >= after_last:  # no whole month: all days are partial
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - dt.timedelta(days=1)))
    if end >= after_last:
        edges.append((after_last, end))
    last = (after_last - dt.timedelta(days=1)).replace(day=1)
    return (first, last), edges


def month_parts(spans: list[tuple[dt.date, dt.date]]):
    """For each period of ``spans``, as the rollups' readers read it: (its index, the first days
    of its whole months, possibly none, its partial days as (from, to) spans)."""
    for index, (start, end) in enumerate(spans):
        months, edges = split_months(start, end)
        yield index, (month_starts(*months) if months is not None else []), edges


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from ``first`` to ``last`` (both first days)."""
    out = [first]
    while out[-1] < last:
        out.append(next_month(out[-1]))
    return out


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return next_month(day) - dt.timedelta(days=1)


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end]`` in days as aware datetimes ``[start 00:00, end+1 00:00)``, local time."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )
