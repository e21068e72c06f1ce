"""Excel out: the summary and a round's reports, numbers as numbers, text never a formula."""

import io

from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from guongsang.core.spreadsheets import append_row
from guongsang.reports import exports, figures
from guongsang.reports.models import ReportState, ReportValue, Round


def test_text_is_written_as_text_never_as_a_formula():
    wb = Workbook()
    ws = wb.active
    append_row(ws, ['=HYPERLINK("http://x","y")', "+1", "-2", "@A1", 3, None, "a\x00b"])
    out = io.BytesIO()
    wb.save(out)
    row = [c for c in load_workbook(io.BytesIO(out.getvalue())).active[1]]
    assert [c.data_type for c in row[:5]] == ["s", "s", "s", "s", "n"]
    assert row[0].value == '=HYPERLINK("http://x","y")' and row[4].value == 3
    assert row[6].value == "ab"


def test_summary_and_round_workbooks_hold_the_figures(db):
    call_command("load_demo", stdout=io.StringIO())
    h1 = Round.objects.order_by("pk").first()
    summary = figures.summary(h1.unit, h1.period_start, h1.period_end)
    book = load_workbook(io.BytesIO(exports.summary_workbook(summary)))
    assert book.sheetnames == ["Tuyên truyền", "Điển hình", "Nhân rộng, nhiệm vụ"]
    ws = book["Tuyên truyền"]
    assert ws.freeze_panes == "B4"
    header = [c.value for c in ws[3]]
    col = header.index("Tổng số hoạt động") + 1
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    total = next(r for r in rows if r[0] == "Tổng cộng")
    assert total[col - 1] == summary.total.get("activities", 0)
    assert (
        sum(r[col - 1] for r in rows if r[0] not in ("Tổng cộng", "Cùng kỳ năm trước"))
        == total[col - 1]
    )

    # A commune's answer starting with "=" stays text in the round's workbook.
    value = ReportValue.objects.filter(
        report__round=h1, report__state=ReportState.SUBMITTED, indicator__code="N.HC"
    ).first()
    ReportValue.objects.filter(pk=value.pk).update(text='=HYPERLINK("http://x","y")')
    book = load_workbook(io.BytesIO(exports.round_workbook(h1)))
    assert book.sheetnames == ["Tổng hợp", "Theo đơn vị", "Ý kiến"]
    per_unit = list(book["Theo đơn vị"].iter_rows(min_row=4, values_only=True))
    assert len(per_unit) == h1.reports.count() + 1
    opinions = [c for row in book["Ý kiến"].iter_rows(min_row=4) for c in row]
    cell = next(c for c in opinions if c.value == '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"
    summed = next(
        r for r in book["Tổng hợp"].iter_rows(min_row=4, values_only=True) if r[1] == "HDK"
    )
    assert summed[3] == sum(
        int(v.number)
        for v in ReportValue.objects.filter(
            report__round=h1, report__state=ReportState.SUBMITTED, indicator__code="HDK"
        )
    )
