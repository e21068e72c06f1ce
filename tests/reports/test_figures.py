"""Live figures (reports.figures) on the fixed cast, with records placed on every kind of unit:
today's communes, a branch's group, the former commune merged into commune A, the former
district merged into the province, the province itself, and a commune of another province.

The period is the first half of 2026; the same half of 2025 is the year before. Every figure
below is counted by hand from ``records``."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guongsang.core import bulk, dates
from guongsang.exemplars import queries as exemplar_queries
from guongsang.exemplars.models import (
    Category,
    CriteriaSet,
    Exemplar,
    Movement,
    Nomination,
    NominationState,
    Replication,
    ReviewRound,
    Subject,
    SubjectKind,
)
from guongsang.outreach import queries as outreach_queries
from guongsang.outreach import rollup
from guongsang.outreach.models import Activity, ActivityForm, Story, StoryState
from guongsang.plans.models import Assignment, Document, Recipient, Task
from guongsang.reports import figures
from guongsang.units.models import UnitKind

from ..explain import sql_plan
from ..factories import make_unit

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
TODAY = dt.date(2026, 7, 15)
HOI_NGHI = "Hội nghị"
SINH_HOAT = "Sinh hoạt chi hội"
HN, SH = "hoi-nghi", "sinh-hoat-chi-hoi"


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


@dataclass
class Records:
    movement: Movement
    forms: dict


def add_activity(unit, day, form, participants, members, by):
    return Activity.objects.create(
        unit=unit,
        date=day,
        form=form,
        title="Tuyên truyền",
        participants=participants,
        members=members,
        created_by=by,
    )


@pytest.fixture
def records(cast) -> Records:
    c = cast
    by = c.province_admin
    hn = ActivityForm.objects.get(name=HOI_NGHI)
    sh = ActivityForm.objects.get(name=SINH_HOAT)
    # Activities, this period
    add_activity(c.commune_a, dt.date(2026, 1, 10), hn, 40, 30, by)
    add_activity(c.group_a, dt.date(2026, 6, 30), sh, 15, 15, by)  # last day, two levels down
    add_activity(c.former_commune, dt.date(2026, 2, 1), hn, 20, 10, by)
    add_activity(c.former_district, dt.date(2026, 3, 1), hn, 50, 40, by)
    add_activity(c.branch_b, dt.date(2026, 4, 1), sh, 12, 12, by)
    add_activity(c.province, dt.date(2026, 5, 1), hn, 100, 80, by)
    add_activity(c.other_commune, dt.date(2026, 5, 1), hn, 999, 9, by)  # another province
    add_activity(c.commune_a, dt.date(2026, 7, 1), hn, 77, 7, by)  # after the period
    # ... and a year earlier
    add_activity(c.former_commune, dt.date(2025, 3, 1), sh, 30, 25, by)
    add_activity(c.commune_b, dt.date(2025, 6, 30), hn, 8, 8, by)

    movement = Movement.objects.create(
        kind="movement", name="Phụ nữ tích cực học tập", issuing_unit=c.central, start_year=2022
    )
    criteria = CriteriaSet.objects.create(issuing_unit=c.province, year=2026, name="Tiêu chí")
    round_ = ReviewRound.objects.create(
        unit=c.province, name="Đợt xét 2026", year=2026, deadline=dt.date(2026, 9, 1)
    )

    def subject(unit, kind, name):
        return Subject.objects.create(unit=unit, kind=kind, name=name)

    s1 = subject(c.commune_a, SubjectKind.INDIVIDUAL, "Hoàng Thị Lan")
    s2 = subject(c.former_commune, SubjectKind.HOUSEHOLD, "Hộ bà Nông Thị Mai")
    s3 = subject(c.branch_b, SubjectKind.COLLECTIVE, "Chi hội Tổ dân phố 1")
    s4 = subject(c.other_commune, SubjectKind.INDIVIDUAL, "Vi Thị Mơ")

    def exemplar(s, category, at):
        return Exemplar.objects.create(
            subject=s,
            category=category,
            movement=movement,
            year=at.year,
            recognising_unit=c.province,
            recognised_at=at,
        )

    e1 = exemplar(s1, Category.ADVANCED_EXEMPLAR, local(2026, 3, 5, 10))
    e2 = exemplar(s2, Category.NEW_MODEL, local(2026, 6, 30, 23, 30))  # last evening, local
    exemplar(s3, Category.NEW_FACTOR, local(2026, 7, 1, 0, 10))  # just after
    exemplar(s4, Category.ADVANCED_EXEMPLAR, local(2026, 3, 5))  # another province
    exemplar(s1, Category.ADVANCED_EXEMPLAR, local(2025, 4, 1))  # a year earlier

    def nomination(s, unit, state, created):
        n = Nomination.objects.create(
            subject=s,
            category=Category.ADVANCED_EXEMPLAR,
            movement=movement,
            criteria_set=criteria,
            review_round=round_,
            year=created.year,
            proposing_unit=unit,
            proposed_by=by,
            current_unit=unit,
            state=state,
        )
        Nomination.objects.filter(pk=n.pk).update(created_at=created)

    nomination(s1, c.commune_a, NominationState.RECOGNISED, local(2026, 1, 15))
    nomination(s2, c.former_commune, NominationState.DRAFT, local(2025, 5, 1))
    nomination(s3, c.branch_b, NominationState.DRAFT, local(2026, 4, 1))
    nomination(s1, c.commune_a, NominationState.RETURNED, local(2026, 5, 1))
    nomination(s4, c.other_commune, NominationState.SUBMITTED, local(2026, 5, 1))

    for unit, day in (
        (c.branch_b, dt.date(2026, 5, 5)),
        (c.former_district, dt.date(2026, 2, 2)),
        (c.commune_a, dt.date(2025, 2, 2)),
    ):
        Replication.objects.create(exemplar=e1, adopting_unit=unit, date=day, by=by)

    for i, (e, state, at) in enumerate(
        [
            (e1, StoryState.PUBLISHED, local(2026, 4, 4)),
            (e1, StoryState.UNPUBLISHED, local(2026, 1, 20)),  # published in the period
            (e2, StoryState.PUBLISHED, local(2026, 8, 1)),
            (e2, StoryState.DRAFT, None),
        ]
    ):
        Story.objects.create(
            exemplar=e, title=f"Bài {i}", slug=f"bai-{i}", body="<p>x</p>", state=state,
            published_at=at, created_by=by,
        )  # fmt: skip

    doc = Document.objects.create(
        unit=c.province, organ="BTV", doc_type="KH", status="issued", place="Cao Bằng",
        abstract="Kế hoạch", number=1, year=2026, symbol="01/KH-BTV",
        issued_on=dt.date(2026, 1, 5),
    )  # fmt: skip
    t1 = Task.objects.create(document=doc, kind="report", title="Báo cáo quý I",
                             deadline=dt.date(2026, 3, 31))  # fmt: skip
    t2 = Task.objects.create(document=doc, kind="report", title="Báo cáo 6 tháng",
                             deadline=dt.date(2026, 6, 15))  # fmt: skip
    t3 = Task.objects.create(document=doc, kind="report", title="Báo cáo quý III",
                             deadline=dt.date(2026, 8, 1))  # fmt: skip
    ra = Recipient.objects.create(document=doc, unit=c.commune_a)
    rb = Recipient.objects.create(document=doc, unit=c.commune_b)
    Assignment.objects.create(task=t1, recipient=ra, done_at=local(2026, 3, 31, 23))  # on time
    Assignment.objects.create(task=t1, recipient=rb, done_at=local(2026, 4, 1, 0, 30))  # late
    Assignment.objects.create(task=t2, recipient=ra)  # overdue
    Assignment.objects.create(task=t2, recipient=rb, done_at=local(2026, 6, 1))  # on time
    Assignment.objects.create(task=t3, recipient=ra)  # deadline after the period
    return Records(movement=movement, forms={"hn": hn, "sh": sh})


def by_name(summary) -> dict:
    return {("*" if r.own else "") + r.unit.name: r for r in summary.rows}


MAIN = [
    "activities",
    "participants",
    "members",
    "exemplars.recognised",
    "nominations.discovered",
    "replications",
    "stories.published",
    "tasks.on_time",
    "tasks.late",
    "tasks.overdue",
]


def main(values: dict) -> list[int]:
    return [values.get(k, 0) for k in MAIN]


def test_province_today_structure(cast, records):
    s = figures.summary(cast.province, START, END, today=TODAY)
    rows = by_name(s)
    assert list(rows) == ["Phường Tân Giang", "Xã Đông Khê", "*Tỉnh Cao Bằng"]
    # Commune A holds its own records, its group's, and those of the former commune merged in.
    assert main(rows["Xã Đông Khê"].values) == [3, 75, 55, 2, 2, 0, 2, 1, 0, 1]
    assert main(rows["Phường Tân Giang"].values) == [1, 12, 12, 0, 1, 1, 0, 1, 1, 0]
    # The former district was merged into the province: its records are the province's own.
    assert main(rows["*Tỉnh Cao Bằng"].values) == [2, 150, 120, 0, 0, 1, 0, 0, 0, 0]
    assert main(s.total) == [6, 237, 187, 2, 3, 2, 2, 2, 1, 1]
    for key in MAIN:
        assert sum(r.get(key) for r in s.rows) == s.total.get(key, 0)
    assert s.total[f"activities@{HN}"] == 4 and s.total[f"participants@{HN}"] == 210
    assert s.total[f"activities@{SH}"] == 2 and s.total[f"members@{SH}"] == 27
    assert s.total["exemplars.recognised@advanced_exemplar"] == 1
    assert s.total["exemplars.recognised@advanced_exemplar.individual"] == 1
    assert s.total["exemplars.recognised@new_model.household"] == 1
    assert "exemplars.recognised@new_factor" not in s.total
    assert s.total["nominations.recognised"] == 1
    assert s.total["nominations.returned"] == 1
    assert s.total["nominations.draft"] == 1
    assert s.current.movements == {
        (records.movement.pk, "advanced_exemplar", "individual"): 1,
        (records.movement.pk, "new_model", "household"): 1,
    }
    # The same half of 2025.
    assert (s.previous.start, s.previous.end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert main(s.previous_total) == [2, 38, 33, 1, 1, 1, 0, 0, 0, 0]
    assert rows["Xã Đông Khê"].previous == {
        "activities": 1,
        f"activities@{SH}": 1,
        "participants": 30,
        f"participants@{SH}": 30,
        "members": 25,
        f"members@{SH}": 25,
        "exemplars.recognised": 1,
        "exemplars.recognised@advanced_exemplar": 1,
        "exemplars.recognised@advanced_exemplar.individual": 1,
        "nominations.discovered": 1,
        "nominations.draft": 1,
        "replications": 1,
    }
    assert s.change("activities") == 4


def test_province_former_structure(cast, records):
    s = figures.summary(cast.province, START, END, former_structure=True, today=TODAY)
    rows = by_name(s)
    assert list(rows) == ["Phường Tân Giang", "Xã Đông Khê", "Huyện Thạch An", "*Tỉnh Cao Bằng"]
    assert rows["Huyện Thạch An"].closed
    # The former district row holds itself and the former commune below it.
    assert main(rows["Huyện Thạch An"].values) == [2, 70, 50, 1, 0, 1, 0, 0, 0, 0]
    assert main(rows["Xã Đông Khê"].values) == [2, 55, 45, 1, 2, 0, 2, 1, 0, 1]
    assert main(rows["*Tỉnh Cao Bằng"].values) == [1, 100, 80, 0, 0, 0, 0, 0, 0, 0]
    # Same scope, same total: only the rows change.
    assert s.total == figures.summary(cast.province, START, END, today=TODAY).total
    assert main(rows["Huyện Thạch An"].previous) == [1, 30, 25, 0, 1, 0, 0, 0, 0, 0]


def test_commune_counts_the_former_commune_merged_into_it(cast, records):
    s = figures.summary(cast.commune_a, START, END, today=TODAY)
    rows = by_name(s)
    assert list(rows) == ["Chi hội Nà Pàn", "*Xã Đông Khê"]
    assert main(rows["Chi hội Nà Pàn"].values) == [1, 15, 15, 0, 0, 0, 0, 0, 0, 0]
    assert main(rows["*Xã Đông Khê"].values) == [2, 60, 40, 2, 2, 0, 2, 1, 0, 1]
    assert main(s.total) == main(by_name(figures.summary(cast.province, START, END, today=TODAY))[
        "Xã Đông Khê"].values)  # fmt: skip
    # As it was: commune A alone, the former commune is not below it.
    old = figures.summary(cast.commune_a, START, END, former_structure=True, today=TODAY)
    assert main(old.total) == [2, 55, 45, 1, 2, 0, 2, 1, 0, 1]


def test_closed_unit_is_summarised_as_it_was(cast, records):
    s = figures.summary(cast.former_district, START, END, today=TODAY)
    assert s.former_structure
    rows = by_name(s)
    assert main(rows["Thị trấn Đông Khê"].values)[:3] == [1, 20, 10]
    assert main(rows["*Huyện Thạch An"].values)[:3] == [1, 50, 40]


def test_central_sees_each_province(cast, records):
    s = figures.summary(cast.central, START, END, today=TODAY)
    rows = by_name(s)
    assert main(rows["Tỉnh Cao Bằng"].values) == [6, 237, 187, 2, 3, 2, 2, 2, 1, 1]
    assert main(rows["Tỉnh Lạng Sơn"].values)[:5] == [1, 999, 9, 1, 1]


def test_branch_below_a_merged_commune_follows_it(cast, records):
    """A branch of the former commune (left open, or merged into a branch of the new commune)
    counts under the successor commune, or under the successor branch."""
    from guongsang.units.services import unit_close

    old_branch = make_unit("Chi hội Bản Cũ", UnitKind.BRANCH, cast.former_commune)
    merged_branch = make_unit("Chi hội Nà Đoỏng", UnitKind.BRANCH, cast.former_commune)
    unit_close(unit=merged_branch, on=dt.date(2025, 7, 1), successor=cast.branch_a)
    hn = records.forms["hn"]
    add_activity(old_branch, dt.date(2026, 2, 2), hn, 3, 3, cast.province_admin)
    add_activity(merged_branch, dt.date(2026, 2, 3), hn, 4, 4, cast.province_admin)
    rows = by_name(figures.summary(cast.commune_a, START, END, today=TODAY))
    assert rows["Chi hội Nà Pàn"].get("participants") == 15 + 4
    assert rows["*Xã Đông Khê"].get("participants") == 60 + 3
    province = by_name(figures.summary(cast.province, START, END, today=TODAY))
    assert province["Xã Đông Khê"].get("participants") == 75 + 7


def test_merged_out_of_the_subtree_counts_elsewhere(cast, records):
    """A former commune of Cao Bằng merged into a commune of another province counts there,
    not in Cao Bằng (today's structure); as it was, it stays in Cao Bằng."""
    from guongsang.units.services import unit_close

    moved = make_unit("Xã Biên Giới", UnitKind.COMMUNE, cast.province)
    add_activity(moved, dt.date(2026, 2, 2), records.forms["hn"], 5, 5, cast.province_admin)
    unit_close(unit=moved, on=dt.date(2025, 7, 1), successor=cast.other_commune)
    assert figures.summary(cast.province, START, END).total["participants"] == 237
    assert figures.summary(cast.province, START, END, former_structure=True).total[
        "participants"] == 242  # fmt: skip
    other = figures.summary(cast.other_province, START, END)
    assert other.total["participants"] == 999 + 5
    assert figures.summary(cast.province, START, END).total
    for s in (
        figures.summary(cast.province, START, END),
        figures.summary(cast.province, START, END, former_structure=True),
        figures.summary(cast.commune_a, START, END),
        other,
    ):
        assert_totals_are_the_rows_sums(s)


def assert_totals_are_the_rows_sums(s: figures.Summary) -> None:
    """The totals (kept while the rows are read) are the sums of the rows, for every key of
    both periods: records merged out of the subtree count in neither."""
    for total, values in ((s.total, "values"), (s.previous_total, "previous")):
        keys = set(total) | {k for r in s.rows for k in getattr(r, values)}
        for key in keys:
            assert total.get(key, 0) == sum(getattr(r, values).get(key, 0) for r in s.rows), key


SPANS = {
    "half-year": (START, END),
    "partial-both-ends": (dt.date(2026, 1, 10), dt.date(2026, 6, 29)),
    "inside-one-month": (dt.date(2026, 1, 5), dt.date(2026, 1, 25)),
    "across-years": (dt.date(2025, 12, 31), dt.date(2026, 3, 1)),
}


@pytest.mark.parametrize("former", [False, True], ids=["today", "former"])
@pytest.mark.parametrize("span", list(SPANS.values()), ids=list(SPANS))
@pytest.mark.parametrize("unit", ["central", "province", "former_district"])
def test_the_monthly_rollup_gives_the_activities_own_figures(cast, records, unit, span, former):
    """Above the communes, whole months come from the rollup and partial months from the
    activities: the rows equal those read from every activity, mergers included."""
    grouping = figures.Grouping(getattr(cast, unit), former_structure=former)
    assert grouping.monthly
    periods = figures.Periods([span, (figures.year_before(span[0]), figures.year_before(span[1]))])
    via_months = sorted(outreach_queries.activity_sums(grouping=grouping, periods=periods))
    summed = figures.compute(grouping, periods.spans, families=("activities",))
    grouping.monthly = False
    live = sorted(outreach_queries.activity_sums(grouping=grouping, periods=periods))
    assert via_months == live
    assert live or unit == "former_district"
    # As the summary adds them up: below the central union with nothing merged to map (the
    # former structure here), the months come by rollup path, each cut to its row's bucket.
    summed_live = figures.compute(grouping, periods.spans, families=("activities",))
    assert [(p.values, p.total) for p in summed] == [(p.values, p.total) for p in summed_live]


@pytest.mark.parametrize("former", [False, True], ids=["today", "former"])
@pytest.mark.parametrize("span", list(SPANS.values()), ids=list(SPANS))
@pytest.mark.parametrize("unit", ["central", "province", "former_district", "commune_a"])
def test_the_summary_without_the_rows_by_form_has_the_same_figures(
    cast, records, unit, span, former
):
    """``unit_forms=False`` (the page, the dashboard, the Word draft) leaves out only the rows'
    activity figures by form: every other figure of every row, and every total (by form
    included), equal the full summary's."""
    full = figures.summary(getattr(cast, unit), *span, former_structure=former, today=TODAY)
    lean = figures.summary(
        getattr(cast, unit), *span, former_structure=former, today=TODAY, unit_forms=False
    )
    assert lean.total == full.total and lean.previous_total == full.previous_total
    assert any("@" in k and k.startswith("activities") for k in full.total) or not full.total
    assert [r.unit.pk for r in lean.rows] == [r.unit.pk for r in full.rows]
    by_form = ("activities@", "participants@", "members@")
    for a, b in zip(lean.rows, full.rows, strict=True):
        for mine, theirs in ((a.values, b.values), (a.previous, b.previous)):
            assert not any(k.startswith(by_form) for k in mine)
            assert mine == {k: v for k, v in theirs.items() if not k.startswith(by_form)}
    for key in (k for k in lean.total if not k.startswith(by_form)):
        assert lean.total[key] == sum(r.get(key) for r in lean.rows), key


@pytest.mark.parametrize("unit", ["central", "province", "commune_a"])
def test_the_page_reads_each_rows_activities_in_total_on_postgresql(cast, records, unit):
    """Without the rows by form, PostgreSQL gives each row's total and each form's total from
    one reading (``GROUPING SETS``) when no merger maps records elsewhere (the former
    structure here); with mergers to map, and on SQLite, the rows by form are read and added
    up. The figures are the same either way (the test above)."""

    def activity_sql(former: bool) -> str:
        with CaptureQueriesContext(connection) as ctx:
            figures.summary(
                getattr(cast, unit), START, END, former_structure=former, today=TODAY,
                unit_forms=False,
            )  # fmt: skip
        return next(q["sql"] for q in ctx.captured_queries if "form_id" in q["sql"])

    postgres = connection.vendor == "postgresql"
    assert ("GROUPING SETS" in activity_sql(True)) == postgres
    # Today's structure: the province and the commune have a merged unit to map; the
    # country's rows (provinces) have none, the mergers being inside a province.
    mapped = bool(figures.Grouping(getattr(cast, unit), former_structure=False).entries)
    assert mapped == (unit != "central")
    assert ("GROUPING SETS" in activity_sql(False)) == (postgres and not mapped)


def test_the_rollup_is_not_read_where_it_cannot_be_exact(cast, records):
    from guongsang.units.services import unit_close

    # A commune's rows are its branches, which the rollup holds under it.
    assert not figures.Grouping(cast.commune_a, former_structure=False).monthly
    assert figures.Grouping(cast.province, former_structure=False).monthly
    # A branch merged into another commune's branch moves rows the rollup cannot split.
    branch = make_unit("Chi hội Bản Giáp", UnitKind.BRANCH, cast.commune_b)
    add_activity(branch, dt.date(2026, 2, 2), records.forms["hn"], 7, 7, cast.province_admin)
    unit_close(unit=branch, on=dt.date(2026, 3, 1), successor=cast.branch_a)
    assert not figures.Grouping(cast.province, former_structure=False).monthly
    assert figures.Grouping(cast.province, former_structure=True).monthly
    rows = by_name(figures.summary(cast.province, START, END, today=TODAY))
    assert rows["Xã Đông Khê"].get("participants") == 75 + 7


def test_the_country_reads_the_province_table_unless_a_merger_splits_a_province(cast, records):
    """The central union's rows are provinces: its months come from the province table, the
    same figures as from every activity; not when a commune moved to another province (the
    province's months hold it), nor for a summary whose rows are not provinces."""
    from guongsang.units.services import unit_close

    def reads_province_table(unit, former=False) -> bool:
        grouping = figures.Grouping(unit, former_structure=former)
        periods = figures.Periods([(START, END)])
        sql, _params = outreach_queries.activity_sum_parts_sql(grouping=grouping, periods=periods)
        # The nominations' table by province is read on the same condition.
        nominations, _params = exemplar_queries.nominations_created_sql(
            grouping=grouping, periods=periods
        )
        by_province = "exemplars_nominationprovincemonth" in nominations
        assert by_province == grouping.province_rows == grouping.by_province
        return grouping.by_province and "outreach_activityprovincemonth" in sql

    def live(unit, former=False):
        grouping = figures.Grouping(unit, former_structure=former)
        grouping.monthly = grouping.by_province = grouping.province_rows = False
        spans = [(START, END), (figures.year_before(START), figures.year_before(END))]
        return [(p.values, p.total) for p in figures.compute(grouping, spans, today=TODAY)]

    def read(unit, former=False):
        grouping = figures.Grouping(unit, former_structure=former)
        spans = [(START, END), (figures.year_before(START), figures.year_before(END))]
        return [(p.values, p.total) for p in figures.compute(grouping, spans, today=TODAY)]

    assert reads_province_table(cast.central) and reads_province_table(cast.central, True)
    assert read(cast.central) == live(cast.central)
    assert read(cast.central, True) == live(cast.central, True)
    for unit in (cast.province, cast.former_district, cast.other_province):
        assert figures.Grouping(unit, former_structure=False).monthly
        assert not reads_province_table(unit)
    # A commune of Cao Bằng merged into a commune of Lạng Sơn: its activities count there.
    moved = make_unit("Xã Biên Giới", UnitKind.COMMUNE, cast.province, code="01999")
    add_activity(moved, dt.date(2026, 3, 3), records.forms["hn"], 10, 5, cast.province_admin)
    nomination = Nomination.objects.filter(proposing_unit=cast.commune_a).first()
    nomination.pk, nomination.proposing_unit = None, moved
    nomination.proposing_path = ""
    nomination.save()
    Nomination.objects.filter(pk=nomination.pk).update(created_at=local(2026, 3, 3))
    unit_close(unit=moved, on=dt.date(2026, 4, 1), successor=cast.other_commune)
    assert figures.Grouping(cast.central, former_structure=False).monthly
    assert not reads_province_table(cast.central)
    assert read(cast.central) == live(cast.central)
    rows = by_name(figures.summary(cast.central, START, END, today=TODAY))
    assert rows["Tỉnh Lạng Sơn"].get("participants") >= 10
    assert rows["Tỉnh Lạng Sơn"].get("nominations.discovered") == 2
    # The former structure moves nothing: the province table again.
    assert reads_province_table(cast.central, True)
    assert read(cast.central, True) == live(cast.central, True)


@pytest.mark.parametrize("former", [False, True], ids=["today", "former"])
@pytest.mark.parametrize("span", list(SPANS.values()), ids=list(SPANS))
def test_the_country_nominations_from_the_province_table_equal_every_nomination(
    cast, records, span, former
):
    """The country's nominations: whole months from the table by province (kept by triggers),
    the partial months' days from the nominations; the same figures as from every nomination,
    at the local edges of a month too."""
    movement = records.movement
    first = Nomination.objects.filter(proposing_unit=cast.commune_a).first()
    for at, state in (
        (local(2026, 1, 31, 23, 30), NominationState.SUBMITTED),  # 16:30 UTC: January
        (local(2026, 2, 1, 0, 30), NominationState.DRAFT),  # 31 January in UTC: February
        (local(2026, 3, 1, 0, 0), NominationState.RECOGNISED),
        (local(2025, 12, 31, 23, 59), NominationState.REJECTED),
    ):
        n = Nomination.objects.get(pk=first.pk)
        n.pk, n.state, n.movement = None, state, movement
        n.save()
        Nomination.objects.filter(pk=n.pk).update(created_at=at)
    spans = [span, (figures.year_before(span[0]), figures.year_before(span[1]))]
    grouping = figures.Grouping(cast.central, former_structure=former)
    assert grouping.province_rows
    via_months = figures.compute(grouping, spans, families=("nominations",), today=TODAY)
    grouping.province_rows = False
    live = figures.compute(grouping, spans, families=("nominations",), today=TODAY)
    assert [(p.values, p.total) for p in via_months] == [(p.values, p.total) for p in live]
    assert live[0].total or span == SPANS["inside-one-month"]


def test_figure_values_registry_and_grammar(cast, records):
    keys = [
        "activities",
        f"participants@{HN}",
        "exemplars.recognised@new_model.household",
        "nominations.returned",
        "nominations.discovered",
        "replications",
        "stories.published",
        "tasks.overdue",
    ]
    got = figures.figure_values(keys, cast.commune_a, START, END, today=TODAY)
    assert got == {
        "activities": 3,
        f"participants@{HN}": 60,
        "exemplars.recognised@new_model.household": 1,
        "nominations.returned": 1,
        "nominations.discovered": 2,
        "replications": 0,
        "stories.published": 2,
        "tasks.overdue": 1,
    }
    assert figures.figure_value("members", cast.province, START, END) == 187
    registry = figures.figure_registry()
    assert registry[f"activities@{HN}"].label.endswith("Hội nghị")
    assert str(registry["tasks.late"].label) == "Nhiệm vụ hoàn thành muộn"
    assert set(figures.FIGURES) <= set(registry)
    with pytest.raises(ValueError):
        figures.family_of("exemplars.recognised@khong-co")
    with pytest.raises(ValueError):
        figures.figure_values(["activity"], cast.province, START, END)
    # One query per family named, not per key (tasks, activities, their forms, ...).
    with CaptureQueriesContext(connection) as ctx:
        figures.figure_values(["activities", "participants", "members"], cast.province, START, END)
    assert len(ctx.captured_queries) <= 4


def test_query_count_does_not_grow_with_units(cast, records):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            figures.summary(cast.province, START, END, today=TODAY)
        return len(ctx.captured_queries)

    before = count()
    hn = records.forms["hn"]
    for i in range(12):
        commune = make_unit(f"Xã Mới {i}", UnitKind.COMMUNE, cast.province)
        branch = make_unit(f"Chi hội {i}", UnitKind.BRANCH, commune)
        add_activity(branch, dt.date(2026, 3, 3), hn, 10, 5, cast.province_admin)
    after = count()
    assert after == before
    assert before <= 10  # children, mergers, forms, six families
    s = figures.summary(cast.province, START, END, today=TODAY)
    assert len(s.rows) == 15 and s.total["activities"] == 6 + 12


def test_activity_sums_read_one_range_of_the_path_index(cast, records):
    """A subtree's activities in both periods come from the copied ``unit_path``: one range of
    ``activity_path_report_idx`` (unit_path, date, form, ...), without a join to the units.
    (The plan on national data is measured in ``benchmarks/reports.py``.)"""
    # Activities of another province in the same period, as on real data: the period alone
    # (``activity_date_idx``) is then the worse way in, whatever the tests before this one
    # left in the table's statistics.
    form = ActivityForm.objects.get(name=HOI_NGHI)
    created = bulk.bulk_create(
        Activity,
        [
            Activity(
                unit=cast.other_commune,
                date=START + dt.timedelta(days=i % 150),
                form=form,
                title=f"Hoạt động {i}",
                created_by=cast.outsider,
            )
            for i in range(3000)
        ],
    )
    rollup.add_activities(created, {cast.other_commune.pk: cast.other_commune.kind})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE outreach_activity")
    grouping = figures.Grouping(cast.province, former_structure=False)
    periods = figures.Periods(
        [(START, END), (figures.year_before(START), figures.year_before(END))]
    )
    sql, params = outreach_queries.activity_sums_sql(grouping=grouping, periods=periods)
    plan = sql_plan(sql, params)
    assert "activity_path_report_idx" in plan, plan
    assert "units_unit" not in plan, plan


def test_merged_units_are_read_from_their_partial_index(cast, records):
    """Each step of ``merged_around`` finds the closed units by the partial index on
    ``successor_path`` (only merged units), on both databases, never by reading every unit:
    spelled ``<> ''``, SQLite scanned the whole table on every summary."""
    from guongsang.units.queries import merged_around_sql

    for ranges in ([cast.province.path], [cast.commune_a.path, cast.other_province.path]):
        plan = sql_plan(*merged_around_sql(ranges))
        assert "unit_successor_path_idx" in plan, plan


def test_a_period_longer_than_a_year_overlaps_the_year_before(cast, records):
    """18 months against the 18 months a year earlier: the first half of 2025 is in both."""
    s = figures.summary(cast.province, dt.date(2025, 1, 1), END, today=TODAY)
    assert (s.previous.start, s.previous.end) == (dt.date(2024, 1, 1), dt.date(2025, 6, 30))
    assert s.total["activities"] == 6 + 2
    assert s.previous_total["activities"] == 2
    assert s.previous_total["exemplars.recognised"] == 1


def test_year_before_and_day_bounds():
    assert figures.year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    assert figures.year_before(dt.date(2026, 6, 30)) == dt.date(2025, 6, 30)
    since, until = dates.day_bounds(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert since == local(2026, 1, 1) and until == local(2026, 7, 1)
