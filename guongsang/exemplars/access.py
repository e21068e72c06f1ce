"""Fetching exemplar objects for a user: built only on guongsang.units.access."""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Collate

from guongsang.accounts.models import Membership, Role, User
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END, Unit

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
from .search import NARROW_PATH


def _in_catalogue(qs: QuerySet, user: User | None, unit_fk: str) -> QuerySet:
    """``access.catalogue_q`` on the path of the row's unit ``unit_fk``, read by a lookup on the
    unit's primary key for each row: movements, criteria sets and rounds are a few rows, where a
    join may let PostgreSQL walk ~100k units in id order (a merge join) to find them."""
    path = Subquery(Unit.objects.filter(pk=OuterRef(f"{unit_fk}_id")).values("path")[:1])
    return qs.alias(catalogue_path=path).filter(access.catalogue_q(user, "catalogue_"))


def movements_for(user: User | None) -> QuerySet[Movement]:
    return _in_catalogue(Movement.objects.all(), user, "issuing_unit").select_related(
        "issuing_unit"
    )


def criteria_sets_for(user: User | None) -> QuerySet[CriteriaSet]:
    return _in_catalogue(CriteriaSet.objects.all(), user, "issuing_unit").select_related(
        "issuing_unit", "movement"
    )


def rounds_for(user: User | None) -> QuerySet[ReviewRound]:
    return _in_catalogue(ReviewRound.objects.all(), user, "unit").select_related("unit", "movement")


def subjects_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Subject]:
    # The subject's own copy of its unit's path: no join to units_unit to filter the scope.
    qs = Subject.objects.select_related("unit")
    paths = access.scope_paths(user, perm)
    if connection.vendor == "sqlite" and paths and all(0 < len(p) < NARROW_PATH for p in paths):
        # SQLite has no statistics on how much of the table a path range holds: it would read a
        # province's 50,000 subjects through the path index and sort them all (70 ms). Compared
        # under another collation (the same order for path characters) the range cannot use that
        # index, and the list walks its name-order index checking each path instead (1 ms).
        scope = Q()
        for p in paths:
            scope |= Q(_unit_path_nocase__gte=p, _unit_path_nocase__lt=p + PATH_END)
        return qs.alias(_unit_path_nocase=Collate("unit_path", "nocase")).filter(scope)
    return qs.filter(access.scope_q(user, perm, "unit_"))


def nominations_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Nomination]:
    """Nominations proposed inside the user's subtree (reviewers above see what comes up); the
    scope is a range on the stored ``proposing_path`` (the proposing unit's path)."""
    return Nomination.objects.filter(access.scope_q(user, perm, "proposing_")).select_related(
        "subject", "movement", "proposing_unit", "current_unit", "review_round"
    )


def exemplars_for(user: User | None) -> QuerySet[Exemplar]:
    """Exemplars whose subject belongs inside the user's subtree (range on the stored
    ``subject_path``, the subject's unit path)."""
    return Exemplar.objects.filter(access.scope_q(user, Perm.VIEW, "subject_")).select_related(
        "subject", "subject__unit", "movement", "recognising_unit"
    )


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
        Attachment.objects.filter(access.scope_q(user, Perm.VIEW, "nomination__proposing_")),
        pk,
    )
