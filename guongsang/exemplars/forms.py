import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import id_field
from guongsang.core.text import fold, search_tokens
from guongsang.units.access import Perm
from guongsang.units.choosers import SEPARATOR, ChooserSource, register, unit_chooser
from guongsang.units.forms import DateInput

from . import access as ex_access
from .models import (
    ETHNICITIES,
    CatalogueKind,
    Category,
    CriterionGroup,
    Gender,
    NominationState,
    ReviewAction,
    SubjectKind,
)


def year_choices(blank: bool = True):
    this_year = timezone.localdate().year
    years = [(y, str(y)) for y in range(this_year + 1, 2009, -1)]
    return ([("", _("Mọi năm"))] if blank else []) + years


class ExemplarSource(ChooserSource):
    """Recognised exemplars the user may see, found by the subject's name."""

    name = "dien-hinh"
    placeholder = _("Gõ tên điển hình…")

    def scoped(self, user, perm, kinds):
        return ex_access.exemplars_for(user)

    def search(self, qs, query, *, wide=False):
        for token in search_tokens(query):
            qs = qs.filter(subject__name_folded__contains=token)
        return qs.order_by("subject__name_folded", "-year", "pk")

    def label(self, obj) -> str:
        return f"{obj.subject.name} ({obj.year}){SEPARATOR}{obj.subject.unit.name}"

    def resolve(self, qs, text):
        name = text.partition(SEPARATOR)[0].strip()
        year = re.fullmatch(r"(.*?)\s*\((\d{4})\)", name)
        if year:
            name, qs = year.group(1), qs.filter(year=int(year.group(2)))
        matches = list(qs.filter(subject__name_folded=fold(name)).order_by("-year", "pk")[:6])
        if not matches:
            matches = list(self.search(qs, name)[:6])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                gettext("Không tìm thấy điển hình “%(text)s” trong phạm vi của bạn.")
                % {"text": text},
                code="not_found",
            )
        raise self._ambiguous(text, [self.label(e) for e in matches[:5]])


register(ExemplarSource())

# Units that issue movements, rounds and criteria (the views offer these, minus branches and groups).
ISSUING_KINDS = ["central", "province", "district", "commune", "department", "affiliate"]


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=CatalogueKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=300)
    unit = unit_chooser(label=_("Đơn vị phát động"), perm=Perm.EDIT, kinds=ISSUING_KINDS)
    start_year = forms.IntegerField(label=_("Từ năm"), min_value=1945, max_value=2100)
    end_year = forms.IntegerField(
        label=_("Đến năm"), min_value=1945, max_value=2100, required=False
    )
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Tên đợt xét"), max_length=300)
    unit = unit_chooser(
        label=_("Cấp tổ chức xét (cấp công nhận)"), perm=Perm.MANAGE, kinds=ISSUING_KINDS
    )
    movement = forms.ModelChoiceField(label=_("Phong trào"), queryset=None, required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Hạn gửi hồ sơ"), widget=DateInput())

    def __init__(self, *args, units, movements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["movement"].queryset = movements


class CriteriaSetForm(forms.Form):
    name = forms.CharField(label=_("Tên bộ tiêu chí"), max_length=300)
    unit = unit_chooser(label=_("Đơn vị ban hành"), perm=Perm.EDIT, kinds=ISSUING_KINDS)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    movement = forms.ModelChoiceField(label=_("Phong trào"), queryset=None, required=False)
    source = forms.CharField(label=_("Căn cứ"), max_length=300, required=False)
    scored = forms.BooleanField(label=_("Có chấm điểm"), required=False)

    def __init__(self, *args, units, movements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["movement"].queryset = movements


class GroupForm(forms.Form):
    subject_kind = forms.ChoiceField(label=_("Áp dụng cho"), choices=CriterionGroup.KIND_CHOICES)
    title = forms.CharField(label=_("Tên nhóm tiêu chí"), max_length=300)


class CriterionForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Nhóm"), coerce=int)
    text = forms.CharField(label=_("Nội dung tiêu chí"), widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("Bắt buộc"), required=False, initial=True)
    evidence_required = forms.BooleanField(label=_("Cần minh chứng"), required=False)
    max_points = forms.DecimalField(
        label=_("Điểm tối đa"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    prerequisite_title = forms.CharField(
        label=_("Danh hiệu phải có"), max_length=200, required=False
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.title) for g in groups]


class SubjectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đối tượng"), choices=SubjectKind.choices)
    unit = unit_chooser(label=_("Đơn vị quản lý"), perm=Perm.EDIT)
    name = forms.CharField(label=_("Tên tập thể / họ và tên"), max_length=200)
    gender = forms.ChoiceField(
        label=_("Giới tính"), choices=[("", "—"), *Gender.choices], required=False
    )
    birth_year = forms.IntegerField(
        label=_("Năm sinh"), required=False, min_value=1900, max_value=2100
    )
    ethnicity = forms.ChoiceField(
        label=_("Dân tộc"), choices=[("", "—")] + [(e, e) for e in ETHNICITIES], required=False
    )
    position = forms.CharField(label=_("Chức vụ, nghề nghiệp"), max_length=200, required=False)
    workplace = forms.CharField(label=_("Nơi công tác"), max_length=200, required=False)
    linked_unit = unit_chooser(
        label=_("Là đơn vị Hội (với tập thể)"), perm=Perm.EDIT, required=False
    )
    member_count = forms.IntegerField(label=_("Số thành viên"), required=False, min_value=0)
    women_percent = forms.DecimalField(
        label=_("Tỷ lệ nữ (%)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    phone = forms.CharField(label=_("Điện thoại (chỉ nội bộ)"), max_length=20, required=False)
    id_number = forms.CharField(label=_("Số CCCD (chỉ nội bộ)"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ (chỉ nội bộ)"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    not_duplicate = forms.BooleanField(label=_("Không phải trùng: vẫn lưu"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["linked_unit"].queryset = units


class NominationCreateForm(forms.Form):
    category = forms.ChoiceField(label=_("Loại điển hình"), choices=Category.choices)
    review_round = forms.ModelChoiceField(label=_("Đợt xét"), queryset=None)
    movement = forms.ModelChoiceField(label=_("Phong trào"), queryset=None)
    criteria_set = forms.ModelChoiceField(label=_("Bộ tiêu chí"), queryset=None)

    def __init__(self, *args, rounds, movements, criteria_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_round"].queryset = rounds
        self.fields["movement"].queryset = movements
        self.fields["criteria_set"].queryset = criteria_sets


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a.value, a.label) for a in ReviewAction if a != ReviewAction.SUBMIT]
    )
    comment = forms.CharField(
        label=_("Ý kiến / lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision_ref = forms.CharField(
        label=_("Số quyết định công nhận"), max_length=100, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp (ảnh JPG/PNG, PDF, Word, Excel)"))
    criterion = forms.TypedChoiceField(
        label=_("Minh chứng cho"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", _("Báo cáo thành tích / chung"))] + [
            (c.pk, c.text[:90]) for c in criteria
        ]


class NurtureForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=DateInput())
    text = forms.CharField(label=_("Nội dung bồi dưỡng"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplicationForm(forms.Form):
    adopting_unit = unit_chooser(
        label=_("Đơn vị nhân rộng"), perm=Perm.EDIT, kinds=["commune", "branch", "group"]
    )
    date = forms.DateField(label=_("Ngày áp dụng"), widget=DateInput())
    result = forms.CharField(
        label=_("Kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopting_unit"].queryset = units


STATE_CHOICES = [("", _("Mọi trạng thái")), *NominationState.choices]


class PastExemplarForm(forms.Form):
    """A recognition made before the software was used."""

    category = forms.ChoiceField(label=_("Loại điển hình"), choices=Category.choices)
    movement = forms.ModelChoiceField(label=_("Phong trào"), queryset=None)
    year = forms.IntegerField(label=_("Năm"), min_value=1975, max_value=2100)
    # The subject's own chain of units (a handful): a select stays small.
    recognising_unit = UnitField(label=_("Cấp công nhận"), queryset=None)
    recognised_on = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    decision_ref = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)

    def __init__(self, *args, movements, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["movement"].queryset = movements
        self.fields["recognising_unit"].queryset = units


class ListNumbersForm(forms.Form):
    """The numeric filters of the exemplar lists, bounded."""

    nam = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    phong_trao = id_field()
