"""A bare one-query view: the yardstick of the throughput benchmark (`benchmarks/throughput.py`).

Wired in `guongsang/urls.py` only when the environment variable ``BENCH_BARE_VIEW=1`` is set
(never by default). It runs one small query and answers a few bytes of text, through the same
middleware as every other page, so "requests per second of this view" is what the stack itself
costs on this machine.
"""

from django.http import HttpResponse

from guongsang.units.models import Unit


def bare(request):
    name = Unit.objects.order_by("pk").values_list("name", flat=True).first() or ""
    return HttpResponse(f"ok {name}\n", content_type="text/plain; charset=utf-8")
