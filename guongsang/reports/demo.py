"""Demo report forms and rounds for plan 53/KH-BTV (Cao Bằng): a six-month and an annual form,
the six-month round answered by some communes (on time, late, missing), the annual round open.

Runs after the units, plans, exemplars and outreach demos (``load_demo``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guongsang.accounts.models import Membership, Role, User
from guongsang.outreach.models import ActivityForm
from guongsang.plans import services as plan_services
from guongsang.plans.models import Assignment
from guongsang.units.models import Unit, UnitKind

from . import figures, services
from .models import Aggregation, PeriodKind, ReportForm, ReportState, Round, UnitReport, ValueType
from .services import Entry, IndicatorSpec

NARRATIVE = [
    ("KQ", "Kết quả nổi bật", "Những việc làm hiệu quả, cách làm mới, điển hình tiêu biểu."),
    ("HC", "Tồn tại, hạn chế", ""),
    ("NN", "Nguyên nhân", "Nguyên nhân khách quan và chủ quan của tồn tại, hạn chế."),
    ("BH", "Bài học kinh nghiệm", ""),
    ("PH", "Phương hướng, nhiệm vụ thời gian tới", ""),
    ("KN", "Kiến nghị, đề xuất", "Với Hội LHPN cấp trên, cấp ủy, chính quyền."),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]

# Short narratives a commune might write (the demo rotates them).
TEXTS = {
    "KQ": [
        "Tổ chức tốt sinh hoạt chi hội theo chuyên đề “5 không, 3 sạch”; phát hiện thêm điển hình "
        "phụ nữ dân tộc thiểu số phát triển kinh tế.",
        "Phối hợp đài truyền thanh xã đưa tin về các gương phụ nữ tiêu biểu hằng tháng.",
        "Nhân rộng mô hình “Tổ phụ nữ tiết kiệm” ra các xóm vùng cao.",
    ],
    "HC": [
        "Một số chi hội vùng cao chưa sinh hoạt đều; việc ghi chép số liệu còn chậm.",
        "Tin bài về điển hình còn ít, chưa có hình ảnh sinh động.",
    ],
    "NN": ["Địa bàn rộng, đi lại khó khăn; cán bộ chi hội kiêm nhiệm nhiều việc."],
    "BH": ["Chọn điển hình gần gũi, có việc làm cụ thể thì hội viên dễ học theo."],
    "PH": ["Tiếp tục phát hiện, bồi dưỡng điển hình; chuẩn bị hồ sơ đề nghị khen thưởng cuối năm."],
    "KN": ["Đề nghị Hội LHPN tỉnh mở lớp tập huấn viết tin bài cho cán bộ cơ sở."],
}


def _spec(code, label, value_type=ValueType.INTEGER, **kw) -> IndicatorSpec:
    default = {
        ValueType.INTEGER: Aggregation.SUM,
        ValueType.DECIMAL: Aggregation.AVERAGE,
        ValueType.BOOLEAN: Aggregation.COUNT_YES,
        ValueType.TEXT: Aggregation.TEXTS,
    }[value_type]
    kw.setdefault("aggregation", default)
    return IndicatorSpec(code=code, label=label, value_type=value_type, **kw)


def build_plan53_form(
    *, by: User | None, unit: Unit, code: str, name: str, period_kind: str
) -> ReportForm:
    """The plan 53 report: outreach by form, exemplars, replication, stories, households meeting
    "5 không, 3 sạch", then the narrative sections of a Vietnamese report."""
    form = services.form_create(
        by=by,
        unit=unit,
        code=code,
        name=name,
        period_kind=period_kind,
        description="Thực hiện Kế hoạch số 53/KH-BTV ngày 28/7/2017 của Ban Thường vụ Hội LHPN "
        "tỉnh về phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến. Số liệu có mã nguồn được "
        "điền sẵn từ Gương Sáng; đơn vị sửa thì ghi lý do.",
    )
    sections = iter(ROMAN)

    def section(title):
        return services.section_add(by=by, form=form, title=title, number=next(sections))

    def add(sec, spec):
        services.indicator_add(by=by, section=sec, spec=spec)

    s = section("Công tác tuyên truyền điển hình tiên tiến")
    for i, af in enumerate(ActivityForm.objects.filter(active=True).order_by("order", "pk"), 1):
        slug = figures.form_slug(af.name)
        add(s, _spec(f"TT{i}", f"Số cuộc, số tin bài: {af.name}", measure="cuộc",
                     source=f"activities@{slug}"))  # fmt: skip
    add(s, _spec("TT", "Tổng số hoạt động tuyên truyền", measure="cuộc", source="activities",
                 required=True))  # fmt: skip
    add(s, _spec("NTG", "Số lượt người tham dự", measure="lượt người", source="participants",
                 required=True))  # fmt: skip
    add(s, _spec("HV", "Trong đó hội viên", measure="lượt người", source="members", at_most="NTG"))

    s = section("Phát hiện, bồi dưỡng, biểu dương điển hình")
    add(s, _spec("PH", "Số điển hình được phát hiện, giới thiệu", measure="điển hình",
                 source="nominations.discovered"))  # fmt: skip
    kinds = [("individual", "cá nhân"), ("collective", "tập thể"), ("household", "hộ gia đình")]
    categories = [
        ("advanced_exemplar", "DHTT", "Điển hình tiên tiến"),
        ("new_model", "MHM", "Mô hình mới"),
        ("new_factor", "NTM", "Nhân tố mới"),
    ]
    for category, short, label in categories:
        for kind, kind_label in kinds:
            add(s, _spec(f"{short}.{kind[:2].upper()}", f"{label} được công nhận: {kind_label}",
                         source=f"exemplars.recognised@{category}.{kind}"))  # fmt: skip
    add(s, _spec("NR", "Số mô hình, điển hình được nhân rộng", measure="lượt",
                 source="replications"))  # fmt: skip
    add(s, _spec("BV", "Số bài viết về điển hình đăng trên chuyên mục", measure="bài",
                 source="stories.published"))  # fmt: skip

    s = section("Cuộc vận động “Xây dựng gia đình 5 không, 3 sạch”")
    add(s, _spec("HDK", "Số hộ hội viên đăng ký", measure="hộ"))
    add(s, _spec("HDAT", "Số hộ đạt đủ 8 tiêu chí", measure="hộ", at_most="HDK"))
    add(s, _spec("CLB", "Có câu lạc bộ, tổ, nhóm nhân rộng mô hình", ValueType.BOOLEAN))

    for code, title, hint in NARRATIVE:
        s = section(title)
        add(s, _spec(f"N.{code}", title, ValueType.TEXT, required=code in ("KQ", "PH"), help=hint))
    return form


def _officer(unit: Unit, n: int, names: list[str]) -> User:
    """A commune officer who filled the demo report (no password: not a demo login)."""
    user = User.objects.filter(unit=unit, memberships__role=Role.STAFF).first()
    if user is not None:
        return user
    user = User(
        username=f"demo.xa{unit.pk}",
        full_name=names[n % len(names)],
        unit=unit,
        position="Cán bộ Hội LHPN",
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, unit=unit, role=Role.STAFF)
    return user


OFFICER_NAMES = [
    "Nông Thị Thảo", "Hoàng Thị Liên", "Lương Thị Hiền", "Đinh Thị Thúy", "Bế Thị Dung",
    "Lý Thị Mai", "Triệu Thị Hương", "Ma Thị Vân", "Hà Thị Lệ", "Lục Thị Ngọc",
]  # fmt: skip


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _fill(report: UnitReport, by: User, n: int, when: dt.datetime | None) -> None:
    """Keep the pre-filled figures, add the households and the narratives; submit at ``when``."""
    indicators = {ind.code: ind for ind in services.form_indicators(report.round.form)}
    registered = 180 + 37 * (n % 9)
    entries = {
        indicators["HDK"].pk: Entry(number=Decimal(registered)),
        indicators["HDAT"].pk: Entry(number=Decimal(registered * (70 + n % 25) // 100)),
        indicators["CLB"].pk: Entry(flag=n % 3 != 0),
    }
    for code, texts in TEXTS.items():
        entries[indicators[f"N.{code}"].pk] = Entry(text=texts[n % len(texts)])
    services.report_save(by=by, report=report, entries=entries, submit=when is not None)
    if when is not None:
        UnitReport.objects.filter(pk=report.pk).update(submitted_at=when)
        report.changes.filter(action="submit").update(at=when)
        Assignment.objects.filter(task_id=report.round.task_id, recipient__unit=report.unit).update(
            done_at=when
        )


@transaction.atomic
def load_reports_demo(today: dt.date | None = None) -> list[Round]:
    if ReportForm.objects.exists():
        return []
    today = today or timezone.localdate()
    province = Unit.objects.get(code="04")
    admin = User.objects.get(username="tinh.thuongtruc")
    six = build_plan53_form(
        by=admin,
        unit=province,
        code="KH53-6T",
        name="Báo cáo sơ kết 6 tháng thực hiện Kế hoạch 53/KH-BTV",
        period_kind=PeriodKind.SIX_MONTHS,
    )
    annual = build_plan53_form(
        by=admin,
        unit=province,
        code="KH53-NAM",
        name="Báo cáo tổng kết năm thực hiện Kế hoạch 53/KH-BTV",
        period_kind=PeriodKind.YEAR,
    )
    # The last first half-year that is over, and this year.
    year = today.year if today >= dt.date(today.year, 7, 20) else today.year - 1
    h1_start, h1_end = dt.date(year, 1, 1), dt.date(year, 6, 30)
    h1 = services.round_create(
        by=admin,
        form=six,
        unit=province,
        title=f"Báo cáo sơ kết 6 tháng đầu năm {year} thực hiện Kế hoạch 53/KH-BTV",
        level=UnitKind.COMMUNE,
        period_kind=PeriodKind.SIX_MONTHS,
        period_start=h1_start,
        period_end=h1_end,
        deadline=dt.date(year, 7, 15),
    )
    plan_services.document_issue(document=h1.task.document, by=admin, on=dt.date(year, 6, 10))
    communes = list(
        Unit.objects.subtree_of(province)
        .current(today)
        .filter(kind=UnitKind.COMMUNE)
        .order_by("path")
    )
    # The communes of the demo logins first: Đông Khê on time, Tân Giang late (n = 4 below).
    first = {"Xã Đông Khê": 0, "Phường Tân Giang": 1}
    communes.sort(key=lambda u: first.get(u.name, 2))
    communes[1], communes[4] = communes[4], communes[1]
    for n, commune in enumerate(communes[:24]):
        by = _officer(commune, n, OFFICER_NAMES)
        report = services.report_open(by=by, rnd=h1, unit=commune)
        # Most on time, every fifth late, the rest of the communes not at all.
        day = dt.date(year, 7, 20 + n % 6) if n % 5 == 4 else dt.date(year, 7, 8 + n % 7)
        _fill(report, by, n, _at(day))
    # One report sent back to be corrected.
    returned = UnitReport.objects.get(round=h1, unit=communes[2])
    services.report_return(
        by=admin,
        report=returned,
        reason="Số hộ đạt đủ 8 tiêu chí chưa khớp với báo cáo chuyên đề; đề nghị rà soát lại.",
    )

    ann_start, ann_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    annual_round = services.round_create(
        by=admin,
        form=annual,
        unit=province,
        title=f"Báo cáo tổng kết năm {today.year} thực hiện Kế hoạch 53/KH-BTV",
        level=UnitKind.COMMUNE,
        period_kind=PeriodKind.YEAR,
        period_start=ann_start,
        period_end=ann_end,
        deadline=max(dt.date(today.year, 12, 15), today + dt.timedelta(days=7)),
    )
    issued = min(today, dt.date(today.year, 11, 20))
    plan_services.document_issue(document=annual_round.task.document, by=admin, on=issued)
    for n, commune in enumerate(communes[:3]):
        by = _officer(commune, n, OFFICER_NAMES)
        report = services.report_open(by=by, rnd=annual_round, unit=commune)
        if n == 0:
            _fill(report, by, n, None)  # a draft, not yet sent
        else:
            _fill(report, by, n, timezone.now())
    assert UnitReport.objects.filter(round=h1, state=ReportState.SUBMITTED).count() == 23
    return [h1, annual_round]
