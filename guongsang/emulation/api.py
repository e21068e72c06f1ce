"""Emulation blocks, points tables, scores and rankings over the JSON API: the same access
helpers (``emulation.access``) and services as the pages. Missing and not yours are the same
404; a service's ``ValidationError`` is a 400 with its Vietnamese messages and its code
("stale" when someone else acted first). A unit never sees another block's unfinished scores:
every score is read through ``access.scores_for``, and the rankings hold final scores only."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

try:
    from ninja import Status
except ImportError:  # django-ninja < 1.5 returns (status, body) tuples

    def Status(status_code, value):  # noqa: N802
        return status_code, value


from guongsang.api.fields import Id, Pagination, Year, decimal_text
from guongsang.core.forms import ID_MAX
from guongsang.units import access as unit_access
from guongsang.units.access import Perm

from . import access, ranking, services
from .models import (
    Block,
    PointsCriterion,
    PointsGroup,
    PointsTable,
    Score,
    ScoreLine,
    ScoreState,
)

router = Router(tags=["Thi đua"])

# 0 to 1000 with at most two decimals (the points fields' validators); each criterion's own
# maximum is checked by the service.
EmulationPoints = decimal_text(r"^(1000(\.0{1,2})?|\d{1,3}(\.\d{1,2})?)$", maximum="1000")
EVIDENCE_MAX = 20
LINES_MAX = 500


class EmulationErrorOut(Schema):
    detail: str


class EmulationInvalidOut(Schema):
    detail: list[str]
    code: str | None = None


ERRORS = {400: EmulationInvalidOut, 404: EmulationErrorOut}


# ---- answers --------------------------------------------------------------------------------
class EmulationBlockOut(Schema):
    id: int
    organiser_id: int
    organiser: str
    year: int
    kind: str
    kind_label: str
    name: str
    leader_id: int | None
    leader: str | None
    deputy_id: int | None
    deputy: str | None
    note: str

    @staticmethod
    def resolve_organiser(obj: Block) -> str:
        return obj.organiser.union_name

    @staticmethod
    def resolve_kind_label(obj: Block) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_leader(obj: Block) -> str | None:
        return obj.leader.name if obj.leader_id else None

    @staticmethod
    def resolve_deputy(obj: Block) -> str | None:
        return obj.deputy.name if obj.deputy_id else None


class EmulationBlockMemberOut(Schema):
    unit_id: int
    unit: str
    code: str
    order: int


class EmulationBlockDetailOut(EmulationBlockOut):
    members: list[EmulationBlockMemberOut]

    @staticmethod
    def resolve_members(obj: Block) -> list[dict]:
        return [
            {"unit_id": m.unit_id, "unit": m.unit.name, "code": m.unit.code, "order": m.order}
            for m in obj.members.select_related("unit").order_by("order", "pk")
        ]


class EmulationTableOut(Schema):
    id: int
    issuing_unit_id: int
    issuing_unit: str
    year: int
    level: str
    name: str
    version: int
    previous_id: int | None
    frozen: bool
    excellent_from: Decimal
    good_from: Decimal
    fair_from: Decimal
    tie_break: list[str]

    @staticmethod
    def resolve_issuing_unit(obj: PointsTable) -> str:
        return obj.issuing_unit.union_name

    @staticmethod
    def resolve_frozen(obj: PointsTable) -> bool:
        return obj.frozen_at is not None

    @staticmethod
    def resolve_tie_break(obj: PointsTable) -> list[str]:
        return [k for k in obj.tie_break.split(",") if k]


class EmulationCriterionOut(Schema):
    id: int
    order: int
    code: str
    text: str
    kind: str
    max_points: Decimal
    evidence_required: bool
    figure: str


class EmulationGroupOut(Schema):
    id: int
    order: int
    code: str
    title: str
    criteria: list[EmulationCriterionOut]

    @staticmethod
    def resolve_criteria(obj: PointsGroup) -> list[PointsCriterion]:
        return list(obj.criteria.all())


class EmulationTableDetailOut(EmulationTableOut):
    groups: list[EmulationGroupOut]

    @staticmethod
    def resolve_groups(obj: PointsTable) -> list[PointsGroup]:
        return list(obj.groups.prefetch_related("criteria").order_by("order", "pk"))


class EmulationScoreOut(Schema):
    id: int
    block_id: int
    block: str
    year: int
    unit_id: int
    unit: str
    table_id: int
    state: str
    state_label: str
    self_total: Decimal | None
    check_total: Decimal | None
    final_total: Decimal | None
    version: int
    submitted_at: dt.datetime | None
    checked_at: dt.datetime | None
    finalised_at: dt.datetime | None

    @staticmethod
    def resolve_block(obj: Score) -> str:
        return obj.block.name

    @staticmethod
    def resolve_year(obj: Score) -> int:
        return obj.block.year

    @staticmethod
    def resolve_unit(obj: Score) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_state_label(obj: Score) -> str:
        return str(obj.get_state_display())


class EmulationEvidenceOut(Schema):
    kind: str
    id: int | None = None
    label: str = ""
    url: str = ""


class EmulationScoreLineOut(Schema):
    criterion_id: int
    group_code: str
    code: str
    text: str
    kind: str
    max_points: Decimal
    evidence_required: bool
    self_points: Decimal | None
    self_note: str
    evidence: list[EmulationEvidenceOut]
    check_points: Decimal | None
    check_note: str
    final_points: Decimal | None
    final_note: str


class EmulationScoreStepOut(Schema):
    action: str
    at: dt.datetime
    total: Decimal | None
    note: str


def _evidence_out(value) -> list[dict]:
    """The stored evidence as documented, whatever an older page may have written there."""
    out = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        pk = item.get("id")
        out.append(
            {
                "kind": str(item.get("kind") or "link"),
                "id": pk if isinstance(pk, int) and not isinstance(pk, bool) else None,
                "label": str(item.get("label") or ""),
                "url": str(item.get("url") or ""),
            }
        )
    return out


class EmulationScoreDetailOut(EmulationScoreOut):
    lines: list[EmulationScoreLineOut]
    steps: list[EmulationScoreStepOut]

    @staticmethod
    def resolve_lines(obj: Score) -> list[dict]:
        lines = (
            ScoreLine.objects.filter(score=obj)
            .select_related("criterion__group")
            .order_by("criterion__group__order", "criterion__group__pk", "criterion__order", "pk")
        )
        return [
            {
                "criterion_id": line.criterion_id,
                "group_code": line.criterion.group.code,
                "code": line.criterion.code,
                "text": line.criterion.text,
                "kind": line.criterion.kind,
                "max_points": line.criterion.max_points,
                "evidence_required": line.criterion.evidence_required,
                "self_points": line.self_points,
                "self_note": line.self_note,
                "evidence": _evidence_out(line.evidence),
                "check_points": line.check_points,
                "check_note": line.check_note,
                "final_points": line.final_points,
                "final_note": line.final_note,
            }
            for line in lines
        ]

    @staticmethod
    def resolve_steps(obj: Score) -> list:
        return list(obj.steps.order_by("at", "pk"))


class EmulationRankingRowOut(Schema):
    rank: int
    band: str
    band_label: str
    score_id: int
    unit_id: int
    unit: str
    block_id: int
    block: str
    final_total: Decimal
    bonus: Decimal
    penalty: Decimal


# ---- parameters and bodies ------------------------------------------------------------------
class EmulationBlockFilter(Schema):
    year: Year | None = None
    organiser: Id | None = None


class EmulationTableFilter(Schema):
    year: Year | None = None
    issuing_unit: Id | None = None


class EmulationScoreFilter(Schema):
    block: Id | None = None
    state: ScoreState | None = None
    year: Year | None = None


class EmulationRankingFilter(Schema):
    organiser: Id
    year: Year


class EmulationScoreOpenIn(Schema):
    block: Id
    unit: Id = Field(..., description="The scored unit (EDIT), a member of the block")
    table: Id | None = Field(
        None, description="The points table; by default the one of the organiser's schedule"
    )


class EmulationVersionIn(Schema):
    version: int = Field(..., ge=0, le=ID_MAX, description="The score's version as read")


class EmulationEvidenceIn(Schema):
    kind: Literal["activity", "report", "exemplar", "link"]
    id: Id | None = Field(
        None, description="The scored unit's activity, report or exemplar of the block's year"
    )
    label: str = Field("", max_length=200, description="For a link; the others take the system's")
    url: str = Field("", max_length=500, description="For a link: http:// or https://")


class EmulationSelfLineIn(Schema):
    criterion: Id
    points: EmulationPoints | None = Field(..., description="null: not scored")
    note: str = Field("", max_length=5000)
    evidence: list[EmulationEvidenceIn] | None = Field(
        None, max_length=EVIDENCE_MAX, description="Replaces the line's evidence when given"
    )


class EmulationSelfIn(EmulationVersionIn):
    lines: list[EmulationSelfLineIn] = Field(default_factory=list, max_length=LINES_MAX)


class EmulationReviewLineIn(Schema):
    criterion: Id
    points: EmulationPoints | None = Field(..., description="null: not scored")
    note: str = Field("", max_length=5000)


class EmulationReviewIn(EmulationVersionIn):
    lines: list[EmulationReviewLineIn] = Field(
        default_factory=list,
        max_length=LINES_MAX,
        description="Criteria not listed keep the previous step's points",
    )


class EmulationReturnIn(EmulationVersionIn):
    reason: str = Field(..., max_length=2000)


# ---- helpers --------------------------------------------------------------------------------
_URL = URLValidator(schemes=["http", "https"])


def _evidence(score: Score, items: list[EmulationEvidenceIn], code: str) -> list[dict]:
    """Evidence as the pages store it: an activity, a report or an exemplar of the scored
    unit's own data of the year (``services.evidence_candidates``, the pages' choice), with
    the system's label; or a web link with the client's label."""
    out, errors = [], []
    for item in items:
        if item.kind == "link":
            url = item.url.strip()
            try:
                _URL(url)
            except ValidationError:
                errors.append(_("%(c)s: nhập một đường dẫn hợp lệ, ví dụ https://…") % {"c": code})
                continue
            label = " ".join(item.label.split())
            entry = {"kind": "link", "url": url, "label": label or url[:200]}
        elif item.id is None:
            errors.append(
                _("%(c)s: chọn minh chứng (số của hoạt động, báo cáo, điển hình).") % {"c": code}
            )
            continue
        else:
            found = services.evidence_candidates(score, kind=item.kind, pk=item.id)
            if not found:
                errors.append(
                    _("%(c)s: không tìm thấy minh chứng số %(id)s trong dữ liệu của đơn vị.")
                    % {"c": code, "id": item.id}
                )
                continue
            entry = found[0]
        if entry not in out:
            out.append(entry)
    if errors:
        raise ValidationError(errors)
    return out


def _entries(score: Score, lines, *, with_evidence: bool = False) -> dict:
    """The body's lines as the service's entries: one line per criterion, the note and the
    evidence passed only when the client sent them (the service then leaves them as they are)."""
    seen, entries, errors = set(), {}, []
    codes = (
        {c.pk: c.code for c in services.criteria_of(score.table)}
        if with_evidence and any(line.evidence for line in lines)
        else {}
    )
    for line in lines:
        if line.criterion in seen:
            errors.append(_("Mỗi tiêu chí chỉ ghi một lần."))
            continue
        seen.add(line.criterion)
        entry: dict = {"points": line.points}
        if "note" in line.model_fields_set:
            entry["note"] = line.note
        if with_evidence and line.evidence is not None:
            try:
                entry["evidence"] = _evidence(
                    score, line.evidence, codes.get(line.criterion, str(line.criterion))
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
        entries[line.criterion] = entry
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    return entries


def _detail(user, pk) -> Score:
    return access.get_score(user, pk)


def _rows(rows: list[ranking.Row]) -> list[dict]:
    return [
        {
            "rank": r.rank,
            "band": r.band,
            "band_label": r.band_label,
            "score_id": r.score.pk,
            "unit_id": r.score.unit_id,
            "unit": r.score.unit.name,
            "block_id": r.score.block_id,
            "block": r.score.block.name,
            "final_total": r.score.final_total or Decimal("0"),
            "bonus": r.bonus,
            "penalty": r.penalty,
        }
        for r in rows
    ]


# ---- blocks ---------------------------------------------------------------------------------
@router.get("/emulation/blocks", response=list[EmulationBlockOut])
@paginate(Pagination, page_size=50)
def block_list(request, filters: Query[EmulationBlockFilter]):
    """Blocks the token holder organises (her units or above them) or belongs to."""
    qs = access.blocks_for(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.organiser is not None:
        qs = qs.filter(organiser_id=filters.organiser)
    return qs.order_by("-year", "name", "pk")


@router.get(
    "/emulation/blocks/{block_id}", response={200: EmulationBlockDetailOut, 404: EmulationErrorOut}
)
def block_detail(request, block_id: int = Path(..., ge=1, le=ID_MAX)):
    """The block with its member units in order."""
    return access.get_block(request.user, block_id)


@router.get(
    "/emulation/blocks/{block_id}/ranking",
    response={200: list[EmulationRankingRowOut], 404: EmulationErrorOut},
)
@paginate(Pagination, page_size=100)
def block_ranking(request, block_id: int = Path(..., ge=1, le=ID_MAX)):
    """The block's final scores ranked (the table's tie-break and bands); for the block's
    members and its organiser's officers."""
    block = access.get_block(request.user, block_id)
    scores = (
        access.scores_for(request.user)
        .filter(block=block, state=ScoreState.FINAL)
        .select_related("block", "unit", "table")
    )
    return _rows(ranking.rank(list(scores)))


@router.get("/emulation/rankings", response={200: list[EmulationRankingRowOut], **ERRORS})
@paginate(Pagination, page_size=100)
def overall_ranking(request, filters: Query[EmulationRankingFilter]):
    """All of an organiser's blocks of a year ranked together (final scores): for the
    organiser's officers (VIEW on the organiser)."""
    organiser = unit_access.get_unit(request.user, filters.organiser)
    scores = (
        access.scores_for(request.user)
        .filter(block__organiser=organiser, block__year=filters.year, state=ScoreState.FINAL)
        .select_related("block", "unit", "table")
    )
    return _rows(ranking.rank(list(scores)))


# ---- points tables --------------------------------------------------------------------------
@router.get("/emulation/tables", response=list[EmulationTableOut])
@paginate(Pagination, page_size=50)
def table_list(request, filters: Query[EmulationTableFilter]):
    """Points tables of the token holder's units, those above them, and her blocks'
    organisers."""
    qs = access.tables_for(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.issuing_unit is not None:
        qs = qs.filter(issuing_unit_id=filters.issuing_unit)
    return qs.order_by("-year", "name", "-version", "pk")


@router.get(
    "/emulation/tables/{table_id}", response={200: EmulationTableDetailOut, 404: EmulationErrorOut}
)
def table_detail(request, table_id: int = Path(..., ge=1, le=ID_MAX)):
    """The table with its groups and criteria in order."""
    return access.get_table(request.user, table_id)


# ---- scores ---------------------------------------------------------------------------------
@router.get("/emulation/scores", response=list[EmulationScoreOut])
@paginate(Pagination, page_size=50)
def score_list(request, filters: Query[EmulationScoreFilter]):
    """Scores the token holder may read: her units' own, those of the blocks she organises or
    cross-checks, and the final ones of her blocks."""
    qs = access.scores_for(request.user)
    if filters.block is not None:
        qs = qs.filter(block_id=filters.block)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    if filters.year is not None:
        qs = qs.filter(block__year=filters.year)
    return qs.order_by("-block__year", "block__name", "block_id", "unit__path", "pk")


@router.post("/emulation/scores", response={201: EmulationScoreDetailOut, **ERRORS})
def score_open(request, payload: EmulationScoreOpenIn):
    """Start the unit's scoring in its block (the table is then frozen)."""
    block = access.get_block(request.user, payload.block)
    unit = unit_access.get_unit(request.user, payload.unit, Perm.EDIT)
    if payload.table is not None:
        table = access.get_table(request.user, payload.table)
    else:
        schedule = (
            access.schedules_for(request.user)
            .filter(organiser_id=block.organiser_id, year=block.year)
            .first()
        )
        if schedule is None:
            raise ValidationError(
                _("Đơn vị tổ chức chưa lập lịch chấm điểm năm %(y)s: hãy chọn bảng điểm.")
                % {"y": block.year},
                code="no_table",
            )
        table = schedule.table
    score = services.score_open(by=request.user, block=block, unit=unit, table=table)
    return Status(201, _detail(request.user, score.pk))


@router.get(
    "/emulation/scores/{score_id}", response={200: EmulationScoreDetailOut, 404: EmulationErrorOut}
)
def score_detail(request, score_id: int = Path(..., ge=1, le=ID_MAX)):
    """The score with its lines (each step's points, notes, evidence) and its steps."""
    return _detail(request.user, score_id)


@router.post("/emulation/scores/{score_id}/self", response={200: EmulationScoreDetailOut, **ERRORS})
def score_self(request, payload: EmulationSelfIn, score_id: int = Path(..., ge=1, le=ID_MAX)):
    """The unit's own points, notes and evidence (while it drafts or after a return); lines
    not listed are left as they are."""
    score = _detail(request.user, score_id)
    entries = _entries(score, payload.lines, with_evidence=True)
    services.score_self(by=request.user, score=score, version=payload.version, entries=entries)
    return _detail(request.user, score_id)


@router.post(
    "/emulation/scores/{score_id}/submit", response={200: EmulationScoreDetailOut, **ERRORS}
)
def score_submit(request, payload: EmulationVersionIn, score_id: int = Path(..., ge=1, le=ID_MAX)):
    """Send the self-scoring to the block's leader (every scored criterion scored, evidence
    where required)."""
    score = _detail(request.user, score_id)
    services.score_submit(by=request.user, score=score, version=payload.version)
    return _detail(request.user, score_id)


@router.post(
    "/emulation/scores/{score_id}/check", response={200: EmulationScoreDetailOut, **ERRORS}
)
def score_check(request, payload: EmulationReviewIn, score_id: int = Path(..., ge=1, le=ID_MAX)):
    """The leader's cross-check (the deputy's for the leader's own score)."""
    score = _detail(request.user, score_id)
    entries = _entries(score, payload.lines)
    services.score_check(by=request.user, score=score, version=payload.version, entries=entries)
    return _detail(request.user, score_id)


@router.post(
    "/emulation/scores/{score_id}/return", response={200: EmulationScoreDetailOut, **ERRORS}
)
def score_return(request, payload: EmulationReturnIn, score_id: int = Path(..., ge=1, le=ID_MAX)):
    """Back to the unit with a reason: by the checker, or by the organiser after the check."""
    score = _detail(request.user, score_id)
    services.score_return(
        by=request.user, score=score, version=payload.version, reason=payload.reason
    )
    return _detail(request.user, score_id)


@router.post(
    "/emulation/scores/{score_id}/finalise", response={200: EmulationScoreDetailOut, **ERRORS}
)
def score_finalise(request, payload: EmulationReviewIn, score_id: int = Path(..., ge=1, le=ID_MAX)):
    """The organiser's office fixes the final points; the score is then closed."""
    score = _detail(request.user, score_id)
    entries = _entries(score, payload.lines)
    services.score_finalise(by=request.user, score=score, version=payload.version, entries=entries)
    return _detail(request.user, score_id)
