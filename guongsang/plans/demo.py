"""Demo documents: plan 53/KH-BTV of 28/7/2017 with its full text, sent to the former districts,
and a current plan cascaded to today's 56 communes so the compliance board has live content.

Runs after ``units.demo.load_demo`` on a fresh database (``load_demo`` only loads into an empty
one). Past states (answers of 2017) are written as history, not through the answer service."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from guongsang.accounts.models import User
from guongsang.units.models import Unit, UnitKind

from . import services
from .models import Assignment, DocType, Document, Organ, Recipient, Register, TaskKind
from .services import TaskSpec

SEED_BODY = Path(__file__).resolve().parent / "data" / "53-KH-BTV-2017.txt"
ABSTRACT_53 = (
    "Tuyên truyền các phong trào thi đua yêu nước, các điển hình tiên tiến, "
    "mô hình mới, nhân tố mới năm 2017"
)
# "Nơi nhận" exactly as printed on the plan (the last line, "Lưu", comes from ``archive``).
RECIPIENTS_53 = "\n".join(
    [
        "UBND tỉnh",
        "Ban TĐKT (Sở Nội vụ)",
        "Các huyện, thành Hội & đơn vị trực truộc",
        "Thường trực Hội LHPN tỉnh",
        "Các ban chuyên môn Hội LHPN tỉnh",
    ]
)


def _at(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def load_plans_demo(today: dt.date | None = None) -> list[Document]:
    if Document.objects.exists():
        return []
    today = today or timezone.localdate()
    province = Unit.objects.get(code="04")
    admin = User.objects.get(username="tinh.thuongtruc")
    docs = [_plan_53(province, admin), _plan_current(province, admin, today)]
    return docs


def _plan_53(province: Unit, admin: User) -> Document:
    districts = list(Unit.objects.filter(parent=province, kind=UnitKind.DISTRICT).order_by("path"))
    departments = list(
        Unit.objects.filter(parent=province, kind=UnitKind.DEPARTMENT).order_by("path")
    )
    draft = services.document_save(
        by=admin,
        unit=province,
        organ=Organ.BTV,
        doc_type=DocType.KH,
        abstract=ABSTRACT_53,
        body=SEED_BODY.read_text(encoding="utf-8"),
        place="Cao Bằng",
        implements_ref="1501/KH-UBND",
        authority="TM.",
        authority_of="BAN THƯỜNG VỤ",
        signer_title="PHÓ CHỦ TỊCH",
        recipients_text=RECIPIENTS_53,
        archive="TĐKT, VPTH, VT",
        recipients=districts + departments,
        tasks=[
            TaskSpec(
                kind=TaskKind.PLAN,
                title="Xây dựng kế hoạch tuyên truyền của đơn vị",
                deadline=dt.date(2017, 8, 31),
                scope=UnitKind.DISTRICT,
            ),
            TaskSpec(
                kind=TaskKind.REPORT,
                title="Báo cáo kết quả tuyên truyền năm 2017",
                deadline=dt.date(2017, 12, 15),
                scope=UnitKind.DISTRICT,
            ),
        ],
    )
    # Numbers 1-52 of 2017 were issued on paper before the system existed.
    Register.objects.update_or_create(
        unit=province, organ=Organ.BTV, year=2017, defaults={"last_number": 52}
    )
    plan = services.document_issue(document=draft, by=admin, on=dt.date(2017, 7, 28))
    # History: both districts received it; Thạch An answered on time, Trùng Khánh late.
    Recipient.objects.filter(document=plan).update(
        read_at=_at(dt.date(2017, 7, 31)), acknowledged_at=_at(dt.date(2017, 7, 31))
    )
    history = {
        "H-THACHAN": (dt.date(2017, 8, 25), dt.date(2017, 12, 12)),
        "H-TRUNGKHANH": (dt.date(2017, 9, 12), dt.date(2017, 12, 20)),
    }
    for a in Assignment.objects.filter(task__document=plan).select_related(
        "task", "recipient__unit"
    ):
        plan_day, report_day = history.get(a.recipient.unit.code, (None, None))
        day = plan_day if a.task.kind == TaskKind.PLAN else report_day
        if day:
            a.done_at = _at(day)
            a.note = "Đã gửi bản giấy về Văn phòng Hội LHPN tỉnh."
            a.save(update_fields=["done_at", "note"])
    return plan


def _plan_current(province: Unit, admin: User, today: dt.date) -> Document:
    year = today.year
    issued = today - dt.timedelta(days=20)
    body = "\n".join(
        [
            f"Thực hiện Kế hoạch số 53/KH-BTV và tiếp nối các năm trước, Ban Thường vụ Hội LHPN tỉnh "
            f"xây dựng kế hoạch tuyên truyền các phong trào thi đua yêu nước, các điển hình tiên "
            f"tiến, mô hình mới, nhân tố mới năm {year} tới Hội LHPN các xã, phường như sau:",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "- Tiếp tục phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến trong tổ chức Hội "
            "sau sắp xếp đơn vị hành chính cấp xã.",
            "- Các xã, phường xây dựng kế hoạch của đơn vị, lựa chọn và giới thiệu điển hình tiêu biểu.",
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Cấp tỉnh",
            "- Hướng dẫn, kiểm tra, đôn đốc các đơn vị triển khai, tổ chức thực hiện.",
            "2. Hội LHPN các xã, phường",
            "- Căn cứ Kế hoạch của tỉnh chủ động xây dựng kế hoạch của đơn vị, báo cáo kết quả "
            "đúng hạn về Văn phòng Hội LHPN tỉnh./.",
        ]
    )
    draft = services.document_save(
        by=admin,
        unit=province,
        organ=Organ.BTV,
        doc_type=DocType.KH,
        abstract=(
            "Tuyên truyền các phong trào thi đua yêu nước, các điển hình tiên tiến, mô hình "
            f"mới, nhân tố mới năm {year}"
        ),
        body=body,
        place="Cao Bằng",
        authority="TM.",
        authority_of="BAN THƯỜNG VỤ",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Hoàng Thị Thu Hà",
        recipients_text="Thường trực Hội LHPN tỉnh\nHội LHPN các xã, phường\nCác ban chuyên môn Hội LHPN tỉnh",
        archive="VT, BTG",
        tasks=[
            TaskSpec(
                kind=TaskKind.PLAN,
                title="Xây dựng kế hoạch của đơn vị",
                deadline=today - dt.timedelta(days=5),
                scope=UnitKind.COMMUNE,
            ),
            TaskSpec(
                kind=TaskKind.NOMINATE,
                title="Giới thiệu điển hình tiên tiến",
                deadline=today + dt.timedelta(days=20),
                scope=UnitKind.COMMUNE,
            ),
            TaskSpec(
                kind=TaskKind.REPORT,
                title="Báo cáo sơ kết 6 tháng",
                deadline=today + dt.timedelta(days=60),
                scope=UnitKind.COMMUNE,
            ),
        ],
    )
    plan = services.document_issue(document=draft, by=admin, on=issued)

    # Xã Đông Khê answered with its own plan, cascaded to its branches, before the deadline.
    dong_khe = Unit.objects.get(name="Xã Đông Khê", kind=UnitKind.COMMUNE, valid_to__isnull=True)
    dk_admin = User.objects.get(username="dongkhe.thuongtruc")
    rec = Recipient.objects.get(document=plan, unit=dong_khe)
    services.mark_read(recipients=[rec])
    services.document_acknowledge(recipient=rec, by=dk_admin)
    task_plan = plan.tasks.get(kind=TaskKind.PLAN)
    assignment = Assignment.objects.get(task=task_plan, recipient=rec)
    own = services.document_save(
        by=dk_admin,
        unit=dong_khe,
        organ=Organ.BTV,
        doc_type=DocType.KH,
        abstract=f"Tuyên truyền các điển hình tiên tiến, mô hình mới, nhân tố mới năm {year}",
        body=(
            f"Thực hiện Kế hoạch số {plan.symbol} của Ban Thường vụ Hội LHPN tỉnh Cao Bằng, "
            "Ban Thường vụ Hội LHPN xã Đông Khê xây dựng kế hoạch như sau:\n"
            "I. NỘI DUNG\n- Mỗi chi hội giới thiệu ít nhất một gương điển hình.\n"
            "II. TỔ CHỨC THỰC HIỆN\n- Các chi hội báo cáo về Hội LHPN xã đúng hạn./."
        ),
        parent=plan,
        answering=assignment,
        implements_ref=plan.symbol,
        authority="TM.",
        signer_title="CHỦ TỊCH",
        signer_name="Đàm Thị Lan",
        tasks=[
            TaskSpec(
                kind=TaskKind.NOMINATE,
                title="Giới thiệu gương điển hình của chi hội",
                deadline=today + dt.timedelta(days=10),
                scope=UnitKind.BRANCH,
            )
        ],
    )
    services.document_issue(document=own, by=dk_admin, on=today - dt.timedelta(days=8))

    # Phường Tân Giang answered late, with a note.
    tan_giang = Unit.objects.get(name="Phường Tân Giang", valid_to__isnull=True)
    tg_staff = User.objects.get(username="tangiang.canbo")
    rec_tg = Recipient.objects.get(document=plan, unit=tan_giang)
    services.document_acknowledge(recipient=rec_tg, by=tg_staff)
    services.assignment_answer(
        assignment=Assignment.objects.select_related("task__document", "recipient__unit").get(
            task=task_plan, recipient=rec_tg
        ),
        by=tg_staff,
        note="Đã xây dựng kế hoạch, gửi bản giấy về Văn phòng.",
    )
    # A few communes opened it; the province urged the late ones once.
    for r in Recipient.objects.filter(document=plan, read_at__isnull=True).order_by("unit__path")[
        :6
    ]:
        services.mark_read(recipients=[r])
    services.remind_late(document=plan, by=admin, today=today)
    return plan
