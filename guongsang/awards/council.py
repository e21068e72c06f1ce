"""The emulation and commendation council (Hội đồng Thi đua - Khen thưởng) and its secret
electronic ballot: members and roles, sessions with an agenda of accepted proposal items,
attendance, voting while the session is open, written votes of absent members, and closing,
which freezes the tally and decides each item by its award type's vote rule.

Secrecy. *That* a member voted (``BallotCast``) and *what* was voted (``Ballot`` with its
``BallotChoice`` rows) are written in the same transaction but share no key and carry no time;
all three have random UUIDs. The voter gets a random receipt code once, in the response to her vote;
only its SHA-256 is stored on the ballot, so she (and only whoever holds the code) can find the
ballot in the published list. Nothing is logged and nobody is notified per vote. At closing the
session's casts, ballots and choices are deleted and written again in a random order (same ids
for casts and ballots) in one transaction, so neither the physical order of the rows, SQLite's
rowids nor PostgreSQL's transaction ids (``xmin``) pair a cast with a ballot any more. One mechanism, the secret one, serves every session, also when no item's award type
asks for a secret ballot: it is simpler and never less private than an open vote.

Residual risks, said plainly:
- while a session is open, someone with direct access to the database (an administrator, a
  backup or a WAL/replica copy taken then) can pair a cast with its ballot by the transaction
  id or the row order; the shuffle at closing removes these
  traces from the live tables, not from copies taken before it;
- whoever watches writes live (statement logging on the database server, a debugger on the
  application server) sees both rows of one transaction;
- the receipt code is shown once on the voter's screen; whoever holds it can find the ballot
  (the receipt check says only that the ballot is counted, never what it says, so a receipt
  cannot prove a vote to a buyer);
- the secretary who enters an absent member's written vote sees it, as with the paper slip;
- with very few voters the tally itself may reveal votes (e.g. a unanimous result).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.audit import services as audit
from guongsang.audit.models import Action
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit, UnitKind

from .models import (
    AgendaItem,
    Attendance,
    AwardType,
    Ballot,
    BallotCast,
    BallotChoice,
    Choice,
    CommendationRound,
    Council,
    CouncilMember,
    CouncilRole,
    ItemOutcome,
    ProposalItem,
    ProposalState,
    Session,
    SessionState,
    VoteBase,
)

# Who runs a council: the unit's editors and admins (MANAGE implies EDIT in every role).
MANAGE = Perm.EDIT

# Levels that have a council: those that issue documents (its minutes are one).
COUNCIL_KINDS = {UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE}

# Receipt codes: no 0/O, 1/I/L, so a code read aloud or copied from a phone is not mistaken.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 10
# The published prefix of each receipt's hash: enough for a voter to recognise hers.
RECEIPT_PREFIX = 8
SHARE_PLACES = Decimal("0.0001")  # AwardType.quorum and .approval have four decimals


# ---- receipts -----------------------------------------------------------------------------------
def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt(code: str) -> str:
    """What the voter typed, as issued: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -\t")


def receipt_hash(code: str) -> str:
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()


def format_receipt(code: str) -> str:
    """ "ABCDE-FGHJK": easier to copy by hand."""
    return f"{code[:5]}-{code[5:]}"


# ---- the rule -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    passed: bool
    quorum_met: bool
    base: int
    words: str


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def decide(
    *,
    award_type: AwardType,
    member_count: int,
    present: int,
    written: int,
    yes: int,
    no: int,
    abstain: int,
) -> Decision:
    """Whether an agenda item passes by its award type's vote rule.

    - ``member_count``: active members when the session opened (frozen on the session).
    - ``present``: members who took part in the meeting: marked present, or voted online
      during the session (voting online is taking part). An absent member's written vote does
      not make her present, so it never makes the quorum.
    - Quorum: ``present / member_count >= award_type.quorum``; without it the item fails.
    - Approval: ``yes / base >= award_type.approval``, where the base is, by ``vote_base``:
      all members at opening; the members present plus the absent members whose written vote
      was entered (a written vote is how an absent member takes part, so she is counted on
      both sides of the share); or the valid ballots, i.e. every ballot with a choice on the
      item, "Không biểu quyết" included (an abstention is a valid ballot that does not agree).
    - Shares are compared at the four decimals the settings are stored with, so an exact share
      passes and the setting 0.6667 means two thirds (2 of 3 passes, 1 of 2 does not).
    """
    valid = yes + no + abstain
    base = {
        VoteBase.MEMBERS: member_count,
        VoteBase.PRESENT: present + written,
        VoteBase.VALID: valid,
    }.get(award_type.vote_base, member_count)
    quorum_met = member_count > 0 and _share(present, member_count) >= award_type.quorum
    if not quorum_met:
        words = _(
            "Không đủ số thành viên dự họp: %(p)s/%(m)s, cần từ %(q)s%%; không thông qua."
        ) % {"p": present, "m": member_count, "q": _percent(award_type.quorum)}
        return Decision(False, False, base, words)
    passed = base > 0 and _share(yes, base) >= award_type.approval
    base_words = VoteBase(award_type.vote_base).label.lower()
    words = _("%(yes)s/%(base)s phiếu đồng ý (%(base_words)s), cần từ %(a)s%%: %(result)s.") % {
        "yes": yes,
        "base": base,
        "base_words": base_words,
        "a": _percent(award_type.approval),
        "result": _("thông qua") if passed else _("không thông qua"),
    }
    return Decision(passed, True, base, words)


def rule_words(award_type: AwardType) -> str:
    """The award type's vote rule as this module applies it (always by secret ballot)."""
    return _(
        "Cần từ %(q)s%% thành viên hội đồng dự họp; đạt khi được từ %(a)s%% %(base)s đồng ý."
    ) % {
        "q": _percent(award_type.quorum),
        "a": _percent(award_type.approval),
        "base": VoteBase(award_type.vote_base).label.lower(),
    }


def _percent(share: Decimal) -> str:
    text = f"{(share * 100).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# ---- council and members ------------------------------------------------------------------------
def _require_manager(by: User | None, council: Council | Unit) -> None:
    unit = council if isinstance(council, Unit) else council.unit
    access.require(by, MANAGE, unit, _("Bạn không có quyền quản lý hội đồng của đơn vị này."))


def _clean_text(value: str, *, field: str, label: str, max_length: int, required=True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError({field: _("Nhập %(label)s.") % {"label": label}})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": max_length}}
        )
    return text


@transaction.atomic
def council_save(
    *, by: User | None, unit: Unit, name: str, council: Council | None = None
) -> Council:
    """Create the council of ``unit`` (one per unit) or rename ``council``."""
    _require_manager(by, unit)
    if unit.kind not in COUNCIL_KINDS or unit.valid_to is not None:
        raise ValidationError(_("Chỉ cấp Hội đang hoạt động từ xã trở lên mới lập hội đồng."))
    name = _clean_text(name, field="name", label=_("tên hội đồng"), max_length=300)
    if council is None:
        if Council.objects.filter(unit=unit).exists():
            raise ValidationError(_("Đơn vị này đã có hội đồng thi đua, khen thưởng."))
        try:
            with transaction.atomic():
                return Council.objects.create(unit=unit, name=name)
        except IntegrityError:
            raise ValidationError(_("Đơn vị này đã có hội đồng thi đua, khen thưởng.")) from None
    if council.unit_id != unit.pk:
        raise ValidationError(_("Không đổi được đơn vị của hội đồng."))
    council.name = name
    council.save(update_fields=["name"])
    return council


ROLE_ORDER = {
    CouncilRole.CHAIR: 0,
    CouncilRole.VICE: 1,
    CouncilRole.SECRETARY: 2,
    CouncilRole.MEMBER: 3,
}


def seat_order(members) -> list[CouncilMember]:
    """Chair, vice-chairs, secretary, members (the order minutes and pages list them)."""
    return sorted(members, key=lambda m: (not m.active, ROLE_ORDER.get(m.role, 9), m.pk))


def _clean_role(role: str) -> str:
    if role not in CouncilRole.values:
        raise ValidationError({"role": _("Chọn chức danh trong hội đồng.")})
    return role


@transaction.atomic
def member_add(
    *, by: User | None, council: Council, user: User, role: str, position: str = ""
) -> CouncilMember:
    """Seat ``user`` on the council (again, if she had left it)."""
    _require_manager(by, council)
    role = _clean_role(role)
    position = _clean_text(
        position, field="position", label=_("chức vụ"), max_length=200, required=False
    )
    if not user.is_active:
        raise ValidationError({"user": _("Tài khoản này đã bị khóa.")})
    member = CouncilMember.objects.select_for_update().filter(council=council, user=user).first()
    if member is not None and member.active:
        raise ValidationError({"user": _("Người này đã là thành viên hội đồng.")})
    if member is None:
        return CouncilMember.objects.create(
            council=council, user=user, role=role, position=position
        )
    member.role, member.position, member.active = role, position, True
    member.save(update_fields=["role", "position", "active"])
    return member


@transaction.atomic
def member_update(
    *, by: User | None, member: CouncilMember, role: str, position: str = ""
) -> CouncilMember:
    _require_manager(by, member.council)
    member.role = _clean_role(role)
    member.position = _clean_text(
        position, field="position", label=_("chức vụ"), max_length=200, required=False
    )
    member.save(update_fields=["role", "position"])
    return member


@transaction.atomic
def member_remove(*, by: User | None, member: CouncilMember) -> None:
    """A member who never took part in a session is deleted; one who did is kept, inactive,
    so the record of past sessions stays whole."""
    _require_manager(by, member.council)
    if (
        BallotCast.objects.filter(member=member).exists()
        or Attendance.objects.filter(member=member).exists()
    ):
        member.active = False
        member.save(update_fields=["active"])
    else:
        member.delete()


# ---- sessions and agenda ------------------------------------------------------------------------
@transaction.atomic
def session_create(
    *,
    by: User | None,
    council: Council,
    round: CommendationRound,  # noqa: A002 - the model's field name
    title: str,
    date: dt.date,
    place: str = "",
) -> Session:
    _require_manager(by, council)
    if by is None:
        raise ValidationError(_("Cần người lập phiên họp."))
    if round.unit_id != council.unit_id:
        raise ValidationError(
            {"round": _("Đợt xét khen thưởng phải do đơn vị của hội đồng tổ chức.")}
        )
    title = _clean_text(title, field="title", label=_("tên phiên họp"), max_length=300)
    place = _clean_text(place, field="place", label=_("địa điểm"), max_length=200, required=False)
    if date is None:
        raise ValidationError({"date": _("Nhập ngày họp.")})
    return Session.objects.create(
        council=council,
        round=round,
        title=title,
        date=date,
        place=place,
        created_by=by,
    )


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("council__unit").get(pk=session.pk)


def _require_draft(session: Session) -> None:
    if session.state != SessionState.DRAFT:
        raise ValidationError(_("Phiên họp đã mở bỏ phiếu, không sửa chương trình được nữa."))


def candidate_items(session: Session):
    """Items the session may put on its agenda: of proposals accepted at the council's unit in
    the session's round, still waiting for a council, on no agenda not yet closed."""
    qs = ProposalItem.objects.filter(
        proposal__state=ProposalState.ACCEPTED,
        proposal__round__unit_id=session.council.unit_id,
        outcome=ItemOutcome.PENDING,
    ).exclude(
        # On this agenda, or on another session's that has not closed yet.
        pk__in=AgendaItem.objects.filter(
            Q(session=session) | ~Q(session__state=SessionState.CLOSED)
        ).values("item_id")
    )
    if session.round_id:
        qs = qs.filter(proposal__round_id=session.round_id)
    return qs.select_related("subject", "award_type", "proposal__unit").order_by(
        "proposal__unit__path", "order", "pk"
    )


@transaction.atomic
def agenda_add_all(*, by: User | None, session: Session) -> int:
    """Put every candidate item on the agenda; returns how many were added."""
    session = _locked(session)
    _require_manager(by, session.council)
    _require_draft(session)
    start = (session.agenda.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    items = list(candidate_items(session))
    AgendaItem.objects.bulk_create(
        [AgendaItem(session=session, item=item, order=start + i) for i, item in enumerate(items)]
    )
    return len(items)


@transaction.atomic
def agenda_remove(*, by: User | None, session: Session, agenda_item: AgendaItem) -> None:
    session = _locked(session)
    _require_manager(by, session.council)
    _require_draft(session)
    if agenda_item.session_id != session.pk:
        raise ValidationError(_("Mục này không thuộc phiên họp."))
    agenda_item.delete()


@transaction.atomic
def attendance_mark(*, by: User | None, session: Session, present: set[int]) -> int:
    """Record who is present (``present``: member ids; every other active member is absent).
    Allowed until the session closes; returns the number present."""
    session = _locked(session)
    _require_manager(by, session.council)
    if session.state == SessionState.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc."))
    members = list(CouncilMember.objects.filter(council=session.council, active=True))
    unknown = set(present) - {m.pk for m in members}
    if unknown:
        raise ValidationError(_("Có người không phải thành viên hội đồng."))
    have = {a.member_id: a for a in Attendance.objects.filter(session=session)}
    for member in members:
        flag = member.pk in present
        row = have.get(member.pk)
        if row is None:
            Attendance.objects.create(session=session, member=member, present=flag)
        elif row.present != flag:
            row.present = flag
            row.save(update_fields=["present"])
    return len(present)


@transaction.atomic
def session_open(*, by: User | None, session: Session) -> Session:
    """Open the vote: freezes ``member_count`` (active members now)."""
    session = _locked(session)
    _require_manager(by, session.council)
    if session.state != SessionState.DRAFT:
        raise ValidationError(_("Phiên họp không ở trạng thái chuẩn bị."))
    if not session.agenda.exists():
        raise ValidationError(_("Chương trình phiên họp chưa có đề nghị nào."))
    count = CouncilMember.objects.filter(council=session.council, active=True).count()
    if count == 0:
        raise ValidationError(_("Hội đồng chưa có thành viên."))
    session.member_count = count
    session.state = SessionState.OPEN
    session.opened_at = timezone.now()
    session.save(update_fields=["member_count", "state", "opened_at"])
    return session


# ---- voting -------------------------------------------------------------------------------------
def _clean_choices(session: Session, choices: dict) -> dict[int, str]:
    """One valid choice for every agenda item, nothing else."""
    agenda = set(session.agenda.values_list("pk", flat=True))
    clean: dict[int, str] = {}
    for key, value in (choices or {}).items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            raise ValidationError(_("Phiếu có mục không thuộc phiên họp.")) from None
        if pk not in agenda:
            raise ValidationError(_("Phiếu có mục không thuộc phiên họp."))
        if value not in Choice.values:
            raise ValidationError(_("Phiếu có lựa chọn không hợp lệ."))
        clean[pk] = value
    if set(clean) != agenda:
        raise ValidationError(_("Hãy chọn ý kiến cho mọi đề nghị trên phiếu."))
    return clean


def _cast(*, session: Session, member: CouncilMember, choices: dict, written: bool) -> str:
    """Inside the caller's transaction (the session row locked): record that ``member`` voted
    and, without any link, what was voted. Returns the receipt code (never stored)."""
    clean = _clean_choices(session, choices)
    try:
        with transaction.atomic():
            BallotCast.objects.create(session=session, member=member, written=written)
    except IntegrityError:
        raise ValidationError(_("Bạn đã bỏ phiếu rồi."), code="already_voted") from None
    for _attempt in range(5):
        code = new_receipt()
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(session=session, receipt_hash=receipt_hash(code))
        except IntegrityError:  # a repeated code: 31^10 makes it all but impossible
            continue
        break
    else:  # pragma: no cover
        raise ValidationError(_("Không tạo được mã biên nhận, hãy thử lại."))
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, agenda_item_id=pk, choice=c) for pk, c in clean.items()]
    )
    return code


def _require_open(session: Session) -> None:
    if session.state == SessionState.DRAFT:
        raise ValidationError(_("Phiên họp chưa mở bỏ phiếu."), code="not_open")
    if session.state != SessionState.OPEN:
        raise ValidationError(_("Phiên họp đã kết thúc bỏ phiếu."), code="closed")


@transaction.atomic
def vote(*, session: Session, member_user: User, choices: dict) -> str:
    """``member_user`` casts her ballot in ``session``: ``choices`` maps every agenda item id
    to "yes", "no" or "abstain". Returns her receipt code, shown to her once. A second ballot
    of the same member is refused, also when both arrive at the same moment."""
    session = _locked(session)
    _require_open(session)
    member = CouncilMember.objects.filter(
        council=session.council, user=member_user, active=True
    ).first()
    if member is None:
        raise ValidationError(_("Bạn không phải thành viên hội đồng, không bỏ phiếu được."))
    return _cast(session=session, member=member, choices=choices, written=False)


def can_enter_written(user: User | None, session: Session) -> bool:
    """The council's secretary or chair (active), and the unit's managers."""
    if user is None:
        return True
    if access.can(user, MANAGE, session.council.unit):
        return True
    return CouncilMember.objects.filter(
        council=session.council,
        user=user,
        active=True,
        role__in=[CouncilRole.SECRETARY, CouncilRole.CHAIR],
    ).exists()


@transaction.atomic
def written_vote(
    *, by_secretary: User | None, session: Session, member: CouncilMember, choices: dict
) -> str:
    """Enter the written vote of ``member``, absent from the meeting. Returns the receipt code
    to write on her slip."""
    session = _locked(session)
    if not can_enter_written(by_secretary, session):
        raise ValidationError(
            _("Chỉ thư ký, chủ tịch hội đồng hoặc cán bộ quản lý được nhập phiếu.")
        )
    _require_open(session)
    if member.council_id != session.council_id or not member.active:
        raise ValidationError(_("Người này không phải thành viên hội đồng."))
    if Attendance.objects.filter(session=session, member=member, present=True).exists():
        raise ValidationError(_("Thành viên này có mặt: tự bỏ phiếu, không nhập phiếu vắng mặt."))
    try:
        return _cast(session=session, member=member, choices=choices, written=True)
    except ValidationError as exc:
        if exc.code == "already_voted":
            raise ValidationError(
                _("Thành viên này đã bỏ phiếu rồi."), code="already_voted"
            ) from None
        raise


def receipt_found(*, session: Session, code: str) -> bool:
    """Whether a ballot with this receipt is in the session. Never says what it says."""
    code = normalise_receipt(code)
    if len(code) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in code):
        return False
    return Ballot.objects.filter(session=session, receipt_hash=receipt_hash(code)).exists()


# ---- closing ------------------------------------------------------------------------------------
def present_count(session: Session) -> tuple[int, int]:
    """(members present, written votes of absent members); see ``decide``."""
    casts = list(BallotCast.objects.filter(session=session).values_list("member_id", "written"))
    present = set(
        Attendance.objects.filter(session=session, present=True).values_list("member_id", flat=True)
    ) | {member_id for member_id, written in casts if not written}
    written = sum(1 for member_id, w in casts if w and member_id not in present)
    return len(present), written


def _shuffle_rows(session: Session) -> None:
    """Write the session's casts, ballots and choices again in a random order (same ids for
    casts and ballots, new ids for choices), so that no storage order pairs them."""
    rng = random.SystemRandom()
    casts = list(BallotCast.objects.filter(session=session))
    ballots = list(Ballot.objects.filter(session=session))
    choices = list(
        BallotChoice.objects.filter(ballot__session=session).values_list(
            "ballot_id", "agenda_item_id", "choice"
        )
    )
    BallotChoice.objects.filter(ballot__session=session).delete()
    Ballot.objects.filter(session=session).delete()
    BallotCast.objects.filter(session=session).delete()
    for rows in (casts, ballots, choices):
        rng.shuffle(rows)
    BallotCast.objects.bulk_create(casts)
    Ballot.objects.bulk_create(ballots)
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot_id=b, agenda_item_id=a, choice=c) for b, a, c in choices]
    )


@transaction.atomic
def session_close(*, by: User | None, session: Session) -> Session:
    """Close the vote: count every agenda item, decide it by its award type's rule (``decide``),
    set the proposal items' outcome, shuffle the ballot rows and draft the minutes."""
    from . import minutes

    session = _locked(session)
    _require_manager(by, session.council)
    if session.state != SessionState.OPEN:
        raise ValidationError(_("Phiên họp không đang bỏ phiếu."))
    present, written = present_count(session)
    counts: dict[int, dict[str, int]] = {}
    for agenda_id, choice in BallotChoice.objects.filter(ballot__session=session).values_list(
        "agenda_item_id", "choice"
    ):
        counts.setdefault(agenda_id, {}).setdefault(choice, 0)
        counts[agenda_id][choice] += 1
    agenda = list(session.agenda.select_related("item__award_type"))
    for entry in agenda:
        tally = counts.get(entry.pk, {})
        entry.yes = tally.get(Choice.YES, 0)
        entry.no = tally.get(Choice.NO, 0)
        entry.abstain = tally.get(Choice.ABSTAIN, 0)
        entry.passed = decide(
            award_type=entry.item.award_type,
            member_count=session.member_count,
            present=present,
            written=written,
            yes=entry.yes,
            no=entry.no,
            abstain=entry.abstain,
        ).passed
        entry.item.outcome = ItemOutcome.PASSED if entry.passed else ItemOutcome.FAILED
        entry.item.save(update_fields=["outcome"])
    AgendaItem.objects.bulk_update(agenda, ["yes", "no", "abstain", "passed"])
    _shuffle_rows(session)
    session.state = SessionState.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["state", "closed_at"])
    # The outcome only: nothing of who voted what (the log is no channel around the ballot).
    audit.record(
        action=Action.SESSION_CLOSE,
        actor=by,
        unit=session.council.unit,
        obj=session,
        details={
            "passed": sum(1 for e in agenda if e.passed),
            "failed": sum(1 for e in agenda if not e.passed),
            "present": present,
            "written": written,
        },
    )
    if by is not None:
        minutes.minutes_save(session=session, by=by)
    return session
