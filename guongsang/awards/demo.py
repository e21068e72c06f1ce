"""Award histories for the Cao Bằng demo: runs after the exemplar demo, whose subjects it
finds by name (their "Gia đình văn hóa" titles are already awards). Years follow the calendar,
so the histories stay as described whatever today is (e.g. in 2026: LĐTT 2023–2025)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from guongsang.exemplars.models import Subject

from . import services
from .models import Award, AwardType
from .seed import seed_catalogue


def _give(subject: Subject, code: str, year: int, number: str, day: dt.date, body: str):
    award_type = AwardType.objects.get(code=code)
    if Award.objects.filter(subject=subject, award_type=award_type, year=year).exists():
        return
    services.award_add(
        subject=subject,
        by=None,
        award_type=award_type,
        year=year,
        decision_number=number,
        decision_date=day,
        conferred_by=body,
    )


@transaction.atomic
def load_demo(today: dt.date | None = None) -> None:
    seed_catalogue()
    today = today or timezone.localdate()
    year = today.year
    subjects = {
        s.name: s
        for s in Subject.objects.filter(
            name__in=["Nông Thị Hạnh", "Hoàng Thị Duyên", "Chi hội Pác Khoang"]
        ).select_related("unit")
    }
    hanh = subjects.get("Nông Thị Hạnh")
    if hanh is not None:
        # Lao động tiên tiến three years running, then Chiến sĩ thi đua cơ sở twice, each with
        # the initiative it needs: one more year and she may be proposed for the province.
        for y in range(year - 3, year):
            _give(
                hanh,
                "lao-dong-tien-tien",
                y,
                f"{y - 2000 + 10}/QĐ-UBND",
                dt.date(y, 12, 20),
                "Chủ tịch UBND xã Đông Khê",
            )
        for y in range(year - 2, year):
            _give(
                hanh,
                "sang-kien",
                y,
                f"0{y - 2020}/QĐ-HPN",
                dt.date(y, 11, 5),
                "Hội LHPN xã Đông Khê",
            )
            _give(
                hanh,
                "cstd-co-so",
                y,
                f"{y - 2000 + 80}/QĐ-HPN",
                dt.date(y, 12, 28),
                "Ban Thường vụ Hội LHPN tỉnh Cao Bằng",
            )
    duyen = subjects.get("Hoàng Thị Duyên")
    if duyen is not None:
        for y in range(year - 3, year):
            _give(
                duyen,
                "gia-dinh-van-hoa",
                y,
                f"{y - 2000}/QĐ-UBND",
                dt.date(y, 12, 15),
                "UBND xã Đàm Thủy",
            )
        _give(
            duyen,
            "giay-khen-hoi-xa",
            year - 2,
            f"{year - 2000 - 2}/QĐ-HPN",
            dt.date(year - 2, 10, 20),
            "Hội LHPN xã Đàm Thủy",
        )
    pac_khoang = subjects.get("Chi hội Pác Khoang")
    if pac_khoang is not None:
        for y in range(year - 2, year):
            _give(
                pac_khoang,
                "tt-lao-dong-tien-tien",
                y,
                f"{y - 2000 + 100}/QĐ-HPN",
                dt.date(y, 12, 28),
                "Ban Thường vụ Hội LHPN tỉnh Cao Bằng",
            )
        _give(
            pac_khoang,
            "bang-khen-hoi-tinh",
            year - 1,
            f"{year - 2000 + 120}/QĐ-HPN",
            dt.date(year - 1, 12, 28),
            "Ban Thường vụ Hội LHPN tỉnh Cao Bằng",
        )


load_awards_demo = load_demo


@transaction.atomic
def load_commendation_demo(today: dt.date | None = None) -> None:
    """One commendation cycle of the province, up to the decision: the round "Tổng kết năm",
    the recognised exemplars proposed by their commune and a member proposed by Xã Đông Khê,
    both accepted at the province, the province's council and a closed session with its votes
    (all members present; the tally and the minutes' draft made at closing), and the decision
    issued (its awards written into the histories). Runs after
    ``load_demo`` (the award histories); does nothing when the round exists."""
    from guongsang.accounts.models import User
    from guongsang.units.models import Unit

    from . import council, proposals
    from .models import CommendationRound, CouncilRole

    today = today or timezone.localdate()
    year = today.year
    province = Unit.objects.filter(kind="province", name="Tỉnh Cao Bằng").first()
    users = {u.username: u for u in User.objects.filter(username__startswith="tinh.")}
    dongkhe = Unit.objects.filter(kind="commune", name="Xã Đông Khê").first()
    officer = User.objects.filter(username="dongkhe.canbo").first()
    if province is None or len(users) < 3 or dongkhe is None or officer is None:
        return
    title = f"Tổng kết công tác thi đua, khen thưởng năm {year}"
    if CommendationRound.objects.filter(unit=province, title=title).exists():
        return
    admin = users["tinh.thuongtruc"]
    rnd = proposals.round_create(
        by=admin,
        unit=province,
        title=title,
        year=year,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        deadline=dt.date(year, 12, 20),
        note="Các xã, phường gửi tờ trình và hồ sơ đề nghị trước ngày 20/12.",
    )
    giay_khen = AwardType.objects.get(code="giay-khen-hoi-tinh")
    bang_khen = AwardType.objects.get(code="bang-khen-hoi-tinh")
    # The exemplars the province recognised this year, proposed by it in one action.
    own = proposals.proposal_open(by=admin, round=rnd, unit=province)
    proposals.items_from_exemplars(by=admin, proposal=own, award_type=giay_khen)
    # Xã Đông Khê proposes Nông Thị Hạnh for the province's Bằng khen.
    hanh = Subject.objects.filter(name="Nông Thị Hạnh", unit__path__startswith=dongkhe.path).first()
    if hanh is not None:
        proposal = proposals.proposal_open(by=officer, round=rnd, unit=dongkhe)
        proposals.item_add(
            by=officer,
            proposal=proposal,
            subject=hanh,
            award_type=bang_khen,
            summary="Chi hội trưởng; mô hình nuôi ong giúp 5 hộ hội viên, 3 hộ thoát nghèo.",
            achievements=(
                "Ba năm liền đạt Lao động tiên tiến, hai năm Chiến sĩ thi đua cơ sở với sáng "
                "kiến nuôi ong theo tổ hợp tác; vận động 42 hội viên mới."
            ),
        )
    for proposal in rnd.proposals.all():
        if not proposal.items.exists():
            continue
        by = officer if proposal.unit_id == dongkhe.pk else admin
        proposal = proposals.proposal_submit(by=by, proposal=proposal, version=proposal.version)
        while proposal.state == "submitted":
            proposal = proposals.proposal_forward(
                by=admin, proposal=proposal, version=proposal.version
            )
    # The province's council votes on them.
    board = council.council_save(
        by=admin, unit=province, name="Hội đồng Thi đua - Khen thưởng Hội LHPN tỉnh Cao Bằng"
    )
    seats = [
        ("tinh.thuongtruc", CouncilRole.CHAIR, "Chủ tịch Hội LHPN tỉnh"),
        ("tinh.hoidong", CouncilRole.SECRETARY, "Trưởng Ban Tổ chức"),
        ("tinh.canbo", CouncilRole.MEMBER, "Trưởng Ban Tuyên giáo"),
    ]
    members = [
        council.member_add(by=admin, council=board, user=users[name], role=role, position=pos)
        for name, role, pos in seats
    ]
    session = council.session_create(
        by=admin,
        council=board,
        round=rnd,
        title=f"Phiên họp xét khen thưởng tổng kết năm {year}",
        date=min(today, dt.date(year, 12, 26)),
        place="Hội trường Hội LHPN tỉnh Cao Bằng",
    )
    if not council.agenda_add_all(by=admin, session=session):
        return
    council.attendance_mark(by=admin, session=session, present={m.pk for m in members})
    council.session_open(by=admin, session=session)
    agenda = list(session.agenda.values_list("pk", flat=True))
    for member, answer in zip(members, ["yes", "yes", "abstain"], strict=True):
        council.vote(
            session=session, member_user=member.user, choices=dict.fromkeys(agenda, answer)
        )
    council.session_close(by=admin, session=session)
    # The decision that follows, issued: the awards enter the subjects' histories.
    from . import decisions

    decision = decisions.decision_draft(by=admin, session=session)
    decisions.decision_issue(by=admin, decision=decision)
