"""Excel import of activities: every row checked first, then all created or none."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from guongsang.core import bulk
from guongsang.core.spreadsheets import (
    ImportRejected,
    RowError,
    append_row,
    cell_text,
    parse_date,
    read_rows,
    set_value,
)
from guongsang.core.text import fold
from guongsang.exemplars import access as ex_access
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import Unit

from . import rollup
from .models import Activity, ActivityForm
from .services import link_is_valid

HEADERS = [
    "Mã đơn vị (*)",
    "Ngày (*)",
    "Hình thức (*)",
    "Nội dung (*)",
    "Số người tham dự",
    "Trong đó hội viên",
    "Phong trào, cuộc vận động",
    "Đường dẫn",
    "Ghi chú",
]


def template_workbook(unit: Unit | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Hoạt động"
    append_row(ws, HEADERS, bold=True)
    for cell in ws[1]:
        cell.fill = PatternFill("solid", fgColor="FCE4EC")
    # Form names and the unit code are typed by admins: written as text, never as formulas.
    forms = list(ActivityForm.objects.filter(active=True).values_list("name", flat=True))
    code = unit.code if unit else "01450-CH01"
    append_row(
        ws,
        [
            code,
            "15/03/2026",
            forms[1] if len(forms) > 1 else "",
            "Sinh hoạt chuyên đề 5 không, 3 sạch",
            42,
            38,
            "",
            "",
            "",
        ],
    )
    for col, width in zip("ABCDEFGHI", (18, 12, 34, 44, 12, 12, 34, 30, 24), strict=True):
        ws.column_dimensions[col].width = width
    for row in range(2, 2001):
        ws.cell(row=row, column=1).number_format = "@"
    lists = wb.create_sheet("Danh mục")
    for i, name in enumerate(forms, start=1):
        set_value(lists.cell(row=i, column=1), name)
    if forms:
        validation = DataValidation(type="list", formula1=f"='Danh mục'!$A$1:$A${len(forms)}")
        ws.add_data_validation(validation)
        validation.add("C2:C2000")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _number(value, label: str, errors: list[str]) -> int:
    text = cell_text(value)
    if text == "":
        return 0
    try:
        number = int(
            float(text.replace(".", "").replace(",", ".")) if isinstance(value, str) else value
        )
    except (TypeError, ValueError):
        errors.append(_("%(label)s “%(v)s” không phải số") % {"label": label, "v": text})
        return 0
    if number < 0:
        errors.append(_("%(label)s không được âm") % {"label": label})
    return number


def import_activities(
    *,
    data: bytes,
    by,
    within: Unit | None = None,
    max_rows: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Activity]:
    """Check every row, then create all activities in one transaction (in bulk, the monthly
    rollup added to in the same transaction), or none.

    At most ``max_rows`` rows are read (default: the IMPORT_MAX_ROWS setting; ``TooManyRows``
    past it). ``progress(done, total, message)`` hears of each stage (a background job)."""
    rows = read_rows(data, columns=len(HEADERS), max_rows=max_rows)
    if not rows:
        raise ImportRejected([RowError(0, _("Tệp không có dòng dữ liệu nào."))])
    if progress:
        progress(0, len(rows), _("Đang kiểm tra %(n)s dòng.") % {"n": len(rows)})
    forms = {fold(f.name): f for f in ActivityForm.objects.filter(active=True)}
    movements = {fold(m.name): m for m in ex_access.movements_for(by)} if by else {}
    codes = {cell_text(r[1][0]).upper() for r in rows}
    units = {
        u.code.upper(): u for u in Unit.objects.annotate(cu=Upper("code")).filter(cu__in=codes)
    }
    errors: list[RowError] = []
    parsed = []
    today = timezone.localdate()
    for number, cells in rows:
        code, date, form_name, title, participants, members, movement_name, link, notes = cells
        row_errors: list[str] = []
        unit = units.get(cell_text(code).upper())
        if (
            unit is None
            or (by is not None and not access.can(by, Perm.EDIT, unit))
            or (within is not None and not unit.is_descendant_of(within))
        ):
            row_errors.append(
                _("không có đơn vị mã “%(c)s” trong phạm vi của bạn") % {"c": cell_text(code)}
            )
        elif unit.valid_to is not None:
            row_errors.append(_("đơn vị “%(c)s” đã hết hiệu lực") % {"c": cell_text(code)})
        try:
            day = parse_date(date)
            if day is None:
                row_errors.append(_("thiếu ngày"))
            elif day > today:
                row_errors.append(
                    _("ngày %(d)s không được sau hôm nay") % {"d": day.strftime("%d/%m/%Y")}
                )
        except ValueError:
            day = None
            row_errors.append(
                _("ngày “%(v)s” không đúng dạng ngày/tháng/năm") % {"v": cell_text(date)}
            )
        form = forms.get(fold(cell_text(form_name)))
        if form is None:
            row_errors.append(
                _("hình thức “%(v)s” không có trong danh mục") % {"v": cell_text(form_name)}
            )
        title = cell_text(title)
        if not title:
            row_errors.append(_("thiếu nội dung"))
        elif len(title) > 300:
            row_errors.append(_("nội dung dài quá 300 ký tự"))
        total = _number(participants, _("số người tham dự"), row_errors)
        of_members = _number(members, _("số hội viên"), row_errors)
        if of_members > total:
            row_errors.append(_("số hội viên lớn hơn tổng số người tham dự"))
        if not link_is_valid(cell_text(link)):
            row_errors.append(
                _("đường dẫn “%(v)s” phải bắt đầu bằng http:// hoặc https://")
                % {"v": cell_text(link)}
            )
        movement = None
        if cell_text(movement_name):
            movement = movements.get(fold(cell_text(movement_name)))
            if movement is None:
                row_errors.append(
                    _("không có phong trào “%(v)s”") % {"v": cell_text(movement_name)}
                )
        if row_errors:
            errors.append(RowError(number, "; ".join(row_errors)))
        parsed.append(
            (unit, day, form, title, total, of_members, movement, cell_text(link), cell_text(notes))
        )
    if errors:
        raise ImportRejected(errors)
    if progress:
        progress(0, len(rows), _("Đang ghi %(n)s hoạt động.") % {"n": len(parsed)})
    with transaction.atomic():
        created = bulk.bulk_create(
            Activity,
            [
                Activity(
                    unit=u,
                    date=d,
                    form=f,
                    title=t,
                    participants=p,
                    members=m,
                    movement=mv,
                    link=ln[:500],
                    notes=nt,
                    created_by=by,
                )
                for u, d, f, t, p, m, mv, ln, nt in parsed
            ],
        )
        rollup.add_activities(created, {u.pk: u.kind for u, *_rest in parsed})
        return created
