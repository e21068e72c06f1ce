from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from guongsang.accounts.models import Membership
from guongsang.units import access, queries


@login_required
def home(request):
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("unit").order_by("unit__path")
    )
    roots = access.root_units(request.user)
    summaries = [(unit, queries.subtree_counts(unit)) for unit in roots[:5]]
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "summaries": summaries,
            "can_manage": bool(access.scope_paths(request.user, access.Perm.MANAGE)),
        },
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
