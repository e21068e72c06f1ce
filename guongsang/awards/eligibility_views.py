"""The eligibility check as a page, and as a fragment the subject page embeds (HTMX)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from guongsang.core.forms import is_htmx

from . import access, eligibility
from .eligibility_forms import EligibilityForm, SubjectQuery

# Any of these in the query string means the form was sent; the subject alone only preselects.
SENT = ("danh_hieu", "nam")


@require_safe
@login_required
def eligibility_check(request):
    subject = None
    if any(name in request.GET for name in SENT):
        form = EligibilityForm(request.GET, user=request.user)
    else:
        pick = SubjectQuery(request.GET)
        if pick.is_valid() and pick.cleaned_data["doi_tuong"]:
            subject = access.get_subject(request.user, pick.cleaned_data["doi_tuong"])
        # A malformed subject id is shown on the form as an error, like any other input.
        form = EligibilityForm(
            request.GET if pick.errors else None, user=request.user, subject=subject
        )
    findings = outcome = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        subject = data["doi_tuong"]
        findings = eligibility.check(
            subject=subject, award_type=data["danh_hieu"], year=data["nam"]
        )
        outcome = eligibility.summary(findings)
    context = {
        "form": form,
        "subject": subject or form.subject,
        "entry": form.cleaned_data.get("danh_hieu") if findings is not None else None,
        "year": form.cleaned_data.get("nam") if findings is not None else None,
        "findings": findings,
        "outcome": outcome,
        "embedded": is_htmx(request),
    }
    template = "awards/fragment_eligibility.html" if is_htmx(request) else "awards/eligibility.html"
    return render(request, template, context)
