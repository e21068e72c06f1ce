"""Fetching councils and sessions for a user: built only on guongsang.units.access.

A council is run (members, sessions, agenda, attendance, opening and closing) by whoever holds
EDIT (staff, admins) on its unit; it and its sessions are seen by the viewers of the unit and by
the council's active members wherever their own unit is. Only active members vote. Missing and
not yours are the same 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from guongsang.accounts.models import User
from guongsang.units import access
from guongsang.units.access import Perm

from .council import MANAGE
from .models import Council, CouncilMember, Session


def _member_q(user: User | None, prefix: str = "") -> Q:
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    seats = CouncilMember.objects.filter(user=user, active=True).values("council_id")
    return Q(**{f"{prefix}pk__in": seats})


def councils_for(user: User | None) -> QuerySet[Council]:
    return Council.objects.filter(
        access.either(access.scope_q(user, Perm.VIEW, "unit__"), _member_q(user))
    ).select_related("unit")


def managed_councils(user: User | None) -> QuerySet[Council]:
    return Council.objects.filter(access.scope_q(user, MANAGE, "unit__")).select_related("unit")


def get_council(user: User | None, pk, *, manage: bool = False) -> Council:
    qs = managed_councils(user) if manage else councils_for(user)
    return access.get_or_404(qs, pk)


def sessions_for(user: User | None) -> QuerySet[Session]:
    return Session.objects.filter(
        access.either(
            access.scope_q(user, Perm.VIEW, "council__unit__"), _member_q(user, "council__")
        )
    ).select_related("council__unit", "round")


def get_session(user: User | None, pk, *, manage: bool = False) -> Session:
    if manage:
        qs = Session.objects.filter(access.scope_q(user, MANAGE, "council__unit__")).select_related(
            "council__unit", "round"
        )
    else:
        qs = sessions_for(user)
    return access.get_or_404(qs, pk)


def can_manage(user: User | None, council: Council) -> bool:
    return access.can(user, MANAGE, council.unit)


def seat(user: User | None, council: Council) -> CouncilMember | None:
    """The user's active seat on the council, if any."""
    if user is None or not user.is_authenticated:
        return None
    return CouncilMember.objects.filter(council=council, user=user, active=True).first()


def get_voting_session(user: User | None, pk) -> tuple[Session, CouncilMember]:
    """A session the user may vote in (she holds an active seat on its council), else 404."""
    session = get_session(user, pk)
    member = seat(user, session.council)
    if member is None:
        raise Http404
    return session, member


def get_member(user: User | None, council: Council, pk) -> CouncilMember:
    """A member of ``council`` (already fetched through this module)."""
    return access.get_or_404(
        CouncilMember.objects.filter(council=council).select_related("user"), pk
    )
