"""Benchmarks of the heavy paths of the unit tree, on a country-sized tree.

Run with `make bench` (SQLite in a temporary file) or
`DATABASE_URL=postgres://root@127.0.0.1:5432/bench make bench` (the database is emptied!).
Prints median and p95 over repeated runs; nothing here is asserted, it is measured.
"""

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
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from guongsang.accounts.models import Membership, Role, User  # noqa: E402
from guongsang.units import access  # noqa: E402
from guongsang.units.admin_units import import_all  # noqa: E402
from guongsang.units.models import Unit, UnitKind, encode_segment  # noqa: E402

BRANCHES_PER_COMMUNE = int(os.environ.get("BENCH_BRANCHES", "10"))


def timed(label, fn, runs=30):
    fn()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<58} median {statistics.median(samples):8.2f} ms   p95 {p95:8.2f} ms")


def build_tree():
    call_command("migrate", verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    start = time.perf_counter()
    import_all()
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE))
    branches = []
    for commune in communes:
        for i in range(BRANCHES_PER_COMMUNE):
            branches.append(
                Unit(
                    code=f"{commune.code}-CH{i:02d}",
                    name=f"Chi hội Bản Số {i}",
                    kind=UnitKind.BRANCH,
                    parent=commune,
                    path=f"tmp-{commune.pk}-{i}",
                    depth=commune.depth + 1,
                    name_folded=f"chi hoi ban so {i}",
                )
            )
    Unit.objects.bulk_create(branches, batch_size=2000)
    by_code = {
        u.code: u for u in Unit.objects.filter(kind=UnitKind.BRANCH).select_related("parent")
    }
    for unit in by_code.values():
        unit.path = unit.parent.path + encode_segment(unit.pk)
    Unit.objects.bulk_update(list(by_code.values()), ["path"], batch_size=2000)
    print(
        f"tree built: {Unit.objects.count():,} units in {time.perf_counter() - start:.1f} s "
        f"({connection_vendor()})"
    )


def connection_vendor():
    from django.db import connection

    return connection.vendor


def main():
    build_tree()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    province = Unit.objects.get(code="04")
    commune = Unit.objects.get(name="Xã Đông Khê", kind=UnitKind.COMMUNE)
    admin = User.objects.create_user("bench.admin", password="x", full_name="Bench", unit=province)
    Membership.objects.create(user=admin, unit=province, role=Role.ADMIN)

    timed("subtree count, one province", lambda: Unit.objects.subtree_of(province).count())
    timed(
        "subtree count, whole country",
        lambda: Unit.objects.subtree_of(Unit.objects.get(code="TW")).count(),
    )
    timed("subtree list, one commune", lambda: list(Unit.objects.subtree_of(commune)))
    timed("search 'dong khe', whole country", lambda: list(Unit.objects.search("dong khe")[:25]))
    timed(
        "search 'chi hoi ban so 3', scoped to a province",
        lambda: list(
            access.units_for(User.objects.get(pk=admin.pk)).search("chi hoi ban so 3")[:25]
        ),
    )
    client = Client()
    client.force_login(admin)
    timed("page: unit tree (province admin)", lambda: client.get("/don-vi/"), runs=20)
    timed("page: province unit page", lambda: client.get(f"/don-vi/{province.pk}/"), runs=20)
    timed("page: search 'dong khe'", lambda: client.get("/don-vi/tim/?q=dong+khe"), runs=20)


if __name__ == "__main__":
    main()
