"""Fill an empty database with the whole union's data (or one province's) for benchmarks.

Everything goes through bulk paths: rows are built in memory with explicit primary keys (above
the current maximum, so a unit's path, parent path + ``encode_segment(pk)``, is known before the
insert), each object's ``fill_derived()`` fills the folded names and sort keys exactly as
``save()`` does, and the rows go in by ``bulk_create`` (or by COPY on PostgreSQL for the big
tables). Sequences are reset afterwards. The same seed gives the same data: one
``random.Random(seed)`` drawn in a fixed order; dates count back from ``today``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import itertools
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward

from guongsang.accounts.models import Membership, Role, User
from guongsang.audit.models import Action, AuditEntry
from guongsang.core import bulk
from guongsang.core.text import slugify_vi
from guongsang.emulation import demo as emulation_demo
from guongsang.emulation import services as emulation_services
from guongsang.emulation.models import (
    Block,
    BlockKind,
    BlockMember,
    CriterionKind,
    PointsCriterion,
    PointsGroup,
    PointsTable,
    Schedule,
    Score,
    ScoreAction,
    ScoreLine,
    ScoreState,
    ScoreStep,
)
from guongsang.exemplars import seed_criteria as seed
from guongsang.exemplars.models import (
    CatalogueKind,
    Category,
    CriteriaSet,
    Criterion,
    CriterionAnswer,
    CriterionGroup,
    Exemplar,
    Movement,
    Nomination,
    NominationState,
    ReviewAction,
    ReviewRound,
    ReviewStep,
    Subject,
    SubjectKind,
)
from guongsang.outreach import rollup
from guongsang.outreach.models import Activity, ActivityForm, Consent, Story, StoryState
from guongsang.plans.models import (
    Assignment,
    DocStatus,
    DocType,
    Document,
    Organ,
    Recipient,
    Register,
    Task,
    TaskKind,
    format_symbol,
)
from guongsang.units.admin_units import (
    CENTRAL_CODE,
    CENTRAL_NAME,
    _province_name,
    commune_code,
    province_code,
)
from guongsang.units.models import Unit, UnitKind, encode_segment
from guongsang.units.services import REFORM_DATE

from . import names as vocab

DEFAULT_PASSWORD = "GuongSang@2026"
SCALES = ("province", "national")

# The whole union (issue 10): per commune these give ~10 branches, ~30 groups, ~600 activities,
# ~300 subjects; a province is generated at the same density.
NATIONAL_COMMUNES = 3321
ACTIVITIES = 2_000_000
SUBJECTS = 1_000_000
NOMINATIONS = 50_000
EXEMPLARS = 2_000
AUDIT_ENTRIES = 1_000_000  # three years of logins, failed logins, exports and reviews
YEARS = 3

# Share of each state among nominations that are not recognised (recognised = the exemplars).
STATE_WEIGHTS = [
    (NominationState.DRAFT, 34),
    (NominationState.SUBMITTED, 36),
    (NominationState.RETURNED, 14),
    (NominationState.REJECTED, 16),
]

# Emulation scores of the current year: share of each state (issue 13).
SCORE_STATE_WEIGHTS = [
    (ScoreState.DRAFT, 20),
    (ScoreState.SUBMITTED, 30),
    (ScoreState.RETURNED, 5),
    (ScoreState.CHECKED, 20),
    (ScoreState.FINAL, 25),
]
CLUSTER_SIZE = 15  # communes per cluster on average (10 to 20)
CENTRAL_BLOCKS = 6  # blocks of provinces of the central union

CHUNK = 50_000  # objects kept in memory before they are written
COPY_MIN = 5_000  # on PostgreSQL, writes of at least this many rows go by COPY

BENCH_ACCOUNTS = [
    # username, full name, role, position
    ("bench.central", "Trần Thị Minh Hà", Role.ADMIN, "Ủy viên Đoàn Chủ tịch"),
    ("bench.province", "Nguyễn Thị Thanh Xuân", Role.ADMIN, "Phó Chủ tịch Hội LHPN tỉnh"),
    ("bench.commune", "Lê Thị Hồng Nhung", Role.STAFF, "Cán bộ Hội LHPN xã"),
    ("bench.branch", "Phạm Thị Lụa", Role.VIEWER, "Chi hội trưởng"),
]

MOVEMENTS = [
    (
        CatalogueKind.MOVEMENT,
        "Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình hạnh phúc",
        2007,
        2022,
    ),
    (CatalogueKind.CAMPAIGN, "Xây dựng gia đình 5 không, 3 sạch", 2010, None),
    (
        CatalogueKind.CAMPAIGN,
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        2016,
        None,
    ),
    (CatalogueKind.MOVEMENT, "Xây dựng người Phụ nữ Việt Nam thời đại mới", 2022, 2027),
]


def _make_present(states: list[str], indices: list[int], state: str) -> None:
    """Make sure one of ``states[i]`` (``i`` in ``indices``) is ``state``, by swapping with a
    unit elsewhere (the shares stay as drawn); the states ensured before are kept."""
    if not indices or any(states[i] == state for i in indices):
        return
    donor = next((j for j, s in enumerate(states) if s == state and j not in indices), None)
    kept = (ScoreState.SUBMITTED, ScoreState.CHECKED)
    target = next((i for i in reversed(indices) if states[i] not in kept), None)
    if donor is not None and target is not None:
        states[target], states[donor] = states[donor], states[target]


class GenerationRefused(Exception):
    """The database already holds data: generated data is only ever loaded into an empty one."""


@contextlib.contextmanager
def given_moments(model: type[models.Model], *names: str):
    """While writing: the objects' own values of the ``auto_now_add`` fields ``names`` are
    written (history drawn by the generator) instead of the moment of the run."""
    fields = [model._meta.get_field(name) for name in names]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


@dataclass
class Result:
    scale: str
    seed: int
    counts: Counter = field(default_factory=Counter)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, unit
    password: str = ""
    seconds: float = 0.0


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, summing exactly to ``total``."""
    whole = sum(weights)
    counts = [int(total * w / whole) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    return counts


def scaled(national_total: int, communes: int) -> int:
    """A national figure at the density of ``communes`` communes."""
    return round(national_total * communes / NATIONAL_COMMUNES)


def _address(unit: Unit, commune_name: str) -> str:
    """ "Thôn Nà Pàn, Xã Đông Khê" for a subject of "Chi hội thôn Nà Pàn"."""
    if unit.kind != UnitKind.BRANCH:
        return commune_name
    place = unit.name.removeprefix("Chi hội ")
    return f"{place[:1].upper()}{place[1:]}, {commune_name}"


def _aware(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _maker(model: type[models.Model]):
    """Build instances without ``Model.__init__`` (its keyword handling costs more than all
    the rest for millions of rows): every field's default, then the given values by attname,
    and a fresh ``_state``, as ``Model.from_db`` leaves them."""
    defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields}

    def make(**values) -> models.Model:
        obj = model.__new__(model)
        obj.__dict__.update(defaults)
        obj.__dict__.update(values)
        obj._state = ModelState()
        return obj

    return make


class _Writer:
    """Primary keys handed out above the current maximum, and rows written in bulk."""

    def __init__(self) -> None:
        self.copy = connection.vendor == "postgresql"
        self.counts: Counter = Counter()
        self._ids: dict[type, itertools.count] = {}

    def ids(self, model: type[models.Model]) -> itertools.count:
        if model not in self._ids:
            top = model.objects.aggregate(top=Max("pk"))["top"] or 0
            self._ids[model] = itertools.count(top + 1)
        return self._ids[model]

    def write(self, model: type[models.Model], objs: list[models.Model]) -> None:
        if not objs:
            return
        if self.copy and len(objs) >= COPY_MIN:
            self._copy(model, objs)
        else:
            bulk.bulk_create(model, objs, batch_size=2000)
        self.counts[model] += len(objs)

    def _copy(self, model: type[models.Model], objs: list[models.Model]) -> None:
        """COPY on PostgreSQL: derived columns from ``fill_derived()``, automatic timestamps
        from the fields' own ``pre_save``, as ``bulk_create`` would do."""
        fields = list(model._meta.concrete_fields)
        auto = [
            f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        files = {f.attname for f in fields if isinstance(f, models.FileField)}
        as_json = {f.attname for f in fields if isinstance(f, models.JSONField)}
        fill = getattr(model, "fill_derived", None)
        quote = connection.ops.quote_name
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        )
        attnames = [f.attname for f in fields]
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for obj in objs:
                if fill is not None:
                    obj.fill_derived()
                for f in auto:
                    f.pre_save(obj, True)
                row = [getattr(obj, name) for name in attnames]
                if files or as_json:
                    row = [
                        (v.name or "")
                        if name in files
                        else json.dumps(v, ensure_ascii=False)
                        if name in as_json
                        else v
                        for name, v in zip(attnames, row, strict=True)
                    ]
                copy.write_row(row)

    @contextlib.contextmanager
    def indexes_built_after(self, *big: type[models.Model]):
        """On PostgreSQL, load the biggest tables without their secondary indexes and foreign
        keys, then build them again from their own definitions (``pg_get_indexdef``,
        ``pg_get_constraintdef``), as ``pg_restore`` does: one sort per index and one join per
        foreign key instead of millions of index insertions and deferred trigger checks. The
        schema ends as it began; the whole run is one transaction."""
        if not self.copy:
            yield
            return
        tables = [m._meta.db_table for m in big]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
                "WHERE t.relname = ANY(%s) AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
                [tables],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) "
                "ORDER BY 1, 2",
                [tables],
            )
            foreign_keys = cursor.fetchall()
            quote = connection.ops.quote_name
            # A table with pending deferred checks cannot be altered: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._ids))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@dataclass
class _Commune:
    unit: Unit
    region: str
    branches: list[Unit] = field(default_factory=list)
    groups: list[tuple[Unit, Unit]] = field(default_factory=list)  # (group, its branch)


def provinces_for(scale: str, communes_limit: int | None) -> list[tuple[Province, list[Ward]]]:
    by_province: dict[int, list[Ward]] = {}
    for ward in Ward.iter_all():
        by_province.setdefault(ward.province_code.value, []).append(ward)
    provinces = sorted(Province.iter_all(), key=lambda p: p.code.value)
    out = [
        (p, sorted(by_province.get(p.code.value, []), key=lambda w: w.code.value))
        for p in provinces
    ]
    if scale == "province":
        # The province with the most communes (Thành phố Hồ Chí Minh, 168).
        out = [max(out, key=lambda item: (len(item[1]), -item[0].code.value))]
        if communes_limit:
            out = [(out[0][0], out[0][1][:communes_limit])]
    return out


def check_empty() -> None:
    """Generated data goes into an empty database only (migrated, with its seeded catalogue)."""
    if Unit.objects.exists() or User.objects.exists():
        raise GenerationRefused(
            _(
                "Cơ sở dữ liệu đã có đơn vị hoặc tài khoản: chỉ sinh dữ liệu vào một cơ sở dữ liệu "
                "trống (vừa chạy migrate). Hãy tạo cơ sở dữ liệu mới rồi chạy lại."
            )
        )


class Generator:
    def __init__(
        self,
        *,
        scale: str,
        seed: int = 1,
        password: str = DEFAULT_PASSWORD,
        today: dt.date | None = None,
        communes_limit: int | None = None,
        log=None,
    ) -> None:
        if scale not in SCALES:
            raise ValueError(scale)
        self.scale = scale
        self.seed = seed
        self.password = password
        self.today = today or timezone.localdate()
        self.communes_limit = communes_limit
        self.rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
        self.w = _Writer()
        self.log = log or (lambda message: None)
        self.started = time.monotonic()
        self._makers: dict = {}

    def new(self, model: type[models.Model], **values) -> models.Model:
        if model not in self._makers:
            self._makers[model] = _maker(model)
        return self._makers[model](**values)

    def _say(self, message: str) -> None:
        self.log(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    # ---- run ----------------------------------------------------------------------------------
    def run(self) -> Result:
        check_empty()
        with transaction.atomic():
            self._units()
            self._accounts()
            self._catalogue()
            with self.w.indexes_built_after(Subject, Activity):
                self._subjects()
                self._activities()
            if self.w.copy:
                self._say("chỉ mục và khóa ngoại của đối tượng, hoạt động")
            months = rollup.rebuild()
            self._say(f"{months:,} dòng tổng hợp hoạt động theo tháng")
            self._nominations()
            self._stories()
            self._plan()
            self._audit()
            self._emulation()
            self.w.reset_sequences()
        if connection.vendor == "postgresql":
            # Planner statistics, and (outside a transaction) the visibility map that index-only
            # scans need: without it the first benchmark would measure a freshly loaded heap.
            sql = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            self._say(sql)
            with connection.cursor() as cursor:
                cursor.execute(sql)
        result = Result(scale=self.scale, seed=self.seed, password=self.password)
        result.counts = Counter({m._meta.label: n for m, n in self.w.counts.items()})
        result.counts["units.central"] = 1
        result.counts["units.province"] = len(self.provinces)
        result.counts["units.commune"] = len(self.communes)
        result.counts["units.branch"] = sum(len(c.branches) for c in self.communes)
        result.counts["units.group"] = sum(len(c.groups) for c in self.communes)
        result.counts.update({f"nominations.{s}": n for s, n in self.state_counts.items()})
        result.counts.update(
            {f"emulation_scores.{s}": n for s, n in self.score_state_counts.items()}
        )
        result.accounts = self.account_rows
        result.seconds = time.monotonic() - self.started
        return result

    # ---- units --------------------------------------------------------------------------------
    def _unit(self, parent: Unit | None, **fields) -> Unit:
        pk = next(self.w.ids(Unit))
        path = (parent.path if parent else "") + encode_segment(pk)
        return self.new(
            Unit,
            id=pk,
            parent_id=parent.pk if parent else None,
            path=path,
            depth=parent.depth + 1 if parent else 0,
            **fields,
        )

    def _units(self) -> None:
        rng = self.rng
        self.central = self._unit(None, code=CENTRAL_CODE, name=CENTRAL_NAME, kind=UnitKind.CENTRAL)
        self.provinces: list[Unit] = []
        self.communes: list[_Commune] = []
        batch = [self.central]
        for province, wards in provinces_for(self.scale, self.communes_limit):
            region = vocab.region_of(province.code.value)
            punit = self._unit(
                self.central,
                code=province_code(province.code.value),
                name=_province_name(province),
                kind=UnitKind.PROVINCE,
                admin_code=str(province.code.value),
            )
            punit.communes = []
            self.provinces.append(punit)
            batch.append(punit)
            for ward in wards:
                cunit = self._unit(
                    punit,
                    code=commune_code(ward.code.value),
                    name=ward.name,
                    kind=UnitKind.COMMUNE,
                    admin_code=str(ward.code.value),
                    valid_from=REFORM_DATE,
                )
                commune = _Commune(unit=cunit, region=region)
                punit.communes.append(commune)
                self.communes.append(commune)
                batch.append(cunit)
                is_ward = ward.name.startswith("Phường")
                for i, bname in enumerate(
                    vocab.branch_names(rng, region, is_ward, rng.randint(7, 13)), start=1
                ):
                    branch = self._unit(
                        cunit,
                        code=f"{cunit.code}-CH{i:02d}",
                        name=bname,
                        kind=UnitKind.BRANCH,
                        valid_from=REFORM_DATE,
                    )
                    commune.branches.append(branch)
                    batch.append(branch)
                    for j in range(1, rng.randint(2, 4) + 1):
                        group = self._unit(
                            branch,
                            code=f"{branch.code}-T{j}",
                            name=f"Tổ phụ nữ số {j}",
                            kind=UnitKind.GROUP,
                        )
                        commune.groups.append((group, branch))
                        batch.append(group)
            if len(batch) >= CHUNK:
                self.w.write(Unit, batch)
                batch = []
        self.w.write(Unit, batch)
        self._say(f"{self.w.counts[Unit]:,} đơn vị")

    # ---- accounts -----------------------------------------------------------------------------
    def _accounts(self) -> None:
        province = max(self.provinces, key=lambda p: (len(p.communes), -p.pk))
        commune = province.communes[0]
        branch = commune.branches[0]
        units = [self.central, province, commune.unit, branch]
        hashed = make_password(self.password)  # hashed once for the four accounts
        users = []
        memberships = []
        self.account_rows = []
        for (username, full_name, role, position), unit in zip(BENCH_ACCOUNTS, units, strict=True):
            user = User(
                pk=next(self.w.ids(User)),
                username=username,
                full_name=full_name,
                unit_id=unit.pk,
                position=position,
                password=hashed,
                is_active=True,
            )
            users.append(user)
            memberships.append(
                Membership(
                    pk=next(self.w.ids(Membership)), user_id=user.pk, unit_id=unit.pk, role=role
                )
            )
            self.account_rows.append((username, Role(role).label, unit.name))
        self.w.write(User, users)
        self.w.write(Membership, memberships)
        self.actor = users[0]
        self.bench_commune = commune

    # ---- catalogue: movements, criteria sets, review rounds ----------------------------------
    def _catalogue(self) -> None:
        movements = []
        for kind, name, start, end in MOVEMENTS:
            movements.append(
                Movement(
                    pk=next(self.w.ids(Movement)),
                    kind=kind,
                    name=name,
                    issuing_unit_id=self.central.pk,
                    start_year=start,
                    end_year=end,
                )
            )
        self.w.write(Movement, movements)
        self.movements = movements
        self.current_movement = movements[-1]
        years = [self.today.year - k for k in range(YEARS - 1, -1, -1)]
        self.years = years
        sets, groups, criteria = [], [], []
        self.criteria_by_set: dict[int, dict[str, list[int]]] = {}
        spec = [
            (CriterionGroup.GENERAL, "1. Tiêu chí chung", seed.GENERAL_53),
            (SubjectKind.COLLECTIVE, "a) Tập thể điển hình tiên tiến", seed.COLLECTIVE_53),
            (SubjectKind.INDIVIDUAL, "b) Cá nhân điển hình tiên tiến", seed.INDIVIDUAL_53),
            (SubjectKind.HOUSEHOLD, "c) Hộ gia đình điển hình tiên tiến", seed.HOUSEHOLD_53),
        ]
        self.sets_by_year = {}
        for year in years:
            cset = CriteriaSet(
                pk=next(self.w.ids(CriteriaSet)),
                issuing_unit_id=self.central.pk,
                year=year,
                name=f"Tiêu chí điển hình tiên tiến năm {year}",
                movement_id=self.current_movement.pk,
                source="Kế hoạch 53/KH-BTV, mục II.2",
            )
            sets.append(cset)
            self.sets_by_year[year] = cset
            by_kind: dict[str, list[int]] = {k: [] for k in SubjectKind.values}
            for order, (kind, title, texts) in enumerate(spec):
                group = CriterionGroup(
                    pk=next(self.w.ids(CriterionGroup)),
                    criteria_set_id=cset.pk,
                    subject_kind=kind,
                    title=title,
                    order=order,
                )
                groups.append(group)
                for i, text in enumerate(texts):
                    criterion = Criterion(
                        pk=next(self.w.ids(Criterion)), group_id=group.pk, order=i, text=text
                    )
                    criteria.append(criterion)
                    for k in SubjectKind.values:
                        if group.applies_to(k):
                            by_kind[k].append(criterion.pk)
            self.criteria_by_set[cset.pk] = by_kind
        self.w.write(CriteriaSet, sets)
        self.w.write(CriterionGroup, groups)
        self.w.write(Criterion, criteria)
        rounds = []
        self.rounds: dict[tuple[int, int], ReviewRound] = {}
        for province in self.provinces:
            for year in years:
                deadline = (
                    self.today + dt.timedelta(days=45)
                    if year == self.today.year
                    else dt.date(year, 10, 31)
                )
                rnd = ReviewRound(
                    pk=next(self.w.ids(ReviewRound)),
                    unit_id=province.pk,
                    name=f"Xét chọn điển hình tiên tiến năm {year} – {province.name}",
                    movement_id=self.current_movement.pk,
                    year=year,
                    deadline=deadline,
                )
                rounds.append(rnd)
                self.rounds[(province.pk, year)] = rnd
        self.w.write(ReviewRound, rounds)
        if not ActivityForm.objects.exists():
            # The migration seeds them; a flushed test database has lost them.
            seeded = importlib.import_module(
                "guongsang.outreach.migrations.0002_seed_activity_forms"
            )
            for order, name in enumerate(seeded.FORMS):
                ActivityForm.objects.create(name=name, order=order)
        self.forms = list(ActivityForm.objects.order_by("order", "pk"))

    # ---- subjects -----------------------------------------------------------------------------
    def _target(self, national_total: int) -> int:
        return scaled(national_total, len(self.communes))

    def _subjects(self) -> None:
        rng = self.rng
        total = self._target(SUBJECTS)
        per_commune = _split(total, [rng.uniform(0.6, 1.4) for _c in self.communes])
        # Nomination candidates: (subject, kind, unit, commune, name) — kept for every subject
        # would be 1 M tuples; a random sample per commune is enough. Every subject keeps its
        # unit set, so its own and its nominations' and exemplars' ``fill_derived`` need no query.
        self.candidates: list[tuple[Subject, str, Unit, _Commune, str]] = []
        nominations_share = self._target(NOMINATIONS) * 1.5 / max(total, 1)
        batch: list[Subject] = []
        for commune, count in zip(self.communes, per_commune, strict=True):
            mix = vocab.ETHNIC_MIX[commune.region]
            ethnicities, weights = zip(*mix, strict=True)
            collectives = list(commune.branches) + [g for g, _b in commune.groups]
            rng.shuffle(collectives)
            village = commune.unit.name
            for _i in range(count):
                roll = rng.random()
                unit = commune.unit if rng.random() < 0.4 else rng.choice(commune.branches)
                if roll < 0.05 and collectives:
                    linked = collectives.pop()
                    if linked.kind == UnitKind.GROUP:
                        parent = next(b for b in commune.branches if b.pk == linked.parent_id)
                        name = f"{linked.name} – {parent.name}"
                        unit = parent
                    else:
                        name = linked.name
                        unit = commune.unit
                    subject = self.new(
                        Subject,
                        id=next(self.w.ids(Subject)),
                        kind=SubjectKind.COLLECTIVE,
                        unit_id=unit.pk,
                        name=name,
                        linked_unit_id=linked.pk,
                        member_count=rng.randint(15, 120),
                        women_percent=Decimal(100),
                        address=village,
                        created_by_id=self.actor.pk,
                    )
                else:
                    household = roll < 0.15
                    ethnicity = rng.choices(ethnicities, weights)[0]
                    female = rng.random() < (0.6 if household else 0.92)
                    subject = self.new(
                        Subject,
                        id=next(self.w.ids(Subject)),
                        kind=SubjectKind.HOUSEHOLD if household else SubjectKind.INDIVIDUAL,
                        unit_id=unit.pk,
                        name=vocab.person_name(rng, ethnicity, female),
                        gender="female" if female else "male",
                        birth_year=rng.randint(1950, 1990)
                        if household
                        else rng.randint(1955, 2004),
                        ethnicity=ethnicity,
                        member_count=rng.randint(2, 7) if household else None,
                        position=rng.choice(POSITIONS) if not household else "",
                        phone=f"09{rng.randrange(10**8):08d}" if rng.random() < 0.5 else "",
                        address=_address(unit, village),
                        created_by_id=self.actor.pk,
                    )
                # The unit at hand: ``fill_derived`` copies its path without a query.
                subject.unit = unit
                batch.append(subject)
                if rng.random() < nominations_share:
                    self.candidates.append((subject, subject.kind, unit, commune, subject.name))
                if len(batch) >= CHUNK:
                    self.w.write(Subject, batch)
                    batch = []
        self.w.write(Subject, batch)
        self._say(f"{self.w.counts[Subject]:,} đối tượng")

    # ---- activities ---------------------------------------------------------------------------
    def _activities(self) -> None:
        rng = self.rng
        total = self._target(ACTIVITIES)
        per_commune = _split(total, [rng.uniform(0.5, 1.5) for _c in self.communes])
        days = YEARS * 365
        first_day = self.today - dt.timedelta(days=days - 1)
        forms = self.forms
        profiles = [vocab.FORM_PROFILES.get(f.name, vocab.OTHER_FORM) for f in forms]
        level_forms = {}
        for level, column in (("commune", 0), ("branch", 1), ("group", 2)):
            weights = [profile[3][column] for profile in profiles]
            if not any(weights):  # a customised list of forms: any form at any level
                weights = [1] * len(forms)
            level_forms[level] = (list(range(len(forms))), weights)
        movement_ids = [m.pk for m in self.movements[1:]]
        topics = vocab.TOPICS
        actor = self.actor.pk
        batch: list[Activity] = []
        ids = self.w.ids(Activity)
        for commune, count in zip(self.communes, per_commune, strict=True):
            groups = commune.groups
            branches = commune.branches
            for _i in range(count):
                roll = rng.random()
                if roll < 0.25:
                    unit, level = commune.unit, "commune"
                elif roll < 0.75:
                    unit, level = rng.choice(branches), "branch"
                else:
                    unit, level = rng.choice(groups)[0], "group"
                choices, weights = level_forms[level]
                form_index = rng.choices(choices, weights)[0]
                pattern, low, high, _levels = profiles[form_index]
                participants = rng.randint(low, high) if high else 0
                members = int(participants * rng.uniform(0.5, 1.0))
                activity = self.new(
                    Activity,
                    id=next(ids),
                    unit_id=unit.pk,
                    date=first_day + dt.timedelta(days=rng.randrange(days)),
                    form_id=forms[form_index].pk,
                    title=pattern.format(topic=rng.choice(topics)),
                    movement_id=rng.choice(movement_ids) if rng.random() < 0.4 else None,
                    participants=participants,
                    members=members,
                    created_by_id=actor,
                )
                # The unit at hand: ``fill_derived`` copies its path without a query.
                activity.unit = unit
                batch.append(activity)
                if len(batch) >= CHUNK:
                    self.w.write(Activity, batch)
                    batch = []
        self.w.write(Activity, batch)
        self._say(f"{self.w.counts[Activity]:,} hoạt động")

    # ---- nominations --------------------------------------------------------------------------
    def _nominations(self) -> None:
        rng = self.rng
        total = min(self._target(NOMINATIONS), len(self.candidates))
        recognised = min(self._target(EXEMPLARS), total)
        others = _split(total - recognised, [w for _s, w in STATE_WEIGHTS])
        states = [NominationState.RECOGNISED] * recognised
        for (state, _w), n in zip(STATE_WEIGHTS, others, strict=True):
            states += [state] * n
        self.state_counts = Counter(states)
        picked = rng.sample(self.candidates, total)
        rng.shuffle(states)
        category_of = {
            SubjectKind.INDIVIDUAL: [Category.ADVANCED_EXEMPLAR, Category.NEW_FACTOR],
            SubjectKind.HOUSEHOLD: [Category.ADVANCED_EXEMPLAR],
            SubjectKind.COLLECTIVE: [Category.ADVANCED_EXEMPLAR, Category.NEW_MODEL],
        }
        this_year = self.today.year
        nominations, steps, answers = [], [], []
        self.recognised: list[tuple[Nomination, Unit, str, str]] = []
        actor = self.actor.pk
        for (subject, kind, unit, commune, name), state in zip(picked, states, strict=True):
            province = self.provinces[0]
            if len(self.provinces) > 1:
                province = next(p for p in self.provinces if p.pk == commune.unit.parent_id)
            if state in (NominationState.RECOGNISED, NominationState.REJECTED):
                year = rng.choice(self.years)
            else:
                year = this_year
            rnd = self.rounds[(province.pk, year)]
            chain = [unit] if unit.kind == UnitKind.COMMUNE else [unit, commune.unit]
            chain.append(province)
            created = (
                _aware(dt.date(year, rng.randint(1, 8), rng.randint(1, 28)))
                if year < this_year
                else _aware(self.today - dt.timedelta(days=rng.randint(1, 120)))
            )
            nomination = self.new(
                Nomination,
                id=next(self.w.ids(Nomination)),
                subject_id=subject.pk,
                category=rng.choice(category_of[kind]),
                movement_id=self.current_movement.pk,
                criteria_set_id=self.sets_by_year[year].pk,
                review_round_id=rnd.pk,
                year=year,
                proposing_unit_id=unit.pk,
                proposed_by_id=actor,
                current_unit_id=unit.pk,
                state=state,
                achievement_report=f"Báo cáo thành tích của {name} năm {year}.",
                version=1,
                created_at=created,
            )
            # Related objects at hand for ``fill_derived`` (proposing path, subject's sort key).
            nomination.subject = subject
            nomination.proposing_unit = unit
            nominations.append(nomination)
            if state == NominationState.DRAFT:
                continue
            nomination.submitted_at = created
            # The trail: submitted to the level above, forwarded up to where it is now.
            if state == NominationState.RECOGNISED:
                reached = len(chain) - 1
            else:
                reached = rng.randint(1, len(chain) - 1)
            trail = [
                (
                    ReviewAction.SUBMIT,
                    NominationState.DRAFT,
                    NominationState.SUBMITTED,
                    chain[0],
                    chain[1],
                    "",
                )
            ]
            for k in range(1, reached):
                trail.append(
                    (
                        ReviewAction.FORWARD,
                        NominationState.SUBMITTED,
                        NominationState.SUBMITTED,
                        chain[k],
                        chain[k + 1],
                        "",
                    )
                )
            desk = chain[reached]
            if state == NominationState.RETURNED:
                trail.append(
                    (
                        ReviewAction.RETURN,
                        NominationState.SUBMITTED,
                        state,
                        desk,
                        chain[0],
                        "Bổ sung minh chứng cho tiêu chí 2.",
                    )
                )
                desk = chain[0]
            elif state == NominationState.REJECTED:
                trail.append(
                    (
                        ReviewAction.REJECT,
                        NominationState.SUBMITTED,
                        state,
                        desk,
                        desk,
                        "Chưa đủ tiêu chuẩn so với các hồ sơ trong khối.",
                    )
                )
            elif state == NominationState.RECOGNISED:
                trail.append(
                    (ReviewAction.RECOGNISE, NominationState.SUBMITTED, state, desk, desk, "")
                )
                self.recognised.append((nomination, province, kind, name))
            nomination.current_unit_id = desk.pk
            nomination.version = 1 + len(trail)
            for action, from_state, to_state, from_unit, to_unit, comment in trail:
                steps.append(
                    self.new(
                        ReviewStep,
                        id=next(self.w.ids(ReviewStep)),
                        nomination_id=nomination.pk,
                        action=action,
                        from_state=from_state,
                        to_state=to_state,
                        from_unit_id=from_unit.pk,
                        to_unit_id=to_unit.pk,
                        actor_id=actor,
                        comment=comment,
                    )
                )
            for criterion_pk in self.criteria_by_set[nomination.criteria_set_id][kind]:
                answers.append(
                    self.new(
                        CriterionAnswer,
                        id=next(self.w.ids(CriterionAnswer)),
                        nomination_id=nomination.pk,
                        criterion_id=criterion_pk,
                        met=True,
                        evidence_text="Có xác nhận của chi hội và Hội LHPN xã.",
                    )
                )
        # Opened on the day drawn above, not on the day of the run: the summary counts the
        # nominations discovered in a period by that day.
        with given_moments(Nomination, "created_at"):
            self.w.write(Nomination, nominations)
        self.w.write(ReviewStep, steps)
        self.w.write(CriterionAnswer, answers)
        self._say(f"{len(nominations):,} hồ sơ đề cử, {len(steps):,} bước xét duyệt")

    # ---- exemplars, consents, published stories -----------------------------------------------
    def _stories(self) -> None:
        rng = self.rng
        exemplars, consents, stories = [], [], []
        now = timezone.now()
        numbers: Counter = Counter()
        for nomination, province, kind, name in self.recognised:
            year = nomination.year
            day = (
                dt.date(year, 12, rng.randint(1, 20))
                if year < self.today.year
                else self.today - dt.timedelta(days=rng.randint(0, 20))
            )
            numbers[(province.pk, year)] += 1
            exemplar = Exemplar(
                pk=next(self.w.ids(Exemplar)),
                subject=nomination.subject,  # with its unit: ``fill_derived`` needs no query
                nomination_id=nomination.pk,
                category=nomination.category,
                movement_id=nomination.movement_id,
                year=year,
                recognising_unit_id=province.pk,
                recognised_at=_aware(day, 10),
                decision_ref=f"{numbers[(province.pk, year)]:02d}/QĐ-BTV",
                decision_date=day,
            )
            exemplars.append(exemplar)
            capacity = {
                SubjectKind.INDIVIDUAL: "Bản thân",
                SubjectKind.HOUSEHOLD: "Chủ hộ",
                SubjectKind.COLLECTIVE: "Chi hội trưởng thay mặt tập thể",
            }[kind]
            consents.append(
                Consent(
                    pk=next(self.w.ids(Consent)),
                    subject_id=nomination.subject_id,
                    given_by=name if kind != SubjectKind.COLLECTIVE else "Chi hội trưởng",
                    capacity=capacity,
                    given_on=min(day + dt.timedelta(days=rng.randint(0, 4)), self.today),
                    recorded_by_id=self.actor.pk,
                )
            )
            published = min(_aware(day + dt.timedelta(days=rng.randint(5, 60)), 8), now)
            phrase = rng.choice(vocab.STORY_PHRASES[kind])
            title = f"{name} – {phrase}"
            pk = next(self.w.ids(Story))
            summary = f"{name} được công nhận điển hình tiên tiến năm {year}."
            stories.append(
                Story(
                    pk=pk,
                    exemplar_id=exemplar.pk,
                    title=title,
                    slug=f"{slugify_vi(title)[:100]}-{pk}",
                    summary=summary,
                    body=f"<p>{summary}</p><p>Câu chuyện về {phrase} ở {province.name}.</p>",
                    state=StoryState.PUBLISHED,
                    published_at=published,
                    created_by_id=self.actor.pk,
                )
            )
        self.w.write(Exemplar, exemplars)
        self.w.write(Consent, consents)
        self.w.write(Story, stories)
        self._say(f"{len(exemplars):,} điển hình, {len(stories):,} bài viết đã đăng")

    # ---- the audit log ------------------------------------------------------------------------
    def _audit(self) -> None:
        """Three years of audit entries, mostly the communes' officers signing in, some from
        branches, provinces and the central union; written a chunk at a time."""
        rng = self.rng
        actions = [
            (Action.LOGIN, 70),
            (Action.LOGOUT, 14),
            (Action.LOGIN_FAILED, 6),
            (Action.EXPORT, 5),
            (Action.NOMINATION_FORWARD, 3),
            (Action.STORY_PUBLISH, 1),
            (Action.PASSWORD_CHANGE, 1),
        ]
        kinds, weights = zip(*actions, strict=True)
        total = self._target(AUDIT_ENTRIES)
        end = timezone.now()
        span = int(dt.timedelta(days=365 * YEARS).total_seconds())
        written = 0
        while written < total:
            chunk = []
            for _n in range(min(CHUNK, total - written)):
                commune = rng.choice(self.communes)
                roll = rng.random()
                if roll < 0.7:
                    unit = commune.unit
                elif roll < 0.9:
                    unit = rng.choice(commune.branches)
                elif roll < 0.99:
                    unit = next(p for p in self.provinces if p.pk == commune.unit.parent_id)
                else:
                    unit = self.central
                action = rng.choices(kinds, weights)[0]
                chunk.append(
                    AuditEntry(
                        pk=next(self.w.ids(AuditEntry)),
                        time=end - dt.timedelta(seconds=rng.randrange(span)),
                        actor_username=f"canbo.{unit.pk}",
                        unit_id=unit.pk,
                        unit_path=unit.path,
                        unit_name=unit.name,
                        action=action,
                        object_type="user" if action != Action.EXPORT else "export",
                        object_label=unit.name if action == Action.EXPORT else "",
                        details={},
                        address=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}",
                    )
                )
            self.w.write(AuditEntry, chunk)
            written += len(chunk)
        self._say(f"{written:,} mục nhật ký hệ thống")

    # ---- one plan cascaded to every commune ---------------------------------------------------
    def _plan(self) -> None:
        rng = self.rng
        issued_on = self.today - dt.timedelta(days=150)
        register = Register(
            pk=next(self.w.ids(Register)),
            unit_id=self.central.pk,
            organ=Organ.BTV,
            year=issued_on.year,
            last_number=1,
        )
        document = Document(
            pk=next(self.w.ids(Document)),
            unit_id=self.central.pk,
            organ=Organ.BTV,
            doc_type=DocType.KH,
            status=DocStatus.ISSUED,
            number=1,
            year=issued_on.year,
            place="Hà Nội",
            issued_on=issued_on,
            abstract="Tuyên truyền, nhân rộng điển hình tiên tiến trong các tầng lớp phụ nữ",
            body="<p>Triển khai đến Hội LHPN các xã, phường, đặc khu.</p>",
            authority="TM.",
            authority_of="BAN THƯỜNG VỤ",
            signer_title="CHỦ TỊCH",
            signer_name="Trần Thị Minh Hà",
            created_by_id=self.actor.pk,
            issued_by_id=self.actor.pk,
            issued_at=_aware(issued_on, 15),
        )
        document.symbol = format_symbol(document, 1)
        specs = [
            (
                TaskKind.PLAN,
                "Xây dựng kế hoạch triển khai của Hội LHPN cấp xã",
                issued_on + dt.timedelta(days=30),
                (65, 20),
            ),
            (
                TaskKind.REPORT,
                "Báo cáo kết quả sơ kết 6 tháng",
                self.today - dt.timedelta(days=50),
                (45, 15),
            ),
            (
                TaskKind.NOMINATE,
                "Giới thiệu điển hình tiên tiến",
                self.today + dt.timedelta(days=30),
                (25, 0),
            ),
        ]
        tasks = [
            Task(
                pk=next(self.w.ids(Task)),
                document_id=document.pk,
                kind=kind,
                title=title,
                deadline=deadline,
                order=i,
                scope=UnitKind.COMMUNE,
            )
            for i, (kind, title, deadline, _shares) in enumerate(specs)
        ]
        recipients, assignments = [], []
        for commune in self.communes:
            roll = rng.random()
            read = (
                _aware(issued_on + dt.timedelta(days=rng.randint(0, 10)), 8)
                if roll < 0.92
                else None
            )
            recipient = Recipient(
                pk=next(self.w.ids(Recipient)),
                document_id=document.pk,
                unit=commune.unit,  # with its path: ``fill_derived`` needs no query (COPY)
                read_at=read,
                acknowledged_at=read + dt.timedelta(hours=2) if read and roll < 0.85 else None,
            )
            recipients.append(recipient)
            for task, (_kind, _title, deadline, (on_time, late)) in zip(tasks, specs, strict=True):
                pick = rng.randrange(100)
                done_at = None
                if pick < on_time:
                    span = max((min(deadline, self.today) - issued_on).days, 1)
                    done_at = _aware(issued_on + dt.timedelta(days=rng.randint(1, span)), 16)
                elif pick < on_time + late and deadline < self.today:
                    span = max((self.today - deadline).days, 1)
                    done_at = _aware(deadline + dt.timedelta(days=rng.randint(1, span)), 16)
                assignments.append(
                    Assignment(
                        pk=next(self.w.ids(Assignment)),
                        task_id=task.pk,
                        recipient_id=recipient.pk,
                        done_at=done_at,
                        note="Đã triển khai, có văn bản kèm theo." if done_at else "",
                    )
                )
        self.w.write(Register, [register])
        self.w.write(Document, [document])
        self.w.write(Task, tasks)
        self.w.write(Recipient, recipients)
        self.w.write(Assignment, assignments)
        self._say(f"Kế hoạch {document.symbol}: {len(recipients):,} đơn vị nhận")

    # ---- emulation: blocks, points tables and scores of the current year ----------------------
    def _emulation(self) -> None:
        """The current year's emulation (issue 13): the central union's blocks of provinces and
        each province's clusters of its communes (10 to 20), each with a leader and a deputy
        among its members; one points table per organiser (the demo's 100-point table in six
        groups with bonus and penalty items; frozen, as it is used) and its schedule (without
        the plan task); a score of every member unit, its state drawn by
        ``SCORE_STATE_WEIGHTS``, with a line per criterion and the steps its state implies.
        Totals are ``services.total`` of the lines, as the services store them.
        ``bench.commune``'s commune leads its province's biggest cluster, and that cluster
        holds submitted scores to cross-check and checked ones to finalise."""
        rng = self.rng
        year = self.today.year
        actor = self.actor.pk
        first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
        now = timezone.now()

        def day(offset: int) -> dt.date:
            return min(max(self.today + dt.timedelta(days=offset), first_day), last_day)

        organisers = [(self.central, list(self.provinces), UnitKind.PROVINCE, BlockKind.BLOCK)] + [
            (p, [c.unit for c in p.communes], UnitKind.COMMUNE, BlockKind.CLUSTER)
            for p in self.provinces
        ]
        blocks, members, tables, groups, criteria, schedules = [], [], [], [], [], []
        scores, lines, steps = [], [], []
        self.score_state_counts: Counter = Counter()
        bench_unit = self.bench_commune.unit
        for organiser, units, level, kind in organisers:
            # The points table, its groups and criteria.
            if level == UnitKind.COMMUNE:
                name = emulation_demo.TABLE_NAME.format(year=year)
            else:
                name = f"Bảng chấm điểm thi đua Hội LHPN các tỉnh, thành phố năm {year}"
            table = self.new(
                PointsTable,
                id=next(self.w.ids(PointsTable)),
                issuing_unit_id=organiser.pk,
                year=year,
                level=level,
                name=name,
                frozen_at=_aware(day(-75), 8),
            )
            tables.append(table)
            table_criteria: list[PointsCriterion] = []
            for g_order, (code, title, specs) in enumerate(emulation_demo.TABLE):
                group = self.new(
                    PointsGroup,
                    id=next(self.w.ids(PointsGroup)),
                    table_id=table.pk,
                    order=g_order,
                    code=code,
                    title=title,
                )
                groups.append(group)
                for c_order, (c_code, text, c_kind, points, evidence, figure) in enumerate(specs):
                    table_criteria.append(
                        self.new(
                            PointsCriterion,
                            id=next(self.w.ids(PointsCriterion)),
                            group_id=group.pk,
                            order=c_order,
                            code=c_code,
                            text=text,
                            kind=c_kind,
                            max_points=Decimal(points),
                            evidence_required=evidence,
                            figure=figure,
                        )
                    )
            criteria += table_criteria
            schedules.append(
                self.new(
                    Schedule,
                    id=next(self.w.ids(Schedule)),
                    organiser_id=organiser.pk,
                    year=year,
                    table_id=table.pk,
                    self_deadline=day(-20),
                    check_deadline=day(10),
                    final_deadline=day(25),
                    created_by_id=actor,
                )
            )
            # The blocks: the biggest first (it holds the bench commune, the first commune).
            if kind == BlockKind.CLUSTER:
                n_blocks = max(1, round(len(units) / CLUSTER_SIZE))
                label = "Cụm thi đua số {n}"
            else:
                n_blocks = min(CENTRAL_BLOCKS, len(units))
                label = "Khối thi đua số {n}"
            sizes = sorted(
                _split(len(units), [rng.uniform(0.7, 1.3) for _b in range(n_blocks)]),
                reverse=True,
            )
            placed: list[tuple[Block, Unit]] = []
            start = 0
            for n, size in enumerate(sizes, start=1):
                group_units = units[start : start + size]
                start += size
                if not group_units:
                    continue
                leader = bench_unit if bench_unit in group_units else rng.choice(group_units)
                others = [u for u in group_units if u is not leader]
                block = self.new(
                    Block,
                    id=next(self.w.ids(Block)),
                    organiser_id=organiser.pk,
                    year=year,
                    kind=kind,
                    name=label.format(n=n),
                    leader_id=leader.pk,
                    deputy_id=rng.choice(others).pk if others else None,
                    created_by_id=actor,
                )
                blocks.append(block)
                for order, unit in enumerate(group_units):
                    members.append(
                        self.new(
                            BlockMember,
                            id=next(self.w.ids(BlockMember)),
                            block_id=block.pk,
                            unit_id=unit.pk,
                            organiser_id=organiser.pk,
                            year=year,
                            order=order,
                        )
                    )
                    placed.append((block, unit))
            states = self._score_states(len(placed))
            bench_others = [
                i
                for i, (block, unit) in enumerate(placed)
                if block.leader_id == bench_unit.pk and unit is not bench_unit
            ]
            for state in (ScoreState.SUBMITTED, ScoreState.CHECKED):
                _make_present(states, bench_others, state)
            for (block, unit), state in zip(placed, states, strict=True):
                checker = block.deputy_id if unit.pk == block.leader_id else block.leader_id
                if checker is None:
                    state = ScoreState.DRAFT  # a block of one: nobody to cross-check
                self.score_state_counts[state] += 1
                score, s_lines, s_steps = self._score(
                    block, unit, table, table_criteria, state, actor, day, now
                )
                scores.append(score)
                lines += s_lines
                steps += s_steps
        self.w.write(Block, blocks)
        self.w.write(BlockMember, members)
        self.w.write(PointsTable, tables)
        self.w.write(PointsGroup, groups)
        self.w.write(PointsCriterion, criteria)
        self.w.write(Schedule, schedules)
        self.w.write(Score, scores)
        self.w.write(ScoreLine, lines)
        times = [step.at for step in steps]
        self.w.write(ScoreStep, steps)
        # The insert set ``at`` to now (``auto_now_add``): each step gets its own time back.
        for step, at in zip(steps, times, strict=True):
            step.at = at
        ScoreStep.objects.bulk_update(steps, ["at"], batch_size=500)
        self._say(
            f"{len(blocks):,} cụm, khối thi đua, {len(scores):,} bảng chấm điểm, "
            f"{len(lines):,} dòng điểm"
        )

    def _score_states(self, n: int) -> list[str]:
        """``n`` states in the shares of ``SCORE_STATE_WEIGHTS`` (each at least once when
        ``n`` allows), shuffled."""
        counts = _split(n, [w for _s, w in SCORE_STATE_WEIGHTS])
        if n >= len(counts):
            for i, c in enumerate(counts):
                if c == 0:
                    counts[counts.index(max(counts))] -= 1
                    counts[i] += 1
        states = [
            s for (s, _w), c in zip(SCORE_STATE_WEIGHTS, counts, strict=True) for _ in range(c)
        ]
        self.rng.shuffle(states)
        return states

    def _score(self, block, unit, table, table_criteria, state, actor, day, now):
        """A score in ``state`` with its lines and steps, as the services leave it."""
        rng = self.rng
        total = emulation_services.total
        score = self.new(
            Score,
            id=next(self.w.ids(Score)),
            block_id=block.pk,
            unit_id=unit.pk,
            table_id=table.pk,
            state=state,
        )
        # The unit's own points: every line once submitted; a draft is partly filled, or
        # not yet saved at all.
        filled = len(table_criteria)
        if state == ScoreState.DRAFT:
            filled = rng.choice([0, rng.randint(1, len(table_criteria))])
        returned_after_check = state == ScoreState.RETURNED and rng.random() < 0.4
        checked = state in (ScoreState.CHECKED, ScoreState.FINAL) or returned_after_check
        s_lines = []
        for k, c in enumerate(table_criteria):
            line = self.new(
                ScoreLine,
                id=next(self.w.ids(ScoreLine)),
                score_id=score.pk,
                criterion_id=c.pk,
                evidence=[],
            )
            points = None
            if k < filled:
                if c.kind == CriterionKind.SCORED:
                    top = int(c.max_points * 2)
                    points = Decimal(rng.randint(top * 6 // 10, top)) / 2
                elif c.kind == CriterionKind.BONUS:
                    if rng.random() < 0.35:
                        points = Decimal(rng.randint(1, int(c.max_points * 2))) / 2
                elif rng.random() < 0.15:
                    points = Decimal(rng.randint(1, int(c.max_points)))
            line.self_points = points
            if points and c.evidence_required:
                line.evidence = [
                    {
                        "kind": "link",
                        "url": f"https://tailieu.hoilhpn.vn/minh-chung/{score.pk}/{c.code}",
                        "label": f"Báo cáo kết quả thực hiện tiêu chí {c.code}",
                    }
                ]
            if checked:
                line.check_points = points
                if c.kind == CriterionKind.SCORED and points and rng.random() < 0.25:
                    line.check_points = max(points - Decimal(rng.choice([1, 2])) / 2, Decimal(0))
                    line.check_note = "Minh chứng chưa đầy đủ."
                if state == ScoreState.FINAL:
                    line.final_points = line.check_points
                    if line.check_points and rng.random() < 0.05:
                        line.final_points = line.check_points - Decimal("0.5")
                        line.final_note = "Điều chỉnh theo kết quả thẩm định của Văn phòng."
            s_lines.append(line)

        def sum_of(field: str):
            pairs = zip(table_criteria, s_lines, strict=True)
            return total((c, getattr(ln, field)) for c, ln in pairs)

        if filled:
            score.self_total = sum_of("self_points")
        if checked:
            score.check_total = sum_of("check_points")
        if state == ScoreState.FINAL:
            score.final_total = sum_of("final_points")
        # The steps, each at its time (submitted 12 to 45 days ago, checked and finalised
        # some days later, never after now).
        s_steps = []

        def step(action, at, value, note=""):
            s_steps.append(
                self.new(
                    ScoreStep,
                    id=next(self.w.ids(ScoreStep)),
                    score_id=score.pk,
                    action=action,
                    by_id=actor,
                    at=at,
                    total=value,
                    note=note,
                )
            )

        if state != ScoreState.DRAFT:
            score.submitted_at = _aware(day(-rng.randint(12, 45)), rng.randint(7, 17))
            step(ScoreAction.SUBMIT, score.submitted_at, score.self_total)
            at = score.submitted_at
            if checked:
                at = min(at + dt.timedelta(days=rng.randint(1, 8), hours=2), now)
                score.checked_at = at
                step(ScoreAction.CHECK, at, score.check_total)
            if state == ScoreState.FINAL:
                at = min(at + dt.timedelta(days=rng.randint(1, 3), hours=3), now)
                score.finalised_at = at
                step(ScoreAction.FINALISE, at, score.final_total)
            elif state == ScoreState.RETURNED:
                at = min(at + dt.timedelta(days=rng.randint(1, 5), hours=1), now)
                step(ScoreAction.RETURN, at, None, "Bổ sung minh chứng cho tiêu chí 2.1 và 4.1.")
        score.version = 1 + (1 if filled else 0) + len(s_steps)
        return score, s_lines, s_steps


POSITIONS = [
    "Hội viên",
    "Chi hội trưởng",
    "Chi hội phó",
    "Tổ trưởng tổ phụ nữ",
    "Nông dân",
    "Giáo viên",
    "Cán bộ Hội LHPN xã",
    "Chủ hộ kinh doanh",
    "Y tá trạm y tế",
    "Thành viên hợp tác xã",
]


def generate(
    *,
    scale: str,
    seed: int = 1,
    password: str = DEFAULT_PASSWORD,
    today: dt.date | None = None,
    communes_limit: int | None = None,
    log=None,
) -> Result:
    """Generate ``scale`` data into an empty database; raises ``GenerationRefused`` otherwise.
    ``communes_limit`` keeps only the first communes of the province (tests)."""
    return Generator(
        scale=scale,
        seed=seed,
        password=password,
        today=today,
        communes_limit=communes_limit,
        log=log,
    ).run()
