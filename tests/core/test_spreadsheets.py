"""Writing exports: append_row/set_value keep user text as text and every other value's type."""

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from guongsang.core.spreadsheets import append_row

from ..xlsx import HOSTILE


def _round_trip(wb):
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))


def test_text_that_looks_like_a_formula_is_quoted_text():
    wb = Workbook()
    assert append_row(wb.active, [*HOSTILE, "#N/A", "#DIV/0!", "=", "Xã Đông Khê"]) == 1
    row = _round_trip(wb).active[1]
    assert [c.value for c in row] == [*HOSTILE, "#N/A", "#DIV/0!", "=", "Xã Đông Khê"]
    assert all(c.data_type == "s" for c in row)  # never "f" (formula) nor "e" (error)
    assert [c.quotePrefix for c in row] == [True] * 6 + [False, False, True, False]


def test_other_values_keep_their_type():
    wb = Workbook()
    moment = timezone.make_aware(dt.datetime(2026, 3, 2, 1, 30), dt.UTC)
    append_row(
        wb.active,
        [3, -1.5, Decimal("2.5"), True, None, dt.date(2026, 3, 2), moment, gettext_lazy("Năm")],
    )
    row = _round_trip(wb).active[1]
    assert [c.value for c in row[:4]] == [3, -1.5, 2.5, True]
    assert [c.data_type for c in row[:4]] == ["n", "n", "n", "b"]
    assert row[4].value is None
    assert row[5].is_date and row[5].value == dt.datetime(2026, 3, 2)
    assert row[5].number_format == "dd/mm/yyyy"
    assert row[6].value == dt.datetime(2026, 3, 2, 8, 30)  # Hà Nội time, no time zone
    assert row[6].number_format == "dd/mm/yyyy hh:mm"
    assert row[7].value == "Năm" and row[7].data_type == "s"


def test_characters_a_sheet_cannot_hold_are_dropped_and_rows_count_empty_ones():
    wb = Workbook()
    ws = wb.active
    append_row(ws, ["a\x00b\x1bc", "x\ty\nz\r"], bold=True)
    assert append_row(ws, []) == 2
    assert append_row(ws, ["after"]) == 3
    ws = _round_trip(wb).active
    assert [c.value for c in ws[1]] == ["abc", "x\ty\nz\r"]
    assert ws["A1"].font.bold and ws["A3"].value == "after"
