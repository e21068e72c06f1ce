"""Exemplar demo for Cao Bằng: the seed's movements and criteria, review rounds, and a few
nominations in every state, made through the services so their trails are real."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from guongsang.accounts.models import User
from guongsang.units.models import Unit

from . import seed_criteria as seed
from . import services
from .models import CatalogueKind, Category, CriterionGroup, Exemplar, ReviewAction, SubjectKind
from .services import AnswerInput, CriterionSpec

MOVEMENTS = [
    (
        CatalogueKind.MOVEMENT,
        "Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình hạnh phúc",
        2007,
        2022,
    ),
    (
        CatalogueKind.CAMPAIGN,
        "Rèn luyện phẩm chất đạo đức: tự tin, tự trọng, trung hậu, đảm đang",
        2010,
        None,
    ),
    (CatalogueKind.CAMPAIGN, "Xây dựng gia đình 5 không, 3 sạch", 2010, None),
    (
        CatalogueKind.CAMPAIGN,
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        2016,
        None,
    ),
    (CatalogueKind.MOVEMENT, "Xây dựng người Phụ nữ Việt Nam thời đại mới", 2022, 2027),
]


def _specs(texts, *, evidence_first=False, optional_last=False, prerequisite_last=False):
    specs = []
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
        specs.append(
            CriterionSpec(
                text=text,
                required=not (optional_last and last),
                evidence_required=evidence_first and i == 0,
                prerequisite_title=seed.CULTURED_FAMILY if prerequisite_last and last else "",
            )
        )
    return specs


def _fill(nomination, by, *, report: str) -> None:
    """Answer every criterion as met, with a line of evidence, and record the report."""
    answers = {
        c.pk: AnswerInput(met=True, evidence_text="Có xác nhận của chi hội và Hội LHPN xã.")
        for c in services.criteria_for(nomination.criteria_set, nomination.subject.kind)
    }
    services.nomination_save(
        by=by, nomination=nomination, answers=answers, achievement_report=report
    )


@transaction.atomic
def load_exemplars_demo() -> None:
    central = Unit.objects.get(code="TW")
    province = Unit.objects.get(code="04")
    users = {u.username: u for u in User.objects.filter(username__contains=".")}

    movements = {}
    for kind, name, start, end in MOVEMENTS:
        movements[name] = services.movement_create(
            by=None, unit=central, kind=kind, name=name, start_year=start, end_year=end
        )
    main_movement = movements[MOVEMENTS[0][1]]
    new_movement = movements[MOVEMENTS[4][1]]

    set_2017 = services.criteria_set_create(
        by=None,
        unit=province,
        year=2017,
        movement=main_movement,
        name="Tiêu chí phát hiện, lựa chọn điển hình tiên tiến, mô hình mới, nhân tố mới",
        source="Kế hoạch số 53/KH-BTV ngày 28/7/2017 của Ban Thường vụ Hội LHPN tỉnh Cao Bằng, mục II.2",
        groups=[
            (
                CriterionGroup.GENERAL,
                "2.2 Tiêu chí chung",
                _specs(seed.GENERAL_53, evidence_first=True),
            ),
            (
                SubjectKind.COLLECTIVE,
                "a) Tập thể điển hình tiên tiến",
                _specs(seed.COLLECTIVE_53, optional_last=True),
            ),
            (
                SubjectKind.INDIVIDUAL,
                "b) Cá nhân cán bộ, công chức, hội viên phụ nữ điển hình tiên tiến",
                _specs(seed.INDIVIDUAL_53, prerequisite_last=True),
            ),
            (
                SubjectKind.HOUSEHOLD,
                "c) Hộ gia đình hội viên phụ nữ điển hình tiên tiến",
                _specs(seed.HOUSEHOLD_53, prerequisite_last=True),
            ),
        ],
    )
    services.criteria_set_create(
        by=None,
        unit=central,
        year=2014,
        movement=movements[MOVEMENTS[2][1]],
        name="8 tiêu chí gia đình “5 không, 3 sạch”",
        source="Cuộc vận động “Xây dựng gia đình 5 không, 3 sạch” (tiêu chí sửa đổi, bổ sung năm 2014)",
        groups=[(SubjectKind.HOUSEHOLD, "Hộ gia đình", _specs(seed.FIVE_NO_THREE_CLEAN))],
    )
    # The current round follows the calendar, so the demo stays usable whatever today is.
    today = timezone.localdate()  # the union's day, not the server's (UTC)
    year = today.year
    set_current = services.criteria_set_new_version(by=None, criteria_set=set_2017, year=year)
    set_current.movement = new_movement
    set_current.save(update_fields=["movement"])

    services.round_create(
        by=None,
        unit=province,
        name="Xét điển hình tiên tiến năm 2017",
        year=2017,
        deadline=dt.date(2017, 11, 30),
        movement=main_movement,
    )
    round_current = services.round_create(
        by=None,
        unit=province,
        name=f"Phát hiện, biểu dương điển hình tiên tiến năm {year}",
        year=year,
        deadline=max(dt.date(year, 12, 15), today + dt.timedelta(days=30)),
        movement=new_movement,
    )

    dong_khe = Unit.objects.get(name="Xã Đông Khê", valid_to__isnull=True, parent=province)
    na_pan = Unit.objects.get(name="Chi hội Nà Pàn")
    pac_khoang = Unit.objects.get(name="Chi hội Pác Khoang")
    ban_gioc = Unit.objects.get(name="Chi hội Bản Giốc")
    dam_thuy_branch = Unit.objects.get(name="Chi hội Đàm Thủy")
    tan_giang = Unit.objects.get(name="Phường Tân Giang", valid_to__isnull=True, parent=province)
    staff_dk, admin_dk = users["dongkhe.canbo"], users["dongkhe.thuongtruc"]
    staff_tg, province_admin = users["tangiang.canbo"], users["tinh.thuongtruc"]
    province_staff, reviewer = users["tinh.canbo"], users["tinh.hoidong"]

    def nominate(subject, by, category, report):
        nomination = services.nomination_create(
            by=by,
            subject=subject,
            category=category,
            movement=new_movement,
            criteria_set=set_current,
            review_round=round_current,
            year=year,
        )
        _fill(nomination, by, report=report)
        return nomination

    # 1. An individual: submitted by the commune for its branch, forwarded to the province.
    hanh = services.subject_create(
        by=staff_dk,
        unit=na_pan,
        kind=SubjectKind.INDIVIDUAL,
        name="Nông Thị Hạnh",
        gender="female",
        birth_year=1985,
        ethnicity="Tày",
        position="Chi hội trưởng",
        phone="0912345678",
    )
    services.subject_title_add(
        by=staff_dk,
        subject=hanh,
        title=seed.CULTURED_FAMILY,
        year=year - 1,
        conferred_by="UBND xã Đông Khê",
    )
    n1 = nominate(
        hanh,
        staff_dk,
        Category.ADVANCED_EXEMPLAR,
        "Chị Hạnh vận động 32 hộ hội viên cùng trồng thạch đen theo hướng hàng hóa, "
        "thu nhập bình quân tăng 1,5 lần so với năm 2024.",
    )
    services.nomination_submit(by=staff_dk, nomination=n1)
    services.nomination_review(
        by=admin_dk,
        nomination=n1,
        action=ReviewAction.FORWARD,
        comment="Hồ sơ đầy đủ, đề nghị tỉnh xem xét.",
    )

    # 2. A household: recognised by the province, then nurtured and replicated.
    duyen = services.subject_create(
        by=province_staff,
        unit=ban_gioc,
        kind=SubjectKind.HOUSEHOLD,
        name="Hoàng Thị Duyên",
        birth_year=1979,
        ethnicity="Nùng",
        member_count=5,
        address="Xóm Bản Giốc",
    )
    services.subject_title_add(
        by=province_staff, subject=duyen, title=seed.CULTURED_FAMILY, year=year - 1
    )
    n2 = nominate(
        duyen,
        province_staff,
        Category.NEW_MODEL,
        "Hộ gia đình làm du lịch cộng đồng ở Bản Giốc, giữ nghề dệt thổ cẩm, tạo việc làm "
        "cho 6 phụ nữ trong xóm; đạt đủ 8 tiêu chí “5 không, 3 sạch”.",
    )
    services.nomination_submit(by=province_staff, nomination=n2)
    services.nomination_review(
        by=province_admin,
        nomination=n2,
        action=ReviewAction.FORWARD,
        comment="Xã Đàm Thuỷ chưa có tài khoản; Thường trực tỉnh chuyển thay.",
    )
    services.nomination_review(
        by=reviewer,
        nomination=n2,
        action=ReviewAction.RECOGNISE,
        comment="Hội đồng thống nhất công nhận.",
        decision_ref="45/QĐ-BTV",
        decision_date=today,
    )
    exemplar = Exemplar.objects.get(nomination=n2)
    services.nurture_note_add(
        by=province_staff,
        exemplar=exemplar,
        date=today - dt.timedelta(days=40),
        text="Hỗ trợ tham gia lớp tập huấn làm du lịch cộng đồng của tỉnh.",
    )
    services.replication_add(
        by=province_staff,
        exemplar=exemplar,
        adopting_unit=dam_thuy_branch,
        date=today - dt.timedelta(days=24),
        result="3 hộ bắt đầu đón khách, giữ nghề dệt.",
    )

    # 3. An individual of a ward: returned by the province for completion.
    mai = services.subject_create(
        by=staff_tg,
        unit=tan_giang,
        kind=SubjectKind.INDIVIDUAL,
        name="Triệu Thị Mai",
        gender="female",
        birth_year=1990,
        ethnicity="Dao",
        position="Hội viên, chủ cơ sở may",
    )
    services.subject_title_add(by=staff_tg, subject=mai, title=seed.CULTURED_FAMILY, year=year)
    n3 = nominate(
        mai,
        staff_tg,
        Category.NEW_FACTOR,
        "Chị Mai mở xưởng may nhỏ, nhận 8 lao động nữ là người dân tộc thiểu số.",
    )
    services.nomination_submit(by=staff_tg, nomination=n3)
    services.nomination_review(
        by=reviewer,
        nomination=n3,
        action=ReviewAction.RETURN,
        comment="Bổ sung xác nhận của UBND phường về số lao động và thu nhập.",
    )

    # 4. A collective: a draft of the commune.
    collective = services.subject_create(
        by=staff_dk,
        unit=dong_khe,
        kind=SubjectKind.COLLECTIVE,
        name="Chi hội Pác Khoang",
        linked_unit=pac_khoang,
        member_count=46,
        women_percent=100,
    )
    services.nomination_create(
        by=staff_dk,
        subject=collective,
        category=Category.ADVANCED_EXEMPLAR,
        movement=new_movement,
        criteria_set=set_current,
        review_round=round_current,
        year=year,
    )
