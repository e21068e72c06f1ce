"""Excel import of branches and groups: all rows or none, every bad row named with its reason."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
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
from .models import Unit, UnitKind, encode_segment
from .services import check_parent_kind

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
BATCH = 1000  # units per INSERT, and per UPDATE of their paths


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


def import_units(
    *,
    data: bytes,
    by: User | None,
    within: Unit | None = None,
    max_rows: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportReport:
    """Validate every row, then create all units in one transaction, or nothing.

    ``by`` must manage each parent (None: a command run by the operator); ``within`` limits
    parents to that unit's subtree (the upload page of a unit). At most ``max_rows`` rows are
    read (default: the IMPORT_MAX_ROWS setting; ``TooManyRows`` past it). ``progress(done,
    total, message)`` hears of each stage (a background job).

    The units are written in bulk with the checks and derived columns of
    ``services.unit_create``: the parents are fetched in one query, kinds, rights and codes
    checked in memory, then branches and groups inserted in batches and their paths set."""
    rows = read_rows(data, max_rows=max_rows)
    errors: list[RowError] = []
    if not rows:
        raise ImportRejected([RowError(0, _("Tệp không có dòng dữ liệu nào."))])
    if progress:
        progress(0, len(rows), _("Đang kiểm tra %(n)s dòng.") % {"n": len(rows)})

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

    if progress:
        progress(0, len(rows), _("Đang ghi %(n)s đơn vị.") % {"n": len(parsed)})
    report = ImportReport()
    branches = [p for p in parsed if p[3] == UnitKind.BRANCH]
    groups = [p for p in parsed if p[3] != UnitKind.BRANCH]
    try:
        with transaction.atomic():
            # Branches before groups, so a group's parent from the same file has its path.
            created: dict[str, Unit] = {}
            for batch in (branches, groups):
                units = _create(batch, lambda code: parents.get(code) or created[code])
                created.update((u.code.upper(), u) for u in units)
                report.created += units
    except IntegrityError:
        # A unit with one of these codes was created meanwhile: nothing was written.
        raise ImportRejected(
            [RowError(0, _("Một số mã đơn vị vừa được tạo ở nơi khác; hãy tải tệp lên lại."))]
        ) from None
    return report


def _create(parsed: list, parent_of: Callable[[str], Unit]) -> list[Unit]:
    """Insert ``parsed`` rows (checked) as units, in batches, and give each its path, as
    ``services.unit_create`` does one by one."""
    units = []
    for _number, code, name, kind, parent_code, valid_from, note in parsed:
        parent = parent_of(parent_code.upper())
        unit = Unit(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            valid_from=valid_from,
            note=note,
            path=f"tmp{uuid.uuid4().hex}",
            depth=parent.depth + 1,
        )
        unit.fill_derived()
        units.append(unit)
    for start in range(0, len(units), BATCH):
        batch = Unit.objects.bulk_create(units[start : start + BATCH])
        for unit in batch:
            unit.path = unit.parent.path + encode_segment(unit.pk)
        _set_paths(batch)
    return units


def _set_paths(units: list[Unit]) -> None:
    """One UPDATE ... FROM (VALUES ...) for the batch (``bulk_update``'s CASE per row cost
    more than the inserts). Both databases take it; only the VALUES columns are named
    differently."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    rows = ", ".join(["(%s, %s)"] * len(units))
    alias = "v" if connection.vendor == "sqlite" else "v (column1, column2)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET path = v.column2 FROM (VALUES {rows}) AS {alias} "  # noqa: S608 (names from the model)
            f"WHERE {table}.id = v.column1",
            [x for unit in units for x in (unit.pk, unit.path)],
        )
