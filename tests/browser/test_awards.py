"""Commendation on a phone (issue 9's walk): the commune proposes a member of her branch for the
province's Giấy khen and submits; the province accepts it into its council's list; a council
member votes on her phone and gets her receipt; the chair closes the vote and the tally says
the proposal passed; the decision is drafted and issued; its certificate's code opens the
public verification page."""

import datetime as dt
import re

import pytest

from guongsang.awards import council, proposals
from guongsang.awards.models import (
    Award,
    Certificate,
    CouncilRole,
    ItemOutcome,
    ProposalItem,
    ProposalState,
)
from guongsang.awards.seed import seed_catalogue

from ..awards.conftest import make_subject
from ..factories import Role, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def test_propose_accept_vote_on_a_phone_and_close(page, cast, login_as, shot):
    seed_catalogue()  # the catalogue's migration data does not survive the live server's flush
    today = dt.date.today()
    make_subject(cast.a_staff, cast.branch_a, "individual", "Lương Thị Nhung")
    rnd = proposals.round_create(
        by=cast.province_admin,
        unit=cast.province,
        title=f"Tổng kết năm {today.year}",
        year=today.year,
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        deadline=today + dt.timedelta(days=10),
    )
    secretary = make_user(cast.province, Role.STAFF, full_name="Lưu Thị Hằng")
    member = make_user(cast.province, Role.STAFF, full_name="Nông Thị Mai")
    board = council.council_save(
        by=cast.province_admin, unit=cast.province, name="Hội đồng TĐKT Hội LHPN tỉnh"
    )
    for user, role in (
        (cast.province_admin, CouncilRole.CHAIR),
        (secretary, CouncilRole.SECRETARY),
        (member, CouncilRole.MEMBER),
    ):
        council.member_add(by=cast.province_admin, council=board, user=user, role=role)

    # The commune, on her phone: her proposal in the round, one member, submitted.
    login_as(cast.a_staff)
    page.goto(f"/khen-thuong/dot/{rnd.pk}/")
    page.get_by_label("Đơn vị đề nghị").select_option(value=str(cast.commune_a.pk))
    page.get_by_role("button", name="Lập, mở đề nghị của đơn vị").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Đông Khê")
    page.get_by_label("Tìm đối tượng theo tên").fill("luong thi nhung")
    page.get_by_role("button", name="Tìm", exact=True).click()
    found = page.locator("form", has=page.get_by_role("button", name="Thêm vào đề nghị")).first
    found.get_by_label("Danh hiệu, hình thức").select_option(label="Giấy khen của Hội LHPN tỉnh")
    found.get_by_label("Tóm tắt thành tích").fill("Tổ trưởng tổ tiết kiệm, 12 hộ vay vốn.")
    found.get_by_role("button", name="Thêm vào đề nghị").click()
    expect(page.locator("body")).to_contain_text("Lương Thị Nhung")
    shot("proposal-draft")
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi")
    shot("proposal-submitted")
    proposal = rnd.proposals.get(unit=cast.commune_a)
    assert proposal.state == ProposalState.SUBMITTED and proposal.at_unit == cast.province

    # The province accepts it into the council's list.
    page.context.clear_cookies()
    login_as(cast.province_admin)
    page.goto(f"/khen-thuong/dot/de-nghi/{proposal.pk}/")
    page.get_by_role("button", name="Tiếp nhận, trình Hội đồng").click()
    expect(page.locator(".messages")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    session = council.session_create(
        by=cast.province_admin, council=board, round=rnd, title="Phiên họp xét khen thưởng",
        date=today,
    )  # fmt: skip
    page.goto(f"/khen-thuong/phien-hop/{session.pk}/")
    page.get_by_role("button", name=re.compile("Đưa 1 đề nghị đã tiếp nhận")).click()
    page.get_by_role("button", name="Mở bỏ phiếu").click()
    expect(page.locator("body")).to_contain_text("Đang bỏ phiếu")
    shot("session-open")

    # A member votes on her phone and keeps her receipt.
    page.context.clear_cookies()
    login_as(member)
    page.goto(f"/khen-thuong/phien-hop/{session.pk}/")
    page.get_by_role("link", name="Bỏ phiếu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phiếu bầu kín")
    page.get_by_label("Đồng ý", exact=True).check()
    shot("ballot")
    page.get_by_role("button", name="Gửi phiếu").click()
    receipt = page.locator(".password-once")
    expect(receipt).to_have_text(re.compile(r"^[A-Z0-9]{5}-[A-Z0-9]{5}$"))
    shot("receipt")
    code = receipt.inner_text()
    page.goto(f"/khen-thuong/phien-hop/{session.pk}/bo-phieu/")
    expect(page.locator(".msg-warning")).to_contain_text("Bạn đã bỏ phiếu rồi.")

    # The others vote; the chair closes the vote; the tally passes it.
    agenda = list(session.agenda.values_list("pk", flat=True))
    for user in (cast.province_admin, secretary):
        council.vote(session=session, member_user=user, choices=dict.fromkeys(agenda, "yes"))
    page.context.clear_cookies()
    login_as(cast.province_admin)
    page.goto(f"/khen-thuong/phien-hop/{session.pk}/")
    page.get_by_role("button", name="Kết thúc bỏ phiếu và kiểm phiếu").click()
    expect(page.locator("body")).to_contain_text("Thông qua")
    expect(page.locator("body")).to_contain_text("Đã kết thúc")
    shot("tally")
    assert ProposalItem.objects.get(proposal=proposal).outcome == ItemOutcome.PASSED
    # Her receipt finds her ballot in the published result.
    page.context.clear_cookies()
    login_as(member)
    page.goto(f"/khen-thuong/phien-hop/{session.pk}/")
    page.get_by_label("Mã biên nhận").fill(code)
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator(".msg-success")).to_contain_text("phiếu của bạn được tính")
    shot("receipt-found")

    # The chair's office drafts and issues the decision; the certificate's code opens the
    # public verification page, as its QR code does.
    page.context.clear_cookies()
    login_as(cast.province_admin)
    page.goto(f"/khen-thuong/phien-hop/{session.pk}/")
    page.get_by_role("button", name="Lập quyết định khen thưởng").click()
    expect(page.locator(".messages")).to_contain_text("Đã lập dự thảo quyết định khen thưởng.")
    page.get_by_role("button", name="Ban hành quyết định").click()
    expect(page.locator(".messages")).to_contain_text("Đã ban hành quyết định")
    shot("decision")
    assert Award.objects.filter(subject__name="Lương Thị Nhung", source="decision").exists()
    certificate = Certificate.objects.get(line__subject__name="Lương Thị Nhung")
    with page.expect_download() as download:
        page.get_by_role("link", name="Giấy khen, bằng khen (PDF, cả quyết định)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.context.clear_cookies()  # anyone, without an account
    page.goto(f"/xac-minh/{certificate.code}/")
    expect(page.locator(".pub-notice-good")).to_contain_text("Hợp lệ.")
    expect(page.locator(".pub-facts")).to_contain_text("Lương Thị Nhung")
    expect(page.locator(".pub-facts")).to_contain_text("Giấy khen của Hội LHPN tỉnh")
    shot("verify")
