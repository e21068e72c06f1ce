"""The council API: councils and sessions by access, a ballot cast once by a member only, the
tally hidden until closing, the receipt check; bad input never a 500."""

from django.test import Client

from guongsang.awards import council as services
from guongsang.awards.models import BallotCast

from .test_council_setup import board_fixture  # noqa: F401 - the ``board`` fixture

V1 = "/api/v1"


def test_councils_and_sessions_by_access(board, api):
    cast = board.aw.cast
    assert [c["id"] for c in api(board.m1.user).get(f"{V1}/councils").json()] == [board.council.pk]
    assert api(cast.b_staff).get(f"{V1}/councils").json() == []
    detail = api(board.manager).get(f"{V1}/councils/{board.council.pk}").json()
    assert detail["can_manage"] is True and len(detail["members"]) == 5
    assert api(cast.outsider).get(f"{V1}/councils/{board.council.pk}").status_code == 404
    sessions = api(board.m1.user).get(f"{V1}/councils/{board.council.pk}/sessions").json()
    assert [s["id"] for s in sessions] == [board.session.pk]
    assert api(cast.b_staff).get(f"{V1}/sessions/{board.session.pk}").status_code == 404
    assert api(board.m1.user).get(f"{V1}/sessions/{2**40}").status_code in (404, 422)
    paths = set(Client().get(f"{V1}/openapi.json").json()["paths"])
    assert {"/api/v1/sessions/{session_id}/ballot", "/api/v1/councils"} <= paths


def test_ballot_once_results_after_closing(board, api):
    board.opened()
    url = f"{V1}/sessions/{board.session.pk}"
    body = {"choices": board.all_yes()}
    voter = api(board.m1.user)
    response = voter.post(f"{url}/ballot", body)
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    assert response.json()["check"] == services.receipt_hash(receipt)[:8]
    again = voter.post(f"{url}/ballot", body)
    assert again.status_code == 400 and again.json()["code"] == "already_voted"
    assert again.json()["detail"] == ["Bạn đã bỏ phiếu rồi."]

    # Non-members: 404, nothing written.
    for user in (board.manager, board.aw.cast.outsider, board.aw.cast.b_staff):
        assert api(user).post(f"{url}/ballot", body).status_code == 404
    # Bad ballots: 400 or 422, never 500.
    other = api(board.m2.user)
    ids = board.agenda_ids()
    assert other.post(f"{url}/ballot", {"choices": {ids[0]: "yes"}}).status_code == 400
    assert (
        other.post(f"{url}/ballot", {"choices": {ids[0]: "maybe", ids[1]: "yes"}}).status_code
        == 422
    )
    assert other.post(f"{url}/ballot", {"choices": {"x": "yes"}}).status_code == 422
    assert other.post(f"{url}/ballot", {"choices": "yes"}).status_code == 422
    assert other.post(f"{url}/ballot", {}).status_code == 422
    assert BallotCast.objects.count() == 1

    detail = voter.get(url).json()
    assert detail["state"] == "open" and detail["you_voted"] is True
    assert detail["ballots_cast"] == 1 and detail["receipt_prefixes"] == []
    assert all(i["yes"] is None and i["passed"] is None for i in detail["agenda"])
    assert api(board.manager).get(url).json()["you_voted"] is None

    services.session_close(by=board.manager, session=board.session)
    detail = voter.get(url).json()
    assert detail["state"] == "closed" and detail["minutes_id"]
    assert [i["yes"] for i in detail["agenda"]] == [1, 1]
    assert all(i["passed"] is False for i in detail["agenda"])  # 1 voter of 5: no quorum
    assert detail["receipt_prefixes"] == [services.receipt_hash(receipt)[:8]]
    closed = other.post(f"{url}/ballot", {"choices": board.all_yes()})
    assert closed.status_code == 400 and closed.json()["code"] == "closed"

    check = f"{url}/receipt-check"
    assert voter.post(check, {"code": receipt}).json() == {"found": True}
    assert voter.post(check, {"code": "ABCDE-FGHJK"}).json() == {"found": False}
    assert voter.post(check, {"code": "\x00"}).json() == {"found": False}
    assert voter.post(check, {"code": "x" * 100}).status_code == 422
