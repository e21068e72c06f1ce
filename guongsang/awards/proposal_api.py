"""Commendation rounds and proposals over the JSON API: the same access helpers
(``proposal_access``) and services (``proposals``) as the pages. Missing and not yours are the
same 404; a service's ``ValidationError`` is a 400 with its Vietnamese messages and its code
("stale" when someone else acted first)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

try:
    from ninja import Status
except ImportError:  # django-ninja < 1.5 returns (status, body) tuples

    def Status(status_code, value):  # noqa: N802
        return status_code, value


from guongsang.api.fields import IsoDate, Pagination
from guongsang.core.forms import ID_MAX
from guongsang.exemplars import access as ex_access
from guongsang.units import access as unit_access
from guongsang.units.access import Perm

from . import proposal_access as pa
from . import proposals
from .models import AwardType, Proposal

router = Router(tags=["awards"])
CODE = re.compile(r"[-a-zA-Z0-9_]{1,40}")


class ProposalErrorOut(Schema):
    detail: str


class ProposalInvalidOut(Schema):
    detail: list[str]
    code: str | None = None


ERRORS = {400: ProposalInvalidOut, 404: ProposalErrorOut}


class ProposalRoundOut(Schema):
    id: int
    title: str
    unit_id: int
    unit: str
    year: int
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    closed: bool
    award_types: list[str]
    note: str

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.union_name

    @staticmethod
    def resolve_closed(obj) -> bool:
        return obj.closed_at is not None

    @staticmethod
    def resolve_award_types(obj) -> list[str]:
        return [t.code for t in obj.award_types.all()]


class ProposalFindingOut(Schema):
    kind: str
    severity: str
    ok: bool
    message: str


class ProposalItemOut(Schema):
    id: int
    subject_id: int
    subject: str
    subject_kind: str
    award_type: str
    summary: str
    achievements: str
    nomination_id: int | None
    eligibility: list[ProposalFindingOut]
    outcome: str

    @staticmethod
    def resolve_subject(obj) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_subject_kind(obj) -> str:
        return obj.subject.kind

    @staticmethod
    def resolve_award_type(obj) -> str:
        return obj.award_type.code


class ProposalStepOut(Schema):
    action: str
    at: dt.datetime
    from_unit_id: int
    to_unit_id: int | None
    reason: str


class ProposalOut(Schema):
    id: int
    round_id: int
    unit_id: int
    unit: str
    state: str
    at_unit_id: int | None
    version: int
    submitted_at: dt.datetime | None
    document_id: int | None

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name


class ProposalDetailOut(ProposalOut):
    items: list[ProposalItemOut]
    steps: list[ProposalStepOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.select_related("subject", "award_type").order_by("order", "pk"))

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())


class ProposalRoundIn(Schema):
    unit: int = Field(..., ge=1, le=ID_MAX, description="The organising unit (EDIT)")
    title: str = Field(..., max_length=300)
    year: int = Field(..., ge=1945, le=2100)
    period_start: IsoDate
    period_end: IsoDate
    deadline: IsoDate
    award_types: list[str] = Field(
        default_factory=list, max_length=50, description="Catalogue codes; empty: all"
    )
    note: str = Field("", max_length=5000)


class ProposalOpenIn(Schema):
    unit: int = Field(..., ge=1, le=ID_MAX)


class ProposalItemIn(Schema):
    subject: int = Field(..., ge=1, le=ID_MAX)
    award_type: str = Field(..., max_length=40)
    summary: str = Field("", max_length=500)
    achievements: str = Field("", max_length=50000)


class ProposalVersionIn(Schema):
    version: int = Field(..., ge=0, le=ID_MAX)


class ProposalReviewIn(ProposalVersionIn):
    reason: str = Field("", max_length=2000)


class ProposalConsolidatedItemOut(Schema):
    item_id: int
    proposal_id: int
    unit: str
    subject_id: int
    subject: str
    subject_kind: str


class ProposalConsolidatedOut(Schema):
    award_type: str
    name: str
    items: list[ProposalConsolidatedItemOut]


def _award_type(code: str) -> AwardType:
    award_type = AwardType.objects.filter(code=code).first() if CODE.fullmatch(code) else None
    if award_type is None:
        raise ValidationError(
            _("Danh mục không có mã “%(c)s”.") % {"c": code[:40]}, code="unknown_award_type"
        )
    return award_type


def _detail(user, pk) -> Proposal:
    return pa.get_proposal(user, pk)


@router.get("/award-rounds", response=list[ProposalRoundOut])
@paginate(Pagination, page_size=50)
def round_list(request):
    """Commendation rounds of the token holder's units and of the units above them."""
    return (
        pa.rounds_for(request.user)
        .prefetch_related("award_types")
        .order_by("-year", "-deadline", "-pk")
    )


@router.post("/award-rounds", response={201: ProposalRoundOut, **ERRORS})
def round_create(request, payload: ProposalRoundIn):
    """Open a commendation round for the unit's subtree."""
    unit = unit_access.get_unit(request.user, payload.unit, Perm.EDIT)
    rnd = proposals.round_create(
        by=request.user,
        unit=unit,
        title=payload.title,
        year=payload.year,
        period_start=payload.period_start,
        period_end=payload.period_end,
        deadline=payload.deadline,
        award_types=[_award_type(code) for code in dict.fromkeys(payload.award_types)],
        note=payload.note,
    )
    return Status(201, rnd)


@router.get("/award-rounds/{round_id}", response={200: ProposalRoundOut, 404: ProposalErrorOut})
def round_detail(request, round_id: int = Path(..., ge=1, le=ID_MAX)):
    return pa.get_round(request.user, round_id)


@router.get(
    "/award-rounds/{round_id}/proposals",
    response={200: list[ProposalOut], 404: ProposalErrorOut},
)
@paginate(Pagination, page_size=100)
def round_proposals(request, round_id: int = Path(..., ge=1, le=ID_MAX)):
    """The round's proposals the token holder may see, in tree order."""
    rnd = pa.get_round(request.user, round_id)
    return pa.proposals_for(request.user).filter(round=rnd).order_by("unit_path", "pk")


@router.get(
    "/award-rounds/{round_id}/consolidated",
    response={200: list[ProposalConsolidatedOut], 404: ProposalErrorOut},
)
def round_consolidated(request, round_id: int = Path(..., ge=1, le=ID_MAX)):
    """The accepted items grouped by award type: the list before the round unit's council."""
    rnd = pa.get_round(request.user, round_id)
    if not unit_access.can(request.user, Perm.VIEW, rnd.unit):
        from django.http import Http404

        raise Http404
    return [
        {
            "award_type": award_type.code,
            "name": award_type.name,
            "items": [
                {
                    "item_id": i.pk,
                    "proposal_id": i.proposal_id,
                    "unit": i.proposal.unit.name,
                    "subject_id": i.subject_id,
                    "subject": i.subject.name,
                    "subject_kind": i.subject.kind,
                }
                for i in items
            ],
        }
        for award_type, items in proposals.consolidated(rnd)
    ]


@router.post("/award-rounds/{round_id}/proposals", response={201: ProposalDetailOut, **ERRORS})
def proposal_create(request, payload: ProposalOpenIn, round_id: int = Path(..., ge=1, le=ID_MAX)):
    """The unit's proposal in the round (created on first call, then the same one)."""
    rnd = pa.get_round(request.user, round_id)
    unit = unit_access.get_unit(request.user, payload.unit, Perm.EDIT)
    proposal = proposals.proposal_open(by=request.user, round=rnd, unit=unit)
    return Status(201, _detail(request.user, proposal.pk))


@router.get("/award-proposals", response=list[ProposalOut])
@paginate(Pagination, page_size=50)
def proposal_list(request):
    """Proposals of the token holder's subtree and those waiting at units she reviews for."""
    return pa.proposals_for(request.user).order_by("-created_at", "-pk")


@router.get("/award-proposals/queue", response=list[ProposalOut])
@paginate(Pagination, page_size=50)
def proposal_queue(request):
    """Submitted proposals waiting for the token holder's review."""
    return pa.queue_for(request.user).order_by("round__deadline", "submitted_at", "pk")


@router.get(
    "/award-proposals/{proposal_id}", response={200: ProposalDetailOut, 404: ProposalErrorOut}
)
def proposal_detail(request, proposal_id: int = Path(..., ge=1, le=ID_MAX)):
    return _detail(request.user, proposal_id)


@router.post("/award-proposals/{proposal_id}/items", response={201: ProposalItemOut, **ERRORS})
def proposal_item_add(
    request, payload: ProposalItemIn, proposal_id: int = Path(..., ge=1, le=ID_MAX)
):
    """Add a subject of the proposing unit's subtree for a title or form (catalogue code)."""
    proposal = pa.get_proposal(request.user, proposal_id, Perm.EDIT)
    subject = ex_access.get_subject(request.user, payload.subject, Perm.EDIT)
    item = proposals.item_add(
        by=request.user,
        proposal=proposal,
        subject=subject,
        award_type=_award_type(payload.award_type),
        summary=payload.summary,
        achievements=payload.achievements,
    )
    return Status(201, item)


@router.post("/award-proposals/{proposal_id}/submit", response={200: ProposalDetailOut, **ERRORS})
def proposal_submit(
    request, payload: ProposalVersionIn, proposal_id: int = Path(..., ge=1, le=ID_MAX)
):
    """Check eligibility and send it up (blocking findings: 400, one message per subject)."""
    proposal = pa.get_proposal(request.user, proposal_id, Perm.EDIT)
    proposals.proposal_submit(by=request.user, proposal=proposal, version=payload.version)
    return _detail(request.user, proposal_id)


def _review(request, proposal_id: int, action: str, payload: ProposalReviewIn):
    proposal = pa.get_proposal(request.user, proposal_id)
    proposals.review(
        by=request.user,
        proposal=proposal,
        action=action,
        version=payload.version,
        reason=payload.reason,
    )
    return _detail(request.user, proposal_id)


@router.post("/award-proposals/{proposal_id}/forward", response={200: ProposalDetailOut, **ERRORS})
def proposal_forward(
    request, payload: ProposalReviewIn, proposal_id: int = Path(..., ge=1, le=ID_MAX)
):
    """Send it up one level; at the round's unit, accept it."""
    return _review(request, proposal_id, "forward", payload)


@router.post("/award-proposals/{proposal_id}/return", response={200: ProposalDetailOut, **ERRORS})
def proposal_return(
    request, payload: ProposalReviewIn, proposal_id: int = Path(..., ge=1, le=ID_MAX)
):
    """Back to the proposing unit (reason required)."""
    return _review(request, proposal_id, "return", payload)


@router.post("/award-proposals/{proposal_id}/reject", response={200: ProposalDetailOut, **ERRORS})
def proposal_reject(
    request, payload: ProposalReviewIn, proposal_id: int = Path(..., ge=1, le=ID_MAX)
):
    """Not accepted, final (reason required)."""
    return _review(request, proposal_id, "reject", payload)
