"""Reused reads: list filters, sorting the Vietnamese way, exports."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from guongsang.core.dates import day_bounds, month_parts
from guongsang.core.forms import valid_values
from guongsang.core.spreadsheets import append_row
from guongsang.units.choosers import unit_filter
from guongsang.units.models import PATH_END

from .forms import ListNumbersForm
from .models import Category, NominationState, SubjectKind
from .search import filter_by_name

# Kinds the lists' "Đơn vị" chooser suggests (any visible unit is accepted by id or code).
FILTER_KINDS = ["province", "commune", "branch"]


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
        numbers = valid_values(ListNumbersForm(get))
        unit = unit_filter(request, kinds=FILTER_KINDS).unit  # an id, or a code/name typed
        return cls(
            year=numbers.get("nam"),
            movement=numbers.get("phong_trao"),
            category=get.get("loai", "") if get.get("loai", "") in Category.values else "",
            kind=get.get("doi_tuong", "") if get.get("doi_tuong", "") in SubjectKind.values else "",
            state=get.get("trang_thai", "")
            if get.get("trang_thai", "") in NominationState.values
            else "",
            unit=unit,
            q=get.get("q", "").strip(),
        )


def _apply(qs: QuerySet, f: ListFilters, *, path_field: str) -> QuerySet:
    """The filters shared by the nomination and exemplar lists; ``path_field`` is the stored
    unit path whose subtree the "Đơn vị" filter selects."""
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
                f"{path_field}__gte": f.unit.path,
                f"{path_field}__lt": f.unit.path + PATH_END,
            }
        )
    return filter_by_name(qs, f.q, prefix="subject__")


def filter_nominations(qs: QuerySet, f: ListFilters) -> QuerySet:
    qs = _apply(qs, f, path_field="proposing_path")
    if f.state:
        qs = qs.filter(state=f.state)
    return qs.order_by(*NOMINATION_ORDER)


def filter_exemplars(qs: QuerySet, f: ListFilters) -> QuerySet:
    return _apply(qs, f, path_field="subject_path").order_by(*EXEMPLAR_ORDER)


# Orders served by indexes: subjects by their stored Vietnamese sort key (``subject_sort_idx``,
# ``subject_unit_sort_idx``); nominations and exemplars by their subject's key stored on their
# own rows (``nomination_sort_idx`` and ``nomination_path_sort_idx``; ``exemplar_year_sort_idx``),
# scoped by their own stored path, without a join.
SUBJECT_ORDER = ("sort_key", "id")
NOMINATION_ORDER = ("subject_sort_key", "id")
EXEMPLAR_ORDER = ("-year", "subject_sort_key", "id")


# The columns a row of the subject list shows (``templatetags.exemplars_lists.subject_rows``):
# the page reads only these (a subject and its unit carry timestamps and notes it never shows).
SUBJECT_ROW_FIELDS = ("name", "kind", "birth_year", "ethnicity", "unit__name")


def filter_subjects(qs: QuerySet, f: ListFilters) -> QuerySet:
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.unit is not None:
        qs = qs.filter(unit_path__gte=f.unit.path, unit_path__lt=f.unit.path + PATH_END)
    return filter_by_name(qs, f.q).order_by(*SUBJECT_ORDER)


def xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    """A one-sheet workbook: a bold header, then ``rows``; user text is written as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    append_row(ws, headers, bold=True)
    for row in rows:
        append_row(ws, row)
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
        _("Ngày quyết định"),
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
            e.decision_date,
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


# Grouped counts for summaries (reports), in SQL: ``grouping`` (reports.figures.Grouping) gives
# the scope and the bucket (the row's path prefix) on a stored unit path, ``periods`` the filter
# and the period index; one GROUP BY whatever the number of units.


def exemplars_recognised_sql(*, grouping, periods) -> tuple[str, list]:
    """(period, bucket, category, subject kind, movement id, exemplars) by the day of
    recognition and the subject's unit path stored on the exemplar."""
    from .models import Exemplar, Subject

    period, p1 = periods.index_sql("e.recognised_at", moment=True)
    bucket, p2 = grouping.bucket_sql("e.subject_path")
    scope, p3 = grouping.scope_sql("e.subject_path")
    when, p4 = periods.where_sql("e.recognised_at", moment=True)
    sql = (
        f"SELECT {period}, {bucket}, e.category, s.kind, e.movement_id, COUNT(*) "  # noqa: S608 (names from code; every value is a parameter)
        f"FROM {Exemplar._meta.db_table} e JOIN {Subject._meta.db_table} s "
        f"ON s.id = e.subject_id WHERE {scope} AND {when} GROUP BY 1, 2, 3, 4, 5"
    )
    return sql, [*p1, *p2, *p3, *p4]


def nominations_created_sql(*, grouping, periods) -> tuple[str, list]:
    """(period, bucket, current state, nominations) by the day of creation and the proposing
    unit's path stored on the nomination: from ``nomination_created_idx`` alone. When the rows
    are provinces (``grouping.province_rows``), whole months come from the table by province
    (``rollup``); then a (period, bucket, state) may come twice, which the caller adds up."""
    from .models import Nomination

    if getattr(grouping, "province_rows", False):
        return _nominations_by_month_sql(grouping=grouping, periods=periods)
    period, p1 = periods.index_sql("created_at", moment=True)
    bucket, p2 = grouping.bucket_sql("proposing_path")
    scope, p3 = grouping.scope_sql("proposing_path")
    when, p4 = periods.where_sql("created_at", moment=True)
    sql = (
        f"SELECT {period}, {bucket}, state, COUNT(*) FROM {Nomination._meta.db_table} "  # noqa: S608 (names from code; every value is a parameter)
        f"WHERE {scope} AND {when} GROUP BY 1, 2, 3"
    )
    return sql, [*p1, *p2, *p3, *p4]


def _nominations_by_month_sql(*, grouping, periods) -> tuple[str, list]:
    """One statement: each period's whole months from ``NominationProvinceMonth`` (its index
    led by the month, the months listed) and the days of its partial months from the
    nominations (a range of ``nomination_created_idx``), each part grouped on its own."""
    from .models import Nomination, NominationProvinceMonth

    ops = connection.ops
    parts, params = [], []
    for index, firsts, edges in month_parts(periods.spans):
        if firsts:
            bucket, p1 = grouping.bucket_sql("m.path")
            scope, p2 = grouping.scope_sql("m.path")
            parts.append(
                f"SELECT {int(index)}, {bucket}, m.state, SUM(m.nominations) "  # noqa: S608 (names from code; every value is a parameter)
                f"FROM {NominationProvinceMonth._meta.db_table} m "
                f"WHERE m.month IN ({', '.join(['%s'] * len(firsts))}) AND {scope} GROUP BY 2, 3"
            )
            params += [*p1, *(ops.adapt_datefield_value(d) for d in firsts), *p2]
        for a, b in edges:
            bucket, p1 = grouping.bucket_sql("n.proposing_path")
            scope, p2 = grouping.scope_sql("n.proposing_path")
            since, until = (ops.adapt_datetimefield_value(x) for x in day_bounds(a, b))
            parts.append(
                f"SELECT {int(index)}, {bucket}, n.state, COUNT(*) "  # noqa: S608 (names from code; every value is a parameter)
                f"FROM {Nomination._meta.db_table} n "
                f"WHERE n.created_at >= %s AND n.created_at < %s AND {scope} GROUP BY 2, 3"
            )
            params += [*p1, since, until, *p2]
    return " UNION ALL ".join(parts), params


def replications_dated_sql(*, grouping, periods) -> tuple[str, list]:
    """(period, bucket, replications) by the day of adoption and the adopting unit's path."""
    from .models import Replication

    period, p1 = periods.index_sql("r.date")
    bucket, p2 = grouping.bucket_sql("u.path")
    scope, p3 = grouping.scope_sql("u.path")
    when, p4 = periods.where_sql("r.date")
    sql = (
        f"SELECT {period}, {bucket}, COUNT(*) FROM {Replication._meta.db_table} r "  # noqa: S608 (names from code; every value is a parameter)
        "JOIN units_unit u ON u.id = r.adopting_unit_id "
        f"WHERE {scope} AND {when} GROUP BY 1, 2"
    )
    return sql, [*p1, *p2, *p3, *p4]


def movement_names(ids) -> dict[int, str]:
    from .models import Movement

    return dict(Movement.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
