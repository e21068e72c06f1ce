"""The public verification of a certificate (no login): only the name, the award, the year,
the decision and the issuing body, or that it was revoked."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .certificates import verify


@never_cache
@require_GET
def verify_certificate(request, code: str):
    certificate = verify(code[:40])
    if certificate is None:
        return render(request, "awards/verify.html", {"certificate": None}, status=404)
    return render(request, "awards/verify.html", {"certificate": certificate})
