import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import AsciiIntegerField, id_field
from guongsang.core.text import fold, search_tokens
from guongsang.units.access import Perm
from guongsang.units.choosers import SEPARATOR, ChooserSource, register, unit_chooser
from guongsang.units.forms import DateInput

from . import access as ex_access
from .models import (
    ETHNICITIES,
    CatalogueKind,
    Category,
    CriteriaSet,
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


class SubjectKindForm(forms.Form):
    """The subject kind chosen before the form (``?loai=``): it decides which fields show."""

    loai = forms.ChoiceField(choices=SubjectKind.choices)


# The fields of each kind beyond the common ones (name, back-office contacts, note). A
# household is described by its head: her name, birth year, ethnicity, and the number in it.
KIND_FIELDS = {
    SubjectKind.INDIVIDUAL: ("gender", "birth_year", "ethnicity", "position", "workplace"),
    SubjectKind.HOUSEHOLD: ("gender", "birth_year", "ethnicity", "member_count"),
    SubjectKind.COLLECTIVE: ("linked_unit", "member_count", "women_percent"),
}
KIND_ONLY_FIELDS = {name for names in KIND_FIELDS.values() for name in names}
KIND_LABELS = {
    SubjectKind.INDIVIDUAL: {"name": _("Họ và tên")},
    SubjectKind.HOUSEHOLD: {
        "name": _("Họ và tên chủ hộ"),
        "gender": _("Giới tính chủ hộ"),
        "birth_year": _("Năm sinh chủ hộ"),
        "ethnicity": _("Dân tộc"),
        "member_count": _("Số nhân khẩu"),
    },
    SubjectKind.COLLECTIVE: {"name": _("Tên tập thể"), "linked_unit": _("Là đơn vị Hội")},
}


class SubjectForm(forms.Form):
    """A subject of one kind (``kind``, chosen before): only that kind's fields are on the
    form, and ``cleaned_data`` empties the others', so a post naming them changes nothing but
    clears what an earlier kind may have left."""

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

    def __init__(self, *args, units, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["unit"].queryset = units
        self.fields["linked_unit"].queryset = units
        for name in KIND_ONLY_FIELDS - set(KIND_FIELDS[kind]):
            del self.fields[name]
        for name, label in KIND_LABELS[kind].items():
            self.fields[name].label = label
        if kind == SubjectKind.INDIVIDUAL:
            self.fields["gender"].required = True

    @property
    def kind_fields(self) -> list:
        """The bound fields of the chosen kind, in order, for the template."""
        return [self[name] for name in KIND_FIELDS[self.kind]]

    def clean(self):
        data = super().clean()
        for name in KIND_ONLY_FIELDS - set(KIND_FIELDS[self.kind]):
            data[name] = "" if name in ("gender", "ethnicity", "position", "workplace") else None
        return data


def criteria_sets_for_kind(qs: QuerySet[CriteriaSet], kind: str) -> QuerySet[CriteriaSet]:
    """Sets that say something about ``kind``: a group for that kind, or general criteria only
    (a set whose own groups are all for other kinds, say households, does not fit)."""
    groups = CriterionGroup.objects.filter(criteria_set=OuterRef("pk"))
    return qs.filter(
        Exists(groups.filter(subject_kind=kind))
        | (
            Exists(groups.filter(subject_kind=CriterionGroup.GENERAL))
            & ~Exists(groups.exclude(subject_kind__in=[CriterionGroup.GENERAL, kind]))
        )
    )


class NominationRoundForm(forms.Form):
    """The first step of a nomination (``?dot_xet=``): the round decides the movement and the
    criteria sets offered."""

    dot_xet = forms.ModelChoiceField(label=_("Đợt xét"), queryset=None)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dot_xet"].queryset = rounds
        self.fields["dot_xet"].widget.attrs["required"] = True


class NominationCreateForm(forms.Form):
    """A nomination in a chosen round. The criteria sets offered fit the subject's kind; when
    the round names a movement, its sets (and sets of no movement) come first, and a set of
    another movement is taken only once the officer confirms it (a set issued for another
    movement is usually a slip, yet a unit may still be waiting for the round's own set)."""

    category = forms.ChoiceField(label=_("Loại điển hình"), choices=Category.choices)
    movement = forms.ModelChoiceField(label=_("Phong trào"), queryset=None)
    criteria_set = forms.ModelChoiceField(label=_("Bộ tiêu chí"), queryset=None)
    other_movement = forms.BooleanField(
        label=_("Vẫn dùng bộ tiêu chí của phong trào khác"), required=False
    )

    def __init__(self, *args, review_round, kind: str, movements, criteria_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.review_round = review_round
        self.fields["movement"].queryset = movements
        if review_round.movement_id:
            self.fields["movement"].initial = review_round.movement_id
        sets = criteria_sets_for_kind(criteria_sets, kind).select_related("movement")
        self.fields["criteria_set"].queryset = sets
        wanted = review_round.movement_id
        fitting, others = [], []
        for cs in sets:
            if wanted and cs.movement_id and cs.movement_id != wanted:
                others.append((cs.pk, f"{cs} — {cs.movement.name}"))
            else:
                fitting.append((cs.pk, str(cs)))
        self.other_sets = others
        choices = [("", "—"), *fitting]
        if others:
            choices = [
                ("", "—"),
                (gettext("Phong trào của đợt xét"), fitting),
                (gettext("Phong trào khác (cần xác nhận)"), others),
            ]
        self.fields["criteria_set"].choices = choices
        if len(fitting) == 1 and not others:
            self.fields["criteria_set"].initial = fitting[0][0]
        self.needs_confirmation = False

    def clean(self):
        data = super().clean()
        chosen = data.get("criteria_set")
        wanted = self.review_round.movement
        if chosen and wanted and chosen.movement_id and chosen.movement_id != wanted.pk:
            self.needs_confirmation = True
            if not data.get("other_movement"):
                self.add_error(
                    "criteria_set",
                    gettext(
                        "Bộ tiêu chí này thuộc phong trào “%(set)s”, khác phong trào của đợt xét "
                        "“%(round)s”. Chọn bộ tiêu chí khác, hoặc đánh dấu “Vẫn dùng bộ tiêu chí "
                        "của phong trào khác”."
                    )
                    % {"set": chosen.movement.name, "round": wanted.name},
                )
        return data


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
    decision_date = forms.DateField(label=_("Ngày quyết định"), required=False, widget=DateInput())
    version = AsciiIntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


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
