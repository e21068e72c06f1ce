"""A bare one-query view: the yardstick of the throughput benchmark (`benchmarks/throughput.py`).

Wired in `guongsang/urls.py` only when the environment variable ``BENCH_BARE_VIEW=1`` is set
(never by default). It runs one small query and answers a few bytes of text, through the same
middleware as every other page, so "requests per second of this view" is what the stack itself
costs on this machine. ``bare_logged_in`` is the same view for a logged-in request: it reads the
session and the account, as every back-office page must, and nothing else (the benchmark's
measure of what a logged-in page costs before its own work).
"""

from django.http import HttpResponse

from guongsang.units.models import Unit


def bare(request):
    name = Unit.objects.order_by("pk").values_list("name", flat=True).first() or ""
    return HttpResponse(f"ok {name}\n", content_type="text/plain; charset=utf-8")


def bare_logged_in(request):
    if not request.user.is_authenticated:
        return HttpResponse("login first\n", status=403, content_type="text/plain; charset=utf-8")
    return bare(request)
