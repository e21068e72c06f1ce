"""Fixtures of the proposal tests, on top of tests/awards/conftest.py (``aw``).

The province (Tỉnh Cao Bằng) runs a round for this year; commune A proposes subjects of its
branch; ``cast.a_admin`` reviews at commune A (for the branch's own proposals),
``cast.province_admin`` at the province, which accepts."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from guongsang.awards import proposals
from guongsang.awards.models import CommendationRound, Proposal
from guongsang.exemplars.models import (
    CatalogueKind,
    Category,
    CriteriaSet,
    Exemplar,
    Movement,
    Nomination,
    ReviewRound,
)

from .conftest import BANG_KHEN_TINH, CSTD_CS, Awards

GIAY_KHEN_TINH = "giay-khen-hoi-tinh"


@dataclass
class World:
    aw: Awards
    rnd: CommendationRound

    @property
    def cast(self):
        return self.aw.cast

    def t(self, code):
        return self.aw.catalogue[code]

    def open(self, unit=None, by=None) -> Proposal:
        return proposals.proposal_open(
            by=by or self.cast.a_staff, round=self.rnd, unit=unit or self.cast.commune_a
        )

    def with_items(self, unit=None, codes=(GIAY_KHEN_TINH,), subjects=None) -> Proposal:
        proposal = self.open(unit)
        for subject in subjects or [self.aw.individual]:
            for code in codes:
                proposals.item_add(
                    by=self.cast.a_staff,
                    proposal=proposal,
                    subject=subject,
                    award_type=self.t(code),
                    summary="Tiêu biểu",
                )
        return Proposal.objects.get(pk=proposal.pk)

    def submitted(self, unit=None) -> Proposal:
        proposal = self.with_items(unit)
        return proposals.proposal_submit(
            by=self.cast.a_staff, proposal=proposal, version=proposal.version
        )

    def exemplar(self, subject, *, on: dt.date | None = None, report: str = "") -> Exemplar:
        cast = self.cast
        movement = Movement.objects.get_or_create(
            kind=CatalogueKind.MOVEMENT,
            name="Phụ nữ tích cực học tập, lao động sáng tạo",
            issuing_unit=cast.central,
            start_year=2022,
        )[0]
        nomination = None
        if report:
            criteria = CriteriaSet.objects.create(
                issuing_unit=cast.province, year=self.rnd.year, name="Bộ tiêu chí"
            )
            review_round = ReviewRound.objects.create(
                unit=cast.commune_a, name="Đợt xét", year=self.rnd.year, deadline=self.rnd.deadline
            )
            nomination = Nomination.objects.create(
                subject=subject,
                category=Category.ADVANCED_EXEMPLAR,
                movement=movement,
                criteria_set=criteria,
                review_round=review_round,
                year=self.rnd.year,
                proposing_unit=subject.unit,
                proposed_by=cast.a_staff,
                current_unit=cast.commune_a,
                state="recognised",
                achievement_report=report,
            )
        when = on or timezone.localdate()
        return Exemplar.objects.create(
            subject=subject,
            nomination=nomination,
            category=Category.ADVANCED_EXEMPLAR,
            movement=movement,
            year=self.rnd.year,
            recognising_unit=cast.commune_a,
            recognised_at=dt.datetime.combine(
                when, dt.time(9), tzinfo=timezone.get_current_timezone()
            ),
        )


@pytest.fixture
def world(aw, today) -> World:
    rnd = proposals.round_create(
        by=aw.cast.province_admin,
        unit=aw.cast.province,
        title="Tổng kết công tác Hội năm " + str(today.year),
        year=today.year,
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        deadline=today + dt.timedelta(days=30),
    )
    return World(aw=aw, rnd=rnd)


__all__ = ["BANG_KHEN_TINH", "CSTD_CS", "GIAY_KHEN_TINH", "World", "world"]
