"""Rules of report forms, reporting rounds and the units' reports. Every write goes through here.

Access: a form is edited by whoever may edit its issuing unit, and only while no round uses it.
A round is created and its reports returned by whoever may edit the requesting unit. A report is
filled and submitted by whoever may edit the reporting unit; the requesting unit's officers
read it but do not fill it for her.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guongsang.accounts.models import User
from guongsang.notifications.models import NotificationKind
from guongsang.notifications.services import notify
from guongsang.plans import services as plan_services
from guongsang.plans.models import Assignment, DocStatus, DocType, Document, Organ, TaskKind
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.models import PATH_END, Unit, UnitKind

from .models import (
    AGGREGATIONS_FOR,
    MAX_VALUE,
    Aggregation,
    ChangeAction,
    FormSection,
    Indicator,
    PeriodKind,
    ReportChange,
    ReportForm,
    ReportState,
    ReportValue,
    Round,
    RoundState,
    UnitReport,
    ValueType,
    format_number,
)

MANAGED_BY = "reports"
# Which kinds a round may ask, below which requesting kinds.
LEVELS_BELOW = {
    UnitKind.CENTRAL: [UnitKind.PROVINCE, UnitKind.COMMUNE],
    UnitKind.PROVINCE: [UnitKind.COMMUNE, UnitKind.BRANCH],
    UnitKind.DISTRICT: [UnitKind.COMMUNE, UnitKind.BRANCH],
    UnitKind.COMMUNE: [UnitKind.BRANCH],
}


# ---- forms ------------------------------------------------------------------------------------
def _check_form_editable(by: User | None, form: ReportForm) -> None:
    access.require(by, Perm.EDIT, form.issuing_unit)
    if form.in_use:
        raise ValidationError(
            _("Biểu mẫu đã được dùng cho đợt báo cáo nên không sửa được. Hãy tạo phiên bản mới.")
        )


def _clean_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not code or not all(c.isascii() and (c.isalnum() or c in "._-") for c in code):
        raise ValidationError({"code": _("Mã chỉ gồm chữ không dấu, số, dấu chấm hoặc gạch.")})
    return code


@transaction.atomic
def form_create(
    *,
    by: User | None,
    unit: Unit,
    code: str,
    name: str,
    period_kind: str = PeriodKind.YEAR,
    description: str = "",
) -> ReportForm:
    access.require(by, Perm.EDIT, unit)
    code = _clean_code(code)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên biểu mẫu.")})
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Chọn kỳ báo cáo.")})
    if ReportForm.objects.filter(issuing_unit=unit, code=code).exists():
        raise ValidationError({"code": _("Đơn vị đã có biểu mẫu mang mã này.")})
    return ReportForm.objects.create(
        issuing_unit=unit,
        code=code,
        name=name[:300],
        period_kind=period_kind,
        description=(description or "").strip(),
        created_by=by,
    )


@transaction.atomic
def section_add(*, by: User | None, form: ReportForm, title: str, number: str = "") -> FormSection:
    _check_form_editable(by, form)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Hãy nhập tên phần.")})
    order = (form.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    return form.sections.create(title=title[:300], number=(number or "").strip()[:8], order=order)


# What an indicator adds up by when the form does not say (a set has no first element).
DEFAULT_AGGREGATION = {
    ValueType.INTEGER: Aggregation.SUM,
    ValueType.DECIMAL: Aggregation.SUM,
    ValueType.BOOLEAN: Aggregation.COUNT_YES,
    ValueType.TEXT: Aggregation.TEXTS,
}


@dataclass
class IndicatorSpec:
    code: str
    label: str
    value_type: str
    aggregation: str = ""
    measure: str = ""
    required: bool = False
    non_negative: bool = True
    at_most: str = ""  # the code of the indicator this one may not exceed
    source: str = ""
    help: str = ""


def _check_source(source: str) -> str:
    from . import figures

    source = (source or "").strip()
    if source and source not in figures.figure_registry():
        raise ValidationError(
            {"source": _("Mã số liệu hệ thống không tồn tại: %(s)s") % {"s": source}}
        )
    return source


@transaction.atomic
def indicator_add(*, by: User | None, section: FormSection, spec: IndicatorSpec) -> Indicator:
    form = section.form
    _check_form_editable(by, form)
    errors: dict[str, list[str]] = {}
    try:
        code = _clean_code(spec.code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        code = ""
    label = " ".join((spec.label or "").split())
    if not label:
        errors.setdefault("label", []).append(_("Hãy nhập tên chỉ tiêu."))
    if spec.value_type not in ValueType.values:
        errors.setdefault("value_type", []).append(_("Chọn kiểu dữ liệu."))
    aggregation = spec.aggregation or DEFAULT_AGGREGATION.get(spec.value_type, "")
    if spec.value_type in ValueType.values and aggregation not in AGGREGATIONS_FOR[spec.value_type]:
        errors.setdefault("aggregation", []).append(
            _("Cách tổng hợp này không dùng được cho kiểu dữ liệu đã chọn.")
        )
    if code and form.indicators.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Biểu mẫu đã có chỉ tiêu mang mã này."))
    at_most = None
    if spec.at_most:
        at_most = form.indicators.filter(code=spec.at_most.strip().upper()).first()
        if at_most is None or not at_most.is_number:
            errors.setdefault("at_most", []).append(
                _("Chỉ tiêu so sánh phải là một chỉ tiêu số đã có trong biểu mẫu.")
            )
    try:
        source = _check_source(spec.source)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        source = ""
    if source and spec.value_type not in (ValueType.INTEGER, ValueType.DECIMAL):
        errors.setdefault("source", []).append(_("Chỉ chỉ tiêu số mới điền sẵn được."))
    if errors:
        raise ValidationError(errors)
    order = (section.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
    return Indicator.objects.create(
        form=form,
        section=section,
        order=order,
        code=code,
        label=label[:300],
        measure=(spec.measure or "").strip()[:32],
        value_type=spec.value_type,
        aggregation=aggregation,
        required=spec.required,
        non_negative=spec.non_negative if spec.value_type != ValueType.TEXT else False,
        at_most=at_most,
        source=source,
        help=(spec.help or "").strip()[:500],
    )


@transaction.atomic
def indicator_delete(*, by: User | None, indicator: Indicator) -> None:
    _check_form_editable(by, indicator.form)
    Indicator.objects.filter(at_most=indicator).update(at_most=None)
    indicator.delete()


@transaction.atomic
def section_delete(*, by: User | None, section: FormSection) -> None:
    _check_form_editable(by, section.form)
    Indicator.objects.filter(at_most__section=section).update(at_most=None)
    section.delete()


@transaction.atomic
def form_new_version(*, by: User | None, form: ReportForm) -> ReportForm:
    """Copy a form (sections, indicators, checks) into a new, editable version."""
    access.require(by, Perm.EDIT, form.issuing_unit)
    latest = ReportForm.objects.filter(issuing_unit=form.issuing_unit, code=form.code).aggregate(
        m=Max("version")
    )["m"]
    copy = ReportForm.objects.create(
        issuing_unit=form.issuing_unit,
        code=form.code,
        name=form.name,
        period_kind=form.period_kind,
        description=form.description,
        version=latest + 1,
        previous=form,
        created_by=by,
    )
    by_code: dict[str, Indicator] = {}
    pending: list[tuple[Indicator, str]] = []
    for section in form.sections.prefetch_related("indicators__at_most"):
        new_section = copy.sections.create(
            order=section.order, number=section.number, title=section.title
        )
        for ind in section.indicators.all():
            new = Indicator.objects.create(
                form=copy,
                section=new_section,
                order=ind.order,
                code=ind.code,
                label=ind.label,
                measure=ind.measure,
                value_type=ind.value_type,
                aggregation=ind.aggregation,
                required=ind.required,
                non_negative=ind.non_negative,
                source=ind.source,
                help=ind.help,
            )
            by_code[ind.code] = new
            if ind.at_most_id:
                pending.append((new, ind.at_most.code))
    for new, code in pending:
        new.at_most = by_code[code]
        new.save(update_fields=["at_most"])
    return copy


def form_indicators(form: ReportForm | int) -> list[Indicator]:
    """The indicators of a form (given as a row or its id), in the form's order."""
    return list(
        Indicator.objects.filter(form=form)
        .select_related("section", "at_most")
        .order_by("section__order", "order", "pk")
    )


# ---- rounds -----------------------------------------------------------------------------------
@transaction.atomic
def round_create(
    *,
    by: User,
    form: ReportForm,
    unit: Unit,
    title: str,
    level: str,
    period_kind: str,
    period_start: dt.date,
    period_end: dt.date,
    deadline: dt.date,
    document: Document | None = None,
    drafting_code: str = "VP",
) -> Round:
    """A reporting round as a task of a plan: added to ``document`` (a draft of the unit's) or
    to a new công văn draft. The round opens when that document is issued (plans), which
    delivers the task to every current unit of ``level`` in the subtree."""
    access.require(by, Perm.EDIT, unit, _("Bạn không thể yêu cầu báo cáo thay đơn vị này."))
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors.setdefault("title", []).append(_("Hãy nhập tên đợt báo cáo."))
    if not ReportForm.objects.filter(pk=form.pk).filter(access.catalogue_q(by)).exists():
        errors.setdefault("form", []).append(_("Biểu mẫu không dùng được cho đơn vị này."))
    if level not in LEVELS_BELOW.get(unit.kind, []):
        errors.setdefault("level", []).append(_("Cấp báo cáo phải là cấp dưới của đơn vị yêu cầu."))
    if period_kind not in PeriodKind.values:
        errors.setdefault("period_kind", []).append(_("Chọn kỳ báo cáo."))
    if period_start and period_end and period_start > period_end:
        errors.setdefault("period_end", []).append(
            _("Ngày kết thúc kỳ báo cáo trước ngày bắt đầu.")
        )
    if deadline and period_start and deadline < period_start:
        errors.setdefault("deadline", []).append(_("Hạn nộp phải sau ngày bắt đầu kỳ báo cáo."))
    if document is not None and (document.unit_id != unit.pk or document.is_issued):
        errors.setdefault("document", []).append(
            _("Chỉ gắn được vào văn bản dự thảo của chính đơn vị.")
        )
    if not form.indicators.exists():
        errors.setdefault("form", []).append(_("Biểu mẫu chưa có chỉ tiêu nào."))
    if errors:
        raise ValidationError(errors)
    if document is None:
        document = plan_services.document_save(
            by=by,
            unit=unit,
            organ=Organ.BTV,
            doc_type=DocType.CV,
            drafting_code=drafting_code,
            abstract=_("V/v %(title)s") % {"title": title},
            body=_(
                "Đề nghị các đơn vị báo cáo theo biểu mẫu %(form)s, kỳ báo cáo từ %(start)s đến "
                "%(end)s, gửi trên Gương Sáng trước ngày %(deadline)s."
            )
            % {
                "form": form.name,
                "start": period_start.strftime("%d/%m/%Y"),
                "end": period_end.strftime("%d/%m/%Y"),
                "deadline": deadline.strftime("%d/%m/%Y"),
            },
        )
    task = plan_services.managed_task_add(
        by=by,
        document=document,
        spec=plan_services.TaskSpec(TaskKind.REPORT, title, deadline, scope=level),
        managed_by=MANAGED_BY,
    )
    rnd = Round(
        unit=unit,
        form=form,
        title=title[:300],
        level=level,
        period_kind=period_kind,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        task=task,
        created_by=by,
    )
    rnd.full_clean(exclude=["created_by", "task"])
    rnd.save()
    return rnd


def round_state(rnd: Round) -> str:
    """Open once its document is issued; closed by hand (``round_close``)."""
    if rnd.state == RoundState.CLOSED:
        return RoundState.CLOSED
    if rnd.task_id is None:
        return RoundState.DRAFT
    issued = Document.objects.filter(pk=rnd.task.document_id, status=DocStatus.ISSUED).exists()
    return RoundState.OPEN if issued else RoundState.DRAFT


@transaction.atomic
def round_close(*, by: User, rnd: Round) -> Round:
    access.require(by, Perm.EDIT, rnd.unit)
    Round.objects.filter(pk=rnd.pk).update(state=RoundState.CLOSED)
    rnd.state = RoundState.CLOSED
    return rnd


def assignment_of(rnd: Round, unit: Unit) -> Assignment | None:
    if rnd.task_id is None:
        return None
    return (
        Assignment.objects.filter(task_id=rnd.task_id, recipient__unit=unit)
        .select_related("recipient", "task")
        .first()
    )


def can_fill(by: User | None, rnd: Round, unit: Unit) -> bool:
    """The reporting unit's officers fill its report; the requesting side reads it (and may
    return it) but does not fill it for her, as an issuer never answers her own plan."""
    return access.can(by, Perm.EDIT, unit) and (
        unit.pk == rnd.unit_id or not access.can(by, Perm.EDIT, rnd.unit)
    )


# ---- a unit's report --------------------------------------------------------------------------
@transaction.atomic
def report_open(*, by: User, rnd: Round, unit: Unit) -> UnitReport:
    """The unit's report in the round, created and pre-filled from the system's figures on first
    opening. Only a unit the round asks, and only by someone who may edit it."""
    existing = UnitReport.objects.filter(round=rnd, unit=unit).first()
    if existing is not None:
        return existing
    if not can_fill(by, rnd, unit):
        raise ValidationError(_("Bạn không thể lập báo cáo cho đơn vị này."))
    if round_state(rnd) != RoundState.OPEN:
        raise ValidationError(_("Đợt báo cáo chưa mở hoặc đã khóa sổ."))
    if assignment_of(rnd, unit) is None:
        raise ValidationError(_("Đợt báo cáo này không yêu cầu đơn vị %(unit)s.") % {"unit": unit})
    report = UnitReport.objects.create(round=rnd, unit=unit)
    indicators = form_indicators(rnd.form)
    system = prefill_figures(indicators, unit, rnd.period_start, rnd.period_end)
    ReportValue.objects.bulk_create(
        [
            ReportValue(
                report=report,
                indicator=ind,
                number=system.get(ind.pk),
                system_number=system.get(ind.pk),
            )
            for ind in indicators
        ]
    )
    return report


def prefill_figures(
    indicators: list[Indicator], unit: Unit, start: dt.date, end: dt.date
) -> dict[int, Decimal]:
    from . import figures

    keys = sorted({ind.source for ind in indicators if ind.source})
    if not keys:
        return {}
    values = figures.figure_values(keys, unit, start, end)
    return {ind.pk: Decimal(values.get(ind.source) or 0) for ind in indicators if ind.source}


@dataclass
class Entry:
    """What the user typed for one indicator, already parsed by the form."""

    number: Decimal | None = None
    flag: bool | None = None
    text: str = ""
    note: str = ""


@dataclass
class Problems:
    errors: dict[int, list[str]] = field(default_factory=dict)

    def add(self, ind: Indicator, message: str) -> None:
        self.errors.setdefault(ind.pk, []).append(message)


def _lock(report: UnitReport, expected_version: int | None) -> UnitReport:
    locked = (
        UnitReport.objects.select_for_update().select_related("round", "unit").get(pk=report.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            _("Báo cáo vừa được người khác thay đổi. Hãy tải lại trang để xem bản mới nhất.")
        )
    return locked


def check_entries(
    indicators: list[Indicator],
    entries: dict[int, Entry],
    values: dict[int, ReportValue],
    *,
    submitting: bool,
) -> Problems:
    """The form's checks on what would be saved: bounds, "≤" pairs, notes on corrected system
    figures, and (when submitting) the required indicators."""
    problems = Problems()
    final = {}
    for ind in indicators:
        entry = entries.get(ind.pk)
        old = values.get(ind.pk)
        number = entry.number if entry else (old.number if old else None)
        final[ind.pk] = number
        if ind.is_number and number is not None:
            if abs(number) > MAX_VALUE:
                problems.add(ind, _("Số quá lớn."))
            if ind.non_negative and number < 0:
                problems.add(ind, _("Không được là số âm."))
            if ind.value_type == ValueType.INTEGER and number != number.to_integral_value():
                problems.add(ind, _("Chỉ tiêu này là số nguyên."))
            system = old.system_number if old else None
            note = entry.note if entry else (old.note if old else "")
            if system is not None and number != system and not note.strip():
                problems.add(
                    ind,
                    _("Số liệu hệ thống là %(n)s: hãy ghi lý do điều chỉnh.")
                    % {"n": format_number(system)},
                )
        if submitting and ind.required:
            text = entry.text if entry else (old.text if old else "")
            flag = entry.flag if entry else (old.flag if old else None)
            empty = (
                number is None
                if ind.is_number
                else flag is None
                if ind.value_type == ValueType.BOOLEAN
                else not text.strip()
            )
            if empty:
                problems.add(ind, _("Chỉ tiêu bắt buộc: hãy nhập trước khi nộp."))
    for ind in indicators:
        if (
            ind.at_most_id
            and final.get(ind.pk) is not None
            and final.get(ind.at_most_id) is not None
        ):
            if final[ind.pk] > final[ind.at_most_id]:
                problems.add(
                    ind,
                    _("Không được lớn hơn “%(other)s” (%(n)s).")
                    % {"other": ind.at_most.label, "n": format_number(final[ind.at_most_id])},
                )
    return problems


def _as_text(value: ReportValue | None, entry: Entry | None, ind: Indicator) -> tuple[str, str]:
    """(old, new) display strings for the change log."""
    old = value.display() if value else ""
    if entry is None:
        return old, old
    shown = ReportValue(number=entry.number, flag=entry.flag, text=entry.text)
    if ind.value_type == ValueType.BOOLEAN:
        shown.number = None
    return old, shown.display()


@transaction.atomic
def report_save(
    *,
    by: User,
    report: UnitReport,
    entries: dict[int, Entry],
    expected_version: int | None = None,
    submit: bool = False,
) -> UnitReport:
    """Save what was typed (and submit, if asked). All or nothing: one problem and nothing is
    written; the problems come back as a ValidationError keyed by indicator code."""
    report = _lock(report, expected_version)
    if not can_fill(by, report.round, report.unit):
        raise ValidationError(_("Bạn không thể sửa báo cáo của đơn vị này."))
    if report.is_locked:
        raise ValidationError(
            _("Báo cáo đã nộp nên không sửa được. Cấp trên có thể trả lại để sửa.")
        )
    if report.round.state == RoundState.CLOSED:
        raise ValidationError(_("Đợt báo cáo đã khóa sổ."))
    indicators = form_indicators(report.round.form)
    values = {v.indicator_id: v for v in report.values.all()}
    problems = check_entries(indicators, entries, values, submitting=submit)
    if problems.errors:
        by_id = {ind.pk: ind for ind in indicators}
        raise ValidationError({by_id[pk].code: msgs for pk, msgs in problems.errors.items()})
    changes = []
    for ind in indicators:
        entry = entries.get(ind.pk)
        if entry is None:
            continue
        value = values.get(ind.pk) or ReportValue(report=report, indicator=ind)
        old_text, new_text = _as_text(values.get(ind.pk), entry, ind)
        note = " ".join(entry.note.split())[:500]
        if old_text == new_text and note == value.note:
            continue
        value.number = entry.number if ind.is_number else None
        value.flag = entry.flag if ind.value_type == ValueType.BOOLEAN else None
        value.text = entry.text.strip() if ind.value_type == ValueType.TEXT else ""
        value.note = note
        value.save()
        changes.append(
            ReportChange(
                report=report,
                action=ChangeAction.EDIT,
                indicator=ind,
                old_value=old_text,
                new_value=new_text,
                note=note,
                by=by,
            )
        )
    ReportChange.objects.bulk_create(changes)
    report.version += 1
    if submit:
        _submit(report, by)
    report.save()
    return report


def _touch(rnd: Round) -> None:
    """A submitted report came or went: the round's cached roll-ups are stale."""
    Round.objects.filter(pk=rnd.pk).update(revision=F("revision") + 1)


def _submit(report: UnitReport, by: User) -> None:
    _touch(report.round)
    report.state = ReportState.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    ReportChange.objects.create(report=report, action=ChangeAction.SUBMIT, by=by)
    assignment = assignment_of(report.round, report.unit)
    if assignment is not None:
        plan_services.managed_assignment_done(assignment=assignment, by=by)


@transaction.atomic
def report_return(
    *, by: User, report: UnitReport, reason: str, expected_version: int | None = None
) -> UnitReport:
    """The requesting unit sends a submitted report back with a reason; the unit's task is open
    again on the plan's board until she resubmits."""
    report = _lock(report, expected_version)
    rnd = report.round
    if not access.can(by, Perm.EDIT, rnd.unit):
        raise ValidationError(_("Chỉ đơn vị yêu cầu báo cáo mới trả lại được."))
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã nộp."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    _touch(rnd)
    report.state = ReportState.RETURNED
    report.returned_at = timezone.now()
    report.return_reason = reason[:2000]
    report.version += 1
    report.save()
    ReportChange.objects.create(
        report=report, action=ChangeAction.RETURN, note=reason[:2000], by=by
    )
    assignment = assignment_of(rnd, report.unit)
    if assignment is not None:
        plan_services.managed_assignment_reopen(assignment=assignment)
    notify(
        users=plan_services.officers_of([report.unit_id]),
        text=_("Báo cáo “%(round)s” bị trả lại: %(reason)s")
        % {"round": rnd.title, "reason": reason[:200]},
        link=reverse("reports:report", args=[report.pk]),
        kind=NotificationKind.GENERAL,
        unit=report.unit,
    )
    return report


# ---- rollup -----------------------------------------------------------------------------------
@dataclass
class Rolled:
    """An indicator's figure over several reports, by its aggregation rule."""

    value: Decimal | None = None
    reports: int = 0  # how many reports gave a value
    texts: list[tuple[str, str]] = field(default_factory=list)  # (unit name, text)

    def display(self) -> str:
        return format_number(self.value) if self.value is not None else ""


def rollup(
    indicators: list[Indicator],
    reports_q: Q,
    *,
    with_texts: bool = True,
    text_limit: int = 200,
) -> dict[int, Rolled]:
    """Aggregate the submitted reports matching ``reports_q`` (a filter on UnitReport): one
    grouped query for the figures and the number of texts, and one per text indicator for its
    first ``text_limit`` texts in the units' order, whatever the number of reports."""
    ids = [ind.pk for ind in indicators]
    rows = (
        ReportValue.objects.filter(indicator_id__in=ids, report__state=ReportState.SUBMITTED)
        .filter(prefixed(reports_q))
        .values("indicator_id")
        .annotate(
            total=Sum("number"),
            mean=Avg("number"),
            yes=Count("pk", filter=Q(flag=True)),
            given=Count(
                "pk",
                filter=Q(number__isnull=False) | Q(flag__isnull=False) | ~Q(text=""),
            ),
        )
    )
    out = {pk: Rolled() for pk in ids}
    by_id = {ind.pk: ind for ind in indicators}
    for row in rows:
        ind = by_id[row["indicator_id"]]
        rolled = out[ind.pk]
        rolled.reports = row["given"]
        if ind.aggregation == Aggregation.SUM:
            rolled.value = row["total"]
        elif ind.aggregation == Aggregation.AVERAGE and row["mean"] is not None:
            rolled.value = Decimal(row["mean"]).quantize(Decimal("0.01"))
        elif ind.aggregation == Aggregation.COUNT_YES:
            rolled.value = Decimal(row["yes"])
    if with_texts:
        for ind in indicators:
            if ind.aggregation != Aggregation.TEXTS:
                continue
            out[ind.pk].texts = list(
                rolled_texts(ind, reports_q).values_list("report__unit__name", "text")[:text_limit]
            )
    return out


def rolled_texts(indicator: Indicator, reports_q: Q):
    """The non-empty texts of a text indicator in the submitted reports matching ``reports_q``,
    in the units' order (the round's index on state and unit path gives the order)."""
    return (
        ReportValue.objects.filter(indicator=indicator, report__state=ReportState.SUBMITTED)
        .filter(prefixed(reports_q))
        .exclude(text="")
        .order_by("report__unit_path", "report_id")
    )


ROLLUP_CACHE_SECONDS = 3600


def cached_rollup(rnd: Round, indicators: list[Indicator], q: Q, **kwargs) -> dict[int, Rolled]:
    """``rollup`` of a round's reports, kept until the round's next submission or return (the
    key holds its revision, read fresh) or an hour: a round page of 3,321 communes does not add
    them up on every view."""
    revision = Round.objects.filter(pk=rnd.pk).values_list("revision", flat=True).first()
    digest = hashlib.sha256(f"{q}|{sorted(kwargs.items())}".encode()).hexdigest()[:24]
    key = f"gs:rollup:{rnd.pk}:{revision}:{digest}"
    rolled = cache.get(key)
    if rolled is None:
        rolled = rollup(indicators, q, **kwargs)
        cache.set(key, rolled, ROLLUP_CACHE_SECONDS)
    return rolled


def prefixed(q: Q) -> Q:
    """``q`` written for UnitReport, re-rooted at ReportValue.report."""
    new = Q()
    new.connector, new.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            new.children.append(prefixed(child))
        else:
            key, value = child
            new.children.append((f"report__{key}", value))
    return new


def below_q(report: UnitReport) -> Q:
    """The reports the units below ``report``'s unit submitted for the same form and period (in
    any round: a commune may ask its branches with the province's form)."""
    rnd = report.round
    return Q(
        round__form_id=rnd.form_id,
        round__period_start=rnd.period_start,
        round__period_end=rnd.period_end,
        unit_path__gt=report.unit_path,
        unit_path__lt=report.unit_path + PATH_END,
    )


def round_q(rnd: Round, unit: Unit | None = None) -> Q:
    """The reports of a round, or of its units inside ``unit``'s subtree."""
    q = Q(round=rnd)
    if unit is not None:
        q &= Q(unit_path__gte=unit.path, unit_path__lt=unit.path + PATH_END)
    return q
