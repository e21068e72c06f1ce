"""Fetching commendation rounds and proposals for a user: built only on guongsang.units.access.

A round flows down the tree: everyone in the organising unit's subtree (and above it) sees it.
A proposal is seen in the proposing unit's subtree scope (a range on the stored ``unit_path``),
plus where it waits for review at a unit the user reviews for (``at_path``). "Missing" and "not
yours" are the same 404."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from guongsang.accounts.models import Membership, Role, User
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END, Unit

from .models import CommendationRound, Proposal, ProposalFile, ProposalItem, ProposalState


def rounds_for(user: User | None) -> QuerySet[CommendationRound]:
    return CommendationRound.objects.filter(access.catalogue_q(user, "unit__")).select_related(
        "unit"
    )


def get_round(user: User | None, pk) -> CommendationRound:
    return access.get_or_404(rounds_for(user), pk)


def _visible_q(user: User | None) -> Q:
    waiting = access.scope_q(user, Perm.REVIEW, "at_") & Q(state=ProposalState.SUBMITTED)
    return access.either(access.scope_q(user, Perm.VIEW, "unit_"), waiting)


def proposals_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Proposal]:
    if perm == Perm.VIEW:
        q = _visible_q(user)
    else:
        q = access.scope_q(user, perm, "unit_")
    return Proposal.objects.filter(q).select_related("round__unit", "unit", "at_unit")


def get_proposal(user: User | None, pk, perm: Perm = Perm.VIEW) -> Proposal:
    return access.get_or_404(proposals_for(user, perm), pk)


def get_item(user: User | None, pk, perm: Perm = Perm.VIEW) -> ProposalItem:
    proposals = proposals_for(user, perm).values("pk")
    return access.get_or_404(
        ProposalItem.objects.filter(proposal__in=proposals).select_related(
            "proposal__round__unit",
            "proposal__unit",
            "proposal__at_unit",
            "subject__unit",
            "award_type",
            "nomination",
        ),
        pk,
    )


def get_file(user: User | None, pk) -> ProposalFile:
    proposals = proposals_for(user).values("pk")
    return access.get_or_404(
        ProposalFile.objects.filter(item__proposal__in=proposals).select_related("item"), pk
    )


def queue_for(user: User | None, *, below: bool = False) -> QuerySet[Proposal]:
    """Submitted proposals waiting at the units where the user reviews (her desks), plus those
    waiting at a unit below with no reviewer of its own; with ``below``, all waiting under her
    desks (as ``exemplars.access.queue_for``)."""
    waiting = Proposal.objects.filter(state=ProposalState.SUBMITTED).select_related(
        "round__unit", "unit", "at_unit"
    )
    in_scope = access.scope_q(user, Perm.REVIEW, "at_")
    if below or (user is not None and user.is_authenticated and user.is_superuser):
        return waiting.filter(in_scope)
    has_reviewer = Membership.objects.filter(
        unit=OuterRef("at_unit"),
        role__in=[Role.ADMIN, Role.REVIEWER],
        user__is_active=True,
    )
    return waiting.filter(
        Q(at_path__in=access.held_units_paths(user, Perm.REVIEW))
        | (in_scope & ~Exists(has_reviewer))
    )


def can_edit(user: User | None, proposal: Proposal) -> bool:
    return proposal.editable and access.can(user, Perm.EDIT, proposal.unit)


def proposing_units(user: User | None, rnd: CommendationRound) -> QuerySet[Unit]:
    """Units in the round's subtree the user may draft a proposal for, offered on the round
    page: the units she works at (her desks, EDIT) and the units right below them (a branch
    without accounts is drafted by its commune's staff); never a whole province's tree."""
    desks = access.held_units_paths(user, Perm.EDIT)
    if user is not None and user.is_authenticated and user.is_superuser:
        desks = [rnd.unit.path]
    inside = [p for p in desks if p.startswith(rnd.unit.path)]
    if not inside:
        return Unit.objects.none()
    return (
        Unit.objects.current()
        .filter(Q(path__in=inside) | Q(parent__path__in=inside))
        .filter(path__gte=rnd.unit.path, path__lt=rnd.unit.path + PATH_END)
        .order_by("path")
    )
