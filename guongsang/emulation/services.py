"""Writes of clusters and blocks, points tables and scores (keyword-only, in transactions).

Rights: the organiser's officers (edit on the organiser) set up blocks and tables and fix the
final scores; a member unit's officers score it; the block leader's officers cross-check the
others' scores (the deputy's officers check the leader's own). Every step of a score is taken
under a row lock against the version the user saw, and leaves a ``ScoreStep``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

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
from guongsang.units.models import PATH_END, Unit

from . import schedules
from .models import (
    Block,
    BlockMember,
    CriterionKind,
    PointsCriterion,
    PointsGroup,
    PointsTable,
    Score,
    ScoreAction,
    ScoreLine,
    ScoreState,
    ScoreStep,
)

ZERO = Decimal("0")


# ---- blocks ---------------------------------------------------------------------------------
def _check_organiser(by: User, organiser: Unit) -> None:
    if not access.can(by, Perm.EDIT, organiser):
        raise ValidationError(_("Bạn không thể lập cụm, khối thi đua của đơn vị này."))


def _below(organiser: Unit, unit: Unit) -> bool:
    return organiser.path < unit.path < organiser.path + PATH_END


def _current_year() -> int:
    return timezone.localdate().year


@transaction.atomic
def block_save(
    *,
    by: User,
    organiser: Unit,
    year: int,
    name: str,
    members: Iterable[Unit],
    kind: str = "cluster",
    leader: Unit | None = None,
    deputy: Unit | None = None,
    note: str = "",
    block: Block | None = None,
) -> Block:
    """Create or change a block of ``organiser`` for ``year`` with its member units (units
    below the organiser, each in one block of the organiser per year). The leader and the
    deputy are members. A past year's blocks stay as they were."""
    _check_organiser(by, organiser)
    members = list(dict.fromkeys(members))
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Nhập tên cụm, khối.")
    if year < _current_year():
        errors["year"] = _("Cụm, khối của năm đã qua được giữ nguyên, không sửa được.")
    outside = [u.name for u in members if not _below(organiser, u)]
    if outside:
        errors["members"] = _("Không thuộc %(o)s: %(u)s.") % {
            "o": organiser.name,
            "u": ", ".join(outside),
        }
    elif not members:
        errors["members"] = _("Chọn các đơn vị của cụm, khối.")
    for field, unit in (("leader", leader), ("deputy", deputy)):
        if unit is not None and unit not in members:
            errors[field] = _("Cụm trưởng, cụm phó phải là đơn vị trong cụm, khối.")
    if leader is not None and leader == deputy:
        errors["deputy"] = _("Cụm phó phải khác cụm trưởng.")
    if block is not None and block.pk is not None:
        scored = (
            Score.objects.filter(block=block)
            .exclude(unit__in=members)
            .select_related("unit")
            .order_by("unit__name")
        )
        if scored:
            errors["members"] = _(
                "Đơn vị đã có bảng chấm điểm trong cụm, khối nên không bỏ ra được: %(u)s."
            ) % {"u": ", ".join(s.unit.name for s in scored)}
    if errors:
        raise ValidationError(errors)
    if block is None:
        block = Block(organiser=organiser, year=year, created_by=by)
    elif block.organiser_id != organiser.pk or block.year < _current_year():
        raise ValidationError(_("Cụm, khối của năm đã qua được giữ nguyên, không sửa được."))
    block.name, block.kind, block.note = name, kind, note
    block.leader, block.deputy, block.year = leader, deputy, year
    try:
        with transaction.atomic():
            block.save()
            BlockMember.objects.filter(block=block).exclude(unit__in=members).delete()
            have = set(BlockMember.objects.filter(block=block).values_list("unit_id", flat=True))
            BlockMember.objects.bulk_create(
                [
                    BlockMember(block=block, unit=u, organiser=organiser, year=year, order=n)
                    for n, u in enumerate(members)
                    if u.pk not in have
                ]
            )
    except IntegrityError:
        taken = BlockMember.objects.filter(
            organiser=organiser, year=year, unit__in=members
        ).exclude(block=block)
        if (
            Block.objects.filter(organiser=organiser, year=year, name=name)
            .exclude(pk=block.pk)
            .exists()
        ):
            raise ValidationError({"name": _("Đã có cụm, khối tên này trong năm.")}) from None
        raise ValidationError(
            {
                "members": _("Đã ở cụm, khối khác trong năm: %(u)s.")
                % {"u": ", ".join(m.unit.name for m in taken.select_related("unit"))}
            }
        ) from None
    return block


@transaction.atomic
def blocks_copy(*, by: User, organiser: Unit, from_year: int, to_year: int) -> list[Block]:
    """Next year's blocks from this year's: the same members (still open units), and the
    leadership rotating: the deputy becomes the leader and the next member in order the
    deputy. Blocks already made for ``to_year`` are left alone."""
    _check_organiser(by, organiser)
    made = []
    existing = set(
        Block.objects.filter(organiser=organiser, year=to_year).values_list("name", flat=True)
    )
    for old in Block.objects.filter(organiser=organiser, year=from_year).select_related(
        "leader", "deputy"
    ):
        if old.name in existing:
            continue
        members = [
            m.unit
            for m in old.members.select_related("unit").order_by("order", "pk")
            if m.unit.valid_to is None
        ]
        leader = old.deputy if old.deputy in members else (members[0] if members else None)
        deputy = None
        if leader is not None and len(members) > 1:
            deputy = members[(members.index(leader) + 1) % len(members)]
        made.append(
            block_save(
                by=by,
                organiser=organiser,
                year=to_year,
                name=old.name,
                kind=old.kind,
                members=members,
                leader=leader,
                deputy=deputy,
                note=old.note,
            )
        )
    return made


# ---- points tables --------------------------------------------------------------------------
def _check_table_editable(by: User, table: PointsTable) -> None:
    _check_organiser(by, table.issuing_unit)
    if table.frozen_at is not None:
        raise ValidationError(
            _("Bảng điểm đã được dùng để chấm: không sửa được, hãy lập phiên bản mới.")
        )


@transaction.atomic
def table_create(
    *, by: User, issuing_unit: Unit, year: int, level: str, name: str, **bands
) -> PointsTable:
    _check_organiser(by, issuing_unit)
    table = PointsTable(issuing_unit=issuing_unit, year=year, level=level, name=name, **bands)
    _check_bands(table)
    table.save()
    return table


def _check_bands(table: PointsTable) -> None:
    if not (table.excellent_from > table.good_from > table.fair_from >= ZERO):
        raise ValidationError(
            {"excellent_from": _("Ngưỡng xếp loại phải giảm dần: xuất sắc > tốt > khá ≥ 0.")}
        )
    from .ranking import TIE_BREAKS

    unknown = [k for k in table.tie_break.split(",") if k and k not in TIE_BREAKS]
    if unknown:
        raise ValidationError({"tie_break": _("Cách xét khi bằng điểm không hợp lệ.")})


@transaction.atomic
def group_add(*, by: User, table: PointsTable, code: str, title: str) -> PointsGroup:
    _check_table_editable(by, table)
    order = table.groups.count()
    return PointsGroup.objects.create(table=table, code=code, title=title, order=order)


@transaction.atomic
def criterion_add(
    *,
    by: User,
    group: PointsGroup,
    code: str,
    text: str,
    max_points: Decimal,
    kind: str = CriterionKind.SCORED,
    evidence_required: bool = False,
    figure: str = "",
) -> PointsCriterion:
    _check_table_editable(by, group.table)
    if max_points is None or max_points <= ZERO:
        raise ValidationError({"max_points": _("Điểm tối đa phải lớn hơn 0.")})
    return PointsCriterion.objects.create(
        group=group,
        code=code,
        text=text,
        max_points=max_points,
        kind=kind,
        evidence_required=evidence_required,
        figure=figure,
        order=group.criteria.count(),
    )


@transaction.atomic
def table_new_version(*, by: User, table: PointsTable) -> PointsTable:
    """Copy a table (groups, criteria, bands) into a new, editable version."""
    _check_organiser(by, table.issuing_unit)
    latest = (
        PointsTable.objects.filter(
            issuing_unit=table.issuing_unit, year=table.year, level=table.level, name=table.name
        )
        .order_by("-version")
        .first()
    )
    copy = PointsTable.objects.create(
        issuing_unit=table.issuing_unit,
        year=table.year,
        level=table.level,
        name=table.name,
        version=latest.version + 1,
        previous=table,
        excellent_from=table.excellent_from,
        good_from=table.good_from,
        fair_from=table.fair_from,
        tie_break=table.tie_break,
    )
    for group in table.groups.prefetch_related("criteria"):
        new_group = PointsGroup.objects.create(
            table=copy, code=group.code, title=group.title, order=group.order
        )
        PointsCriterion.objects.bulk_create(
            [
                PointsCriterion(
                    group=new_group,
                    order=c.order,
                    code=c.code,
                    text=c.text,
                    kind=c.kind,
                    max_points=c.max_points,
                    evidence_required=c.evidence_required,
                    figure=c.figure,
                )
                for c in group.criteria.all()
            ]
        )
    return copy


def criteria_of(table: PointsTable) -> list[PointsCriterion]:
    return list(
        PointsCriterion.objects.filter(group__table=table)
        .select_related("group")
        .order_by("group__order", "group__pk", "order", "pk")
    )


# ---- the arithmetic -------------------------------------------------------------------------
def total(rows: Iterable[tuple[PointsCriterion, Decimal | None]]) -> Decimal:
    """The score of (criterion, points) rows: the scored criteria's points, each capped at its
    maximum, plus the bonus points (capped likewise), minus the penalty points (capped
    likewise); never below zero. Unscored rows count as zero."""
    scored = bonus = penalty = ZERO
    for criterion, points in rows:
        points = min(max(points or ZERO, ZERO), criterion.max_points)
        if criterion.kind == CriterionKind.BONUS:
            bonus += points
        elif criterion.kind == CriterionKind.PENALTY:
            penalty += points
        else:
            scored += points
    return max(scored + bonus - penalty, ZERO)


# ---- scores ---------------------------------------------------------------------------------
def _member(block: Block, unit: Unit) -> bool:
    return BlockMember.objects.filter(block=block, unit=unit).exists()


@transaction.atomic
def score_open(*, by: User, block: Block, unit: Unit, table: PointsTable) -> Score:
    """Start the unit's scoring in its block against ``table`` (which freezes the table)."""
    if not access.can(by, Perm.EDIT, unit):
        raise ValidationError(_("Bạn không thể chấm điểm cho đơn vị này."))
    if not _member(block, unit):
        raise ValidationError(_("Đơn vị không thuộc cụm, khối này."))
    if table.year != block.year or table.issuing_unit_id != block.organiser_id:
        raise ValidationError(_("Bảng điểm không phải của cụm, khối năm này."))
    if table.level != unit.kind:
        raise ValidationError(_("Bảng điểm không dành cho cấp của đơn vị."))
    try:
        with transaction.atomic():
            score = Score.objects.create(block=block, unit=unit, table=table)
    except IntegrityError:
        raise ValidationError(_("Đơn vị đã có bảng tự chấm trong cụm, khối năm nay.")) from None
    ScoreLine.objects.bulk_create([ScoreLine(score=score, criterion=c) for c in criteria_of(table)])
    if table.frozen_at is None:
        PointsTable.objects.filter(pk=table.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )
    return score


def _locked(score: Score, version: int | None) -> Score:
    fresh = (
        Score.objects.select_for_update().select_related("block", "unit", "table").get(pk=score.pk)
    )
    if version is not None and fresh.version != version:
        raise ValidationError(
            _("Bảng điểm vừa được người khác thay đổi; hãy tải lại trang."), code="stale"
        )
    return fresh


def _lines(score: Score) -> list[ScoreLine]:
    return list(
        score.lines.select_related("criterion__group").order_by(
            "criterion__group__order", "criterion__order", "criterion__pk"
        )
    )


def points_text(value: Decimal) -> str:
    """12, 12,5 or 12,25: points as an officer writes them."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _apply(lines: list[ScoreLine], entries: dict, field: str, note_field: str) -> None:
    """Write ``entries`` {criterion id: {"points": Decimal | None, "note": str, ...}} onto the
    lines' ``field``, checking each value against its criterion's maximum."""
    by_criterion = {line.criterion_id: line for line in lines}
    errors = []
    for criterion_id, entry in entries.items():
        try:
            line = by_criterion.get(int(criterion_id))
        except (TypeError, ValueError):
            line = None
        if line is None:
            errors.append(_("Tiêu chí không thuộc bảng điểm này."))
            continue
        points = entry.get("points")
        if points is not None:
            try:
                points = Decimal(str(points).strip().replace(",", "."))
            except InvalidOperation:
                points = None
                errors.append(_("%(c)s: điểm không hợp lệ.") % {"c": line.criterion.code})
                continue
            if not points.is_finite() or points < ZERO or points > line.criterion.max_points:
                errors.append(
                    _("%(c)s: điểm phải từ 0 đến %(m)s.")
                    % {"c": line.criterion.code, "m": points_text(line.criterion.max_points)}
                )
                continue
            if points != points.quantize(Decimal("0.01")):
                errors.append(
                    _("%(c)s: chỉ ghi tối đa 2 chữ số sau dấu phẩy.") % {"c": line.criterion.code}
                )
                continue
        setattr(line, field, points)
        if "note" in entry:
            setattr(line, note_field, (entry.get("note") or "").strip())
        if "evidence" in entry and field == "self_points":
            line.evidence = list(entry.get("evidence") or [])
    if errors:
        raise ValidationError(errors)


AUDITED = {
    ScoreAction.SUBMIT: Action.SCORE_SUBMIT,
    ScoreAction.CHECK: Action.SCORE_CHECK,
    ScoreAction.RETURN: Action.SCORE_RETURN,
    ScoreAction.FINALISE: Action.SCORE_FINALISE,
}


def _step(score: Score, action: str, by: User, total_value, note: str = "") -> None:
    """The score's own trail, and the audit log (under the scored unit, so its admins and
    those above read it)."""
    ScoreStep.objects.create(score=score, action=action, by=by, total=total_value, note=note)
    details = {"state": score.state}
    if total_value is not None:
        details["total"] = points_text(total_value)
    if note:
        details["reason"] = note[:300]
    audit.record(
        action=AUDITED[action],
        actor=by,
        unit=score.unit,
        obj=score,
        label=f"{score.unit.name} · {score.block.name} ({score.block.year})",
        details=details,
    )


@transaction.atomic
def score_self(*, by: User, score: Score, version: int | None, entries: dict) -> Score:
    """The unit's own points, notes and evidence (while it drafts or after a return)."""
    score = _locked(score, version)
    if not access.can(by, Perm.EDIT, score.unit):
        raise ValidationError(_("Bạn không thể chấm điểm cho đơn vị này."))
    if score.state not in (ScoreState.DRAFT, ScoreState.RETURNED):
        raise ValidationError(_("Bảng tự chấm đã gửi, không sửa được."))
    lines = _lines(score)
    _apply(lines, entries, "self_points", "self_note")
    ScoreLine.objects.bulk_update(lines, ["self_points", "self_note", "evidence"])
    score.self_total = total((line.criterion, line.self_points) for line in lines)
    score.version += 1
    score.save(update_fields=["self_total", "version"])
    return score


@transaction.atomic
def score_submit(*, by: User, score: Score, version: int | None) -> Score:
    score = _locked(score, version)
    if not access.can(by, Perm.EDIT, score.unit):
        raise ValidationError(_("Bạn không thể chấm điểm cho đơn vị này."))
    if score.state not in (ScoreState.DRAFT, ScoreState.RETURNED):
        raise ValidationError(_("Bảng tự chấm đã gửi."))
    problems = []
    for line in _lines(score):
        c = line.criterion
        if c.kind == CriterionKind.SCORED and line.self_points is None:
            problems.append(_("%(c)s: chưa chấm.") % {"c": c.code})
        elif c.evidence_required and (line.self_points or ZERO) > ZERO and not line.evidence:
            problems.append(_("%(c)s: cần minh chứng.") % {"c": c.code})
    if problems:
        raise ValidationError(problems)
    score.state = ScoreState.SUBMITTED
    score.submitted_at = timezone.now()
    score.version += 1
    score.save(update_fields=["state", "submitted_at", "version"])
    _step(score, ScoreAction.SUBMIT, by, score.self_total)
    schedules.score_submitted(score, by)
    return score


def checker_unit(score: Score) -> Unit | None:
    """Who cross-checks: the block's leader, or for the leader's own score its deputy."""
    block = score.block
    if block.leader_id is None:
        return None
    if score.unit_id == block.leader_id:
        return block.deputy
    return block.leader


def can_check(user: User, score: Score) -> bool:
    unit = checker_unit(score)
    return unit is not None and access.can(user, Perm.EDIT, unit)


def can_finalise(user: User, score: Score) -> bool:
    return access.can(user, Perm.EDIT, score.block.organiser)


def _review(score: Score, entries: dict, *, points: str, note: str, start_from: str) -> Score:
    """A reviewer's step on the lines: ``points`` start as ``start_from`` (the previous step's)
    and take the reviewer's ``entries``; returns the total of ``points``."""
    lines = _lines(score)
    for line in lines:
        setattr(line, points, getattr(line, start_from))
    _apply(lines, entries, points, note)
    ScoreLine.objects.bulk_update(lines, [points, note])
    return total((line.criterion, getattr(line, points)) for line in lines)


@transaction.atomic
def score_check(*, by: User, score: Score, version: int | None, entries: dict) -> Score:
    """The leader's cross-check: points per criterion (the unit's own where none is given)."""
    score = _locked(score, version)
    if not can_check(by, score):
        raise ValidationError(_("Chỉ cụm trưởng (cụm phó với bảng của cụm trưởng) chấm chéo."))
    if score.state != ScoreState.SUBMITTED:
        raise ValidationError(_("Bảng điểm không ở bước chấm chéo."))
    score.check_total = _review(
        score, entries, points="check_points", note="check_note", start_from="self_points"
    )
    score.state = ScoreState.CHECKED
    score.checked_at = timezone.now()
    score.version += 1
    score.save(update_fields=["check_total", "state", "checked_at", "version"])
    _step(score, ScoreAction.CHECK, by, score.check_total)
    schedules.checks_changed(score.block, by)
    return score


@transaction.atomic
def score_return(*, by: User, score: Score, version: int | None, reason: str) -> Score:
    """Back to the unit, with a reason: by the checker after submission, or by the organiser
    after the cross-check."""
    score = _locked(score, version)
    reason = " ".join((reason or "").split())
    if score.state == ScoreState.SUBMITTED and can_check(by, score):
        pass
    elif score.state == ScoreState.CHECKED and can_finalise(by, score):
        pass
    else:
        raise ValidationError(_("Bạn không thể trả lại bảng điểm này ở bước này."))
    if not reason:
        raise ValidationError({"reason": _("Ghi lý do trả lại.")})
    score.state = ScoreState.RETURNED
    score.version += 1
    score.save(update_fields=["state", "version"])
    _step(score, ScoreAction.RETURN, by, None, reason)
    schedules.score_returned(score)
    schedules.checks_changed(score.block, by)
    return score


@transaction.atomic
def score_finalise(*, by: User, score: Score, version: int | None, entries: dict) -> Score:
    """The organiser's office fixes the final points (the cross-check's where none is given);
    the score is then closed."""
    score = _locked(score, version)
    if not can_finalise(by, score):
        raise ValidationError(_("Chỉ văn phòng đơn vị tổ chức chốt điểm."))
    if score.state != ScoreState.CHECKED:
        raise ValidationError(_("Bảng điểm chưa được chấm chéo."))
    score.final_total = _review(
        score, entries, points="final_points", note="final_note", start_from="check_points"
    )
    score.state = ScoreState.FINAL
    score.finalised_at = timezone.now()
    score.version += 1
    score.save(update_fields=["final_total", "state", "finalised_at", "version"])
    _step(score, ScoreAction.FINALISE, by, score.final_total)
    return score


def scores_for(user: User | None):
    """Scores the user may read: those of the blocks she organises (view on the organiser) or
    cross-checks (edit on the leader or the deputy), her own units' in the other blocks, and
    of those other blocks only the final ones.

    The blocks and the member rows in her scope are read first (small tables: a few hundred
    blocks a year) and the scores are then filtered by those literal ids: with the scope as
    OR-ed subqueries PostgreSQL misestimated the rows and hashed every unit to name a page of
    twenty (national data, 41 of 52 ms)."""
    from .access import block_roles, in_scope

    reviewed = block_roles(user).reviewed
    members = BlockMember.objects.filter(in_scope(user, Perm.VIEW, "unit")).exclude(
        block_id__in=sorted(reviewed)
    )
    other_blocks: set[int] = set()
    mine: set[int] = set()
    for block_id, unit_id in members.values_list("block_id", "unit_id"):
        other_blocks.add(block_id)
        mine.add(unit_id)
    return Score.objects.filter(
        Q(block_id__in=sorted(reviewed))
        | Q(unit_id__in=sorted(mine), block_id__in=sorted(other_blocks))
        | Q(state=ScoreState.FINAL, block_id__in=sorted(other_blocks))
    )


def year_of(day: dt.date | None = None) -> int:
    return (day or timezone.localdate()).year


# ---- evidence ---------------------------------------------------------------------------------
EVIDENCE_LIMIT = 10


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def evidence_candidates(score: Score, q: str = "", kind: str = "", pk: int | None = None):
    """What the unit may cite for the year: its subtree's activities of the year, its own
    reports due in the year, exemplars recognised in its subtree that year. ``q`` filters by
    title or name (folded); ``kind`` and ``pk`` pick one. At most ``EVIDENCE_LIMIT`` of each
    kind, three queries."""
    from guongsang.core.text import fold
    from guongsang.exemplars.models import Exemplar
    from guongsang.outreach.models import Activity
    from guongsang.reports.models import UnitReport

    unit = score.unit
    start, end = _year_range(score.block.year)
    needle = fold(q or "")
    out: list[dict] = []
    if kind in ("", "activity"):
        acts = Activity.objects.filter(
            unit_path__gte=unit.path, unit_path__lt=unit.path + PATH_END, date__range=(start, end)
        )
        if needle:
            acts = acts.filter(title_folded__contains=needle)
        if pk is not None:
            acts = acts.filter(pk=pk)
        for a in acts.order_by("-date", "-pk").values("pk", "title", "date")[:EVIDENCE_LIMIT]:
            label = f"{a['title']} ({a['date']:%d/%m/%Y})"
            out.append({"kind": "activity", "id": a["pk"], "label": label[:300]})
    if kind in ("", "report"):
        reps = UnitReport.objects.filter(
            unit=unit, round__deadline__range=(start, end)
        ).select_related("round")
        if needle:
            reps = reps.filter(round__title__icontains=q.strip())
        if pk is not None:
            reps = reps.filter(pk=pk)
        for r in reps.order_by("-round__deadline", "-pk")[:EVIDENCE_LIMIT]:
            out.append({"kind": "report", "id": r.pk, "label": r.round.title[:300]})
    if kind in ("", "exemplar"):
        exs = Exemplar.objects.filter(
            subject_path__gte=unit.path,
            subject_path__lt=unit.path + PATH_END,
            year=score.block.year,
        ).select_related("subject")
        if needle:
            exs = exs.filter(subject__name_folded__contains=needle)
        if pk is not None:
            exs = exs.filter(pk=pk)
        for e in exs.order_by("-recognised_at", "-pk")[:EVIDENCE_LIMIT]:
            label = f"{e.subject.name} – {e.get_category_display()}"
            out.append({"kind": "exemplar", "id": e.pk, "label": label[:300]})
    return out


def _line_evidence(score: Score, criterion_id: int) -> list:
    line = score.lines.filter(criterion_id=criterion_id).first()
    if line is None:
        raise ValidationError(_("Tiêu chí không thuộc bảng điểm này."))
    return list(line.evidence or [])


@transaction.atomic
def evidence_add(
    *, by: User, score: Score, version: int | None, criterion_id: int, item: dict
) -> Score:
    """Cite ``item`` for a criterion: an activity, report or exemplar the unit may cite
    (checked here again), or a link {"kind": "link", "url", "label"}."""
    score = _locked(score, version)
    if item.get("kind") == "link":
        url = str(item.get("url") or "")
        if not url.startswith(("http://", "https://")):
            raise ValidationError({"url": _("Nhập một đường dẫn hợp lệ, ví dụ https://…")})
        entry = {"kind": "link", "url": url[:500], "label": (item.get("label") or url)[:200]}
    else:
        found = evidence_candidates(score, kind=item.get("kind") or "?", pk=item.get("id"))
        if not found:
            raise ValidationError(_("Không tìm thấy minh chứng này trong dữ liệu của đơn vị."))
        entry = found[0]
    evidence = _line_evidence(score, criterion_id)
    if entry in evidence:
        return score
    if len(evidence) >= 20:
        raise ValidationError(_("Mỗi tiêu chí ghi tối đa 20 minh chứng."))
    return score_self(
        by=by,
        score=score,
        version=score.version,
        entries={
            criterion_id: {
                "points": _self_points(score, criterion_id),
                "evidence": [*evidence, entry],
            }
        },
    )


def _self_points(score: Score, criterion_id: int):
    return (
        score.lines.filter(criterion_id=criterion_id).values_list("self_points", flat=True).first()
    )


@transaction.atomic
def evidence_drop(
    *, by: User, score: Score, version: int | None, criterion_id: int, index: int
) -> Score:
    score = _locked(score, version)
    evidence = _line_evidence(score, criterion_id)
    if 0 <= index < len(evidence):
        del evidence[index]
    return score_self(
        by=by,
        score=score,
        version=score.version,
        entries={criterion_id: {"points": _self_points(score, criterion_id), "evidence": evidence}},
    )
