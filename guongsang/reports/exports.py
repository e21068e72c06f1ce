"""Excel out: the summary (one sheet per table) and a round's reports. Numbers are numbers, every
sheet has its total row and frozen headings, and text is always written as text."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from guongsang.core.spreadsheets import append_row
from guongsang.exemplars.models import Category, SubjectKind

from . import figures, services
from .drafting import period_text
from .models import Aggregation, ReportState, ReportValue, Round, UnitReport, ValueType


def _sheet(wb, title: str, heading: str, columns: list[str], widths: tuple = (34,)):
    ws = wb.create_sheet(title[:31])
    append_row(ws, [heading], bold=True)
    append_row(ws, [])
    append_row(ws, columns, bold=True)
    ws.freeze_panes = "B4"
    for i in range(1, len(columns) + 1):
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1] if i <= len(widths) else 16
    return ws


def _row_name(row: figures.Row) -> str:
    name = row.unit.name
    if row.own:
        return _("%(unit)s (trực tiếp)") % {"unit": name}
    if row.closed:
        return _("%(unit)s (đã sáp nhập)") % {"unit": name}
    return name


def summary_workbook(summary: figures.Summary) -> bytes:
    heading = _("%(unit)s · %(period)s") % {
        "unit": summary.unit.union_name,
        "period": period_text(summary.start, summary.end),
    }
    wb = Workbook()
    wb.remove(wb.active)
    total, before = summary.total, summary.previous_total

    # Outreach: per unit, every form's count, then participants and members.
    columns = [_("Đơn vị")]
    keys = []
    for form in summary.forms:
        columns.append(form.name)
        keys.append(f"activities@{form.slug}")
    columns += [_("Tổng số hoạt động"), _("Lượt người tham dự"), _("Trong đó hội viên")]
    keys += ["activities", "participants", "members"]
    ws = _sheet(wb, _("Tuyên truyền"), heading, columns)
    for row in summary.rows:
        append_row(ws, [_row_name(row), *[row.get(k) for k in keys]])
    append_row(ws, [_("Tổng cộng"), *[total.get(k, 0) for k in keys]], bold=True)
    append_row(ws, [_("Cùng kỳ năm trước"), *[before.get(k, 0) for k in keys]])

    # Exemplars recognised, category × subject kind.
    cat_keys = [
        (f"{cat.label} – {kind.label}", f"exemplars.recognised@{cat.value}.{kind.value}")
        for cat in Category
        for kind in SubjectKind
    ]
    columns = [_("Đơn vị"), *[label for label, _k in cat_keys], _("Tổng số điển hình")]
    keys = [k for _label, k in cat_keys] + ["exemplars.recognised"]
    ws = _sheet(wb, _("Điển hình"), heading, columns)
    for row in summary.rows:
        append_row(ws, [_row_name(row), *[row.get(k) for k in keys]])
    append_row(ws, [_("Tổng cộng"), *[total.get(k, 0) for k in keys]], bold=True)
    append_row(ws, [_("Cùng kỳ năm trước"), *[before.get(k, 0) for k in keys]])

    # Pipeline, replication, stories, plan tasks.
    pairs = [
        (_("Điển hình được phát hiện"), "nominations.discovered"),
        (_("Đã công nhận"), "nominations.recognised"),
        (_("Đang xét duyệt"), "nominations.submitted"),
        (_("Lượt nhân rộng"), "replications"),
        (_("Bài viết được đăng"), "stories.published"),
        (_("Nhiệm vụ đúng hạn"), "tasks.on_time"),
        (_("Nhiệm vụ muộn"), "tasks.late"),
        (_("Nhiệm vụ quá hạn"), "tasks.overdue"),
    ]
    ws = _sheet(wb, _("Nhân rộng, nhiệm vụ"), heading, [_("Đơn vị"), *[p[0] for p in pairs]])
    for row in summary.rows:
        append_row(ws, [_row_name(row), *[row.get(k) for _label, k in pairs]])
    append_row(ws, [_("Tổng cộng"), *[total.get(k, 0) for _label, k in pairs]], bold=True)
    append_row(ws, [_("Cùng kỳ năm trước"), *[before.get(k, 0) for _label, k in pairs]])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def round_workbook(rnd: Round, within: Q | None = None) -> bytes:
    """The round's roll-up, every unit's figures (one row per unit that opened its report) and
    the narratives; ``within`` (a filter on UnitReport) narrows it to what the reader may see.
    A fixed number of queries; rows in tree order."""
    indicators = services.form_indicators(rnd.form)
    q = services.round_q(rnd)
    if within is not None:
        q &= within
    rolled = services.rollup(indicators, q, with_texts=False)
    heading = _("%(round)s · %(period)s") % {
        "round": rnd.title,
        "period": period_text(rnd.period_start, rnd.period_end),
    }
    wb = Workbook()
    wb.remove(wb.active)

    ws = _sheet(
        wb,
        _("Tổng hợp"),
        heading,
        [_("Chỉ tiêu"), _("Mã"), _("Đơn vị tính"), _("Tổng hợp"), _("Số đơn vị có số liệu")],
        widths=(50, 10, 14, 14, 14),
    )
    for ind in indicators:
        if ind.aggregation == Aggregation.TEXTS:
            continue
        r = rolled[ind.pk]
        append_row(ws, [ind.label, ind.code, ind.measure, _number(r.value), r.reports])

    numeric = [i for i in indicators if i.aggregation != Aggregation.TEXTS]
    texts = [i for i in indicators if i.aggregation == Aggregation.TEXTS]
    ws = _sheet(
        wb,
        _("Theo đơn vị"),
        heading,
        [_("Đơn vị"), _("Trạng thái"), _("Nộp lúc"), *[f"{i.code} · {i.label}" for i in numeric]],
        widths=(34, 14, 18),
    )
    reports = list(
        UnitReport.objects.filter(q)
        .select_related("unit")
        .order_by("unit_path")
        .only("pk", "state", "submitted_at", "unit__name", "unit_path")
    )
    values: dict[int, dict[int, ReportValue]] = {}
    for v in ReportValue.objects.filter(services.prefixed(q)).only(
        "report_id", "indicator_id", "number", "flag", "text"
    ):
        values.setdefault(v.report_id, {})[v.indicator_id] = v
    states = dict(ReportState.choices)
    for report in reports:
        mine = values.get(report.pk, {})
        cells = []
        for ind in numeric:
            v = mine.get(ind.pk)
            if v is None:
                cells.append(None)
            elif ind.value_type == ValueType.BOOLEAN:
                cells.append(None if v.flag is None else (_("Có") if v.flag else _("Không")))
            else:
                cells.append(_number(v.number))
        submitted = (
            timezone.localtime(report.submitted_at).replace(tzinfo=None)
            if report.submitted_at
            else None
        )
        r = append_row(ws, [report.unit.name, str(states[report.state]), submitted, *cells])
        ws.cell(r, 3).number_format = "dd/mm/yyyy hh:mm"
    append_row(
        ws,
        [
            _("Tổng hợp (báo cáo đã nộp)"),
            "",
            None,
            *[_number(rolled[i.pk].value) for i in numeric],
        ],
        bold=True,
    )

    if texts:
        ws = _sheet(
            wb, _("Ý kiến"), heading, [_("Đơn vị"), _("Nội dung"), _("Ý kiến")], widths=(34, 30, 90)
        )
        for report in reports:
            for ind in texts:
                v = values.get(report.pk, {}).get(ind.pk)
                if v is not None and v.text:
                    append_row(ws, [report.unit.name, ind.label, v.text])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
