"""The council cast shared by the council and ballot tests (imported as fixtures from here):

The province's council (chair, vice, secretary, two members, all with accounts at the province
and no role in the tree), a round of the province with commune A's accepted proposal of two
items (an individual for "Chiến sĩ thi đua cấp tỉnh" and a collective for "Bằng khen"), and a
draft session of the round with both items on its agenda. ``cast.province_admin`` runs it."""

import datetime as dt
from dataclasses import dataclass

import pytest

from guongsang.accounts.models import User
from guongsang.awards import council as services
from guongsang.awards.models import (
    CommendationRound,
    Council,
    CouncilMember,
    CouncilRole,
    Proposal,
    ProposalItem,
    ProposalState,
    Session,
)

from ..factories import make_user
from .conftest import BANG_KHEN_TINH, CSTD_TINH, Awards


@dataclass
class Board:
    aw: Awards
    council: Council
    chair: CouncilMember
    vice: CouncilMember
    secretary: CouncilMember
    m1: CouncilMember
    m2: CouncilMember
    round: CommendationRound
    proposal: Proposal
    item_person: ProposalItem
    item_collective: ProposalItem
    session: Session

    @property
    def manager(self) -> User:
        return self.aw.cast.province_admin

    @property
    def members(self) -> list[CouncilMember]:
        return [self.chair, self.vice, self.secretary, self.m1, self.m2]

    def agenda_ids(self) -> list[int]:
        return list(self.session.agenda.order_by("order").values_list("pk", flat=True))

    def all_yes(self) -> dict[int, str]:
        return {pk: "yes" for pk in self.agenda_ids()}

    def opened(self) -> Session:
        services.agenda_add_all(by=self.manager, session=self.session)
        self.session = services.session_open(by=self.manager, session=self.session)
        return self.session


@pytest.fixture(name="board")
def board_fixture(aw) -> Board:
    cast = aw.cast
    manager = cast.province_admin
    council = services.council_save(
        by=manager, unit=cast.province, name="Hội đồng Thi đua - Khen thưởng Hội LHPN tỉnh"
    )
    seats = {}
    for key, role, name in [
        ("chair", CouncilRole.CHAIR, "Hoàng Thị Thu Hà"),
        ("vice", CouncilRole.VICE, "Nông Thị Bích"),
        ("secretary", CouncilRole.SECRETARY, "Lưu Thị Hiền"),
        ("m1", CouncilRole.MEMBER, "Đàm Thị Thoa"),
        ("m2", CouncilRole.MEMBER, "Bế Thị Lụa"),
    ]:
        user = make_user(cast.province, username=f"hd.{key}", full_name=name)
        seats[key] = services.member_add(by=manager, council=council, user=user, role=role)
    rnd = CommendationRound.objects.create(
        unit=cast.province,
        title="Tổng kết năm 2026",
        year=2026,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        deadline=dt.date(2026, 12, 15),
        created_by=manager,
    )
    proposal = Proposal.objects.create(
        round=rnd,
        unit=cast.commune_a,
        at_unit=cast.province,
        state=ProposalState.ACCEPTED,
        created_by=cast.a_admin,
    )
    item_person = ProposalItem.objects.create(
        proposal=proposal, subject=aw.individual, award_type=aw.catalogue[CSTD_TINH], order=1
    )
    item_collective = ProposalItem.objects.create(
        proposal=proposal, subject=aw.collective, award_type=aw.catalogue[BANG_KHEN_TINH], order=2
    )
    session = services.session_create(
        by=manager,
        council=council,
        round=rnd,
        title="Phiên họp xét khen thưởng tổng kết năm 2026",
        date=dt.date(2026, 12, 20),
        place="Phòng họp tầng 2",
    )
    return Board(
        aw=aw,
        council=council,
        round=rnd,
        proposal=proposal,
        item_person=item_person,
        item_collective=item_collective,
        session=session,
        **seats,
    )


def test_the_board_is_ready(board):
    assert board.council.members.filter(active=True).count() == 5
    assert services.agenda_add_all(by=board.manager, session=board.session) == 2
