"""Forms of the proposal pages: every input parsed here (ids bounded, ASCII digits, control
characters refused), nothing read from ``request.POST`` by hand."""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guongsang.core.forms import ID_MAX, AsciiIntegerField, QueryText, refuse_control_characters

from .models import AwardType

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class TextField(forms.CharField):
    """Free text: bounded, control characters refused with a Vietnamese message."""

    def __init__(self, *, max_length: int, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(refuse_control_characters)


class LongText(TextField):
    """Several lines: line breaks and tabs are kept (``refuse_control_characters`` allows them)."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.Textarea(attrs={"rows": 6}), **kwargs)


def date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Nhập ngày."), "invalid": _("Ngày không hợp lệ.")},
    )


def id_required(label, *, message) -> AsciiIntegerField:
    return AsciiIntegerField(
        label=label,
        min_value=1,
        max_value=ID_MAX,
        error_messages={
            "required": message,
            "invalid": _("Mã số không hợp lệ."),
            "min_value": _("Mã số không hợp lệ."),
            "max_value": _("Mã số không hợp lệ."),
        },
    )


class RoundForm(forms.Form):
    title = TextField(label=_("Tên đợt"), max_length=300, required=True)
    year = AsciiIntegerField(
        label=_("Năm"),
        min_value=1945,
        max_value=2100,
        error_messages={
            "required": _("Nhập năm."),
            "invalid": _("Năm phải là số."),
            "min_value": _("Năm phải từ 1945 đến 2100."),
            "max_value": _("Năm phải từ 1945 đến 2100."),
        },
    )
    period_start = date_field(_("Thành tích từ ngày"))
    period_end = date_field(_("Đến ngày"))
    deadline = date_field(_("Hạn gửi đề nghị"))
    award_types = forms.ModelMultipleChoiceField(
        label=_("Danh hiệu, hình thức được đề nghị (để trống: mọi danh hiệu cấp này được tặng)"),
        queryset=AwardType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Lựa chọn không hợp lệ."),
            "invalid_pk_value": _("Lựa chọn không hợp lệ."),
        },
    )
    note = LongText(label=_("Hướng dẫn"), max_length=5000)

    def __init__(self, data=None, *, unit=None, **kwargs):
        super().__init__(data, **kwargs)
        year = timezone.localdate().year
        self.fields["year"].initial = year
        qs = AwardType.objects.filter(active=True).order_by("kind", "rank", "name")
        if unit is not None:
            ids = [t.pk for t in qs if unit.kind in (t.conferring_levels or [])]
            qs = qs.filter(pk__in=ids)
        self.fields["award_types"].queryset = qs


class OpenForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị đề nghị"),
        queryset=None,
        error_messages={
            "required": _("Chọn đơn vị."),
            "invalid_choice": _("Đơn vị không hợp lệ."),
        },
    )

    def __init__(self, data=None, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = units


class SubjectSearch(forms.Form):
    q = QueryText(label=_("Tìm đối tượng theo tên"), max_length=100)


class _TypeChoice(forms.Form):
    danh_hieu = forms.ChoiceField(
        label=_("Danh hiệu, hình thức đề nghị"),
        error_messages={
            "required": _("Chọn danh hiệu hoặc hình thức khen thưởng."),
            "invalid_choice": _("Danh hiệu, hình thức này không được đề nghị trong đợt."),
        },
    )

    def __init__(self, data=None, *, types: list[AwardType], **kwargs):
        super().__init__(data, **kwargs)
        self.types = {t.code: t for t in types}
        self.fields["danh_hieu"].choices = [("", _("— Chọn —"))] + [(t.code, t.name) for t in types]

    def clean_danh_hieu(self) -> AwardType:
        return self.types[self.cleaned_data["danh_hieu"]]


class ItemAddForm(_TypeChoice):
    doi_tuong = id_required(_("Đối tượng"), message=_("Chọn đối tượng."))
    summary = TextField(label=_("Tóm tắt thành tích"), max_length=500)
    achievements = LongText(label=_("Báo cáo thành tích"), max_length=50000)


class ExemplarsForm(_TypeChoice):
    pass


class ItemEditForm(_TypeChoice):
    summary = TextField(label=_("Tóm tắt thành tích"), max_length=500)
    achievements = LongText(label=_("Báo cáo thành tích"), max_length=50000)


class VersionForm(forms.Form):
    version = AsciiIntegerField(
        min_value=0,
        max_value=ID_MAX,
        error_messages={
            "required": _("Thiếu phiên bản; hãy tải lại trang."),
            "invalid": _("Phiên bản không hợp lệ; hãy tải lại trang."),
            "min_value": _("Phiên bản không hợp lệ; hãy tải lại trang."),
            "max_value": _("Phiên bản không hợp lệ; hãy tải lại trang."),
        },
    )


class ReviewForm(VersionForm):
    action = forms.ChoiceField(
        choices=[
            ("forward", _("Chuyển cấp trên")),
            ("accept", _("Tiếp nhận")),
            ("return", _("Trả lại")),
            ("reject", pgettext_lazy("review action", "Không chấp nhận")),
        ],
        error_messages={
            "invalid_choice": _("Thao tác không hợp lệ."),
            "required": _("Chọn thao tác."),
        },
    )
    reason = LongText(
        label=_("Ý kiến, lý do (bắt buộc khi trả lại hoặc không chấp nhận)"), max_length=2000
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp minh chứng (PDF, ảnh, Word, Excel)"),
        error_messages={"required": _("Chọn một tệp để tải lên."), "empty": _("Tệp rỗng.")},
    )


class QueueForm(forms.Form):
    cap_duoi = forms.BooleanField(required=False)
