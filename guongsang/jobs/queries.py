from django.db.models import QuerySet

from guongsang.units.access import get_or_404

from .models import Job


def for_user(user) -> QuerySet[Job]:
    """A user's own jobs, newest first. Nobody else's, whatever her roles."""
    return Job.objects.filter(user=user).order_by("-created_at", "-pk")


def get_job(user, pk) -> Job:
    """The user's own job, or 404 (the same for a missing job and for someone else's)."""
    return get_or_404(for_user(user).select_related("unit"), pk)
