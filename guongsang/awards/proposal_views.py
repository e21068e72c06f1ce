"""Pages of commendation rounds and proposals (phone-first): the rounds, a round with its
proposals and the consolidated list, a proposal with its items and review, the review queue,
and the dossier's downloads. Fetching through ``proposal_access``; writing through
``proposals``; every input through ``proposal_forms``."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guongsang.audit import services as audit
from guongsang.core.downloads import DOCX, bytes_download, stored_file, xlsx_download
from guongsang.core.forms import apply_errors
from guongsang.exemplars import access as ex_access
from guongsang.exemplars import search
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END

from . import dossier, proposals
from . import proposal_access as pa
from .models import ProposalAction, ProposalState
from .proposal_forms import (
    ExemplarsForm,
    ItemAddForm,
    ItemEditForm,
    OpenForm,
    QueueForm,
    ReviewForm,
    RoundForm,
    SubjectSearch,
    UploadForm,
    VersionForm,
)

SEARCH_LIMIT = 20


def _errors(request, exc: ValidationError) -> None:
    for problem in exc.messages:
        messages.error(request, problem)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for problem in errors:
            messages.error(request, problem)


# ---- rounds ----------------------------------------------------------------------------------
@require_safe
@login_required
def round_list(request):
    rounds = list(pa.rounds_for(request.user).order_by("-year", "-deadline", "-pk")[:200])
    can_create = _creatable_units(request.user).exists()
    return render(request, "awards/round_list.html", {"rounds": rounds, "can_create": can_create})


def _creatable_units(user):
    """The units the user works at (EDIT by a membership on the unit itself): a round is
    opened by a union level at its own desk, and a province's whole tree is no list to pick
    from."""
    from guongsang.units.models import Unit

    if user.is_superuser:
        return access.units_for(user, Perm.EDIT).current().filter(depth__lte=1).order_by("path")
    return (
        Unit.objects.current()
        .filter(path__in=access.held_units_paths(user, Perm.EDIT))
        .order_by("path")
    )


@login_required
def round_create(request):
    units = _creatable_units(request.user)
    open_form = OpenForm(request.POST or None, units=units, prefix="u")
    unit = None
    if request.method == "POST" and open_form.is_valid():
        unit = open_form.cleaned_data["unit"]
    form = RoundForm(request.POST or None, unit=unit)
    if request.method == "POST" and open_form.is_valid() and form.is_valid():
        try:
            rnd = proposals.round_create(by=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã mở đợt khen thưởng."))
            return redirect("awards:round_detail", pk=rnd.pk)
    return render(request, "awards/round_form.html", {"form": form, "unit_form": open_form})


@require_safe
@login_required
def round_detail(request, pk):
    rnd = pa.get_round(request.user, pk)
    visible = pa.proposals_for(request.user).filter(round=rnd)
    rows = list(
        visible.annotate(item_count=Count("items"))
        .select_related("unit", "at_unit")
        .order_by("unit_path", "pk")[:500]
    )
    counts = Counter(p.state for p in rows)
    states = [(value, label, counts.get(value, 0)) for value, label in ProposalState.choices]
    units = pa.proposing_units(request.user, rnd)
    open_form = OpenForm(units=units) if rnd.closed_at is None else None
    can_see_list = access.can(request.user, Perm.VIEW, rnd.unit)
    groups = proposals.consolidated(rnd) if can_see_list else []
    return render(
        request,
        "awards/round_detail.html",
        {
            "rnd": rnd,
            "rows": rows,
            "states": states,
            "open_form": open_form if open_form and units.exists() else None,
            "groups": groups,
            "can_see_list": can_see_list,
            "can_close": rnd.closed_at is None and access.can(request.user, Perm.EDIT, rnd.unit),
            "types": proposals.allowed_types(rnd),
        },
    )


@require_POST
@login_required
def round_close(request, pk):
    rnd = pa.get_round(request.user, pk)
    try:
        proposals.round_close(by=request.user, round=rnd)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã kết thúc đợt khen thưởng."))
    return redirect("awards:round_detail", pk=pk)


@require_POST
@login_required
def proposal_open(request, pk):
    rnd = pa.get_round(request.user, pk)
    form = OpenForm(request.POST, units=pa.proposing_units(request.user, rnd))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("awards:round_detail", pk=pk)
    try:
        proposal = proposals.proposal_open(
            by=request.user, round=rnd, unit=form.cleaned_data["unit"]
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("awards:round_detail", pk=pk)
    return redirect("awards:proposal_detail", pk=proposal.pk)


@require_safe
@login_required
def round_list_xlsx(request, pk):
    rnd = _organised_round(request, pk)
    consolidated = proposals.consolidated(rnd)
    data = dossier.consolidated_xlsx(rnd, consolidated)
    rows = sum(len(items) for _type, items in consolidated)
    audit.record_export(request, what="awards.consolidated_list", rows=rows, unit=rnd.unit)
    return xlsx_download(data, f"danh-sach-tong-hop-{rnd.pk}.xlsx")


def _organised_round(request, pk):
    """The consolidated list is the organising unit's: a unit below sees only its own."""
    rnd = pa.get_round(request.user, pk)
    if not access.can(request.user, Perm.VIEW, rnd.unit):
        raise Http404
    return rnd


@require_safe
@login_required
def round_list_docx(request, pk):
    rnd = _organised_round(request, pk)
    ctx = dossier.consolidated_context(rnd, proposals.consolidated(rnd))
    return bytes_download(dossier.list_docx(ctx), DOCX, f"danh-sach-tong-hop-{rnd.pk}.docx")


@require_safe
@login_required
def round_list_pdf(request, pk):
    rnd = _organised_round(request, pk)
    ctx = dossier.consolidated_context(rnd, proposals.consolidated(rnd))
    return bytes_download(
        dossier.list_pdf(ctx), "application/pdf", f"danh-sach-tong-hop-{rnd.pk}.pdf"
    )


# ---- a proposal --------------------------------------------------------------------------------
def _item_rows(proposal, items, *, live: bool):
    """Items with their findings: checked now while the unit drafts, as stored once sent."""
    found = proposals.findings_for(proposal, items) if live and items else {}
    rows = []
    for item in items:
        if live:
            findings = proposals.as_snapshot(found.get(item.pk, []))
        else:
            findings = item.eligibility or []
        for f in findings:
            f["level"] = proposals.level_of(f)
        levels = {f["level"] for f in findings}
        outcome = "block" if "block" in levels else "warn" if "warn" in levels else "ok"
        rows.append({"item": item, "findings": findings, "outcome": outcome})
    return rows


@require_safe
@login_required
def proposal_detail(request, pk):
    proposal = pa.get_proposal(request.user, pk)
    can_edit = pa.can_edit(request.user, proposal)
    items = list(
        proposal.items.select_related("subject__unit", "award_type", "nomination")
        .prefetch_related("files")
        .order_by("order", "pk")
    )
    types = proposals.allowed_types(proposal.round) if can_edit else []
    search_form = SubjectSearch(request.GET or None)
    found = []
    if can_edit and search_form.is_bound and search_form.is_valid():
        q = search_form.cleaned_data["q"]
        if q:
            unit = proposal.unit
            qs = ex_access.subjects_for(request.user, Perm.EDIT).filter(
                unit_path__gte=unit.path, unit_path__lt=unit.path + PATH_END
            )
            found = list(search.filter_by_name(qs, q).order_by("sort_key", "pk")[:SEARCH_LIMIT])
    at_round_unit = proposal.at_unit_id == proposal.round.unit_id
    return render(
        request,
        "awards/proposal_detail.html",
        {
            "p": proposal,
            "rows": _item_rows(proposal, items, live=can_edit),
            "can_edit": can_edit,
            "can_review": proposals.can_review(request.user, proposal),
            "at_round_unit": at_round_unit,
            "types": types,
            "add_form": ItemAddForm(types=types),
            "exemplars_form": ExemplarsForm(types=types),
            "search_form": search_form,
            "found": found,
            "searched": search_form.is_bound,
            "upload_form": UploadForm(),
            "steps": proposal.steps.select_related("by", "from_unit", "to_unit"),
            "actions": ProposalAction,
            "overdue": proposals.overdue(proposal),
            "can_draft": dossier.can_draft(proposal),
        },
    )


@require_POST
@login_required
def item_add(request, pk):
    proposal = pa.get_proposal(request.user, pk, Perm.EDIT)
    form = ItemAddForm(request.POST, types=proposals.allowed_types(proposal.round))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("awards:proposal_detail", pk=pk)
    data = form.cleaned_data
    subject = ex_access.get_subject(request.user, data["doi_tuong"], Perm.EDIT)
    try:
        proposals.item_add(
            by=request.user,
            proposal=proposal,
            subject=subject,
            award_type=data["danh_hieu"],
            summary=data["summary"],
            achievements=data["achievements"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã thêm %(s)s vào đề nghị.") % {"s": subject.name})
    return redirect("awards:proposal_detail", pk=pk)


@require_POST
@login_required
def items_from_exemplars(request, pk):
    proposal = pa.get_proposal(request.user, pk, Perm.EDIT)
    form = ExemplarsForm(request.POST, types=proposals.allowed_types(proposal.round))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("awards:proposal_detail", pk=pk)
    try:
        added, skipped = proposals.items_from_exemplars(
            by=request.user, proposal=proposal, award_type=form.cleaned_data["danh_hieu"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if added:
            messages.success(
                request, _("Đã thêm %(n)s điển hình đã công nhận trong kỳ.") % {"n": len(added)}
            )
        else:
            messages.info(request, _("Không có điển hình nào mới để thêm."))
        for line in skipped[:20]:
            messages.warning(request, _("Không thêm: %(s)s") % {"s": line})
    return redirect("awards:proposal_detail", pk=pk)


@login_required
def item_edit(request, pk):
    item = pa.get_item(request.user, pk, Perm.EDIT)
    proposal = item.proposal
    if not pa.can_edit(request.user, proposal):
        messages.error(request, _("Đề nghị đã gửi đi; chỉ sửa được khi đang soạn hoặc bị trả lại."))
        return redirect("awards:proposal_detail", pk=proposal.pk)
    types = proposals.allowed_types(proposal.round)
    if item.award_type not in types:
        types = [item.award_type, *types]
    initial = {
        "danh_hieu": item.award_type.code,
        "summary": item.summary,
        "achievements": item.achievements,
    }
    form = ItemEditForm(request.POST or None, types=types, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposals.item_update(
                by=request.user,
                item=item,
                summary=form.cleaned_data["summary"],
                achievements=form.cleaned_data["achievements"],
                award_type=form.cleaned_data["danh_hieu"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("awards:proposal_detail", pk=proposal.pk)
    return render(request, "awards/proposal_item_form.html", {"form": form, "item": item})


@require_POST
@login_required
def item_remove(request, pk):
    item = pa.get_item(request.user, pk, Perm.EDIT)
    try:
        proposals.item_remove(by=request.user, item=item)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã bỏ %(s)s khỏi đề nghị.") % {"s": item.subject.name})
    return redirect("awards:proposal_detail", pk=item.proposal_id)


@require_POST
@login_required
def file_upload(request, pk):
    item = pa.get_item(request.user, pk, Perm.EDIT)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            proposals.file_add(by=request.user, item=item, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã tải tệp lên."))
    return redirect("awards:proposal_detail", pk=item.proposal_id)


@require_safe
@login_required
def file_download(request, pk):
    record = pa.get_file(request.user, pk)
    return stored_file(record.file, inline=record.kind in ("jpg", "png", "pdf"))


@require_POST
@login_required
def file_delete(request, pk):
    record = pa.get_file(request.user, pk)
    try:
        proposals.file_delete(by=request.user, file=record)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("awards:proposal_detail", pk=record.item.proposal_id)


@require_POST
@login_required
def proposal_submit(request, pk):
    proposal = pa.get_proposal(request.user, pk, Perm.EDIT)
    form = VersionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("awards:proposal_detail", pk=pk)
    try:
        proposal = proposals.proposal_submit(
            by=request.user, proposal=proposal, version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        messages.error(request, _("Chưa gửi được:"))
        _errors(request, exc)
    else:
        if proposal.state == ProposalState.ACCEPTED:
            messages.success(request, _("Đã tiếp nhận đề nghị của đơn vị tổ chức đợt."))
        else:
            messages.success(
                request, _("Đã gửi đề nghị lên %(u)s xét.") % {"u": proposal.at_unit.name}
            )
    return redirect("awards:proposal_detail", pk=pk)


@require_POST
@login_required
def proposal_review(request, pk):
    proposal = pa.get_proposal(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("awards:proposal_detail", pk=pk)
    data = form.cleaned_data
    try:
        proposals.review(
            by=request.user,
            proposal=proposal,
            action=data["action"],
            version=data["version"],
            reason=data["reason"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã ghi nhận."))
    return redirect("awards:proposal_detail", pk=pk)


@require_POST
@login_required
def statement_write(request, pk):
    """Write (or refresh) the tờ trình draft in the documents module, then open it there."""
    proposal = pa.get_proposal(request.user, pk, Perm.EDIT)
    try:
        document = dossier.write_statement(by=request.user, proposal=proposal)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("awards:proposal_detail", pk=pk)
    if document is None:
        messages.error(request, _("Chi hội không lập tờ trình trong sổ văn bản."))
        return redirect("awards:proposal_detail", pk=pk)
    messages.success(request, _("Đã soạn tờ trình (dự thảo)."))
    return redirect("plans:detail", pk=document.pk)


@require_safe
@login_required
def statement_docx(request, pk):
    proposal = pa.get_proposal(request.user, pk)
    data = dossier.statement_docx(proposal)
    return bytes_download(data, DOCX, dossier.file_stem(proposal, "to-trinh") + ".docx")


@require_safe
@login_required
def statement_pdf(request, pk):
    proposal = pa.get_proposal(request.user, pk)
    data = dossier.statement_pdf(proposal)
    return bytes_download(data, "application/pdf", dossier.file_stem(proposal, "to-trinh") + ".pdf")


@require_safe
@login_required
def list_xlsx(request, pk):
    proposal = pa.get_proposal(request.user, pk)
    data = dossier.proposal_list_xlsx(proposal)
    rows = proposal.items.count()
    audit.record_export(request, what="awards.proposal_list", rows=rows, unit=proposal.unit)
    return xlsx_download(data, dossier.file_stem(proposal, "danh-sach") + ".xlsx")


@require_safe
@login_required
def list_docx(request, pk):
    proposal = pa.get_proposal(request.user, pk)
    data = dossier.list_docx(dossier.proposal_list_context(proposal))
    return bytes_download(data, DOCX, dossier.file_stem(proposal, "danh-sach") + ".docx")


@require_safe
@login_required
def list_pdf(request, pk):
    proposal = pa.get_proposal(request.user, pk)
    data = dossier.list_pdf(dossier.proposal_list_context(proposal))
    return bytes_download(
        data, "application/pdf", dossier.file_stem(proposal, "danh-sach") + ".pdf"
    )


@require_safe
@login_required
def report_docx(request, pk):
    item = pa.get_item(request.user, pk)
    stem = dossier.file_stem(item.proposal, f"bao-cao-thanh-tich-{item.pk}")
    return bytes_download(dossier.report_docx(item), DOCX, stem + ".docx")


@require_safe
@login_required
def report_pdf(request, pk):
    item = pa.get_item(request.user, pk)
    stem = dossier.file_stem(item.proposal, f"bao-cao-thanh-tich-{item.pk}")
    return bytes_download(dossier.report_pdf(item), "application/pdf", stem + ".pdf")


# ---- the review queue --------------------------------------------------------------------------
@require_safe
@login_required
def queue(request):
    form = QueueForm(request.GET)
    below = form.is_valid() and form.cleaned_data["cap_duoi"]
    rows = list(
        pa.queue_for(request.user, below=below)
        .annotate(item_count=Count("items"))
        .order_by("round__deadline", "submitted_at", "pk")[:200]
    )
    return render(request, "awards/proposal_queue.html", {"rows": rows, "below": below})
