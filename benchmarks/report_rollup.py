"""The roll-up of every commune's report at national scale (issue 8, point 8: ≤ 1 s).

Against the database in ``DATABASE_URL`` filled by ``guongsang generate_data --scale national``.
Inside one transaction that is rolled back at the end, it builds the plan-53 six-month form at
the central union, a round asking every current commune (3,321), and a submitted report for each
(every indicator filled), then times:

- ``services.rollup`` over the whole round (one grouped query for the figures, one for the texts)
  against a hand-written SQL query computing the same figures, in the same run;
- the round page and one report page through the test client as ``bench.central``, and the
  summary page of this year as ``bench.province`` (its communes' part of the round rolled up).

``.venv/bin/python benchmarks/report_rollup.py`` (``BENCH_RUNS``, default 20). A measurement,
not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import measure, setup_django  # noqa: E402


class Rollback(Exception):
    pass


def main() -> None:
    setup_django()
    import datetime as dt

    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from guongsang.accounts.models import User
    from guongsang.core import bulk
    from guongsang.plans import services as plan_services
    from guongsang.reports import demo, services
    from guongsang.reports.models import (
        PeriodKind,
        ReportState,
        ReportValue,
        UnitReport,
        ValueType,
    )
    from guongsang.units.models import Unit, UnitKind

    runs = int(os.environ.get("BENCH_RUNS", "20"))
    try:
        central_user = User.objects.get(username="bench.central")
    except User.DoesNotExist:
        sys.exit("No generated data: run `guongsang generate_data --scale national` first.")
    central = central_user.unit
    today = timezone.localdate()
    try:
        with transaction.atomic():
            started = time.perf_counter()
            form = demo.build_plan53_form(
                by=None,
                unit=central,
                code="BENCH-6T",
                name="Báo cáo sơ kết 6 tháng (đo hiệu năng)",
                period_kind=PeriodKind.SIX_MONTHS,
            )
            rnd = services.round_create(
                by=central_user,
                form=form,
                unit=central,
                title="Sơ kết 6 tháng (đo hiệu năng)",
                level=UnitKind.COMMUNE,
                period_kind=PeriodKind.SIX_MONTHS,
                period_start=dt.date(today.year, 1, 1),
                period_end=dt.date(today.year, 6, 30),
                deadline=today,
            )
            plan_services.document_issue(document=rnd.task.document, by=central_user)
            communes = list(
                Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).only("pk", "path")
            )
            now = timezone.now()
            reports = [
                UnitReport(
                    round=rnd,
                    unit=u,
                    unit_path=u.path,
                    state=ReportState.SUBMITTED,
                    submitted_at=now,
                )
                for u in communes
            ]
            bulk.bulk_create(UnitReport, reports, batch_size=2000)
            reports = list(UnitReport.objects.filter(round=rnd).only("pk"))
            indicators = services.form_indicators(form)
            values = []
            for n, r in enumerate(reports):
                for ind in indicators:
                    v = ReportValue(report_id=r.pk, indicator_id=ind.pk)
                    if ind.value_type == ValueType.TEXT:
                        v.text = f"Ý kiến số {n} về {ind.label.lower()}."
                    elif ind.value_type == ValueType.BOOLEAN:
                        v.flag = n % 3 != 0
                    else:
                        v.number = Decimal(10 + (n * 7 + ind.pk) % 90)
                    values.append(v)
            ReportValue.objects.bulk_create(values, batch_size=5000)
            with connection.cursor() as cur:
                cur.execute("ANALYZE reports_reportvalue")
                cur.execute("ANALYZE reports_unitreport")
                cur.execute("ANALYZE plans_assignment")
                cur.execute("ANALYZE plans_recipient")
            print(
                f"Built {len(reports):,} submitted reports × {len(indicators)} indicators "
                f"({len(values):,} values) in {time.perf_counter() - started:.1f} s"
            )

            q = services.round_q(rnd)
            page = measure(lambda: services.rollup(indicators, q), runs)
            sql = """
                SELECT v.indicator_id, SUM(v.number), AVG(v.number),
                       COUNT(*) FILTER (WHERE v.flag),
                       COUNT(*) FILTER (
                           WHERE v.number IS NOT NULL OR v.flag IS NOT NULL OR v.text <> '')
                FROM reports_reportvalue v JOIN reports_unitreport r ON r.id = v.report_id
                WHERE r.round_id = %s AND r.state = 'submitted' AND v.indicator_id = ANY(%s)
                GROUP BY v.indicator_id
            """
            text_sql = """
                SELECT v.indicator_id, u.name, v.text
                FROM reports_reportvalue v JOIN reports_unitreport r ON r.id = v.report_id
                JOIN units_unit u ON u.id = r.unit_id
                WHERE r.round_id = %s AND r.state = 'submitted' AND v.indicator_id = %s
                  AND v.text <> ''
                ORDER BY r.unit_path, r.id LIMIT %s
            """
            ids = [i.pk for i in indicators]
            text_ids = [i.pk for i in indicators if i.value_type == ValueType.TEXT]

            def floor():
                with connection.cursor() as cur:
                    cur.execute(sql, [rnd.pk, ids])
                    cur.fetchall()
                    for text_id in text_ids:  # the first 200 texts of each, as the service
                        cur.execute(text_sql, [rnd.pk, text_id, 200])
                        cur.fetchall()

            floor_s = measure(floor, runs)
            print(
                f"rollup of {len(reports):,} reports: median {page['median']:.1f} ms, "
                f"p95 {page['p95']:.1f} ms; hand-written SQL median {floor_s['median']:.1f} ms, "
                f"p95 {floor_s['p95']:.1f} ms; ratio {page['median'] / floor_s['median']:.2f}×"
            )
            client = Client()
            client.force_login(central_user)
            province_client = Client()
            province_client.force_login(User.objects.get(username="bench.province"))
            summary_url = f"/bao-cao/tong-hop/?tu={today.year}-01-01&den={today.isoformat()}"
            for label, url, c in [
                ("round page", f"/bao-cao/dot/{rnd.pk}/", client),
                ("report page", f"/bao-cao/bao-cao/{reports[0].pk}/", client),
                # The province's summary of this year, which rolls up the round's reports of
                # its communes beside the live figures.
                ("summary page with the round (bench.province)", summary_url, province_client),
            ]:
                status = c.get(url).status_code
                s = measure(lambda url=url, c=c: c.get(url), runs)
                who = "" if "bench." in label else " (bench.central)"
                print(
                    f"{label}{who}: status {status}, median {s['median']:.1f} ms, "
                    f"p95 {s['p95']:.1f} ms"
                )
            raise Rollback
    except Rollback:
        print("Rolled back: the database is as it was.")


if __name__ == "__main__":
    main()
