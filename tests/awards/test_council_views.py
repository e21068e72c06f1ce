"""Council pages: who sees what, the ballot on a phone, results only after closing, the receipt
check, the minutes as DOCX, bad input never a 500."""

import io

import pytest
from django.urls import reverse

from guongsang.awards import council as services
from guongsang.awards.models import AgendaItem, BallotCast, Council, SessionState

from ..factories import make_user
from .test_council_setup import board_fixture  # noqa: F401 - the ``board`` fixture


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


def login(board, user):
    return board.aw.cast.client_for(user)


def test_council_list_and_page_by_role(board):
    cast = board.aw.cast
    page = login(board, board.manager).get(url("council_list"))
    assert page.status_code == 200 and board.council.name in page.content.decode()
    # A member whose own unit does not see the province still sees her council.
    outsider_member = make_user(cast.commune_b, username="hd.xa")
    services.member_add(
        by=board.manager, council=board.council, user=outsider_member, role="member"
    )
    assert (
        login(board, outsider_member).get(url("council_detail", board.council.pk)).status_code
        == 200
    )
    for user in (cast.b_staff, cast.outsider, cast.a_admin):
        assert login(board, user).get(url("council_detail", board.council.pk)).status_code == 404
        assert login(board, user).get(url("session_detail", board.session.pk)).status_code == 404
    page = login(board, board.m1.user).get(url("council_detail", board.council.pk))
    assert "Thêm thành viên" not in page.content.decode()  # members do not manage


def test_commune_admin_creates_its_council(board):
    cast = board.aw.cast
    client = login(board, cast.a_admin)
    assert "Lập hội đồng của Xã Đông Khê" in client.get(url("council_list")).content.decode()
    response = client.post(url("council_create"), {"unit": cast.commune_a.pk, "name": "HĐ xã"})
    council = Council.objects.get(unit=cast.commune_a)
    assert response.status_code == 302 and council.name == "HĐ xã"
    # Another unit's id, a bad id, NUL: refused without a 500.
    assert (
        client.post(url("council_create"), {"unit": cast.commune_b.pk, "name": "x"}).status_code
        == 404
    )
    assert client.post(url("council_create"), {"unit": "abc", "name": "x"}).status_code == 302
    assert client.post(url("council_create"), {"unit": "9" * 30, "name": "x"}).status_code == 302
    assert (
        client.post(url("council_create"), {"unit": cast.commune_a.pk, "name": "a\x00"}).status_code
        == 302
    )


def test_manager_adds_members_and_sessions(board):
    client = login(board, board.manager)
    user = make_user(board.aw.cast.commune_a, username="xa.a.hv")
    response = client.post(
        url("council_member_add", board.council.pk),
        {"username": "xa.a.hv", "role": "member", "position": "Chủ tịch Hội xã"},
    )
    assert response.status_code == 302
    assert board.council.members.filter(user=user).exists()
    # Unknown user, another province's user, a bad role: the form says so, 200.
    other = make_user(board.aw.cast.other_province, username="ls.hv")
    for data in (
        {"username": "nobody", "role": "member"},
        {"username": other.username, "role": "member"},
        {"username": "xa.a.hv\x00", "role": "member"},
        {"username": "hd.m1", "role": "king"},
    ):
        page = client.post(url("council_member_add", board.council.pk), data)
        assert page.status_code == 200, data
    response = client.post(
        url("session_create", board.council.pk),
        {"round": board.round.pk, "title": "Phiên 2", "date": "2026-12-21", "place": ""},
    )
    assert response.status_code == 302
    for bad in (
        {"round": "x", "title": "P", "date": "2026-12-21"},
        {"round": board.round.pk, "title": "P", "date": "99999-01-01"},
    ):
        assert client.post(url("session_create", board.council.pk), bad).status_code == 200
    # A member cannot manage: 404.
    m = login(board, board.m1.user)
    assert m.post(url("council_member_add", board.council.pk), {"username": "x"}).status_code == 404
    assert m.post(url("session_open", board.session.pk)).status_code == 404


def _ballot_post(board):
    return {f"item_{pk}": "yes" for pk in board.agenda_ids()}


def test_full_session_by_pages(board):
    manager = login(board, board.manager)
    assert manager.post(url("session_agenda_add", board.session.pk)).status_code == 302
    assert board.session.agenda.count() == 2
    present = [m.pk for m in board.members if m != board.m2]
    assert (
        manager.post(url("session_attendance", board.session.pk), {"present": present}).status_code
        == 302
    )
    assert (
        manager.post(url("session_attendance", board.session.pk), {"present": ["x"]}).status_code
        == 302
    )
    assert manager.post(url("session_open", board.session.pk)).status_code == 302
    board.session.refresh_from_db()
    assert board.session.state == SessionState.OPEN

    # Ballot page for a member: one radio group per item.
    voter = login(board, board.m1.user)
    page = voter.get(url("session_ballot", board.session.pk))
    html = page.content.decode()
    assert page.status_code == 200 and html.count('type="radio"') == 6
    assert "Không biểu quyết" in html and page["Cache-Control"].count("no-store")
    # Missing or bad choices keep the form, write nothing.
    bad = voter.post(
        url("session_ballot", board.session.pk), {f"item_{board.agenda_ids()[0]}": "zzz"}
    )
    assert bad.status_code == 200 and not BallotCast.objects.exists()
    page = voter.post(url("session_ballot", board.session.pk), _ballot_post(board))
    html = page.content.decode()
    assert page.status_code == 200 and "mã biên nhận" in html
    code = html.split('class="password-once">')[1].split("<")[0]
    assert len(code) == 11  # ABCDE-FGHJK
    assert services.receipt_hash(code)[:8] in html  # her entry in the published list
    again = voter.post(url("session_ballot", board.session.pk), _ballot_post(board))
    assert "Bạn đã bỏ phiếu rồi." in again.content.decode()
    assert BallotCast.objects.count() == 1

    # Results are hidden while open.
    page = manager.get(url("session_detail", board.session.pk)).content.decode()
    assert "Kết quả kiểm phiếu" not in page and "Mã kiểm tra phiếu" not in page
    assert "đạt khi được từ 90% tổng số thành viên hội đồng đồng ý" in page

    # The secretary enters the absent member's written vote.
    sec = login(board, board.secretary.user)
    page = sec.get(url("session_written_vote", board.session.pk))
    assert page.status_code == 200 and board.m2.user.full_name in page.content.decode()
    data = _ballot_post(board) | {"member": board.m2.pk}
    assert (
        "password-once"
        in sec.post(url("session_written_vote", board.session.pk), data).content.decode()
    )
    assert (
        sec.post(
            url("session_written_vote", board.session.pk), data | {"member": "abc"}
        ).status_code
        == 200
    )
    assert (
        login(board, board.m1.user).get(url("session_written_vote", board.session.pk)).status_code
        == 404
    )

    for member in (board.chair, board.vice, board.secretary):
        login(board, member.user).post(url("session_ballot", board.session.pk), _ballot_post(board))
    assert manager.post(url("session_close", board.session.pk)).status_code == 302
    board.session.refresh_from_db()
    assert board.session.state == SessionState.CLOSED
    page = login(board, board.m1.user).get(url("session_detail", board.session.pk)).content.decode()
    assert "Kết quả kiểm phiếu" in page and "Thông qua" in page and "cần từ 90%" in page
    assert "Đàm Thị Thoa (Ủy viên):\n    có mặt · đã bỏ phiếu" in page
    assert services.receipt_hash(code)[:8] in page

    # Receipt check by POST: found / not found / nonsense.
    check = url("session_receipt_check", board.session.pk)
    found = voter.post(check, {"code": code.lower()}).content.decode()
    assert "phiếu của bạn được tính" in found and services.receipt_hash(code)[:8] in found
    assert "Không có phiếu" in voter.post(check, {"code": "ABCDE-FGHJK"}).content.decode()
    assert voter.post(check, {"code": "\x00" * 3}).status_code == 200
    assert voter.post(check, {"code": "x" * 500}).status_code == 200

    # Minutes: a BB draft, downloaded through the documents module, read back.
    docx = manager.get(reverse("plans:docx", args=[board.session.minutes_id]))
    assert docx.status_code == 200
    from docx import Document as Docx

    text = "\n".join(p.text for p in Docx(io.BytesIO(docx.content)).paragraphs)
    cells = [c.text for t in Docx(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells]
    assert "BIÊN BẢN" in text and "THÀNH PHẦN" in text
    assert board.aw.individual.name in cells and "Thông qua" in "".join(cells)
    count = manager.get(reverse("plans:docx", args=[board.session.count_minutes_id]))
    cells = [
        c.text for t in Docx(io.BytesIO(count.content)).tables for r in t.rows for c in r.cells
    ]
    assert board.aw.individual.name in cells and "Không đồng ý" in cells
    for pk in (board.session.minutes_id, board.session.count_minutes_id):
        pdf = manager.get(reverse("plans:pdf", args=[pk]))
        assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    page = manager.get(url("session_detail", board.session.pk)).content.decode()
    assert "Biên bản kiểm phiếu (Word)" in page
    assert manager.post(url("session_minutes", board.session.pk)).status_code == 302


def test_only_members_reach_the_ballot(board):
    board.opened()
    cast = board.aw.cast
    # A viewer of the province who is no member sees the session but not a ballot.
    assert (
        login(board, cast.province_admin).get(url("session_ballot", board.session.pk)).status_code
        == 404
    )
    for user in (cast.b_staff, cast.outsider):
        client = login(board, user)
        assert client.get(url("session_ballot", board.session.pk)).status_code == 404
        assert (
            client.post(url("session_ballot", board.session.pk), _ballot_post(board)).status_code
            == 404
        )
    assert login(board, board.m1.user).get(url("session_ballot", 10**12)).status_code == 404
    assert not BallotCast.objects.exists()


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_ballot_page_refuses_outside_the_open_vote(board, state):
    if state == "closed":
        board.opened()
        services.session_close(by=board.manager, session=board.session)
    else:
        services.agenda_add_all(by=board.manager, session=board.session)
    voter = login(board, board.m1.user)
    page = voter.get(url("session_ballot", board.session.pk)).content.decode()
    assert ("chưa mở" if state == "draft" else "đã kết thúc") in page
    page = voter.post(url("session_ballot", board.session.pk), _ballot_post(board))
    assert page.status_code == 200 and not BallotCast.objects.exists()
    assert AgendaItem.objects.filter(session=board.session).exists()


def _closed_page_queries(board, session, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url("session_detail", session.pk))
    assert page.status_code == 200
    return len(ctx.captured_queries)


def test_session_page_costs_the_same_for_more_items(board):
    from guongsang.awards.models import ItemOutcome

    from .conftest import GDVH, KY_NIEM_CHUONG, LDTT

    board.opened()
    for m in board.members:
        services.vote(session=board.session, member_user=m.user, choices=board.all_yes())
    services.session_close(by=board.manager, session=board.session)
    client = login(board, board.m1.user)
    small = _closed_page_queries(board, board.session, client)

    aw = board.aw
    for i, (subject, code) in enumerate(
        [(aw.household, GDVH), (aw.individual, KY_NIEM_CHUONG), (aw.collective, LDTT)], 3
    ):
        board.proposal.items.create(subject=subject, award_type=aw.catalogue[code], order=i)
    second = services.session_create(
        by=board.manager,
        council=board.council,
        round=board.round,
        title="Phiên 2",
        date=board.session.date,
    )
    assert services.agenda_add_all(by=board.manager, session=second) == 3
    services.session_open(by=board.manager, session=second)
    ids = list(second.agenda.values_list("pk", flat=True))
    for m in board.members:
        services.vote(session=second, member_user=m.user, choices={pk: "no" for pk in ids})
    services.session_close(by=board.manager, session=second)
    assert set(second.agenda.values_list("item__outcome", flat=True)) == {ItemOutcome.FAILED}
    assert _closed_page_queries(board, second, client) == small
