"""Councils, sessions and the secret ballot over the JSON API: the same access helpers
(``council_access``) and services (``council``) as the pages. Missing and not yours are the same
404; a service's ``ValidationError`` is a 400 with its Vietnamese messages and its code
("already_voted", "not_open", "closed"). A session's tally and the published receipt prefixes
appear only once it is closed; the receipt code is in the response to the vote and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Path, Router, Schema

try:
    from ninja import Status
except ImportError:  # django-ninja < 1.5 returns (status, body) tuples

    def Status(status_code, value):  # noqa: N802
        return status_code, value


from guongsang.api.fields import accepts_control_characters
from guongsang.core.forms import ID_MAX

from . import council as services
from . import council_access as caccess
from . import minutes
from .models import BallotCast, Session, SessionState

router = Router(tags=["council"])


class CouncilErrorOut(Schema):
    detail: str


class CouncilInvalidOut(Schema):
    detail: list[str]
    code: str | None = None


ERRORS = {400: CouncilInvalidOut, 404: CouncilErrorOut}


class CouncilOut(Schema):
    id: int
    name: str
    unit_id: int
    unit: str

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.union_name


class CouncilMemberOut(Schema):
    id: int
    user_id: int
    full_name: str
    role: str
    role_label: str
    position: str
    active: bool

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class CouncilDetailOut(CouncilOut):
    members: list[CouncilMemberOut]
    can_manage: bool

    @staticmethod
    def resolve_members(obj) -> list:
        return services.seat_order(obj.members.select_related("user"))


class SessionOut(Schema):
    id: int
    council_id: int
    round_id: int | None
    title: str
    date: dt.date
    place: str
    state: str
    member_count: int
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class SessionAgendaItemOut(Schema):
    id: int
    proposal_item_id: int
    subject: str
    proposing_unit: str
    award_type: str
    vote_rule: str
    yes: int | None = Field(None, description="Only once the session is closed")
    no: int | None = None
    abstain: int | None = None
    passed: bool | None = None
    result_text: str | None = None


class SessionDetailOut(SessionOut):
    ballots_cast: int
    you_voted: bool | None = Field(None, description="None when you hold no seat")
    agenda: list[SessionAgendaItemOut]
    receipt_prefixes: list[str] = Field(
        description="First characters of each ballot's receipt hash, sorted; once closed"
    )
    minutes_id: int | None = Field(
        None, description="The biên bản họp (a BB draft in /documents), once closed"
    )
    count_minutes_id: int | None = Field(
        None, description="The biên bản kiểm phiếu (a BB draft in /documents), once closed"
    )


class BallotIn(Schema):
    choices: dict[int, Literal["yes", "no", "abstain"]] = Field(
        ...,
        description="Every agenda item id of the session → yes, no or abstain",
        # The keys are ids: said so, or a generated client would send any text as a key.
        json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]{0,8}$"}},
    )


class BallotReceiptOut(Schema):
    receipt: str = Field(description="Shown once: keep it to check the ballot is counted")
    check: str = Field(description="The ballot's entry in the published receipt prefixes")


class BallotCheckIn(Schema):
    code: str = Field(..., max_length=20)


class BallotCheckOut(Schema):
    found: bool


@router.get("/councils", response=list[CouncilOut])
def councils(request):
    """Councils of the units the token holder sees, and those she sits on."""
    return list(caccess.councils_for(request.user).order_by("unit__path")[:500])


@router.get("/councils/{council_id}", response={200: CouncilDetailOut, 404: CouncilErrorOut})
def council_detail(request, council_id: int = Path(..., ge=1, le=ID_MAX)):
    council = caccess.get_council(request.user, council_id)
    council.can_manage = caccess.can_manage(request.user, council)
    return council


@router.get(
    "/councils/{council_id}/sessions", response={200: list[SessionOut], 404: CouncilErrorOut}
)
def council_sessions(request, council_id: int = Path(..., ge=1, le=ID_MAX)):
    council = caccess.get_council(request.user, council_id)
    return list(council.sessions.order_by("-date", "-pk")[:200])


def _session_out(request, session: Session) -> dict:
    closed = session.state == SessionState.CLOSED
    agenda = list(
        session.agenda.select_related(
            "item__subject", "item__award_type", "item__proposal__unit"
        ).order_by("order", "pk")
    )
    if closed:
        present, written = services.present_count(session)
    seat = caccess.seat(request.user, session.council)
    items = []
    for entry in agenda:
        row = {
            "id": entry.pk,
            "proposal_item_id": entry.item_id,
            "subject": entry.item.subject.name,
            "proposing_unit": entry.item.proposal.unit.name,
            "award_type": entry.item.award_type.code,
            "vote_rule": services.rule_words(entry.item.award_type),
        }
        if closed:
            decision = services.decide(
                award_type=entry.item.award_type,
                member_count=session.member_count,
                present=present,
                written=written,
                yes=entry.yes or 0,
                no=entry.no or 0,
                abstain=entry.abstain or 0,
            )
            row |= {
                "yes": entry.yes,
                "no": entry.no,
                "abstain": entry.abstain,
                "passed": entry.passed,
                "result_text": decision.words,
            }
        items.append(row)
    return {
        **{f: getattr(session, f) for f in SessionOut.model_fields},
        "ballots_cast": BallotCast.objects.filter(session=session).count(),
        "you_voted": (
            BallotCast.objects.filter(session=session, member=seat).exists() if seat else None
        ),
        "agenda": items,
        "receipt_prefixes": minutes.receipt_prefixes(session) if closed else [],
        "minutes_id": session.minutes_id if closed else None,
        "count_minutes_id": session.count_minutes_id if closed else None,
    }


@router.get("/sessions/{session_id}", response={200: SessionDetailOut, 404: CouncilErrorOut})
def session_detail(request, session_id: int = Path(..., ge=1, le=ID_MAX)):
    """A session with its agenda; the tally, each item's result and the receipt prefixes only
    once it is closed."""
    return _session_out(request, caccess.get_session(request.user, session_id))


@router.post("/sessions/{session_id}/ballot", response={201: BallotReceiptOut, **ERRORS})
def cast_ballot(request, payload: BallotIn, session_id: int = Path(..., ge=1, le=ID_MAX)):
    """Cast the token holder's secret ballot (an active member of the council only). The
    receipt code is returned here once and stored nowhere."""
    session, _member = caccess.get_voting_session(request.user, session_id)
    code = services.vote(session=session, member_user=request.user, choices=payload.choices)
    return Status(
        201,
        {
            "receipt": services.format_receipt(code),
            "check": services.receipt_hash(code)[: services.RECEIPT_PREFIX],
        },
    )


@router.post("/sessions/{session_id}/receipt-check", response={200: BallotCheckOut, **ERRORS})
@accepts_control_characters  # a receipt with them is simply not found
def check_receipt(request, payload: BallotCheckIn, session_id: int = Path(..., ge=1, le=ID_MAX)):
    """Whether a ballot with this receipt code is counted in the session (never what it says)."""
    session = caccess.get_session(request.user, session_id)
    return {"found": services.receipt_found(session=session, code=payload.code)}
