"""The figures shown beside the points table's criteria (emulation.figures): what the system
holds for a unit's subtree over a calendar year, counted by hand from the records below, in a
bounded number of queries whatever the number of keys."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guongsang.emulation import figures
from guongsang.exemplars.models import (
    Category,
    CriteriaSet,
    Exemplar,
    Movement,
    Nomination,
    NominationState,
    ReviewRound,
    Subject,
    SubjectKind,
)
from guongsang.outreach.models import Activity, ActivityForm, Story, StoryState
from guongsang.plans.models import Assignment, Document, Recipient, Task
from guongsang.units.models import UnitKind

from ..factories import make_unit

pytestmark = pytest.mark.django_db

YEAR = 2026


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def records(cast):
    c = cast
    by = c.province_admin
    make_unit("Chi hội Bản Giốc", UnitKind.BRANCH, c.commune_a)
    form = ActivityForm.objects.get(name="Hội nghị")
    for unit, day, people in (
        (c.commune_a, dt.date(2026, 1, 10), 40),
        (c.group_a, dt.date(2026, 6, 30), 15),  # two levels down
        (c.former_commune, dt.date(2026, 2, 1), 20),  # merged into commune A
        (c.branch_b, dt.date(2026, 4, 1), 12),  # commune B
        (c.commune_a, dt.date(2025, 12, 31), 8),  # the year before
        (c.other_commune, dt.date(2026, 5, 1), 999),  # another province
    ):
        Activity.objects.create(
            unit=unit, date=day, form=form, title="Tuyên truyền", participants=people,
            created_by=by,
        )  # fmt: skip
    movement = Movement.objects.create(
        kind="movement", name="Phụ nữ tích cực học tập", issuing_unit=c.central, start_year=2022
    )
    s1 = Subject.objects.create(unit=c.commune_a, kind=SubjectKind.INDIVIDUAL, name="Hoàng Lan")
    s2 = Subject.objects.create(unit=c.former_commune, kind=SubjectKind.HOUSEHOLD, name="Hộ Mai")
    s3 = Subject.objects.create(unit=c.branch_b, kind=SubjectKind.COLLECTIVE, name="Chi hội 1")

    def exemplar(s, at):
        return Exemplar.objects.create(
            subject=s, category=Category.ADVANCED_EXEMPLAR, movement=movement, year=at.year,
            recognising_unit=c.province, recognised_at=at,
        )  # fmt: skip

    e1 = exemplar(s1, local(2026, 3, 5, 10))
    exemplar(s2, local(2026, 12, 31, 23, 30))  # the last evening, local time
    exemplar(s1, local(2025, 4, 1))  # the year before
    exemplar(s3, local(2026, 4, 1))  # commune B
    criteria = CriteriaSet.objects.create(issuing_unit=c.province, year=2026, name="Tiêu chí")
    round_ = ReviewRound.objects.create(
        unit=c.province, name="Đợt xét 2026", year=2026, deadline=dt.date(2026, 9, 1)
    )
    for s, unit, state, created in (
        (s1, c.commune_a, NominationState.RECOGNISED, local(2026, 1, 15)),
        (s1, c.commune_a, NominationState.RETURNED, local(2026, 5, 1)),
        (s1, c.commune_a, NominationState.DRAFT, local(2026, 4, 1)),  # not submitted
        (s3, c.branch_b, NominationState.SUBMITTED, local(2026, 4, 1)),  # commune B
    ):
        n = Nomination.objects.create(
            subject=s, category=Category.ADVANCED_EXEMPLAR, movement=movement,
            criteria_set=criteria, review_round=round_, year=2026, proposing_unit=unit,
            proposed_by=by, current_unit=unit, state=state,
        )  # fmt: skip
        Nomination.objects.filter(pk=n.pk).update(created_at=created)
    for i, (state, at) in enumerate(
        [
            (StoryState.PUBLISHED, local(2026, 4, 4)),
            (StoryState.UNPUBLISHED, local(2026, 1, 20)),  # published in the year
            (StoryState.DRAFT, None),
        ]
    ):
        Story.objects.create(
            exemplar=e1, title=f"Bài {i}", slug=f"bai-{i}", body="<p>x</p>", state=state,
            published_at=at, created_by=by,
        )  # fmt: skip
    doc = Document.objects.create(
        unit=c.province, organ="BTV", doc_type="KH", status="issued", place="Cao Bằng",
        abstract="Kế hoạch", number=1, year=2026, symbol="01/KH-BTV",
        issued_on=dt.date(2026, 1, 5),
    )  # fmt: skip
    ra = Recipient.objects.create(document=doc, unit=c.commune_a)
    rb = Recipient.objects.create(document=doc, unit=c.commune_b)

    def task(deadline, managed_by=""):
        return Task.objects.create(
            document=doc, kind="report", title="Nhiệm vụ", deadline=deadline,
            managed_by=managed_by,
        )  # fmt: skip

    t1, t2, t3 = task(dt.date(2026, 3, 31)), task(dt.date(2026, 6, 15)), task(dt.date(2026, 8, 1))
    Assignment.objects.create(task=t1, recipient=ra, done_at=local(2026, 3, 31, 23))  # on time
    Assignment.objects.create(task=t1, recipient=rb)  # commune B
    Assignment.objects.create(task=t2, recipient=ra)  # overdue
    Assignment.objects.create(task=t3, recipient=ra, done_at=local(2026, 8, 3))  # late
    # Two reporting rounds' tasks: one answered on time, one not answered.
    r1, r2 = task(dt.date(2026, 5, 1), "reports"), task(dt.date(2026, 9, 1), "reports")
    Assignment.objects.create(task=r1, recipient=ra, done_at=local(2026, 4, 30))
    Assignment.objects.create(task=r2, recipient=ra)
    Assignment.objects.create(task=r2, recipient=rb, done_at=local(2026, 9, 5))
    return c


EXPECTED_A = {
    "activities": 3,
    "participants": 75,
    "activities.per_branch": "1,5",  # 3 activities, 2 branches
    "exemplars.recognised": 2,
    "nominations.submitted": 2,
    "stories.published": 2,
    # t1 and r1 on time; t3 late; t2 and r2 unanswered past their deadline.
    "tasks.on_time": 2,
    "tasks.late": 1,
    "tasks.overdue": 2,
    "reports.on_time": "1/2",
}


def test_figures_of_a_commune_for_the_year_counted_by_hand(records):
    c = records
    assert figures.figures_for(c.commune_a, YEAR, list(EXPECTED_A)) == EXPECTED_A
    b = figures.figures_for(c.commune_b, YEAR, list(EXPECTED_A))
    assert b["activities"] == 1 and b["participants"] == 12
    assert b["activities.per_branch"] == "1,0"
    assert b["exemplars.recognised"] == 1 and b["nominations.submitted"] == 1
    assert b["reports.on_time"] == "0/1"  # answered after the deadline
    assert (b["tasks.on_time"], b["tasks.late"], b["tasks.overdue"]) == (0, 1, 1)


def test_the_year_before_and_a_unit_without_branches_or_reports(records):
    c = records
    before = figures.figures_for(c.commune_a, YEAR - 1, list(EXPECTED_A))
    assert before["activities"] == 1 and before["participants"] == 8
    assert before["exemplars.recognised"] == 1
    assert before["reports.on_time"] is None  # none asked: shown as "–"
    assert figures.display(before["reports.on_time"]) == "–"
    assert figures.figures_for(c.group_a, YEAR, ["activities.per_branch"]) == {
        "activities.per_branch": None
    }


def test_each_figure_function_reads_one_key(records):
    c = records
    for key, (label, read) in figures.FIGURES.items():
        assert str(label)
        assert read(c.commune_a, YEAR) == EXPECTED_A[key]


def test_unknown_keys_are_skipped_and_the_queries_are_bounded(records):
    c = records
    assert figures.figures_for(c.commune_a, YEAR, ["", "no.such", "activities"]) == {
        "activities": 3
    }
    assert figures.figures_for(c.commune_a, YEAR, []) == {}
    with CaptureQueriesContext(connection) as all_keys:
        figures.figures_for(c.commune_a, YEAR, list(EXPECTED_A))
    assert len(all_keys) <= 12
    with CaptureQueriesContext(connection) as one_key:
        figures.figures_for(c.commune_a, YEAR, ["reports.on_time"])
    assert len(one_key) == 1


def test_display():
    assert figures.display(1234) == "1.234"
    assert figures.display("1/2") == "1/2"
    assert figures.display(None) == "–"
