"""Excel import of past awards into subjects' histories: every row checked first, then all
created or none.

A subject is named by its id (the number on its page), or by its name with the code of its
unit. Only subjects the uploader may record awards for are found: a row naming another unit's
subject gets the same message as a row naming no subject at all."""

from __future__ import annotations

import io
import re

from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from guongsang.core import bulk
from guongsang.core.forms import has_control_characters, parse_id
from guongsang.core.spreadsheets import (
    ImportRejected,
    RowError,
    append_row,
    cell_text,
    parse_date,
    read_rows,
)
from guongsang.core.text import fold
from guongsang.exemplars.models import Subject
from guongsang.units.models import SEGMENT_WIDTH, Unit

from . import access
from .models import Award, AwardSource, AwardType
from .services import FIRST_YEAR, KIND_WORDS

HEADERS = [
    "Mã đối tượng",
    "Họ và tên / tên đối tượng",
    "Mã đơn vị",
    "Danh hiệu, hình thức (*)",
    "Năm (*)",
    "Số quyết định",
    "Ngày quyết định",
    "Cấp tặng",
]
MAX_ROWS = 5000
CODE_LIKE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def template_workbook() -> bytes:
    """The import template: the header, one example row, a sheet of the catalogue (name and
    code) feeding a drop-down, and how to fill it in."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Khen thưởng"
    append_row(ws, HEADERS, bold=True)
    for cell in ws[1]:
        cell.fill = PatternFill("solid", fgColor="FCE4EC")
    entries = list(
        AwardType.objects.filter(active=True)
        .order_by("kind", "rank", "name")
        .values_list("name", "code")
    )
    append_row(
        ws,
        [
            "",
            "Nông Thị Hạnh",
            "01450-CH01",
            "Lao động tiên tiến",
            2024,
            "15/QĐ-UBND",
            "20/12/2024",
            "UBND xã Đông Khê",
        ],
    )
    for col, width in zip("ABCDEFGH", (14, 30, 16, 44, 8, 18, 16, 30), strict=True):
        ws.column_dimensions[col].width = width
    for row in range(2, 2001):
        ws.cell(row=row, column=3).number_format = "@"  # unit codes keep their leading zeros
        ws.cell(row=row, column=6).number_format = "@"
    lists = wb.create_sheet("Danh mục")
    append_row(lists, ["Tên", "Mã"], bold=True)
    for name, code in entries:
        append_row(lists, [name, code])
    if entries:
        validation = DataValidation(
            type="list", formula1=f"='Danh mục'!$A$2:$A${len(entries) + 1}", showErrorMessage=False
        )
        ws.add_data_validation(validation)
        validation.add("D2:D2000")
    help_ws = wb.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng là một lần được khen thưởng của một đối tượng. Cột có dấu (*) là bắt buộc.",
        "Đối tượng: ghi Mã đối tượng (số trên trang của đối tượng), hoặc Họ và tên kèm Mã đơn vị.",
        "Danh hiệu, hình thức: tên hoặc mã trong sheet Danh mục; tên khác danh mục được ghi như "
        "đã viết.",
        "Năm: năm được khen thưởng. Ngày quyết định: dạng ngày/tháng/năm, ví dụ 20/12/2024.",
        "Nếu có dòng sai, không dòng nào được nhập; sửa các dòng được báo lỗi rồi tải lên lại.",
    ):
        append_row(help_ws, [line])
    help_ws.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value, label: str, limit: int, errors: list[str]) -> str:
    text = cell_text(value)
    if has_control_characters(value):
        errors.append(_("%(label)s chứa ký tự không hợp lệ") % {"label": label})
        return ""
    if len(text) > limit:
        errors.append(_("%(label)s dài quá %(n)s ký tự") % {"label": label, "n": limit})
        return ""
    return text


def _year(value, errors: list[str]) -> int | None:
    text = cell_text(value)
    if not text:
        errors.append(_("thiếu năm"))
        return None
    try:
        year = int(text)
    except (TypeError, ValueError, OverflowError):
        errors.append(_("năm “%(v)s” không phải số") % {"v": text[:20]})
        return None
    last = timezone.localdate().year
    if not FIRST_YEAR <= year <= last:
        errors.append(_("năm phải từ %(a)s đến %(b)s") % {"a": FIRST_YEAR, "b": last})
        return None
    return year


def _subjects(rows, by) -> tuple[dict, dict]:
    """The subjects the rows name that ``by`` may record for: by id, and by (folded name, code
    of the subject's unit or of any unit above it). Three queries, whatever the number of rows."""
    scope = access.subjects_for(by, access.RECORD) if by is not None else Subject.objects.all()
    scope = scope.select_related("unit")
    ids, names, codes = set(), set(), set()
    for _number, cells in rows:
        text = cell_text(cells[0])
        if (subject_id := parse_id(text)) is not None:
            ids.add(subject_id)
        elif cell_text(cells[1]) and cell_text(cells[2]):
            names.add(fold(cell_text(cells[1])))
            codes.add(cell_text(cells[2]).upper())
    by_id = {s.pk: s for s in scope.filter(pk__in=ids)} if ids else {}
    by_name: dict[tuple, list[Subject]] = {}
    if names:
        # A subject of a branch is found with its branch's code or its commune's.
        code_of = {
            path: code.upper()
            for path, code in Unit.objects.annotate(cu=Upper("code"))
            .filter(cu__in=codes)
            .values_list("path", "code")
        }
        for subject in scope.filter(name_folded__in=names):
            path = subject.unit_path or subject.unit.path
            for end in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH):
                code = code_of.get(path[:end])
                if code is not None:
                    by_name.setdefault((subject.name_folded, code), []).append(subject)
    return by_id, by_name


def import_awards(*, data: bytes, by) -> list[Award]:
    rows = read_rows(data, columns=len(HEADERS), max_rows=MAX_ROWS)  # stops at row 5,001
    if not rows:
        raise ImportRejected([RowError(0, _("Tệp không có dòng dữ liệu nào."))])
    types = list(AwardType.objects.all())
    by_code = {t.code.upper(): t for t in types}
    by_name = {t.name_folded: t for t in types}
    subjects_by_id, subjects_by_name = _subjects(rows, by)
    errors: list[RowError] = []
    parsed = []
    seen: dict[tuple, int] = {}
    for number, cells in rows:
        subject_ref, subject_name, unit_code, award_text, year, dec_number, dec_date, body = cells
        row_errors: list[str] = []
        subject = None
        ref = cell_text(subject_ref)
        if ref:
            if (subject_id := parse_id(ref)) is not None:
                subject = subjects_by_id.get(subject_id)
            if subject is None:
                row_errors.append(
                    _("không có đối tượng mã “%(v)s” trong phạm vi của bạn") % {"v": ref[:20]}
                )
        elif cell_text(subject_name) and cell_text(unit_code):
            key = (fold(cell_text(subject_name)), cell_text(unit_code).upper())
            found = subjects_by_name.get(key, [])
            if len(found) == 1:
                subject = found[0]
            elif found:
                row_errors.append(
                    _("có %(n)s đối tượng tên “%(v)s” ở đơn vị “%(c)s”: hãy ghi Mã đối tượng")
                    % {"n": len(found), "v": cell_text(subject_name)[:200], "c": key[1][:32]}
                )
            else:
                row_errors.append(
                    _("không có đối tượng “%(v)s” ở đơn vị mã “%(c)s” trong phạm vi của bạn")
                    % {"v": cell_text(subject_name)[:200], "c": cell_text(unit_code)[:32]}
                )
        else:
            row_errors.append(_("thiếu Mã đối tượng, hoặc Họ và tên kèm Mã đơn vị"))
        name = _text(award_text, _("tên danh hiệu, hình thức"), 200, row_errors)
        award_type = None
        if not name and not cell_text(award_text):
            row_errors.append(_("thiếu danh hiệu, hình thức"))
        elif name:
            award_type = by_code.get(name.upper()) or by_name.get(fold(name))
            if award_type is None and CODE_LIKE.fullmatch(name):
                # A mistyped code would otherwise be kept as the name of an award.
                row_errors.append(_("danh mục không có mã “%(v)s”") % {"v": name[:40]})
            if award_type is not None and subject is not None:
                if not award_type.applies_to(subject.kind):
                    if by_code.get(name.upper()) is award_type:
                        row_errors.append(
                            _("“%(t)s” không áp dụng cho %(k)s")
                            % {"t": award_type.name, "k": KIND_WORDS[subject.kind]}
                        )
                    award_type = None  # the name as written, like a hand-typed title
        year_value = _year(year, row_errors)
        number_text = _text(dec_number, _("số quyết định"), 60, row_errors)
        body_text = _text(body, _("cấp tặng"), 200, row_errors)
        try:
            day = parse_date(dec_date)
        except ValueError:
            day = None
            row_errors.append(
                _("ngày quyết định “%(v)s” không đúng dạng ngày/tháng/năm")
                % {"v": cell_text(dec_date)[:20]}
            )
        else:
            if day is not None and day > timezone.localdate():
                row_errors.append(_("ngày quyết định không được sau hôm nay"))
            elif day is not None and day.year < FIRST_YEAR:
                row_errors.append(_("ngày quyết định không hợp lệ"))
        if subject is not None and year_value is not None and name:
            key = (subject.pk, award_type.pk if award_type else fold(name), year_value)
            if key in seen:
                row_errors.append(
                    _("trùng với dòng %(n)s (cùng đối tượng, danh hiệu, năm)") % {"n": seen[key]}
                )
            else:
                seen[key] = number
        if row_errors:
            errors.append(RowError(number, "; ".join(row_errors)))
        parsed.append((number, subject, award_type, name, year_value, number_text, day, body_text))
    if not errors:
        errors = _already_held(parsed)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        return bulk.bulk_create(
            Award,
            [
                Award(
                    subject=subject,
                    award_type=award_type,
                    name=award_type.name if award_type else name,
                    year=year,
                    decision_number=number_text,
                    decision_date=day,
                    conferred_by=body_text,
                    source=AwardSource.IMPORT,
                    created_by=by,
                )
                for _n, subject, award_type, name, year, number_text, day, body_text in parsed
            ],
        )


def _already_held(parsed) -> list[RowError]:
    """Rows whose award the subject already holds in its history: one query."""
    subject_ids = {p[1].pk for p in parsed}
    held = set()
    for subject_id, type_id, folded, year in Award.objects.filter(
        subject_id__in=subject_ids
    ).values_list("subject_id", "award_type_id", "name_folded", "year"):
        held.add((subject_id, type_id if type_id else folded, year))
    errors = []
    for number, subject, award_type, name, year, *_rest in parsed:
        key = (subject.pk, award_type.pk if award_type else fold(name), year)
        if key in held:
            errors.append(
                RowError(
                    number,
                    _("“%(s)s” đã có “%(t)s” năm %(y)s")
                    % {"s": subject.name, "t": award_type.name if award_type else name, "y": year},
                )
            )
    return errors
