"""Fetching exemplar objects for a user: built only on guongsang.units.access."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from guongsang.accounts.models import Membership, Role, User
from guongsang.units import access
from guongsang.units.access import Perm

from .models import (
    Attachment,
    CriteriaSet,
    Exemplar,
    Movement,
    Nomination,
    NominationState,
    ReviewRound,
    Subject,
)


def movements_for(user: User | None) -> QuerySet[Movement]:
    return Movement.objects.filter(access.catalogue_q(user)).select_related("issuing_unit")


def criteria_sets_for(user: User | None) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.filter(access.catalogue_q(user)).select_related(
        "issuing_unit", "movement"
    )


def rounds_for(user: User | None) -> QuerySet[ReviewRound]:
    return ReviewRound.objects.filter(access.catalogue_q(user, "unit__")).select_related(
        "unit", "movement"
    )


def subjects_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Subject]:
    return Subject.objects.filter(access.scope_q(user, perm, "unit__")).select_related("unit")


def nominations_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Nomination]:
    """Nominations proposed inside the user's subtree (reviewers above see what comes up)."""
    return Nomination.objects.filter(access.scope_q(user, perm, "proposing_unit__")).select_related(
        "subject", "movement", "proposing_unit", "current_unit", "review_round"
    )


def exemplars_for(user: User | None) -> QuerySet[Exemplar]:
    return Exemplar.objects.filter(
        access.scope_q(user, Perm.VIEW, "subject__unit__")
    ).select_related("subject", "subject__unit", "movement", "recognising_unit")


def queue_for(user: User | None, *, below: bool = False) -> QuerySet[Nomination]:
    """Submitted nominations waiting at the units where the user reviews (her desks), plus those
    waiting at a unit below with no reviewer of its own (a branch without one would otherwise
    hold a group's nomination forever); with ``below``, everything waiting under her desks."""
    waiting = nominations_for(user).filter(state=NominationState.SUBMITTED)
    in_scope = access.scope_q(user, Perm.REVIEW, "current_unit__")
    if below or (user is not None and user.is_authenticated and user.is_superuser):
        return waiting.filter(in_scope)
    has_reviewer = Membership.objects.filter(
        unit=OuterRef("current_unit"),
        role__in=[Role.ADMIN, Role.REVIEWER],
        user__is_active=True,
    )
    return waiting.filter(
        Q(current_unit__path__in=access.held_units_paths(user, Perm.REVIEW))
        | (in_scope & ~Exists(has_reviewer))
    )


def can_review_at(user: User | None, unit) -> bool:
    """Reviewers of the unit, or of a unit above it (a higher level may act for a commune that
    has no reviewer of its own)."""
    return access.can(user, Perm.REVIEW, unit)


def get_movement(user, pk) -> Movement:
    return access.get_or_404(movements_for(user), pk)


def get_criteria_set(user, pk) -> CriteriaSet:
    return access.get_or_404(criteria_sets_for(user), pk)


def get_round(user, pk) -> ReviewRound:
    return access.get_or_404(rounds_for(user), pk)


def get_subject(user, pk, perm: Perm = Perm.VIEW) -> Subject:
    return access.get_or_404(subjects_for(user, perm), pk)


def get_nomination(user, pk, perm: Perm = Perm.VIEW) -> Nomination:
    return access.get_or_404(nominations_for(user, perm), pk)


def get_exemplar(user, pk) -> Exemplar:
    return access.get_or_404(exemplars_for(user), pk)


def get_attachment(user, pk) -> Attachment:
    return access.get_or_404(
        Attachment.objects.filter(access.scope_q(user, Perm.VIEW, "nomination__proposing_unit__")),
        pk,
    )
