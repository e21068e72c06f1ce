"""Pages of clusters and blocks, pledges and points tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
@login_required
def home(request):
    return render(request, "emulation/home.html", {"section": "emulation"})
