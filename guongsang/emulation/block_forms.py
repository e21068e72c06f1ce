"""Forms of the block, pledge and points-table pages: every input parsed here, bounded, control
characters refused with a Vietnamese message."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import (
    ID_MAX,
    AsciiIntegerField,
    DayInput,
    refuse_control_characters,
    year_field,
)
from guongsang.units.models import UnitKind

from .figures import figure_choices
from .models import BlockKind, CriterionKind, Pledge
from .pledges import MAX_TARGETS, TARGET_MAX
from .ranking import TIE_BREAKS


class Text(forms.CharField):
    """Text of a name or a note: control characters (NUL...) refused in Vietnamese."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(refuse_control_characters)


class AsciiDecimalField(forms.DecimalField):
    """A number written with the digits 0-9 (Python's Decimal also reads "１２" as 12)."""

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def points_field(label, **kwargs) -> forms.DecimalField:
    kwargs.setdefault("min_value", Decimal("0"))
    kwargs.setdefault("max_value", Decimal("1000"))
    bounds = format_lazy(
        _("Điểm phải từ {min} đến {max}."),
        min=str(kwargs["min_value"]).replace(".", ","),
        max=str(kwargs["max_value"]),
    )
    kwargs["error_messages"] = {
        "min_value": bounds,
        "max_value": bounds,
        "invalid": _("Nhập một số, ví dụ 7,5."),
        "max_digits": bounds,
        "max_whole_digits": bounds,
    }
    return AsciiDecimalField(
        label=label,
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "6"}),
        **kwargs,
    )


class YearForm(forms.Form):
    """``?nam=`` of the home page and the tables list (the current year when absent)."""

    nam = year_field()


class OrganiserQuery(forms.Form):
    """``?don_vi=&nam=`` naming where a new block or table goes."""

    don_vi = AsciiIntegerField(min_value=1, max_value=ID_MAX)
    nam = year_field()


class CopyForm(forms.Form):
    don_vi = AsciiIntegerField(min_value=1, max_value=ID_MAX)
    nam = year_field()


class BlockForm(forms.Form):
    """A block: its name, kind, members (check boxes of the organiser's units one level down)
    and, among them, its leader and deputy."""

    name = Text(label=_("Tên cụm, khối"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=BlockKind.choices)
    members = forms.TypedMultipleChoiceField(
        label=_("Đơn vị trong cụm, khối"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Chọn các đơn vị của cụm, khối."),
            "invalid_choice": _("Đơn vị đã chọn không thuộc đơn vị tổ chức."),
        },
    )
    leader = forms.TypedChoiceField(
        label=_("Đơn vị cụm trưởng"), coerce=int, required=False, empty_value=None
    )
    deputy = forms.TypedChoiceField(
        label=_("Đơn vị cụm phó"), coerce=int, required=False, empty_value=None
    )
    note = Text(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units, taken=None, **kwargs):
        """``units``: the candidate units; ``taken``: {unit id: name of the other block of the
        year it is already in}, shown beside it."""
        super().__init__(*args, **kwargs)
        taken = taken or {}
        self.units = {u.pk: u for u in units}
        self.fields["members"].choices = [
            (u.pk, f"{u.name} ({taken[u.pk]})" if u.pk in taken else u.name) for u in units
        ]
        pick = [("", _("— Chưa chọn —"))] + [(u.pk, u.name) for u in units]
        self.fields["leader"].choices = pick
        self.fields["deputy"].choices = pick
        invalid = _("Chọn một đơn vị trong danh sách.")
        self.fields["leader"].error_messages["invalid_choice"] = invalid
        self.fields["deputy"].error_messages["invalid_choice"] = invalid

    def unit(self, pk):
        return None if pk is None else self.units.get(pk)


class TargetForm(forms.Form):
    text = Text(label=_("Chỉ tiêu"), max_length=500, required=False)
    indicator = forms.ModelChoiceField(
        label=_("Theo chỉ tiêu của biểu mẫu báo cáo"),
        queryset=None,
        required=False,
        empty_label=_("— Chỉ tiêu tự ghi —"),
        error_messages={"invalid_choice": _("Chọn một chỉ tiêu trong danh sách.")},
    )
    target = AsciiDecimalField(
        label=_("Mức đăng ký"),
        required=False,
        min_value=Decimal("0"),
        max_value=TARGET_MAX,
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = indicator_label


def indicator_label(i) -> str:
    """ "KH53-NAM · TT. Tổng số hoạt động (cuộc)", the form's version named from the second."""
    form = f"{i.form.code} v{i.form.version}" if i.form.version > 1 else i.form.code
    return f"{form} · {i.code}. {i.label}" + (f" ({i.measure})" if i.measure else "")


TargetFormSet = forms.formset_factory(
    TargetForm, extra=3, max_num=MAX_TARGETS, absolute_max=MAX_TARGETS, validate_max=True
)


class PledgeForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Ngày ký"),
        required=False,
        widget=DayInput(),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 20/02/2026.")},
    )
    note = Text(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document = forms.FileField(
        label=_("Văn bản giao ước đã ký (PDF, JPG, PNG hoặc DOCX)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )
    remove_document = forms.BooleanField(label=_("Bỏ văn bản đã tải lên"), required=False)

    @classmethod
    def initial_of(cls, pledge: Pledge | None) -> dict:
        if pledge is None:
            return {}
        return {"signed_on": pledge.signed_on, "note": pledge.note}


# ---- points tables ----------------------------------------------------------------------------
def level_choices(organiser_kind: str) -> list[tuple[str, str]]:
    """Kinds of unit that sit right below the organiser's kind, today's first."""
    from guongsang.units.models import ALLOWED_PARENT_KINDS

    kinds = [k for k in UnitKind if organiser_kind in ALLOWED_PARENT_KINDS[k]]
    kinds.sort(key=lambda k: k == UnitKind.DISTRICT)  # districts only until 30/6/2025
    return [(k.value, k.label) for k in kinds]


TIE_CHOICES = [("", _("— Không —"))] + [(k, v) for k, v in TIE_BREAKS.items()]


class TableForm(forms.Form):
    issuing_unit = forms.TypedChoiceField(label=_("Đơn vị ban hành"), coerce=int)
    name = Text(label=_("Tên bảng điểm"), max_length=300)
    year = year_field()
    level = forms.ChoiceField(label=_("Cấp được chấm"))
    excellent_from = points_field(_("Xuất sắc từ (điểm)"), initial=Decimal("95"))
    good_from = points_field(_("Tốt từ (điểm)"), initial=Decimal("85"))
    fair_from = points_field(_("Khá từ (điểm)"), initial=Decimal("70"))
    tie_1 = forms.ChoiceField(label=_("Khi bằng điểm, xét trước"), choices=TIE_CHOICES)
    tie_2 = forms.ChoiceField(label=_("rồi đến"), choices=TIE_CHOICES, required=False)
    tie_3 = forms.ChoiceField(label=_("rồi đến"), choices=TIE_CHOICES, required=False)

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisers = {u.pk: u for u in organisers}
        self.fields["year"].required = True
        self.fields["year"].label = _("Năm")
        self.fields["issuing_unit"].choices = [(u.pk, u.name) for u in organisers]
        kinds = {u.kind for u in organisers}
        choices: dict[str, str] = {}
        for kind in kinds:
            choices.update(level_choices(kind))
        self.fields["level"].choices = list(choices.items())
        if len(organisers) == 1:
            self.fields["issuing_unit"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        order = [cleaned.get(f"tie_{n}") for n in (1, 2, 3)]
        order = [k for k in order if k]
        if len(order) != len(set(order)):
            self.add_error("tie_2", _("Mỗi cách xét chỉ chọn một lần."))
        cleaned["tie_break"] = ",".join(order)
        organiser = self.organisers.get(cleaned.get("issuing_unit"))
        level = cleaned.get("level")
        if organiser is not None and level and level not in dict(level_choices(organiser.kind)):
            self.add_error("level", _("Cấp này không trực thuộc đơn vị ban hành."))
        cleaned["organiser"] = organiser
        return cleaned


class GroupForm(forms.Form):
    code = Text(label=_("Mục (I, II...)"), max_length=10)
    title = Text(label=_("Tên nhóm tiêu chí"), max_length=300)


def _figure_field() -> forms.Field:
    return forms.ChoiceField(label=_("Số liệu tham khảo"), choices=figure_choices, required=False)


class CriterionForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Thuộc nhóm"), coerce=int)
    code = Text(label=_("Số (1.1, 1.2...)"), max_length=10)
    text = Text(label=_("Tiêu chí"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Loại"), choices=CriterionKind.choices)
    max_points = points_field(_("Điểm tối đa"), min_value=Decimal("0.01"))
    evidence_required = forms.BooleanField(label=_("Cần minh chứng"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {g.pk: g for g in groups}
        self.fields["group"].choices = [(g.pk, f"{g.code}. {g.title}") for g in groups]
        self.fields["figure"] = _figure_field()
