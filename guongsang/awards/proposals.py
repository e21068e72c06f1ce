"""Rules of commendation proposals (đề nghị khen thưởng): rounds, a unit's proposal and its
items with their dossiers, and the review up the tree (submit, forward, return, reject, accept).
Every write goes through here, as for nominations (``exemplars.services``): keyword-only
arguments, one transaction each, a row lock and a version check on every transition, and an
append-only trail (``ProposalStep``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.audit import services as audit
from guongsang.audit.models import Action
from guongsang.core.forms import refuse_control_characters
from guongsang.core.uploads import clean_upload
from guongsang.exemplars.models import Exemplar, Nomination, Subject
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END, Unit

from . import eligibility
from .models import (
    AwardType,
    CommendationRound,
    Proposal,
    ProposalAction,
    ProposalFile,
    ProposalItem,
    ProposalState,
    ProposalStep,
)

S = ProposalState
A = ProposalAction
MAX_ITEMS = 500  # a proposal is a list a council reads, not an import


def _clean_text(value: str | None, field: str, *, max_length: int | None = None) -> str:
    """Text from a form or the API: control characters refused (PostgreSQL refuses NUL)."""
    value = (value or "").replace("\r\n", "\n").strip()
    try:
        refuse_control_characters(value)  # tabs and line breaks are allowed
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            {field: _("Tối đa %(n)s ký tự (đang có %(m)s).") % {"n": max_length, "m": len(value)}}
        )
    return value


# ---- rounds ---------------------------------------------------------------------------------------
@transaction.atomic
def round_create(
    *,
    by: User | None,
    unit: Unit,
    title: str,
    year: int,
    period_start: dt.date,
    period_end: dt.date,
    deadline: dt.date,
    award_types=(),
    note: str = "",
) -> CommendationRound:
    """A round of commendation opened by ``unit`` for its subtree."""
    access.require(by, Perm.EDIT, unit, _("Bạn không thể mở đợt khen thưởng cho đơn vị này."))
    errors: dict[str, list[str]] = {}
    title = " ".join(_clean_text(title, "title", max_length=300).split())
    note = _clean_text(note, "note", max_length=5000)
    if not title:
        errors.setdefault("title", []).append(_("Nhập tên đợt khen thưởng."))
    if not (1945 <= int(year or 0) <= 2100):
        errors.setdefault("year", []).append(_("Năm phải từ 1945 đến 2100."))
    if period_start and period_end and period_start > period_end:
        errors.setdefault("period_end", []).append(
            _("Ngày kết thúc kỳ thành tích trước ngày bắt đầu.")
        )
    if deadline and period_start and deadline < period_start:
        errors.setdefault("deadline", []).append(
            _("Hạn gửi đề nghị phải sau ngày bắt đầu kỳ thành tích.")
        )
    types = list(award_types)
    for award_type in types:
        if not award_type.active or unit.kind not in (award_type.conferring_levels or []):
            errors.setdefault("award_types", []).append(
                _("“%(t)s” không do cấp %(level)s tặng.")
                % {"t": award_type.name, "level": unit.get_kind_display()}
            )
    if errors:
        raise ValidationError(errors)
    rnd = CommendationRound.objects.create(
        unit=unit,
        title=title,
        year=year,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        note=note,
        created_by=by,
    )
    if types:
        rnd.award_types.set(types)
    return rnd


@transaction.atomic
def round_close(*, by: User | None, round: CommendationRound) -> CommendationRound:  # noqa: A002
    """No proposal is opened or submitted any more; those under review can still be decided."""
    access.require(by, Perm.EDIT, round.unit, _("Bạn không thể đóng đợt khen thưởng này."))
    rnd = CommendationRound.objects.select_for_update().get(pk=round.pk)
    if rnd.closed_at is None:
        rnd.closed_at = timezone.now()
        rnd.save(update_fields=["closed_at"])
    return rnd


def allowed_types(rnd: CommendationRound) -> list[AwardType]:
    """What may be proposed in the round: its list, or every active entry its unit's level may
    confer (``conferring_levels`` holds unit kinds)."""
    chosen = list(rnd.award_types.all())
    pool = chosen or list(AwardType.objects.filter(active=True))
    return [t for t in pool if t.active and rnd.unit.kind in (t.conferring_levels or [])]


# ---- proposals -------------------------------------------------------------------------------
@transaction.atomic
def proposal_open(*, by: User | None, round: CommendationRound, unit: Unit) -> Proposal:  # noqa: A002
    """The unit's proposal in the round: one per unit, created on first opening."""
    access.require(by, Perm.EDIT, unit, _("Bạn không thể lập đề nghị cho đơn vị này."))
    if not unit.is_descendant_of(round.unit):
        raise ValidationError(
            {
                "unit": _("Đợt này do %(u)s tổ chức, không bao gồm đơn vị %(n)s.")
                % {"u": round.unit.union_name, "n": unit.name}
            }
        )
    existing = Proposal.objects.filter(round=round, unit=unit).first()
    if existing is not None:
        return existing
    if round.closed_at is not None:
        raise ValidationError(_("Đợt khen thưởng đã kết thúc."))
    if round.deadline < timezone.localdate():
        raise ValidationError(
            _("Đợt khen thưởng đã hết hạn gửi đề nghị (%(d)s).")
            % {"d": round.deadline.strftime("%d/%m/%Y")}
        )
    proposal = Proposal(round=round, unit=unit, at_unit=unit, created_by=by)
    proposal.save()
    return proposal


def _locked(proposal: Proposal, version: int | None) -> Proposal:
    """Re-read the proposal under a row lock; a version that moved on means someone else acted
    first (two reviewers at the same moment: exactly one wins)."""
    # The row alone first (see exemplars.services._locked: FOR UPDATE over joins on PostgreSQL).
    Proposal.objects.select_for_update().filter(pk=proposal.pk).values_list("pk").get()
    fresh = Proposal.objects.select_related("round__unit", "unit", "at_unit").get(pk=proposal.pk)
    if version is not None and fresh.version != version:
        raise ValidationError(
            _("Đề nghị vừa được người khác thay đổi, hãy tải lại trang."), code="stale"
        )
    return fresh


def _check_editable(by: User | None, proposal: Proposal) -> None:
    access.require(by, Perm.EDIT, proposal.unit, _("Bạn không thể sửa đề nghị của đơn vị này."))
    if not proposal.editable:
        raise ValidationError(
            _("Đề nghị đã gửi đi; chỉ sửa được khi đang soạn hoặc bị trả lại."), code="state"
        )
    if proposal.round.closed_at is not None:
        raise ValidationError(_("Đợt khen thưởng đã kết thúc."), code="state")


def _touch(proposal: Proposal) -> None:
    proposal.version += 1
    proposal.save(update_fields=["version", "updated_at"])


def _check_type(
    proposal: Proposal, subject: Subject, award_type: AwardType, chosen: set[int] | None = None
) -> None:
    """``chosen``: the round's list of award type ids, when the caller has read it already."""
    rnd = proposal.round
    values = {"t": award_type.name, "k": eligibility.KIND_WORDS.get(subject.kind, subject.kind)}
    if not award_type.active:
        raise ValidationError({"award_type": _("“%(t)s” không còn được dùng.") % values})
    if chosen is None:
        chosen = set(rnd.award_types.values_list("pk", flat=True))
    if chosen and award_type.pk not in chosen:
        raise ValidationError({"award_type": _("Đợt này không xét “%(t)s”.") % values})
    if rnd.unit.kind not in (award_type.conferring_levels or []):
        raise ValidationError(
            {"award_type": _("“%(t)s” không do %(u)s tặng.") % {**values, "u": rnd.unit.union_name}}
        )
    if not award_type.applies_to(subject.kind):
        raise ValidationError({"award_type": _("“%(t)s” không dành cho %(k)s.") % values})


def _in_subtree(path: str, unit: Unit) -> bool:
    return unit.path <= path < unit.path + PATH_END


@transaction.atomic
def item_add(
    *,
    by: User | None,
    proposal: Proposal,
    subject: Subject,
    award_type: AwardType,
    summary: str = "",
    achievements: str = "",
    nomination: Nomination | None = None,
) -> ProposalItem:
    proposal = _locked(proposal, None)
    _check_editable(by, proposal)
    if not _in_subtree(subject.unit_path or subject.unit.path, proposal.unit):
        raise ValidationError(
            {"subject": _("Đối tượng không thuộc %(u)s.") % {"u": proposal.unit.name}}
        )
    _check_type(proposal, subject, award_type)
    if nomination is not None and nomination.subject_id != subject.pk:
        raise ValidationError({"nomination": _("Hồ sơ đề cử không phải của đối tượng này.")})
    if proposal.items.filter(subject=subject, award_type=award_type).exists():
        raise ValidationError(
            {
                "subject": _("%(s)s đã có trong đề nghị với “%(t)s”.")
                % {"s": subject.name, "t": award_type.name}
            }
        )
    count = proposal.items.count()
    if count >= MAX_ITEMS:
        raise ValidationError(_("Một đề nghị có tối đa %(n)s đối tượng.") % {"n": MAX_ITEMS})
    item = ProposalItem.objects.create(
        proposal=proposal,
        subject=subject,
        award_type=award_type,
        nomination=nomination,
        summary=_clean_text(summary, "summary", max_length=500),
        achievements=_clean_text(achievements, "achievements", max_length=50000),
        order=count,
    )
    _touch(proposal)
    return item


def exemplars_in_period(proposal: Proposal):
    """The exemplars the proposing unit (or a unit in its subtree) recognised in the round's
    period, their subjects in its subtree, oldest recognition first."""
    rnd, unit = proposal.round, proposal.unit
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(rnd.period_start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(rnd.period_end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return (
        Exemplar.objects.filter(
            recognised_at__gte=start,
            recognised_at__lt=end,
            subject_path__gte=unit.path,
            subject_path__lt=unit.path + PATH_END,
            recognising_unit__path__gte=unit.path,
            recognising_unit__path__lt=unit.path + PATH_END,
        )
        .select_related("subject__unit", "nomination", "movement")
        .order_by("recognised_at", "pk")
    )


@transaction.atomic
def items_from_exemplars(
    *, by: User | None, proposal: Proposal, award_type: AwardType
) -> tuple[list[ProposalItem], list[str]]:
    """Propose, in one action, the exemplars recognised in the period for ``award_type``, each
    with its nomination's achievement report. Returns (items added, what was skipped and why);
    subjects already in the proposal are skipped."""
    proposal = _locked(proposal, None)
    _check_editable(by, proposal)
    in_proposal = set(proposal.items.values_list("subject_id", flat=True))
    added: list[ProposalItem] = []
    skipped: list[str] = []
    order = proposal.items.count()
    seen: set[int] = set()
    chosen = set(proposal.round.award_types.values_list("pk", flat=True))
    for exemplar in exemplars_in_period(proposal):
        subject = exemplar.subject
        if subject.pk in in_proposal or subject.pk in seen:
            continue
        seen.add(subject.pk)
        try:
            _check_type(proposal, subject, award_type, chosen)
        except ValidationError as exc:
            skipped.append(f"{subject.name}: {' '.join(exc.messages)}")
            continue
        if order >= MAX_ITEMS:
            skipped.append(_("%(s)s: đề nghị đã đủ số đối tượng tối đa.") % {"s": subject.name})
            continue
        nomination = exemplar.nomination
        summary = _("%(cat)s được công nhận năm %(y)s, phong trào %(m)s.") % {
            "cat": exemplar.get_category_display(),
            "y": exemplar.year,
            "m": exemplar.movement.name,
        }
        added.append(
            ProposalItem(
                proposal=proposal,
                subject=subject,
                award_type=award_type,
                nomination=nomination,
                summary=summary[:500],
                achievements=nomination.achievement_report if nomination else "",
                order=order,
            )
        )
        order += 1
    ProposalItem.objects.bulk_create(added)
    if added:
        _touch(proposal)
    return added, skipped


@transaction.atomic
def item_update(
    *,
    by: User | None,
    item: ProposalItem,
    summary: str | None = None,
    achievements: str | None = None,
    award_type: AwardType | None = None,
) -> ProposalItem:
    proposal = _locked(item.proposal, None)
    _check_editable(by, proposal)
    item = ProposalItem.objects.select_related("subject__unit", "award_type").get(pk=item.pk)
    if summary is not None:
        item.summary = _clean_text(summary, "summary", max_length=500)
    if achievements is not None:
        item.achievements = _clean_text(achievements, "achievements", max_length=50000)
    if award_type is not None and award_type.pk != item.award_type_id:
        _check_type(proposal, item.subject, award_type)
        if (
            proposal.items.filter(subject=item.subject, award_type=award_type)
            .exclude(pk=item.pk)
            .exists()
        ):
            raise ValidationError(
                {"award_type": _("Đối tượng đã có trong đề nghị với danh hiệu này.")}
            )
        item.award_type = award_type
        item.eligibility = []
    item.save()
    _touch(proposal)
    return item


@transaction.atomic
def item_remove(*, by: User | None, item: ProposalItem) -> None:
    proposal = _locked(item.proposal, None)
    _check_editable(by, proposal)
    for f in item.files.all():
        transaction.on_commit(lambda f=f.file: f.delete(save=False))
    item.delete()
    _touch(proposal)


@transaction.atomic
def file_add(*, by: User | None, item: ProposalItem, upload) -> ProposalFile:
    """Evidence for an item's dossier, checked by content (``core.uploads``)."""
    proposal = _locked(item.proposal, None)
    _check_editable(by, proposal)
    clean = clean_upload(upload)
    record = ProposalFile(
        item=item,
        original_name=upload.name[:200],
        kind=clean.kind,
        size=clean.size,
        uploaded_by=by,
    )
    record.file.save(clean.name, ContentFile(clean.data), save=False)
    record.save()
    _touch(proposal)
    return record


@transaction.atomic
def file_delete(*, by: User | None, file: ProposalFile) -> None:
    proposal = _locked(file.item.proposal, None)
    _check_editable(by, proposal)
    file.file.delete(save=False)
    file.delete()
    _touch(proposal)


# ---- eligibility ---------------------------------------------------------------------------
def as_snapshot(findings) -> list[dict]:
    return [
        {"kind": f.kind, "severity": str(f.severity), "ok": f.ok, "message": str(f.message)}
        for f in findings
    ]


def level_of(finding: dict) -> str:
    """ "ok", "warn" or "block" for a stored finding."""
    return "ok" if finding.get("ok") else finding.get("severity", "warn")


def findings_for(proposal: Proposal, items: list[ProposalItem] | None = None) -> dict[int, list]:
    """{item id: findings} checked now, one ``check_many`` per award type: the items of a type
    are candidates of one another, and the items of that type in the round's other proposals
    under review or accepted count too (``pending``), so a share cap sees the whole round."""
    if items is None:
        items = list(proposal.items.select_related("subject__unit", "award_type"))
    by_type: dict[int, list[ProposalItem]] = defaultdict(list)
    for item in items:
        by_type[item.award_type_id].append(item)
    types = {
        t.pk: t
        for t in AwardType.objects.filter(pk__in=list(by_type)).prefetch_related(
            eligibility.with_rules()
        )
    }
    others: dict[int, set[int]] = defaultdict(set)
    for type_id, subject_id in (
        ProposalItem.objects.filter(
            proposal__round_id=proposal.round_id,
            proposal__state__in=[S.SUBMITTED, S.ACCEPTED],
            award_type_id__in=list(by_type),
        )
        .exclude(proposal_id=proposal.pk)
        .values_list("award_type_id", "subject_id")
    ):
        others[type_id].add(subject_id)
    out: dict[int, list] = {}
    year = proposal.round.year
    for type_id, group in by_type.items():
        found = eligibility.check_many(
            [i.subject for i in group], types[type_id], year, pending=others[type_id]
        )
        for item in group:
            out[item.pk] = found[item.subject_id]
    return out


# ---- review up the tree ------------------------------------------------------------------------
def _next_reviewer(proposal: Proposal, unit: Unit) -> Unit:
    """The parent of ``unit``, on the way to the round's unit."""
    round_unit = proposal.round.unit
    if unit.pk == round_unit.pk or unit.parent_id is None:
        return round_unit
    return unit.parent


# Review decisions go into the audit log besides the proposal's own trail.
AUDITED = {
    A.FORWARD: Action.PROPOSAL_FORWARD,
    A.ACCEPT: Action.PROPOSAL_ACCEPT,
    A.RETURN: Action.PROPOSAL_RETURN,
    A.REJECT: Action.PROPOSAL_REJECT,
}


def _step(proposal: Proposal, *, action: str, by: User, from_unit: Unit, reason: str = ""):
    step = ProposalStep.objects.create(
        proposal=proposal,
        action=action,
        by=by,
        from_unit=from_unit,
        to_unit=proposal.at_unit,
        reason=reason,
    )
    if action in AUDITED and not (action == A.ACCEPT and from_unit.pk == proposal.unit_id):
        audit.record(
            action=AUDITED[action],
            actor=by,
            unit=proposal.unit,
            obj=proposal,
            details={
                "from_unit": from_unit.name,
                "to_unit": proposal.at_unit.name,
                "reason": reason,
            },
        )
    return step


@transaction.atomic
def proposal_submit(*, by: User, proposal: Proposal, version: int | None) -> Proposal:
    """Check every item's eligibility and send the proposal to the level above (accepted at
    once when the proposing unit runs the round). A blocking finding refuses the submission,
    one message per subject; warnings are stored on the items for the reviewers."""
    proposal = _locked(proposal, version)
    _check_editable(by, proposal)
    items = list(proposal.items.select_related("subject__unit", "award_type"))
    if not items:
        raise ValidationError(_("Đề nghị chưa có đối tượng nào."), code="empty")
    found = findings_for(proposal, items)
    problems = []
    for item in items:
        item.eligibility = as_snapshot(found[item.pk])
        blocks = [f["message"] for f in item.eligibility if level_of(f) == "block"]
        if blocks:
            problems.append(
                _("%(s)s — %(t)s: %(why)s")
                % {"s": item.subject.name, "t": item.award_type.name, "why": " ".join(blocks)}
            )
    if problems:
        raise ValidationError([ValidationError(p, code="ineligible") for p in problems])
    ProposalItem.objects.bulk_update(items, ["eligibility"])
    from_unit = proposal.unit
    round_unit = proposal.round.unit
    proposal.submitted_at = timezone.now()
    proposal.version += 1
    if proposal.unit_id == round_unit.pk:
        proposal.state = S.ACCEPTED
        proposal.at_unit = round_unit
        proposal.save()
        _step(proposal, action=A.SUBMIT, by=by, from_unit=from_unit)
        _step(proposal, action=A.ACCEPT, by=by, from_unit=round_unit)
    else:
        proposal.state = S.SUBMITTED
        proposal.at_unit = _next_reviewer(proposal, proposal.unit)
        proposal.save()
        _step(proposal, action=A.SUBMIT, by=by, from_unit=from_unit)
        _notify(
            proposal,
            proposal.at_unit,
            _("Đề nghị khen thưởng mới chờ xét: %(p)s") % {"p": proposal},
        )
    if by is not None:
        from . import dossier

        # The tờ trình draft follows the list; a document the register refuses (its own
        # checks) must not undo the submission: the unit can still write it from the page.
        try:
            with transaction.atomic():
                dossier.write_statement(by=by, proposal=proposal)
        except ValidationError:
            pass
    return proposal


def _check_reviewer(by: User, proposal: Proposal) -> None:
    if proposal.state != S.SUBMITTED:
        raise ValidationError(_("Đề nghị không ở trạng thái chờ xét."), code="state")
    if not can_review(by, proposal):
        raise ValidationError(
            _("Chỉ người xét duyệt của %(u)s được xử lý đề nghị này.") % {"u": proposal.at_unit}
        )


def can_review(user: User | None, proposal: Proposal) -> bool:
    """Reviewers of the unit it waits at, or of a unit above (who may act for a level with no
    reviewer of its own); never the proposing unit's own people for their own proposal."""
    return (
        proposal.state == S.SUBMITTED
        and proposal.at_unit_id is not None
        and access.can(user, Perm.REVIEW, proposal.at_unit)
    )


@transaction.atomic
def proposal_forward(*, by: User, proposal: Proposal, version: int | None, reason: str = ""):
    """Send it up one level; at the round's unit, accept it (its items go before the council)."""
    proposal = _locked(proposal, version)
    _check_reviewer(by, proposal)
    reason = _clean_text(reason, "reason", max_length=2000)
    from_unit = proposal.at_unit
    if from_unit.pk == proposal.round.unit_id:
        proposal.state = S.ACCEPTED
        action = A.ACCEPT
        text = _("Đề nghị khen thưởng đã được tiếp nhận: %(p)s")
        target = proposal.unit
    else:
        proposal.at_unit = _next_reviewer(proposal, from_unit)
        action = A.FORWARD
        text = _("Đề nghị khen thưởng chuyển lên chờ xét: %(p)s")
        target = proposal.at_unit
    proposal.version += 1
    proposal.save()
    _step(proposal, action=action, by=by, from_unit=from_unit, reason=reason)
    _notify(proposal, target, text % {"p": proposal})
    return proposal


def proposal_accept(*, by: User, proposal: Proposal, version: int | None, reason: str = ""):
    """Accept at the round's unit (``proposal_forward`` there)."""
    if proposal.at_unit_id != proposal.round.unit_id:
        raise ValidationError(
            _("Chỉ %(u)s (cấp tổ chức đợt) được tiếp nhận.") % {"u": proposal.round.unit}
        )
    return proposal_forward(by=by, proposal=proposal, version=version, reason=reason)


@transaction.atomic
def proposal_return(*, by: User, proposal: Proposal, version: int | None, reason: str):
    """Back to the proposing unit, editable and resubmittable; the reason is required."""
    proposal = _locked(proposal, version)
    _check_reviewer(by, proposal)
    reason = _clean_text(reason, "reason", max_length=2000)
    if not reason:
        raise ValidationError({"reason": _("Nhập lý do trả lại để đơn vị bổ sung.")})
    from_unit = proposal.at_unit
    proposal.state = S.RETURNED
    proposal.at_unit = proposal.unit
    proposal.version += 1
    proposal.save()
    _step(proposal, action=A.RETURN, by=by, from_unit=from_unit, reason=reason)
    _notify(
        proposal,
        proposal.unit,
        _("Đề nghị khen thưởng bị trả lại để bổ sung: %(p)s") % {"p": proposal},
    )
    return proposal


@transaction.atomic
def proposal_reject(*, by: User, proposal: Proposal, version: int | None, reason: str):
    """Final: not accepted; the reason is required."""
    proposal = _locked(proposal, version)
    _check_reviewer(by, proposal)
    reason = _clean_text(reason, "reason", max_length=2000)
    if not reason:
        raise ValidationError({"reason": _("Nhập lý do không chấp nhận.")})
    from_unit = proposal.at_unit
    proposal.state = S.REJECTED
    proposal.version += 1
    proposal.save()
    _step(proposal, action=A.REJECT, by=by, from_unit=from_unit, reason=reason)
    _notify(
        proposal,
        proposal.unit,
        _("Đề nghị khen thưởng không được chấp nhận: %(p)s") % {"p": proposal},
    )
    return proposal


REVIEW_ACTIONS = {
    "forward": proposal_forward,
    "accept": proposal_accept,
    "return": proposal_return,
    "reject": proposal_reject,
}


def review(*, by: User, proposal: Proposal, action: str, version: int | None, reason: str = ""):
    """One entry point for the pages and the API."""
    if action not in REVIEW_ACTIONS:
        raise ValidationError(_("Thao tác không hợp lệ."))
    return REVIEW_ACTIONS[action](by=by, proposal=proposal, version=version, reason=reason)


def _notify(proposal: Proposal, unit: Unit, text: str) -> None:
    """Tell the people working at ``unit``; news for the proposing unit also reaches whoever
    opened the proposal (a branch's proposal is often drafted by the commune's staff)."""
    from django.urls import reverse

    from guongsang.accounts.models import Role
    from guongsang.notifications.services import notify

    users = User.objects.filter(
        is_active=True,
        memberships__unit=unit,
        memberships__role__in=[Role.ADMIN, Role.STAFF, Role.REVIEWER],
    ).distinct()
    people = list(users)
    if unit.pk == proposal.unit_id and proposal.created_by_id:
        people.append(proposal.created_by)
    notify(
        users=people,
        text=text[:500],
        link=reverse("awards:proposal_detail", args=[proposal.pk]),
        kind="general",
        unit=unit,
    )


# ---- the list before the council ---------------------------------------------------------------
def consolidated(round: CommendationRound) -> list[tuple[AwardType, list[ProposalItem]]]:  # noqa: A002
    """The accepted items of the round grouped by award type (by the type's rank), each group
    in the subjects' name order: the list the round unit's council receives."""
    items = (
        ProposalItem.objects.filter(proposal__round=round, proposal__state=S.ACCEPTED)
        .select_related("award_type", "subject__unit", "proposal__unit")
        .order_by("award_type__rank", "award_type__name", "subject__sort_key", "pk")
    )
    groups: dict[int, tuple[AwardType, list[ProposalItem]]] = {}
    for item in items:
        groups.setdefault(item.award_type_id, (item.award_type, []))[1].append(item)
    return list(groups.values())


def overdue(proposal: Proposal, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return proposal.editable and proposal.round.deadline < today
