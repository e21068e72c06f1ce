"""Reused reads: list filters, sorting the Vietnamese way, exports."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from guongsang.core.text import person_sort_key, search_tokens, vi_sort_key
from guongsang.units import access
from guongsang.units.models import PATH_END

from .models import Category, NominationState, SubjectKind


@dataclass
class ListFilters:
    year: int | None = None
    movement: int | None = None
    category: str = ""
    kind: str = ""
    state: str = ""
    unit: object = None  # a Unit already fetched through the access layer
    q: str = ""

    @classmethod
    def from_request(cls, request) -> ListFilters:
        get = request.GET

        def as_int(name):
            try:
                return int(get.get(name, ""))
            except ValueError:
                return None

        unit = None
        if get.get("don_vi"):
            unit = access.get_unit(request.user, get["don_vi"])
        return cls(
            year=as_int("nam"),
            movement=as_int("phong_trao"),
            category=get.get("loai", "") if get.get("loai", "") in Category.values else "",
            kind=get.get("doi_tuong", "") if get.get("doi_tuong", "") in SubjectKind.values else "",
            state=get.get("trang_thai", "")
            if get.get("trang_thai", "") in NominationState.values
            else "",
            unit=unit,
            q=get.get("q", "").strip(),
        )


def _apply(qs: QuerySet, f: ListFilters, *, unit_field: str) -> QuerySet:
    """The filters shared by the nomination and exemplar lists; ``unit_field`` is the unit whose
    subtree the "Đơn vị" filter selects."""
    if f.year:
        qs = qs.filter(year=f.year)
    if f.movement:
        qs = qs.filter(movement_id=f.movement)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.kind:
        qs = qs.filter(subject__kind=f.kind)
    if f.unit is not None:
        qs = qs.filter(
            **{
                f"{unit_field}__path__gte": f.unit.path,
                f"{unit_field}__path__lt": f.unit.path + PATH_END,
            }
        )
    for token in search_tokens(f.q):
        qs = qs.filter(subject__name_folded__contains=token)
    return qs


def filter_nominations(qs: QuerySet, f: ListFilters) -> QuerySet:
    qs = _apply(qs, f, unit_field="proposing_unit")
    return qs.filter(state=f.state) if f.state else qs


def filter_exemplars(qs: QuerySet, f: ListFilters) -> QuerySet:
    return _apply(qs, f, unit_field="subject__unit")


def name_sort_key(name: str, kind: str) -> tuple:
    """People by given name the Vietnamese way; collectives by their name as written."""
    if kind == SubjectKind.COLLECTIVE:
        return (vi_sort_key(name),)
    return person_sort_key(name)


def subject_sort_key(subject) -> tuple:
    return name_sort_key(subject.name, subject.kind)


def sorted_page(qs: QuerySet, request, *, name_field: str, kind_field: str, per_page: int = 50):
    """Sort the matching rows by name the Vietnamese way using only (pk, name, kind), then load
    the full objects of the requested page alone: the cost of a page does not grow with the
    objects' size, only with the number of ids."""
    from django.core.paginator import Paginator

    light = sorted(
        qs.values_list("pk", name_field, kind_field), key=lambda r: name_sort_key(r[1], r[2])
    )
    page = Paginator(light, per_page).get_page(request.GET.get("page"))
    objects = qs.in_bulk([r[0] for r in page.object_list])
    page.object_list = [objects[r[0]] for r in page.object_list]
    return page


def xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for column in ws.columns:
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def nominations_xlsx(nominations) -> bytes:
    headers = [
        _("STT"),
        _("Đối tượng"),
        _("Loại đối tượng"),
        _("Năm sinh"),
        _("Dân tộc"),
        _("Loại điển hình"),
        _("Phong trào"),
        _("Năm"),
        _("Đơn vị đề cử"),
        _("Trạng thái"),
        _("Đang ở cấp"),
    ]
    rows = [
        [
            i,
            n.subject.name,
            n.subject.get_kind_display(),
            n.subject.birth_year or "",
            n.subject.ethnicity,
            n.get_category_display(),
            n.movement.name,
            n.year,
            n.proposing_unit.name,
            n.get_state_display(),
            n.current_unit.name,
        ]
        for i, n in enumerate(nominations, start=1)
    ]
    return xlsx(headers, rows, _("Hồ sơ đề cử"))


def exemplars_xlsx(exemplars) -> bytes:
    headers = [
        _("STT"),
        _("Đối tượng"),
        _("Loại đối tượng"),
        _("Loại điển hình"),
        _("Phong trào"),
        _("Năm"),
        _("Đơn vị"),
        _("Cấp công nhận"),
        _("Số quyết định"),
    ]
    rows = [
        [
            i,
            e.subject.name,
            e.subject.get_kind_display(),
            e.get_category_display(),
            e.movement.name,
            e.year,
            e.subject.unit.name,
            e.recognising_unit.name,
            e.decision_ref,
        ]
        for i, e in enumerate(exemplars, start=1)
    ]
    return xlsx(headers, rows, _("Điển hình"))


def subjects_xlsx(subjects) -> bytes:
    """The subject list as shown: no phone, ID number or address (back office only)."""
    headers = [
        _("STT"),
        _("Tên"),
        _("Loại"),
        _("Giới tính"),
        _("Năm sinh"),
        _("Dân tộc"),
        _("Chức vụ, nghề nghiệp"),
        _("Đơn vị"),
    ]
    rows = [
        [
            i,
            s.name,
            s.get_kind_display(),
            s.get_gender_display() if s.gender else "",
            s.birth_year or "",
            s.ethnicity,
            s.position,
            s.unit.name,
        ]
        for i, s in enumerate(subjects, start=1)
    ]
    return xlsx(headers, rows, _("Đối tượng"))
