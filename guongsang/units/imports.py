"""Excel import of branches and groups: all rows or none, every bad row named with its reason."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from guongsang.accounts.models import User
from guongsang.core.spreadsheets import (  # noqa: F401 - re-exported for callers of this module
    ImportRejected,
    RowError,
    append_row,
    cell_text,
    parse_date,
    read_rows,
    too_large_message,
)
from guongsang.core.text import fold

from . import access
from .models import Unit, UnitKind
from .services import check_parent_kind, unit_create

HEADERS = [
    "Mã đơn vị (*)",
    "Tên đơn vị (*)",
    "Loại (*)",
    "Mã đơn vị cấp trên (*)",
    "Ngày thành lập",
    "Ghi chú",
]
KIND_LABELS = {"chi hoi": UnitKind.BRANCH, "to phu nu": UnitKind.GROUP, "to": UnitKind.GROUP}
IMPORTABLE_KINDS = {UnitKind.BRANCH, UnitKind.GROUP}


@dataclass
class ImportReport:
    created: list[Unit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_workbook(example_parent: Unit | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    append_row(ws, HEADERS, bold=True)
    for cell in ws[1]:
        cell.fill = PatternFill("solid", fgColor="FCE4EC")
    # The example rows carry the parent's code, typed by an admin: written as text.
    parent_code = example_parent.code if example_parent else "01309"
    append_row(
        ws, [f"{parent_code}-CH01", "Chi hội Bản Giới", "Chi hội", parent_code, "15/03/2018", ""]
    )
    append_row(
        ws, [f"{parent_code}-CH01-T1", "Tổ phụ nữ số 1", "Tổ phụ nữ", f"{parent_code}-CH01", "", ""]
    )
    for col, width in zip("ABCDEF", (22, 34, 14, 24, 16, 30), strict=True):
        ws.column_dimensions[col].width = width
    kinds = DataValidation(type="list", formula1='"Chi hội,Tổ phụ nữ"', allow_blank=False)
    ws.add_data_validation(kinds)
    kinds.add("C2:C2000")
    # Codes are text: keep leading zeros of commune codes such as 01450.
    for row in range(2, 2001):
        ws.cell(row=row, column=1).number_format = "@"
        ws.cell(row=row, column=4).number_format = "@"
    help_ws = wb.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng là một chi hội hoặc tổ phụ nữ. Các cột có dấu (*) là bắt buộc.",
        "Loại: 'Chi hội' (cấp trên là xã, phường) hoặc 'Tổ phụ nữ' (cấp trên là chi hội).",
        "Mã đơn vị cấp trên: mã một đơn vị đã có, hoặc mã một chi hội ở dòng khác của tệp này.",
        "Ngày thành lập: dạng ngày/tháng/năm, ví dụ 15/03/2018 (có thể để trống).",
        "Nếu có dòng sai, không dòng nào được nhập; hãy sửa theo thông báo rồi tải lên lại.",
    ):
        append_row(help_ws, [line])
    help_ws.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_units(*, data: bytes, by: User | None, within: Unit | None = None) -> ImportReport:
    """Validate every row, then create all units in one transaction, or nothing.

    ``by`` must manage each parent (None: a command run by the operator); ``within`` limits
    parents to that unit's subtree (the upload page of a unit)."""
    rows = read_rows(data)
    errors: list[RowError] = []
    if not rows:
        raise ImportRejected([RowError(0, _("Tệp không có dòng dữ liệu nào."))])
    if len(rows) > 5000:
        raise ImportRejected([RowError(0, _("Tệp có quá 5.000 dòng; hãy chia nhỏ."))])

    codes_in_file: dict[str, int] = {}
    parsed = []
    for number, (code, name, kind_text, parent_code, founded, note) in rows:
        raw_parent = parent_code
        code, name, parent_code = cell_text(code), cell_text(name), cell_text(parent_code)
        if isinstance(raw_parent, int | float) and parent_code.isdigit():
            # Excel drops the leading zeros of a code typed as a number; commune codes have 5 digits.
            parent_code = parent_code.zfill(5)
        row_errors = []
        if not code:
            row_errors.append(_("thiếu mã đơn vị"))
        elif len(code) > 32:
            row_errors.append(_("mã đơn vị dài quá 32 ký tự"))
        elif code.upper() in codes_in_file:
            row_errors.append(
                _("mã %(code)s trùng với dòng %(row)s")
                % {"code": code, "row": codes_in_file[code.upper()]}
            )
        else:
            codes_in_file[code.upper()] = number
        if not name:
            row_errors.append(_("thiếu tên đơn vị"))
        elif len(name) > 200:
            row_errors.append(_("tên đơn vị dài quá 200 ký tự"))
        kind = KIND_LABELS.get(fold(cell_text(kind_text)))
        if kind is None:
            row_errors.append(
                _("loại '%(kind)s' không hợp lệ (chỉ 'Chi hội' hoặc 'Tổ phụ nữ')")
                % {"kind": cell_text(kind_text)}
            )
        if not parent_code:
            row_errors.append(_("thiếu mã đơn vị cấp trên"))
        try:
            valid_from = parse_date(founded)
        except ValueError:
            valid_from = None
            row_errors.append(
                _("ngày thành lập '%(value)s' không đúng dạng ngày/tháng/năm")
                % {"value": cell_text(founded)}
            )
        if row_errors:
            errors.append(RowError(number, "; ".join(row_errors)))
        parsed.append((number, code, name, kind, parent_code, valid_from, cell_text(note)))

    # Codes are unique regardless of case.
    existing_codes = set(
        Unit.objects.annotate(code_upper=Upper("code"))
        .filter(code_upper__in=[p[1].upper() for p in parsed if p[1]])
        .values_list("code_upper", flat=True)
    )
    for number, code, *_rest in parsed:
        if code and code.upper() in existing_codes:
            errors.append(RowError(number, _("mã %(code)s đã có trong hệ thống") % {"code": code}))

    parents = {
        u.code.upper(): u
        for u in Unit.objects.annotate(code_upper=Upper("code")).filter(
            code_upper__in=[p[4].upper() for p in parsed if p[4]]
        )
    }
    file_kinds = {p[1].upper(): p[3] for p in parsed if p[1]}
    for number, _code, _name, kind, parent_code, _vf, _note in parsed:
        if not parent_code or kind is None:
            continue
        key = parent_code.upper()
        if key in parents:
            parent = parents[key]
            if within is not None and not parent.is_descendant_of(within):
                errors.append(
                    RowError(
                        number,
                        _("đơn vị cấp trên %(code)s không thuộc đơn vị này")
                        % {"code": parent_code},
                    )
                )
                continue
            if by is not None and not access.can(by, access.Perm.MANAGE, parent):
                errors.append(
                    RowError(
                        number,
                        _("đơn vị cấp trên %(code)s không có hoặc bạn không quản lý")
                        % {"code": parent_code},
                    )
                )
                continue
            if parent.valid_to is not None:
                errors.append(
                    RowError(
                        number,
                        _("đơn vị cấp trên %(code)s đã hết hiệu lực") % {"code": parent_code},
                    )
                )
                continue
            try:
                check_parent_kind(kind, parent)
            except ValidationError as exc:
                errors.append(RowError(number, " ".join(exc.messages)))
        elif key in file_kinds:
            parent_kind = file_kinds[key]
            if not (kind == UnitKind.GROUP and parent_kind == UnitKind.BRANCH):
                errors.append(
                    RowError(
                        number, _("tổ phụ nữ phải thuộc một chi hội; chi hội phải thuộc xã, phường")
                    )
                )
        else:
            errors.append(
                RowError(
                    number, _("không tìm thấy đơn vị cấp trên %(code)s") % {"code": parent_code}
                )
            )

    if errors:
        errors.sort(key=lambda e: e.row)
        raise ImportRejected(errors)

    report = ImportReport()
    with transaction.atomic():
        created: dict[str, Unit] = {}
        # Branches before groups, so a group's parent from the same file exists.
        for number, code, name, kind, parent_code, valid_from, note in sorted(
            parsed, key=lambda p: (p[3] != UnitKind.BRANCH, p[0])
        ):
            parent = parents.get(parent_code.upper()) or created[parent_code.upper()]
            try:
                unit = unit_create(
                    code=code, name=name, kind=kind, parent=parent, valid_from=valid_from, note=note
                )
            except ValidationError as exc:
                raise ImportRejected([RowError(number, " ".join(exc.messages))]) from None
            created[code.upper()] = unit
            report.created.append(unit)
    return report
