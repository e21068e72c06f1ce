"""Read queries written as SQL: one, or several sent at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import connection


def as_date(value) -> dt.date | None:
    """A date column of a row read by a written-out query: SQLite returns its text."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def fetch_all(sql: str, params: list) -> list[tuple]:
    """The rows of one read query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _pipelined() -> bool:
    if connection.vendor != "postgresql":
        return False
    import psycopg

    return psycopg.Pipeline.is_supported()


def fetch_each(statements: list[tuple[str, list]]) -> Iterator[list[tuple]]:
    """The rows of each ``(sql, params)`` statement, in order, handed over one at a time. Read
    queries only; each is logged as Django logs any query.

    On PostgreSQL the first statement runs alone; the others are then sent together (libpq's
    pipeline mode) before its rows are handed over, so the server runs them while the caller
    works on the first rows: put the statement whose rows cost the caller most first. (In one
    pipeline the first rows arrive only once the last statement has run, measured with psycopg
    3.3; a summary of a province then added up its 4,678 activity rows, 2.5 ms, after every
    query instead of during the others.) Elsewhere they run one after another.

    Until it has read the last rows or closed the generator, the caller makes no other query
    on the connection, which the pipeline holds; a caller that may stop early closes it
    (``contextlib.closing``): the rest are then read and dropped."""
    if not _pipelined() or len(statements) < 2:
        for sql, params in statements:
            yield fetch_all(sql, params)
        return
    first = fetch_all(*statements[0])
    with connection.connection.pipeline():
        cursors = []
        try:
            for sql, params in statements[1:]:
                cursor = connection.cursor()
                cursors.append(cursor)
                cursor.execute(sql, params)
            yield first
            for cursor in cursors:
                yield cursor.fetchall()
        finally:
            for cursor in cursors:
                cursor.close()
