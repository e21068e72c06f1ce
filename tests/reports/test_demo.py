"""The demo holds the two plan-53 report forms, the six-month round answered by 24 communes
(one sent back) and the annual round open; the figures pre-filled are the system's."""

import io

from django.core.management import call_command

from guongsang.plans.models import Assignment
from guongsang.reports import figures, services
from guongsang.reports.models import (
    PeriodKind,
    ReportForm,
    ReportState,
    Round,
    ValueType,
    format_number,
)


def test_load_demo_builds_the_plan_53_reports(db):
    call_command("load_demo", stdout=io.StringIO())
    forms = {f.code: f for f in ReportForm.objects.all()}
    assert set(forms) == {"KH53-6T", "KH53-NAM"}
    six = forms["KH53-6T"]
    assert six.period_kind == PeriodKind.SIX_MONTHS and six.issuing_unit.code == "04"
    titles = [s.title for s in six.sections.all()]
    assert titles[3:] == [
        "Kết quả nổi bật",
        "Tồn tại, hạn chế",
        "Nguyên nhân",
        "Bài học kinh nghiệm",
        "Phương hướng, nhiệm vụ thời gian tới",
        "Kiến nghị, đề xuất",
    ]
    indicators = services.form_indicators(six)
    by_code = {i.code: i for i in indicators}
    assert by_code["HV"].at_most == by_code["NTG"]
    assert by_code["MHM.HO"].source == "exemplars.recognised@new_model.household"
    assert by_code["N.KQ"].value_type == ValueType.TEXT
    registry = figures.figure_registry()
    assert all(i.source in registry for i in indicators if i.source)

    h1, annual = Round.objects.order_by("pk")
    assert h1.reports.filter(state=ReportState.SUBMITTED).count() == 23
    assert h1.reports.filter(state=ReportState.RETURNED).count() == 1
    assignments = Assignment.objects.filter(task=h1.task)
    assert assignments.count() == 56
    assert assignments.filter(done_at__isnull=False).count() == 23
    assert annual.reports.filter(state=ReportState.SUBMITTED).count() == 2
    assert annual.reports.filter(state=ReportState.DRAFT).count() == 1

    # Pre-filled values are the live figures of each commune for the period.
    for report in h1.reports.select_related("unit")[:5]:
        live = figures.figure_values(
            ["activities", "participants"], report.unit, h1.period_start, h1.period_end
        )
        values = {v.indicator.code: v for v in report.values.select_related("indicator")}
        assert values["TT"].system_number == live["activities"]
        assert values["NTG"].number == live["participants"]


def test_a_draft_bao_cao_carries_the_figures_and_the_communes_narratives(db):
    from docx import Document as Docx

    from guongsang.accounts.models import User
    from guongsang.plans import printing
    from guongsang.reports import drafting

    call_command("load_demo", stdout=io.StringIO())
    h1 = Round.objects.order_by("pk").first()
    admin = User.objects.get(username="tinh.thuongtruc")
    doc = drafting.report_draft(
        by=admin, unit=h1.unit, start=h1.period_start, end=h1.period_end, rnd=h1
    )
    assert (
        doc.doc_type == "BC"
        and doc.status == "draft"
        and doc.abstract == "Sơ kết 6 tháng đầu năm " + h1.title.split("năm ", 1)[1]
    )
    summary = figures.summary(h1.unit, h1.period_start, h1.period_end)
    lines = doc.body.splitlines()
    total_row = next(line for line in lines if line.startswith("| Tổng cộng |"))
    assert total_row.split("|")[2].strip() == format_number(summary.total.get("activities", 0))
    assert "Số đơn vị đã nộp báo cáo: 23/56." in lines
    assert any(line.startswith("- ") and "Thiếu" not in line for line in lines)
    assert "II. KẾT QUẢ NỔI BẬT" in lines and "VII. KIẾN NGHỊ, ĐỀ XUẤT" in lines
    blocks = printing.body_blocks(doc.body)
    tables = [b for b in blocks if b.kind == "table"]
    assert tables[0].rows[0] == [
        "Hình thức",
        "Số hoạt động",
        "Lượt người tham dự",
        "Trong đó hội viên",
        "Cùng kỳ năm trước",
    ]
    # The Word file holds the same tables.
    docx = Docx(io.BytesIO(printing.to_docx(doc)))
    assert len(docx.tables) == 2 + len(tables)  # header and signature tables, then the figures
    assert docx.tables[1].rows[0].cells[0].text == "Hình thức"  # after the header table


def test_the_demo_provinces_first_half_of_2026_in_exact_figures(db):
    import datetime as dt

    from guongsang.units.models import Unit

    call_command("load_demo", stdout=io.StringIO())
    province = Unit.objects.get(code="04")
    s = figures.summary(province, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert {k: s.total.get(k, 0) for k in ("activities", "participants", "members")} == {
        "activities": 3,
        "participants": 203,
        "members": 185,
    }
    rows = {r.unit.name: r for r in s.rows if not r.own}
    dong_khe, tan_giang = rows["Xã Đông Khê"], rows["Phường Tân Giang"]
    assert (dong_khe.get("activities"), dong_khe.get("participants"), dong_khe.get("members")) == (
        2,
        158,
        145,
    )
    assert (tan_giang.get("activities"), tan_giang.get("participants")) == (1, 45)
    assert sum(r.get("activities") for r in s.rows) == 3
    assert s.previous_total.get("activities", 0) == 0
    # Đông Khê's own six-month report was pre-filled with exactly those figures.
    h1 = Round.objects.order_by("pk").first()
    if h1.period_start.year == 2026:
        report = h1.reports.get(unit_id=dong_khe.unit.pk)
        values = {
            v.indicator.code: v.system_number for v in report.values.select_related("indicator")
        }
        assert (values["TT"], values["NTG"], values["HV"]) == (2, 158, 145)
