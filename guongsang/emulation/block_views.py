"""Pages of clusters and blocks, pledges and points tables: the emulation home (the blocks a
user organises and those her unit belongs to, by year), a block's page and form, a member's
pledge, and the points tables with their groups and criteria.

Every object is fetched through ``access`` (404 for missing and not yours), every input parsed
by a form of ``block_forms``, every write made by a service."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guongsang.core.downloads import stored_file
from guongsang.core.forms import ID_MAX, apply_errors, filter_errors, valid_values
from guongsang.core.pagination import paginate
from guongsang.units import access as unit_access
from guongsang.units.access import Perm
from guongsang.units.models import Unit, UnitKind

from . import access, pledges, schedules, services
from .block_forms import (
    BlockForm,
    CopyForm,
    CriterionForm,
    GroupForm,
    OrganiserQuery,
    PledgeForm,
    TableForm,
    TargetFormSet,
    YearForm,
)
from .figures import FIGURES
from .models import (
    Block,
    BlockMember,
    CriterionKind,
    PointsTable,
    Schedule,
    Score,
    ScoreState,
)

# Who groups units into blocks: the central union (the provinces) and a province (its communes).
ORGANISER_KINDS = (UnitKind.CENTRAL, UnitKind.PROVINCE)


def _bounded(pk: int) -> int:
    if pk > ID_MAX:
        raise Http404
    return pk


def _this_year() -> int:
    return timezone.localdate().year


def _year(request) -> tuple[int, YearForm]:
    form = YearForm(request.GET)
    return valid_values(form).get("nam", _this_year()), form


def _organisers(user, perm: Perm = Perm.EDIT) -> list[Unit]:
    """The organiser units the user works at (a membership on the unit itself) with ``perm``."""
    paths = unit_access.held_units_paths(user, perm)
    if not paths:
        return []
    return list(
        Unit.objects.filter(
            path__in=paths, kind__in=ORGANISER_KINDS, valid_to__isnull=True
        ).order_by("path")
    )


def _organiser(user, pk) -> Unit:
    unit = unit_access.get_unit(user, pk, Perm.EDIT)
    if unit.kind not in ORGANISER_KINDS:
        raise Http404
    return unit


def _links(*specs) -> list[tuple[str, str]]:
    """(label, url) of the scoring, ranking and meeting pages."""
    return [
        (label, reverse(f"emulation:{name}", args=args) + query)
        for label, name, args, query in specs
    ]


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# ---- home ---------------------------------------------------------------------------------------
@require_safe
@login_required
def home(request):
    year, form = _year(request)
    user = request.user
    organisers = _organisers(user, Perm.VIEW)
    blocks = (
        Block.objects.filter(organiser__in=organisers, year=year)
        .select_related("leader", "deputy")
        .annotate(n_members=Count("members"))
        .order_by("organiser_id", "name", "pk")
        if organisers
        else []
    )
    last_year = (
        set(
            Block.objects.filter(organiser__in=organisers, year=year - 1)
            .values_list("organiser_id", flat=True)
            .distinct()
        )
        if organisers
        else set()
    )
    by_organiser: dict[int, list[Block]] = {}
    for block in blocks:
        by_organiser.setdefault(block.organiser_id, []).append(block)
    past = year < _this_year()
    sections = [
        {
            "unit": unit,
            "blocks": by_organiser.get(unit.pk, []),
            "can_edit": unit_access.can(user, Perm.EDIT, unit) and not past,
            "can_copy": unit.pk in last_year and not by_organiser.get(unit.pk),
        }
        for unit in organisers
    ]
    held = unit_access.held_units_paths(user, Perm.VIEW)
    # Each membership with its score (state, link) and the organiser's schedule of the year
    # (to open the self-score): one query with two subqueries.
    score = Score.objects.filter(block_id=OuterRef("block_id"), unit_id=OuterRef("unit_id"))
    schedule = Schedule.objects.filter(
        organiser_id=OuterRef("organiser_id"), year=OuterRef("year")
    ).order_by("pk")
    memberships = (
        list(
            BlockMember.objects.filter(year=year, unit__path__in=held)
            .select_related("unit", "block__organiser", "block__leader", "block__deputy")
            .annotate(
                score_id=Subquery(score.values("pk")[:1]),
                score_state=Subquery(score.values("state")[:1]),
                schedule_id=Subquery(schedule.values("pk")[:1]),
            )
            .order_by("block__name", "unit__name_folded", "pk")[:100]
        )
        if held
        else []
    )
    states = dict(ScoreState.choices)
    for m in memberships:
        m.can_score = unit_access.can(user, Perm.EDIT, m.unit) and not past
        m.score_label = states.get(m.score_state, "")
    queues = access.queue_counts(user, year)
    links = [(_("Lịch chấm điểm"), "schedules", (), ""), (_("Bảng chấm điểm"), "scores", (), "")]
    if "check" in queues:
        links.append((_("Chờ chấm chéo (%(n)s)") % {"n": queues["check"]}, "check_queue", (), ""))
    if "final" in queues:
        links.append((_("Chờ chốt điểm (%(n)s)") % {"n": queues["final"]}, "final_queue", (), ""))
    links.append((_("Xếp hạng"), "ranking_home", (), ""))
    return render(
        request,
        "emulation/home.html",
        {
            "year": year,
            "year_input": form["nam"].value() or "",
            "filter_errors": filter_errors(form),
            "past": past,
            "sections": sections,
            "memberships": memberships,
            "years": [year - 1, year + 1],
            "links": _links(*links),
        },
    )


# ---- blocks ----------------------------------------------------------------------------------
def _candidates(organiser: Unit, block: Block | None) -> list[Unit]:
    """The organiser's units one level down, today's (a block's members kept even if closed
    since), by name: the check boxes of the block form."""
    units = list(
        Unit.objects.filter(parent=organiser)
        .current()
        .exclude(kind=UnitKind.DEPARTMENT)
        .order_by("name_folded", "pk")
    )
    if block is not None:
        have = {u.pk for u in units}
        units += [m.unit for m in block.members.select_related("unit") if m.unit_id not in have]
    return units


def _taken(organiser: Unit, year: int, block: Block | None) -> dict[int, str]:
    qs = BlockMember.objects.filter(organiser=organiser, year=year)
    if block is not None:
        qs = qs.exclude(block=block)
    return dict(qs.values_list("unit_id", "block__name"))


def _block_form_page(request, *, organiser: Unit, year: int, block: Block | None):
    units = _candidates(organiser, block)
    past = year < _this_year()
    initial = {}
    if block is not None:
        initial = {
            "name": block.name,
            "kind": block.kind,
            "members": list(block.members.values_list("unit_id", flat=True)),
            "leader": block.leader_id,
            "deputy": block.deputy_id,
            "note": block.note,
        }
    data = request.POST if request.method == "POST" and not past else None
    form = BlockForm(data, units=units, taken=_taken(organiser, year, block), initial=initial)
    if data is not None and form.is_valid():
        c = form.cleaned_data
        try:
            saved = services.block_save(
                by=request.user,
                organiser=organiser,
                year=year,
                name=c["name"],
                kind=c["kind"],
                members=[form.unit(pk) for pk in c["members"]],
                leader=form.unit(c["leader"]),
                deputy=form.unit(c["deputy"]),
                note=c["note"],
                block=block,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu %(b)s.") % {"b": saved.name})
            return redirect("emulation:block_detail", pk=saved.pk)
    return render(
        request,
        "emulation/block_form.html",
        {
            "form": form,
            "organiser": organiser,
            "year": year,
            "cluster": block,
            "past": past,
            "n_units": len(units),
        },
    )


@login_required
def block_create(request):
    query = OrganiserQuery(request.GET)
    if not query.is_valid():
        raise Http404
    organiser = _organiser(request.user, query.cleaned_data["don_vi"])
    year = query.cleaned_data.get("nam") or _this_year()
    return _block_form_page(request, organiser=organiser, year=year, block=None)


@login_required
def block_edit(request, pk):
    block = access.get_block(request.user, _bounded(pk), Perm.EDIT)
    return _block_form_page(request, organiser=block.organiser, year=block.year, block=block)


@require_POST
@login_required
def blocks_copy(request):
    form = CopyForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("nam"):
        raise Http404
    organiser = _organiser(request.user, form.cleaned_data["don_vi"])
    year = form.cleaned_data["nam"]
    try:
        made = services.blocks_copy(
            by=request.user, organiser=organiser, from_year=year - 1, to_year=year
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        if made:
            messages.success(
                request,
                _("Đã lập %(n)s cụm, khối năm %(y)s từ năm %(p)s.")
                % {"n": len(made), "y": year, "p": year - 1},
            )
        else:
            messages.warning(request, _("Không có cụm, khối nào cần sao chép."))
    return redirect(f"{reverse('emulation:home')}?nam={year}")


@require_safe
@login_required
def block_detail(request, pk):
    user = request.user
    block = access.get_block(user, _bounded(pk))
    schedule = schedules.schedule_of(block)
    members = list(block.members.select_related("unit").order_by("order", "pk"))
    by_unit = {
        p.unit_id: p for p in block.pledges.annotate(n_targets=Count("targets")).order_by("pk")
    }
    rows = [
        {
            "unit": m.unit,
            "leader": m.unit_id == block.leader_id,
            "deputy": m.unit_id == block.deputy_id,
            "pledge": by_unit.get(m.unit_id),
            "mine": unit_access.can(user, Perm.EDIT, m.unit),
        }
        for m in members
    ]
    past = pledges.is_past(block)
    return render(
        request,
        "emulation/block_detail.html",
        {
            "cluster": block,
            "rows": rows,
            "past": past,
            "can_edit": unit_access.can(user, Perm.EDIT, block.organiser) and not past,
            "n_pledges": len(by_unit),
            "links": _links(
                (_("Bảng chấm điểm của cụm, khối"), "scores", (), f"?cum={block.pk}"),
                (_("Xếp hạng cụm, khối"), "ranking_block", (block.pk,), ""),
                (_("Họp cụm, khối cuối năm"), "meeting_detail", (block.pk,), ""),
            )
            + (
                _links((_("Lịch chấm điểm"), "schedule", (schedule.pk,), ""))
                if schedule is not None
                else []
            ),
        },
    )


# ---- pledges ---------------------------------------------------------------------------------
def _member(block: Block, unit_pk: int) -> BlockMember:
    member = block.members.filter(unit_id=_bounded(unit_pk)).select_related("unit").first()
    if member is None:
        raise Http404
    return member


@require_safe
@login_required
def pledge_detail(request, pk, unit_pk):
    block = access.get_block(request.user, _bounded(pk))
    unit = _member(block, unit_pk).unit
    pledge = block.pledges.filter(unit=unit).first()
    targets = list(pledge.targets.select_related("indicator__form")) if pledge else []
    for t in targets:
        t.target_text = "" if t.target is None else services.points_text(t.target)
    return render(
        request,
        "emulation/pledge_detail.html",
        {
            "cluster": block,
            "unit": unit,
            "pledge": pledge,
            "targets": targets,
            "can_edit": pledges.can_edit(request.user, block, unit),
            "past": pledges.is_past(block),
        },
    )


@login_required
def pledge_edit(request, pk, unit_pk):
    user = request.user
    block = access.get_block(user, _bounded(pk))
    unit = _member(block, unit_pk).unit
    if not (
        unit_access.can(user, Perm.EDIT, unit) or unit_access.can(user, Perm.EDIT, block.organiser)
    ):
        raise Http404
    if pledges.is_past(block):
        messages.error(
            request, _("Giao ước thi đua của năm đã qua được giữ nguyên, không sửa được.")
        )
        return redirect("emulation:pledge_detail", pk=block.pk, unit_pk=unit.pk)
    pledge = block.pledges.filter(unit=unit).first()
    indicators = pledges.indicators_for(unit)
    if request.method == "POST":
        form = PledgeForm(request.POST, request.FILES)
        formset = TargetFormSet(request.POST, prefix="t", form_kwargs={"indicators": indicators})
        if form.is_valid() and formset.is_valid():
            c = form.cleaned_data
            targets = [
                pledges.Target(text=f["text"], indicator=f["indicator"], target=f["target"])
                for f in formset.cleaned_data
                if f
            ]
            try:
                pledges.pledge_save(
                    by=user,
                    block=block,
                    unit=unit,
                    signed_on=c["signed_on"],
                    note=c["note"],
                    targets=targets,
                    document=c["document"] or None,
                    remove_document=c["remove_document"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu giao ước thi đua của %(u)s.") % {"u": unit})
                return redirect("emulation:pledge_detail", pk=block.pk, unit_pk=unit.pk)
    else:
        form = PledgeForm(initial=PledgeForm.initial_of(pledge))
        initial = []
        if pledge is not None:
            initial = [
                {"text": t.text, "indicator": t.indicator_id, "target": t.target}
                for t in pledge.targets.all()
            ]
        formset = TargetFormSet(prefix="t", initial=initial, form_kwargs={"indicators": indicators})
    return render(
        request,
        "emulation/pledge_form.html",
        {"cluster": block, "unit": unit, "pledge": pledge, "form": form, "formset": formset},
    )


@require_safe
@login_required
def pledge_document(request, pk):
    pledge = pledges.get_pledge(request.user, _bounded(pk))
    if not pledge.document:
        raise Http404
    kind = pledge.document.name.rsplit(".", 1)[-1].lower()
    return stored_file(pledge.document, inline=kind in ("pdf", "jpg", "png"))


# ---- points tables ---------------------------------------------------------------------------
@require_safe
@login_required
def table_list(request):
    year, form = _year(request)
    qs = access.tables_for(request.user).filter(year=year)
    page = paginate(qs.order_by("issuing_unit__path", "name", "-version", "pk"), request)
    return render(
        request,
        "emulation/table_list.html",
        {
            "page": page,
            "year": year,
            "year_input": form["nam"].value() or "",
            "filter_errors": filter_errors(form),
            "can_create": bool(_organisers(request.user)),
            "years": [year - 1, year + 1],
            "levels": dict(UnitKind.choices),
        },
    )


@login_required
def table_create(request):
    organisers = _organisers(request.user)
    if not organisers:
        raise Http404
    year, _form = _year(request)
    form = TableForm(
        request.POST if request.method == "POST" else None,
        organisers=organisers,
        initial={
            "issuing_unit": organisers[0].pk,
            "year": year,
            "level": UnitKind.COMMUNE,
            "tie_1": "fewer_penalties",
            "tie_2": "more_bonus",
        },  # fmt: skip
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            table = services.table_create(
                by=request.user,
                issuing_unit=c["organiser"],
                year=c["year"],
                level=c["level"],
                name=c["name"],
                excellent_from=c["excellent_from"],
                good_from=c["good_from"],
                fair_from=c["fair_from"],
                tie_break=c["tie_break"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lập bảng điểm; hãy thêm nhóm và tiêu chí."))
            return redirect("emulation:table_detail", pk=table.pk)
    return render(request, "emulation/table_form.html", {"form": form})


def _figure_labels() -> dict[str, str]:
    return {key: str(value[0]) for key, value in FIGURES.items()}


def _table_page(request, table: PointsTable, *, group_form=None, criterion_form=None, status=200):
    user = request.user
    groups = list(table.groups.prefetch_related("criteria").order_by("order", "pk"))
    labels = _figure_labels()
    sums = {kind: Decimal("0") for kind in CriterionKind.values}
    view_groups = []
    for group in groups:
        criteria = list(group.criteria.all())
        scored = sum(
            (c.max_points for c in criteria if c.kind == CriterionKind.SCORED), Decimal("0")
        )
        for c in criteria:
            sums[c.kind] += c.max_points
            c.figure_label = labels.get(c.figure, "")
        view_groups.append({"group": group, "criteria": criteria, "scored": scored})
    can_edit = unit_access.can(user, Perm.EDIT, table.issuing_unit)
    editable = can_edit and table.frozen_at is None
    if editable:
        group_form = group_form or GroupForm()
        criterion_form = criterion_form or CriterionForm(groups=groups)
    versions = list(
        access.tables_for(user)
        .filter(
            issuing_unit=table.issuing_unit, year=table.year, level=table.level, name=table.name
        )
        .order_by("version")
        .values("pk", "version", "frozen_at")
    )
    return render(
        request,
        "emulation/table_detail.html",
        {
            "table": table,
            "groups": view_groups,
            "total_scored": sums[CriterionKind.SCORED],
            "total_bonus": sums[CriterionKind.BONUS],
            "total_penalty": sums[CriterionKind.PENALTY],
            "level_label": dict(UnitKind.choices).get(table.level, table.level),
            "tie_breaks": _tie_labels(table),
            "can_edit": can_edit,
            "editable": editable,
            "group_form": group_form,
            "criterion_form": criterion_form,
            "versions": versions,
        },
        status=status,
    )


def _tie_labels(table: PointsTable) -> list[str]:
    from .ranking import TIE_BREAKS

    return [str(TIE_BREAKS[k]) for k in table.tie_break.split(",") if k in TIE_BREAKS]


def _frozen(request, table: PointsTable):
    messages.error(
        request, _("Bảng điểm đã được dùng để chấm: không sửa được, hãy lập phiên bản mới.")
    )
    return redirect("emulation:table_detail", pk=table.pk)


@require_safe
@login_required
def table_detail(request, pk):
    return _table_page(request, access.get_table(request.user, _bounded(pk)))


@require_POST
@login_required
def group_add(request, pk):
    table = access.get_table(request.user, _bounded(pk), Perm.EDIT)
    if table.frozen_at is not None:
        return _frozen(request, table)
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            services.group_add(by=request.user, table=table, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
            return redirect("emulation:table_detail", pk=table.pk)
        messages.success(request, _("Đã thêm nhóm tiêu chí."))
        return redirect("emulation:table_detail", pk=table.pk)
    return _table_page(request, table, group_form=form)


@require_POST
@login_required
def criterion_add(request, pk):
    table = access.get_table(request.user, _bounded(pk), Perm.EDIT)
    if table.frozen_at is not None:
        return _frozen(request, table)
    groups = list(table.groups.order_by("order", "pk"))
    form = CriterionForm(request.POST, groups=groups)
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.criterion_add(
                by=request.user,
                group=form.groups[c["group"]],
                code=c["code"],
                text=c["text"],
                kind=c["kind"],
                max_points=c["max_points"],
                evidence_required=c["evidence_required"],
                figure=c["figure"] or "",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm tiêu chí %(c)s.") % {"c": c["code"]})
            return redirect("emulation:table_detail", pk=table.pk)
    return _table_page(request, table, criterion_form=form)


@require_POST
@login_required
def table_version(request, pk):
    table = access.get_table(request.user, _bounded(pk), Perm.EDIT)
    try:
        copy = services.table_new_version(by=request.user, table=table)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("emulation:table_detail", pk=table.pk)
    messages.success(
        request, _("Đã lập phiên bản %(v)s của bảng điểm, có thể sửa.") % {"v": copy.version}
    )
    return redirect("emulation:table_detail", pk=copy.pk)
