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
    """The rows of each ``(sql, params)`` statement, in order. On PostgreSQL the statements are
    sent together (libpq's pipeline mode), so no statement waits for a round trip of its own:
    the server runs them one after another and the results come back together (the first rows
    arrive once the last statement has run, measured with psycopg 3.3). Elsewhere they run one
    after another. Read queries only; each is logged as Django logs any query."""
    if not _pipelined():
        for sql, params in statements:
            yield fetch_all(sql, params)
        return
    connection.ensure_connection()
    with connection.connection.pipeline():
        cursors = []
        try:
            for sql, params in statements:
                cursor = connection.cursor()
                cursors.append(cursor)
                cursor.execute(sql, params)
            for cursor in cursors:
                yield cursor.fetchall()
        finally:
            for cursor in cursors:
                cursor.close()
