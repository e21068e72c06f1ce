"""Certificates (Giấy khen, Bằng khen) of issued decisions: one per awardee, each with a random
code and its QR code for the public verification page ``/xac-minh/<code>``, which shows only
the name, the award, the year, the decision and the issuing body — or that it was revoked.

Codes: 16 characters from an alphabet of 32 without look-alikes (80 bits), made with
``secrets``; unknown and malformed codes get the same "not found" page."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.audit import services as audit
from guongsang.audit.models import Action
from guongsang.units import access
from guongsang.units.access import Perm

from .models import Certificate, Decision, DecisionLine

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 characters, no 0/O, 1/I
CODE_LENGTH = 16


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str | None:
    """A typed or scanned code in its stored form, or None when it cannot be one."""
    code = "".join(ch for ch in (code or "").upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def certificates_for_decision(decision: Decision) -> list[Certificate]:
    """One certificate per line of an issued decision (made once)."""
    if decision.issued_at is None:
        raise ValidationError(_("Quyết định chưa ban hành: chưa có giấy khen, bằng khen."))
    made = []
    for line in decision.lines.filter(certificate__isnull=True):
        for _attempt in range(5):  # a collision of 80-bit codes is not expected; retry anyway
            try:
                with transaction.atomic():
                    made.append(Certificate.objects.create(line=line, code=new_code()))
                break
            except IntegrityError:
                continue
    return made


def verify(code: str) -> Certificate | None:
    code = normalise(code)
    if code is None:
        return None
    return (
        Certificate.objects.select_related(
            "line__subject", "line__award_type", "line__decision__document", "line__decision__unit"
        )
        .filter(code=code)
        .first()
    )


@transaction.atomic
def revoke(*, by: User, certificate: Certificate, reason: str) -> Certificate:
    decision = certificate.line.decision
    if not access.can(by, Perm.EDIT, decision.unit):
        raise ValidationError(_("Bạn không thể thu hồi giấy khen, bằng khen của đơn vị này."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Ghi lý do thu hồi.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason[:300]
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
        audit.record(
            action=Action.CERTIFICATE_REVOKE,
            actor=by,
            unit=decision.unit,
            obj=certificate,
            label=str(certificate.line.subject),
            details={"reason": reason[:300]},
        )
    return certificate


def verify_url(request, certificate: Certificate) -> str:
    path = reverse("verify", args=[certificate.code])
    return request.build_absolute_uri(path) if request is not None else path


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, border=2)


def pdf(request, lines: list[DecisionLine]) -> bytes:
    """The certificates of ``lines`` as one PDF, A4 landscape, one page each."""
    from weasyprint import HTML

    pages = []
    for line in lines:
        cert = line.certificate
        url = verify_url(request, cert)
        pages.append(
            {
                "line": line,
                "decision": line.decision,
                "code": cert.code,
                "url": url,
                "qr": mark_safe(qr_svg(url)),  # noqa: S308 (segno's own SVG of our URL)
            }
        )
    html = render_to_string("awards/certificate_print.html", {"pages": pages})
    return HTML(string=html).write_pdf()
