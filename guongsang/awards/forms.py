from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guongsang.units.forms import DateInput
from guongsang.units.models import UnitKind

from .models import AwardKind, AwardType, Severity, VoteBase

GDVH = "gia-dinh-van-hoa"


class NoControlCharsMixin:
    """Text fields refuse control characters (Django's own check refuses NUL only)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and any(
                (ord(ch) < 32 and ch not in "\t\n\r") or ch == "\x7f" for ch in value
            ):
                self.add_error(name, _("Có ký tự không hợp lệ."))
        return cleaned


class AwardTypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AwardType) -> str:
        return obj.name


class AwardForm(NoControlCharsMixin, forms.Form):
    """One entry of a subject's award history: a catalogue entry that applies to the subject's
    kind, or a name typed as written on the decision."""

    award_type = AwardTypeChoice(
        label=_("Danh hiệu, hình thức"),
        queryset=AwardType.objects.none(),
        required=False,
        empty_label=_("— Chọn trong danh mục —"),
    )
    name = forms.CharField(
        label=_("Hoặc ghi tên (không có trong danh mục)"), max_length=200, required=False
    )
    year = forms.IntegerField(label=_("Năm"), min_value=1945, max_value=2100)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    decision_date = forms.DateField(label=_("Ngày quyết định"), required=False, widget=DateInput())
    conferred_by = forms.CharField(label=_("Cấp tặng"), max_length=200, required=False)

    def __init__(self, *args, subject_kind: str, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        choices = AwardType.objects.filter(active=True, **{f"for_{subject_kind}": True})
        self.fields["award_type"].queryset = choices.order_by("kind", "rank", "name")
        if not self.is_bound and "award_type" not in self.initial:
            # The title most pages record before a nomination: "Gia đình văn hóa".
            cultured = next((t for t in self.fields["award_type"].queryset if t.code == GDVH), None)
            if cultured is not None:
                self.initial["award_type"] = cultured.pk

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("award_type") and not (cleaned.get("name") or "").strip():
            if "award_type" not in self.errors and "name" not in self.errors:
                raise ValidationError(_("Chọn danh hiệu, hình thức khen thưởng hoặc nhập tên."))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))


LEVEL_CHOICES = [
    (k.value, k.label)
    for k in (UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.BRANCH)
]


class AwardTypeForm(NoControlCharsMixin, forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=AwardKind.choices)
    for_collective = forms.BooleanField(label=_("Cho tập thể"), required=False)
    for_individual = forms.BooleanField(label=_("Cho cá nhân"), required=False)
    for_household = forms.BooleanField(label=_("Cho hộ gia đình"), required=False)
    conferring_levels = forms.MultipleChoiceField(
        label=_("Cấp của Hội được tặng"),
        choices=LEVEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quorum = forms.DecimalField(
        label=_("Tỷ lệ có mặt tối thiểu (0–1)"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        localize=True,
    )
    approval = forms.DecimalField(
        label=_("Tỷ lệ tán thành tối thiểu (0–1)"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        localize=True,
    )
    vote_base = forms.ChoiceField(label=_("Tỷ lệ tán thành tính trên"), choices=VoteBase.choices)
    secret_ballot = forms.BooleanField(label=_("Bỏ phiếu kín"), required=False)
    prize_multiple = forms.DecimalField(
        label=_("Hệ số tiền thưởng (lần lương cơ sở)"),
        required=False,
        min_value=0,
        max_value=999,
        max_digits=5,
        decimal_places=2,
        localize=True,
    )
    rank = forms.IntegerField(label=_("Thứ bậc"), min_value=0, max_value=1000)
    active = forms.BooleanField(label=_("Đang dùng"), required=False)
    note = forms.CharField(
        label=_("Căn cứ, ghi chú"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RuleForm(NoControlCharsMixin, forms.Form):
    severity = forms.ChoiceField(label=_("Mức"), choices=Severity.choices)
    years = forms.IntegerField(label=_("Số năm"), min_value=0, max_value=100)
    ends_year_before = forms.BooleanField(
        label=_("Chuỗi năm liên tục kết thúc ở năm trước năm đề nghị"),
        help_text=_("Bỏ chọn để tính cả năm đề nghị (chỉ dùng cho điều kiện liên tục nhiều năm)."),
        required=False,
    )
    share = forms.DecimalField(
        label=_("Tỷ lệ tối đa (0–1)"),
        required=False,
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        localize=True,
    )
    active = forms.BooleanField(label=_("Đang áp dụng"), required=False)


class BaseSalaryForm(NoControlCharsMixin, forms.Form):
    valid_from = forms.DateField(label=_("Áp dụng từ ngày"), widget=DateInput())
    amount = forms.IntegerField(
        label=_("Mức lương cơ sở (đồng)"), min_value=1, max_value=999_999_999_999
    )
    basis = forms.CharField(label=_("Căn cứ"), max_length=200, required=False)
