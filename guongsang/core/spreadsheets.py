"""Reading uploaded spreadsheets: size and type checks, rows with their Excel row numbers, and the
row-level error report every import uses (all rows or none). Writing them: every export puts its
values in through ``append_row``/``set_value``, so user text is never a formula."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
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


# Bounds of every import (settings, with these defaults). The unpacked size and the compression
# ratio are read from the zip's directory before openpyxl opens anything; zipfile itself stops a
# member that inflates past the size its directory entry declares.
IMPORT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
IMPORT_MAX_RATIO = 200  # of a member's unpacked to packed size, checked above 1 MB unpacked
IMPORT_MAX_MEMBERS = 1000
IMPORT_MAX_ROWS = 50_000  # rows read after the header, blank ones included
IMPORT_INLINE_MAX_ROWS = 5_000  # more than this is imported in the background
IMPORT_MAX_CELL_CHARS = 5_000
_RATIO_FROM = 1024 * 1024


def import_setting(name: str) -> int:
    return getattr(settings, name, globals()[name])


def inline_import_rows() -> int:
    """The most rows an upload page imports while the user waits; more go to a job."""
    return import_setting("IMPORT_INLINE_MAX_ROWS")


def import_limits() -> dict[str, str]:
    """The row limits as an import page states them."""
    return {
        "inline_rows": vi_number(inline_import_rows()),
        "max_rows": vi_number(import_setting("IMPORT_MAX_ROWS")),
    }


def vi_number(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class TooManyRows(ImportRejected):
    """The sheet has more rows than the reader was allowed to read (``limit``)."""

    def __init__(self, limit: int):
        super().__init__(
            [
                RowError(
                    0,
                    _("Tệp có quá %(n)s dòng; hãy chia nhỏ (và xóa các dòng trống ở cuối bảng).")
                    % {"n": vi_number(limit)},
                )
            ]
        )
        self.limit = limit


def too_large_message() -> str:
    return _("Tệp quá lớn: tối đa %(size)s.") % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}


def import_upload(upload, run, *, larger=None):
    """An uploaded workbook through an importer ``run(data)``: (its result, []) or (None, the
    row errors), the size refused before the file is read. With ``larger``, a file with more
    rows than ``run`` reads (it raised ``TooManyRows``) goes to ``larger(data)`` instead, whose
    result is returned (a background job)."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return None, [RowError(0, too_large_message())]
    data = upload.read(settings.UPLOAD_MAX_BYTES + 1)
    try:
        return run(data), []
    except TooManyRows as exc:
        if larger is None:
            return None, exc.errors
    except ImportRejected as exc:
        return None, exc.errors
    return larger(data), []


def _rejected(message: str) -> ImportRejected:
    return ImportRejected([RowError(0, message)])


def check_workbook(data: bytes) -> None:
    """Refuse (ImportRejected) what is not a workbook or would unpack too large, from the zip's
    directory alone: nothing is inflated here."""
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise _rejected(too_large_message())
    if not data.startswith(XLSX_MAGIC):
        raise _rejected(_("Tệp không phải bảng tính Excel .xlsx."))
    unreadable = _("Không đọc được tệp Excel; hãy dùng tệp mẫu.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _rejected(unreadable) from None
    names = {m.filename for m in members}
    if (
        len(members) > import_setting("IMPORT_MAX_MEMBERS")
        or not {
            "[Content_Types].xml",
            "xl/workbook.xml",
        }
        <= names
    ):
        raise _rejected(unreadable)
    limit = import_setting("IMPORT_MAX_UNPACKED_BYTES")
    ratio = import_setting("IMPORT_MAX_RATIO")
    too_big = _(
        "Tệp Excel khi giải nén quá lớn (tối đa %(size)s): hãy chia nhỏ, hoặc chép dữ liệu "
        "sang tệp mẫu."
    ) % {"size": filesizeformat(limit)}
    if sum(m.file_size for m in members) > limit:
        raise _rejected(too_big)
    for m in members:
        if m.file_size > _RATIO_FROM and m.file_size > ratio * max(m.compress_size, 1):
            raise _rejected(too_big)


_WORKSHEET = re.compile(rb"<(?:(\w+):)?worksheet\b[^>]*>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


def _with_dimensions(data: bytes) -> bytes:
    """``data`` with a ``<dimension>`` in every sheet that has none. openpyxl's read-only mode
    looks for each sheet's dimension when it opens the workbook and, missing one, parses the
    whole sheet to learn that it is missing: seconds for a large sheet before the first row is
    read. The range given is never used (``read_rows`` reads every row regardless)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        lacking = []
        for member in archive.infolist():
            if not member.filename.endswith(".xml"):
                continue
            with archive.open(member) as handle:
                head = handle.read(65536)
            sheet = _WORKSHEET.search(head)
            if sheet is None:
                continue
            data_at = _SHEET_DATA.search(head)
            dimension = _DIMENSION.search(head)
            if dimension is None or (data_at is not None and dimension.start() > data_at.start()):
                lacking.append(member.filename)
        if not lacking:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as fixed:
            for member in archive.infolist():
                content = archive.read(member)
                if member.filename in lacking:
                    sheet = _WORKSHEET.search(content)
                    prefix = sheet.group(1) + b":" if sheet.group(1) else b""
                    content = (
                        content[: sheet.end()]
                        + b"<"
                        + prefix
                        + b'dimension ref="A1"/>'
                        + content[sheet.end() :]
                    )
                fixed.writestr(member.filename, content)
    return out.getvalue()


def read_rows(
    data: bytes, columns: int = 6, *, max_rows: int | None = None
) -> list[tuple[int, list]]:
    """Rows of the first sheet after the header, as (row number, cells); blank rows dropped.

    Bounded before and while parsing: ``check_workbook`` first, then the sheet is streamed
    (openpyxl's read-only mode), only the first ``columns`` columns kept, and reading stops
    with ``TooManyRows`` at the first row past ``max_rows`` (default: the IMPORT_MAX_ROWS
    setting; blank rows count, since reading them costs the same), or with a row error at the
    first cell longer than IMPORT_MAX_CELL_CHARS."""
    check_workbook(data)
    if max_rows is None:
        max_rows = import_setting("IMPORT_MAX_ROWS")
    max_chars = import_setting("IMPORT_MAX_CELL_CHARS")
    try:
        data = _with_dimensions(data)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
    except Exception:  # noqa: BLE001 - any parse failure is the same answer to the user
        raise _rejected(_("Không đọc được tệp Excel; hãy dùng tệp mẫu.")) from None
    rows = []
    try:
        ws.reset_dimensions()  # read every row: some programs write a wrong used range (A1)
        for number, cells in enumerate(ws.iter_rows(max_col=columns, values_only=True), start=1):
            if number == 1:
                continue
            if number > max_rows + 1:
                raise TooManyRows(max_rows)
            cells = list(cells) + [None] * (columns - len(cells))
            if any(isinstance(c, str) and len(c) > max_chars for c in cells):
                raise ImportRejected(
                    [
                        RowError(
                            number,
                            _("có ô dài quá %(n)s ký tự") % {"n": vi_number(max_chars)},
                        )
                    ]
                )
            if all(cell_text(c) == "" for c in cells):
                continue
            rows.append((number, cells))
    except ImportRejected:
        raise
    except Exception:  # noqa: BLE001 - a sheet broken halfway through: the same answer
        raise _rejected(_("Không đọc được tệp Excel; hãy dùng tệp mẫu.")) from None
    finally:
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
