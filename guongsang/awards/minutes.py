"""The minutes of a closed council session, written as a draft of type Biên bản in the documents
module: part I is the biên bản họp (who met, the agenda, the rule of each award), part II the
biên bản kiểm phiếu (ballots, the tally table per candidate, the published receipt prefixes).
Tables are body lines starting with "|", which ``plans.printing`` renders in Word and PDF; the
plans pages serve the .docx and the PDF of the draft and issue it with a register number.

Both minutes live in the one document the session links to (``Session.minutes``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.plans import services as plan_services
from guongsang.plans.models import DocType, Document, Organ

from . import council as council_services
from .models import Attendance, Ballot, BallotCast, CouncilMember, Session, SessionState


def _cell(text) -> str:
    return " ".join(str(text).replace("|", "/").split())


def _row(*cells) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _name(member: CouncilMember) -> str:
    position = f", {member.position}" if member.position else ""
    return (
        f"{member.user.full_name or member.user.username} ({member.get_role_display()}{position})"
    )


def body_lines(session: Session) -> list[str]:
    council = session.council
    members = council_services.seat_order(
        CouncilMember.objects.filter(council=council).select_related("user")
    )
    present_ids = set(
        Attendance.objects.filter(session=session, present=True).values_list("member_id", flat=True)
    )
    casts = list(BallotCast.objects.filter(session=session).values_list("member_id", "written"))
    online = {m for m, written in casts if not written}
    written_ids = {m for m, written in casts if written}
    present, written = council_services.present_count(session)
    agenda = list(
        session.agenda.select_related("item__subject", "item__award_type", "item__proposal__unit")
    )
    ballots = Ballot.objects.filter(session=session).count()
    lines = [
        _(
            "Hôm nay, ngày %(date)s, tại %(place)s, %(council)s họp phiên “%(title)s” để xét, "
            "bỏ phiếu kín các đề nghị khen thưởng%(round)s."
        )
        % {
            "date": session.date.strftime("%d/%m/%Y"),
            "place": session.place or _("trụ sở %(unit)s") % {"unit": council.unit.union_name},
            "council": council.name,
            "title": session.title,
            "round": _(" của đợt “%(r)s”") % {"r": session.round.title} if session.round_id else "",
        },
        "I. " + _("BIÊN BẢN HỌP"),
        "1. " + _("Thành phần"),
        _(
            "Hội đồng có %(m)s thành viên khi mở bỏ phiếu; có mặt (kể cả bỏ phiếu trực tuyến) "
            "%(p)s thành viên; vắng mặt có phiếu bằng văn bản %(w)s thành viên."
        )
        % {"m": session.member_count, "p": present, "w": written},
        _row(_("STT"), _("Họ và tên, chức danh"), _("Tham dự")),
    ]
    for i, member in enumerate((m for m in members if m.active or m.pk in present_ids), 1):
        if member.pk in present_ids or member.pk in online:
            status = _("Có mặt")
        elif member.pk in written_ids:
            status = _("Vắng mặt, có phiếu bằng văn bản")
        else:
            status = _("Vắng mặt")
        lines.append(_row(i, _name(member), status))
    lines.append("2. " + _("Nội dung"))
    lines.append(
        _(
            "Hội đồng xem xét %(n)s đề nghị khen thưởng, bỏ phiếu kín cho mọi đề nghị; quy định "
            "biểu quyết của từng hình thức:"
        )
        % {"n": len(agenda)}
    )
    seen = set()
    for entry in agenda:
        award_type = entry.item.award_type
        if award_type.pk not in seen:
            seen.add(award_type.pk)
            lines.append(f"- {award_type.name}: {council_services.rule_words(award_type)}")
    lines.append("II. " + _("BIÊN BẢN KIỂM PHIẾU"))
    lines.append(
        _(
            "Số phiếu phát ra: %(m)s; số phiếu thu về: %(c)s (trong đó %(w)s phiếu bằng văn bản "
            "của thành viên vắng mặt); số phiếu hợp lệ: %(b)s; số phiếu không hợp lệ: 0."
        )
        % {"m": session.member_count, "c": len(casts), "w": written, "b": ballots}
    )
    lines.append(
        _row(
            _("STT"),
            _("Đối tượng"),
            _("Đơn vị đề nghị"),
            _("Danh hiệu, hình thức"),
            _("Đồng ý"),
            _("Không đồng ý"),
            _("Không biểu quyết"),
            _("Kết quả"),
        )
    )
    for i, entry in enumerate(agenda, 1):
        lines.append(
            _row(
                i,
                entry.item.subject.name,
                entry.item.proposal.unit.name,
                entry.item.award_type.name,
                entry.yes or 0,
                entry.no or 0,
                entry.abstain or 0,
                _("Thông qua") if entry.passed else _("Không thông qua"),
            )
        )
    lines.append(_("Diễn giải kết quả:"))
    for i, entry in enumerate(agenda, 1):
        decision = council_services.decide(
            award_type=entry.item.award_type,
            member_count=session.member_count,
            present=present,
            written=written,
            yes=entry.yes or 0,
            no=entry.no or 0,
            abstain=entry.abstain or 0,
        )
        lines.append(f"- {i}. {entry.item.subject.name}: {decision.words}")
    lines.append(
        _(
            "Mã kiểm tra phiếu (%(n)s ký tự đầu của mã băm SHA-256 của mã biên nhận mỗi phiếu, "
            "theo thứ tự chữ cái; mỗi thành viên đối chiếu mã biên nhận của mình trên trang phiên "
            "họp):"
        )
        % {"n": council_services.RECEIPT_PREFIX}
    )
    lines.append(", ".join(receipt_prefixes(session)) or "—")
    lines.append(
        _("Phiên họp kết thúc bỏ phiếu lúc %(t)s cùng ngày. Biên bản được lập và thông qua.")
        % {
            "t": timezone.localtime(session.closed_at).strftime("%H giờ %M")
            if session.closed_at
            else "—"
        }
    )
    lines.append(_row(_("THƯ KÝ HỘI ĐỒNG"), _("CHỦ TỊCH HỘI ĐỒNG")))
    secretary = next((m for m in members if m.active and m.role == "secretary"), None)
    chair = next((m for m in members if m.active and m.role == "chair"), None)
    lines.append(
        _row(
            secretary.user.full_name if secretary else "",
            chair.user.full_name if chair else "",
        )
    )
    return lines


def receipt_prefixes(session: Session) -> list[str]:
    """The published list: the first characters of every ballot's receipt hash, sorted (never
    the storage order)."""
    if session.state != SessionState.CLOSED:
        return []
    return sorted(
        h[: council_services.RECEIPT_PREFIX]
        for h in Ballot.objects.filter(session=session).values_list("receipt_hash", flat=True)
    )


def minutes_save(*, session: Session, by: User) -> Document:
    """Create or rewrite the draft minutes of a closed session (a draft of type BB of the
    council's unit). Refused once the document is issued."""
    if session.state != SessionState.CLOSED:
        raise ValidationError(_("Chỉ lập biên bản khi phiên họp đã kết thúc."))
    document = session.minutes
    if document is not None and document.is_issued:
        raise ValidationError(_("Biên bản đã ban hành, không tạo lại được."))
    document = plan_services.document_save(
        by=by,
        unit=session.council.unit,
        organ=Organ.BTV,
        doc_type=DocType.BB,
        abstract=_("Họp và kiểm phiếu %(council)s: %(title)s")
        % {"council": session.council.name, "title": session.title},
        body="\n".join(body_lines(session)),
        document=document,
    )
    if session.minutes_id != document.pk:
        session.minutes = document
        session.save(update_fields=["minutes"])
    return document
