"""Outputs of the reports: Excel of a summary and of a round, and the Báo cáo draft (Word and PDF
come from the documents module once the draft exists)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guongsang.core.forms import id_field
from guongsang.core.text import fold
from guongsang.units import access as unit_access
from guongsang.units.access import Perm

from . import access, drafting, exports, figures
from .summary_forms import SummaryForm
from .summary_views import default_unit, summary_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    name = slugify(fold(stem))[:80] or "bao-cao"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


class BadInput(Exception):
    pass


def _bad_input(exc: BadInput) -> HttpResponse:
    return HttpResponseBadRequest(
        _("Yêu cầu không hợp lệ: %(problem)s") % {"problem": exc}, content_type="text/plain"
    )


class DraftForm(SummaryForm):
    dot = id_field()


def _summary_args(request, data, form_class=SummaryForm):
    form = form_class(data)
    if not form.is_valid():
        raise BadInput(" ".join(m for msgs in form.errors.values() for m in msgs))
    d = form.cleaned_data
    if d.get("don_vi"):
        unit = unit_access.get_unit(request.user, d["don_vi"])
    else:
        unit = default_unit(request.user)
        if unit is None:
            raise Http404
    return unit, d["start"], d["end"], bool(d.get("cu")), d.get("dot")


@login_required
def summary_xlsx(request):
    try:
        unit, start, end, former, _round = _summary_args(request, request.GET)
    except BadInput as exc:
        return _bad_input(exc)
    summary = figures.summary(unit, start, end, former_structure=former)
    stem = f"tong-hop-{unit.name}-{start:%Y%m%d}-{end:%Y%m%d}"
    return _xlsx(exports.summary_workbook(summary), stem)


@login_required
def round_xlsx(request, pk):
    rnd = access.get_round(request.user, pk)
    # A respondent who cannot view the requesting unit gets her own subtree's part only.
    within = None
    if not access.sees_whole_round(request.user, rnd):
        within = unit_access.scope_q(request.user, Perm.VIEW, "unit_")
    return _xlsx(exports.round_workbook(rnd, within), f"{rnd.title}-{timezone.localdate():%Y%m%d}")


@login_required
@require_POST
def draft(request):
    """Create a Báo cáo draft of the unit for the period (and, from a round's page, with its
    units' reports), then open it in the documents module to edit, print and issue."""
    try:
        unit, start, end, former, round_id = _summary_args(request, request.POST, DraftForm)
    except BadInput as exc:
        return _bad_input(exc)
    rnd = None
    if round_id:
        rnd = access.get_round(request.user, round_id)
        start, end = rnd.period_start, rnd.period_end
    if not unit_access.can(request.user, Perm.EDIT, unit):
        raise Http404
    try:
        document = drafting.report_draft(
            by=request.user, unit=unit, start=start, end=end, rnd=rnd, former_structure=former
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        back = (
            redirect("reports:round", rnd.pk)
            if rnd
            else redirect(summary_url(unit.pk, start, end, former))
        )
        return back
    messages.success(
        request,
        _(
            "Đã lập dự thảo báo cáo. Hãy đọc, sửa nội dung rồi ban hành; tải bản Word hoặc PDF ở "
            "trang này."
        ),  # fmt: skip
    )
    return redirect("plans:detail", document.pk)
