"""Forms of the schedule and scoring pages: every input is parsed here, the services check the
rules (rights, states, versions, each criterion's maximum)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import (
    ID_MAX,
    AsciiIntegerField,
    DayInput,
    QueryText,
    QuickTextarea,
    QuickTextInput,
    year_field,
)
from guongsang.reports.forms import TextField

from .models import PointsCriterion, ScoreState
from .services import points_text

# "12", "12,5", "12.5", "-3" (refused below with the bounds): ASCII digits only, so "²" or
# another script's digits are refused rather than read, and "1e9" is no number.
_POINTS = re.compile(r"-?\d{1,6}(?:[.,]\d+)?", re.ASCII)


class PointsField(TextField):
    """Points from 0 to ``max_points``, written with a comma or a dot for the decimals."""

    widget = QuickTextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "size": "6", "class": "points-input"}
    )

    def __init__(self, *, max_points: Decimal, **kwargs):
        self.max_points = max_points
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = "12"

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        compact = value.strip().replace(" ", "")
        if len(compact) > 12:
            raise ValidationError(_("Số điểm quá dài."), code="too_long")
        if not _POINTS.fullmatch(compact):
            raise ValidationError(
                _("Điểm phải là số viết bằng chữ số 0–9, ví dụ 12 hoặc 12,5."), code="invalid"
            )
        number = Decimal(compact.replace(",", "."))
        if number < 0 or number > self.max_points:
            raise ValidationError(
                _("Điểm phải từ 0 đến %(max)s."),
                code="bounds",
                params={"max": points_text(self.max_points)},
            )
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError(_("Chỉ ghi tối đa 2 chữ số sau dấu phẩy."), code="decimals")
        return number


def points_name(c: PointsCriterion) -> str:
    return f"p{c.pk}"


def note_name(c: PointsCriterion) -> str:
    return f"n{c.pk}"


class LinesForm(forms.Form):
    """One points input and one note per criterion, for one step (``step``: self, check or
    final), with the version of the score the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)

    def __init__(self, *args, criteria: list[PointsCriterion], initial_lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_lines = initial_lines or {}
        for c in criteria:
            points, note = initial_lines.get(c.pk, (None, ""))
            self.fields[points_name(c)] = PointsField(
                max_points=c.max_points,
                label=f"{c.code} {c.text}",
                initial=points_text(points) if points is not None else "",
            )
            self.fields[note_name(c)] = TextField(
                label=_("Ghi chú"),
                required=False,
                max_length=2000,
                initial=note,
                widget=QuickTextarea(attrs={"rows": 2}),
            )

    def entries(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            c.pk: {"points": data.get(points_name(c)), "note": data.get(note_name(c)) or ""}
            for c in self.criteria
        }


# The self-score form's buttons: save, submit, save and choose evidence for a criterion, save
# and drop one piece of evidence ("drop:<criterion id>:<index>").
_ACTION = re.compile(r"save|submit|evidence:\d{1,10}|drop:\d{1,10}:\d{1,3}", re.ASCII)


def parse_action(value) -> tuple[str, int | None, int | None]:
    value = value if isinstance(value, str) else ""
    if not _ACTION.fullmatch(value):
        return "save", None, None
    parts = value.split(":")
    if parts[0] == "evidence":
        return "evidence", int(parts[1]), None
    if parts[0] == "drop":
        return "drop", int(parts[1]), int(parts[2])
    return parts[0], None, None


class ReturnForm(forms.Form):
    reason = TextField(
        label=_("Lý do trả lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ghi lý do trả lại.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)


class EvidenceSearchForm(forms.Form):
    q = QueryText(label=_("Tìm hoạt động, báo cáo, điển hình của năm"), max_length=100)


EVIDENCE_KINDS = [
    ("activity", _("Hoạt động")),
    ("report", _("Báo cáo")),
    ("exemplar", _("Điển hình")),
]


class EvidencePickForm(forms.Form):
    kind = forms.ChoiceField(choices=EVIDENCE_KINDS)
    item = AsciiIntegerField(min_value=1, max_value=ID_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)


class EvidenceLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Đường dẫn (URL)"),
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Nhập một đường dẫn hợp lệ, ví dụ https://…")},
    )
    label = TextField(label=_("Mô tả"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)


class OpenForm(forms.Form):
    unit = AsciiIntegerField(min_value=1, max_value=ID_MAX)


class ScoreFilterForm(forms.Form):
    lich = AsciiIntegerField(required=False, min_value=1, max_value=ID_MAX)
    cum = AsciiIntegerField(required=False, min_value=1, max_value=ID_MAX)
    trang_thai = forms.ChoiceField(required=False, choices=[("", "")] + ScoreState.choices)
    nam = year_field()


class ScheduleForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Đơn vị tổ chức"), queryset=None)
    table = forms.ModelChoiceField(label=_("Bảng điểm"), queryset=None)
    self_deadline = forms.DateField(label=_("Hạn tự chấm"), widget=DayInput())
    check_deadline = forms.DateField(label=_("Hạn chấm chéo"), widget=DayInput())
    final_deadline = forms.DateField(label=_("Hạn chốt điểm"), widget=DayInput())

    def __init__(self, *args, organisers, tables, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["table"].queryset = tables
        self.fields["table"].label_from_instance = lambda t: (
            f"{t.name} · {t.year} · v{t.version} ({t.issuing_unit.name})"
        )
        for name in ("self_deadline", "check_deadline", "final_deadline"):
            self.fields[name].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
            self.fields[name].error_messages["invalid"] = _("Nhập ngày theo dạng ngày/tháng/năm.")
