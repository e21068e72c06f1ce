"""The query plan of a queryset, for tests that an index serves a list's order or filter."""

from django.db import connection, transaction


def query_plan(qs, *, forbid_sort: bool = True) -> str:
    """EXPLAIN (PostgreSQL) or EXPLAIN QUERY PLAN (SQLite) of ``qs`` as one text.

    A test database of a few rows makes PostgreSQL prefer sequential scans and sorts: with
    those plans switched off (``forbid_sort`` for the sort, incremental or not) it shows whether an index CAN serve
    the query; the plans on national data are measured in ``benchmarks/``."""
    return sql_plan(*qs.query.sql_with_params(), forbid_sort=forbid_sort)


def sql_plan(sql: str, params, *, forbid_sort: bool = False) -> str:
    """``query_plan`` of a query written as SQL."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            if forbid_sort:
                # An incremental sort too: after other tests' rows were analysed, a date-first
                # index plus an incremental sort on the id could look cheaper on a few rows.
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("SET LOCAL enable_incremental_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
