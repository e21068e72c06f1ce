"""Reading an exported workbook back as a user's spreadsheet program would, to check that text a
user typed comes out as text and never as a formula."""

import io
import re
import zipfile

from openpyxl import load_workbook

from guongsang.core.downloads import XLSX

# Text that a spreadsheet program may run as a formula, as an attacker would type it.
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def download(client, url: str):
    """GET ``url`` like a user clicking the export link; the workbook, loaded by openpyxl."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.content
    # No cell of any sheet holds a formula, whatever openpyxl's reader makes of the file.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    return load_workbook(io.BytesIO(data))


def cells(book) -> list:
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def assert_text_cells(book, values) -> None:
    """Each of ``values`` is in some cell, exactly as typed, as a text cell marked "quoted"
    when it starts like a formula; no cell of the workbook is a formula."""
    found = {}
    for cell in cells(book):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            found.setdefault(cell.value, cell)
    for value in values:
        assert value in found, f"{value!r} not exported"
        assert found[value].data_type == "s"
        assert found[value].quotePrefix


def column(book, header: str, *, sheet: int = 0, header_row: int = 1) -> list:
    """The cells under ``header``, header row excluded."""
    ws = book.worksheets[sheet]
    titles = [c.value for c in ws[header_row]]
    index = titles.index(header)
    return [row[index] for row in ws.iter_rows(min_row=header_row + 1)]
