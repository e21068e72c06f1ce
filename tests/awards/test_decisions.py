"""Decisions of commendation (issue 9, points 6 and 8): drafted from a closed session's passed
items, issued with a number of the register, written into the award history, prizes from the
base salary in force on the decision's date, a payout list, and the officers told."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from guongsang.awards import council, decisions, proposals
from guongsang.awards.models import (
    Award,
    AwardSource,
    AwardType,
    CouncilRole,
    ItemOutcome,
    ProposalItem,
)
from guongsang.notifications.models import Notification
from guongsang.plans.models import Document

from ..factories import Role, make_user
from .conftest import make_subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(cast):
    """A province round whose session passed one of two items (the other got no votes)."""
    year = dt.date.today().year
    rnd = proposals.round_create(
        by=cast.province_admin, unit=cast.province, title=f"Tổng kết năm {year}", year=year,
        period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
        deadline=dt.date(year, 12, 20),
    )  # fmt: skip
    hoa = make_subject(cast.a_staff, cast.branch_a, "individual", "=Lò Thị Hoa")
    lan = make_subject(cast.a_staff, cast.branch_a, "individual", "Hà Thị Lan")
    proposal = proposals.proposal_open(by=cast.a_staff, round=rnd, unit=cast.commune_a)
    ldtt = AwardType.objects.get(code="lao-dong-tien-tien")
    for subject in (hoa, lan):
        proposals.item_add(by=cast.a_staff, proposal=proposal, subject=subject, award_type=ldtt)
    proposal.refresh_from_db()
    proposal = proposals.proposal_submit(
        by=cast.a_staff, proposal=proposal, version=proposal.version
    )
    proposals.proposal_forward(by=cast.province_admin, proposal=proposal, version=proposal.version)
    board = council.council_save(by=cast.province_admin, unit=cast.province, name="Hội đồng tỉnh")
    users = [
        cast.province_admin,
        make_user(cast.province, Role.STAFF),
        make_user(cast.province, Role.STAFF),
    ]
    for user, role in zip(
        users, [CouncilRole.CHAIR, CouncilRole.SECRETARY, CouncilRole.MEMBER], strict=True
    ):
        council.member_add(by=cast.province_admin, council=board, user=user, role=role)
    session = council.session_create(
        by=cast.province_admin, council=board, round=rnd, title="Phiên họp", date=dt.date.today()
    )
    council.agenda_add_all(by=cast.province_admin, session=session)
    agenda = {a.item.subject.name: a.pk for a in session.agenda.select_related("item__subject")}
    council.session_open(by=cast.province_admin, session=session)
    for user in users:
        council.vote(session=session, member_user=user, choices={
            agenda["=Lò Thị Hoa"]: "yes", agenda["Hà Thị Lan"]: "no"})  # fmt: skip
    council.session_close(by=cast.province_admin, session=session)
    session.refresh_from_db()
    return session, hoa, lan


def test_a_decision_lists_the_passed_items_and_issuing_writes_the_history(cast, closed):
    session, hoa, lan = closed
    Notification.objects.all().delete()
    decision = decisions.decision_draft(by=cast.province_admin, session=session)
    assert [line.subject for line in decision.lines.all()] == [hoa]
    assert (
        "Lao động tiên tiến" in decision.document.body and "=Lò Thị Hoa" in decision.document.body
    )
    assert decision.document.doc_type == "QĐ" and not decision.document.is_issued
    # Signed for the standing committee by the council's chair, named on the draft.
    document = decision.document
    assert (document.authority, document.authority_of, document.signer_title) == (
        "TM.",
        "BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
    )
    assert document.signer_name == cast.province_admin.full_name != ""
    # Without a signer's name it is not issued: the certificates print it.
    Document.objects.filter(pk=document.pk).update(signer_name=" ")
    with pytest.raises(ValidationError, match="họ tên người ký"):
        decisions.decision_issue(by=cast.province_admin, decision=decision)
    assert not Award.objects.exists()
    Document.objects.filter(pk=document.pk).update(signer_name="Nông Thị Mai")
    with pytest.raises(Exception, match="chưa có quyết định"):
        decisions.decision_draft(by=cast.province_admin, session=session)  # nothing left
    # Issued on 30/06/2024: the base salary then was 1,800,000 đồng (0.3 × → 540,000).
    decisions.decision_issue(by=cast.province_admin, decision=decision, on=dt.date(2024, 6, 30))
    decision.refresh_from_db()
    line = decision.lines.get()
    assert decision.document.is_issued and decision.document.symbol
    assert line.prize_amount == Decimal("540000") and decisions.prize_total(decision) == 540000
    award = Award.objects.get(subject=hoa)
    assert award == line.award and award.source == AwardSource.DECISION
    assert (award.decision_number, award.decision_date) == (
        decision.document.symbol,
        dt.date(2024, 6, 30),
    )
    assert award.conferred_by == "Hội LHPN tỉnh Cao Bằng" and award.year == decision.year
    assert ProposalItem.objects.get(subject=hoa).outcome == ItemOutcome.AWARDED
    assert ProposalItem.objects.get(subject=lan).outcome == ItemOutcome.FAILED
    assert not Award.objects.filter(subject=lan).exists()
    told = Notification.objects.filter(user=cast.a_staff).get()
    assert decision.document.symbol in told.text and "/khen-thuong/dot/de-nghi/" in told.link
    with pytest.raises(Exception, match="đã được ban hành"):
        decisions.decision_issue(by=cast.province_admin, decision=decision)


def test_the_payout_list_writes_names_as_text_and_sums_the_prizes(cast, closed):
    session, _hoa, _lan = closed
    decision = decisions.decision_draft(by=cast.province_admin, session=session)
    decisions.decision_issue(by=cast.province_admin, decision=decision, on=dt.date(2024, 7, 1))
    ws = load_workbook(io.BytesIO(decisions.payout_xlsx(decision))).active
    row = [c for c in ws[3]]
    assert row[1].value == "=Lò Thị Hoa" and row[1].data_type == "s"
    assert row[5].value == 702000  # 0.3 × 2,340,000 from 01/07/2024
    assert [c.value for c in ws[4]][1:6:4] == ["Tổng cộng", 702000]


def test_pages_and_access(cast, closed):
    session, _hoa, _lan = closed
    admin = cast.client_for(cast.province_admin)
    page = admin.get(f"/khen-thuong/phien-hop/{session.pk}/").content.decode()
    assert "Lập quyết định khen thưởng" in page
    response = admin.post(f"/khen-thuong/phien-hop/{session.pk}/quyet-dinh/")
    decision = session.decisions.get()
    assert response["Location"] == f"/khen-thuong/quyet-dinh/{decision.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert "=Lò Thị Hoa" in page and "Ban hành quyết định" in page
    # Commune staff and outsiders neither draft, read, issue nor download it.
    for user in (cast.a_staff, cast.b_staff, cast.outsider):
        client = cast.client_for(user)
        assert client.post(f"/khen-thuong/phien-hop/{session.pk}/quyet-dinh/").status_code == 404
        assert client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/").status_code == 404
        assert client.post(f"/khen-thuong/quyet-dinh/{decision.pk}/ban-hanh/").status_code == 404
        assert (
            client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/tien-thuong.xlsx").status_code == 404
        )
    response = admin.post(f"/khen-thuong/quyet-dinh/{decision.pk}/ban-hanh/", follow=True)
    assert "Đã ban hành quyết định" in response.content.decode()
    response = admin.get(f"/khen-thuong/quyet-dinh/{decision.pk}/tien-thuong.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd")


def test_issuing_tells_the_nominator_of_a_subject_proposed_from_her_nomination(cast, closed):
    """The member who nominated the exemplar hears of the award on her subject's page, beside
    the proposing unit's officers on their proposal's page."""
    from guongsang.exemplars.models import (
        CatalogueKind,
        Category,
        CriteriaSet,
        Movement,
        Nomination,
        ReviewRound,
    )

    session, hoa, _lan = closed
    year = session.round.year
    nominator = make_user(cast.branch_a, Role.STAFF)
    nomination = Nomination.objects.create(
        subject=hoa,
        category=Category.ADVANCED_EXEMPLAR,
        movement=Movement.objects.create(
            kind=CatalogueKind.MOVEMENT,
            name="Phong trào",
            issuing_unit=cast.central,
            start_year=2022,
        ),
        criteria_set=CriteriaSet.objects.create(issuing_unit=cast.province, year=year, name="Bộ"),
        review_round=ReviewRound.objects.create(
            unit=cast.commune_a, name="Đợt xét", year=year, deadline=session.round.deadline
        ),
        year=year,
        proposing_unit=cast.branch_a,
        proposed_by=nominator,
        current_unit=cast.commune_a,
        state="recognised",
    )
    ProposalItem.objects.filter(subject=hoa).update(nomination=nomination)
    Notification.objects.all().delete()
    decision = decisions.decision_draft(by=cast.province_admin, session=session)
    decisions.decision_issue(by=cast.province_admin, decision=decision)
    decision.refresh_from_db()
    told = Notification.objects.get(user=nominator)
    assert decision.document.symbol in told.text and "=Lò Thị Hoa" in told.text
    assert told.link == f"/dien-hinh/doi-tuong/{hoa.pk}/"
    assert Notification.objects.filter(user=cast.a_staff).count() == 1  # her proposal's page
