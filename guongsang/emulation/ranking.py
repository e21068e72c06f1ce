"""Ranking a block (and all of an organiser's blocks) by the final scores, with the table's
tie-break and bands. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from guongsang.units.models import Unit

from .models import Block, BlockMember, CriterionKind, PointsTable, Score, ScoreLine, ScoreState

# What decides between equal totals, in the order the table names them.
TIE_BREAKS = {
    "fewer_penalties": _("ít điểm trừ hơn"),
    "more_bonus": _("nhiều điểm thưởng hơn"),
    "earlier_submission": _("gửi tự chấm sớm hơn"),
}

BANDS = [
    ("excellent", _("Xuất sắc")),
    ("good", _("Tốt")),
    ("fair", _("Khá")),
    ("average", _("Trung bình")),
]


def band(table: PointsTable, total: Decimal) -> str:
    if total >= table.excellent_from:
        return "excellent"
    if total >= table.good_from:
        return "good"
    if total >= table.fair_from:
        return "fair"
    return "average"


@dataclass
class Row:
    score: Score
    rank: int
    band: str
    bonus: Decimal
    penalty: Decimal

    @property
    def band_label(self) -> str:
        return str(dict(BANDS)[self.band])


def _key(score: Score, bonus: Decimal, penalty: Decimal, order: list[str]) -> tuple:
    key: list = [-(score.final_total or Decimal("0"))]
    for name in order:
        if name == "fewer_penalties":
            key.append(penalty)
        elif name == "more_bonus":
            key.append(-bonus)
        elif name == "earlier_submission":
            key.append(score.submitted_at.timestamp() if score.submitted_at else float("inf"))
    return tuple(key)


def rank(scores: list[Score]) -> list[Row]:
    """Final scores ranked: by total, then the table's tie-breaks; equal on every key, equal
    rank (and the next rank skips, "1, 2, 2, 4")."""
    scores = [s for s in scores if s.state == ScoreState.FINAL]
    if not scores:
        return []
    extra: dict[int, dict[str, Decimal]] = {
        s.pk: {"bonus": Decimal(0), "penalty": Decimal(0)} for s in scores
    }
    for score_id, kind, points in ScoreLine.objects.filter(
        score__in=scores, criterion__kind__in=[CriterionKind.BONUS, CriterionKind.PENALTY]
    ).values_list("score_id", "criterion__kind", "final_points"):
        extra[score_id]["bonus" if kind == CriterionKind.BONUS else "penalty"] += points or 0
    keyed = []
    for s in scores:
        order = [k for k in s.table.tie_break.split(",") if k in TIE_BREAKS]
        e = extra[s.pk]
        keyed.append((_key(s, e["bonus"], e["penalty"], order), s.unit.name_folded, s, e))
    keyed.sort(key=lambda row: (row[0], row[1]))
    rows: list[Row] = []
    for n, (key, _name, s, e) in enumerate(keyed, start=1):
        same = rows and keyed[n - 2][0] == key
        rows.append(
            Row(
                score=s,
                rank=rows[-1].rank if same else n,
                band=band(s.table, s.final_total or Decimal("0")),
                bonus=e["bonus"],
                penalty=e["penalty"],
            )
        )
    return rows


def block_ranking(block: Block) -> list[Row]:
    return rank(list(block.scores.select_related("unit", "table")))


# ---- what the ranking pages and outputs show ------------------------------------------------
@dataclass
class Pending:
    """A member unit without a final score: its score only where the reader may see it."""

    unit: object
    block: Block | None
    score: Score | None


@dataclass
class Table:
    rows: list[Row]
    pending: list[Pending]

    @property
    def ranked(self) -> int:
        return len(self.rows)


def block_table(block: Block, scores) -> Table:
    """The block's ranking from ``scores`` (the block's scores the reader may read: the final
    ones are ranked, the others shown apart), and every member unit not yet final. Three
    queries, whatever the block's size."""
    scores = list(scores.filter(block=block).select_related("unit", "table"))
    rows = rank(scores)
    final = {r.score.unit_id for r in rows}
    others = {s.unit_id: s for s in scores if s.state != ScoreState.FINAL}
    members = block.members.select_related("unit").order_by("unit__name_folded", "unit_id")
    pending = [
        Pending(unit=m.unit, block=block, score=others.get(m.unit_id))
        for m in members
        if m.unit_id not in final
    ]
    return Table(rows=rows, pending=pending)


# What the ranking reads of a score, its unit, table and block (a province's overall ranking
# builds ~170 rows: whole units and tables cost more than the query).
SCORE_FIELDS = (
    "state",
    "self_total",
    "check_total",
    "final_total",
    "submitted_at",
    "version",
    "block_id",
    "unit_id",
    "table_id",
    "unit__name",
    "unit__name_folded",
)


def organiser_scores(organiser, year: int) -> list[Score]:
    """The scores of the organiser's blocks of ``year`` with their units; the few blocks and
    tables are read once and shared by the scores (not one joined copy per score: a province's
    overall ranking has ~170 rows)."""
    scores = list(
        Score.objects.filter(block__organiser=organiser, block__year=year)
        .select_related("unit")
        .only(*SCORE_FIELDS)
    )
    tables = PointsTable.objects.in_bulk({s.table_id for s in scores})
    blocks = Block.objects.only("name", "year", "organiser_id").in_bulk(
        {s.block_id for s in scores}
    )
    for score in scores:
        score.table = tables[score.table_id]
        score.block = blocks[score.block_id]
    return scores


def organiser_ranking(organiser, year: int) -> list[Row]:
    """Every final score of the organiser's blocks of ``year``, ranked together (each by its
    own table's tie-break and bands)."""
    return rank(organiser_scores(organiser, year))


def organiser_table(organiser, year: int) -> Table:
    """The overall ranking of the organiser's blocks of ``year`` for its officers (who read
    every score), with every member unit not yet final. A fixed number of queries."""
    scores = organiser_scores(organiser, year)
    rows = rank(scores)
    final = {r.score.unit_id for r in rows}
    others = {s.unit_id: s for s in scores if s.state != ScoreState.FINAL}
    members = (
        BlockMember.objects.filter(organiser=organiser, year=year)
        .exclude(unit_id__in=final)
        .order_by("block__name", "unit__name_folded", "unit_id")
        .values_list("unit_id", "unit__name", "block_id")
    )
    members = list(members)
    blocks = Block.objects.only("name", "year").in_bulk({b for _u, _n, b in members})
    pending = [
        Pending(unit=Unit(pk=unit_id, name=name), block=blocks[block_id], score=others.get(unit_id))
        for unit_id, name, block_id in members
    ]
    return Table(rows=rows, pending=pending)


def tie_break_words(table: PointsTable) -> list[str]:
    return [str(TIE_BREAKS[k]) for k in table.tie_break.split(",") if k in TIE_BREAKS]
