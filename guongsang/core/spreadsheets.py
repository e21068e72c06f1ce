"""Reading uploaded spreadsheets: size and type checks, rows with their Excel row numbers, and the
row-level error report every import uses (all rows or none)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class RowError:
    row: int
    message: str


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def too_large_message() -> str:
    return _("Tệp quá lớn: tối đa %(size)s.") % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}


def read_rows(data: bytes, columns: int = 6) -> list[tuple[int, list]]:
    """Rows of the first sheet after the header, as (row number, cells); blank rows dropped."""
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ImportRejected(
            [
                RowError(
                    0,
                    too_large_message(),
                )
            ]
        )
    if not data.startswith(XLSX_MAGIC):
        raise ImportRejected([RowError(0, _("Tệp không phải bảng tính Excel .xlsx."))])
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parse failure is the same answer to the user
        raise ImportRejected(
            [RowError(0, _("Không đọc được tệp Excel; hãy dùng tệp mẫu."))]
        ) from None
    ws = wb.worksheets[0]
    ws.reset_dimensions()  # read every row: some programs write a wrong used range (A1)
    rows = []
    for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        if number == 1:
            continue
        cells = list(cells[:columns]) + [None] * (columns - len(cells[:columns]))
        if all(cell_text(c) == "" for c in cells):
            continue
        rows.append((number, cells))
    wb.close()
    return rows


# ---- writing ----------------------------------------------------------------------------------
def append_row(ws, values, *, bold: bool = False) -> int:
    """Append ``values`` to the sheet ``ws``; text is always stored as text (openpyxl would make
    "=…" a live formula), numbers stay numbers. Returns the row number."""
    from openpyxl.styles import Font

    ws.append([None] * len(values))
    row = ws.max_row
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col)
        if isinstance(value, str):
            # Control characters other than tab/newline are not allowed in the XML of a sheet.
            value = "".join(ch for ch in value if ch >= " " or ch in "\t\n")
            cell.value = value
            cell.data_type = "s"
        else:
            cell.value = value
        if bold:
            cell.font = Font(bold=True)
    return row
