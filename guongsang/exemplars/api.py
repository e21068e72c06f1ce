"""The exemplar pipeline over the JSON API: criteria sets, subjects, nominations with each review
action, and the registry. Same access layer as the pages; every write goes through the services.

Objects are fetched through ``guongsang.exemplars.access`` only: missing and not yours are the
same 404. A service's ``ValidationError`` becomes a 400 ``{"detail": [messages], "code": ...}``
(handler in ``guongsang/api/api.py``); ``code`` is ``"stale"`` when someone acted first.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from guongsang.api.fields import Id, IsoDate, Pagination, Percent, Points, Year
from guongsang.core.forms import ID_MAX
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END

from . import access as ex
from . import queries, services
from .models import (
    Category,
    CriteriaSet,
    Criterion,
    CriterionAnswer,
    Exemplar,
    Gender,
    Nomination,
    NominationState,
    ReviewAction,
    ReviewStep,
    Subject,
    SubjectKind,
)
from .search import filter_by_name
from .services import AnswerInput

router = Router(tags=["exemplars"])


# ---- common -----------------------------------------------------------------------------------
class NotFoundOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: list[str]
    code: str | None = None


ERRORS = {400: InvalidOut, 404: NotFoundOut}


def _can_edit(context, unit) -> bool:
    request = (context or {}).get("request")
    return request is not None and access.can(request.user, Perm.EDIT, unit)


# ---- catalogue --------------------------------------------------------------------------------
class MovementOut(Schema):
    id: int
    kind: str
    name: str
    issuing_unit_id: int
    start_year: int
    end_year: int | None


class ReviewRoundOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    movement_id: int | None
    year: int
    deadline: dt.date


@router.get("/movements", response=list[MovementOut], tags=["exemplars"])
def list_movements(request):
    """Movements, campaigns and key tasks issued by the user's units or the units above them."""
    return ex.movements_for(request.user)


@router.get("/review-rounds", response=list[ReviewRoundOut], tags=["exemplars"])
def list_rounds(request):
    """Review rounds run by the user's units or the units above them."""
    return ex.rounds_for(request.user)


# ---- criteria sets ----------------------------------------------------------------------------
class CriteriaSetOut(Schema):
    id: int
    name: str
    year: int
    version: int
    previous_id: int | None
    issuing_unit_id: int
    issuing_unit_name: str = Field(..., alias="issuing_unit.name")
    movement_id: int | None
    source: str
    scored: bool
    in_use: bool

    @staticmethod
    def resolve_in_use(obj: CriteriaSet) -> bool:
        if hasattr(obj, "n_nominations"):
            return obj.n_nominations > 0
        return obj.in_use


class CriterionOut(Schema):
    id: int
    order: int
    text: str
    required: bool
    evidence_required: bool
    max_points: Decimal | None
    prerequisite_title: str


class GroupOut(Schema):
    id: int
    subject_kind: str
    title: str
    order: int
    criteria: list[CriterionOut]


class CriteriaSetDetailOut(CriteriaSetOut):
    groups: list[GroupOut]

    @staticmethod
    def resolve_groups(obj: CriteriaSet) -> list:
        return obj.groups_out


@router.get("/criteria-sets", response=list[CriteriaSetOut])
@paginate(Pagination, page_size=50)
def list_criteria_sets(request, year: Year | None = None):
    """Criteria sets issued by the user's units or the units above them, newest first."""
    qs = ex.criteria_sets_for(request.user).annotate(n_nominations=Count("nominations"))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "name", "-version", "pk")


@router.get("/criteria-sets/{set_id}", response={200: CriteriaSetDetailOut, 404: NotFoundOut})
def criteria_set_detail(request, set_id: int):
    """A criteria set with its groups (general, collective, individual, household) and criteria."""
    criteria_set = ex.get_criteria_set(request.user, set_id)
    criteria_set.groups_out = list(
        criteria_set.groups.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
        )
    )
    return criteria_set


# ---- subjects ---------------------------------------------------------------------------------
class SubjectOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    linked_unit_id: int | None
    member_count: int | None
    women_percent: Decimal | None
    gender: str
    birth_year: int | None
    ethnicity: str
    position: str
    workplace: str
    # Back office only: null unless the caller may edit the subject's unit.
    phone: str | None
    id_number: str | None
    address: str | None

    @staticmethod
    def resolve_kind_label(obj: Subject) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_phone(obj: Subject, context) -> str | None:
        return obj.phone if _can_edit(context, obj.unit) else None

    @staticmethod
    def resolve_id_number(obj: Subject, context) -> str | None:
        return obj.id_number if _can_edit(context, obj.unit) else None

    @staticmethod
    def resolve_address(obj: Subject, context) -> str | None:
        return obj.address if _can_edit(context, obj.unit) else None


class TitleOut(Schema):
    """An entry of the subject's award history (``/subjects/{id}/awards`` has every field)."""

    id: int
    title: str
    year: int
    conferred_by: str

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.name


class NominationBriefOut(Schema):
    id: int
    year: int
    category: str
    movement_id: int
    state: str


class ExemplarBriefOut(Schema):
    id: int
    year: int
    category: str
    movement_id: int
    recognising_unit_id: int


class SubjectDetailOut(SubjectOut):
    note: str | None
    titles: list[TitleOut]
    nominations: list[NominationBriefOut]
    exemplars: list[ExemplarBriefOut]

    @staticmethod
    def resolve_note(obj: Subject, context) -> str | None:
        return obj.note if _can_edit(context, obj.unit) else None

    @staticmethod
    def resolve_titles(obj: Subject) -> list:
        return obj.titles_list

    @staticmethod
    def resolve_nominations(obj: Subject) -> list:
        return obj.history_nominations

    @staticmethod
    def resolve_exemplars(obj: Subject) -> list:
        return obj.history_exemplars


class SubjectFilter(Schema):
    q: str | None = None
    kind: SubjectKind | None = None
    unit: int | None = None


class SubjectIn(Schema):
    kind: SubjectKind
    unit: Id
    name: str = Field(..., max_length=200)
    gender: Gender | None = None
    # Bounded by the column only: the service refuses an implausible year with its message.
    birth_year: int | None = Field(None, ge=0, le=32767)
    ethnicity: str = Field("", max_length=40)
    position: str = Field("", max_length=200)
    workplace: str = Field("", max_length=200)
    linked_unit: Id | None = None
    member_count: int | None = Field(None, ge=0, le=ID_MAX)
    women_percent: Percent | None = None
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=20)
    address: str = Field("", max_length=300)
    note: str = ""
    not_duplicate: bool = False


def _subject_with_history(user, subject: Subject) -> Subject:
    subject.history_nominations = list(
        ex.nominations_for(user).filter(subject=subject).order_by("-year", "-pk")
    )
    subject.history_exemplars = list(
        ex.exemplars_for(user).filter(subject=subject).order_by("-year", "-pk")
    )
    subject.titles_list = list(subject.awards.order_by("-year", "pk"))
    return subject


@router.get("/subjects", response=list[SubjectOut])
@paginate(Pagination, page_size=50)
def list_subjects(request, filters: Query[SubjectFilter]):
    """Collectives, individuals and households of the user's units, people by given name."""
    qs = ex.subjects_for(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.unit is not None:
        unit = access.get_unit(request.user, filters.unit)
        qs = qs.filter(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
    return filter_by_name(qs, filters.q).order_by(*queries.SUBJECT_ORDER)


@router.get("/subjects/{subject_id}", response={200: SubjectDetailOut, 404: NotFoundOut})
def subject_detail(request, subject_id: int):
    """A subject with its titles and whole history: nominations and recognitions."""
    return _subject_with_history(request.user, ex.get_subject(request.user, subject_id))


@router.post("/subjects", response={201: SubjectDetailOut, **ERRORS})
def create_subject(request, payload: SubjectIn):
    """Create a subject at a unit the user may edit. A likely duplicate in the same commune is
    refused (code ``duplicate``) unless ``not_duplicate`` is true."""
    unit = access.get_unit(request.user, payload.unit, Perm.EDIT)
    linked_unit = (
        access.get_unit(request.user, payload.linked_unit)
        if payload.linked_unit is not None
        else None
    )
    data = payload.dict(exclude={"kind", "unit", "linked_unit", "not_duplicate", "gender"})
    subject = services.subject_create(
        by=request.user,
        unit=unit,
        kind=payload.kind,
        not_duplicate=payload.not_duplicate,
        linked_unit=linked_unit,
        gender=payload.gender or "",
        **data,
    )
    return Status(
        201, _subject_with_history(request.user, ex.get_subject(request.user, subject.pk))
    )


class TitleIn(Schema):
    title: str = Field(..., max_length=200)
    year: int = Field(..., ge=1945, le=2100)
    conferred_by: str = Field("", max_length=200)


@router.post("/subjects/{subject_id}/titles", response={201: SubjectDetailOut, **ERRORS})
def add_subject_title(request, subject_id: int, payload: TitleIn):
    """Record a title the subject holds (e.g. "Gia đình văn hóa"), checked as a prerequisite:
    an entry of its award history, linked to the catalogue entry of that name."""
    subject = ex.get_subject(request.user, subject_id, Perm.EDIT)
    services.subject_title_add(
        by=request.user,
        subject=subject,
        title=payload.title,
        year=payload.year,
        conferred_by=payload.conferred_by,
    )
    return Status(
        201, _subject_with_history(request.user, ex.get_subject(request.user, subject.pk))
    )


# ---- nominations ------------------------------------------------------------------------------
class NominationOut(Schema):
    id: int
    subject_id: int
    subject_name: str = Field(..., alias="subject.name")
    subject_kind: str = Field(..., alias="subject.kind")
    category: str
    movement_id: int
    movement_name: str = Field(..., alias="movement.name")
    criteria_set_id: int
    review_round_id: int
    deadline: dt.date = Field(..., alias="review_round.deadline")
    year: int
    proposing_unit_id: int
    proposing_unit_name: str = Field(..., alias="proposing_unit.name")
    current_unit_id: int
    current_unit_name: str = Field(..., alias="current_unit.name")
    state: str
    state_label: str
    version: int
    overdue: bool
    submitted_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_state_label(obj: Nomination) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_overdue(obj: Nomination) -> bool:
        return services.overdue(obj)


class AnswerOut(Schema):
    criterion_id: int
    group_id: int
    group_title: str
    text: str
    required: bool
    evidence_required: bool
    max_points: Decimal | None
    prerequisite_title: str
    met: bool | None
    evidence_text: str
    points: Decimal | None


class AttachmentOut(Schema):
    id: int
    criterion_id: int | None
    original_name: str
    kind: str
    size: int
    uploaded_at: dt.datetime
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("exemplars:attachment_download", args=[obj.pk])


class StepOut(Schema):
    id: int
    action: str
    action_label: str
    from_state: str
    to_state: str
    from_unit_id: int
    from_unit_name: str = Field(..., alias="from_unit.name")
    to_unit_id: int
    to_unit_name: str = Field(..., alias="to_unit.name")
    actor_id: int
    actor_name: str
    comment: str
    created_at: dt.datetime

    @staticmethod
    def resolve_action_label(obj: ReviewStep) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_actor_name(obj: ReviewStep) -> str:
        return obj.actor.full_name or obj.actor.username


class NominationDetailOut(NominationOut):
    achievement_report: str
    proposed_by_name: str
    answers: list[AnswerOut]
    attachments: list[AttachmentOut]
    steps: list[StepOut]
    problems: list[str]
    can_edit: bool
    can_review: bool

    @staticmethod
    def resolve_proposed_by_name(obj: Nomination) -> str:
        return obj.proposed_by.full_name or obj.proposed_by.username

    @staticmethod
    def resolve_answers(obj: Nomination) -> list:
        return obj.answers_out

    @staticmethod
    def resolve_attachments(obj: Nomination) -> list:
        return obj.attachments_out

    @staticmethod
    def resolve_steps(obj: Nomination) -> list:
        return obj.steps_out


class NominationFilter(Schema):
    year: int | None = None
    movement: int | None = None
    category: Category | None = None
    kind: SubjectKind | None = None
    state: NominationState | None = None
    unit: int | None = None
    q: str | None = None


class NominationIn(Schema):
    subject: int
    category: Category
    movement: int
    criteria_set: int
    review_round: int
    year: int | None = None
    achievement_report: str = ""


class CriterionAnswerIn(Schema):
    criterion: Id
    met: bool | None = None
    evidence_text: str = ""
    points: Points | None = None


class AnswersIn(Schema):
    """Partial work: only the criteria listed are written; the others keep their answers."""

    answers: list[CriterionAnswerIn] = []
    achievement_report: str | None = None
    category: Category | None = None


class SubmitIn(Schema):
    expected_version: int | None = None


class ReviewIn(Schema):
    expected_version: int = Field(..., description="The version the reviewer saw")
    comment: str = ""


class RecogniseIn(ReviewIn):
    decision_ref: str = Field("", max_length=100, description="Required: the decision's number")
    decision_date: IsoDate | None = Field(
        None, description="Required: the decision's date (YYYY-MM-DD), not after today"
    )


def _filters(request, f) -> queries.ListFilters:
    return queries.ListFilters(
        year=f.year,
        movement=f.movement,
        category=getattr(f, "category", None) or "",
        kind=f.kind or "",
        state=getattr(f, "state", None) or "",
        unit=access.get_unit(request.user, f.unit) if f.unit is not None else None,
        q=(f.q or "").strip(),
    )


def _nomination_detail(user, pk) -> Nomination:
    """The nomination as the caller may see it, with its criteria, files and trail."""
    nomination = ex.get_nomination(user, pk)
    nomination = (
        Nomination.objects.select_related(
            "subject", "movement", "proposing_unit", "current_unit", "review_round", "proposed_by"
        )
        .filter(pk=nomination.pk)
        .get()
    )
    answers = {a.criterion_id: a for a in CriterionAnswer.objects.filter(nomination=nomination)}
    rows = []
    for criterion in services.criteria_for(nomination.criteria_set, nomination.subject.kind):
        answer = answers.get(criterion.pk)
        rows.append(
            {
                "criterion_id": criterion.pk,
                "group_id": criterion.group_id,
                "group_title": criterion.group.title,
                "text": criterion.text,
                "required": criterion.required,
                "evidence_required": criterion.evidence_required,
                "max_points": criterion.max_points,
                "prerequisite_title": criterion.prerequisite_title,
                "met": answer.met if answer else None,
                "evidence_text": answer.evidence_text if answer else "",
                "points": answer.points if answer else None,
            }
        )
    nomination.answers_out = rows
    nomination.attachments_out = list(nomination.attachments.order_by("pk"))
    nomination.steps_out = list(nomination.steps.select_related("actor", "from_unit", "to_unit"))
    nomination.can_edit = nomination.editable and access.can(
        user, Perm.EDIT, nomination.proposing_unit
    )
    nomination.can_review = nomination.state == NominationState.SUBMITTED and ex.can_review_at(
        user, nomination.current_unit
    )
    nomination.problems = services.submission_problems(nomination) if nomination.can_edit else []
    return nomination


@router.get("/nominations", response=list[NominationOut])
@paginate(Pagination, page_size=50)
def list_nominations(request, filters: Query[NominationFilter]):
    """Nominations proposed in the user's subtree, filtered, people by given name."""
    return queries.filter_nominations(ex.nominations_for(request.user), _filters(request, filters))


@router.get("/nominations/{nomination_id}", response={200: NominationDetailOut, 404: NotFoundOut})
def nomination_detail(request, nomination_id: int):
    """A nomination with every criterion's answer, its files and its review trail."""
    return _nomination_detail(request.user, nomination_id)


@router.post("/nominations", response={201: NominationDetailOut, **ERRORS})
def create_nomination(request, payload: NominationIn):
    """Start a draft nomination of a subject the user may edit."""
    user = request.user
    nomination = services.nomination_create(
        by=user,
        subject=ex.get_subject(user, payload.subject, Perm.EDIT),
        category=payload.category,
        movement=ex.get_movement(user, payload.movement),
        criteria_set=ex.get_criteria_set(user, payload.criteria_set),
        review_round=ex.get_round(user, payload.review_round),
        year=payload.year,
        achievement_report=payload.achievement_report,
    )
    return Status(201, _nomination_detail(user, nomination.pk))


@router.post("/nominations/{nomination_id}/answers", response={200: NominationDetailOut, **ERRORS})
def save_answers(request, nomination_id: int, payload: AnswersIn):
    """Save partial work on a draft or returned nomination."""
    nomination = ex.get_nomination(request.user, nomination_id, Perm.EDIT)
    services.nomination_save(
        by=request.user,
        nomination=nomination,
        answers={
            a.criterion: AnswerInput(met=a.met, evidence_text=a.evidence_text, points=a.points)
            for a in payload.answers
        },
        achievement_report=payload.achievement_report,
        category=payload.category,
    )
    return _nomination_detail(request.user, nomination.pk)


@router.post("/nominations/{nomination_id}/submit", response={200: NominationDetailOut, **ERRORS})
def submit_nomination(request, nomination_id: int, payload: SubmitIn):
    """Send a complete nomination to the review queue of the unit above. A 400 names every
    missing criterion, evidence, title or report."""
    nomination = ex.get_nomination(request.user, nomination_id, Perm.EDIT)
    services.nomination_submit(
        by=request.user, nomination=nomination, expected_version=payload.expected_version
    )
    return _nomination_detail(request.user, nomination.pk)


def _review(request, nomination_id: int, action: str, payload: ReviewIn):
    nomination = ex.get_nomination(request.user, nomination_id)
    services.nomination_review(
        by=request.user,
        nomination=nomination,
        action=action,
        comment=payload.comment,
        expected_version=payload.expected_version,
        decision_ref=getattr(payload, "decision_ref", ""),
        decision_date=getattr(payload, "decision_date", None),
    )
    return _nomination_detail(request.user, nomination.pk)


@router.post("/nominations/{nomination_id}/forward", response={200: NominationDetailOut, **ERRORS})
def forward_nomination(request, nomination_id: int, payload: ReviewIn):
    """Send a submitted nomination on to the next level (not past the round's unit)."""
    return _review(request, nomination_id, ReviewAction.FORWARD, payload)


@router.post("/nominations/{nomination_id}/return", response={200: NominationDetailOut, **ERRORS})
def return_nomination(request, nomination_id: int, payload: ReviewIn):
    """Return a nomination to its proposing unit for completion; ``comment`` (the reason) is
    required."""
    return _review(request, nomination_id, ReviewAction.RETURN, payload)


@router.post("/nominations/{nomination_id}/reject", response={200: NominationDetailOut, **ERRORS})
def reject_nomination(request, nomination_id: int, payload: ReviewIn):
    """Reject a nomination; ``comment`` (the reason) is required."""
    return _review(request, nomination_id, ReviewAction.REJECT, payload)


@router.post(
    "/nominations/{nomination_id}/recognise", response={200: NominationDetailOut, **ERRORS}
)
def recognise_nomination(request, nomination_id: int, payload: RecogniseIn):
    """Recognise a nomination at the unit that runs its round, with the decision's number and
    date (both required); it enters the registry."""
    return _review(request, nomination_id, ReviewAction.RECOGNISE, payload)


# ---- registry ---------------------------------------------------------------------------------
class ExemplarOut(Schema):
    id: int
    subject_id: int
    subject_name: str = Field(..., alias="subject.name")
    subject_kind: str = Field(..., alias="subject.kind")
    unit_id: int = Field(..., alias="subject.unit_id")
    unit_name: str = Field(..., alias="subject.unit.name")
    nomination_id: int | None
    category: str
    movement_id: int
    movement_name: str = Field(..., alias="movement.name")
    year: int
    recognising_unit_id: int
    recognising_unit_name: str = Field(..., alias="recognising_unit.name")
    recognised_at: dt.datetime
    decision_ref: str
    decision_date: dt.date | None


class NurtureNoteOut(Schema):
    id: int
    date: dt.date
    text: str
    by_name: str

    @staticmethod
    def resolve_by_name(obj) -> str:
        return obj.by.full_name or obj.by.username


class ReplicationOut(Schema):
    id: int
    adopting_unit_id: int
    adopting_unit_name: str = Field(..., alias="adopting_unit.name")
    date: dt.date
    result: str


class ExemplarDetailOut(ExemplarOut):
    nurture_notes: list[NurtureNoteOut]
    replications: list[ReplicationOut]

    @staticmethod
    def resolve_nurture_notes(obj: Exemplar) -> list:
        return obj.notes_out

    @staticmethod
    def resolve_replications(obj: Exemplar) -> list:
        return obj.replications_out


class ExemplarFilter(Schema):
    year: int | None = None
    movement: int | None = None
    category: Category | None = None
    kind: SubjectKind | None = None
    unit: int | None = None
    q: str | None = None


@router.get("/exemplars", response=list[ExemplarOut])
@paginate(Pagination, page_size=50)
def list_exemplars(request, filters: Query[ExemplarFilter]):
    """The registry across years, newest first, people by given name within a year."""
    return queries.filter_exemplars(ex.exemplars_for(request.user), _filters(request, filters))


@router.get("/exemplars/{exemplar_id}", response={200: ExemplarDetailOut, 404: NotFoundOut})
def exemplar_detail(request, exemplar_id: int):
    """A recognised exemplar with its nurture notes and replications."""
    exemplar = ex.get_exemplar(request.user, exemplar_id)
    exemplar.notes_out = list(exemplar.nurture_notes.select_related("by"))
    exemplar.replications_out = list(exemplar.replications.select_related("adopting_unit"))
    return exemplar
