"""The commendation catalogue and subjects' award histories over the JSON API. The same access
helpers (``awards.access``) and services as the pages: missing and not yours are the same 404,
a service's ``ValidationError`` is a 400 with its Vietnamese messages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema

try:
    from ninja import Status
except ImportError:  # django-ninja < 1.5 returns (status, body) tuples

    def Status(status_code, value):  # noqa: N802
        return status_code, value


from guongsang.api.fields import IsoDate, accepts_control_characters
from guongsang.core.forms import ID_MAX

from . import access, queries, services
from .models import AwardType

router = Router(tags=["awards"])
CODE = re.compile(r"[-a-zA-Z0-9_]{1,40}")


class AwardErrorOut(Schema):
    detail: str


class AwardInvalidOut(Schema):
    detail: list[str]
    code: str | None = None


ERRORS = {400: AwardInvalidOut, 404: AwardErrorOut}


class AwardRuleOut(Schema):
    kind: str
    other: str | None
    years: int
    ends_year_before: bool = Field(
        description="A streak: ending with the year before the proposal's (true) or with it"
    )
    share: Decimal | None
    severity: str
    active: bool
    text: str

    @staticmethod
    def resolve_other(obj) -> str | None:
        return obj.other.code if obj.other_id else None

    @staticmethod
    def resolve_text(obj) -> str:
        return queries.rule_words(obj)


class AwardTypeOut(Schema):
    code: str
    name: str
    kind: str
    subject_kinds: list[str]
    conferring_levels: list[str]
    quorum: Decimal
    approval: Decimal
    vote_base: str
    secret_ballot: bool
    prize_multiple: Decimal | None
    prize_amount: Decimal | None = Field(
        None, description="The prize at the base salary in force today, in đồng"
    )
    rank: int
    active: bool

    @staticmethod
    def resolve_subject_kinds(obj: AwardType) -> list[str]:
        return [k for k in ("collective", "individual", "household") if obj.applies_to(k)]


class AwardTypeDetailOut(AwardTypeOut):
    note: str
    vote_text: str
    rules: list[AwardRuleOut]

    @staticmethod
    def resolve_rules(obj: AwardType) -> list:
        return list(obj.rules.all())


class AwardOut(Schema):
    id: int
    subject_id: int
    award_type: str | None
    name: str
    year: int
    decision_number: str
    decision_date: dt.date | None
    conferred_by: str
    source: str

    @staticmethod
    def resolve_award_type(obj) -> str | None:
        return obj.award_type.code if obj.award_type_id else None


class AwardCreatedOut(AwardOut):
    warnings: list[str]

    @staticmethod
    def resolve_warnings(obj) -> list[str]:
        return [str(w) for w in getattr(obj, "warnings", [])]


class AwardIn(Schema):
    award_type: str | None = Field(
        None, max_length=40, description="Catalogue code; leave empty to give a name"
    )
    name: str = Field("", max_length=200, description="The name as written, off the catalogue")
    year: int = Field(..., ge=1945, le=2100)
    decision_number: str = Field("", max_length=60)
    decision_date: IsoDate | None = None
    conferred_by: str = Field("", max_length=200)


def _with_prize(types):
    salary = services.base_salary_on(timezone.localdate())
    for award_type in types:
        award_type.prize_amount = (
            services.prize_amount(award_type, salary=salary) if salary else None
        )
    return types


@router.get("/awards/catalogue", response=list[AwardTypeOut])
def catalogue(request):
    """Every title, form of commendation and initiative of the union's catalogue, with the
    prize at today's base salary."""
    return _with_prize(list(AwardType.objects.order_by("kind", "rank", "name")))


@router.get("/awards/catalogue/{code}", response={200: AwardTypeDetailOut, 404: AwardErrorOut})
@accepts_control_characters  # a code with them cannot match CODE: not found
def catalogue_entry(request, code: str = Path(..., max_length=40)):
    """One entry with its eligibility rules, each explained in words, and its vote rule."""
    entry = queries.catalogue().filter(code=code).first() if CODE.fullmatch(code) else None
    if entry is None:
        raise Http404
    _with_prize([entry])
    entry.vote_text = queries.vote_words(entry)
    return entry


@router.get("/subjects/{subject_id}/awards", response={200: list[AwardOut], 404: AwardErrorOut})
def subject_awards(request, subject_id: int = Path(..., ge=1, le=ID_MAX)):
    """The subject's award history, latest year first."""
    subject = access.get_subject(request.user, subject_id)
    return list(queries.history(subject))


@router.post("/subjects/{subject_id}/awards", response={201: AwardCreatedOut, **ERRORS})
def add_subject_award(request, payload: AwardIn, subject_id: int = Path(..., ge=1, le=ID_MAX)):
    """Record an award: a catalogue entry by its code, or a name as written."""
    subject = access.get_subject(request.user, subject_id, access.RECORD)
    award_type = None
    if payload.award_type:
        code = payload.award_type
        award_type = AwardType.objects.filter(code=code).first() if CODE.fullmatch(code) else None
        if award_type is None:
            return Status(
                400,
                {
                    "detail": [_("Danh mục không có mã “%(c)s”.") % {"c": code[:40]}],
                    "code": "unknown_award_type",
                },
            )
    award = services.award_add(
        subject=subject,
        by=request.user,
        award_type=award_type,
        name=payload.name,
        year=payload.year,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        conferred_by=payload.conferred_by,
    )
    return Status(201, award)


@router.delete("/awards/{award_id}", response={204: None, 404: AwardErrorOut})
def delete_award(request, award_id: int = Path(..., ge=1, le=ID_MAX)):
    award = access.get_award(request.user, award_id)
    services.award_delete(award=award, by=request.user)
    return Status(204, None)
