"""Ballot secrecy: *that* a member voted and *what* was voted cannot be paired.

(a) On the schema: no column of Ballot or BallotChoice refers to a member, a user, an attendance
or a cast, and none holds a time; BallotCast holds no time either.
(b) On the data: after several members voted through the pages (so sessions, messages and
notifications are exercised too), every row of every table of the database is read; a ballot's
id or receipt hash appears only in the ballot tables, which hold no member or user column; the
receipt codes appear nowhere; a cast and a ballot share no value but their session; nobody was
notified per vote. Checked while the vote is open and again after closing."""

import uuid

import pytest
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection, models
from django.urls import reverse

from guongsang.awards import council as services
from guongsang.awards.models import (
    Attendance,
    Ballot,
    BallotCast,
    BallotChoice,
    CouncilMember,
)
from guongsang.core.sessions import SessionStore
from guongsang.notifications.models import Notification

from .test_council_setup import board_fixture  # noqa: F401 - the ``board`` fixture

TIME_FIELDS = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)
PERSON_MODELS = {"accounts.user", "awards.councilmember", "awards.attendance", "awards.ballotcast"}


@pytest.mark.parametrize("model", [Ballot, BallotChoice])
def test_what_was_voted_names_no_one_and_no_time(db, model):
    for field in model._meta.concrete_fields:
        assert not isinstance(field, TIME_FIELDS), field
        if field.is_relation:
            assert field.related_model._meta.label_lower not in PERSON_MODELS, field
        assert not any(word in field.column for word in ("member", "user", "time", "_at", "date"))
    # The database columns as they are, not only as the models say.
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
        ]
    assert not any(word in c for c in columns for word in ("member", "user", "time", "_at"))


def test_that_a_member_voted_holds_no_time_and_no_ballot():
    for field in BallotCast._meta.concrete_fields:
        assert not isinstance(field, TIME_FIELDS), field
        if field.is_relation:
            assert field.related_model._meta.label_lower in {
                "awards.session",
                "awards.councilmember",
            }
    assert isinstance(BallotCast._meta.pk, models.UUIDField)
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    # Nothing points at a ballot but its choices.
    pointing = {
        f.related_model._meta.label_lower
        for m in (Ballot, BallotCast)
        for f in m._meta.related_objects
    }
    assert pointing == {"awards.ballotchoice"}


def _every_row():
    """{table: [row as a tuple of str]} for every table of the database; the login sessions'
    encoded data is decoded too (a code kept there would otherwise be hidden from the search)."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = [tuple("" if v is None else str(v) for v in row) for row in cursor]
    rows["decoded sessions"] = [
        (str(SessionStore().decode(data)),)
        for data in DjangoSession.objects.values_list("session_data", flat=True)
    ]
    assert rows["decoded sessions"], "the voters' logins are in the store"
    return rows


def _forms(value) -> set[str]:
    if isinstance(value, uuid.UUID):
        return {str(value), value.hex}
    return {str(value)}


def _tables_holding(rows, needles: set[str]) -> set[str]:
    found = set()
    for table, table_rows in rows.items():
        if any(
            cell in needles or any(n in cell for n in needles) for r in table_rows for cell in r
        ):
            found.add(table)
    return found


def _vote_by_pages(board) -> list[str]:
    codes = []
    ids = board.agenda_ids()
    for member, choice in zip(board.members[:4], ["yes", "no", "abstain", "yes"]):
        client = board.aw.cast.client_for(member.user)
        page = client.post(
            reverse("awards:session_ballot", args=[board.session.pk]),
            {f"item_{pk}": choice for pk in ids},
        ).content.decode()
        codes.append(page.split('class="password-once">')[1].split("<")[0])
    return codes


def _assert_unpairable(board, codes):
    rows = _every_row()
    ballots = list(Ballot.objects.all())
    casts = list(BallotCast.objects.all())
    assert len(ballots) == len(casts) == len(codes) == 4

    ballot_marks = {f for b in ballots for f in _forms(b.pk)} | {b.receipt_hash for b in ballots}
    assert _tables_holding(rows, ballot_marks) == {"awards_ballot", "awards_ballotchoice"}
    # Those tables have no column that could hold a member or a user.
    for model in (Ballot, BallotChoice):
        columns = {f.column for f in model._meta.concrete_fields}
        assert columns <= {
            "id",
            "session_id",
            "receipt_hash",
            "ballot_id",
            "agenda_item_id",
            "choice",
        }

    cast_marks = {f for c in casts for f in _forms(c.pk)}
    assert _tables_holding(rows, cast_marks) == {"awards_ballotcast"}

    # The receipt codes (as shown, and without the dash) are stored nowhere.
    plain = set(codes) | {c.replace("-", "") for c in codes}
    assert _tables_holding(rows, plain) == set()

    # A cast row and a ballot row share nothing but their session.
    session_id = str(board.session.pk)
    cast_values = {v for r in rows["awards_ballotcast"] for v in r} - {session_id}
    ballot_values = {v for r in rows["awards_ballot"] for v in r} - {session_id}
    assert not cast_values & ballot_values

    # No time anywhere near a ballot: its tables hold no date-like value.
    for table in ("awards_ballot", "awards_ballotchoice", "awards_ballotcast"):
        assert not any("-" in v and ":" in v for r in rows[table] for v in r), table


def test_no_table_pairs_a_member_with_her_ballot(board):
    board.opened()
    notifications = Notification.objects.count()
    services.attendance_mark(
        by=board.manager, session=board.session, present={m.pk for m in board.members[:4]}
    )
    codes = _vote_by_pages(board)
    assert Notification.objects.count() == notifications  # nobody is told per vote
    _assert_unpairable(board, codes)

    ballots_before = set(Ballot.objects.values_list("pk", "receipt_hash"))
    services.session_close(by=board.manager, session=board.session)
    _assert_unpairable(board, codes)
    # Rewritten in a random order with the same ids and hashes; the choices are whole.
    assert set(Ballot.objects.values_list("pk", "receipt_hash")) == ballots_before
    assert BallotChoice.objects.count() == 8
    assert CouncilMember.objects.filter(pk__in=BallotCast.objects.values("member")).count() == 4
    assert Attendance.objects.filter(session=board.session, present=True).count() == 4
