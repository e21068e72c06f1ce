"""Live figures of a unit's subtree for a period: the summary (sơ kết / tổng kết) and the
pre-filling of unit reports.

Every figure has a stable key (report-form indicators name it as their pre-fill source):

- ``activities``, ``participants``, ``members``, each optionally ``@<form slug>`` where the slug
  is ``slugify(fold(form.name))`` (``outreach.ActivityForm``), by the activity's date;
- ``exemplars.recognised``, optionally ``@<category>`` or ``@<category>.<subject kind>``, by the
  day of recognition (``Exemplar.recognised_at``);
- ``nominations.discovered`` and ``nominations.<state>``: nominations *created* in the period
  (a nomination is "discovered" when its file is opened), counted under the state they are in
  now. So the states of a period always add up to ``nominations.discovered``;
- ``replications`` (by the day of adoption), ``stories.published`` (by the first publication,
  whatever happened to the story since);
- ``tasks.on_time``, ``tasks.late``, ``tasks.overdue``: plan assignments whose deadline is in
  the period, with ``plans.models.task_state``'s rules (overdue: unanswered, deadline past).

History (the 2025 mergers). By default figures follow today's tree: a record attached to a
unit closed with a successor, or to any unit below one, counts under the successor (the lowest
such unit on the record's branch decides, so a former branch merged into a branch of the new
commune counts there; chains are followed). Records of units merged in from outside the
summarised subtree count in; records merged out of it do not. ``former_structure=True`` shows
the tree as it was: every child, closed ones included, is its own row and nothing moves. A
closed unit is always summarised as it was.

Cost: one query for the children, one (a bounded chain) for the mergers, one for the activity
forms, then one grouped query per source family for both periods (one per period when they
overlap), grouped in SQL by the row's path prefix (each app's ``queries``), the families' queries
sent together (``core.db.fetch_each``: on PostgreSQL the activities' first, the others in one
round trip that the server runs while their rows are added up here). Records are never
loaded into Python, and no query is made per unit. The mergers become a CASE over path ranges
whose length follows the number of mergers that change a row (after collapsing those that do
not), never the number of units.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from guongsang.core.dates import day_bounds
from guongsang.core.db import fetch_each
from guongsang.core.text import fold
from guongsang.exemplars import queries as exemplar_queries
from guongsang.exemplars.models import Category, NominationState, SubjectKind
from guongsang.outreach import queries as outreach_queries
from guongsang.plans import queries as plan_queries
from guongsang.units import queries as unit_queries
from guongsang.units.models import PATH_END, PROVINCE_WIDTH, SEGMENT_WIDTH, Unit

# Units whose activities the monthly rollup holds under their commune, and their parents'
# kinds: a summary of a commune (rows: its branches) reads the activities themselves.
FINE_KINDS = ("branch", "group")
FINE_PARENT_KINDS = ("commune", "branch", "group")

# Records whose unit was merged out of the summarised subtree land in this bucket and are
# dropped: no real path can equal it.
OUTSIDE = PATH_END

FAMILIES = ("activities", "exemplars", "nominations", "replications", "stories", "tasks")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    measure: str  # unit of measure, shown after the number


def _static_figures() -> dict[str, Figure]:
    out = [
        Figure("activities", _("Hoạt động tuyên truyền"), _("hoạt động")),
        Figure("participants", _("Lượt người tham dự"), _("lượt người")),
        Figure("members", _("Lượt hội viên tham dự"), _("lượt hội viên")),
        Figure("exemplars.recognised", _("Điển hình được công nhận"), _("điển hình")),
    ]
    for cat in Category:
        out.append(Figure(f"exemplars.recognised@{cat.value}", cat.label, _("điển hình")))
        for kind in SubjectKind:
            out.append(
                Figure(
                    f"exemplars.recognised@{cat.value}.{kind.value}",
                    f"{cat.label} – {kind.label}",
                    _("điển hình"),
                )
            )
    out.append(
        Figure("nominations.discovered", _("Điển hình được phát hiện (hồ sơ mới)"), _("hồ sơ"))
    )
    for state in NominationState:
        out.append(Figure(f"nominations.{state.value}", state.label, _("hồ sơ")))
    out += [
        Figure("replications", _("Lượt nhân rộng mô hình"), _("lượt")),
        Figure("stories.published", _("Bài viết được đăng"), _("bài")),
        Figure("tasks.on_time", _("Nhiệm vụ hoàn thành đúng hạn"), _("nhiệm vụ")),
        Figure("tasks.late", _("Nhiệm vụ hoàn thành muộn"), _("nhiệm vụ")),
        Figure("tasks.overdue", _("Nhiệm vụ quá hạn"), _("nhiệm vụ")),
    ]
    return {f.key: f for f in out}


# The keys that do not depend on data; ``figure_registry`` adds one per activity form.
FIGURES: dict[str, Figure] = _static_figures()

ACTIVITY_MEASURES = ("activities", "participants", "members")


def form_slug(name: str) -> str:
    return slugify(fold(name))


def figure_registry() -> dict[str, Figure]:
    """Every valid key with its label and unit of measure, the forms' keys included (one query)."""
    registry = dict(FIGURES)
    for form in outreach_queries.activity_forms():
        slug = form_slug(form.name)
        for measure in ACTIVITY_MEASURES:
            base = FIGURES[measure]
            registry[f"{measure}@{slug}"] = Figure(
                f"{measure}@{slug}", f"{base.label}: {form.name}", base.measure
            )
    return registry


def family_of(key: str) -> str:
    """The source family a key is read from; ``ValueError`` for a key outside the grammar
    (form slugs are checked against the data by ``figure_registry``)."""
    base = key.split("@", 1)[0]
    if base in ACTIVITY_MEASURES:
        return "activities"
    if key in FIGURES:
        return key.split(".", 1)[0]
    raise ValueError(f"unknown figure key: {key!r}")


# ---- grouping ------------------------------------------------------------------------------


class Grouping:
    """How records are bucketed into the rows of a summary of ``unit``: the scope filter and
    the bucket expression on a stored unit path (see the module docstring for the rules)."""

    def __init__(self, unit: Unit, *, former_structure: bool):
        self.unit = unit
        self.former_structure = former_structure or unit.valid_to is not None
        self.length = len(unit.path) + SEGMENT_WIDTH
        self.entries: list[tuple[str, str]] = []  # (merged unit's path, bucket), deepest first
        self.extra: list[str] = []  # subtrees merged in from outside the unit's subtree
        if not self.former_structure:
            self._mergers(unit_queries.merged_around(unit))
        # Activities from the monthly rollup (``outreach.rollup``), which holds a branch's or a
        # group's activities under its commune: exact when no row is a branch or a group (the
        # summarised unit is above the communes) and no branch or group was merged across.
        self.monthly = unit.kind not in FINE_PARENT_KINDS and not unit_queries.any_of_kinds(
            [path for path, _bucket in self.entries] + self.extra, FINE_KINDS
        )
        # The rows are provinces (the central union's summary) and no merger moves a part of a
        # province elsewhere: the rollups by province give the rows' figures (the nominations',
        # ``exemplars.rollup``) ...
        self.province_rows = (
            self.length == PROVINCE_WIDTH
            and not self.extra
            and all(len(path) <= PROVINCE_WIDTH for path, _bucket in self.entries)
        )
        # ... and, where the monthly rollup is exact, the activities' (``outreach.rollup``).
        self.by_province = self.monthly and self.province_rows

    def _inside(self, path: str) -> bool:
        return path.startswith(self.unit.path)

    def default_bucket(self, path: str) -> str:
        return path[: self.length] if self._inside(path) else OUTSIDE

    def _mergers(self, successor_of: dict[str, str]) -> None:
        def lowest_merged(path: str) -> str | None:
            for end in range(len(path), 0, -SEGMENT_WIDTH):
                if path[:end] in successor_of:
                    return path[:end]
            return None

        def target(path: str) -> str:
            t = successor_of[path]
            for _step in range(5):  # chains are short; bounded like the access layer
                merged = lowest_merged(t)
                if merged is None:
                    break
                t = successor_of[merged]
            return t

        bucket_of = {path: self.default_bucket(target(path)) for path in successor_of}
        for path in sorted(successor_of, key=len):
            parent = lowest_merged(path[:-SEGMENT_WIDTH]) if len(path) > SEGMENT_WIDTH else None
            context = bucket_of[parent] if parent else self.default_bucket(path)
            if bucket_of[path] != context:
                self.entries.append((path, bucket_of[path]))
            if not self._inside(path) and bucket_of[path] != OUTSIDE:
                self.extra.append(path)
        self.entries.sort(key=lambda e: (-len(e[0]), e[0]))
        self.extra = [
            p for p in sorted(self.extra) if not any(p.startswith(q) and p != q for q in self.extra)
        ]

    # SQL fragments on a stored unit path column (``column``: "u.path"), with their params.
    # The family queries are written in SQL (each app's ``queries``): built with the ORM,
    # compiling them took about 15 % of a province's summary (measured on national data).

    def scope_sql(self, column: str) -> tuple[str, list]:
        return unit_queries.ranges_sql([self.unit.path, *self.extra], column)

    def bucket_sql(self, column: str) -> tuple[str, list]:
        default = f"substr({column}, 1, {int(self.length)})"
        if not self.entries:
            return default, []
        whens, params = [], []
        for path, bucket in self.entries:
            whens.append(f"WHEN {column} >= %s AND {column} < %s THEN %s")
            params += [path, path + PATH_END, bucket]
        return f"CASE {' '.join(whens)} ELSE {default} END", params


# ---- computation ---------------------------------------------------------------------------


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _add(period: Period, bucket: str, keys: tuple[str, ...], n) -> None:
    """``n`` added to each of ``keys`` in the bucket's row and, inside the scope, the totals."""
    if n:
        n = int(n)
        row = period.values.setdefault(bucket, {})
        for key in keys:
            row[key] = row.get(key, 0) + n
        if bucket != OUTSIDE:
            total = period.total
            for key in keys:
                total[key] = total.get(key, 0) + n


@dataclass
class Period:
    """Figures of one period by bucket: ``values[bucket][key]``, plus the exemplar table by
    movement (``movements[(movement_id, category, kind)]``) over the whole scope."""

    start: dt.date
    end: dt.date
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    movements: dict[tuple, int] = field(default_factory=dict)
    # The sum over every bucket (kept while the rows are read: a province's buckets hold
    # thousands of keys, which a second pass over them cost more than this).
    total: dict[str, int] = field(default_factory=dict)


class Periods:
    """Several periods read in one query: the filter and the period index (0, 1, ...) as SQL on
    a date column, or on a moment (``moment=True``: an aware datetime, by its local day). The
    filter also states the overall bounds, so the database reads one index range for all."""

    def __init__(self, spans: list[tuple[dt.date, dt.date]]):
        self.spans = spans

    def _bounds(self, moment: bool) -> list[tuple]:
        ops = connection.ops
        if moment:
            return [
                tuple(ops.adapt_datetimefield_value(x) for x in day_bounds(a, b))
                for a, b in self.spans
            ]
        return [(ops.adapt_datefield_value(a), ops.adapt_datefield_value(b)) for a, b in self.spans]

    @staticmethod
    def _range(column: str, moment: bool) -> str:
        return f"({column} >= %s AND {column} {'<' if moment else '<='} %s)"

    def where_sql(self, column: str, *, moment: bool = False) -> tuple[str, list]:
        bounds = self._bounds(moment)
        spans = self.spans
        first = bounds[min(range(len(spans)), key=lambda i: spans[i][0])][0]
        last = bounds[max(range(len(spans)), key=lambda i: spans[i][1])][1]
        sql = self._range(column, moment)
        if len(bounds) == 1:
            return sql, [first, last]
        any_of = " OR ".join(sql for _b in bounds)
        return f"{sql} AND ({any_of})", [first, last, *[x for b in bounds for x in b]]

    def index_sql(self, column: str, *, moment: bool = False) -> tuple[str, list]:
        bounds = self._bounds(moment)
        whens = " ".join(f"WHEN {self._range(column, moment)} THEN {i}" for i in range(len(bounds)))
        return f"CASE {whens} ELSE -1 END", [x for b in bounds for x in b]


TASK_KEYS = {"done": "tasks.on_time", "late": "tasks.late", "overdue": "tasks.overdue"}


# A province's result holds hundreds of rows per family: their keys are made once per value.
@functools.cache
def _exemplar_keys(cat: str, kind: str) -> tuple[str, str, str]:
    return (
        "exemplars.recognised",
        f"exemplars.recognised@{cat}",
        f"exemplars.recognised@{cat}.{kind}",
    )


@functools.cache
def _nomination_keys(state: str) -> tuple[str, str]:
    return ("nominations.discovered", f"nominations.{state}")


def _form_keys(slugs: dict[int, str]) -> dict[int, tuple[str, str, str]]:
    """Each activity form's three figure keys (``activities@<slug>``...), by form id."""
    return {pk: tuple(f"{m}@{slug}" for m in ACTIVITY_MEASURES) for pk, slug in slugs.items()}


def _add_activities(
    out: list[Period],
    rows: list[tuple],
    slugs: dict[int, str],
    width: int | None = None,
    unit_forms: bool = True,
) -> None:
    """The activity rows (period, bucket, form, activities, participants, members) into the
    periods' buckets, in total and (``unit_forms``) by form, and the periods' totals by form.
    Either reading: a row per bucket and form (a (period, bucket, form) twice when its whole
    months and its partial days are read apart), or the ``totals`` reading
    (``outreach.queries.activity_sum_parts_sql``), where a bucket's row in total has no form
    and a form's row over the whole scope no bucket. The widest result (a province's 4,678
    rows), so the loop is kept lean; activities are read first: no other family made a
    bucket's row yet. ``width``: the rows hold paths, each cut to its first ``width``
    characters (the bucket)."""
    keys = _form_keys(slugs)
    by_period = [p.values for p in out]
    by_form: list[dict] = [{} for _p in out]  # by form id: [n, people, members]
    for p, bucket, form_id, n, people, members in rows:
        if p < 0:  # (the SQL reads only the periods' days: never; kept as a guard)
            continue
        if bucket is not None:
            if width:
                bucket = bucket[:width]
            values = by_period[p]
            row = values.get(bucket)
            if row is None:
                row = values[bucket] = {
                    "activities": n,
                    "participants": people,
                    "members": members,
                }
            else:
                row["activities"] += n
                row["participants"] += people
                row["members"] += members
            if form_id is None:  # a bucket's row in total
                continue
            if unit_forms:
                form_keys = keys.get(form_id)
                if form_keys is None:
                    form_keys = keys[form_id] = tuple(f"{m}@{form_id}" for m in ACTIVITY_MEASURES)
                k_n, k_people, k_members = form_keys
                if k_n in row:
                    row[k_n] += n
                    row[k_people] += people
                    row[k_members] += members
                else:
                    row[k_n], row[k_people], row[k_members] = n, people, members
            if bucket == OUTSIDE:
                continue
        sums = by_form[p].get(form_id)
        if sums is None:
            by_form[p][form_id] = [n, people, members]
        else:
            sums[0] += n
            sums[1] += people
            sums[2] += members
    _add_form_totals(out, by_form, keys)


def _add_form_totals(out: list[Period], by_form: list[dict], keys: dict) -> None:
    """Each period's totals by form (``by_form[period][form id] = [n, people, members]``) and
    their sums, into the periods' totals."""
    for period, forms in zip(out, by_form, strict=True):
        total = period.total
        for form_id, sums in forms.items():
            form_keys = keys.get(form_id) or tuple(f"{m}@{form_id}" for m in ACTIVITY_MEASURES)
            for key, measure, value in zip(form_keys, ACTIVITY_MEASURES, sums, strict=True):
                total[key] = value
                total[measure] = total.get(measure, 0) + value


def compute(
    grouping: Grouping,
    spans: list[tuple[dt.date, dt.date]],
    *,
    families=FAMILIES,
    today: dt.date | None = None,
    slugs: dict[int, str] | None = None,
    unit_forms: bool = True,
) -> list[Period]:
    """The figures of each period of ``spans``: one grouped query per family in ``families``,
    all periods at once (one query per period when they overlap: a record then counts in
    each period it falls in, which a single period index cannot say). ``unit_forms``: each
    bucket's activity figures by form too (``activities@<slug>``...), not only in total."""
    today = today or timezone.localdate()
    ordered = sorted(spans)
    if any(b[0] <= a[1] for a, b in itertools.pairwise(ordered)):
        return [
            compute(
                grouping, [span], families=families, today=today, slugs=slugs, unit_forms=unit_forms
            )[0]
            for span in spans
        ]
    periods = Periods(spans)
    out = [Period(start=a, end=b) for a, b in spans]

    if "activities" in families and slugs is None:
        slugs = {pk: form_slug(name) for pk, name in outreach_queries.activity_form_names()}
    # With no merger to map, below the central union or from the province table, the rollup's
    # months come back by stored path (a province's communes, the country's provinces: the
    # rows' buckets already) and are cut to the bucket here.
    by_path = (
        grouping.monthly
        and not grouping.entries
        and (len(grouping.unit.path) > SEGMENT_WIDTH or grouping.by_province)
    )
    # Each row's activity figures in total only: on PostgreSQL, read as such (``totals``).
    totals = not unit_forms and connection.vendor == "postgresql" and not grouping.entries
    sql_of = {
        "activities": functools.partial(
            outreach_queries.activity_sum_parts_sql, rollup_paths=by_path, totals=totals
        ),
        "exemplars": exemplar_queries.exemplars_recognised_sql,
        "nominations": exemplar_queries.nominations_created_sql,
        "replications": exemplar_queries.replications_dated_sql,
        "stories": outreach_queries.stories_published_sql,
        "tasks": functools.partial(plan_queries.task_outcomes_sql, today=today),
    }
    names = [name for name in FAMILIES if name in families]
    # Sent together (``core.db.fetch_each``): on PostgreSQL the activities (the rows that cost
    # most to add up, first in ``FAMILIES``) come back first, while the server runs the others.
    # Closed on the way out, whatever happens: until then the pipeline holds the connection.
    statements = [sql_of[name](grouping=grouping, periods=periods) for name in names]
    with contextlib.closing(fetch_each(statements)) as fetched:
        for name, rows in zip(names, fetched, strict=True):
            if name == "activities":
                width = grouping.length if by_path else None
                _add_activities(out, rows, slugs, width, unit_forms)
                continue
            # The other families' rows: (period, bucket, ..., count); a period index outside the
            # periods (the SQL reads only their days: never) is skipped as a guard.
            rows = [r for r in rows if 0 <= r[0] < len(out)]
            if name == "exemplars":
                for p, bucket, cat, kind, movement, n in rows:
                    period = out[p]
                    _add(period, bucket, _exemplar_keys(cat, kind), n)
                    if bucket != OUTSIDE:
                        movements = period.movements
                        movements[(movement, cat, kind)] = (
                            movements.get((movement, cat, kind), 0) + n
                        )
            elif name == "nominations":
                for p, bucket, state, n in rows:
                    _add(out[p], bucket, _nomination_keys(state), n)
            elif name == "replications":
                for p, bucket, n in rows:
                    _add(out[p], bucket, ("replications",), n)
            elif name == "stories":
                for p, bucket, n in rows:
                    _add(out[p], bucket, ("stories.published",), n)
            elif name == "tasks":
                for p, bucket, outcome, n in rows:
                    if outcome in TASK_KEYS:
                        _add(out[p], bucket, (TASK_KEYS[outcome],), n)
    for period in out:
        period.values.pop(OUTSIDE, None)
    return out


def figure_values(
    keys, unit: Unit, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> dict[str, int]:
    """The figures ``keys`` for ``unit``'s subtree (today's structure) over ``[start, end]``:
    one query per source family named by the keys, not per key. The caller fetched ``unit``
    through ``units.access``. ``ValueError`` for a key outside the grammar."""
    keys = list(keys)
    families = {family_of(k) for k in keys}
    if not families:
        return {}
    (period,) = compute(
        Grouping(unit, former_structure=False),
        [(start, end)],
        families=families,
        today=today,
        unit_forms=False,  # the totals only
    )
    total = period.total
    return {k: total.get(k, 0) for k in keys}


def figure_value(key: str, unit: Unit, start: dt.date, end: dt.date) -> int:
    return figure_values([key], unit, start, end)[key]


# ---- the summary ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormColumn:
    """An activity form as the summary's figures by form name it."""

    pk: int
    name: str
    slug: str


@dataclass
class Row:
    unit: Unit | unit_queries.ChildUnit  # a child; the summarised unit itself on its own row
    own: bool  # records attached to the summarised unit itself (or merged into it)
    values: dict[str, int]
    previous: dict[str, int]

    @property
    def closed(self) -> bool:
        return self.unit.valid_to is not None

    def get(self, key: str) -> int:
        return self.values.get(key, 0)


@dataclass
class Summary:
    unit: Unit
    start: dt.date
    end: dt.date
    former_structure: bool
    rows: list[Row]
    current: Period
    previous: Period
    forms: list[FormColumn]  # the activity forms, in their order

    @property
    def total(self) -> dict[str, int]:
        return self.current.total

    @property
    def previous_total(self) -> dict[str, int]:
        return self.previous.total

    @property
    def has_data(self) -> bool:
        return bool(self.total) or bool(self.previous_total)

    def change(self, key: str) -> int:
        return self.total.get(key, 0) - self.previous_total.get(key, 0)


def summary(
    unit: Unit,
    start: dt.date,
    end: dt.date,
    *,
    former_structure: bool = False,
    today: dt.date | None = None,
    unit_forms: bool = True,
) -> Summary:
    """Figures per child unit, for the unit itself, in total, and for the same period a year
    earlier. ``unit`` was fetched through ``units.access`` with view permission.
    ``unit_forms=False``: the rows' activity figures in total only, not by form (the totals
    by form are always there): what the page, the dashboard and the Word draft show; the
    Excel workbook and the API show the rows by form."""
    grouping = Grouping(unit, former_structure=former_structure)
    forms = [
        FormColumn(pk, name, form_slug(name)) for pk, name in outreach_queries.activity_form_names()
    ]
    slugs = {form.pk: form.slug for form in forms}
    current, previous = compute(
        grouping,
        [(start, end), (year_before(start), year_before(end))],
        today=today,
        slugs=slugs,
        unit_forms=unit_forms,
    )
    children = unit_queries.summary_children(unit)
    if not grouping.former_structure:
        # Merged children have no row: their records moved to their successors.
        children = [c for c in children if not c.successor_path]
    rows = [
        Row(
            unit=c,
            own=False,
            values=current.values.get(c.path, {}),
            previous=previous.values.get(c.path, {}),
        )
        for c in children
    ]
    known = {c.path for c in children}
    # Whatever is not under a row (the unit's own records, or those of a child without a row)
    # is shown on the unit's own row, so that the rows always add up to the total.
    own_now: dict[str, int] = {}
    own_before: dict[str, int] = {}
    for values, own in ((current.values, own_now), (previous.values, own_before)):
        for bucket, row in values.items():
            if bucket not in known:
                for key, n in row.items():
                    own[key] = own.get(key, 0) + n
    if own_now or own_before:
        rows.append(Row(unit=unit, own=True, values=own_now, previous=own_before))
    return Summary(
        unit=unit,
        start=start,
        end=end,
        former_structure=grouping.former_structure,
        rows=rows,
        current=current,
        previous=previous,
        forms=forms,
    )
