"""Ranking a block (and all of an organiser's blocks) by the final scores, with the table's
tie-break and bands. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import Block, CriterionKind, PointsTable, Score, ScoreLine, ScoreState

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
