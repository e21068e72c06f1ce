"""A member votes twice at the same moment (two phones): exactly one ballot is counted, the other
is told "Bạn đã bỏ phiếu rồi."; a vote racing the closing is either counted or refused, never
half-written. Real concurrent transactions need PostgreSQL (row locks)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guongsang.awards import council as services
from guongsang.awards.models import Ballot, BallotCast, BallotChoice, Session, SessionState

from ..exemplars.test_concurrency import race
from .test_council_setup import board_fixture  # noqa: F401 - the ``board`` fixture


def _pg_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")


@pytest.mark.postgres_only
def test_double_vote_at_once_one_wins(transactional_db, board):
    _pg_only()
    board.opened()
    choices = board.all_yes()
    pk = board.session.pk

    def vote():
        services.vote(session=Session(pk=pk), member_user=board.m1.user, choices=choices)

    results = race([vote, vote, vote])
    assert results.count("ok") == 1, results
    errors = [r for r in results if r != "ok"]
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert {e.messages[0] for e in errors} == {"Bạn đã bỏ phiếu rồi."}
    assert BallotCast.objects.count() == Ballot.objects.count() == 1
    assert BallotChoice.objects.count() == 2


@pytest.mark.postgres_only
def test_many_members_at_once_all_counted(transactional_db, board):
    _pg_only()
    board.opened()
    choices = board.all_yes()
    pk = board.session.pk
    jobs = [
        (lambda m=m: services.vote(session=Session(pk=pk), member_user=m.user, choices=choices))
        for m in board.members
    ]
    assert race(jobs) == ["ok"] * 5
    assert BallotCast.objects.count() == Ballot.objects.count() == 5


@pytest.mark.postgres_only
def test_vote_racing_the_closing(transactional_db, board):
    _pg_only()
    board.opened()
    choices = board.all_yes()
    pk = board.session.pk

    def vote():
        services.vote(session=Session(pk=pk), member_user=board.m1.user, choices=choices)

    def close():
        services.session_close(by=board.manager, session=Session(pk=pk))

    results = race([vote, close])
    assert results[1] == "ok", results
    session = Session.objects.get(pk=pk)
    assert session.state == SessionState.CLOSED
    counted = sum(a.yes for a in session.agenda.all())
    if results[0] == "ok":
        assert counted == 2 and BallotCast.objects.count() == 1
    else:
        assert "đã kết thúc" in results[0].messages[0]
        assert counted == 0 and not BallotCast.objects.exists() and not Ballot.objects.exists()


@pytest.mark.postgres_only
def test_closing_erases_the_transaction_ids_that_paired_votes(transactional_db, board):
    """Each vote's transaction stamps its cast and its ballot with the same ``xmin``: while the
    vote is open a database administrator could pair them (a residual risk said in
    ``council``'s docstring). Closing writes every row again in one transaction."""
    _pg_only()
    board.opened()
    for m in board.members[:3]:
        services.vote(session=board.session, member_user=m.user, choices=board.all_yes())

    def xmins(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table}")  # noqa: S608 - fixed names
            return [row[0] for row in cursor]

    before_casts, before_ballots = xmins("awards_ballotcast"), xmins("awards_ballot")
    # Savepoints give the cast and the ballot of one vote neighbouring (sub)transaction ids:
    # in id order they alternate cast, ballot, cast, ballot... and so pair.
    order = sorted(
        [(int(x), "cast") for x in before_casts] + [(int(x), "ballot") for x in before_ballots]
    )
    assert [kind for _x, kind in order] == ["cast", "ballot"] * 3
    services.session_close(by=board.manager, session=board.session)
    after = set(xmins("awards_ballotcast")) | set(xmins("awards_ballot"))
    after |= set(xmins("awards_ballotchoice"))
    assert len(after) == 1 and not after & set(before_casts + before_ballots)
