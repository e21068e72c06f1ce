"""Benchmarks of the heavy lists of exemplars and outreach on one province with a lot of data:
Cao Bằng's 56 communes with 20 branches each, 100,000 activities over two years, 3,000 subjects
with a nomination each, 500 published stories.

Run with `DEBUG=1 .venv/bin/python benchmarks/lists.py` (SQLite in a temporary file) or
`DATABASE_URL=postgres://root@127.0.0.1:5432/bench DEBUG=1 .venv/bin/python benchmarks/lists.py`
(the database is emptied!). Nothing is asserted; it is measured.
"""

import datetime as dt
import importlib
import os
import random
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
from django.db.models import Count, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.run import refuse_to_flush, timed  # noqa: E402
from guongsang.accounts.models import Membership, Role, User  # noqa: E402
from guongsang.core.text import fold  # noqa: E402
from guongsang.exemplars import services as ex_services  # noqa: E402
from guongsang.exemplars.models import (  # noqa: E402
    Category,
    Exemplar,
    Nomination,
    Subject,
    SubjectKind,
)
from guongsang.outreach.models import Activity, ActivityForm, Consent, Story, StoryState  # noqa: E402
from guongsang.units import access  # noqa: E402
from guongsang.units.admin_units import find_province, import_province  # noqa: E402
from guongsang.units.models import Unit, UnitKind, encode_segment  # noqa: E402

SEED_FORMS = importlib.import_module("guongsang.outreach.migrations.0002_seed_activity_forms").FORMS
random.seed(53)
GIVEN = ["Hoa", "Lan", "Mai", "Hạnh", "Thu", "Nga", "Xuân", "Duyên", "Hằng", "Phượng"]
FAMILY = ["Nông", "Hoàng", "Bế", "Đàm", "Lục", "Triệu", "Lưu", "Hà", "Lý", "Nguyễn"]


def build():
    call_command("migrate", verbosity=0)
    refuse_to_flush()
    call_command("flush", "--noinput", verbosity=0)
    for order, name in enumerate(SEED_FORMS):  # flush emptied the seeded list
        ActivityForm.objects.get_or_create(name=name, defaults={"order": order})
    start = time.perf_counter()
    import_province(find_province("Cao Bằng"))
    province = Unit.objects.get(code="04")
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE, parent=province))
    branches = [
        Unit(
            code=f"{c.code}-CH{i:02d}",
            name=f"Chi hội Bản {i}",
            name_folded=f"chi hoi ban {i}",
            kind=UnitKind.BRANCH,
            parent=c,
            path=f"tmp-{c.pk}-{i}",
            depth=c.depth + 1,
        )
        for c in communes
        for i in range(20)
    ]
    Unit.objects.bulk_create(branches, batch_size=2000)
    rows = list(Unit.objects.filter(kind=UnitKind.BRANCH).select_related("parent"))
    for unit in rows:
        unit.path = unit.parent.path + encode_segment(unit.pk)
    Unit.objects.bulk_update(rows, ["path"], batch_size=2000)
    admin = User.objects.create_user("bench.admin", password="x", full_name="Bench", unit=province)
    Membership.objects.create(user=admin, unit=province, role=Role.ADMIN)

    forms = list(ActivityForm.objects.all())
    today = timezone.localdate()
    Activity.objects.bulk_create(
        [
            Activity(
                unit=random.choice(rows),
                date=today - dt.timedelta(days=random.randint(0, 730)),
                form=random.choice(forms),
                title=f"Sinh hoạt chuyên đề {i}",
                title_folded=f"sinh hoat chuyen de {i}",
                participants=(p := random.randint(5, 120)),
                members=random.randint(0, p),
                created_by=admin,
            )
            for i in range(100_000)
        ],
        batch_size=5000,
    )
    movement = ex_services.movement_create(
        by=None, unit=province, kind="movement", name="Phong trào thử", start_year=today.year - 1
    )
    cset = ex_services.criteria_set_create(by=None, unit=province, year=today.year, name="Bộ thử")
    rnd = ex_services.round_create(
        by=None,
        unit=province,
        name="Đợt thử",
        year=today.year,
        deadline=today + dt.timedelta(days=30),
    )
    subjects = []
    for i in range(3000):
        name = f"{random.choice(FAMILY)} Thị {random.choice(GIVEN)} {i}"
        subjects.append(
            Subject(
                kind=SubjectKind.INDIVIDUAL,
                unit=random.choice(rows),
                name=name,
                name_folded=fold(name),
                gender="female",
                birth_year=1970 + i % 40,
            )
        )
    Subject.objects.bulk_create(subjects, batch_size=2000)
    subjects = list(Subject.objects.all())
    Nomination.objects.bulk_create(
        [
            Nomination(
                subject=s,
                category=Category.ADVANCED_EXEMPLAR,
                movement=movement,
                criteria_set=cset,
                review_round=rnd,
                year=today.year,
                proposing_unit=s.unit,
                proposed_by=admin,
                current_unit=s.unit,
            )
            for s in subjects
        ],
        batch_size=2000,
    )
    exemplars = Exemplar.objects.bulk_create(
        [
            Exemplar(
                subject=s,
                category=Category.ADVANCED_EXEMPLAR,
                movement=movement,
                year=today.year,
                recognising_unit=province,
                recognised_at=timezone.now(),
            )
            for s in subjects[:500]
        ]
    )
    Consent.objects.bulk_create(
        [
            Consent(
                subject=e.subject,
                given_by=e.subject.name,
                capacity="Bản thân",
                given_on=today,
                recorded_by=admin,
            )
            for e in exemplars
        ]
    )
    Story.objects.bulk_create(
        [
            Story(
                exemplar=e,
                title=f"Gương sáng {i}",
                title_folded=f"guong sang {i}",
                slug=f"guong-sang-{i}",
                body="<p>Nội dung.</p>",
                state=StoryState.PUBLISHED,
                published_at=timezone.now(),
                created_by=admin,
            )
            for i, e in enumerate(exemplars)
        ]
    )
    print(
        f"data built in {time.perf_counter() - start:.1f} s: {Unit.objects.count():,} units, "
        f"{Activity.objects.count():,} activities, {Nomination.objects.count():,} nominations"
    )
    return province, admin


def main():
    province, admin = build()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    commune = Unit.objects.filter(kind=UnitKind.COMMUNE).first()
    year_ago = timezone.localdate() - dt.timedelta(days=365)

    def totals(unit):
        return list(
            Activity.objects.filter(
                unit__path__gte=unit.path, unit__path__lt=unit.path + "~", date__gte=year_ago
            )
            .values("form_id")
            .annotate(n=Count("*"), people=Sum("participants"), members=Sum("members"))
        )

    timed("activity totals by form, province, last 12 months", lambda: totals(province), runs=10)
    timed("activity totals by form, one commune", lambda: totals(commune), runs=20)
    user = User.objects.get(pk=admin.pk)
    timed("scope: units a province admin sees", lambda: access.units_for(user).count(), runs=20)
    client = Client()
    client.force_login(admin)
    timed(
        "page: activity list with totals (province)", lambda: client.get("/tuyen-truyen/"), runs=10
    )
    timed(
        "page: nomination list, 3,000 rows sorted by given name",
        lambda: client.get("/dien-hinh/de-cu/"),
        runs=5,
    )
    timed(
        "page: nomination list, search 'nong thi hoa'",
        lambda: client.get("/dien-hinh/de-cu/?q=nong+thi+hoa"),
        runs=10,
    )
    timed("page: subject list (3,000)", lambda: client.get("/dien-hinh/doi-tuong/"), runs=5)
    timed(
        "export: nominations XLSX (3,000)",
        lambda: client.get("/dien-hinh/de-cu/?xuat=xlsx"),
        runs=3,
    )
    anon = Client()
    timed("public: column list, 500 stories", lambda: anon.get("/chuyen-muc/bai-viet/"), runs=20)
    timed(
        "public: search 'guong sang 42'",
        lambda: anon.get("/chuyen-muc/bai-viet/?q=guong+sang+42"),
        runs=20,
    )


if __name__ == "__main__":
    main()
