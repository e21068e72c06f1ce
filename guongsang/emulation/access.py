"""Fetching emulation objects for a user: built only on guongsang.units.access.

A block is read by the officers of its organiser (VIEW on the organiser's subtree) and by its
member units' officers; it is set up and changed only with EDIT on the organiser. A points
table is read by its issuer's subtree and by the members of the issuer's blocks; a score by
``services.scores_for`` (a unit never sees another block's unfinished scores). "Missing" and
"not yours" are the same 404."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from guongsang.accounts.models import User
from guongsang.units import access
from guongsang.units.access import Perm

from .models import Block, BlockMember, PointsTable, Schedule, Score, ScoreState


def unit_ids(user: User | None, perm: Perm = Perm.VIEW):
    """The ids of the units in the user's scope, as a subquery (a range on the units' path
    index). Emulation rows are filtered with ``<unit>_id IN (…)`` rather than by joining each
    unit and its path: several such joins OR-ed together made PostgreSQL hash the whole units
    table once per join (136k units: 25-45 ms for a few thousand scores)."""
    return access.units_for(user, perm).values("pk")


def in_scope(user: User | None, perm: Perm, field: str) -> Q:
    """``field`` (a unit foreign key, e.g. "block__leader") is a unit in the user's scope."""
    return Q(**{f"{field}_id__in": unit_ids(user, perm)})


def member_blocks_q(user: User | None, perm: Perm = Perm.VIEW, field: str = "pk") -> Q:
    """Blocks (by ``field``) in which one of the user's units (``perm``) is a member."""
    members = BlockMember.objects.filter(in_scope(user, perm, "unit"))
    return Q(**{f"{field}__in": members.values("block_id")})


def blocks_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Block]:
    """VIEW: blocks she organises or belongs to; EDIT: blocks she organises (sets up)."""
    q = in_scope(user, perm, "organiser")
    if perm == Perm.VIEW:
        q |= member_blocks_q(user)
    return Block.objects.filter(q).select_related("organiser", "leader", "deputy")


def get_block(user: User | None, pk, perm: Perm = Perm.VIEW) -> Block:
    return access.get_or_404(blocks_for(user, perm), pk)


def organisers_q(user: User | None) -> Q:
    """Organisers of the blocks she belongs to (their tables and schedules are hers to read)."""
    return Q(issuing_unit__in=Block.objects.filter(member_blocks_q(user)).values("organiser_id"))


def tables_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[PointsTable]:
    q = in_scope(user, perm, "issuing_unit")
    if perm == Perm.VIEW:
        q |= organisers_q(user)
    return PointsTable.objects.filter(q).select_related("issuing_unit")


def get_table(user: User | None, pk, perm: Perm = Perm.VIEW) -> PointsTable:
    return access.get_or_404(tables_for(user, perm), pk)


def schedules_for(user: User | None, perm: Perm = Perm.VIEW) -> QuerySet[Schedule]:
    q = in_scope(user, perm, "organiser")
    if perm == Perm.VIEW:
        q |= Q(organiser__in=Block.objects.filter(member_blocks_q(user)).values("organiser_id"))
    return Schedule.objects.filter(q).select_related("organiser", "table", "task")


def get_schedule(user: User | None, pk, perm: Perm = Perm.VIEW) -> Schedule:
    return access.get_or_404(schedules_for(user, perm), pk)


def scores_for(user: User | None) -> QuerySet[Score]:
    from .services import scores_for as readable

    return readable(user).select_related("block", "unit", "table")


def _within(paths: list[str], path: str | None) -> bool:
    """``access.can`` on a path already read (the unit itself is not loaded)."""
    return bool(path) and any(path.startswith(p) for p in paths)


def get_score(user: User | None, pk) -> Score:
    """One score, read by the rule of ``services.scores_for`` decided on this score alone (its
    unit's, organiser's, leader's and deputy's paths against the user's scope; for a final
    score, whether one of her units is in its block): no block list to read. Each step's
    service checks the right to act."""
    score = access.get_or_404(
        Score.objects.select_related(
            "block__organiser", "block__leader", "block__deputy", "unit", "table"
        ),
        pk,
    )
    block = score.block
    if (
        access.can(user, Perm.VIEW, score.unit)
        or access.can(user, Perm.VIEW, block.organiser)
        or (block.leader_id and access.can(user, Perm.EDIT, block.leader))
        or (block.deputy_id and access.can(user, Perm.EDIT, block.deputy))
    ):
        return score
    if score.state == ScoreState.FINAL and (
        BlockMember.objects.filter(block=block).filter(in_scope(user, Perm.VIEW, "unit")).exists()
    ):
        return score
    raise Http404


class BlockRoles:
    """The blocks (ids, every year) in which the user's units organise, lead or deputise, read
    once per request from the blocks and their three units' paths (a few hundred blocks a
    year) and matched against her scope's paths in Python, so filters on scores and queues are
    literal id lists the planner estimates well. ``years`` maps each block to its year."""

    def __init__(self, user: User | None):
        view = access.scope_paths(user, Perm.VIEW)
        edit = access.scope_paths(user, Perm.EDIT)
        within = _within
        self.organised: set[int] = set()  # VIEW on the organiser
        self.organising: set[int] = set()  # EDIT on the organiser (sets up, finalises)
        self.leading: set[int] = set()  # EDIT on the leader (checks the others)
        self.deputising: set[int] = set()  # EDIT on the deputy (checks the leader)
        self.years: dict[int, int] = {}
        if not view and not edit:
            return
        rows = Block.objects.values_list(
            "pk", "year", "organiser__path", "leader__path", "deputy__path"
        )
        for pk, year, organiser, leader, deputy in rows:
            self.years[pk] = year
            if within(view, organiser):
                self.organised.add(pk)
            if within(edit, organiser):
                self.organising.add(pk)
            if within(edit, leader):
                self.leading.add(pk)
            if within(edit, deputy):
                self.deputising.add(pk)

    @property
    def reviewed(self) -> set[int]:
        return self.organised | self.leading | self.deputising

    def of_year(self, ids: set[int], year: int) -> set[int]:
        return {pk for pk in ids if self.years.get(pk) == year}


def block_roles(user: User | None) -> BlockRoles:
    """``BlockRoles`` of the user (one query; not kept between calls, so a block saved in the
    meantime counts)."""
    return BlockRoles(user)


# ---- the cross-check and final queues -------------------------------------------------------
def check_queue_q(user, roles=None) -> Q:
    """Submitted scores the user cross-checks: the leader's units check the others, the
    deputy's the leader's own."""
    roles = roles or block_roles(user)
    leader = Q(block_id__in=sorted(roles.leading)) & ~Q(unit_id=F("block__leader_id"))
    deputy = Q(block_id__in=sorted(roles.deputising)) & Q(unit_id=F("block__leader_id"))
    return Q(state=ScoreState.SUBMITTED) & (leader | deputy)


def final_queue_q(user, roles=None) -> Q:
    """Cross-checked scores waiting for the organiser's office to finalise."""
    roles = roles or block_roles(user)
    return Q(block_id__in=sorted(roles.organising), state=ScoreState.CHECKED)


def queue_counts(user, year: int) -> dict:
    """{"check": n, "final": n} for the queues the user works on: "check" when her units lead or
    deputise a block of ``year``, "final" when she is an officer of an organiser of ``year``'s
    blocks; a queue she has no part in is absent. Two queries at most."""
    roles = block_roles(user)
    wanted = {}
    if roles.of_year(roles.leading | roles.deputising, year):
        wanted["check"] = check_queue_q(user, roles)
    if roles.of_year(roles.organising, year):
        wanted["final"] = final_queue_q(user, roles)
    if not wanted:
        return {}
    # Each queue's filter already implies the right to read (the leader's, the deputy's or the
    # organiser's units), so the readable-scores filter is not repeated here.
    waiting = Score.objects.filter(state__in=[ScoreState.SUBMITTED, ScoreState.CHECKED])
    return waiting.aggregate(**{name: Count("pk", filter=q) for name, q in wanted.items()})


def check_queue(user: User | None) -> QuerySet[Score]:
    """The scores waiting for the user's cross-check (the queue's filter implies the right to
    read them)."""
    return Score.objects.filter(check_queue_q(user))


def final_queue(user: User | None) -> QuerySet[Score]:
    """The cross-checked scores waiting for the user's office to fix them."""
    return Score.objects.filter(final_queue_q(user))
