"""Imports are bounded before and while the workbook is parsed: the upload's size, its unpacked
size and each member's compression ratio (checked on the zip directory, before openpyxl opens
anything), the rows read (streaming, stopped at the first row past the limit) and each cell's
length. Hostile files are built here cheaply, their XML written directly with zipfile."""

from __future__ import annotations

import functools
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.worksheet import _reader

from guongsang.core import spreadsheets
from guongsang.core.spreadsheets import (
    ImportRejected,
    TooManyRows,
    check_workbook,
    import_upload,
    read_rows,
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{shared}</Types>"
)
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>{shared}</Relationships>'
)
SHARED_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData/></worksheet>"
)


def minimal_parts(*, shared_strings: bool = False) -> dict[str, str]:
    """The parts of the smallest workbook openpyxl opens, the sheet's data empty
    (``<sheetData/>``, to be replaced)."""
    return {
        "[Content_Types].xml": CONTENT_TYPES.format(shared=SHARED_TYPE if shared_strings else ""),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(
            shared=SHARED_REL if shared_strings else ""
        ),
        "xl/worksheets/sheet1.xml": SHEET,
    }


def inline_row(number: int, values) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def sheet_workbook(rows, *, shared: bytes | None = None) -> bytes:
    """A workbook whose sheet holds ``rows`` (an iterable of XML ``<row>`` strings, streamed
    into the zip in chunks), and ``shared`` as its shared strings part."""
    parts = minimal_parts(shared_strings=shared is not None)
    head, tail = parts.pop("xl/worksheets/sheet1.xml").split("<sheetData/>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(head.encode() + b"<sheetData>")
            chunk: list[str] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == 10_000:
                    f.write("".join(chunk).encode())
                    chunk = []
            f.write("".join(chunk).encode() + b"</sheetData>" + tail.encode())
    return out.getvalue()


@functools.cache
def zip_bomb(megabytes: int = 60) -> bytes:
    """A workbook of a few hundred KB whose shared strings unpack to ``megabytes`` MB of one
    repeated letter."""
    parts = minimal_parts(shared_strings=True)
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        "<sheetData/>", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            f.write(b"<si><t>")
            chunk = b"A" * (1 << 20)
            for _ in range(megabytes):
                f.write(chunk)
            f.write(b"</t></si></sst>")
    return out.getvalue()


@functools.cache
def million_rows() -> bytes:
    """A workbook of 1,000,000 rows, a number each: about 3 MB, 31 MB unpacked (under the
    unpacked limit, an ordinary compression ratio), written without openpyxl."""
    return sheet_workbook(f"<row><c><v>{r}</v></c></row>" for r in range(1, 1_000_001))


# ---- the tests ----------------------------------------------------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNPACKED = "Tệp Excel khi giải nén quá lớn (tối đa 50,0\xa0MB): hãy chia nhỏ, hoặc chép dữ liệu sang tệp mẫu."
UNREADABLE = "Không đọc được tệp Excel; hãy dùng tệp mẫu."


def messages(exc) -> list[tuple[int, str]]:
    return [(e.row, e.message) for e in exc.value.errors]


@pytest.fixture
def opened(monkeypatch) -> list:
    """Each workbook openpyxl was asked to open."""
    calls = []
    real = spreadsheets.load_workbook

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(spreadsheets, "load_workbook", counting)
    return calls


@pytest.fixture
def rows_parsed(monkeypatch) -> list:
    """A counter of the sheet rows openpyxl's streaming parser read (``rows_parsed[0]``)."""
    count = [0]
    real = _reader.WorkSheetParser.parse_row

    def counting(self, element):
        count[0] += 1
        return real(self, element)

    monkeypatch.setattr(_reader.WorkSheetParser, "parse_row", counting)
    return count


def good_workbook(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_openpyxl_opens_it(opened):
    data = zip_bomb(60)
    assert len(data) < 200_000  # a few hundred KB that would unpack to 60 MB
    with pytest.raises(ImportRejected) as exc:
        read_rows(data)
    assert messages(exc) == [(0, UNPACKED)]
    assert opened == []


def test_a_member_packed_far_too_tightly_is_refused_even_when_small(opened):
    data = zip_bomb(2)  # 2 MB of one letter: under the total, but a ratio of about 1,000
    with pytest.raises(ImportRejected) as exc:
        read_rows(data)
    assert messages(exc) == [(0, UNPACKED)]
    assert opened == []


def test_the_unpacked_limit_is_a_setting(settings):
    data = good_workbook([["Mã"], ["A"]])
    check_workbook(data)
    settings.IMPORT_MAX_UNPACKED_BYTES = 1000
    with pytest.raises(ImportRejected) as exc:
        check_workbook(data)
    assert "Tệp Excel khi giải nén quá lớn (tối đa 1000\xa0byte)" in exc.value.errors[0].message


def test_a_member_that_inflates_past_its_declared_size_is_not_read_in_full():
    """The sizes checked are those the zip declares: zipfile stops a member at its declared
    size, so a lying directory makes the file unreadable, never a larger read."""
    parts = minimal_parts(shared_strings=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        zf.writestr("xl/sharedStrings.xml", b"<sst><si><t>" + b"A" * 3_000_000 + b"</t></si></sst>")
    data = bytearray(out.getvalue())
    # Declare 1,000 bytes unpacked in the local header and the central directory entry.
    declared = (3_000_000 + 27).to_bytes(4, "little")
    assert data.count(declared) == 2
    data = bytes(data).replace(declared, (1000).to_bytes(4, "little"))
    check_workbook(data)  # the directory now says 1,000 bytes
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with pytest.raises(zipfile.BadZipFile):
            archive.read("xl/sharedStrings.xml")
    with pytest.raises(ImportRejected) as exc:
        read_rows(data)
    assert messages(exc) == [(0, UNREADABLE)]


def test_too_many_members_or_no_workbook_is_unreadable(settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in minimal_parts().items():
            zf.writestr(name, text)
        for i in range(20):
            zf.writestr(f"xl/media/image{i}.png", b"x")
    settings.IMPORT_MAX_MEMBERS = 10
    with pytest.raises(ImportRejected) as exc:
        check_workbook(out.getvalue())
    assert messages(exc) == [(0, UNREADABLE)]


def test_a_million_row_sheet_is_refused_after_reading_just_past_the_limit(rows_parsed, settings):
    settings.IMPORT_MAX_ROWS = 10_000
    data = million_rows()
    assert len(data) < settings.UPLOAD_MAX_BYTES
    check_workbook(data)  # an ordinary file by its zip directory
    with pytest.raises(TooManyRows) as exc:
        read_rows(data)
    assert messages(exc) == [
        (0, "Tệp có quá 10.000 dòng; hãy chia nhỏ (và xóa các dòng trống ở cuối bảng).")
    ]
    assert exc.value.limit == 10_000
    # The header and 10,000 rows, then the first row past them: not a million.
    assert rows_parsed[0] == 10_002


def test_a_sheet_without_a_dimension_is_not_parsed_whole_when_opened(monkeypatch):
    """openpyxl's read-only mode parses a whole sheet that has no ``<dimension>`` when the
    workbook is opened, to find none; the reader gives such sheets one first."""
    found = []
    real = _reader.WorkSheetParser.parse_dimensions

    def recording(self):
        found.append(real(self))
        return found[-1]

    monkeypatch.setattr(_reader.WorkSheetParser, "parse_dimensions", recording)
    data = sheet_workbook([inline_row(r, [f"X{r}", "b"]) for r in range(1, 2001)])
    assert b"dimension" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    rows = read_rows(data, columns=2)
    assert found == [(1, 1, 1, 1)]  # the dimension given, found before the sheet's data
    assert rows[0] == (2, ["X2", "b"]) and rows[-1] == (2000, ["X2000", "b"])


def test_a_row_numbered_a_billion_is_refused_without_making_the_rows_before_it(rows_parsed):
    data = sheet_workbook([inline_row(1, ["Mã"]), inline_row(999_999_999, ["X"])])
    with pytest.raises(TooManyRows):
        read_rows(data, max_rows=100)
    assert rows_parsed[0] == 2


def test_blank_rows_count_towards_the_limit(settings):
    data = sheet_workbook([inline_row(1, ["Mã"])] + [f'<row r="{r}"/>' for r in range(2, 40)])
    assert read_rows(data, max_rows=40) == []
    with pytest.raises(TooManyRows):
        read_rows(data, max_rows=30)


def test_only_the_columns_asked_for_are_kept():
    far = '<c r="XFD2" t="inlineStr"><is><t>far</t></is></c>'
    data = sheet_workbook(
        [
            inline_row(1, ["Mã"]),
            '<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c>' + far + "</row>",
        ]
    )
    assert read_rows(data, columns=3) == [(2, ["A", None, None])]


def test_a_cell_longer_than_the_limit_stops_the_reading_at_its_row(rows_parsed, settings):
    settings.IMPORT_MAX_CELL_CHARS = 100
    rows = [inline_row(1, ["Mã"]), inline_row(2, ["ngắn"]), inline_row(3, ["x" * 101])]
    rows += [inline_row(r, ["sau"]) for r in range(4, 1000)]
    with pytest.raises(ImportRejected) as exc:
        read_rows(sheet_workbook(rows))
    assert messages(exc) == [(3, "có ô dài quá 100 ký tự")]
    assert rows_parsed[0] == 3


def test_a_sheet_broken_halfway_is_unreadable():
    data = sheet_workbook([inline_row(1, ["Mã"]), inline_row(2, ["A"]), "<row><c"])
    with pytest.raises(ImportRejected) as exc:
        read_rows(data)
    assert messages(exc) == [(0, UNREADABLE)]


def test_import_upload_sends_a_file_over_the_inline_limit_to_larger():
    data = good_workbook([["Mã"], ["A"], ["B"], ["C"]])
    upload = SimpleUploadedFile("x.xlsx", data, XLSX)

    def inline(data):
        return read_rows(data, max_rows=2)

    assert import_upload(upload, inline)[1][0].message.startswith("Tệp có quá 2 dòng")
    upload.seek(0)
    assert import_upload(upload, inline, larger=lambda d: ("later", len(d))) == (
        ("later", len(data)),
        [],
    )
    upload.seek(0)
    assert import_upload(upload, lambda d: read_rows(d, max_rows=5), larger=None) == (
        [
            (2, ["A", None, None, None, None, None]),
            (3, ["B"] + [None] * 5),
            (4, ["C"] + [None] * 5),
        ],
        [],
    )


def test_the_awards_import_is_bounded_by_the_same_reader(cast):
    from guongsang.awards.imports import import_awards
    from guongsang.exemplars.models import SubjectKind

    from ..awards.conftest import make_subject

    make_subject(cast.a_staff, cast.branch_a, SubjectKind.INDIVIDUAL, "Nông Thị Hạnh")
    with pytest.raises(ImportRejected) as exc:
        import_awards(data=zip_bomb(60), by=cast.a_staff)
    assert messages(exc) == [(0, UNPACKED)]
    response = cast.client_for(cast.a_staff).post(
        reverse("awards:award_import"), {"file": SimpleUploadedFile("k.xlsx", zip_bomb(60), XLSX)}
    )
    assert response.status_code == 200
    assert "Tệp Excel khi giải nén quá lớn" in response.content.decode()
