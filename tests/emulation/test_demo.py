"""The Cao Bằng emulation demo: the province's communes in four clusters with leaders and
deputies, a 100-point table for the communes (counted, not assumed), the members' pledges, the
year's schedule on an issued công văn and scores in every state; loading it again adds
nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from guongsang.emulation.demo import load_emulation_demo
from guongsang.emulation.models import (
    Block,
    BlockMember,
    CriterionKind,
    Pledge,
    PledgeTarget,
    PointsCriterion,
    PointsTable,
    Schedule,
    Score,
    ScoreLine,
    ScoreState,
    ScoreStep,
)
from guongsang.emulation.ranking import block_ranking
from guongsang.plans.models import Assignment
from guongsang.plans.services import late_recipients
from guongsang.units import demo as units_demo
from guongsang.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
TODAY = dt.date(YEAR, 11, 20)  # the demo's "today" in these tests


def _counts():
    return (
        Block.objects.count(),
        BlockMember.objects.count(),
        PointsTable.objects.count(),
        PointsCriterion.objects.count(),
        Pledge.objects.count(),
        PledgeTarget.objects.count(),
        Schedule.objects.count(),
        Score.objects.count(),
        ScoreLine.objects.count(),
        ScoreStep.objects.count(),
        Assignment.objects.filter(done_at__isnull=False).count(),
    )


def test_emulation_demo_on_the_units_demo(django_assert_max_num_queries):
    units_demo.load_demo()
    load_emulation_demo(TODAY)
    province = Unit.objects.get(code="04")
    blocks = list(Block.objects.filter(organiser=province, year=YEAR).order_by("name"))
    assert [b.name for b in blocks] == [f"Cụm thi đua số {n}" for n in (1, 2, 3, 4)]
    # Every current commune of the province in exactly one cluster, each with a leader and a
    # deputy among its members.
    communes = set(
        Unit.objects.subtree_of(province)
        .current()
        .filter(kind=UnitKind.COMMUNE)
        .values_list("pk", flat=True)
    )
    members = list(BlockMember.objects.filter(organiser=province, year=YEAR))
    assert sorted(m.unit_id for m in members) == sorted(communes)
    for block in blocks:
        ids = {m.unit_id for m in members if m.block_id == block.pk}
        assert block.leader_id in ids and block.deputy_id in ids and block.leader != block.deputy
    one = blocks[0]
    assert (one.leader.name, one.deputy.name) == ("Xã Đông Khê", "Phường Tân Giang")

    table = PointsTable.objects.get(issuing_unit=province, year=YEAR)
    assert table.level == UnitKind.COMMUNE
    assert table.frozen_at is not None  # the demo's scores use it

    def total(kind, **filters):
        return PointsCriterion.objects.filter(group__table=table, kind=kind, **filters).aggregate(
            s=Sum("max_points")
        )["s"]

    assert total(CriterionKind.SCORED) == Decimal(100)
    groups = {g.code: total(CriterionKind.SCORED, group=g) for g in table.groups.order_by("order")}
    assert groups == {
        "I": Decimal(20),
        "II": Decimal(30),
        "III": Decimal(25),
        "IV": Decimal(15),
        "V": Decimal(10),
        "VI": None,
    }
    assert total(CriterionKind.BONUS) == Decimal(5)
    assert total(CriterionKind.PENALTY) == Decimal(5)

    # Pledges: every member but the last three of cluster 4, free-text targets (no report forms
    # loaded).
    assert Pledge.objects.filter(block__in=blocks).count() == len(members) - 3
    assert Pledge.objects.get(block=one, unit=one.leader).targets.count() == 3

    # Again: nothing added, and cheaply.
    before = _counts()
    with django_assert_max_num_queries(16):
        load_emulation_demo(TODAY)
    assert _counts() == before


def test_demo_pages_for_the_demo_logins(db):
    """The full demo (as ``load_demo`` loads it): the pledges sign for the annual report form's
    indicators, and the demo logins see their clusters."""
    call_command("load_demo", stdout=io.StringIO())
    target = PledgeTarget.objects.filter(indicator__form__code="KH53-NAM").first()
    assert target is not None and target.target is not None
    from django.test import Client

    client = Client()
    assert client.login(username="tinh.thuongtruc", password=units_demo.DEMO_PASSWORD)
    text = client.get(reverse("emulation:home")).content.decode()
    assert "Cụm thi đua số 4" in text
    table = PointsTable.objects.get(issuing_unit__code="04", year=YEAR)
    text = client.get(reverse("emulation:table_detail", args=[table.pk])).content.decode()
    assert "Công tác tuyên truyền, giáo dục" in text and ">100<" in text
    two = Block.objects.get(organiser__code="04", year=YEAR, name="Cụm thi đua số 2")
    response = client.get(reverse("emulation:ranking_block", args=[two.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Xã Khánh Xuân" in text and "Xuất sắc" in text and "Khá" in text
    assert text.index("Xã Huy Giáp") < text.index("Xã Ca Thành")
    response = client.get(reverse("emulation:schedules"))
    assert response.status_code == 200 and str(YEAR) in response.content.decode()
    client = Client()
    assert client.login(username="tangiang.canbo", password=units_demo.DEMO_PASSWORD)
    text = client.get(reverse("emulation:home")).content.decode()
    assert "Cụm thi đua số 1" in text and "Cụm thi đua số 2" not in text

    # The leader's officer: her cross-check queue lists the members' submitted scores (not
    # the returned one, nor her own, which the deputy checked).
    client = Client()
    assert client.login(username="dongkhe.canbo", password=units_demo.DEMO_PASSWORD)
    response = client.get(reverse("emulation:home"))
    assert response.status_code == 200 and "Cụm thi đua số 1" in response.content.decode()
    response = client.get(reverse("emulation:check_queue"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Phường Tân Giang" in text and "Phường Nùng Trí Cao" in text
    assert "Phường Thục Phán" not in text
    # Her own score, checked by the deputy, with its evidence from the outreach demo.
    own = Score.objects.get(block__name="Cụm thi đua số 1", unit__name="Xã Đông Khê")
    response = client.get(reverse("emulation:score", args=[own.pk]))
    assert response.status_code == 200
    line = own.lines.get(criterion__code="1.1")
    assert [e["kind"] for e in line.evidence] == ["activity", "activity"]
    # The ranking of cluster 1: nothing final yet, the members listed as pending.
    one = own.block
    response = client.get(reverse("emulation:ranking_block", args=[one.pk]))
    assert response.status_code == 200 and "Phường Tân Giang" in response.content.decode()
    # The returned unit finds its score back to correct, with its own notes and evidence.
    client = Client()
    assert client.login(username="thucphan.canbo", password=units_demo.DEMO_PASSWORD)
    returned = Score.objects.get(block=one, unit__name="Phường Thục Phán")
    response = client.get(reverse("emulation:score", args=[returned.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Trả lại đơn vị" in text and "chi hội tổ chức tuyên truyền hằng quý" in text
    assert "Biên bản sinh hoạt chi hội các quý" in text


def _states(block):
    return {s.unit.name: s.state for s in Score.objects.filter(block=block).select_related("unit")}


def test_demo_scoring_cycle(django_assert_max_num_queries):
    """The scores in every state, the ranked cluster, the schedule's task on the issued
    document with its late units, all against the given "today"."""
    units_demo.load_demo()
    load_emulation_demo(TODAY)
    province = Unit.objects.get(code="04")
    one, two, three, four = Block.objects.filter(organiser=province, year=YEAR).order_by("name")

    # Cluster 1: the leader's score checked by the deputy, Thục Phán returned with a reason,
    # most members submitted (the leader's cross-check queue), two drafts, two not started.
    states = _states(one)
    assert states["Xã Đông Khê"] == ScoreState.CHECKED
    assert states["Phường Thục Phán"] == ScoreState.RETURNED
    assert list(states.values()).count(ScoreState.SUBMITTED) == 8
    assert list(states.values()).count(ScoreState.DRAFT) == 2
    assert one.members.count() - len(states) == 2
    leader = Score.objects.get(block=one, unit=one.leader)
    check = leader.steps.get(action="check")
    assert check.by.username == "tangiang.canbo" and leader.check_total == leader.self_total
    returned = Score.objects.get(block=one, unit__name="Phường Thục Phán")
    step = returned.steps.get(action="return")
    assert step.by.username == "dongkhe.canbo" and "minh chứng" in step.note
    # Cluster 2 all final; 3 half way; 4 barely begun; every state somewhere.
    assert set(_states(two).values()) == {ScoreState.FINAL} and len(_states(two)) == 14
    assert set(_states(three).values()) == {
        ScoreState.CHECKED,
        ScoreState.SUBMITTED,
        ScoreState.DRAFT,
    }
    assert set(_states(four).values()) == {ScoreState.DRAFT} and len(_states(four)) == 3
    assert set(Score.objects.values_list("state", flat=True)) == set(ScoreState.values)

    # Realistic points, with notes and evidence where the criteria require it.
    submitted = Score.objects.exclude(state=ScoreState.DRAFT)
    assert all(Decimal(75) < s.self_total < Decimal(100) for s in submitted)
    for line in ScoreLine.objects.filter(
        score__in=submitted, criterion__evidence_required=True, self_points__gt=0
    ):
        assert line.evidence, line.criterion.code
    evidence = ScoreLine.objects.get(score=leader, criterion__code="1.1").evidence
    assert [e["kind"] for e in evidence] == ["link"]  # no outreach demo: a link
    assert evidence[0]["url"].startswith("https://")
    assert ScoreLine.objects.filter(criterion__kind=CriterionKind.BONUS, final_points__gt=0)
    assert ScoreLine.objects.filter(criterion__kind=CriterionKind.PENALTY, final_points__gt=0)

    # The ranked cluster: one xuất sắc, tốt, one khá; the tie at 90 broken by penalties (Huy
    # Giáp before Ca Thành, though the names would order them the other way).
    rows = block_ranking(two)
    got = [(r.rank, r.score.unit.name, r.score.final_total, r.band) for r in rows]
    assert got[0] == (1, "Xã Khánh Xuân", Decimal("97.00"), "excellent")
    assert got[-1] == (14, "Xã Cần Yên", Decimal("78.00"), "fair")
    assert [r[3] for r in got].count("good") == 12
    assert got[5:7] == [
        (6, "Xã Huy Giáp", Decimal("90.00"), "good"),
        (7, "Xã Ca Thành", Decimal("90.00"), "good"),
    ]
    assert (rows[5].penalty, rows[6].penalty) == (0, 1)
    assert [r.score.final_total for r in rows] == sorted(
        (r.score.final_total for r in rows), reverse=True
    )

    # The schedule: self-scoring due a week before "today", its task on the issued công văn;
    # the units that have not sent their score are late on the compliance board.
    schedule = Schedule.objects.get(organiser=province, year=YEAR)
    assert schedule.self_deadline == TODAY - dt.timedelta(days=7)
    assert schedule.self_deadline < TODAY <= schedule.check_deadline <= schedule.final_deadline
    document = schedule.task.document
    assert document.is_issued and document.issued_on <= schedule.self_deadline
    assignments = Assignment.objects.filter(task=schedule.task)
    communes = Unit.objects.subtree_of(province).current().filter(kind=UnitKind.COMMUNE)
    assert assignments.count() == communes.count()
    sent = Score.objects.exclude(state__in=[ScoreState.DRAFT, ScoreState.RETURNED])
    done = set(assignments.filter(done_at__isnull=False).values_list("recipient__unit", flat=True))
    assert done == set(sent.values_list("unit_id", flat=True))
    late = {r.unit.name for r in late_recipients(document, TODAY)}
    assert len(late) == communes.count() - sent.count()
    assert "Phường Thục Phán" in late and "Xã Đông Khê" not in late
    # Dated as the story goes: submitted before the deadline (a few late), checked after.
    for s in sent:
        assert s.submitted_at.date() <= TODAY
        if s.checked_at:
            assert s.submitted_at < s.checked_at
    assert sent.filter(submitted_at__date__gt=schedule.self_deadline).exists()
    assert sent.filter(submitted_at__date__lte=schedule.self_deadline).count() > 20

    # Again: nothing added.
    before = _counts()
    with django_assert_max_num_queries(16):
        load_emulation_demo(TODAY)
    assert _counts() == before
