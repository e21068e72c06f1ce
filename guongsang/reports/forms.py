"""Forms of the report pages. Every input is parsed here; the services check the rules."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import ID_MAX
from guongsang.units.models import Unit, UnitKind

from .models import (
    MAX_VALUE,
    Aggregation,
    Indicator,
    PeriodKind,
    ReportValue,
    ValueType,
    format_number,
)
from .services import LEVELS_BELOW, Entry

NUL_MESSAGE = _("Nội dung có ký tự không hợp lệ.")


class TextField(forms.CharField):
    """A CharField that refuses NUL with a Vietnamese message before anything else runs."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
        return super().to_python(value)

    def bound_data(self, data, initial):
        # What is typed is shown again after an error, but never a NUL inside the page.
        data = super().bound_data(data, initial)
        return data.replace("\x00", "") if isinstance(data, str) else data


# Vietnamese writing: "." groups thousands, "," starts the decimals ("1.234.567", "12,5"); plain
# "1234" too. ASCII digits only: a superscript or another script's digit is refused, not read.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?", re.ASCII)


def parse_number(text: str) -> Decimal:
    """A number written the Vietnamese way, or ValidationError with a message in Vietnamese."""
    if "\x00" in text:
        raise forms.ValidationError(NUL_MESSAGE, code="nul")
    compact = text.strip().replace(" ", "")
    if len(compact) > 24:
        raise forms.ValidationError(_("Số quá lớn."), code="too_big")
    if not _NUMBER.fullmatch(compact):
        raise forms.ValidationError(
            _("“%(text)s” không phải là số. Viết số bằng chữ số 0–9, ví dụ 1.234 hoặc 12,5."),
            code="not_a_number",
            params={"text": text.strip()[:40]},
        )
    whole, _sep, decimals = compact.partition(",")
    if len(decimals) > 2:
        raise forms.ValidationError(_("Chỉ ghi tối đa 2 chữ số sau dấu phẩy."), code="decimals")
    try:
        value = Decimal(whole.replace(".", "") + ("." + decimals if decimals else ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise forms.ValidationError(_("Không đọc được số."), code="invalid") from None
    if abs(value) > MAX_VALUE:
        raise forms.ValidationError(_("Số quá lớn."), code="too_big")
    return value


class NumberField(TextField):
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_number(value)


# Django's Vietnamese catalogue leaves these in English (or words them oddly).
MESSAGES = {
    "invalid_choice": _("Hãy chọn một mục trong danh sách."),
    "max_length": _("Nội dung quá dài (tối đa %(limit_value)d ký tự)."),
}


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.localise()

    def localise(self) -> None:
        for field in self.fields.values():
            for code, message in MESSAGES.items():
                if code in field.error_messages or code == "max_length":
                    field.error_messages[code] = message
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = _("Nhập một ngày hợp lệ (ngày/tháng/năm).")
            elif isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = _("Nhập một số nguyên.")


# ---- forms (biểu mẫu) ------------------------------------------------------------------------
class ReportFormForm(Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị ban hành"), queryset=Unit.objects.none())
    code = TextField(
        label=_("Ký hiệu biểu mẫu"),
        max_length=32,
        help_text=_("Chữ không dấu, số, dấu chấm hoặc gạch, ví dụ BC-6T."),
    )
    name = TextField(label=_("Tên biểu mẫu"), max_length=300)
    period_kind = forms.ChoiceField(
        label=_("Kỳ báo cáo"), choices=PeriodKind.choices, initial=PeriodKind.SIX_MONTHS
    )
    description = TextField(
        label=_("Hướng dẫn"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.union_name


class SectionForm(Form):
    number = TextField(label=_("Số thứ tự"), max_length=8, required=False)
    title = TextField(label=_("Tên phần"), max_length=300)


class IndicatorForm(Form):
    section = forms.TypedChoiceField(label=_("Thuộc phần"), coerce=int)
    code = TextField(label=_("Mã chỉ tiêu"), max_length=32)
    label = TextField(label=_("Chỉ tiêu"), max_length=300)
    measure = TextField(label=_("Đơn vị tính"), max_length=32, required=False)
    value_type = forms.ChoiceField(label=_("Kiểu dữ liệu"), choices=ValueType.choices)
    aggregation = forms.ChoiceField(
        label=_("Cách tổng hợp lên cấp trên"),
        required=False,
        choices=[("", _("Theo kiểu dữ liệu (mặc định)"))] + list(Aggregation.choices),
    )
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)
    non_negative = forms.BooleanField(label=_("Không âm"), required=False, initial=True)
    at_most = forms.ChoiceField(label=_("Không lớn hơn chỉ tiêu"), required=False)
    source = TextField(
        label=_("Số liệu hệ thống điền sẵn"),
        max_length=100,
        required=False,
        help_text=_("Mã số liệu hệ thống, ví dụ activities hoặc exemplars.recognised."),
        widget=forms.TextInput(attrs={"list": "figure-keys", "autocomplete": "off"}),
    )
    help = TextField(label=_("Hướng dẫn"), max_length=500, required=False)

    def __init__(self, *args, sections, number_indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, str(s)) for s in sections]
        self.fields["at_most"].choices = [("", _("(không so sánh)"))] + [
            (ind.code, f"{ind.code} · {ind.label}") for ind in number_indicators
        ]


# ---- rounds -----------------------------------------------------------------------------------
LEVEL_LABELS = dict(UnitKind.choices)


class PeriodPreset:
    FIRST_HALF = "h1"
    YEAR = "year"
    CUSTOM = "custom"

    choices = [
        (FIRST_HALF, _("6 tháng đầu năm")),
        (YEAR, _("Cả năm")),
        (CUSTOM, _("Khoảng thời gian khác")),
    ]


def _year_choices():
    year = timezone.localdate().year
    return [(y, str(y)) for y in range(year + 1, year - 6, -1)]


class RoundForm(Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị yêu cầu"), queryset=Unit.objects.none())
    form = forms.ModelChoiceField(label=_("Biểu mẫu"), queryset=None)
    title = TextField(label=_("Tên đợt báo cáo"), max_length=300)
    level = forms.ChoiceField(label=_("Cấp báo cáo"))
    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        choices=PeriodPreset.choices,
        initial=PeriodPreset.FIRST_HALF,
        widget=forms.RadioSelect,
    )
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    period_start = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Chỉ cần khi chọn khoảng thời gian khác."),
    )
    period_end = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline = forms.DateField(
        label=_("Hạn nộp"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document = forms.ModelChoiceField(
        label=_("Gắn vào văn bản dự thảo"),
        required=False,
        queryset=None,
        empty_label=_("(tạo công văn mới)"),
        help_text=_("Để trống: Gương Sáng tạo một công văn dự thảo mang yêu cầu này."),
    )

    def __init__(self, *args, units, report_forms, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.union_name
        self.fields["form"].queryset = report_forms
        self.fields["form"].label_from_instance = lambda f: (
            f"{f.code} · {f.name} (v{f.version}) — {f.issuing_unit.name}"
        )
        kinds = []
        for below in LEVELS_BELOW.values():
            kinds += [k for k in below if k not in kinds]
        self.fields["level"].choices = [(k, LEVEL_LABELS[k]) for k in kinds]
        self.fields["year"].choices = [("", "")] + _year_choices()
        self.fields["year"].initial = timezone.localdate().year
        self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: (
            f"{d.get_doc_type_display()} — {d.abstract[:80]} ({d.unit.name})"
        )

    def clean(self):
        data = super().clean()
        preset = data.get("period")
        if preset in (PeriodPreset.FIRST_HALF, PeriodPreset.YEAR):
            year = data.get("year")
            if not year:
                self.add_error("year", _("Chọn năm của kỳ báo cáo."))
                return data
            data["period_kind"] = (
                PeriodKind.SIX_MONTHS if preset == PeriodPreset.FIRST_HALF else PeriodKind.YEAR
            )
            data["period_start"] = dt.date(year, 1, 1)
            data["period_end"] = (
                dt.date(year, 6, 30) if preset == PeriodPreset.FIRST_HALF else dt.date(year, 12, 31)
            )
        elif preset == PeriodPreset.CUSTOM:
            data["period_kind"] = PeriodKind.CUSTOM
            for name in ("period_start", "period_end"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Nhập ngày của kỳ báo cáo."))
        return data


class FormChoiceForm(Form):
    """``?bieu_mau=`` on the round form: the form to preselect."""

    bieu_mau = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)


class RoundFilterForm(Form):
    """The round page's query string: a state and an intermediate unit to look inside."""

    trang_thai = forms.ChoiceField(label=_("Tình trạng"), required=False)
    trong = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trang_thai"].choices = [("", _("Mọi tình trạng"))] + list(states)


# ---- a unit's report --------------------------------------------------------------------------
def value_field(ind: Indicator) -> str:
    return f"v{ind.pk}"


def note_field(ind: Indicator) -> str:
    return f"n{ind.pk}"


YES, NO = "1", "0"


class ReportEntryForm(Form):
    """One input per indicator (by its type) and a note where the system pre-filled a figure."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)

    def __init__(
        self,
        *args,
        indicators: list[Indicator],
        values: dict[int, ReportValue],
        version: int,
        **kwargs,
    ):
        self.indicators = indicators
        initial = {"version": version}
        for ind in indicators:
            value = values.get(ind.pk)
            if value is None:
                continue
            if ind.is_number:
                initial[value_field(ind)] = format_number(value.number)
            elif ind.value_type == ValueType.BOOLEAN:
                initial[value_field(ind)] = (
                    "" if value.flag is None else (YES if value.flag else NO)
                )
            else:
                initial[value_field(ind)] = value.text
            initial[note_field(ind)] = value.note
        super().__init__(*args, initial=initial, **kwargs)
        for ind in indicators:
            self.fields[value_field(ind)] = self._field_for(ind)
            self.fields[note_field(ind)] = TextField(
                label=_("Lý do điều chỉnh"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
        self.localise()

    @staticmethod
    def _field_for(ind: Indicator) -> forms.Field:
        # "required" is checked by the service on submit only: a draft may be partial.
        if ind.is_number:
            return NumberField(label=ind.label, required=False)
        if ind.value_type == ValueType.BOOLEAN:
            return forms.ChoiceField(
                label=ind.label,
                required=False,
                choices=[("", _("Chưa trả lời")), (YES, _("Có")), (NO, _("Không"))],
                widget=forms.RadioSelect,
            )
        return TextField(
            label=ind.label,
            required=False,
            max_length=20000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def entries(self) -> dict[int, Entry]:
        data = self.cleaned_data
        out = {}
        for ind in self.indicators:
            raw = data.get(value_field(ind))
            entry = Entry(note=data.get(note_field(ind)) or "")
            if ind.is_number:
                entry.number = raw
            elif ind.value_type == ValueType.BOOLEAN:
                entry.flag = None if raw in (None, "") else raw == YES
            else:
                entry.text = raw or ""
            out[ind.pk] = entry
        return out


class ReturnForm(Form):
    reason = TextField(
        label=_("Lý do trả lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi lý do trả lại.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
