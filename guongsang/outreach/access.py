"""Fetching outreach objects: back office through guongsang.units.access; the public column
sees only published stories whose subject's consent stands."""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END, SEGMENT_WIDTH, Unit

from .models import Activity, ActivityFile, Consent, Story, StoryImage, StoryState

# Scopes whose root is at most this long (the central union, a province) hold tens of thousands
# of activities or more; below (a commune, a branch) a few hundred.
WIDE_PATH_LENGTH = 2 * SEGMENT_WIDTH


def is_wide(user, within: Unit | None = None, perm: Perm = Perm.VIEW) -> bool:
    roots = [within.path] if within is not None else access.scope_paths(user, perm)
    return any(len(path) <= WIDE_PATH_LENGTH for path in roots)


def activities_for(
    user, perm: Perm = Perm.VIEW, *, within: Unit | None = None, walk_dates: bool = False
) -> QuerySet[Activity]:
    """Activities in the user's scope (and in ``within``'s subtree if given).

    ``walk_dates`` asks for the shape in which "newest first, LIMIT n" reads
    ``activity_date_idx`` backwards and checks each row's unit: use it for wide scopes
    (``is_wide``). SQLite, planning without statistics, starts a join from the units and sorts
    every activity of a province, so there the scope becomes a correlated EXISTS on the unit.
    PostgreSQL picks the date index for the join from its statistics (measured on national
    data), and the EXISTS would only add planning time (1.5-5 ms against 0.4), so it keeps the
    join. The join also suits narrow scopes, counts and sums (from the units, then
    ``activity_report_idx``)."""
    qs = Activity.objects.select_related("unit", "form", "movement")
    if not walk_dates or connection.vendor != "sqlite":
        qs = qs.filter(access.scope_q(user, perm, "unit__"))
        if within is not None:
            qs = qs.filter(unit__path__gte=within.path, unit__path__lt=within.path + PATH_END)
        return qs
    units = access.scope_q(user, perm)
    if within is not None:
        units &= Q(path__gte=within.path, path__lt=within.path + PATH_END)
    if not units:
        return qs  # the whole country, for a superuser
    return qs.filter(Exists(Unit.objects.filter(units, pk=OuterRef("unit_id"))))


def get_activity(user, pk, perm: Perm = Perm.VIEW) -> Activity:
    return access.get_or_404(activities_for(user, perm), pk)


def get_activity_file(user, pk) -> ActivityFile:
    return access.get_or_404(
        ActivityFile.objects.filter(access.scope_q(user, Perm.VIEW, "activity__unit__")), pk
    )


def stories_for(user, perm: Perm = Perm.VIEW) -> QuerySet[Story]:
    return Story.objects.filter(
        access.scope_q(user, perm, "exemplar__subject__unit__")
    ).select_related("exemplar__subject__unit", "exemplar__movement")


def get_story(user, pk, perm: Perm = Perm.VIEW) -> Story:
    return access.get_or_404(stories_for(user, perm), pk)


def consents_for(user, perm: Perm = Perm.VIEW) -> QuerySet[Consent]:
    return Consent.objects.filter(access.scope_q(user, perm, "subject__unit__"))


def get_consent(user, pk, perm: Perm = Perm.VIEW) -> Consent:
    return access.get_or_404(consents_for(user, perm).select_related("subject__unit"), pk)


def _consent_stands():
    return Exists(
        Consent.objects.filter(
            subject_id=OuterRef("exemplar__subject_id"), withdrawn_on__isnull=True
        )
    )


def public_stories() -> QuerySet[Story]:
    """What anyone may read: published, and the subject's consent still stands (checked here
    too, not only when publishing)."""
    return (
        Story.objects.filter(state=StoryState.PUBLISHED, published_at__isnull=False)
        .filter(_consent_stands())
        .select_related("exemplar__subject__unit", "exemplar__movement")
    )


def get_public_story(slug: str) -> Story:
    try:
        return public_stories().get(slug=slug)
    except Story.DoesNotExist:
        raise Http404 from None


def get_story_image(user, pk) -> StoryImage:
    """A story image: public when its story is public, else only for back-office readers."""
    image = access.get_or_404(StoryImage.objects.select_related("story"), pk)
    if public_stories().filter(pk=image.story_id).exists():
        return image
    if user is not None and stories_for(user).filter(pk=image.story_id).exists():
        return image
    raise Http404
