from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from guongsang.accounts.models import Membership
from guongsang.units import access, queries
from guongsang.units.access import Perm


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
            "can_manage": bool(access.scope_paths(request.user, Perm.MANAGE)),
            "can_edit": bool(access.scope_paths(request.user, Perm.EDIT)),
            "todo": _todo(request.user),
        },
    )


def _todo(user) -> list[tuple[str, int, str]]:
    """What waits for the user, one COUNT each: (label, count, link)."""
    from guongsang.exemplars import access as ex_access
    from guongsang.exemplars.models import NominationState
    from guongsang.outreach import access as out_access
    from guongsang.outreach.models import StoryState
    from guongsang.plans import access as plan_access
    from guongsang.plans import queries as plan_queries

    items = []
    if access.scope_paths(user, Perm.EDIT):
        unread = plan_queries.with_inbox_state(plan_access.inbox_for(user), user)
        items.append(
            (
                _("Văn bản đến chưa xác nhận"),
                unread.filter(waiting=True).count(),
                reverse("plans:list"),
            )
        )
        drafts = ex_access.nominations_for(user, Perm.EDIT).filter(
            state__in=[NominationState.DRAFT, NominationState.RETURNED]
        )
        items.append(
            (
                _("Hồ sơ đề cử đang soạn hoặc bị trả lại"),
                drafts.count(),
                reverse("exemplars:dashboard"),
            )
        )
    if access.scope_paths(user, Perm.REVIEW):
        items.append(
            (
                _("Hồ sơ đề cử chờ bạn xét"),
                ex_access.queue_for(user).count(),
                reverse("exemplars:queue"),
            )
        )
    if access.scope_paths(user, Perm.MANAGE):
        waiting = out_access.stories_for(user, Perm.MANAGE).filter(state=StoryState.REVIEW)
        items.append(
            (
                _("Bài viết chờ duyệt đăng"),
                waiting.count(),
                reverse("outreach:story_list") + "?trang_thai=review",
            )
        )
    return items


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
