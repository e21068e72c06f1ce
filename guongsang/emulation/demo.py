"""The Cao Bằng emulation demo: the province's communes of the year in four clusters with their
leaders and deputies, a 100-point table for the communes (five groups, plus bonus and penalty
items), and the members' pledges. No scores: the scoring demo adds them.

Runs after the units demo (and, when they are loaded, the reports demo, whose annual form's
indicators some pledges sign for). Loading it again adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guongsang.accounts.models import User
from guongsang.reports.models import Indicator
from guongsang.units.models import Unit, UnitKind

from . import pledges, services
from .models import Block, CriterionKind, PointsTable

# The communes of the demo logins open cluster 1: Đông Khê leads it, Tân Giang is its deputy.
FIRST = ["Xã Đông Khê", "Phường Tân Giang", "Phường Thục Phán"]
CLUSTERS = [
    ("Cụm thi đua số 1", "Các phường và xã trung tâm, phía Đông Nam của tỉnh."),
    ("Cụm thi đua số 2", "Các xã biên giới phía Bắc."),
    ("Cụm thi đua số 3", "Các xã phía Đông."),
    ("Cụm thi đua số 4", "Các xã phía Tây và Tây Nam."),
]

S, B, P = CriterionKind.SCORED, CriterionKind.BONUS, CriterionKind.PENALTY
# (code, title, [(code, text, kind, max points, evidence required, figure)])
TABLE = [
    ("I", "Công tác tuyên truyền, giáo dục", [
        ("1.1", "Tuyên truyền, phổ biến chủ trương, nghị quyết của Đảng, chính sách, pháp luật "
                "của Nhà nước, nghị quyết của Hội cho hội viên, phụ nữ (mỗi chi hội ít nhất một "
                "hoạt động mỗi quý)", S, 8, True, "activities.per_branch"),
        ("1.2", "Tuyên truyền gương điển hình tiên tiến, người tốt việc tốt trên chuyên mục, "
                "đài truyền thanh, mạng xã hội", S, 6, False, "stories.published"),
        ("1.3", "Số lượt hội viên, phụ nữ tham gia các hoạt động tuyên truyền", S, 6, False,
         "participants"),
    ]),
    ("II", "Phong trào thi đua và xây dựng điển hình", [
        ("2.1", "Triển khai phong trào thi đua “Phụ nữ tích cực học tập, lao động sáng tạo, xây "
                "dựng gia đình hạnh phúc”", S, 10, True, ""),
        ("2.2", "Thực hiện cuộc vận động “Xây dựng gia đình 5 không, 3 sạch”", S, 8, False, ""),
        ("2.3", "Phát hiện, bồi dưỡng, giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới",
         S, 8, True, "exemplars.recognised"),
        ("2.4", "Ký kết và thực hiện giao ước thi đua của cụm", S, 4, False, ""),
    ]),
    ("III", "Xây dựng tổ chức Hội", [
        ("3.1", "Phát triển hội viên mới, đạt chỉ tiêu được giao", S, 8, False, ""),
        ("3.2", "Chi hội sinh hoạt định kỳ, nội dung sinh hoạt phong phú, thiết thực", S, 7,
         False, ""),
        ("3.3", "Đào tạo, bồi dưỡng cán bộ Hội cơ sở, chi hội trưởng", S, 5, False, ""),
        ("3.4", "Thu, nộp hội phí và quản lý quỹ Hội đúng quy định", S, 5, False, ""),
    ]),
    ("IV", "Công tác phối hợp, hỗ trợ phụ nữ phát triển kinh tế", [
        ("4.1", "Hỗ trợ phụ nữ tiếp cận vốn vay, thành lập tổ hợp tác, hợp tác xã do phụ nữ "
                "quản lý", S, 8, True, ""),
        ("4.2", "Phối hợp các ngành hỗ trợ hộ nghèo, phụ nữ có hoàn cảnh khó khăn", S, 7, False,
         ""),
    ]),
    ("V", "Công tác chỉ đạo, báo cáo", [
        ("5.1", "Thực hiện các nhiệm vụ trong kế hoạch của Hội cấp trên đúng hạn", S, 5, False,
         "tasks.on_time"),
        ("5.2", "Báo cáo định kỳ, chuyên đề đầy đủ, đúng hạn, số liệu chính xác", S, 5, False,
         "reports.on_time"),
    ]),
    ("VI", "Điểm thưởng, điểm trừ", [
        ("6.1", "Có mô hình mới, cách làm hay được Hội cấp trên công nhận, nhân rộng", B, 3,
         True, ""),
        ("6.2", "Được cấp trên khen thưởng chuyên đề trong năm", B, 2, True, ""),
        ("6.3", "Báo cáo chậm hoặc sai số liệu (mỗi lần trừ 1 điểm)", P, 3, False, ""),
        ("6.4", "Để xảy ra vụ việc phức tạp, đơn thư vượt cấp liên quan đến tổ chức Hội", P, 2,
         False, ""),
    ]),
]  # fmt: skip

# Free-text targets (rotated) and, when the reports demo is loaded, the indicators of its
# annual form with a target value.
TEXTS = [
    "100% chi hội tổ chức sinh hoạt định kỳ hằng tháng",
    "Phát triển ít nhất 30 hội viên mới",
    "Vận động 80% hộ hội viên đăng ký xây dựng gia đình “5 không, 3 sạch”",
    "Hỗ trợ 5 hộ phụ nữ nghèo phát triển kinh tế",
    "Thành lập mới 1 tổ hợp tác do phụ nữ quản lý",
]
INDICATORS = [("TT", 24), ("PH", 3), ("HDAT", 120)]
ANNUAL_FORM = "KH53-NAM"
TABLE_NAME = "Bảng chấm điểm thi đua Hội LHPN các xã, phường năm {year}"
UNPLEDGED = 3  # the last members of cluster 4 have not recorded their pledge yet


def _members(province: Unit, today: dt.date) -> list[list[Unit]]:
    communes = list(
        Unit.objects.subtree_of(province)
        .current(today)
        .filter(kind=UnitKind.COMMUNE, parent=province)
        .order_by("path")
    )
    first = [c for name in FIRST for c in communes if c.name == name]
    ordered = first + [c for c in communes if c not in first]
    size = -(-len(ordered) // len(CLUSTERS))  # ceiling
    groups = [ordered[n * size : (n + 1) * size] for n in range(len(CLUSTERS))]
    return [g for g in groups if g]


def _blocks(admin: User, province: Unit, year: int, today: dt.date) -> list[Block]:
    existing = list(Block.objects.filter(organiser=province, year=year).order_by("name"))
    if existing:
        return existing
    made = []
    for (name, note), members in zip(CLUSTERS, _members(province, today), strict=False):
        made.append(
            services.block_save(
                by=admin,
                organiser=province,
                year=year,
                name=name,
                kind="cluster",
                members=members,
                leader=members[0],
                deputy=members[1] if len(members) > 1 else None,
                note=note,
            )
        )
    return made


def _table(admin: User, province: Unit, year: int) -> PointsTable:
    name = TABLE_NAME.format(year=year)
    table = PointsTable.objects.filter(issuing_unit=province, year=year, name=name).first()
    if table is not None:
        return table
    table = services.table_create(
        by=admin, issuing_unit=province, year=year, level=UnitKind.COMMUNE, name=name
    )
    for code, title, criteria in TABLE:
        group = services.group_add(by=admin, table=table, code=code, title=title)
        for c_code, text, kind, points, evidence, figure in criteria:
            services.criterion_add(
                by=admin,
                group=group,
                code=c_code,
                text=text,
                kind=kind,
                max_points=Decimal(points),
                evidence_required=evidence,
                figure=figure,
            )
    return table


def _pledges(admin: User, blocks: list[Block], year: int, today: dt.date) -> None:
    signed = min(today, dt.date(year, 2, 25))  # the clusters' signing conference
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            form__code=ANNUAL_FORM, code__in=[code for code, _v in INDICATORS]
        ).order_by("form__version")
    }
    have = set(pledges.Pledge.objects.filter(block__in=blocks).values_list("block_id", "unit_id"))
    for b, block in enumerate(blocks):
        members = [m.unit for m in block.members.select_related("unit").order_by("order", "pk")]
        if b == len(blocks) - 1 and len(members) > UNPLEDGED:
            members = members[:-UNPLEDGED]
        for n, unit in enumerate(members):
            if (block.pk, unit.pk) in have:
                continue
            targets = [pledges.Target(text=TEXTS[(n + k) % len(TEXTS)]) for k in range(3)]
            for code, value in INDICATORS[: 1 + n % len(INDICATORS)]:
                if code in indicators:
                    targets.append(
                        pledges.Target(indicator=indicators[code], target=Decimal(value + n % 5))
                    )
            pledges.pledge_save(
                by=admin,
                block=block,
                unit=unit,
                signed_on=signed,
                note=f"Ký tại Hội nghị ký kết giao ước thi đua cụm năm {year}.",
                targets=targets,
            )


@transaction.atomic
def load_emulation_demo(today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    province = Unit.objects.filter(code="04", kind=UnitKind.PROVINCE).first()
    admin = User.objects.filter(username="tinh.thuongtruc").first()
    if province is None or admin is None:
        return
    year = today.year
    blocks = _blocks(admin, province, year, today)
    _table(admin, province, year)
    _pledges(admin, blocks, year, today)
