"""Reading uploaded spreadsheets: size and type checks, rows with their Excel row numbers, and the
row-level error report every import uses (all rows or none). Writing them: every export puts its
values in through ``append_row``/``set_value``, so user text is never a formula."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
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


def import_upload(upload, run):
    """An uploaded workbook through an importer ``run(data)``: (its result, []) or (None, the
    row errors), the size refused before the file is read."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return None, [RowError(0, too_large_message())]
    try:
        return run(upload.read()), []
    except ImportRejected as exc:
        return None, exc.errors


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
# What a spreadsheet program may take for the start of a formula: "=" (openpyxl itself writes such
# a string as a live formula), and "+", "-", "@", or a tab or carriage return before one, which
# Excel and LibreOffice turn into a formula when the cell is edited or the sheet re-imported.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters the XML of a sheet cannot hold (openpyxl refuses them): C0 controls but tab,
# line feed and carriage return.
_ILLEGAL = dict.fromkeys(ch for ch in range(32) if chr(ch) not in "\t\n\r")


def set_value(cell, value) -> None:
    """Put ``value`` into ``cell``: text always as a text cell, never a formula or an error code
    (openpyxl infers both from a string), text that looks like a formula also marked "quoted"
    so that editing it in Excel keeps it text; numbers and booleans keep their type, dates and
    times too (in local time, shown dd/mm/yyyy).

    Every export writes user text through this (or ``append_row``)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, dt.date):
        cell.value = value
        # Shown the Vietnamese way; a caller may set another format afterwards.
        cell.number_format = "dd/mm/yyyy hh:mm" if isinstance(value, dt.datetime) else "dd/mm/yyyy"
    elif isinstance(value, str):
        value = value.translate(_ILLEGAL)
        cell.value = value
        cell.data_type = "s"  # after the assignment, which may have inferred "f" or "e"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value


def append_row(ws, values, *, bold: bool = False) -> int:
    """Append ``values`` as the next row of the sheet ``ws`` through ``set_value``. Returns the
    row number."""
    from openpyxl.cell import Cell
    from openpyxl.styles import Font

    cells = []
    for value in values:
        cell = Cell(ws)
        set_value(cell, value)
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)
    return ws._current_row  # the row just written, even when it is empty
