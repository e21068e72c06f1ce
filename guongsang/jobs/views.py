from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guongsang.core.pagination import paginate

from . import queries


@login_required
@require_GET
def job_list(request):
    page = paginate(queries.for_user(request.user).select_related("unit"), request, per_page=30)
    return render(request, "jobs/job_list.html", {"page": page})


@login_required
@require_GET
def job_detail(request, pk):
    """The job's state; while it runs, the status fragment asks for itself every 2 s (HTMX)."""
    job = queries.get_job(request.user, pk)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/fragment_job_status.html", {"job": job})
    return render(request, "jobs/job_detail.html", {"job": job})


@login_required
@require_GET
def job_download(request, pk):
    job = queries.get_job(request.user, pk)
    if not job.result_file:
        raise Http404
    response = FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=job.result_name or "ket-qua"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
