"""The summary (sơ kết / tổng kết, ``reports.figures``) at national scale, against hand-written
SQL over the same rows in the same run.

For the province of ``bench.province`` and for the whole country (the central unit), this year
so far: the whole summary (every family, this period and a year earlier, today's structure; as
the page reads it, then with each row's activity figures by form, as the Excel workbook and
the API read it) beside hand-written SQL reading the same figures (one query per family,
``GROUP BY`` the child's path prefix, plus the children, the merged units and the activity
forms it also reads; for the page's reading on PostgreSQL the activities per row and per form,
``GROUPING SETS``, as the summary reads them), and its activity query alone beside the
hand-written activity query; then the page (view and template) as the province's and the
central account. Targets (issue 8, point 8): province ≤ 50 ms, country ≤ 1 s, within 1.2× of
the SQL.

``DATABASE_URL=postgres://root@127.0.0.1:5432/gs_national .venv/bin/python benchmarks/reports.py``
Reads only: the run is one read-only transaction, rolled back. ``BENCH_RUNS`` (default 20).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import measure, percentile, run_sql, settled, setup_django  # noqa: E402


def _period_sql(column: str, spans, moment: bool) -> tuple[str, str, list, list]:
    """The filter and the period index over ``spans`` on ``column``, by hand."""
    from guongsang.core.dates import day_bounds

    bounds = [day_bounds(a, b) if moment else (a, b) for a, b in spans]
    upper = "<" if moment else "<="
    ranges = [f"({column} >= %s AND {column} {upper} %s)" for _ in bounds]
    flat = [x for pair in bounds for x in pair]
    lo, hi = min(a for a, _b in bounds), max(b for _a, b in bounds)
    where = f"{column} >= %s AND {column} {upper} %s AND (" + " OR ".join(ranges) + ")"
    index = "CASE " + " ".join(f"WHEN {r} THEN {i}" for i, r in enumerate(ranges)) + " END"
    return where, index, [lo, hi, *flat], flat


def _months_and_days(a: dt.date, b: dt.date) -> tuple[list, list]:
    """The whole months of ``[a, b]`` (their first days) and the days around them, by hand."""
    first = a if a.day == 1 else (a.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    after = b + dt.timedelta(days=1)
    stop = after if after.day == 1 else b.replace(day=1)
    if first >= stop:
        return [], [(a, b)]
    months = [first]
    while (nxt := (months[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)) < stop:
        months.append(nxt)
    return months, [(a, first - dt.timedelta(days=1)), (stop, b)]


FLOOR_NAMES = [
    "activities",
    "exemplars",
    "nominations",
    "replications",
    "stories",
    "tasks",
    "children",
    "mergers",
    "forms",
]


def floor_queries(unit, spans, today, totals=False):
    """Hand-written SQL for every family of the summary (both periods in each query, as the
    summary does), and the children of the unit: what the summary reads, with nothing else.
    ``totals``: the activities per row and per form only, not per row and form (``GROUPING
    SETS``, as the page's summary reads them on PostgreSQL when no merger is to be mapped)."""
    from django.db import connection

    from guongsang.core.dates import day_bounds
    from guongsang.units.models import PATH_END, SEGMENT_WIDTH

    n = len(unit.path) + SEGMENT_WIDTH
    lo, hi = unit.path, unit.path + PATH_END
    if connection.vendor == "postgresql":
        done_day = "(a.done_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    else:  # SQLite stores UTC text; Asia/Ho_Chi_Minh is UTC+7 all year
        done_day = "date(a.done_at, '+7 hours')"
    out = {}
    w, i, wp, ip = _period_sql("a.date", spans, False)
    out["activities"] = (
        f"SELECT substr(a.unit_path, 1, %s), {i}, a.form_id, COUNT(*), SUM(a.participants), "
        "SUM(a.members) FROM outreach_activity a "
        f"WHERE a.unit_path >= %s AND a.unit_path < %s AND {w} GROUP BY 1, 2, 3",
        [n, *ip, lo, hi, *wp],
    )
    # The summary above the communes reads whole months from the monthly rollup and the days
    # of partial months from the log: by hand, the same.
    out["activities (live)"] = out.pop("activities")
    group_by = "GROUPING SETS ((1), (3))" if totals else "1, 3"
    parts, params = [], []
    for index, (a, b) in enumerate(spans):
        months, days = _months_and_days(a, b)
        if months:
            # The months listed (the index is led by the month); the rollup's paths are the
            # rows' own (a province's communes; the country's provinces), grouped as they are.
            # For the country, whose rows are provinces, the months summed per province (the
            # province table, as the summary reads them when no merger splits a province).
            table = "outreach_activitymonth"
            if len(unit.path) <= SEGMENT_WIDTH:
                table = "outreach_activityprovincemonth"
            parts.append(
                "SELECT path, %s, form_id, SUM(activities), "
                "CAST(SUM(participants) AS BIGINT), CAST(SUM(members) AS BIGINT) "
                f"FROM {table} WHERE month IN ({', '.join(['%s'] * len(months))}) "
                f"AND path >= %s AND path < %s GROUP BY {group_by}"
            )
            params += [index, *months, lo, hi]
        for d0, d1 in days:
            if d0 <= d1:
                parts.append(
                    "SELECT substr(unit_path, 1, %s), %s, form_id, COUNT(*), SUM(participants), "
                    "SUM(members) FROM outreach_activity WHERE date >= %s AND date <= %s "
                    f"AND unit_path >= %s AND unit_path < %s GROUP BY {group_by}"
                )
                params += [n, index, d0, d1, lo, hi]
    out["activities"] = (" UNION ALL ".join(parts), params)
    w, i, wp, ip = _period_sql("e.recognised_at", spans, True)
    out["exemplars"] = (
        f"SELECT substr(e.subject_path, 1, %s), {i}, e.category, s.kind, e.movement_id, COUNT(*) "
        "FROM exemplars_exemplar e JOIN exemplars_subject s ON s.id = e.subject_id "
        f"WHERE e.subject_path >= %s AND e.subject_path < %s AND {w} GROUP BY 1, 2, 3, 4, 5",
        [n, *ip, lo, hi, *wp],
    )
    w, i, wp, ip = _period_sql("created_at", spans, True)
    out["nominations"] = (
        f"SELECT substr(proposing_path, 1, %s), {i}, state, COUNT(*) FROM exemplars_nomination "
        f"WHERE proposing_path >= %s AND proposing_path < %s AND {w} GROUP BY 1, 2, 3",
        [n, *ip, lo, hi, *wp],
    )
    if len(unit.path) <= SEGMENT_WIDTH:
        # For the country, whose rows are provinces: the whole months from the nominations
        # counted by province, month and state (as the summary reads them when no merger
        # splits a province), the partial months' days from the nominations.
        out["nominations (live)"] = out.pop("nominations")
        parts, params = [], []
        for index, (a, b) in enumerate(spans):
            months, days = _months_and_days(a, b)
            if months:
                parts.append(
                    "SELECT path, %s, state, SUM(nominations) FROM exemplars_nominationprovincemonth "
                    f"WHERE month IN ({', '.join(['%s'] * len(months))}) "
                    "AND path >= %s AND path < %s GROUP BY 1, 3"
                )
                params += [index, *months, lo, hi]
            for d0, d1 in days:
                if d0 <= d1:
                    since, until = day_bounds(d0, d1)
                    parts.append(
                        "SELECT substr(proposing_path, 1, %s), %s, state, COUNT(*) "
                        "FROM exemplars_nomination WHERE created_at >= %s AND created_at < %s "
                        "AND proposing_path >= %s AND proposing_path < %s GROUP BY 1, 3"
                    )
                    params += [n, index, since, until, lo, hi]
        out["nominations"] = (" UNION ALL ".join(parts), params)
    w, i, wp, ip = _period_sql("r.date", spans, False)
    out["replications"] = (
        f"SELECT substr(u.path, 1, %s), {i}, COUNT(*) FROM exemplars_replication r "
        "JOIN units_unit u ON u.id = r.adopting_unit_id "
        f"WHERE u.path >= %s AND u.path < %s AND {w} GROUP BY 1, 2",
        [n, *ip, lo, hi, *wp],
    )
    w, i, wp, ip = _period_sql("st.published_at", spans, True)
    out["stories"] = (
        f"SELECT substr(e.subject_path, 1, %s), {i}, COUNT(*) FROM outreach_story st "
        "JOIN exemplars_exemplar e ON e.id = st.exemplar_id "
        f"WHERE e.subject_path >= %s AND e.subject_path < %s AND {w} GROUP BY 1, 2",
        [n, *ip, lo, hi, *wp],
    )
    w, i, wp, ip = _period_sql("t.deadline", spans, False)
    out["tasks"] = (
        f"SELECT substr(r.unit_path, 1, %s), {i}, CASE WHEN a.done_at IS NULL THEN "
        "CASE WHEN t.deadline < %s THEN 'overdue' ELSE 'pending' END "
        f"WHEN {done_day} <= t.deadline THEN 'done' ELSE 'late' END, COUNT(*) "
        "FROM plans_assignment a JOIN plans_task t ON t.id = a.task_id "
        "JOIN plans_recipient r ON r.id = a.recipient_id "
        f"WHERE r.unit_path >= %s AND r.unit_path < %s AND {w} GROUP BY 1, 2, 3",
        [n, *ip, today, lo, hi, *wp],
    )
    out["children"] = (
        "SELECT id, name, kind, code, path, valid_to, successor_path FROM units_unit "
        "WHERE parent_id = %s ORDER BY kind, name_folded, id",
        [unit.pk],
    )
    # What decides the rows besides the records: the units merged inside or into the subtree
    # (today's structure moves their records to their successors) and the activity forms (the
    # figures by form are named after them). Added to the floor on 2026-12-03: before, the
    # floor left out these two reads, which the summary cannot do without.
    out["mergers"] = (
        "SELECT path, successor_path FROM units_unit WHERE NOT (successor_path = '') AND "
        "((path >= %s AND path < %s) OR (successor_path >= %s AND successor_path < %s))",
        [lo, hi, lo, hi],
    )
    out["forms"] = ('SELECT id, name FROM outreach_activityform ORDER BY "order", name', [])
    return out


def interleaved(ours, floor, runs: int) -> tuple[dict, dict]:
    """One warm-up call each, then ``runs`` rounds of one timed call each. Milliseconds."""
    ours()
    floor()
    samples: tuple[list, list] = ([], [])
    with settled():
        for _ in range(runs):
            for fn, out in ((ours, samples[0]), (floor, samples[1])):
                t0 = time.perf_counter()
                fn()
                out.append((time.perf_counter() - t0) * 1000)
    stats = []
    for out in samples:
        out.sort()
        stats.append({"median": statistics.median(out), "p95": percentile(out, 0.95)})
    return stats[0], stats[1]


def main() -> None:
    setup_django()
    from django.db import connection, transaction
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from guongsang.accounts.models import User
    from guongsang.reports import figures, summary_views
    from guongsang.units import access
    from guongsang.units.models import Unit

    runs = int(os.environ.get("BENCH_RUNS", "20"))
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), today
    before = (figures.year_before(start), figures.year_before(end))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
        user = User.objects.get(username="bench.province")
        province = access.root_units(user)[0]
        central = Unit.objects.get(parent__isnull=True)
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        print(f"period {start} – {end}, a year earlier {before[0]} – {before[1]}; {runs} runs")
        # Timings on a shared machine mean little without the load they were taken under.
        print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        print(
            f"{'':<44}{'ours ms':>18}{'SQL ms':>18}{'ratio':>8}{'queries':>8}\n"
            f"(SQL: the six families, the children, the mergers and the forms by hand, "
            f"{len(FLOOR_NAMES)} queries)\n"
            f"{'':<44}{'median':>9}{'p95':>9}{'median':>9}{'p95':>9}"
        )
        spans = [(start, end), before]
        for label, unit in (("province " + province.name, province), ("country", central)):
            with CaptureQueriesContext(connection) as ctx:
                s = figures.summary(unit, start, end, today=today)
            queries = len(ctx.captured_queries)
            print(label)
            floors = floor_queries(unit, spans, today)
            # The floor's activity rows give the summary's figures.
            rows = run_sql(*floors["activities"])
            assert sum(r[3] for r in rows if r[1] == 0) == s.total.get("activities", 0)
            assert sum(r[4] for r in rows if r[1] == 0) == s.total.get("participants", 0)
            assert sum(r[3] for r in rows if r[1] == 1) == s.previous_total.get("activities", 0)

            grouping = figures.Grouping(unit, former_structure=False)
            # The forms' slugs as the summary passes them (read by its own query, which the
            # floor has as "forms"): without them, ``compute`` reads the forms itself, a second
            # query the row's one-query floor does not make (until 2026-12-04 it did).
            slugs = {f.pk: f.slug for f in s.forms}

            def activities_only(g=grouping, slugs=slugs):
                # As the page's summary reads them: the SQL and the rows added into the periods.
                figures.compute(
                    g, spans, families=("activities",), today=today, slugs=slugs, unit_forms=False
                )

            def floor_all(f=floors):
                for name, (sql, params) in f.items():
                    if "(live)" not in name:
                        run_sql(sql, params)

            # The page's reading on PostgreSQL with no merger to map: each row's and each
            # form's activity totals (``GROUPING SETS``); its floor reads them the same way.
            floors_totals = floors
            if connection.vendor == "postgresql" and not grouping.entries:
                floors_totals = floor_queries(unit, spans, today, totals=True)

            def floor_page(f=floors_totals):
                floor_all(f)

            # The page itself (view and template, no middleware: the run writes nothing, so no
            # session), as the account of that level; timed first, before the rows below read
            # every activity of the scope (2 M for the country), which pushed the rollup and
            # its indexes out of the caches and added up to 30 ms to the country's page.
            viewer = user if unit.pk == province.pk else User.objects.get(username="bench.central")
            query = {"don_vi": unit.pk, "tu": start.isoformat(), "den": end.isoformat()}

            def page(v=viewer, q=query):
                request = RequestFactory().get("/bao-cao/tong-hop/", q)
                request.user = v
                response = summary_views.summary(request)
                assert response.status_code == 200
                return response

            size = len(page().content)
            m = measure(page, runs)
            print(
                f"  {'page (view + template)':<42}{m['median']:>9.1f}{m['p95']:>9.1f}"
                f"{'':>18}{'':>8}{'':>8}  {size / 1024:.0f} KiB"
            )
            act_sql, live_sql = floors_totals["activities"], floors["activities (live)"]
            for name, fn, floor_fn, q in (
                # As the page (and the dashboard, the Word draft) reads it: the rows' activity
                # figures in total; then as the Excel workbook and the API, by form too.
                ("summary, all families (page)", lambda u=unit: figures.summary(
                    u, start, end, today=today, unit_forms=False), floor_page, queries),
                ("  with the rows by form (Excel, API)", lambda u=unit: figures.summary(
                    u, start, end, today=today), floor_all, queries),
                ("activity query alone", activities_only, lambda a=act_sql: run_sql(*a), 1),
                ("  the same from every activity", activities_only,
                 lambda a=live_sql: run_sql(*a), 1),
            ):  # fmt: skip
                # Interleaved run by run, so that both feel the same load on a shared machine.
                m, f = interleaved(fn, floor_fn, runs)
                ratio = m["median"] / f["median"]
                print(
                    f"  {name:<42}{m['median']:>9.1f}{m['p95']:>9.1f}"
                    f"{f['median']:>9.1f}{f['p95']:>9.1f}{ratio:>8.2f}{q:>8}"
                )
            print(
                f"  rows {len(s.rows)}, activities {s.total.get('activities', 0):,} "
                f"(a year earlier {s.previous_total.get('activities', 0):,}), "
                f"participants {s.total.get('participants', 0):,}"
            )
        print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
