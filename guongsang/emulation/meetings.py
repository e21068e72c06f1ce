"""The block's year-end meeting (họp cụm, khối thi đua): its record with the vote on the leading
unit, and the proposal of that unit for the Cờ thi đua or a Bằng khen through the commendation
proposals of the organiser (``awards.proposals``).

Rights: the organiser's officers (EDIT on the organiser) and the block leader's (EDIT on the
leader) record the meeting; putting the leading unit into a proposal of the organiser needs
what ``awards.proposals.item_add`` needs (EDIT on the organiser, the proposal still editable)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.audit import services as audit
from guongsang.audit.models import Action
from guongsang.awards import proposals as award_proposals
from guongsang.awards.models import (
    AwardKind,
    AwardType,
    CommendationRound,
    Proposal,
    ProposalState,
)
from guongsang.core.forms import refuse_control_characters
from guongsang.exemplars import services as ex_services
from guongsang.exemplars.models import Subject, SubjectKind
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit

from . import ranking
from .models import Block, BlockMeeting, BlockMember
from .services import points_text

MAX_VOTES = 10_000  # a PositiveSmallIntegerField holds 32767; no block casts more ballots
PLACE_MAX, NAME_MAX, CONCLUSION_MAX = 200, 100, 10_000


def can_record(user: User | None, block: Block) -> bool:
    """The organiser's officers, or the block leader's."""
    if user is None:
        return False
    if access.can(user, Perm.EDIT, block.organiser):
        return True
    return block.leader is not None and access.can(user, Perm.EDIT, block.leader)


def can_propose(user: User | None, block: Block) -> bool:
    return user is not None and access.can(user, Perm.EDIT, block.organiser)


def award_types_for(block: Block):
    """What a block may propose its leading unit for: active titles and forms for collectives
    conferred by the organiser's level or a level above it (Cờ thi đua, Bằng khen)."""
    organiser = block.organiser
    kinds = set(
        Unit.objects.filter(path__in=organiser.ancestor_paths()).values_list("kind", flat=True)
    )
    kinds.add(organiser.kind)
    return [
        t
        for t in AwardType.objects.filter(
            active=True, for_collective=True, kind__in=[AwardKind.TITLE, AwardKind.FORM]
        ).order_by("-rank", "name")
        if kinds & set(t.conferring_levels or [])
    ]


def _text(value: str | None, field: str, errors: dict, *, max_length: int, required: bool):
    value = " ".join((value or "").split()) if field != "conclusion" else (value or "").strip()
    try:
        refuse_control_characters(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return value
    if required and not value:
        errors.setdefault(field, []).append(_("Không được để trống."))
    elif len(value) > max_length:
        errors.setdefault(field, []).append(
            _("Tối đa %(n)s ký tự (đang có %(m)s).") % {"n": max_length, "m": len(value)}
        )
    return value


def _unit_id(key) -> int | None:
    if isinstance(key, Unit):
        return key.pk
    try:
        return int(str(key))
    except (TypeError, ValueError):
        return None


@transaction.atomic
def meeting_record(
    *,
    by: User,
    block: Block,
    held_on: dt.date,
    place: str,
    chair_name: str,
    secretary_name: str,
    units_present: int,
    tally: dict,
    votes_cast: int,
    leading_unit: Unit | None,
    award_type: AwardType | None,
    conclusion: str = "",
) -> BlockMeeting:
    """Record (or correct) the block's meeting: who attended, the votes for each unit named
    in ``tally`` ({unit or unit id: votes}), the leading unit (a member, with the most votes),
    what it is proposed for, and the conclusions. Once the leading unit has been put into a
    commendation proposal, the unit and the award stay as proposed."""
    if not can_record(by, block):
        raise ValidationError(
            _("Chỉ văn phòng đơn vị tổ chức hoặc đơn vị cụm trưởng ghi kết quả họp cụm, khối.")
        )
    block = Block.objects.select_for_update().get(pk=block.pk)
    errors: dict[str, list[str]] = {}
    members = {
        m.unit_id: m.unit for m in BlockMember.objects.filter(block=block).select_related("unit")
    }
    place = _text(place, "place", errors, max_length=PLACE_MAX, required=True)
    chair_name = _text(chair_name, "chair_name", errors, max_length=NAME_MAX, required=True)
    secretary_name = _text(
        secretary_name, "secretary_name", errors, max_length=NAME_MAX, required=True
    )
    conclusion = _text(conclusion, "conclusion", errors, max_length=CONCLUSION_MAX, required=False)
    if held_on is None:
        errors.setdefault("held_on", []).append(_("Nhập ngày họp."))
    elif held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(_("Ngày họp không được sau hôm nay."))
    elif held_on.year not in (block.year, block.year + 1):
        errors.setdefault("held_on", []).append(
            _("Cuộc họp tổng kết năm %(y)s phải họp trong năm %(y)s hoặc đầu năm sau.")
            % {"y": block.year}
        )
    if units_present is None or not (1 <= units_present <= len(members)):
        errors.setdefault("units_present", []).append(
            _("Số đơn vị dự họp phải từ 1 đến %(n)s (số đơn vị của cụm, khối).")
            % {"n": len(members)}
        )
    if votes_cast is None or not (0 <= votes_cast <= MAX_VOTES):
        errors.setdefault("votes_cast", []).append(
            _("Số phiếu phải từ 0 đến %(n)s.") % {"n": MAX_VOTES}
        )
        votes_cast = None
    clean_tally: dict[str, int] = {}
    for key, votes in (tally or {}).items():
        unit_id = _unit_id(key)
        if unit_id not in members:
            errors.setdefault("tally", []).append(
                _("Chỉ bầu cho đơn vị trong cụm, khối (%(u)s không thuộc cụm, khối).")
                % {"u": key.name if isinstance(key, Unit) else key}
            )
            continue
        if votes is None or votes == 0:
            continue
        name = members[unit_id].name
        if not isinstance(votes, int) or votes < 0:
            errors.setdefault("tally", []).append(
                _("%(u)s: số phiếu phải là số nguyên không âm.") % {"u": name}
            )
        elif votes_cast is not None and votes > votes_cast:
            errors.setdefault("tally", []).append(
                _("%(u)s: %(v)s phiếu, nhiều hơn số phiếu bầu (%(n)s).")
                % {"u": name, "v": votes, "n": votes_cast}
            )
        else:
            clean_tally[str(unit_id)] = votes
    total_votes = sum(clean_tally.values())
    if votes_cast is not None and total_votes > votes_cast:
        errors.setdefault("tally", []).append(
            _("Tổng số phiếu các đơn vị (%(s)s) nhiều hơn số phiếu bầu (%(n)s).")
            % {"s": total_votes, "n": votes_cast}
        )
    if leading_unit is not None:
        if leading_unit.pk not in members:
            errors.setdefault("leading_unit", []).append(
                _("Đơn vị dẫn đầu phải là đơn vị trong cụm, khối.")
            )
        elif clean_tally and clean_tally.get(str(leading_unit.pk), 0) < max(clean_tally.values()):
            errors.setdefault("leading_unit", []).append(
                _("Đơn vị dẫn đầu phải là đơn vị được nhiều phiếu nhất.")
            )
    if award_type is not None:
        if leading_unit is None:
            errors.setdefault("leading_unit", []).append(
                _("Chọn đơn vị dẫn đầu để đề nghị khen thưởng.")
            )
        if award_type not in award_types_for(block):
            errors.setdefault("award_type", []).append(
                _(
                    "“%(t)s” không phải danh hiệu, hình thức khen thưởng cho tập thể do cấp %(o)s "
                    "hoặc cấp trên tặng."
                )  # fmt: skip
                % {"t": award_type.name, "o": block.organiser.name}
            )
    meeting = BlockMeeting.objects.filter(block=block).first()
    if meeting is not None and meeting.proposal_item_id is not None:
        if (meeting.leading_unit_id, meeting.award_type_id) != (
            getattr(leading_unit, "pk", None),
            getattr(award_type, "pk", None),
        ):
            errors.setdefault("leading_unit", []).append(
                _("Đơn vị dẫn đầu đã được đề nghị khen thưởng; không đổi đơn vị, hình thức được.")
            )
    if errors:
        raise ValidationError(errors)
    if meeting is None:
        meeting = BlockMeeting(block=block)
    meeting.held_on, meeting.place = held_on, place
    meeting.chair_name, meeting.secretary_name = chair_name, secretary_name
    meeting.units_present, meeting.votes_cast = units_present, votes_cast
    meeting.tally = clean_tally
    meeting.leading_unit, meeting.award_type = leading_unit, award_type
    meeting.conclusion = conclusion
    meeting.recorded_by = by
    meeting.save()
    audit.record(
        action=Action.BLOCK_MEETING,
        actor=by,
        unit=block.organiser,
        obj=block,
        label=str(block),
        details={
            "leading_unit": leading_unit.name if leading_unit is not None else "",
            "votes_for": clean_tally.get(str(getattr(leading_unit, "pk", "")), 0),
            "votes_cast": votes_cast,
        },
    )
    return meeting


def tally_rows(meeting: BlockMeeting, members: list[Unit] | None = None) -> list[tuple]:
    """(unit, votes, share of the votes cast in %) for every unit voted for, most votes first."""
    if members is None:
        members = [m.unit for m in meeting.block.members.select_related("unit")]
    by_id = {u.pk: u for u in members}
    rows = []
    for key, votes in (meeting.tally or {}).items():
        unit = by_id.get(_unit_id(key))
        if unit is None:
            continue
        share = round(100 * votes / meeting.votes_cast, 1) if meeting.votes_cast else 0
        rows.append((unit, votes, share))
    rows.sort(key=lambda r: (-r[1], r[0].name_folded))
    return rows


def collective_subject(*, by: User | None, unit: Unit) -> Subject:
    """The collective subject that is the union unit ``unit`` (``Subject.linked_unit``), made
    through ``exemplars.services.subject_create`` under the unit's parent when there is none
    (a same-named collective there is taken as it)."""
    found = (
        Subject.objects.filter(kind=SubjectKind.COLLECTIVE, linked_unit=unit)
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    manager = unit.parent or unit
    try:
        with transaction.atomic():
            return ex_services.subject_create(
                by=by,
                unit=manager,
                kind=SubjectKind.COLLECTIVE,
                name=unit.union_name,
                linked_unit=unit,
            )
    except ex_services.DuplicateSubject as exc:
        return exc.matches[0]


def ranking_note(meeting: BlockMeeting) -> tuple[str, str]:
    """(summary, achievements) of the proposal item: the block's ranking and the vote."""
    block = meeting.block
    unit = meeting.leading_unit
    rows = ranking.block_ranking(block)
    mine = next((r for r in rows if r.score.unit_id == unit.pk), None)
    votes = (meeting.tally or {}).get(str(unit.pk), 0)
    place = (
        _("xếp thứ %(r)s/%(n)s với %(p)s điểm (%(b)s)")
        % {
            "r": mine.rank,
            "n": len(rows),
            "p": points_text(mine.score.final_total),
            "b": mine.band_label,
        }
        if mine
        else _("chưa có điểm chốt")
    )
    summary = _(
        "Đơn vị dẫn đầu %(block)s năm %(y)s: %(place)s; được %(v)s/%(c)s phiếu bầu tại cuộc họp "
        "cụm, khối ngày %(d)s."
    ) % {
        "block": block.name,
        "y": block.year,
        "place": place,
        "v": votes,
        "c": meeting.votes_cast,
        "d": meeting.held_on.strftime("%d/%m/%Y"),
    }
    lines = [
        _("Kết quả chấm điểm thi đua %(block)s năm %(y)s:") % {"block": block.name, "y": block.year}
    ]
    for r in rows:
        lines.append(
            f"{r.rank}. {r.score.unit.name}: {points_text(r.score.final_total)} ({r.band_label})"
        )
    return summary[:500], "\n".join(lines)


@transaction.atomic
def meeting_propose(*, by: User, meeting: BlockMeeting, proposal: Proposal) -> BlockMeeting:
    """Put the meeting's leading unit, as a collective subject, into ``proposal`` (a proposal
    of the block's organiser) for the meeting's award type, with a note citing the block's
    ranking and the vote; the item is kept on the meeting."""
    # The row alone under the lock (PostgreSQL refuses FOR UPDATE over the nullable joins).
    BlockMeeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk").get()
    meeting = BlockMeeting.objects.select_related(
        "block__organiser", "leading_unit", "award_type"
    ).get(pk=meeting.pk)
    block = meeting.block
    if not can_propose(by, block):
        raise ValidationError(_("Chỉ văn phòng đơn vị tổ chức đề nghị khen thưởng đơn vị dẫn đầu."))
    if meeting.proposal_item_id is not None:
        raise ValidationError(_("Đơn vị dẫn đầu đã được đưa vào đề nghị khen thưởng."))
    if meeting.leading_unit is None or meeting.award_type is None:
        raise ValidationError(
            _("Ghi đơn vị dẫn đầu và hình thức đề nghị khen thưởng trong kết quả họp trước.")
        )
    if proposal.unit_id != block.organiser_id:
        raise ValidationError(
            {"proposal": _("Chọn một đề nghị khen thưởng của %(u)s.") % {"u": block.organiser.name}}
        )
    subject = collective_subject(by=by, unit=meeting.leading_unit)
    summary, achievements = ranking_note(meeting)
    item = award_proposals.item_add(
        by=by,
        proposal=proposal,
        subject=subject,
        award_type=meeting.award_type,
        summary=summary,
        achievements=achievements,
    )
    meeting.proposal_item = item
    meeting.save(update_fields=["proposal_item"])
    return meeting


@transaction.atomic
def meeting_propose_in_round(
    *,
    by: User,
    meeting: BlockMeeting,
    round: CommendationRound,  # noqa: A002
) -> BlockMeeting:
    """The same into the organiser's proposal of ``round``, opened if it has none yet."""
    proposal = award_proposals.proposal_open(by=by, round=round, unit=meeting.block.organiser)
    return meeting_propose(by=by, meeting=meeting, proposal=proposal)


def open_proposals(user: User | None, block: Block):
    """The organiser's proposals the user may still add to (drafted or returned, the round
    open), newest round first."""
    from guongsang.awards import proposal_access

    return (
        proposal_access.proposals_for(user, Perm.EDIT)
        .filter(
            unit=block.organiser,
            state__in=[ProposalState.DRAFT, ProposalState.RETURNED],
            round__closed_at__isnull=True,
        )
        .order_by("-round__year", "-round__deadline", "-pk")
    )


def open_rounds(user: User | None, block: Block):
    """Rounds still taking proposals that the organiser may propose in (run by it or a unit
    above) and where it has no proposal yet."""
    from guongsang.awards import proposal_access

    organiser = block.organiser
    return (
        proposal_access.rounds_for(user)
        .filter(
            unit__path__in=[*organiser.ancestor_paths(), organiser.path],
            closed_at__isnull=True,
            deadline__gte=timezone.localdate(),
        )
        .exclude(proposals__unit=organiser)
        .order_by("-year", "deadline", "pk")
    )
