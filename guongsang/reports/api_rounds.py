"""Report forms, rounds and units' reports over the JSON API: read, open, fill, submit, return.
The same access helpers (``reports.access``) and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

try:
    from ninja import Status
except ImportError:  # django-ninja < 1.5 returns (status, body) tuples

    def Status(status_code, value):  # noqa: N802
        return status_code, value


from guongsang.api.fields import Pagination
from guongsang.core.forms import ID_MAX
from guongsang.units import access as unit_access

from . import access, services
from .models import MAX_VALUE, Indicator, ReportForm, Round, UnitReport, ValueType

router = Router(tags=["reports"])


class ReportErrorOut(Schema):
    detail: str


class IndicatorOut(Schema):
    id: int
    code: str
    label: str
    measure: str
    value_type: str
    aggregation: str
    required: bool
    non_negative: bool
    at_most: str | None
    source: str
    section: str

    @staticmethod
    def resolve_at_most(obj: Indicator) -> str | None:
        return obj.at_most.code if obj.at_most_id else None

    @staticmethod
    def resolve_section(obj: Indicator) -> str:
        return str(obj.section)


class ReportFormOut(Schema):
    id: int
    code: str
    name: str
    version: int
    period_kind: str
    issuing_unit_id: int
    in_use: bool


class ReportFormDetailOut(ReportFormOut):
    description: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj: ReportForm) -> list[Indicator]:
        return services.form_indicators(obj)


class ReportRoundOut(Schema):
    id: int
    title: str
    unit_id: int
    form_id: int
    level: str
    period_kind: str
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    state: str
    document_id: int | None

    @staticmethod
    def resolve_state(obj: Round) -> str:
        return services.round_state(obj)

    @staticmethod
    def resolve_document_id(obj: Round) -> int | None:
        return obj.task.document_id if obj.task_id else None


class ValueOut(Schema):
    code: str
    number: Decimal | None
    flag: bool | None
    text: str
    system_number: Decimal | None
    note: str


class UnitReportOut(Schema):
    id: int
    round_id: int
    unit_id: int
    unit: str
    state: str
    version: int
    submitted_at: dt.datetime | None
    return_reason: str

    @staticmethod
    def resolve_unit(obj: UnitReport) -> str:
        return obj.unit.name


class UnitReportDetailOut(UnitReportOut):
    values: list[ValueOut]

    @staticmethod
    def resolve_values(obj: UnitReport) -> list[dict]:
        return [
            {
                "code": v.indicator.code,
                "number": v.number,
                "flag": v.flag,
                "text": v.text,
                "system_number": v.system_number,
                "note": v.note,
            }
            for v in obj.values.select_related("indicator").order_by(
                "indicator__section__order", "indicator__order", "indicator_id"
            )
        ]


class ValueIn(Schema):
    code: str = Field(max_length=32)
    number: str | int | float | None = None
    flag: bool | None = None
    text: str = Field("", max_length=20000)
    note: str = Field("", max_length=500)


class ReportValuesIn(Schema):
    version: int = Field(ge=1, le=ID_MAX)
    values: list[ValueIn] = Field(default_factory=list, max_length=500)
    submit: bool = False


class ReportReturnIn(Schema):
    version: int = Field(ge=1, le=ID_MAX)
    reason: str = Field(max_length=2000)


class ReportOpenIn(Schema):
    unit: int = Field(ge=1, le=ID_MAX)


def _clean_text(text: str, field: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise ValidationError({field: _("Nội dung có ký tự điều khiển không hợp lệ.")})
    return text


def _entries(report: UnitReport, values: list[ValueIn]) -> dict[int, services.Entry]:
    """The API's values as the service's entries, refusing what the page's form refuses."""
    indicators = {ind.code: ind for ind in services.form_indicators(report.round.form)}
    out: dict[int, services.Entry] = {}
    errors: dict[str, list[str]] = {}
    for item in values:
        ind = indicators.get(item.code.strip().upper())
        if ind is None:
            errors.setdefault(item.code[:32], []).append(_("Biểu mẫu không có chỉ tiêu này."))
            continue
        try:
            note = _clean_text(item.note, ind.code)
            text = _clean_text(item.text, ind.code) if ind.value_type == ValueType.TEXT else ""
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        number = None
        if ind.is_number and item.number not in (None, ""):
            raw = str(item.number).strip()
            if not raw.isascii():
                errors.setdefault(ind.code, []).append(_("Chỉ dùng các chữ số 0–9."))
                continue
            try:
                number = Decimal(raw)
            except InvalidOperation:
                errors.setdefault(ind.code, []).append(_("Hãy nhập một số."))
                continue
            if not number.is_finite() or abs(number) > MAX_VALUE:
                errors.setdefault(ind.code, []).append(_("Số quá lớn."))
                continue
        out[ind.pk] = services.Entry(
            number=number,
            flag=item.flag if ind.value_type == ValueType.BOOLEAN else None,
            text=text,
            note=note,
        )
    if errors:
        raise ValidationError(errors)
    return out


@router.get("/reports/forms", response=list[ReportFormOut])
@paginate(Pagination, page_size=50)
def form_list(request):
    """Report forms the token holder may use: issued by her units or by units above them."""
    return access.forms_for(request.user).order_by("code", "-version", "pk")


@router.get("/reports/forms/{form_id}", response={200: ReportFormDetailOut, 404: ReportErrorOut})
def form_detail(request, form_id: int):
    return access.get_form(request.user, form_id)


@router.get("/reports/rounds", response=list[ReportRoundOut])
@paginate(Pagination, page_size=50)
def round_list(request):
    """Rounds she requested or is asked in, newest period first."""
    return access.rounds_for(request.user).order_by("-period_end", "-pk")


@router.get("/reports/rounds/{round_id}", response={200: ReportRoundOut, 404: ReportErrorOut})
def round_detail(request, round_id: int):
    return access.get_round(request.user, round_id)


@router.get(
    "/reports/rounds/{round_id}/reports", response={200: list[UnitReportOut], 404: ReportErrorOut}
)
@paginate(Pagination, page_size=100)
def round_reports(request, round_id: int):
    """The round's reports the token holder may view, in tree order."""
    rnd = access.get_round(request.user, round_id)
    return access.reports_for(request.user).filter(round=rnd).order_by("unit_path", "pk")


@router.post(
    "/reports/rounds/{round_id}/open",
    response={200: UnitReportDetailOut, 400: dict, 404: ReportErrorOut},
)
def report_open(request, round_id: int, payload: ReportOpenIn):
    """Her unit's report in the round (created and pre-filled on first opening)."""
    rnd = access.get_round(request.user, round_id)
    unit = unit_access.get_unit(request.user, payload.unit)
    report = services.report_open(by=request.user, rnd=rnd, unit=unit)
    return access.get_report(request.user, report.pk)


@router.get(
    "/reports/unit-reports/{report_id}", response={200: UnitReportDetailOut, 404: ReportErrorOut}
)
def report_detail(request, report_id: int):
    return access.get_report(request.user, report_id)


@router.post(
    "/reports/unit-reports/{report_id}/values",
    response={200: UnitReportDetailOut, 400: dict, 404: ReportErrorOut},
)
def report_values(request, report_id: int, payload: ReportValuesIn):
    """Save values (all or nothing; each problem keyed by indicator code), and submit if asked.
    ``version`` is the report's version as read: a stale one is refused."""
    report = access.get_report(request.user, report_id)
    if not access.may_fill(request.user, report):
        raise ValidationError(_("Bạn không thể sửa báo cáo của đơn vị này."))
    try:
        entries = _entries(report, payload.values)
        services.report_save(
            by=request.user,
            report=report,
            entries=entries,
            expected_version=payload.version,
            submit=payload.submit,
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        return Status(400, {"detail": exc.messages, "errors": errors})
    return access.get_report(request.user, report_id)


@router.post(
    "/reports/unit-reports/{report_id}/return",
    response={200: UnitReportDetailOut, 400: dict, 404: ReportErrorOut},
)
def report_return(request, report_id: int, payload: ReportReturnIn):
    """The requesting unit sends a submitted report back, with a reason."""
    report = access.get_report(request.user, report_id)
    reason = _clean_text(payload.reason, "reason")
    services.report_return(
        by=request.user, report=report, reason=reason, expected_version=payload.version
    )
    return access.get_report(request.user, report_id)
