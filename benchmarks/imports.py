"""Excel imports through their upload pages: a valid 5,000-row units import and a valid 5,000-row
activities import, as the province admin, on Cao Bằng's 56 communes with 20 branches each; and
how fast hostile files are refused (a zip bomb, a sheet of 1,000,000 rows).

Run with `DEBUG=1 .venv/bin/python benchmarks/imports.py` (SQLite in a temporary file) or
`DATABASE_URL=postgres://root@127.0.0.1:5432/bench DEBUG=1 .venv/bin/python benchmarks/imports.py`
(the database is emptied!). Each timed import runs in a transaction rolled back afterwards, so
every run imports the same file into the same tree. Nothing is asserted; it is measured.
``BENCH_ROWS`` (default 5000) and ``BENCH_RUNS`` (default 3) change the size and the runs.
"""

import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DEBUG", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "guongsang.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from benchmarks.run import refuse_to_flush  # noqa: E402
from guongsang.accounts.models import Membership, Role, User  # noqa: E402
from guongsang.core.spreadsheets import TooManyRows  # noqa: E402
from guongsang.outreach.imports import import_activities  # noqa: E402
from guongsang.outreach.models import Activity, ActivityForm  # noqa: E402
from guongsang.units.admin_units import find_province, import_province  # noqa: E402
from guongsang.units.imports import import_units  # noqa: E402
from guongsang.units.models import Unit, UnitKind, encode_segment  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Rollback(Exception):
    pass


class pytest_raises:  # noqa: N801 - a tiny stand-in, the benchmark runs without pytest
    def __init__(self, exc_type):
        self.exc_type = exc_type

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        assert exc_type is not None and issubclass(exc_type, self.exc_type), exc_type
        return True


def build():
    import importlib

    call_command("migrate", verbosity=0)
    refuse_to_flush()
    call_command("flush", "--noinput", verbosity=0)
    forms = importlib.import_module("guongsang.outreach.migrations.0002_seed_activity_forms").FORMS
    for order, name in enumerate(forms):  # flush emptied the seeded list
        ActivityForm.objects.get_or_create(name=name, defaults={"order": order})
    import_province(find_province("Cao Bằng"))
    province = Unit.objects.get(code="04")
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE, parent=province).order_by("code"))
    branches = [
        Unit(
            code=f"{c.code}-CH{i:02d}",
            name=f"Chi hội Bản {i}",
            kind=UnitKind.BRANCH,
            parent=c,
            path=f"tmp-{c.pk}-{i}",
            depth=c.depth + 1,
        )
        for c in communes
        for i in range(20)
    ]
    for b in branches:
        b.fill_derived()
    Unit.objects.bulk_create(branches, batch_size=2000)
    rows = list(Unit.objects.filter(kind=UnitKind.BRANCH).select_related("parent"))
    for unit in rows:
        unit.path = unit.parent.path + encode_segment(unit.pk)
    Unit.objects.bulk_update(rows, ["path"], batch_size=2000)
    admin = User.objects.create_user(
        "bench.imports", password="x", full_name="Bench", unit=province
    )
    Membership.objects.create(user=admin, unit=province, role=Role.ADMIN)
    return province, communes, sorted(rows, key=lambda u: u.code), admin


def workbook(header, rows) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def units_file(communes) -> bytes:
    """``ROWS`` rows: per commune, new branches each with groups (a tenth branches)."""
    from guongsang.units.imports import HEADERS

    rows = []
    n = 0
    while len(rows) < ROWS:
        commune = communes[n % len(communes)]
        branch = f"{commune.code}-NB{n:04d}"
        rows.append([branch, f"Chi hội mới {n}", "Chi hội", commune.code, "15/03/2018", ""])
        for g in range(9):
            if len(rows) < ROWS:
                rows.append([f"{branch}-T{g}", f"Tổ phụ nữ số {g}", "Tổ phụ nữ", branch, "", ""])
        n += 1
    return workbook(HEADERS, rows)


def activities_file(branches) -> bytes:
    from guongsang.outreach.imports import HEADERS

    forms = list(ActivityForm.objects.values_list("name", flat=True))
    today = timezone.localdate()
    rows = [
        [
            branches[i % len(branches)].code,
            (today - dt.timedelta(days=i % 700)).strftime("%d/%m/%Y"),
            forms[i % len(forms)],
            f"Sinh hoạt chuyên đề số {i}",
            40 + i % 50,
            30 + i % 10,
            "",
            "",
            "",
        ]
        for i in range(ROWS)
    ]
    return workbook(HEADERS, rows)


def hostile_files() -> tuple[bytes, bytes]:
    """The zip bomb (100 MB of shared strings) and the 1,000,000-row sheet of the tests."""
    from tests.core.test_import_bounds import million_rows, zip_bomb

    return zip_bomb(100), million_rows()


def median_run(fn) -> tuple[float, list[float]]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        try:
            with transaction.atomic():
                fn()
                raise Rollback
        except Rollback:
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main():
    province, communes, branches, admin = build()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(admin)
    units_data = units_file(communes)
    activities_data = activities_file(branches)
    bomb, big = hostile_files()
    vendor = connection.vendor
    print(f"# imports on {vendor}, {ROWS:,} rows, {RUNS} runs each (seconds)")

    def post_units():
        before = Unit.objects.count()
        response = client.post(
            reverse("units:import", args=[province.pk]),
            {"file": SimpleUploadedFile("u.xlsx", units_data, content_type=XLSX)},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        added = Unit.objects.count() - before
        assert added in (0, ROWS), added  # 0: sent to a background job
        return added

    def post_activities():
        before = Activity.objects.count()
        response = client.post(
            reverse("outreach:activity_import"),
            {"file": SimpleUploadedFile("a.xlsx", activities_data, content_type=XLSX)},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        added = Activity.objects.count() - before
        assert added in (0, ROWS), added
        return added

    def post_refused(data):
        def run():
            response = client.post(
                reverse("units:import", args=[province.pk]),
                {"file": SimpleUploadedFile("x.xlsx", data, content_type=XLSX)},
            )
            # 200: refused on the page; 302: handed to a background job (refused there).
            assert response.status_code in (200, 302)

        return run

    def direct_units():
        assert len(import_units(data=units_data, by=admin, within=province).created) == ROWS

    def direct_activities():
        assert len(import_activities(data=activities_data, by=admin)) == ROWS

    def job_refuses_big():
        with pytest_raises(TooManyRows):
            import_units(data=big, by=admin, within=province)

    rows = [
        (f"units import page, {len(units_data):,} bytes", post_units),
        (f"activities import page, {len(activities_data):,} bytes", post_activities),
        (f"zip bomb refused, {len(bomb):,} bytes", post_refused(bomb)),
        (f"1,000,000-row sheet: page hands it on, {len(big):,} bytes", post_refused(big)),
        ("1,000,000-row sheet: the job refuses it", job_refuses_big),
        ("units import, the job's work (no page, no row limit)", direct_units),
        ("activities import, the job's work (no page, no row limit)", direct_activities),
    ]
    for label, fn in rows:
        median, times = median_run(fn)
        each = " / ".join(f"{t:.2f}" for t in times)
        print(f"| {label} | {vendor} | {median:.2f} | {each} |")


if __name__ == "__main__":
    main()
