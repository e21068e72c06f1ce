"""Rules of the exemplar pipeline: criteria sets, subjects, nominations and their review up the
tree, the registry, nurture and replication. Every write goes through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.audit import services as audit
from guongsang.audit.models import Action
from guongsang.core.text import fold
from guongsang.core.uploads import clean_upload
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END, Unit, UnitKind

from . import access as ex_access
from .models import (
    Attachment,
    CatalogueKind,
    Category,
    CriteriaSet,
    Criterion,
    CriterionAnswer,
    CriterionGroup,
    Exemplar,
    Movement,
    Nomination,
    NominationState,
    NurtureNote,
    Replication,
    ReviewAction,
    ReviewRound,
    ReviewStep,
    Subject,
    SubjectKind,
)

S = NominationState


# ---- catalogue --------------------------------------------------------------------------------
@transaction.atomic
def movement_create(
    *,
    by: User | None,
    unit: Unit,
    kind: str,
    name: str,
    start_year: int,
    end_year: int | None = None,
    description: str = "",
) -> Movement:
    access.require(by, Perm.EDIT, unit)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Nhập tên phong trào.")})
    if kind not in CatalogueKind.values:
        raise ValidationError({"kind": _("Loại không hợp lệ.")})
    if end_year and end_year < start_year:
        raise ValidationError({"end_year": _("Năm kết thúc phải sau năm bắt đầu.")})
    return Movement.objects.create(
        kind=kind,
        name=name,
        issuing_unit=unit,
        start_year=start_year,
        end_year=end_year,
        description=description,
    )


@transaction.atomic
def round_create(
    *,
    by: User | None,
    unit: Unit,
    name: str,
    year: int,
    deadline: dt.date,
    movement: Movement | None = None,
) -> ReviewRound:
    access.require(by, Perm.MANAGE, unit)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Nhập tên đợt xét.")})
    return ReviewRound.objects.create(
        unit=unit, name=name, year=year, deadline=deadline, movement=movement
    )


# ---- criteria sets ----------------------------------------------------------------------------
@dataclass
class CriterionSpec:
    text: str
    required: bool = True
    evidence_required: bool = False
    max_points: Decimal | None = None
    prerequisite_title: str = ""


@transaction.atomic
def criteria_set_create(
    *,
    by: User | None,
    unit: Unit,
    name: str,
    year: int,
    movement: Movement | None = None,
    source: str = "",
    scored: bool = False,
    groups: list[tuple[str, str, list[CriterionSpec]]] | None = None,
) -> CriteriaSet:
    """A set with its groups: ``groups`` is [(subject_kind or "general", title, [criteria])]."""
    access.require(by, Perm.EDIT, unit)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Nhập tên bộ tiêu chí.")})
    criteria_set = CriteriaSet.objects.create(
        issuing_unit=unit, name=name, year=year, movement=movement, source=source, scored=scored
    )
    for order, (kind, title, criteria) in enumerate(groups or []):
        group = criteria_set.groups.create(subject_kind=kind, title=title, order=order)
        for c_order, spec in enumerate(criteria):
            group.criteria.create(order=c_order, **spec.__dict__)
    return criteria_set


def _check_editable(by: User | None, criteria_set: CriteriaSet) -> None:
    access.require(by, Perm.EDIT, criteria_set.issuing_unit)
    if criteria_set.in_use:
        raise ValidationError(
            _(
                "Bộ tiêu chí đã được dùng cho hồ sơ đề cử nên không sửa trực tiếp được; hãy tạo phiên bản mới."
            )
        )


@transaction.atomic
def criterion_add(
    *,
    by: User | None,
    group: CriterionGroup,
    text: str,
    required: bool = True,
    evidence_required: bool = False,
    max_points: Decimal | None = None,
    prerequisite_title: str = "",
) -> Criterion:
    _check_editable(by, group.criteria_set)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Nhập nội dung tiêu chí.")})
    order = group.criteria.count()
    return group.criteria.create(
        order=order,
        text=text,
        required=required,
        evidence_required=evidence_required,
        max_points=max_points,
        prerequisite_title=prerequisite_title.strip(),
    )


@transaction.atomic
def group_add(
    *, by: User | None, criteria_set: CriteriaSet, subject_kind: str, title: str
) -> CriterionGroup:
    _check_editable(by, criteria_set)
    if subject_kind not in dict(CriterionGroup.KIND_CHOICES):
        raise ValidationError({"subject_kind": _("Nhóm tiêu chí không hợp lệ.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Nhập tên nhóm tiêu chí.")})
    return criteria_set.groups.create(
        subject_kind=subject_kind, title=title.strip(), order=criteria_set.groups.count()
    )


@transaction.atomic
def criterion_delete(*, by: User | None, criterion: Criterion) -> None:
    _check_editable(by, criterion.group.criteria_set)
    criterion.delete()


@transaction.atomic
def criteria_set_new_version(
    *, by: User | None, criteria_set: CriteriaSet, year: int | None = None
) -> CriteriaSet:
    """Copy a set (groups and criteria) into a new, editable version."""
    access.require(by, Perm.EDIT, criteria_set.issuing_unit)
    latest = (
        CriteriaSet.objects.filter(Q(pk=criteria_set.pk) | Q(previous=criteria_set))
        .order_by("-version")
        .first()
    )
    copy = CriteriaSet.objects.create(
        issuing_unit=criteria_set.issuing_unit,
        name=criteria_set.name,
        year=year or criteria_set.year,
        movement=criteria_set.movement,
        source=criteria_set.source,
        scored=criteria_set.scored,
        version=max(criteria_set.version, latest.version) + 1,
        previous=criteria_set,
    )
    for group in criteria_set.groups.prefetch_related("criteria"):
        new_group = copy.groups.create(
            subject_kind=group.subject_kind, title=group.title, order=group.order
        )
        Criterion.objects.bulk_create(
            [
                Criterion(
                    group=new_group,
                    order=c.order,
                    text=c.text,
                    required=c.required,
                    evidence_required=c.evidence_required,
                    max_points=c.max_points,
                    prerequisite_title=c.prerequisite_title,
                )
                for c in group.criteria.all()
            ]
        )
    return copy


def criteria_for(criteria_set: CriteriaSet, subject_kind: str) -> list[Criterion]:
    """The criteria that apply to a subject of this kind: the general group and its own."""
    return list(
        Criterion.objects.filter(
            group__criteria_set=criteria_set,
            group__subject_kind__in=[CriterionGroup.GENERAL, subject_kind],
        )
        .select_related("group")
        .order_by("group__order", "group__pk", "order", "pk")
    )


# ---- subjects ---------------------------------------------------------------------------------
def commune_of(unit: Unit) -> Unit:
    """The commune-level unit a unit belongs to (itself if it is one or above)."""
    if unit.kind not in (UnitKind.BRANCH, UnitKind.GROUP):
        return unit
    paths = unit.ancestor_paths()
    return Unit.objects.filter(path__in=paths, kind=UnitKind.COMMUNE).first() or unit


def find_duplicates(*, unit: Unit, kind: str, name: str, birth_year: int | None, exclude_pk=None):
    commune = commune_of(unit)
    qs = Subject.objects.filter(
        kind=kind,
        name_folded=fold(name),
        unit__path__gte=commune.path,
        unit__path__lt=commune.path + PATH_END,
    )
    if birth_year:
        qs = qs.filter(birth_year=birth_year)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.select_related("unit")[:5])


class DuplicateSubject(ValidationError):
    def __init__(self, matches):
        self.matches = matches
        names = "; ".join(f"{m.name} ({m.birth_year or '—'}, {m.unit.name})" for m in matches)
        super().__init__(
            _(
                "Có thể trùng với đối tượng đã có: %(names)s. Kiểm tra lại, hoặc đánh dấu “Không phải trùng” để vẫn lưu."
            )
            % {"names": names},
            code="duplicate",
        )


CharOrText = (models.CharField, models.TextField)

SUBJECT_FIELDS = (
    "name",
    "linked_unit",
    "member_count",
    "women_percent",
    "gender",
    "birth_year",
    "ethnicity",
    "position",
    "workplace",
    "phone",
    "id_number",
    "address",
    "note",
)


def _validate_subject(subject: Subject) -> None:
    errors = {}
    if not subject.name.strip():
        errors["name"] = _("Nhập tên đối tượng.")
    this_year = timezone.localdate().year
    if subject.birth_year and not (1900 <= subject.birth_year <= this_year):
        errors["birth_year"] = _("Năm sinh không hợp lệ.")
    if subject.women_percent is not None and not (0 <= subject.women_percent <= 100):
        errors["women_percent"] = _("Tỷ lệ nữ phải từ 0 đến 100.")
    if subject.kind == SubjectKind.INDIVIDUAL and not subject.gender:
        errors["gender"] = _("Chọn giới tính.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def subject_create(
    *, by: User | None, unit: Unit, kind: str, not_duplicate: bool = False, **fields
) -> Subject:
    """Create a subject; a likely duplicate in the same commune stops the save unless the user
    confirmed it is a different person (``not_duplicate``)."""
    access.require(by, Perm.EDIT, unit)
    if kind not in SubjectKind.values:
        raise ValidationError({"kind": _("Loại đối tượng không hợp lệ.")})
    subject = Subject(
        kind=kind,
        unit=unit,
        created_by=by,
        **{k: v for k, v in fields.items() if k in SUBJECT_FIELDS and v is not None},
    )
    subject.name = " ".join((subject.name or "").split())
    _validate_subject(subject)
    if (
        subject.linked_unit
        and by is not None
        and not access.can(by, Perm.VIEW, subject.linked_unit)
    ):
        raise ValidationError({"linked_unit": _("Đơn vị không hợp lệ.")})
    if not not_duplicate:
        matches = find_duplicates(
            unit=unit, kind=kind, name=subject.name, birth_year=subject.birth_year
        )
        if matches:
            raise DuplicateSubject(matches)
    subject.save()
    return subject


@transaction.atomic
def subject_update(
    *, by: User | None, subject: Subject, not_duplicate: bool = False, **fields
) -> Subject:
    access.require(by, Perm.EDIT, subject.unit)
    for key, value in fields.items():
        if key not in SUBJECT_FIELDS:
            continue
        if value is None and isinstance(Subject._meta.get_field(key), CharOrText):
            value = ""  # an emptied text field is stored as "", never NULL
        setattr(subject, key, value)
    if (
        subject.linked_unit
        and by is not None
        and not access.can(by, Perm.VIEW, subject.linked_unit)
    ):
        raise ValidationError({"linked_unit": _("Đơn vị không hợp lệ.")})
    _validate_subject(subject)
    before = Subject.objects.filter(pk=subject.pk).values_list("name_folded", "birth_year").first()
    if not not_duplicate and before != (fold(" ".join(subject.name.split())), subject.birth_year):
        matches = find_duplicates(
            unit=subject.unit,
            kind=subject.kind,
            name=subject.name,
            birth_year=subject.birth_year,
            exclude_pk=subject.pk,
        )
        if matches:
            raise DuplicateSubject(matches)
    subject.save()
    sync_subject_sort_key(subject)
    return subject


def sync_subject_sort_key(subject: Subject) -> None:
    """The subject's sort key, stored on its nominations and exemplars for their lists' order,
    after a rename (in the caller's transaction); one UPDATE each, none changed when it stays."""
    key = subject.sort_key
    for model in (Nomination, Exemplar):
        model.objects.filter(subject=subject).exclude(subject_sort_key=key).update(
            subject_sort_key=key
        )


def subject_title_add(
    *, by: User | None, subject: Subject, title: str, year: int, conferred_by: str = ""
):
    """Record a title the subject holds, by its name: an entry of the award history
    (``awards.services.award_add``), linked to the catalogue entry the name matches."""
    from guongsang.awards import services as award_services  # the awards app sits above

    title = " ".join((title or "").split())
    if not title:
        access.require(by, Perm.EDIT, subject.unit)
        raise ValidationError({"title": _("Nhập tên danh hiệu.")})
    return award_services.award_add(
        subject=subject, by=by, name=title, year=year, conferred_by=conferred_by
    )


# ---- nominations ------------------------------------------------------------------------------
@transaction.atomic
def nomination_create(
    *,
    by: User,
    subject: Subject,
    category: str,
    movement: Movement,
    criteria_set: CriteriaSet,
    review_round: ReviewRound,
    year: int | None = None,
    achievement_report: str = "",
) -> Nomination:
    access.require(by, Perm.EDIT, subject.unit)
    if category not in Category.values:
        raise ValidationError({"category": _("Loại điển hình không hợp lệ.")})
    for obj, getter in (
        (movement, ex_access.movements_for),
        (criteria_set, ex_access.criteria_sets_for),
        (review_round, ex_access.rounds_for),
    ):
        if not getter(by).filter(pk=obj.pk).exists():
            raise ValidationError(_("Lựa chọn không hợp lệ."))
    if not subject.unit.is_descendant_of(review_round.unit):
        raise ValidationError(
            {
                "review_round": _(
                    "Đợt xét này do %(unit)s tổ chức, không bao gồm đơn vị của đối tượng."
                )
                % {"unit": review_round.unit}
            }
        )
    if review_round.deadline < timezone.localdate():
        raise ValidationError(
            {
                "review_round": _("Đợt xét đã hết hạn nhận hồ sơ (%(d)s).")
                % {"d": review_round.deadline.strftime("%d/%m/%Y")}
            }
        )
    if (
        Nomination.objects.filter(subject=subject, review_round=review_round)
        .exclude(state=NominationState.REJECTED)
        .exists()
    ):
        raise ValidationError(_("Đối tượng này đã có hồ sơ trong đợt xét này."))
    return Nomination.objects.create(
        subject=subject,
        category=category,
        movement=movement,
        criteria_set=criteria_set,
        review_round=review_round,
        year=year or review_round.year,
        proposing_unit=subject.unit,
        proposed_by=by,
        current_unit=subject.unit,
        achievement_report=achievement_report,
    )


def _check_can_edit(by: User, nomination: Nomination) -> None:
    access.require(by, Perm.EDIT, nomination.proposing_unit)
    if not nomination.editable:
        raise ValidationError(_("Hồ sơ đã gửi đi; chỉ sửa được khi đang soạn hoặc bị trả lại."))


@dataclass
class AnswerInput:
    met: bool | None
    evidence_text: str = ""
    points: Decimal | None = None


@transaction.atomic
def nomination_save(
    *,
    by: User,
    nomination: Nomination,
    answers: dict[int, AnswerInput],
    achievement_report: str | None = None,
    category: str | None = None,
) -> Nomination:
    """Save partial work on a draft (or a returned nomination)."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _check_can_edit(by, nomination)
    allowed = {c.pk: c for c in criteria_for(nomination.criteria_set, nomination.subject.kind)}
    for criterion_id, answer in answers.items():
        criterion = allowed.get(criterion_id)
        if criterion is None:
            raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí của hồ sơ."))
        if answer.points is not None:
            if criterion.max_points is None or not (0 <= answer.points <= criterion.max_points):
                raise ValidationError(
                    _("Điểm của tiêu chí “%(c)s” phải từ 0 đến %(max)s.")
                    % {"c": criterion, "max": criterion.max_points or 0}
                )
        CriterionAnswer.objects.update_or_create(
            nomination=nomination,
            criterion=criterion,
            defaults={
                "met": answer.met,
                "evidence_text": answer.evidence_text.strip(),
                "points": answer.points,
            },
        )
    if achievement_report is not None:
        nomination.achievement_report = achievement_report.strip()
    if category is not None:
        if category not in Category.values:
            raise ValidationError({"category": _("Loại điển hình không hợp lệ.")})
        nomination.category = category
    nomination.version += 1
    nomination.save()
    return nomination


@transaction.atomic
def attachment_add(
    *, by: User, nomination: Nomination, upload, criterion: Criterion | None = None
) -> Attachment:
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _check_can_edit(by, nomination)
    if criterion is not None and criterion.pk not in {
        c.pk for c in criteria_for(nomination.criteria_set, nomination.subject.kind)
    }:
        raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí của hồ sơ."))
    clean = clean_upload(upload)
    attachment = Attachment(
        nomination=nomination,
        criterion=criterion,
        original_name=upload.name[:200],
        kind=clean.kind,
        size=clean.size,
        uploaded_by=by,
    )
    attachment.file.save(clean.name, ContentFile(clean.data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, by: User, attachment: Attachment) -> None:
    _check_can_edit(by, attachment.nomination)
    attachment.file.delete(save=False)
    attachment.delete()


def submission_problems(nomination: Nomination) -> list[str]:
    """Every reason the nomination cannot be submitted yet, each naming its criterion."""
    problems = []
    criteria = criteria_for(nomination.criteria_set, nomination.subject.kind)
    answers = {a.criterion_id: a for a in nomination.answers.all()}
    files = set(
        nomination.attachments.filter(criterion__isnull=False).values_list(
            "criterion_id", flat=True
        )
    )
    # Titles held, from the award history: by the name as recorded and by the name of its
    # catalogue entry (folded), so a criterion naming either finds it.
    held = set()
    for folded, type_folded, year in nomination.subject.awards.values_list(
        "name_folded", "award_type__name_folded", "year"
    ):
        held.add((folded, year))
        if type_folded:
            held.add((type_folded, year))
    for criterion in criteria:
        answer = answers.get(criterion.pk)
        label = criterion.text if len(criterion.text) <= 120 else criterion.text[:117] + "…"
        if criterion.required and (answer is None or answer.met is not True):
            problems.append(_("Chưa đạt tiêu chí bắt buộc: “%(c)s”.") % {"c": label})
            continue
        if answer is None or answer.met is not True:
            continue
        if (
            criterion.evidence_required
            and not answer.evidence_text.strip()
            and criterion.pk not in files
        ):
            problems.append(_("Thiếu minh chứng cho tiêu chí: “%(c)s”.") % {"c": label})
        if criterion.prerequisite_title:
            wanted = fold(criterion.prerequisite_title)
            if not ({(wanted, nomination.year), (wanted, nomination.year - 1)} & held):
                problems.append(
                    _(
                        "Đối tượng chưa có danh hiệu “%(t)s” (năm %(y1)s hoặc %(y0)s) theo tiêu chí: “%(c)s”."
                    )
                    % {
                        "t": criterion.prerequisite_title,
                        "y1": nomination.year,
                        "y0": nomination.year - 1,
                        "c": label,
                    }
                )
    if (
        not nomination.achievement_report.strip()
        and not nomination.attachments.filter(criterion__isnull=True).exists()
    ):
        problems.append(_("Thiếu báo cáo thành tích (nhập nội dung hoặc đính kèm tệp)."))
    return problems


def _next_reviewer(nomination: Nomination, unit: Unit) -> Unit:
    """The parent of ``unit``, on the way to the unit that runs the round. A unit with no
    reviewer of its own is served by the reviewers above it (their "levels below" queue)."""
    round_unit = nomination.review_round.unit
    if unit.pk == round_unit.pk or unit.parent_id is None:
        return round_unit
    return unit.parent


def _locked(nomination: Nomination, expected_version: int | None) -> Nomination:
    """Re-read the nomination under a row lock; a version that moved on means someone else
    acted first (two reviewers at the same moment: exactly one wins)."""
    # Lock the row alone first: on PostgreSQL a FOR UPDATE over joins re-checks the join after
    # waiting, and drops the row when the winner moved current_unit (DoesNotExist, not a message).
    Nomination.objects.select_for_update().filter(pk=nomination.pk).values_list("pk").get()
    fresh = Nomination.objects.select_related(
        "review_round__unit", "current_unit", "proposing_unit", "subject__unit"
    ).get(pk=nomination.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise ValidationError(
            _(
                "Hồ sơ vừa được người khác xử lý hoặc sửa đổi. Hãy tải lại trang để xem trạng thái mới nhất."
            ),
            code="stale",
        )
    return fresh


def _step(
    nomination: Nomination,
    *,
    action: str,
    by: User,
    from_state: str,
    from_unit: Unit,
    comment: str = "",
) -> None:
    ReviewStep.objects.create(
        nomination=nomination,
        action=action,
        from_state=from_state,
        to_state=nomination.state,
        from_unit=from_unit,
        to_unit=nomination.current_unit,
        actor=by,
        comment=comment,
    )


@transaction.atomic
def nomination_submit(
    *, by: User, nomination: Nomination, expected_version: int | None = None
) -> Nomination:
    """Send a complete nomination to the review queue of the unit above the proposing unit."""
    nomination = _locked(nomination, expected_version)
    _check_can_edit(by, nomination)
    problems = submission_problems(nomination)
    if problems:
        # Django drops ``code`` for a list of messages: give each message its own.
        raise ValidationError([ValidationError(p, code="incomplete") for p in problems])
    from_state, from_unit = nomination.state, nomination.current_unit
    nomination.state = S.SUBMITTED
    nomination.current_unit = _next_reviewer(nomination, nomination.proposing_unit)
    nomination.submitted_at = timezone.now()
    nomination.version += 1
    nomination.save()
    _step(nomination, action=ReviewAction.SUBMIT, by=by, from_state=from_state, from_unit=from_unit)
    _notify_unit(
        nomination,
        nomination.current_unit,
        _("Hồ sơ đề cử mới chờ xét: %(n)s") % {"n": nomination},
        skip=[by],
    )
    return nomination


def _check_reviewer(by: User, nomination: Nomination) -> None:
    if nomination.state != S.SUBMITTED:
        raise ValidationError(_("Hồ sơ không ở trạng thái chờ xét duyệt."), code="stale")
    if not ex_access.can_review_at(by, nomination.current_unit):
        raise ValidationError(
            _("Chỉ người xét duyệt của %(unit)s được xử lý hồ sơ này.")
            % {"unit": nomination.current_unit}
        )


@transaction.atomic
def nomination_review(
    *,
    by: User,
    nomination: Nomination,
    action: str,
    comment: str = "",
    expected_version: int | None = None,
    decision_ref: str = "",
    decision_date: dt.date | None = None,
) -> Nomination:
    """A reviewer's action on a submitted nomination at her unit: forward, return (reason
    required), reject (reason required) or, at the unit that runs the round, recognise (with
    the decision's number and date). The nominator hears of every outcome (``_notify_outcome``)."""
    nomination = _locked(nomination, expected_version)
    _check_reviewer(by, nomination)
    comment = (comment or "").strip()
    decision_ref = " ".join((decision_ref or "").split())
    from_state, from_unit = nomination.state, nomination.current_unit
    round_unit = nomination.review_round.unit
    if action == ReviewAction.FORWARD:
        if from_unit.pk == round_unit.pk:
            raise ValidationError(
                _("Đây là cấp tổ chức đợt xét: hãy công nhận, trả lại hoặc không duyệt.")
            )
        nomination.current_unit = _next_reviewer(nomination, from_unit)
    elif action == ReviewAction.RETURN:
        if not comment:
            raise ValidationError({"comment": _("Nhập lý do trả lại để đơn vị bổ sung.")})
        nomination.state = S.RETURNED
        nomination.current_unit = nomination.proposing_unit
    elif action == ReviewAction.REJECT:
        if not comment:
            raise ValidationError({"comment": _("Nhập lý do không duyệt.")})
        nomination.state = S.REJECTED
    elif action == ReviewAction.RECOGNISE:
        if from_unit.pk != round_unit.pk:
            raise ValidationError(
                _("Chỉ %(unit)s (cấp tổ chức đợt xét) được công nhận.") % {"unit": round_unit}
            )
        _check_decision(decision_ref, decision_date)
        nomination.state = S.RECOGNISED
    else:
        raise ValidationError(_("Thao tác không hợp lệ."))
    nomination.version += 1
    nomination.save()
    _step(
        nomination,
        action=action,
        by=by,
        from_state=from_state,
        from_unit=from_unit,
        comment=comment,
    )
    if action == ReviewAction.RECOGNISE:
        Exemplar.objects.create(
            subject=nomination.subject,
            nomination=nomination,
            category=nomination.category,
            movement=nomination.movement,
            year=nomination.year,
            recognising_unit=from_unit,
            recognised_at=timezone.now(),
            decision_ref=decision_ref,
            decision_date=decision_date,
        )
    audit.record(
        action=REVIEW_AUDIT[action],
        actor=by,
        unit=nomination.proposing_unit,
        obj=nomination,
        details={
            "from_state": from_state,
            "to_state": nomination.state,
            "from_unit": from_unit.name,
            "to_unit": nomination.current_unit.name,
            "comment": comment,
            "decision_ref": decision_ref,
            "decision_date": decision_date,
        },
    )
    messages = {
        ReviewAction.FORWARD: _("Hồ sơ chuyển lên chờ xét: %(n)s"),
        ReviewAction.RETURN: _("Hồ sơ bị trả lại để bổ sung: %(n)s"),
        ReviewAction.REJECT: _("Hồ sơ không được duyệt: %(n)s"),
        ReviewAction.RECOGNISE: _("Hồ sơ đã được công nhận: %(n)s"),
    }
    target = (
        nomination.current_unit if action == ReviewAction.FORWARD else nomination.proposing_unit
    )
    nominator = _notify_outcome(
        nomination,
        action=action,
        by=by,
        comment=comment,
        decision_ref=decision_ref,
        decision_date=decision_date,
    )
    _notify_unit(nomination, target, messages[action] % {"n": nomination}, skip=[by, nominator])
    return nomination


def _check_decision(decision_ref: str, decision_date: dt.date | None) -> None:
    errors = {}
    if not decision_ref:
        errors["decision_ref"] = _("Nhập số quyết định công nhận.")
    elif "\x00" in decision_ref:
        errors["decision_ref"] = _("Số quyết định có ký tự không hợp lệ.")
    if decision_date is None:
        errors["decision_date"] = _("Nhập ngày quyết định công nhận.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("Ngày quyết định không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)


def _notify_outcome(
    nomination: Nomination,
    *,
    action: str,
    by: User,
    comment: str,
    decision_ref: str,
    decision_date: dt.date | None,
) -> User | None:
    """Tell the nominator (``proposed_by``) what became of her nomination, once, unless she
    took the step herself. Returns her when told, so the unit's message leaves her out."""
    nominator = nomination.proposed_by
    if nominator.pk == by.pk or not nominator.is_active:
        return None
    values = {"n": nomination, "unit": nomination.current_unit, "reason": comment}
    if action == ReviewAction.FORWARD:
        text = _("Hồ sơ đề cử của bạn đã được chuyển lên %(unit)s xét: %(n)s") % values
    elif action == ReviewAction.RETURN:
        text = _("Hồ sơ đề cử của bạn bị trả lại để bổ sung: %(n)s. Lý do: %(reason)s") % values
    elif action == ReviewAction.REJECT:
        text = _("Hồ sơ đề cử của bạn không được duyệt: %(n)s. Lý do: %(reason)s") % values
    else:
        text = _(
            "Hồ sơ đề cử của bạn đã được công nhận: %(n)s. Quyết định số %(ref)s ngày %(date)s."
        ) % {"n": nomination, "ref": decision_ref, "date": f"{decision_date:%d/%m/%Y}"}
    _notify(nomination, [nominator], text, nomination.proposing_unit)
    return nominator


REVIEW_AUDIT = {
    ReviewAction.FORWARD: Action.NOMINATION_FORWARD,
    ReviewAction.RETURN: Action.NOMINATION_RETURN,
    ReviewAction.REJECT: Action.NOMINATION_REJECT,
    ReviewAction.RECOGNISE: Action.NOMINATION_RECOGNISE,
}


def _notify_unit(
    nomination: Nomination, unit: Unit, text: str, *, skip: list[User | None] = ()
) -> None:
    """Tell the people working at ``unit``, but not those in ``skip`` (who took the step, or
    were told in their own words)."""
    from guongsang.accounts.models import Role

    users = (
        User.objects.filter(
            is_active=True,
            memberships__unit=unit,
            memberships__role__in=[Role.ADMIN, Role.STAFF, Role.REVIEWER],
        )
        .exclude(pk__in=[u.pk for u in skip if u is not None])
        .distinct()
    )
    _notify(nomination, list(users), text, unit)


def _notify(nomination: Nomination, users: list[User], text: str, unit: Unit) -> None:
    """In-app (and e-mail) notifications linking to the nomination, when the notifications
    app is installed."""
    try:
        from guongsang.notifications.services import notify
    except ImportError:
        return
    from django.urls import reverse

    notify(
        users=users,
        text=text,
        link=reverse("exemplars:nomination_detail", args=[nomination.pk]),
        kind="general",
        unit=unit,
    )


def overdue(nomination: Nomination, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        nomination.state in (S.DRAFT, S.SUBMITTED, S.RETURNED)
        and nomination.review_round.deadline < today
    )


# ---- registry ---------------------------------------------------------------------------------
@transaction.atomic
def exemplar_record(
    *,
    by: User | None,
    subject: Subject,
    category: str,
    movement: Movement,
    year: int,
    recognising_unit: Unit,
    recognised_on: dt.date,
    decision_ref: str = "",
) -> Exemplar:
    """Enter a recognition made before the software (or outside it) into the registry, so a
    unit's exemplars can be counted over the years."""
    access.require(by, Perm.EDIT, subject.unit)
    if category not in Category.values:
        raise ValidationError({"category": _("Loại điển hình không hợp lệ.")})
    if not subject.unit.is_descendant_of(recognising_unit):
        raise ValidationError(
            {"recognising_unit": _("Cấp công nhận phải là đơn vị của đối tượng hoặc cấp trên.")}
        )
    if by is not None and not ex_access.movements_for(by).filter(pk=movement.pk).exists():
        raise ValidationError({"movement": _("Phong trào không hợp lệ.")})
    if recognised_on > timezone.localdate() or recognised_on.year < year:
        raise ValidationError({"recognised_on": _("Ngày công nhận không hợp lệ.")})
    return Exemplar.objects.create(
        subject=subject,
        category=category,
        movement=movement,
        year=year,
        recognising_unit=recognising_unit,
        recognised_at=dt.datetime.combine(
            recognised_on, dt.time(12), tzinfo=timezone.get_current_timezone()
        ),
        decision_ref=(decision_ref or "").strip(),
        decision_date=recognised_on,
    )


@transaction.atomic
def nurture_note_add(*, by: User, exemplar: Exemplar, date: dt.date, text: str) -> NurtureNote:
    access.require(by, Perm.EDIT, exemplar.subject.unit)
    if not (text or "").strip():
        raise ValidationError({"text": _("Nhập nội dung bồi dưỡng.")})
    return exemplar.nurture_notes.create(date=date, text=text.strip(), by=by)


@transaction.atomic
def replication_add(
    *, by: User, exemplar: Exemplar, adopting_unit: Unit, date: dt.date, result: str = ""
) -> Replication:
    access.require(
        by, Perm.EDIT, adopting_unit, _("Bạn chỉ ghi nhân rộng được ở đơn vị mình phụ trách.")
    )
    return exemplar.replications.create(
        adopting_unit=adopting_unit, date=date, result=(result or "").strip(), by=by
    )
