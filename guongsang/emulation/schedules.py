"""Lịch chấm điểm: an organiser's scoring of a year, with the three steps' deadlines.

Like a reporting round (``reports.services.round_create``), the self-scoring step is a task of
a công văn: created in a draft (new or given), delivered when the document is issued to every
current unit of the table's level below the organiser, so the compliance board and its
reminders track it. Submitting a self-score marks the unit's assignment done, a return opens
it again (``services.score_submit`` / ``score_return``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.plans import services as plan_services
from guongsang.plans.models import Assignment, DocType, Document, Organ, TaskKind
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit

from .models import Block, BlockMember, PointsTable, Schedule, Score, ScoreState

MANAGED_BY = "emulation"
# The cross-check task's recipients: the leaders and deputies of the organiser's blocks of the
# year (``checker_units``, registered in ``plans.services.SCOPE_RESOLVERS`` by the app).
CHECK_SCOPE = "emulation:check"


@transaction.atomic
def schedule_create(
    *,
    by: User,
    organiser: Unit,
    year: int,
    table: PointsTable,
    self_deadline: dt.date,
    check_deadline: dt.date,
    final_deadline: dt.date,
    document: Document | None = None,
    drafting_code: str = "VP",
) -> Schedule:
    """The year's scoring against ``table``: a self-scoring task added to ``document`` (a
    draft of the organiser's) or to a new công văn draft; issuing it asks every unit of the
    table's level in the organiser's subtree."""
    access.require(by, Perm.EDIT, organiser, _("Bạn không thể lập lịch chấm điểm của đơn vị này."))
    errors: dict[str, list[str]] = {}
    if table.issuing_unit_id != organiser.pk or table.year != year:
        errors.setdefault("table", []).append(
            _("Bảng điểm phải do đơn vị tổ chức ban hành cho năm này.")
        )
    if self_deadline and check_deadline and check_deadline < self_deadline:
        errors.setdefault("check_deadline", []).append(
            _("Hạn chấm chéo phải sau hoặc bằng hạn tự chấm.")
        )
    if check_deadline and final_deadline and final_deadline < check_deadline:
        errors.setdefault("final_deadline", []).append(
            _("Hạn chốt điểm phải sau hoặc bằng hạn chấm chéo.")
        )
    if document is not None and (document.unit_id != organiser.pk or document.is_issued):
        errors.setdefault("document", []).append(
            _("Chỉ gắn được vào văn bản dự thảo của chính đơn vị.")
        )
    if Schedule.objects.filter(organiser=organiser, year=year).exists():
        errors.setdefault("year", []).append(_("Đơn vị đã có lịch chấm điểm của năm này."))
    if errors:
        raise ValidationError(errors)
    title = _("Tự chấm điểm thi đua năm %(year)s") % {"year": year}
    if document is None:
        document = plan_services.document_save(
            by=by,
            unit=organiser,
            organ=Organ.BTV,
            doc_type=DocType.CV,
            drafting_code=drafting_code,
            abstract=_("V/v tự chấm điểm thi đua năm %(year)s") % {"year": year},
            body=_(
                "Đề nghị các đơn vị tự chấm điểm thi đua năm %(year)s theo %(table)s trên Gương "
                "Sáng, kèm minh chứng, trước ngày %(self)s; cụm trưởng chấm chéo trước ngày "
                "%(check)s; Văn phòng chốt điểm trước ngày %(final)s."
            )
            % {
                "year": year,
                "table": table.name,
                "self": self_deadline.strftime("%d/%m/%Y"),
                "check": check_deadline.strftime("%d/%m/%Y"),
                "final": final_deadline.strftime("%d/%m/%Y"),
            },
        )
    task = plan_services.managed_task_add(
        by=by,
        document=document,
        spec=plan_services.TaskSpec(TaskKind.REPORT, title, self_deadline, scope=table.level),
        managed_by=MANAGED_BY,
    )
    check_task = plan_services.managed_task_add(
        by=by,
        document=document,
        spec=plan_services.TaskSpec(
            TaskKind.OTHER,
            _("Chấm chéo điểm thi đua năm %(year)s (cụm trưởng, cụm phó)") % {"year": year},
            check_deadline,
            scope=CHECK_SCOPE,
        ),
        managed_by=MANAGED_BY,
    )
    try:
        with transaction.atomic():
            return Schedule.objects.create(
                organiser=organiser,
                year=year,
                table=table,
                self_deadline=self_deadline,
                check_deadline=check_deadline,
                final_deadline=final_deadline,
                task=task,
                check_task=check_task,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError({"year": _("Đơn vị đã có lịch chấm điểm của năm này.")}) from None


def schedule_of(block: Block) -> Schedule | None:
    return (
        Schedule.objects.filter(organiser_id=block.organiser_id, year=block.year)
        .select_related("table", "task")
        .first()
    )


def assignment_of(score: Score) -> Assignment | None:
    """The unit's self-scoring task of the year's schedule, once the document is issued."""
    return (
        Assignment.objects.filter(
            task__emulation_schedule__organiser_id=score.block.organiser_id,
            task__emulation_schedule__year=score.block.year,
            recipient__unit_id=score.unit_id,
        )
        .select_related("task")
        .first()
    )


def score_submitted(score: Score, by: User) -> None:
    assignment = assignment_of(score)
    if assignment is not None and assignment.done_at is None:
        plan_services.managed_assignment_done(assignment=assignment, by=by)


def score_returned(score: Score) -> None:
    assignment = assignment_of(score)
    if assignment is not None and assignment.done_at is not None:
        plan_services.managed_assignment_reopen(assignment=assignment)


def checker_units(task) -> list[Unit]:
    """The units that cross-check in the schedule of ``task``: each block's leader (the other
    members' scores) and deputy (the leader's score)."""
    schedule = Schedule.objects.filter(check_task=task).first()
    if schedule is None:
        return []
    ids = set()
    for leader, deputy in Block.objects.filter(
        organiser_id=schedule.organiser_id, year=schedule.year
    ).values_list("leader_id", "deputy_id"):
        ids.update(pk for pk in (leader, deputy) if pk is not None)
    return list(Unit.objects.filter(pk__in=ids))


def _checks_done(block: Block, checker_id: int) -> bool:
    """Whether every score ``checker_id`` cross-checks in ``block`` is checked (or final): the
    leader checks every other member, the deputy the leader."""
    if checker_id == block.leader_id:
        checked = BlockMember.objects.filter(block=block).exclude(unit_id=block.leader_id)
    elif checker_id == block.deputy_id and block.leader_id is not None:
        checked = BlockMember.objects.filter(block=block, unit_id=block.leader_id)
    else:
        return False
    waiting = checked.exclude(
        unit_id__in=Score.objects.filter(
            block=block, state__in=[ScoreState.CHECKED, ScoreState.FINAL]
        ).values("unit_id")
    )
    return not waiting.exists()


def checks_changed(block: Block, by: User | None) -> None:
    """After a cross-check or a return in ``block``: the leader's and the deputy's cross-check
    tasks are done when all they check is checked, open again when not."""
    assignments = Assignment.objects.filter(
        task__emulation_check_schedule__organiser_id=block.organiser_id,
        task__emulation_check_schedule__year=block.year,
        recipient__unit_id__in=[pk for pk in (block.leader_id, block.deputy_id) if pk],
    ).select_related("task", "recipient")
    for assignment in assignments:
        done = _checks_done(block, assignment.recipient.unit_id)
        if done and assignment.done_at is None:
            plan_services.managed_assignment_done(assignment=assignment, by=by)
        elif not done and assignment.done_at is not None:
            plan_services.managed_assignment_reopen(assignment=assignment)


# ---- progress --------------------------------------------------------------------------------
@dataclass
class Step:
    key: str
    label: str
    deadline: dt.date | None
    done: int
    late: int  # done after the deadline, or not done and the deadline past
    total: int
    state: str  # the scores' state a link lists


@dataclass
class BlockRow:
    block: Block
    members: int
    opened: int
    submitted: int
    checked: int
    final: int


def progress(schedule: Schedule, blocks_q: Q | None = None, *, today: dt.date | None = None):
    """Per step, over the organiser's blocks of the year (or ``blocks_q`` of them): units in
    the blocks, scores opened, submitted (or further), checked (or further), final, and the
    late ones against each deadline. Two grouped queries, whatever the number of blocks."""
    today = today or timezone.localdate()
    blocks = Block.objects.filter(organiser_id=schedule.organiser_id, year=schedule.year)
    if blocks_q is not None:
        blocks = blocks.filter(blocks_q)
    members = BlockMember.objects.filter(block__in=blocks).count()
    c = _counts(blocks, schedule)
    steps = [
        Step(
            "opened",
            _("Đã mở bảng tự chấm"),
            None,
            c["opened"],
            0,
            members,
            ScoreState.DRAFT,
        ),
        Step(
            "submitted",
            _("Đã gửi tự chấm"),
            schedule.self_deadline,
            c["submitted"],
            c["submitted_late"]
            + (members - c["submitted"] if today > schedule.self_deadline else 0),
            members,
            ScoreState.SUBMITTED,
        ),
        Step(
            "checked",
            _("Đã chấm chéo"),
            schedule.check_deadline,
            c["checked"],
            c["checked_late"] + (members - c["checked"] if today > schedule.check_deadline else 0),
            members,
            ScoreState.CHECKED,
        ),
        Step(
            "final",
            _("Đã chốt điểm"),
            schedule.final_deadline,
            c["final"],
            c["final_late"] + (members - c["final"] if today > schedule.final_deadline else 0),
            members,
            ScoreState.FINAL,
        ),
    ]
    return steps


def _counts(blocks, schedule: Schedule) -> dict:
    submitted_states = [ScoreState.SUBMITTED, ScoreState.CHECKED, ScoreState.FINAL]
    checked_states = [ScoreState.CHECKED, ScoreState.FINAL]
    return (
        Score.objects.filter(block__in=blocks)
        .annotate(
            submitted_day=TruncDate("submitted_at"),
            checked_day=TruncDate("checked_at"),
            final_day=TruncDate("finalised_at"),
        )
        .aggregate(
            opened=Count("pk"),
            submitted=Count("pk", filter=Q(state__in=submitted_states)),
            submitted_late=Count(
                "pk",
                filter=Q(state__in=submitted_states, submitted_day__gt=schedule.self_deadline),
            ),
            checked=Count("pk", filter=Q(state__in=checked_states)),
            checked_late=Count(
                "pk", filter=Q(state__in=checked_states, checked_day__gt=schedule.check_deadline)
            ),
            final=Count("pk", filter=Q(state=ScoreState.FINAL)),
            final_late=Count(
                "pk", filter=Q(state=ScoreState.FINAL, final_day__gt=schedule.final_deadline)
            ),
        )
    )


def block_rows(schedule: Schedule, blocks_q: Q | None = None) -> list[BlockRow]:
    """Each block of the schedule's organiser and year with its counts: one grouped query."""
    blocks = Block.objects.filter(organiser_id=schedule.organiser_id, year=schedule.year)
    if blocks_q is not None:
        blocks = blocks.filter(blocks_q)
    submitted_states = [ScoreState.SUBMITTED, ScoreState.CHECKED, ScoreState.FINAL]
    checked_states = [ScoreState.CHECKED, ScoreState.FINAL]
    rows = (
        blocks.select_related("leader")
        .annotate(
            n_members=Count("members", distinct=True),
            n_opened=Count("scores", distinct=True),
            n_submitted=Count(
                "scores", filter=Q(scores__state__in=submitted_states), distinct=True
            ),
            n_checked=Count("scores", filter=Q(scores__state__in=checked_states), distinct=True),
            n_final=Count("scores", filter=Q(scores__state=ScoreState.FINAL), distinct=True),
        )
        .order_by("name", "pk")
    )
    return [
        BlockRow(b, b.n_members, b.n_opened, b.n_submitted, b.n_checked, b.n_final) for b in rows
    ]
