from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def service_worker(request):
    """The service worker at the site's root, so that it may serve every page it keeps."""
    return HttpResponse(
        render_to_string("core/sw.js"),
        content_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )
