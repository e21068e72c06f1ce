"""Council services: members, sessions, agenda, attendance, opening, voting, written votes,
closing with the tally and the outcome of each proposal item."""

import pytest
from django.core.exceptions import ValidationError

from guongsang.awards import council as services
from guongsang.awards import minutes
from guongsang.awards.models import (
    AgendaItem,
    Ballot,
    BallotCast,
    BallotChoice,
    CouncilRole,
    ItemOutcome,
    ProposalState,
    SessionState,
)
from guongsang.plans.models import DocType, Document

from ..factories import make_user
from .test_council_setup import board_fixture  # noqa: F401 - the ``board`` fixture


def test_one_council_per_unit_and_only_its_managers(board):
    cast = board.aw.cast
    with pytest.raises(ValidationError, match="đã có hội đồng"):
        services.council_save(by=board.manager, unit=cast.province, name="Hội đồng thứ hai")
    with pytest.raises(ValidationError, match="không có quyền"):
        services.council_save(by=cast.b_staff, unit=cast.commune_a, name="Hội đồng xã A")
    with pytest.raises(ValidationError, match="từ xã trở lên"):
        services.council_save(by=cast.a_admin, unit=cast.branch_a, name="Hội đồng chi hội")
    council = services.council_save(by=cast.a_staff, unit=cast.commune_a, name="  Hội đồng  xã ")
    assert council.name == "Hội đồng xã"


def test_members_added_once_removed_or_kept_inactive(board):
    with pytest.raises(ValidationError, match="đã là thành viên"):
        services.member_add(
            by=board.manager, council=board.council, user=board.m1.user, role=CouncilRole.MEMBER
        )
    with pytest.raises(ValidationError, match="chức danh"):
        services.member_add(
            by=board.manager, council=board.council, user=board.aw.cast.a_staff, role="boss"
        )
    services.member_remove(by=board.manager, member=board.m2)
    assert not board.council.members.filter(pk=board.m2.pk).exists()
    again = services.member_add(
        by=board.manager, council=board.council, user=board.m2.user, role=CouncilRole.VICE
    )
    assert again.role == CouncilRole.VICE
    services.attendance_mark(by=board.manager, session=board.session, present={again.pk})
    services.member_remove(by=board.manager, member=again)
    again.refresh_from_db()
    assert again.active is False  # took part in a session: kept, inactive


def test_agenda_takes_accepted_items_of_the_round_only(board):
    other = board.proposal.__class__.objects.create(
        round=board.round,
        unit=board.aw.cast.commune_b,
        state=ProposalState.SUBMITTED,
        created_by=board.aw.cast.b_staff,
    )
    other.items.create(
        subject=board.aw.b_individual, award_type=board.item_person.award_type, order=1
    )
    assert services.agenda_add_all(by=board.manager, session=board.session) == 2
    assert services.agenda_add_all(by=board.manager, session=board.session) == 0
    entry = board.session.agenda.get(item=board.item_collective)
    services.agenda_remove(by=board.manager, session=board.session, agenda_item=entry)
    assert list(board.session.agenda.values_list("item", flat=True)) == [board.item_person.pk]


def test_open_needs_an_agenda_and_freezes_member_count(board):
    with pytest.raises(ValidationError, match="chưa có đề nghị"):
        services.session_open(by=board.manager, session=board.session)
    session = board.opened()
    assert session.state == SessionState.OPEN and session.member_count == 5
    with pytest.raises(ValidationError, match="không sửa chương trình"):
        services.agenda_add_all(by=board.manager, session=session)


def test_vote_once_never_before_opening_or_after_closing(board):
    with pytest.raises(ValidationError, match="chưa mở"):
        services.vote(session=board.session, member_user=board.m1.user, choices={})
    board.opened()
    code = services.vote(session=board.session, member_user=board.m1.user, choices=board.all_yes())
    assert len(code) == services.RECEIPT_LENGTH
    assert set(code) <= set(services.RECEIPT_ALPHABET)
    with pytest.raises(ValidationError, match="Bạn đã bỏ phiếu rồi."):
        services.vote(session=board.session, member_user=board.m1.user, choices=board.all_yes())
    services.session_close(by=board.manager, session=board.session)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.vote(session=board.session, member_user=board.m2.user, choices=board.all_yes())
    assert BallotCast.objects.count() == 1 and Ballot.objects.count() == 1


def test_only_active_members_vote(board):
    board.opened()
    cast = board.aw.cast
    for outsider in (cast.a_staff, cast.province_admin, cast.outsider):
        with pytest.raises(ValidationError, match="không phải thành viên"):
            services.vote(session=board.session, member_user=outsider, choices=board.all_yes())
    board.m2.active = False
    board.m2.save()
    with pytest.raises(ValidationError, match="không phải thành viên"):
        services.vote(session=board.session, member_user=board.m2.user, choices=board.all_yes())
    assert not BallotCast.objects.exists()


@pytest.mark.parametrize(
    "choices,message",
    [
        ({}, "mọi đề nghị"),
        ("first-only", "mọi đề nghị"),
        ({"x": "yes"}, "không thuộc phiên họp"),
        ({999999: "yes"}, "không thuộc phiên họp"),
        ("maybe", "không hợp lệ"),
    ],
)
def test_bad_ballots_are_refused_and_nothing_is_written(board, choices, message):
    board.opened()
    ids = board.agenda_ids()
    if choices == "first-only":
        choices = {ids[0]: "yes"}
    elif choices == "maybe":
        choices = {ids[0]: "yes", ids[1]: "maybe"}
    with pytest.raises(ValidationError, match=message):
        services.vote(session=board.session, member_user=board.m1.user, choices=choices)
    assert not BallotCast.objects.exists() and not Ballot.objects.exists()
    # She can still vote properly.
    services.vote(session=board.session, member_user=board.m1.user, choices=board.all_yes())


def test_written_vote_of_an_absent_member_by_the_secretary(board):
    board.opened()
    present = {m.pk for m in board.members if m != board.m2}
    services.attendance_mark(by=board.manager, session=board.session, present=present)
    with pytest.raises(ValidationError, match="Chỉ thư ký"):
        services.written_vote(
            by_secretary=board.m1.user, session=board.session, member=board.m2, choices={}
        )
    with pytest.raises(ValidationError, match="có mặt"):
        services.written_vote(
            by_secretary=board.secretary.user,
            session=board.session,
            member=board.m1,
            choices=board.all_yes(),
        )
    code = services.written_vote(
        by_secretary=board.secretary.user,
        session=board.session,
        member=board.m2,
        choices=board.all_yes(),
    )
    assert services.receipt_found(session=board.session, code=code)
    assert BallotCast.objects.get().written is True
    with pytest.raises(ValidationError, match="đã bỏ phiếu rồi"):
        services.written_vote(
            by_secretary=board.chair.user,
            session=board.session,
            member=board.m2,
            choices=board.all_yes(),
        )


def test_close_tallies_decides_and_writes_minutes(board):
    board.opened()
    person, collective = board.agenda_ids()
    present = {m.pk for m in board.members if m != board.m2}
    services.attendance_mark(by=board.manager, session=board.session, present=present)
    # CSTĐ cấp tỉnh: 90% of all 5 members → needs 5 yes; Bằng khen: half of valid ballots.
    votes = {
        board.chair: ("yes", "yes"),
        board.vice: ("yes", "no"),
        board.secretary: ("yes", "abstain"),
        board.m1: ("yes", "yes"),
    }
    codes = [
        services.vote(session=board.session, member_user=m.user, choices={person: p, collective: c})
        for m, (p, c) in votes.items()
    ]
    codes.append(
        services.written_vote(
            by_secretary=board.secretary.user,
            session=board.session,
            member=board.m2,
            choices={person: "no", collective: "yes"},
        )
    )
    assert AgendaItem.objects.filter(yes__isnull=False).count() == 0  # nothing counted yet
    ids_before = set(Ballot.objects.values_list("pk", flat=True))
    session = services.session_close(by=board.manager, session=board.session)
    assert session.state == SessionState.CLOSED and session.closed_at
    p = AgendaItem.objects.get(pk=person)
    c = AgendaItem.objects.get(pk=collective)
    assert (p.yes, p.no, p.abstain, p.passed) == (4, 1, 0, False)
    assert (c.yes, c.no, c.abstain, c.passed) == (3, 1, 1, True)
    board.item_person.refresh_from_db()
    board.item_collective.refresh_from_db()
    assert board.item_person.outcome == ItemOutcome.FAILED
    assert board.item_collective.outcome == ItemOutcome.PASSED
    # Rows written again in a random order, same ballots, same count of choices.
    assert set(Ballot.objects.values_list("pk", flat=True)) == ids_before
    assert BallotChoice.objects.count() == 10 and BallotCast.objects.count() == 5
    for code in codes:
        assert services.receipt_found(session=session, code=code)
        assert services.receipt_found(session=session, code=services.format_receipt(code).lower())
    assert not services.receipt_found(session=session, code="ABCDEFGHJK")
    assert not services.receipt_found(session=session, code="\x00" * 10)
    # Two minutes: the meeting's (members, agenda, outcome) and the vote count's (the tally).
    assert session.minutes.doc_type == session.count_minutes.doc_type == DocType.BB
    assert session.minutes.pk != session.count_minutes.pk
    assert "THÀNH PHẦN" in session.minutes.body and "Không đồng ý" not in session.minutes.body
    assert "| 1 | " + board.aw.individual.name in session.minutes.body
    assert "Kết quả kiểm phiếu" in session.count_minutes.body
    assert "| 4 | 1 | 0 | Không thông qua |" in session.count_minutes.body
    assert "| 3 | 1 | 1 | Thông qua |" in session.count_minutes.body
    for prefix in minutes.receipt_prefixes(session):
        assert prefix in session.count_minutes.body
    # Writing them again rewrites the same two drafts; once one is issued, no more.
    again = minutes.minutes_save(session=session, by=board.manager)
    session.refresh_from_db()
    assert (
        again.pk == session.minutes_id and Document.objects.filter(doc_type=DocType.BB).count() == 2
    )
    with pytest.raises(ValidationError, match="không đang bỏ phiếu"):
        services.session_close(by=board.manager, session=session)


def test_close_without_quorum_fails_every_item(board):
    board.opened()
    services.attendance_mark(by=board.manager, session=board.session, present=set())
    services.vote(session=board.session, member_user=board.m1.user, choices=board.all_yes())
    services.session_close(by=board.manager, session=board.session)
    assert set(AgendaItem.objects.values_list("passed", flat=True)) == {False}


def test_a_stranger_cannot_run_the_council(board):
    stranger = make_user(board.aw.cast.commune_b)
    for call in (
        lambda: services.agenda_add_all(by=stranger, session=board.session),
        lambda: services.session_open(by=board.aw.cast.b_staff, session=board.session),
        lambda: services.attendance_mark(by=board.chair.user, session=board.session, present=set()),
    ):
        with pytest.raises(ValidationError, match="không có quyền"):
            call()
