"""Pages of the scoring schedule (lịch chấm điểm) and the three scoring steps: the unit's
self-score with its evidence, the block leader's cross-check, the organiser's final score.

Objects come through ``emulation.access`` (a score a user may not read is a 404, as is one of
another block still unfinished); rights to act are the services' checks, shown on the page by
``services.can_check`` / ``can_finalise``. Writes go through ``services`` and ``schedules``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guongsang.core.forms import apply_errors, valid_values
from guongsang.core.pagination import paginate
from guongsang.plans.models import DocStatus, Document
from guongsang.units import access as unit_access
from guongsang.units.access import Perm

from . import access, figures, ranking, schedules, services
from .models import (
    BlockMember,
    CriterionKind,
    PointsTable,
    Score,
    ScoreAction,
    ScoreState,
    ScoreStep,
)
from .score_forms import (
    EvidenceLinkForm,
    EvidencePickForm,
    EvidenceSearchForm,
    LinesForm,
    OpenForm,
    ReturnForm,
    ScheduleForm,
    ScoreFilterForm,
    note_name,
    parse_action,
    points_name,
)

STALE = "stale"


# ---- schedules ---------------------------------------------------------------------------------
@require_safe
@login_required
def schedule_list(request):
    page = paginate(
        access.schedules_for(request.user).order_by("-year", "organiser__path", "pk"), request
    )
    return render(
        request,
        "emulation/schedule_list.html",
        {
            "section": "emulation",
            "page": page,
            "may_create": _organisers(request.user).exists(),
            "queues": access.queue_counts(request.user, timezone.localdate().year),
        },
    )


def _organisers(user):
    """The units whose scoring schedule the user may set up (those issuing a points table)."""
    return unit_access.units_for(user, Perm.EDIT).filter(
        pk__in=PointsTable.objects.values("issuing_unit_id")
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def schedule_create(request):
    organisers = _organisers(request.user)
    if not organisers.exists():
        raise Http404
    tables = access.tables_for(request.user, Perm.EDIT).filter(
        year__gte=timezone.localdate().year - 1
    )
    form = ScheduleForm(request.POST or None, organisers=organisers, tables=tables)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = schedules.schedule_create(
                by=request.user,
                organiser=data["organiser"],
                year=data["table"].year,
                table=data["table"],
                self_deadline=data["self_deadline"],
                check_deadline=data["check_deadline"],
                final_deadline=data["final_deadline"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Đã lập lịch chấm điểm trong công văn dự thảo. Ban hành công văn để giao "
                    "việc tự chấm điểm cho các đơn vị."
                ),
            )
            return redirect("emulation:schedule", pk=schedule.pk)
    return render(request, "emulation/schedule_create.html", {"section": "emulation", "form": form})


def _my_members(request, schedule):
    """The user's own units in the schedule's blocks (she scores them), each with its score."""
    score = Score.objects.filter(block_id=OuterRef("block_id"), unit_id=OuterRef("unit_id"))
    members = list(
        BlockMember.objects.filter(
            unit_access.scope_q(request.user, Perm.EDIT, "unit__"),
            organiser_id=schedule.organiser_id,
            year=schedule.year,
        )
        .select_related("unit", "block")
        .annotate(
            score_id=Subquery(score.values("pk")[:1]),
            score_state=Subquery(score.values("state")[:1]),
        )
        .order_by("block__name", "order", "pk")[:50]
    )
    states = dict(ScoreState.choices)
    for m in members:
        m.score_label = states.get(m.score_state, "")
    return members


@require_safe
@login_required
def schedule_detail(request, pk):
    schedule = access.get_schedule(request.user, pk)
    organiser = unit_access.can(request.user, Perm.VIEW, schedule.organiser)
    blocks_q = None if organiser else access.member_blocks_q(request.user)
    return render(
        request,
        "emulation/schedule_detail.html",
        {
            "section": "emulation",
            "schedule": schedule,
            "organiser": organiser,
            "steps": schedules.progress(schedule, blocks_q),
            "blocks": schedules.block_rows(schedule, blocks_q),
            "mine": _my_members(request, schedule),
            "issued": schedule.task_id is not None
            and Document.objects.filter(
                pk=schedule.task.document_id, status=DocStatus.ISSUED
            ).exists(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@login_required
def schedule_open(request, pk):
    """A member unit opens its own self-score of the year."""
    schedule = access.get_schedule(request.user, pk)
    form = OpenForm(request.POST)
    if not form.is_valid():
        raise Http404
    member = (
        BlockMember.objects.filter(
            unit_access.scope_q(request.user, Perm.EDIT, "unit__"),
            organiser_id=schedule.organiser_id,
            year=schedule.year,
            unit_id=form.cleaned_data["unit"],
        )
        .select_related("unit", "block")
        .first()
    )
    if member is None:
        raise Http404
    existing = Score.objects.filter(block=member.block, unit=member.unit).first()
    if existing is not None:
        return redirect("emulation:score", pk=existing.pk)
    try:
        score = services.score_open(
            by=request.user, block=member.block, unit=member.unit, table=schedule.table
        )
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return redirect("emulation:schedule", pk=schedule.pk)
    return redirect("emulation:score", pk=score.pk)


# ---- lists and queues --------------------------------------------------------------------------
def _listed(qs):
    return qs.select_related("block", "unit").order_by("block__name", "unit__name", "pk")


@require_safe
@login_required
def score_list(request):
    qs = access.scores_for(request.user)
    flt = valid_values(ScoreFilterForm(request.GET))
    if flt.get("lich"):
        schedule = access.get_schedule(request.user, flt["lich"])
        qs = qs.filter(block__organiser_id=schedule.organiser_id, block__year=schedule.year)
    if flt.get("cum"):
        qs = qs.filter(block_id=flt["cum"])
    if flt.get("nam"):
        qs = qs.filter(block__year=flt["nam"])
    state = flt.get("trang_thai")
    if state == ScoreState.SUBMITTED:  # "submitted or further", as the schedule counts
        qs = qs.filter(state__in=[ScoreState.SUBMITTED, ScoreState.CHECKED, ScoreState.FINAL])
    elif state == ScoreState.CHECKED:
        qs = qs.filter(state__in=[ScoreState.CHECKED, ScoreState.FINAL])
    elif state:
        qs = qs.filter(state=state)
    return render(
        request,
        "emulation/score_list.html",
        {
            "section": "emulation",
            "page": paginate(_listed(qs), request),
            "title": _("Bảng chấm điểm của các đơn vị"),
            "queue": "",
        },
    )


@require_safe
@login_required
def check_queue(request):
    qs = access.check_queue(request.user)
    return render(
        request,
        "emulation/score_list.html",
        {
            "section": "emulation",
            "page": paginate(_listed(qs).order_by("submitted_at", "pk"), request),
            "title": _("Chờ chấm chéo"),
            "queue": "check",
        },
    )


@require_safe
@login_required
def final_queue(request):
    qs = access.final_queue(request.user)
    return render(
        request,
        "emulation/score_list.html",
        {
            "section": "emulation",
            "page": paginate(_listed(qs).order_by("checked_at", "pk"), request),
            "title": _("Chờ chốt điểm"),
            "queue": "final",
        },
    )


# ---- the score page ----------------------------------------------------------------------------
def _may_self(user, score: Score) -> bool:
    return score.state in (ScoreState.DRAFT, ScoreState.RETURNED) and unit_access.can(
        user, Perm.EDIT, score.unit
    )


def _step_of(user, score: Score) -> str:
    """Which form the page shows the user: "self", "check", "final" or "" (read only)."""
    if _may_self(user, score):
        return "self"
    if score.state == ScoreState.SUBMITTED and services.can_check(user, score):
        return "check"
    if score.state == ScoreState.CHECKED and services.can_finalise(user, score):
        return "final"
    return ""


FIELDS = {
    "self": ("self_points", "self_note"),
    "check": ("check_points", "check_note"),
    "final": ("final_points", "final_note"),
}
# A reviewer's input starts from the previous step's points.
START = {"self": "self_points", "check": "self_points", "final": "check_points"}


def _lines_form(step, lines, score, data=None):
    criteria = [line.criterion for line in lines]
    points_field, note_field = FIELDS[step]
    initial = {}
    for line in lines:
        points = getattr(line, points_field)
        if points is None:
            points = getattr(line, START[step])
        initial[line.criterion_id] = (points, getattr(line, note_field))
    return LinesForm(
        data, criteria=criteria, initial_lines=initial, initial={"version": score.version}
    )


def _trail(score: Score, steps: list[ScoreStep]) -> list[dict]:
    """The steps, newest first, each with the unit that took it: the unit itself submits, the
    checker cross-checks, the organiser's office finalises; a return is the checker's when it
    follows a submission, the office's when it follows a cross-check."""
    checker = services.checker_unit(score)
    office = score.block.organiser
    rows = []
    for i, step in enumerate(steps):
        earlier = steps[i + 1].action if i + 1 < len(steps) else None
        if step.action == ScoreAction.SUBMIT:
            unit, role = score.unit, ""
        elif step.action == ScoreAction.CHECK or (
            step.action == ScoreAction.RETURN and earlier != ScoreAction.CHECK
        ):
            unit = checker
            role = (
                _("Cụm phó") if checker and checker.pk == score.block.deputy_id else _("Cụm trưởng")
            )
        else:
            unit, role = office, _("Văn phòng")
        name = "" if unit is None else unit.union_name if unit == office else unit.name
        rows.append({"step": step, "unit": unit, "role": role, "name": name})
    return rows


def _problems(lines, exc: ValidationError) -> tuple[list[dict], list[str]]:
    """A refused submission's problems put on their criteria ("1.1: cần minh chứng." → the
    criterion 1.1); the ones naming no criterion come back as they are."""
    by_code = {line.criterion.code: line for line in lines}
    mapped, other = [], []
    for msg in exc.messages:
        code, sep, rest = msg.partition(":")
        line = by_code.get(code.strip()) if sep else None
        if line is None:
            other.append(msg)
            continue
        c = line.criterion
        if c.evidence_required and not line.evidence and (line.self_points or 0) > 0:
            text = _("Cần ít nhất một minh chứng: bấm «Lưu và thêm minh chứng».")
        else:
            words = rest.strip().rstrip(".")
            text = (words[:1].upper() + words[1:] + ".") if words else msg
        mapped.append(
            {
                "c": c,
                "text": text,
                "message": _("tiêu chí %(c)s %(r)s") % {"c": c.code, "r": rest.strip().rstrip(".")},
            }
        )
    return mapped, other


def _page(request, score, *, form=None, return_form=None, status=200, problems=None):
    lines = services._lines(score)
    step = _step_of(request.user, score)
    if step and form is None:
        form = _lines_form(step, lines, score)
    may_return = step in ("check", "final")
    if may_return and return_form is None:
        return_form = ReturnForm(initial={"version": score.version})
    keys = [line.criterion.figure for line in lines if line.criterion.figure]
    values = figures.figures_for(score.unit, score.block.year, keys)
    groups: list[dict] = []
    for line in lines:
        c = line.criterion
        if not groups or groups[-1]["group"].pk != c.group_id:
            groups.append({"group": c.group, "rows": []})
        row = {"line": line, "c": c, "problem": (problems or {}).get(c.pk)}
        if c.figure in figures.FIGURES:
            row["figure_label"] = str(figures.FIGURES[c.figure][0]).lower()
            row["figure"] = figures.display(values.get(c.figure))
        if form is not None:
            row["points"] = form[points_name(c)]
            row["note"] = form[note_name(c)]
        groups[-1]["rows"].append(row)
    steps = list(
        ScoreStep.objects.filter(score=score).select_related("by").order_by("-at", "-pk")[:50]
    )
    trail = _trail(score, steps)
    returned = None
    if score.state == ScoreState.RETURNED:
        returned = next((t for t in trail if t["step"].action == ScoreAction.RETURN), None)
    band = None
    if score.state == ScoreState.FINAL and score.final_total is not None:
        band = dict(ranking.BANDS)[ranking.band(score.table, score.final_total)]
    return render(
        request,
        "emulation/score_detail.html",
        {
            "section": "emulation",
            "score": score,
            "groups": groups,
            "step": step,
            "form": form,
            "return_form": return_form,
            "steps": trail,
            "returned": returned,
            "band": band,
            "problems": list((problems or {}).values()),
            "running": _running(form, lines, step, score),
            "checker": services.checker_unit(score),
            "bonus": CriterionKind.BONUS,
            "penalty": CriterionKind.PENALTY,
        },
        status=status,
    )


def _running(form, lines, step, score):
    """The total the page shows: of the inputs as they read (posted or saved) for the step the
    user takes, else the latest step's total."""
    if not step:
        for value in (score.final_total, score.check_total, score.self_total):
            if value is not None:
                return value
        return None
    data = getattr(form, "cleaned_data", None) or {}
    points_field = FIELDS[step][0]
    rows = []
    for line in lines:
        name = points_name(line.criterion)
        if form is not None and form.is_bound and name in data:
            value = data[name]
        else:
            value = getattr(line, points_field)
            if value is None:
                value = getattr(line, START[step])
        rows.append((line.criterion, value))
    return services.total(rows)


def _refused(request, score, exc: ValidationError):
    if getattr(exc, "code", None) == STALE:
        messages.error(request, _("Bảng điểm vừa được người khác thay đổi; hãy tải lại trang."))
    else:
        for msg in exc.messages:
            messages.error(request, msg)
    return redirect("emulation:score", pk=score.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def score_detail(request, pk):
    score = access.get_score(request.user, pk)
    if request.method != "POST":
        return _page(request, score)
    if _step_of(request.user, score) != "self":
        messages.error(request, _("Bảng tự chấm đã gửi hoặc bạn không thể sửa."))
        return redirect("emulation:score", pk=score.pk)
    lines = services._lines(score)
    form = _lines_form("self", lines, score, request.POST)
    action, criterion_id, index = parse_action(request.POST.get("action"))
    if not form.is_valid():
        messages.error(request, _("Bảng điểm chưa được lưu: hãy sửa các chỗ được đánh dấu."))
        return _page(request, score, form=form, status=400)
    entries = form.entries()
    if action == "drop" and criterion_id in entries:
        line = next(x for x in lines if x.criterion_id == criterion_id)
        evidence = list(line.evidence or [])
        if 0 <= index < len(evidence):
            del evidence[index]
        entries[criterion_id]["evidence"] = evidence
    try:
        score = services.score_self(
            by=request.user, score=score, version=form.cleaned_data["version"], entries=entries
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == STALE or not _may_self(request.user, score):
            return _refused(request, score, exc)
        apply_errors(form, exc)
        messages.error(request, _("Bảng điểm chưa được lưu: hãy sửa các chỗ được đánh dấu."))
        return _page(request, score, form=form, status=400)
    if action == "submit":
        try:
            score = services.score_submit(by=request.user, score=score, version=score.version)
        except ValidationError as exc:
            if getattr(exc, "code", None) == STALE or not _may_self(request.user, score):
                return _refused(request, score, exc)
            score.refresh_from_db()
            mapped, other = _problems(services._lines(score), exc)
            if other:
                form.add_error(None, other)
            messages.error(
                request,
                _("Đã lưu điểm nhưng chưa gửi được: %(p)s.")
                % {"p": "; ".join(p["message"] for p in mapped) or "; ".join(other)},
            )
            return _page(
                request,
                score,
                form=_rebound(form, score),
                status=400,
                problems={p["c"].pk: p for p in mapped},
            )
    if action == "submit":
        messages.success(request, _("Đã gửi bảng tự chấm tới cụm trưởng."))
    elif action == "evidence" and criterion_id in entries:
        return redirect("emulation:evidence", pk=score.pk, criterion_pk=criterion_id)
    else:
        messages.success(request, _("Đã lưu bảng tự chấm."))
    return redirect("emulation:score", pk=score.pk)


def _rebound(form, score):
    """The posted form (input kept) with the saved version, when the save went through and
    only the submission was refused."""
    data = form.data.copy()
    data["version"] = str(score.version)
    rebound = LinesForm(data, criteria=form.criteria)
    rebound.is_valid()
    for msg in form.non_field_errors():
        rebound.add_error(None, msg)
    return rebound


def _review(request, pk, step: str):
    score = access.get_score(request.user, pk)
    if _step_of(request.user, score) != step:
        messages.error(request, _("Bạn không thể thực hiện bước này với bảng điểm."))
        return redirect("emulation:score", pk=score.pk)
    lines = services._lines(score)
    form = _lines_form(step, lines, score, request.POST)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: hãy sửa các chỗ được đánh dấu."))
        return _page(request, score, form=form, status=400)
    service = services.score_check if step == "check" else services.score_finalise
    try:
        service(
            by=request.user,
            score=score,
            version=form.cleaned_data["version"],
            entries=form.entries(),
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == STALE:
            return _refused(request, score, exc)
        apply_errors(form, exc)
        return _page(request, score, form=form, status=400)
    if step == "check":
        messages.success(request, _("Đã chấm chéo; bảng điểm chuyển Văn phòng chốt điểm."))
        return redirect("emulation:check_queue")
    messages.success(request, _("Đã chốt điểm."))
    return redirect("emulation:final_queue")


@require_POST
@login_required
def score_check(request, pk):
    return _review(request, pk, "check")


@require_POST
@login_required
def score_finalise(request, pk):
    return _review(request, pk, "final")


@require_POST
@login_required
def score_return(request, pk):
    score = access.get_score(request.user, pk)
    form = ReturnForm(request.POST)
    if _step_of(request.user, score) not in ("check", "final"):
        messages.error(request, _("Bạn không thể trả lại bảng điểm này ở bước này."))
        return redirect("emulation:score", pk=score.pk)
    if not form.is_valid():
        messages.error(request, _("Chưa trả lại: hãy ghi lý do trả lại."))
        return _page(request, score, return_form=form, status=400)
    try:
        services.score_return(
            by=request.user,
            score=score,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == STALE or not hasattr(exc, "error_dict"):
            return _refused(request, score, exc)
        apply_errors(form, exc)
        messages.error(request, _("Chưa trả lại: hãy ghi lý do trả lại."))
        return _page(request, score, return_form=form, status=400)
    messages.success(request, _("Đã trả lại bảng điểm cho đơn vị."))
    return redirect("emulation:score", pk=score.pk)


@require_POST
@login_required
def score_total(request, pk):
    """The running total of the inputs as they read (HTMX, on input): fields that do not parse
    count with their saved points; nothing is saved."""
    score = access.get_score(request.user, pk)
    step = _step_of(request.user, score)
    if not step:
        raise Http404
    lines = services._lines(score)
    form = _lines_form(step, lines, score, request.POST)
    form.is_valid()
    return render(
        request, "emulation/score_total.html", {"running": _running(form, lines, step, score)}
    )


# ---- evidence ----------------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def evidence(request, pk, criterion_pk):
    """Choose evidence for one criterion: a search over the unit's activities, reports and
    exemplars of the year, or a link."""
    score = access.get_score(request.user, pk)
    line = score.lines.select_related("criterion").filter(criterion_id=criterion_pk).first()
    if line is None or not _may_self(request.user, score):
        raise Http404
    search = EvidenceSearchForm(request.GET)
    q = valid_values(search).get("q", "")
    link_form = EvidenceLinkForm(initial={"version": score.version})
    if request.method == "POST":
        if request.POST.get("kind") == "link":
            link_form = EvidenceLinkForm(request.POST)
            form, item = link_form, None
            if link_form.is_valid():
                item = {
                    "kind": "link",
                    "url": link_form.cleaned_data["url"],
                    "label": link_form.cleaned_data["label"],
                }
        else:
            form = EvidencePickForm(request.POST)
            item = None
            if form.is_valid():
                item = {"kind": form.cleaned_data["kind"], "id": form.cleaned_data["item"]}
        if item is not None:
            try:
                services.evidence_add(
                    by=request.user,
                    score=score,
                    version=form.cleaned_data["version"],
                    criterion_id=line.criterion_id,
                    item=item,
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == STALE:
                    return _refused(request, score, exc)
                if form is link_form:
                    apply_errors(form, exc)
                else:
                    for msg in exc.messages:
                        messages.error(request, msg)
            else:
                messages.success(request, _("Đã thêm minh chứng."))
                return redirect("emulation:score", pk=score.pk)
        elif form is not link_form:
            messages.error(request, _("Không tìm thấy minh chứng này trong dữ liệu của đơn vị."))
    return render(
        request,
        "emulation/score_evidence.html",
        {
            "section": "emulation",
            "score": score,
            "line": line,
            "search": search,
            "q": q,
            "found": services.evidence_candidates(score, q),
            "link_form": link_form,
        },
    )
