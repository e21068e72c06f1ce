"""Emulation blocks and scoring (issue 13, first slice: the data and the rules, no pages yet):
blocks per year with rotating leadership, a points table frozen once used, the arithmetic of
scored, bonus and penalty criteria, the three steps with returns and stale pages refused,
who reads which scores, and the ranking with its tie-break and bands."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guongsang.audit.models import Action, AuditEntry
from guongsang.emulation import ranking, services
from guongsang.emulation.models import (
    BlockMember,
    CriterionKind,
    PointsCriterion,
    ScoreState,
    ScoreStep,
)
from guongsang.units.models import UnitKind

from ..factories import Role, make_unit, make_user

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
D = Decimal


@pytest.fixture
def world(cast):
    return make_world(cast)


def make_world(cast):
    """Cluster 1: Đông Khê (leader) and Tân Giang (deputy); cluster 2: Xã Quang Trung alone.
    A 100-point table: I.1 (40, evidence), I.2 (60), a bonus (5) and a penalty (5)."""
    commune_c = make_unit("Xã Quang Trung", UnitKind.COMMUNE, cast.province)
    c_staff = make_user(commune_c, Role.STAFF, username="c.staff")
    by = cast.province_admin
    one = services.block_save(
        by=by,
        organiser=cast.province,
        year=YEAR,
        name="Cụm thi đua số 1",
        members=[cast.commune_a, cast.commune_b],
        leader=cast.commune_a,
        deputy=cast.commune_b,
    )
    two = services.block_save(
        by=by, organiser=cast.province, year=YEAR, name="Cụm thi đua số 2", members=[commune_c]
    )
    table = services.table_create(
        by=by, issuing_unit=cast.province, year=YEAR, level=UnitKind.COMMUNE, name="Bảng điểm xã"
    )
    group = services.group_add(by=by, table=table, code="I", title="Công tác tuyên truyền")
    c1 = services.criterion_add(
        by=by, group=group, code="1.1", text="Hoạt động", max_points=D(40), evidence_required=True
    )
    c2 = services.criterion_add(by=by, group=group, code="1.2", text="Điển hình", max_points=D(60))
    extra = services.group_add(by=by, table=table, code="II", title="Thưởng, trừ")
    bonus = services.criterion_add(
        by=by, group=extra, code="2.1", text="Mô hình mới", max_points=D(5), kind="bonus"
    )
    penalty = services.criterion_add(
        by=by, group=extra, code="2.2", text="Báo cáo chậm", max_points=D(5), kind="penalty"
    )

    class W:
        pass

    w = W()
    w.cast, w.one, w.two, w.table, w.c_staff, w.commune_c = (
        cast,
        one,
        two,
        table,
        c_staff,
        commune_c,
    )
    w.c1, w.c2, w.bonus, w.penalty = c1, c2, bonus, penalty
    return w


def crit(kind, max_points):
    return PointsCriterion(kind=kind, max_points=D(max_points), code="x", text="x")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([("scored", 40, 40), ("scored", 60, 55)], 95, id="scored-add-up"),
        pytest.param([("scored", 40, 50)], 40, id="capped-at-the-maximum"),
        pytest.param([("scored", 40, None), ("scored", 60, 10)], 10, id="unscored-is-zero"),
        pytest.param([("scored", 100, 98), ("bonus", 5, 5)], 103, id="bonus-above-100"),
        pytest.param([("scored", 100, 90), ("penalty", 5, 5)], 85, id="penalty-subtracts"),
        pytest.param([("scored", 100, 2), ("penalty", 5, 5)], 0, id="never-below-zero"),
        pytest.param([("bonus", 5, 9), ("penalty", 5, 9)], 0, id="bonus-and-penalty-capped"),
        pytest.param([("scored", 40, D("12.5")), ("scored", 60, D("0.25"))], D("12.75"), id="dec"),
    ],
)
def test_the_arithmetic(rows, expected):
    assert services.total((crit(k, m), p if p is None else D(p)) for k, m, p in rows) == D(expected)


def test_a_unit_is_in_one_block_a_year_and_past_years_stay(world):
    cast = world.cast
    with pytest.raises(ValidationError, match="cụm, khối khác"):
        services.block_save(
            by=cast.province_admin,
            organiser=cast.province,
            year=YEAR,
            name="Cụm thi đua số 3",
            members=[cast.commune_b],
        )
    with pytest.raises(ValidationError, match="năm đã qua"):
        services.block_save(
            by=cast.province_admin,
            organiser=cast.province,
            year=YEAR - 1,
            name="Cụm cũ",
            members=[cast.commune_b],
        )
    for bad in ([cast.other_commune], [cast.commune_a, cast.province]):
        with pytest.raises(ValidationError, match="Không thuộc"):
            services.block_save(
                by=cast.province_admin,
                organiser=cast.province,
                year=YEAR + 1,
                name="Cụm ngoài",
                members=bad,
            )
    with pytest.raises(ValidationError, match="không thể lập"):
        services.block_save(
            by=cast.a_admin, organiser=cast.province, year=YEAR, name="X", members=[cast.commune_a]
        )


def test_next_years_blocks_rotate_the_leadership(world):
    cast = world.cast
    [one, two] = sorted(
        services.blocks_copy(
            by=cast.province_admin, organiser=cast.province, from_year=YEAR, to_year=YEAR + 1
        ),
        key=lambda b: b.name,
    )
    assert (one.leader, one.deputy) == (cast.commune_b, cast.commune_a)  # the deputy leads
    assert set(BlockMember.objects.filter(block=one).values_list("unit", flat=True)) == {
        cast.commune_a.pk,
        cast.commune_b.pk,
    }
    assert (two.leader, two.deputy) == (world.commune_c, None)
    assert (
        services.blocks_copy(  # made once: copying again adds nothing
            by=cast.province_admin, organiser=cast.province, from_year=YEAR, to_year=YEAR + 1
        )
        == []
    )
    world.one.refresh_from_db()
    assert world.one.leader == cast.commune_a  # this year's block as it was


def test_three_steps_with_a_return(world):
    cast, w = world.cast, world
    table = w.table
    score = services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=table)
    table.refresh_from_db()
    assert table.frozen_at is not None  # used: frozen
    with pytest.raises(ValidationError, match="phiên bản mới"):
        services.criterion_add(
            by=cast.province_admin, group=w.c1.group, code="1.3", text="x", max_points=D(1)
        )
    # The unit scores itself: 1.1 needs evidence when it has points.
    score = services.score_self(
        by=cast.b_staff,
        score=score,
        version=score.version,
        entries={w.c1.pk: {"points": "35"}, w.c2.pk: {"points": "50"}, w.bonus.pk: {"points": 3}},
    )
    assert score.self_total == D(88)
    with pytest.raises(ValidationError, match="1.1: cần minh chứng"):
        services.score_submit(by=cast.b_staff, score=score, version=score.version)
    with pytest.raises(ValidationError, match="từ 0 đến 60"):
        services.score_self(
            by=cast.b_staff, score=score, version=score.version, entries={w.c2.pk: {"points": 61}}
        )
    score = services.score_self(
        by=cast.b_staff,
        score=score,
        version=score.version,
        entries={w.c1.pk: {"points": 35, "evidence": [{"kind": "link", "label": "Sổ hoạt động"}]}},
    )
    stale = score.version
    score = services.score_submit(by=cast.b_staff, score=score, version=score.version)
    assert score.state == ScoreState.SUBMITTED
    with pytest.raises(ValidationError) as exc:
        services.score_self(by=cast.b_staff, score=score, version=stale, entries={})
    assert exc.value.code == "stale"
    # Not the unit's own leader? Commune B is checked by the leader, Đông Khê.
    with pytest.raises(ValidationError, match="Chỉ cụm trưởng"):
        services.score_check(by=cast.b_staff, score=score, version=score.version, entries={})
    score = services.score_return(
        by=cast.a_staff, score=score, version=score.version, reason="Bổ sung minh chứng 1.2"
    )
    assert score.state == ScoreState.RETURNED
    score = services.score_submit(by=cast.b_staff, score=score, version=score.version)
    score = services.score_check(
        by=cast.a_staff, score=score, version=score.version, entries={w.c2.pk: {"points": 45}}
    )
    assert (score.state, score.check_total) == (ScoreState.CHECKED, D(83))
    with pytest.raises(ValidationError, match="văn phòng"):
        services.score_finalise(by=cast.a_staff, score=score, version=score.version, entries={})
    score = services.score_finalise(
        by=cast.province_admin,
        score=score,
        version=score.version,
        entries={w.penalty.pk: {"points": 2, "note": "Báo cáo quý II chậm"}},
    )
    assert (score.state, score.final_total) == (ScoreState.FINAL, D(81))
    assert [s.action for s in ScoreStep.objects.filter(score=score)] == [
        "submit",
        "return",
        "submit",
        "check",
        "finalise",
    ]
    # Each step is in the audit log under the scored unit, with who, the total and the reason.
    entries = AuditEntry.objects.filter(object_type="emulation.score", object_id=score.pk)
    assert [(e.action, e.actor, e.unit) for e in entries.order_by("pk")] == [
        (Action.SCORE_SUBMIT, cast.b_staff, cast.commune_b),
        (Action.SCORE_RETURN, cast.a_staff, cast.commune_b),
        (Action.SCORE_SUBMIT, cast.b_staff, cast.commune_b),
        (Action.SCORE_CHECK, cast.a_staff, cast.commune_b),
        (Action.SCORE_FINALISE, cast.province_admin, cast.commune_b),
    ]
    returned = entries.get(action=Action.SCORE_RETURN)
    assert returned.details["reason"] == "Bổ sung minh chứng 1.2"
    assert entries.get(action=Action.SCORE_FINALISE).details["total"] == "81"


def test_the_leaders_own_score_is_checked_by_the_deputy(world):
    cast, w = world.cast, world
    score = services.score_open(by=cast.a_staff, block=w.one, unit=cast.commune_a, table=w.table)
    entries = {w.c1.pk: {"points": 0}, w.c2.pk: {"points": 60}}
    score = services.score_self(
        by=cast.a_staff, score=score, version=score.version, entries=entries
    )
    score = services.score_submit(by=cast.a_staff, score=score, version=score.version)
    with pytest.raises(ValidationError, match="Chỉ cụm trưởng"):
        services.score_check(by=cast.a_staff, score=score, version=score.version, entries={})
    score = services.score_check(by=cast.b_staff, score=score, version=score.version, entries={})
    assert score.check_total == D(60)


def test_who_reads_which_scores(world):
    """A unit never sees another block's unfinished scores; final ones are for every member."""
    cast, w = world.cast, world
    b_score = services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=w.table)
    c_score = services.score_open(by=w.c_staff, block=w.two, unit=w.commune_c, table=w.table)
    assert set(services.scores_for(cast.province_admin)) == {b_score, c_score}
    assert set(services.scores_for(cast.b_staff)) == {b_score}
    assert set(services.scores_for(cast.a_staff)) == {b_score}  # the leader checks it
    assert set(services.scores_for(w.c_staff)) == {c_score}
    assert set(services.scores_for(cast.outsider)) == set()
    # Once final, commune C's score is readable by the other cluster's members too.
    c_score = services.score_self(
        by=w.c_staff,
        score=c_score,
        version=c_score.version,
        entries={w.c1.pk: {"points": 0}, w.c2.pk: {"points": 10}},
    )
    c_score = services.score_submit(by=w.c_staff, score=c_score, version=c_score.version)
    assert services.checker_unit(c_score) is None  # no leader named: the organiser decides
    assert not services.can_check(cast.a_staff, c_score)
    assert b_score not in services.scores_for(w.c_staff)
    with pytest.raises(ValidationError):
        services.score_open(by=cast.a_staff, block=w.two, unit=cast.commune_a, table=w.table)


def _final(world, unit, by, points, *, bonus=0, penalty=0, submitted=None):
    w = world
    block = w.one
    score = services.score_open(by=by, block=block, unit=unit, table=w.table)
    entries = {
        w.c1.pk: {"points": 0},
        w.c2.pk: {"points": points},
        w.bonus.pk: {"points": bonus},
    }
    score = services.score_self(by=by, score=score, version=score.version, entries=entries)
    score = services.score_submit(by=by, score=score, version=score.version)
    if submitted:
        type(score).objects.filter(pk=score.pk).update(submitted_at=submitted)
    checker = w.cast.b_staff if unit == w.cast.commune_a else w.cast.a_staff
    score = services.score_check(by=checker, score=score, version=score.version, entries={})
    return services.score_finalise(
        by=w.cast.province_admin,
        score=score,
        version=score.version,
        entries={w.penalty.pk: {"points": penalty}},
    )


def test_ranking_with_tie_break_and_bands(world):
    cast = world.cast
    # Both 58 in all: Đông Khê by 58 scored points, Tân Giang by 55 + 5 bonus - 2 penalty.
    _final(world, cast.commune_a, cast.a_staff, 58)
    _final(world, cast.commune_b, cast.b_staff, 55, bonus=5, penalty=2)
    rows = ranking.block_ranking(world.one)
    assert [(r.score.unit, r.rank, r.band) for r in rows] == [
        (cast.commune_a, 1, "average"),  # fewer penalties first
        (cast.commune_b, 2, "average"),
    ]
    world.table.__class__.objects.filter(pk=world.table.pk).update(
        tie_break="more_bonus", fair_from=50
    )
    rows = ranking.block_ranking(world.one)
    assert [(r.score.unit, r.rank, r.band_label) for r in rows] == [
        (cast.commune_b, 1, "Khá"),
        (cast.commune_a, 2, "Khá"),
    ]
    world.table.__class__.objects.filter(pk=world.table.pk).update(tie_break="")
    rows = ranking.block_ranking(world.one)
    assert [r.rank for r in rows] == [1, 1]  # equal on every key: equal rank


def test_a_new_table_version_is_editable_and_bands_are_checked(world):
    cast = world.cast
    services.score_open(by=cast.b_staff, block=world.one, unit=cast.commune_b, table=world.table)
    copy = services.table_new_version(by=cast.province_admin, table=world.table)
    assert copy.version == 2 and copy.frozen_at is None
    assert PointsCriterion.objects.filter(group__table=copy).count() == 4
    group = copy.groups.get(code="I")
    services.criterion_add(
        by=cast.province_admin, group=group, code="1.3", text="Mới", max_points=D(5)
    )
    with pytest.raises(ValidationError, match="giảm dần"):
        services.table_create(
            by=cast.province_admin,
            issuing_unit=cast.province,
            year=YEAR,
            level=UnitKind.COMMUNE,
            name="Sai",
            excellent_from=D(80),
            good_from=D(90),
        )
    assert PointsCriterion.objects.filter(kind=CriterionKind.PENALTY).count() == 2


def test_scoring_is_for_the_units_officers_only(world):
    cast, w = world.cast, world
    for by in (cast.branch_viewer, cast.outsider, cast.a_staff):
        with pytest.raises(ValidationError):
            services.score_open(by=by, block=w.one, unit=cast.commune_b, table=w.table)
    wrong_year = services.table_create(
        by=cast.province_admin,
        issuing_unit=cast.province,
        year=YEAR + 1,
        level=UnitKind.COMMUNE,
        name="Năm sau",
    )
    with pytest.raises(ValidationError, match="không phải của cụm"):
        services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=wrong_year)


def test_a_member_with_a_score_stays_in_its_block(world):
    cast, w = world.cast, world
    services.score_open(by=cast.b_staff, block=w.one, unit=cast.commune_b, table=w.table)
    with pytest.raises(ValidationError, match="không bỏ ra được: Phường Tân Giang"):
        services.block_save(
            by=cast.province_admin,
            organiser=cast.province,
            year=w.one.year,
            name=w.one.name,
            members=[cast.commune_a],
            leader=cast.commune_a,
            block=w.one,
        )
    assert set(w.one.members.values_list("unit_id", flat=True)) == {
        cast.commune_a.pk,
        cast.commune_b.pk,
    }
