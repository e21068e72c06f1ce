"""Decisions and certificates over the JSON API, with the same access rules as the pages
(``decisions.decisions_for``: the deciding unit's viewers); the public verification of a
certificate needs no token and answers only what the public page shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Path, Router, Schema

from guongsang.api.fields import Id, accepts_control_characters
from guongsang.units import access

from . import certificates, decisions
from .models import Decision, DecisionLine

router = Router(tags=["decisions"])
public_router = Router(tags=["public"], auth=None)


class DecisionErrorOut(Schema):
    detail: str


class DecisionCertificateOut(Schema):
    code: str
    verify_url: str
    revoked: bool


class DecisionLineOut(Schema):
    id: int
    subject_id: int
    subject: str
    award_type: str
    prize_multiple: Decimal | None
    prize_amount: Decimal | None
    certificate: DecisionCertificateOut | None


class DecisionOut(Schema):
    id: int
    unit_id: int
    unit: str
    year: int
    document_id: int
    number: str
    issued_on: dt.date | None
    issued: bool
    lines: list[DecisionLineOut]


class CertificateVerifyOut(Schema):
    valid: bool
    revoked: bool
    name: str
    award: str
    year: int
    decision_number: str
    decision_date: dt.date | None
    issued_by: str


def _line(request, line: DecisionLine) -> dict:
    cert = getattr(line, "certificate", None)
    return {
        "id": line.pk,
        "subject_id": line.subject_id,
        "subject": line.subject.name,
        "award_type": line.award_type.name,
        "prize_multiple": line.prize_multiple,
        "prize_amount": line.prize_amount,
        "certificate": None
        if cert is None
        else {
            "code": cert.code,
            "verify_url": certificates.verify_url(request, cert),
            "revoked": cert.revoked_at is not None,
        },
    }


def _decision(request, decision: Decision) -> dict:
    lines = decision.lines.select_related("subject", "award_type", "certificate")
    return {
        "id": decision.pk,
        "unit_id": decision.unit_id,
        "unit": decision.unit.union_name,
        "year": decision.year,
        "document_id": decision.document_id,
        "number": decision.document.symbol,
        "issued_on": decision.document.issued_on,
        "issued": decision.issued_at is not None,
        "lines": [_line(request, line) for line in lines],
    }


@router.get("/award-decisions", response=list[DecisionOut])
def list_decisions(request):
    """The decisions of the units the token holder may view, newest first (at most 100)."""
    return [_decision(request, d) for d in decisions.decisions_for(request.user)[:100]]


@router.get("/award-decisions/{decision_id}", response={200: DecisionOut, 404: DecisionErrorOut})
def decision_detail(request, decision_id: Path[Id]):
    return _decision(request, access.get_or_404(decisions.decisions_for(request.user), decision_id))


@public_router.get(
    "/public/certificates/{code}", response={200: CertificateVerifyOut, 404: DecisionErrorOut}
)
@accepts_control_characters  # a code that cannot match is simply not found, as on the page
def verify_certificate(request, code: str):
    """The public verification of a certificate's code (no token): only what the page shows."""
    certificate = certificates.verify(code[:40])
    if certificate is None:
        raise Http404
    line, decision = certificate.line, certificate.line.decision
    return {
        "valid": certificate.revoked_at is None,
        "revoked": certificate.revoked_at is not None,
        "name": line.subject.name,
        "award": line.award_type.name,
        "year": decision.year,
        "decision_number": decision.document.symbol,
        "decision_date": decision.document.issued_on,
        "issued_by": decision.unit.union_name,
    }
