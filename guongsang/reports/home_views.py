"""The home page (the union officer's start: what waits for her, her units, the year's
dashboard) and its fragments. It lives in the app at the top because it reads every app."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guongsang.accounts.models import Membership
from guongsang.core.forms import id_field, is_htmx
from guongsang.exemplars import access as ex_access
from guongsang.exemplars.models import NominationState
from guongsang.notifications import queries as notification_queries
from guongsang.outreach import access as out_access
from guongsang.outreach.models import StoryState
from guongsang.plans import access as plan_access
from guongsang.plans import queries as plan_queries
from guongsang.units import access, queries
from guongsang.units.access import Perm
from guongsang.units.models import SEGMENT_WIDTH

from . import access as report_access
from . import dashboard as dash
from .summary_views import default_unit, summary_url

# The "to do" badges count at most this many rows ("99+" above): a central officer's draft
# nominations across the country are not counted on every visit of the home page.
WAITING_CAP = 99
# The query parameter that asks for the "to do" counts.
WAITING_PARAM = "viec_can_lam"


def _counts_inline(unit) -> bool:
    """Count a root's units on the page when it is a commune or below (tens of units); the
    central union's 136k and a province's thousands come on request (HTMX once the page is
    shown, or the unit's own page without JavaScript)."""
    return len(unit.path) > 2 * SEGMENT_WIDTH


class HomeForm(forms.Form):
    so_don_vi = id_field()  # the unit whose subtree counts are asked for (HTMX)


@login_required
def home(request):
    query = HomeForm(request.GET)
    if not query.is_valid():
        return HttpResponseBadRequest(_("Đơn vị không hợp lệ."), content_type="text/plain")
    if is_htmx(request) and query.cleaned_data.get("so_don_vi"):
        unit = access.get_unit(request.user, query.cleaned_data["so_don_vi"])
        return render(
            request,
            "reports/fragment_home_counts.html",
            {"unit": unit, "counts": queries.subtree_counts(unit)},
        )
    todo_now = request.GET.get(WAITING_PARAM) == "1"
    if is_htmx(request) and todo_now:
        return render(
            request,
            "reports/fragment_home_todo.html",
            {"todo": _todo(request.user), "todo_cap": WAITING_CAP},
        )
    keep_as = None
    if not request.GET and not is_htmx(request) and not len(messages.get_messages(request)):
        keep_as = _kept_key(request)
        kept = _KEPT.get(request.user.pk)
        if keep_as is not None and kept is not None and kept[0] == keep_as:
            return HttpResponse(kept[1].replace(_TOKEN_MARK, get_token(request)))
    response = _render_home(request, todo_now)
    if keep_as is not None:
        _keep(request.user.pk, keep_as, response.content.decode())
    return response


# The plain home page (no query, no flash message) as last rendered for each account, in this
# process, with what it was rendered under (``_kept_key``); served again while that holds. What
# the page shows besides the account's own name comes from the units and the memberships (her
# roles, her units' names, a commune's unit counts, what she may do), whose every change moves
# ``units.queries.structure_stamp``, and the unread count in the header. The CSRF token is put
# back per request. Measured (test client, national data): rendered, 3.9 ms; served again,
# 1.4 ms: the session, the account, the stamp and the unread count, and no template.
_KEPT: dict[int, tuple[tuple, str]] = {}
KEPT_MAX = 2000  # accounts per process (about 5 KB each); all dropped when full
_TOKEN_MARK = "\x00gs-csrf-token\x00"  # a NUL never appears in a rendered page
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _kept_key(request) -> tuple | None:
    stamp = queries.structure_stamp()
    if stamp is None:
        return None
    user = request.user
    return (
        stamp,
        notification_queries.request_unread_count(request),
        user.username,
        user.full_name,
        user.is_superuser,
        get_language(),
        get_script_prefix(),
    )


def _keep(user_pk: int, key: tuple, html: str) -> None:
    token = _TOKEN.search(html)
    if token is None:
        return
    if len(_KEPT) >= KEPT_MAX:
        _KEPT.clear()
    _KEPT[user_pk] = (key, html.replace(token.group(1), _TOKEN_MARK))


def _render_home(request, todo_now: bool):
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("unit").order_by("unit__path")
    )
    access.remember_memberships(request.user, memberships)  # the scope needs no query of its own
    roots = _roots(request.user, memberships)
    summaries = [
        (unit, queries.subtree_counts(unit) if _counts_inline(unit) else None) for unit in roots[:5]
    ]
    return render(
        request,
        "reports/home.html",
        {
            "memberships": memberships,
            "summaries": summaries,
            "can_manage": bool(access.scope_paths(request.user, Perm.MANAGE)),
            "can_edit": bool(access.scope_paths(request.user, Perm.EDIT)),
            # The counts come on request (HTMX once the page is shown; ?viec_can_lam=1 without
            # JavaScript): they were most of the page's cost, every visit.
            "todo": _todo(request.user, counted=todo_now),
            "todo_later": not todo_now
            and any(access.scope_paths(request.user, p) for p in (Perm.EDIT, Perm.REVIEW)),
            "todo_param": WAITING_PARAM,
            "todo_cap": WAITING_CAP,
            "dashboard": bool(memberships) or request.user.is_superuser,
        },
    )


def _roots(user, memberships) -> list:
    """The roots of the user's tree: her memberships' units when they are all of them (no
    merged predecessor in the scope), without another query; else the access layer's."""
    paths = access.scope_paths(user, Perm.VIEW)
    held = {m.unit.path: m.unit for m in memberships}
    if paths and all(path in held for path in paths):
        return [held[path] for path in sorted(paths)]
    return access.root_units(user)


def _count(qs) -> int:
    """The number of rows, at most ``WAITING_CAP + 1`` (shown as "99+")."""
    return qs.order_by()[: WAITING_CAP + 1].count()


def _todo(user, *, counted: bool = True) -> list[tuple[str, int | None, str]]:
    """What waits for the user, one capped COUNT each: (label, count, link). ``counted=False``:
    the same lines without a query (count None), shown while the counts are on their way, so
    that the page does not move when they arrive; their querysets are then not even built
    (building them through the ORM cost more than the rest of the home page)."""
    items = []

    def add(label, rows, link):
        items.append((label, _count(rows()) if counted else None, link))

    if access.scope_paths(user, Perm.EDIT):
        add(
            _("Văn bản đến chưa xác nhận"),
            lambda: plan_queries.with_inbox_state(plan_access.inbox_for(user), user).filter(
                waiting=True
            ),
            reverse("plans:list"),
        )
        add(
            _("Hồ sơ đề cử đang soạn hoặc bị trả lại"),
            lambda: ex_access.nominations_for(user, Perm.EDIT).filter(
                state__in=[NominationState.DRAFT, NominationState.RETURNED]
            ),
            reverse("exemplars:dashboard"),
        )
        add(
            _("Báo cáo theo biểu mẫu chưa nộp"),
            lambda: report_access.reports_to_submit(user),
            reverse("reports:rounds"),
        )
    if access.scope_paths(user, Perm.REVIEW):
        add(
            _("Hồ sơ đề cử chờ bạn xét"),
            lambda: ex_access.queue_for(user),
            reverse("exemplars:queue"),
        )
    if access.scope_paths(user, Perm.MANAGE):
        add(
            _("Bài viết chờ duyệt đăng"),
            lambda: out_access.stories_for(user, Perm.MANAGE).filter(state=StoryState.REVIEW),
            reverse("outreach:story_list") + "?trang_thai=review",
        )
    return items


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
