"""Two people acting on one score at the same moment: exactly one step applies, the other gets
the stale-page or wrong-step refusal, and nothing is lost (one trail step, the winner's
points). Real concurrent transactions need PostgreSQL (row locks): skipped on SQLite."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guongsang.emulation import services
from guongsang.emulation.models import Score, ScoreLine, ScoreState, ScoreStep

from ..exemplars.test_concurrency import race
from .test_score_pages import make_world, submitted

pytestmark = pytest.mark.postgres_only

D = Decimal


@pytest.fixture
def world(cast):
    return make_world(cast)


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")


@pytest.mark.parametrize("with_version", [True, False], ids=["version", "no-version"])
def test_two_cross_checks_at_once_one_applies(transactional_db, world, with_version):
    needs_postgres()
    cast, w = world.cast, world
    score = submitted(w)
    version = score.version if with_version else None

    def check(points):
        return lambda: services.score_check(
            by=cast.a_staff,
            score=Score(pk=score.pk),
            version=version,
            entries={w.c2.pk: {"points": points}},
        )

    results = race([check(40), check(45)])
    assert results.count("ok") == 1, results
    (error,) = [r for r in results if r != "ok"]
    assert isinstance(error, ValidationError), repr(error)
    if with_version:
        assert error.code == "stale" and "tải lại trang" in error.messages[0]
    else:
        assert "không ở bước chấm chéo" in error.messages[0]
    fresh = Score.objects.get(pk=score.pk)
    winner = D(40) if results[0] == "ok" else D(45)
    assert (fresh.state, fresh.version) == (ScoreState.CHECKED, score.version + 1)
    assert ScoreLine.objects.get(score=fresh, criterion=w.c2).check_points == winner
    assert fresh.check_total == D(30) + winner
    assert ScoreStep.objects.filter(score=fresh, action="check").count() == 1


def test_a_check_and_a_return_at_once_one_applies(transactional_db, world):
    needs_postgres()
    cast, w = world.cast, world
    score = submitted(w)

    def check():
        services.score_check(
            by=cast.a_staff, score=Score(pk=score.pk), version=score.version, entries={}
        )

    def give_back():
        services.score_return(
            by=cast.a_admin, score=Score(pk=score.pk), version=score.version, reason="Thiếu"
        )

    results = race([check, give_back])
    assert results.count("ok") == 1, results
    fresh = Score.objects.get(pk=score.pk)
    expected = ScoreState.CHECKED if results[0] == "ok" else ScoreState.RETURNED
    assert fresh.state == expected
    assert ScoreStep.objects.filter(score=fresh).exclude(action="submit").count() == 1


def test_two_finalisations_at_once_one_applies(transactional_db, world):
    needs_postgres()
    cast, w = world.cast, world
    score = submitted(w)
    score = services.score_check(by=cast.a_staff, score=score, version=score.version, entries={})

    def finalise(penalty):
        return lambda: services.score_finalise(
            by=cast.province_admin,
            score=Score(pk=score.pk),
            version=score.version,
            entries={w.penalty.pk: {"points": penalty, "note": "Chậm"}},
        )

    results = race([finalise(1), finalise(3)])
    assert results.count("ok") == 1, results
    (error,) = [r for r in results if r != "ok"]
    assert isinstance(error, ValidationError) and error.code == "stale", repr(error)
    fresh = Score.objects.get(pk=score.pk)
    penalty = D(1) if results[0] == "ok" else D(3)
    assert (fresh.state, fresh.final_total) == (ScoreState.FINAL, D(80) - penalty)
    assert ScoreStep.objects.filter(score=fresh, action="finalise").count() == 1
