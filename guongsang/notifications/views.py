from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import queries, services
from .forms import PreferencesForm


@login_required
def notification_list(request):
    qs = queries.for_user(request.user)
    only_unread = request.GET.get("chua_doc") == "1"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "only_unread": only_unread},
    )


@login_required
@require_POST
def notification_open(request, pk):
    notification = queries.get_notification(request.user, pk)
    services.mark_read(user=request.user, notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    n = services.mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": n})
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, current=queries.email_preferences(request.user))
    if request.method == "POST" and form.is_valid():
        services.set_email_preferences(user=request.user, wanted=form.cleaned_data)
        messages.success(request, _("Đã lưu lựa chọn nhận thư."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
