"""Pages of the decisions of commendation: drafted from a closed session, read, issued, and the
payout list of their prizes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guongsang.audit import services as audit
from guongsang.core.forms import refuse_control_characters
from guongsang.units import access
from guongsang.units.access import Perm

from . import certificates, decisions
from . import council_access as caccess
from .models import DecisionLine, SessionState


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"), max_length=300, validators=[refuse_control_characters]
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def decision_create(request, pk):
    session = caccess.get_session(request.user, pk, manage=True)
    try:
        decision = decisions.decision_draft(by=request.user, session=session)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("awards:session_detail", pk=session.pk)
    messages.success(request, _("Đã lập dự thảo quyết định khen thưởng."))
    return redirect("awards:decision_detail", pk=decision.pk)


@login_required
@require_GET
def decision_detail(request, pk):
    decision = access.get_or_404(decisions.decisions_for(request.user), pk)
    lines = list(
        decision.lines.select_related(
            "subject__unit", "award_type", "item__proposal__unit", "certificate"
        )
    )
    context = {
        "decision": decision,
        "lines": lines,
        "total": decisions.prize_total(decision),
        "can_issue": decision.issued_at is None
        and access.can(request.user, Perm.EDIT, decision.unit),
        "revoke_form": RevokeForm(),
        "can_revoke": access.can(request.user, Perm.EDIT, decision.unit),
        "session_closed": decision.session is not None
        and decision.session.state == SessionState.CLOSED,
    }
    return render(request, "awards/decision_detail.html", context)


@login_required
@require_POST
def decision_issue(request, pk):
    decision = access.get_or_404(decisions.decisions_for(request.user), pk)
    try:
        decisions.decision_issue(by=request.user, decision=decision)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ban hành quyết định và ghi vào quá trình khen thưởng."))
    return redirect("awards:decision_detail", pk=decision.pk)


@login_required
@require_GET
def decision_payout(request, pk):
    decision = access.get_or_404(decisions.decisions_for(request.user), pk)
    data = decisions.payout_xlsx(decision)
    rows = decision.lines.count()
    audit.record_export(request, what="awards.payout", rows=rows, unit=decision.unit)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chi-tien-thuong-{decision.pk}.xlsx"'
    return response


@login_required
@require_GET
def decision_certificates(request, pk):
    """Every certificate of the decision in one PDF (one page each)."""
    decision = access.get_or_404(decisions.decisions_for(request.user), pk)
    lines = list(_certified_lines(decision))
    if not lines:
        raise Http404
    return _pdf(request, lines, f"giay-khen-quyet-dinh-{decision.pk}.pdf")


@login_required
@require_GET
def line_certificate(request, pk):
    line = access.get_or_404(
        DecisionLine.objects.filter(decision__in=decisions.decisions_for(request.user)), pk
    )
    lines = list(_certified_lines(line.decision).filter(pk=line.pk))
    if not lines:
        raise Http404
    return _pdf(request, lines, f"giay-khen-{line.pk}.pdf")


@login_required
@require_POST
def certificate_revoke(request, pk):
    line = access.get_or_404(
        DecisionLine.objects.filter(decision__in=decisions.decisions_for(request.user)), pk
    )
    certificate = getattr(line, "certificate", None)
    if certificate is None:
        raise Http404
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        certificates.revoke(
            by=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã thu hồi giấy chứng nhận."))
    return redirect("awards:decision_detail", pk=line.decision_id)


def _certified_lines(decision):
    return decision.lines.filter(certificate__isnull=False).select_related(
        "certificate", "subject__unit", "award_type", "item", "decision__document", "decision__unit"
    )


def _pdf(request, lines, filename: str) -> HttpResponse:
    response = HttpResponse(certificates.pdf(request, lines), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
