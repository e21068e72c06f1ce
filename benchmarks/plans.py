"""Benchmarks of the compliance board: a province plan cascaded to every commune of the country
(3,321 communes) or of one province (56), with several tasks and a share of answers.

Run with `DEBUG=1 .venv/bin/python benchmarks/plans.py` (SQLite in a temporary file) or
`DATABASE_URL=postgres://root@127.0.0.1:5432/bench DEBUG=1 .venv/bin/python benchmarks/plans.py`
(the database is emptied!). Nothing is asserted; it is measured.
"""

import datetime as dt
import os
import sys
import tempfile
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
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.run import refuse_to_flush, timed  # noqa: E402
from guongsang.accounts.models import Membership, Role, User  # noqa: E402
from guongsang.plans import queries, services  # noqa: E402
from guongsang.plans.models import Assignment, Document  # noqa: E402
from guongsang.plans.services import TaskSpec  # noqa: E402
from guongsang.units.admin_units import import_all  # noqa: E402
from guongsang.units.models import Unit, UnitKind  # noqa: E402

TASKS = int(os.environ.get("BENCH_TASKS", "4"))


def issue(admin, unit, today):
    draft = services.document_save(
        by=admin,
        unit=unit,
        organ="BTV",
        doc_type="KH",
        abstract="Tuyên truyền điển hình tiên tiến",
        tasks=[
            TaskSpec(
                "report", f"Nhiệm vụ {i + 1}", today + dt.timedelta(days=10 * i - 5), "commune"
            )
            for i in range(TASKS)
        ],
    )
    doc = services.document_issue(document=draft, by=admin)
    # A third of the assignments answered.
    ids = list(Assignment.objects.filter(task__document=doc).values_list("pk", flat=True))[::3]
    Assignment.objects.filter(pk__in=ids).update(done_at=timezone.now(), note="Đã thực hiện")
    return doc


def main():
    call_command("migrate", verbosity=0)
    refuse_to_flush()
    call_command("flush", "--noinput", verbosity=0)
    import_all()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    central = Unit.objects.get(kind=UnitKind.CENTRAL)
    province = Unit.objects.get(code="04")
    admin = User.objects.create_user("bench.admin", password="x", full_name="Bench", unit=central)
    Membership.objects.create(user=admin, unit=central, role=Role.ADMIN)
    client = Client()
    client.force_login(admin)
    for label, unit in (("one province (56 communes)", province), ("whole country", central)):
        doc = issue(admin, unit, today)
        n = doc.recipients.count()
        print(f"-- {label}: {n} recipients x {TASKS} tasks --")
        doc = Document.objects.get(pk=doc.pk)
        timed(f"board query, {n} rows", lambda d=doc: queries.board(d, today=today), runs=10)
        timed(
            f"page: board, {n} rows",
            lambda d=doc: client.get(f"/van-ban/{d.pk}/theo-doi/"),
            runs=10,
        )
        timed(
            f"page: board filtered (overdue), {n} rows",
            lambda d=doc: client.get(f"/van-ban/{d.pk}/theo-doi/?trang_thai=overdue"),
            runs=10,
        )
        timed(
            f"export: board XLSX, {n} rows",
            lambda d=doc: client.get(f"/van-ban/{d.pk}/theo-doi.xlsx"),
            runs=5,
        )


if __name__ == "__main__":
    main()
