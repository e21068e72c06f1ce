"""The home page's parts that come from the reports: the dashboard fragment (HTMX)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from guongsang.core.forms import id_field
from guongsang.units import access
from guongsang.units.access import Perm

from . import dashboard as dash
from .summary_views import default_unit, summary_url


class DashboardForm(forms.Form):
    don_vi = id_field()


@login_required
def dashboard(request):
    """The dashboard of one of the user's units (default: her top unit)."""
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Đơn vị không hợp lệ."), content_type="text/plain")
    if form.cleaned_data.get("don_vi"):
        unit = access.get_unit(request.user, form.cleaned_data["don_vi"], Perm.VIEW)
    else:
        unit = default_unit(request.user)
    board = dash.cached(unit)
    return render(
        request,
        "reports/fragment_dashboard.html",
        {
            "board": board,
            "summary_url": summary_url(unit.pk, board.start, board.end, False),
        },
    )
