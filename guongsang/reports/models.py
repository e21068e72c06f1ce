"""Report forms as data (biểu mẫu báo cáo), reporting rounds and the units' reports.

A form (``ReportForm``) is issued by a unit: sections, each with indicators (code, label, unit of
measure, type, how it adds up the tree, checks, and optionally the live figure that pre-fills
it). A form used by a round is frozen; ``services.form_new_version`` copies it.

A round (``Round``) asks every current unit of one level in the issuer's subtree for the form
over a period, with a deadline. It is a task of a plan (``plans.Task`` with ``managed_by``
"reports"), so the plan's compliance board and reminders track it: submitting a report completes
the unit's assignment, returning it reopens it.

A unit's report (``UnitReport``) holds one ``ReportValue`` per indicator, goes draft → submitted
(locked) → returned (with a reason) → submitted again, and every change is a ``ReportChange``
(append-only: who, when, old and new value).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The largest figure a report accepts (a whole union's count is far below it).
MAX_VALUE = Decimal("999999999999")


class PeriodKind(models.TextChoices):
    SIX_MONTHS = "six_months", _("6 tháng")
    YEAR = "year", _("Năm")
    TERM = "term", _("Nhiệm kỳ")
    CUSTOM = "custom", _("Khoảng thời gian khác")


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    DECIMAL = "decimal", _("Số thập phân")
    BOOLEAN = "boolean", _("Có / không")
    TEXT = "text", pgettext_lazy("value type", "Văn bản")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng")
    AVERAGE = "average", _("Trung bình")
    COUNT_YES = "count_yes", _("Đếm số đơn vị trả lời có")
    TEXTS = "texts", _("Tập hợp các ý kiến")


# Which aggregations make sense for which type.
AGGREGATIONS_FOR = {
    ValueType.INTEGER: {Aggregation.SUM, Aggregation.AVERAGE},
    ValueType.DECIMAL: {Aggregation.SUM, Aggregation.AVERAGE},
    ValueType.BOOLEAN: {Aggregation.COUNT_YES},
    ValueType.TEXT: {Aggregation.TEXTS},
}


class ReportForm(models.Model):
    issuing_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("ký hiệu biểu mẫu"), max_length=32)
    name = models.CharField(_("tên biểu mẫu"), max_length=300)
    period_kind = models.CharField(
        _("kỳ báo cáo"), max_length=16, choices=PeriodKind.choices, default=PeriodKind.YEAR
    )
    description = models.TextField(_("hướng dẫn"), blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "code", "version"], name="report_form_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name} (v{self.version})"

    @property
    def in_use(self) -> bool:
        return self.rounds.exists()


class FormSection(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(_("số thứ tự"), max_length=8, blank=True)
    title = models.CharField(_("tên phần"), max_length=300)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class Indicator(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="indicators")
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("mã chỉ tiêu"), max_length=32)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    measure = models.CharField(_("đơn vị tính"), max_length=32, blank=True)
    value_type = models.CharField(_("kiểu dữ liệu"), max_length=16, choices=ValueType.choices)
    aggregation = models.CharField(
        _("cách tổng hợp lên cấp trên"), max_length=16, choices=Aggregation.choices
    )
    required = models.BooleanField(_("bắt buộc"), default=False)
    non_negative = models.BooleanField(_("không âm"), default=True)
    at_most = models.ForeignKey(
        "self",
        verbose_name=_("không lớn hơn chỉ tiêu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Ví dụ: “trong đó hội viên” không lớn hơn “số người tham dự”."),
    )
    source = models.CharField(
        _("số liệu hệ thống điền sẵn"),
        max_length=100,
        blank=True,
        help_text=_("Mã số liệu hệ thống (ví dụ activities, exemplars.recognised)."),
    )
    help = models.CharField(_("hướng dẫn"), max_length=500, blank=True)

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.label}"

    @property
    def is_number(self) -> bool:
        return self.value_type in (ValueType.INTEGER, ValueType.DECIMAL)


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Chưa gửi yêu cầu")
    OPEN = "open", _("Đang thu báo cáo")
    CLOSED = "closed", _("Đã khóa sổ")


class Round(models.Model):
    """A request for a form from every current unit of ``level`` in ``unit``'s subtree."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    form = models.ForeignKey(
        ReportForm, verbose_name=_("biểu mẫu"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("tên đợt báo cáo"), max_length=300)
    level = models.CharField(_("cấp báo cáo"), max_length=16)
    period_kind = models.CharField(_("kỳ báo cáo"), max_length=16, choices=PeriodKind.choices)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn nộp"))
    state = models.CharField(max_length=8, choices=RoundState.choices, default=RoundState.DRAFT)
    # Moves on every submission and return: the key of the cached roll-up of the round.
    revision = models.PositiveIntegerField(default=0, editable=False)
    task = models.OneToOneField(
        "plans.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="report_round"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-period_end", "-pk"]
        indexes = [models.Index(fields=["unit", "period_end"], name="round_unit_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("Ngày kết thúc kỳ báo cáo trước ngày bắt đầu.")})


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Trả lại để sửa")


class UnitReport(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    # Derived (``fill_derived``): the unit's path, so a rollup selects a subtree's reports by range.
    unit_path = models.CharField(max_length=255, editable=False, default="")
    state = models.CharField(max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="unit_report_unique")]
        indexes = [
            models.Index(fields=["round", "state", "unit_path"], name="unit_report_round_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.unit_id}"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Columns derived from others; ``save`` calls it, bulk writers must call it too."""
        if UnitReport.unit.field.is_cached(self) or not self.unit_path:
            self.unit_path = self.unit.path

    @property
    def is_locked(self) -> bool:
        return self.state == ReportState.SUBMITTED


class ReportValue(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    flag = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)
    # What the system's figures said when the report was pre-filled (None: no source).
    system_number = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("ghi chú điều chỉnh"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="report_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.indicator_id}"

    def display(self) -> str:
        """The value as text, the same in the history, the screen and the documents."""
        if self.flag is not None:
            return str(_("Có")) if self.flag else str(_("Không"))
        if self.number is not None:
            return format_number(self.number)
        return self.text


def format_number(value: Decimal | int | None) -> str:
    """Vietnamese number format: 1.234.567 and 12,5 (no trailing zero decimals)."""
    if value is None:
        return ""
    value = Decimal(value)
    whole = value == value.to_integral_value()
    text = f"{value:,.0f}" if whole else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


class ChangeAction(models.TextChoices):
    EDIT = "edit", _("Sửa số liệu")
    SUBMIT = "submit", _("Nộp báo cáo")
    RETURN = "return", _("Trả lại")


class ReportChange(models.Model):
    """One change to a report. Append-only: changes are never edited or deleted."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=8, choices=ChangeAction.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Report changes are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Report changes are append-only.")
