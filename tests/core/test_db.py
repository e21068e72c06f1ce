"""core.db.fetch_each: several read queries sent together (pipelined on PostgreSQL)."""

import contextlib
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guongsang.core.db import as_date, fetch_all, fetch_each
from guongsang.units.models import Unit

pytestmark = pytest.mark.django_db


def _statements():
    return [
        ("SELECT %s, %s", [1, "một"]),
        ("SELECT name FROM units_unit WHERE code = %s", ["gs-db-1"]),
        ("SELECT 2 WHERE 1 = 0", []),
        ("SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 ORDER BY 1", []),
    ]


def test_each_statement_gives_its_own_rows_in_order():
    Unit.objects.create(code="gs-db-1", name="Xã Thử", kind="commune")
    with CaptureQueriesContext(connection) as ctx:
        results = list(fetch_each(_statements()))
    assert results == [[(1, "một")], [("Xã Thử",)], [], [(3,), (4,), (5,)]]
    # Every statement is logged as any query is (query-count tests keep counting them).
    assert len(ctx.captured_queries) == 4


def test_the_rows_are_the_same_as_one_query_after_another():
    for sql, params in _statements():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            alone = cursor.fetchall()
        assert list(fetch_each([(sql, params)])) == [alone]


def test_a_caller_that_stops_early_leaves_the_connection_usable():
    fetched = fetch_each(_statements())
    assert next(fetched) == [(1, "một")]
    fetched.close()  # the rest are read and dropped
    assert Unit.objects.filter(code="gs-db-none").count() == 0
    assert list(fetch_each([("SELECT 7", [])])) == [[(7,)]]


def test_the_others_are_sent_before_the_first_rows_are_handed_over():
    """On PostgreSQL the server runs the other statements while the caller works on the first
    rows: when the first rows reach the caller, every statement has been sent (and logged)."""
    with CaptureQueriesContext(connection) as ctx:
        with contextlib.closing(fetch_each(_statements())) as fetched:
            assert next(fetched) == [(1, "một")]
            # (SQLite runs them one after another, each when its rows are asked for.)
            sent = 4 if connection.vendor == "postgresql" else 1
            assert len(ctx.captured_queries) == sent
            assert list(fetched) == [[], [], [(3,), (4,), (5,)]]


def test_a_caller_that_fails_on_the_first_rows_leaves_the_connection_usable():
    with pytest.raises(ZeroDivisionError):
        with contextlib.closing(fetch_each(_statements())) as fetched:
            for _rows in fetched:
                1 / 0  # noqa: B018 (the caller's own failure, while the others are in flight)
    assert Unit.objects.filter(code="gs-db-none").count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 8")
        assert cursor.fetchall() == [(8,)]


def test_no_statement_no_query():
    with CaptureQueriesContext(connection) as ctx:
        assert list(fetch_each([])) == []
    assert ctx.captured_queries == []


def test_a_date_column_read_by_a_written_query_is_a_date_on_both_databases():
    # PostgreSQL gives a date back, SQLite the text it stores.
    [(day, missing)] = fetch_all("SELECT %s, NULL", [dt.date(2025, 6, 30)])
    assert as_date(day) == dt.date(2025, 6, 30)
    assert as_date(missing) is None
    assert as_date(dt.date(2024, 2, 29)) == dt.date(2024, 2, 29)
