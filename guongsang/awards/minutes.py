"""The two minutes of a closed council session, written as drafts of type Biên bản in the
documents module: the biên bản họp (who met, the agenda, the rule of each award, the outcome of
each candidate) and the biên bản kiểm phiếu (ballots issued and returned, the tally per
candidate, how each result follows from its award's rule, the published receipt prefixes).
Tables are body lines starting with "|", which ``plans.printing`` renders in Word and PDF; the
plans pages serve the .docx and the PDF of each draft and issue it with a register number.

``Session.minutes`` links the first, ``Session.count_minutes`` the second."""

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


def _signatures(members: list[CouncilMember]) -> list[str]:
    secretary = next((m for m in members if m.active and m.role == "secretary"), None)
    chair = next((m for m in members if m.active and m.role == "chair"), None)
    return [
        _row(_("THƯ KÝ HỘI ĐỒNG"), _("CHỦ TỊCH HỘI ĐỒNG")),
        _row(
            secretary.user.full_name if secretary else "",
            chair.user.full_name if chair else "",
        ),
    ]


def _closed_at(session: Session) -> str:
    if not session.closed_at:
        return "—"
    at = timezone.localtime(session.closed_at)
    return _("%(h)s giờ %(m)s") % {"h": f"{at:%H}", "m": f"{at:%M}"}


def _context(session: Session) -> dict:
    council = session.council
    members = council_services.seat_order(
        CouncilMember.objects.filter(council=council).select_related("user")
    )
    casts = list(BallotCast.objects.filter(session=session).values_list("member_id", "written"))
    present, written = council_services.present_count(session)
    return {
        "members": members,
        "present_ids": set(
            Attendance.objects.filter(session=session, present=True).values_list(
                "member_id", flat=True
            )
        ),
        "online": {m for m, w in casts if not w},
        "written_ids": {m for m, w in casts if w},
        "casts": len(casts),
        "present": present,
        "written": written,
        "agenda": list(
            session.agenda.select_related(
                "item__subject", "item__award_type", "item__proposal__unit"
            )
        ),
        "place": session.place or _("trụ sở %(unit)s") % {"unit": council.unit.union_name},
    }


def meeting_lines(session: Session, ctx: dict | None = None) -> list[str]:
    """The biên bản họp."""
    ctx = ctx or _context(session)
    council = session.council
    agenda = ctx["agenda"]
    lines = [
        _(
            "Hôm nay, ngày %(date)s, tại %(place)s, %(council)s họp phiên “%(title)s” để xét, "
            "bỏ phiếu kín các đề nghị khen thưởng%(round)s."
        )
        % {
            "date": session.date.strftime("%d/%m/%Y"),
            "place": ctx["place"],
            "council": council.name,
            "title": session.title,
            "round": _(" của đợt “%(r)s”") % {"r": session.round.title} if session.round_id else "",
        },
        "I. " + _("THÀNH PHẦN"),
        _(
            "Hội đồng có %(m)s thành viên khi mở bỏ phiếu; có mặt (kể cả bỏ phiếu trực tuyến) "
            "%(p)s thành viên; vắng mặt có phiếu bằng văn bản %(w)s thành viên."
        )
        % {"m": session.member_count, "p": ctx["present"], "w": ctx["written"]},
        _row(_("STT"), _("Họ và tên, chức danh"), _("Tham dự")),
    ]
    listed = (m for m in ctx["members"] if m.active or m.pk in ctx["present_ids"])
    for i, member in enumerate(listed, 1):
        if member.pk in ctx["present_ids"] or member.pk in ctx["online"]:
            status = _("Có mặt")
        elif member.pk in ctx["written_ids"]:
            status = _("Vắng mặt, có phiếu bằng văn bản")
        else:
            status = _("Vắng mặt")
        lines.append(_row(i, _name(member), status))
    lines.append("II. " + _("NỘI DUNG"))
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
    lines.append("III. " + _("KẾT QUẢ"))
    passed = sum(1 for entry in agenda if entry.passed)
    lines.append(
        _(
            "Căn cứ kết quả kiểm phiếu (Biên bản kiểm phiếu kèm theo), Hội đồng thống nhất: "
            "%(p)s/%(n)s đề nghị được thông qua, cụ thể:"
        )
        % {"p": passed, "n": len(agenda)}
    )
    lines.append(
        _row(
            _("STT"),
            _("Đối tượng"),
            _("Đơn vị đề nghị"),
            _("Danh hiệu, hình thức"),
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
                _("Thông qua") if entry.passed else _("Không thông qua"),
            )
        )
    lines.append(
        _(
            "Hội đồng giao Thường trực tổng hợp các đề nghị được thông qua, trình cấp có thẩm "
            "quyền quyết định khen thưởng."
        )
    )
    lines.append(
        _("Phiên họp kết thúc lúc %(t)s cùng ngày; biên bản được lập và thông qua.")
        % {"t": _closed_at(session)}
    )
    return lines + _signatures(ctx["members"])


def count_lines(session: Session, ctx: dict | None = None) -> list[str]:
    """The biên bản kiểm phiếu."""
    ctx = ctx or _context(session)
    agenda = ctx["agenda"]
    ballots = Ballot.objects.filter(session=session).count()
    lines = [
        _(
            "Hôm nay, ngày %(date)s, tại %(place)s, %(council)s tiến hành kiểm phiếu bầu kín "
            "phiên họp “%(title)s”. Phiếu được bỏ trực tuyến trên Gương Sáng và do thư ký nhập "
            "phiếu bằng văn bản của thành viên vắng mặt; hệ thống tách riêng việc ai đã bỏ phiếu "
            "với nội dung phiếu."
        )
        % {
            "date": session.date.strftime("%d/%m/%Y"),
            "place": ctx["place"],
            "council": session.council.name,
            "title": session.title,
        },
        "1. " + _("Số phiếu"),
        _(
            "Số phiếu phát ra: %(m)s; số phiếu thu về: %(c)s (trong đó %(w)s phiếu bằng văn bản "
            "của thành viên vắng mặt); số phiếu hợp lệ: %(b)s; số phiếu không hợp lệ: 0."
        )
        % {"m": session.member_count, "c": ctx["casts"], "w": ctx["written"], "b": ballots},
        "2. " + _("Kết quả kiểm phiếu"),
        _row(
            _("STT"),
            _("Đối tượng"),
            _("Đơn vị đề nghị"),
            _("Danh hiệu, hình thức"),
            _("Đồng ý"),
            _("Không đồng ý"),
            _("Không biểu quyết"),
            _("Kết quả"),
        ),
    ]
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
    lines.append("3. " + _("Diễn giải kết quả"))
    for i, entry in enumerate(agenda, 1):
        decision = council_services.decide(
            award_type=entry.item.award_type,
            member_count=session.member_count,
            present=ctx["present"],
            written=ctx["written"],
            yes=entry.yes or 0,
            no=entry.no or 0,
            abstain=entry.abstain or 0,
        )
        lines.append(f"- {i}. {entry.item.subject.name}: {decision.words}")
    lines.append("4. " + _("Mã kiểm tra phiếu"))
    lines.append(
        _(
            "%(n)s ký tự đầu của mã băm SHA-256 của mã biên nhận mỗi phiếu, theo thứ tự chữ cái; "
            "mỗi thành viên đối chiếu mã biên nhận của mình trên trang phiên họp:"
        )
        % {"n": council_services.RECEIPT_PREFIX}
    )
    lines.append(", ".join(receipt_prefixes(session)) or "—")
    lines.append(
        _("Việc kiểm phiếu kết thúc lúc %(t)s cùng ngày; biên bản được lập và thông qua.")
        % {"t": _closed_at(session)}
    )
    return lines + _signatures(ctx["members"])


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
    """Create or rewrite the two draft minutes of a closed session (drafts of type BB of the
    council's unit); returns the biên bản họp. Refused once either is issued."""
    if session.state != SessionState.CLOSED:
        raise ValidationError(_("Chỉ lập biên bản khi phiên họp đã kết thúc."))
    if any(d is not None and d.is_issued for d in (session.minutes, session.count_minutes)):
        raise ValidationError(_("Biên bản đã ban hành, không tạo lại được."))
    ctx = _context(session)
    names = {"council": session.council.name, "title": session.title}
    common = {"by": by, "unit": session.council.unit, "organ": Organ.BTV, "doc_type": DocType.BB}
    meeting = plan_services.document_save(
        abstract=_("Họp %(council)s: %(title)s") % names,
        body="\n".join(meeting_lines(session, ctx)),
        document=session.minutes,
        **common,
    )
    count = plan_services.document_save(
        abstract=_("Kiểm phiếu %(council)s: %(title)s") % names,
        body="\n".join(count_lines(session, ctx)),
        document=session.count_minutes,
        **common,
    )
    if (session.minutes_id, session.count_minutes_id) != (meeting.pk, count.pk):
        session.minutes, session.count_minutes = meeting, count
        session.save(update_fields=["minutes", "count_minutes"])
    return meeting
