"""Decisions of commendation (quyết định khen thưởng): drafted from a closed council session's
passed items as a QĐ document of the council's unit, then issued through the documents module
(number and date from its register). Issuing writes each line into the subject's award history
(source "decision"), marks the proposal items awarded, fixes each prize from the award type's
multiple and the base salary in force on the decision's date, and tells the proposing units'
officers and the nominators.

A decision is a document like any other: its text can be edited while it is a draft, and the
lines are the list of the session's passed items when it was drafted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.audit import services as audit
from guongsang.audit.models import Action
from guongsang.notifications.services import notify
from guongsang.plans import services as plan_services
from guongsang.plans.models import Authority, DocType, Organ
from guongsang.units import access
from guongsang.units.access import Perm

from . import services
from .models import (
    AgendaItem,
    AwardSource,
    CouncilMember,
    Decision,
    DecisionLine,
    ItemOutcome,
    Session,
    SessionState,
)


def _body(session: Session, lines: list[DecisionLine], year: int) -> str:
    council = session.council
    by_type: dict = {}
    for line in lines:
        by_type.setdefault(line.award_type, []).append(line)
    out = [
        f"Căn cứ Điều lệ Hội Liên hiệp Phụ nữ Việt Nam; căn cứ kết quả phiên họp "
        f"“{session.title}” ngày {session.date:%d/%m/%Y} của {council.name};",
        "QUYẾT ĐỊNH:",
    ]
    article = 1
    for award_type, group in by_type.items():
        out.append(
            f"Điều {article}. Tặng “{award_type.name}” năm {year} cho {len(group)} tập thể, "
            "cá nhân, hộ gia đình có thành tích xuất sắc có tên dưới đây:"
        )
        out.append("| STT | Tên | Đơn vị | Thành tích |")
        for n, line in enumerate(group, start=1):
            item = line.item
            unit = item.subject.unit.name
            out.append(f"| {n} | {line.subject.name} | {unit} | {item.summary or '—'} |")
        article += 1
    out.append(
        f"Điều {article}. Tiền thưởng kèm theo được chi theo hệ số của từng danh hiệu, hình "
        "thức khen thưởng nhân với mức lương cơ sở tại thời điểm ban hành quyết định."
    )
    out.append(
        f"Điều {article + 1}. Văn phòng, các ban và đơn vị có tập thể, cá nhân, hộ gia đình có "
        "tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
    )
    return "\n".join(out)


@transaction.atomic
def decision_draft(*, by: User, session: Session) -> Decision:
    """Draft the decision of a closed session: its passed items not yet in a decision."""
    session = (
        Session.objects.select_for_update(of=("self",))  # the round is an outer join
        .select_related("council__unit", "round")
        .get(pk=session.pk)
    )
    unit = session.council.unit
    if not access.can(by, Perm.EDIT, unit):
        raise ValidationError(_("Bạn không thể lập quyết định khen thưởng của đơn vị này."))
    if session.state != SessionState.CLOSED:
        raise ValidationError(_("Phiên họp chưa kết thúc bỏ phiếu."))
    agenda = list(
        AgendaItem.objects.filter(session=session, passed=True, item__decision_line__isnull=True)
        .select_related("item__subject__unit", "item__award_type")
        .order_by("order", "pk")
    )
    if not agenda:
        raise ValidationError(_("Không còn đề nghị nào được thông qua mà chưa có quyết định."))
    year = session.round.year if session.round_id else session.date.year
    # Signed on behalf of the standing committee by its chair, who chairs the council too; the
    # officer corrects the signer on the draft (the certificates print this name).
    chair = (
        CouncilMember.objects.filter(council=session.council, role="chair", active=True)
        .select_related("user")
        .first()
    )
    document = plan_services.document_save(
        by=by,
        unit=unit,
        organ=Organ.BTV,
        doc_type=DocType.QD,
        abstract=f"Về việc khen thưởng tập thể, cá nhân, hộ gia đình năm {year}",
        body="",
        authority=Authority.TM,
        authority_of="BAN THƯỜNG VỤ",
        signer_title="CHỦ TỊCH",
        signer_name=(chair.user.full_name if chair else "")[:100],
    )
    decision = Decision.objects.create(
        session=session, unit=unit, document=document, year=year, created_by=by
    )
    lines = DecisionLine.objects.bulk_create(
        [
            DecisionLine(
                decision=decision,
                item=a.item,
                subject=a.item.subject,
                award_type=a.item.award_type,
                prize_multiple=a.item.award_type.prize_multiple,
                order=n,
            )
            for n, a in enumerate(agenda)
        ]
    )
    for line, a in zip(lines, agenda, strict=True):
        line.item = a.item
    document.body = _body(session, lines, year)
    document.save(update_fields=["body"])
    return decision


@transaction.atomic
def decision_issue(*, by: User, decision: Decision, on: dt.date | None = None) -> Decision:
    """Issue the decision's document (number and date from the register), then write every
    line into the award history with the prize in force on that date."""
    decision = (
        Decision.objects.select_for_update().select_related("unit", "document").get(pk=decision.pk)
    )
    if decision.issued_at is not None:
        raise ValidationError(_("Quyết định đã được ban hành."))
    if not decision.document.signer_name.strip():
        raise ValidationError(
            _(
                "Hãy ghi họ tên người ký trên dự thảo quyết định trước khi ban hành: giấy khen, "
                "bằng khen in tên người ký."
            )
        )
    document = plan_services.document_issue(document=decision.document, by=by, on=on)
    decision.document = document
    day = document.issued_on
    salary = services.base_salary_on(day)
    body = decision.unit.union_name
    lines = list(
        decision.lines.select_related(
            "award_type", "subject__unit", "item__proposal__unit", "item__nomination__proposed_by"
        )
    )
    for line in lines:
        line.prize_amount = services.prize_amount(line.award_type, day, salary=salary)
        line.award = services.award_add(
            subject=line.subject,
            by=None,  # the decision is the authority; the issuer's right was checked above
            award_type=line.award_type,
            year=decision.year,
            decision_number=document.symbol,
            decision_date=day,
            conferred_by=body,
            source=AwardSource.DECISION,
        )
        line.save(update_fields=["prize_amount", "award"])
        line.item.outcome = ItemOutcome.AWARDED
        line.item.save(update_fields=["outcome"])
    decision.issued_at = timezone.now()
    decision.save(update_fields=["issued_at"])
    audit.record(
        action=Action.DECISION_ISSUE,
        actor=by,
        unit=decision.unit,
        obj=decision,
        label=document.symbol,
        details={
            "number": document.symbol,
            "issued_on": day.isoformat(),
            "lines": len(lines),
            "prize_total": str(sum(line.prize_amount or 0 for line in lines)),
        },
    )
    from .certificates import certificates_for_decision

    certificates_for_decision(decision)
    # Each proposing unit's officers, on their proposal's page; each nominator on her subject's.
    text = _("Quyết định %(n)s khen thưởng năm %(y)s đã ban hành: %(s)s — %(t)s.")
    by_proposal: dict = {}
    for line in lines:
        by_proposal.setdefault(line.item.proposal, []).append(line)
    for proposal, group in by_proposal.items():
        notify(
            users=plan_services.officers_of([proposal.unit]),
            text=_("Quyết định %(n)s: %(k)s đối tượng trong đề nghị của đơn vị được khen thưởng.")
            % {"n": document.symbol, "k": len(group)},
            link=reverse("awards:proposal_detail", args=[proposal.pk]),
        )
    for line in lines:
        nomination = line.item.nomination
        if nomination is not None and nomination.proposed_by_id is not None:
            notify(
                users=[nomination.proposed_by],
                text=text
                % {
                    "n": document.symbol,
                    "y": decision.year,
                    "s": line.subject.name,
                    "t": line.award_type.name,
                },
                link=reverse("exemplars:subject_detail", args=[line.subject_id]),
            )
    return decision


def decisions_for(user: User | None):
    """Decisions of the units the user may view."""
    return Decision.objects.filter(access.scope_q(user, Perm.VIEW, "unit__")).select_related(
        "unit", "document", "session"
    )


def prize_total(decision: Decision) -> Decimal:
    return decision.lines.aggregate(total=Sum("prize_amount"))["total"] or Decimal(0)


def payout_xlsx(decision: Decision) -> bytes:
    """The payout list: one row per awardee with the award, its multiple and the amount, and the
    total; user text as text."""
    import io

    from openpyxl import Workbook

    from guongsang.core.spreadsheets import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "Chi tiền thưởng"
    append_row(ws, [f"Danh sách chi tiền thưởng theo Quyết định {decision.document.symbol}"])
    append_row(
        ws,
        ["STT", "Tên", "Đơn vị", "Danh hiệu, hình thức", "Hệ số", "Số tiền (đồng)", "Ký nhận"],
        bold=True,
    )
    lines = decision.lines.select_related("subject__unit", "award_type")
    for n, line in enumerate(lines, start=1):
        append_row(
            ws,
            [
                n,
                line.subject.name,
                line.subject.unit.name,
                line.award_type.name,
                line.prize_multiple,
                line.prize_amount,
                "",
            ],
        )
    append_row(ws, ["", "Tổng cộng", "", "", "", prize_total(decision), ""], bold=True)
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
