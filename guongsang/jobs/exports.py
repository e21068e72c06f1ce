"""Large list exports (``?xuat=xlsx``) built by the worker instead of the request.

A list view's export branch asks ``export_later`` first: when the scope holds more rows than
``EXPORT_INLINE_MAX_ROWS`` it starts a job and returns the redirect to its page. The task then
calls the same view, as the same user with the same query string, flagged so that it exports
inline: the workbook is the one the page would have built (same query, same columns, same
audit entry), only built by the worker.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import resolve
from django.utils.translation import gettext as _
from django_tasks import task

from guongsang.accounts.services import client_address

from .models import Job
from .services import finish, job_task, progress, start

logger = logging.getLogger(__name__)

# The list views that may export in the background, with the kind of their job.
EXPORTS = {
    "exemplars:subject_list": "export_subjects",
    "exemplars:nomination_list": "export_nominations",
    "exemplars:exemplar_list": "export_exemplars",
    "outreach:activity_list": "export_activities",
}
BACKGROUND_FLAG = "_gs_background_export"


def export_later(request, qs: QuerySet, *, unit=None) -> HttpResponse | None:
    """None when the export should be built now (few rows, or this is the worker building it);
    otherwise start the background job and return the redirect to its page."""
    if getattr(request, BACKGROUND_FLAG, False):
        return None
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    if view_name not in EXPORTS:
        return None
    limit = settings.EXPORT_INLINE_MAX_ROWS
    if qs.order_by().values("pk")[: limit + 1].count() <= limit:
        return None
    job = start(
        kind=EXPORTS[view_name],
        user=request.user,
        unit=unit,
        task=export_list,
        path=request.path,
        query=request.GET.urlencode(),
        address=client_address(request),
    )
    messages.info(
        request,
        _("Danh sách có hơn %(n)s dòng: tệp Excel đang được tạo ở chế độ nền.")
        % {"n": f"{limit:,}".replace(",", ".")},
    )
    return redirect("jobs:detail", pk=job.pk)


def _request(user, path: str, query: str, address: str) -> HttpRequest:
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.META = {"REMOTE_ADDR": address, "SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    request.user = user
    setattr(request, BACKGROUND_FLAG, True)
    return request


def _filename(response: HttpResponse) -> str:
    header = response.get("Content-Disposition", "")
    if 'filename="' in header:
        return header.split('filename="', 1)[1].split('"', 1)[0]
    return "danh-sach.xlsx"


@task()
@job_task
def export_list(*, job_id: int, path: str, query: str, address: str = "") -> None:
    """Build the workbook of the list at ``path`` with ``query`` as the job's owner."""
    job = Job.objects.get(pk=job_id)
    user = get_user_model().objects.get(pk=job.user_id)
    match = resolve(path)
    if match.view_name not in EXPORTS or not user.is_active:
        raise ValueError(f"Not a background export: {match.view_name}")
    progress(job_id=job_id, done=0, message=_("Đang tạo tệp Excel…"))
    request = _request(user, path, query, address)
    request.resolver_match = match
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        raise ValidationError(_("Bạn không còn quyền xem danh sách này.")) from None
    if response.status_code != 200 or not response.get("Content-Disposition"):
        raise ValueError(f"The export of {path} answered {response.status_code}")
    finish(
        job_id=job_id,
        result_bytes=response.content,
        result_name=_filename(response),
        message=_("Tệp Excel đã sẵn sàng."),
    )
