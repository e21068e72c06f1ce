"""Fetching outreach objects: back office through guongsang.units.access; the public column
sees only published stories whose subject's consent stands."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from guongsang.units import access
from guongsang.units.access import Perm

from .models import Activity, ActivityFile, Consent, Story, StoryImage, StoryState


def activities_for(user, perm: Perm = Perm.VIEW) -> QuerySet[Activity]:
    return Activity.objects.filter(access.scope_q(user, perm, "unit__")).select_related(
        "unit", "form", "movement"
    )


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
    image = (
        StoryImage.objects.filter(pk=pk if str(pk).isdigit() else -1)
        .select_related("story")
        .first()
    )
    if image is None:
        raise Http404
    if public_stories().filter(pk=image.story_id).exists():
        return image
    if user is not None and stories_for(user).filter(pk=image.story_id).exists():
        return image
    raise Http404
