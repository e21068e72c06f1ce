from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import DayInput, QueryText, id_field, year_field
from guongsang.exemplars.forms import ExemplarSource
from guongsang.exemplars.models import Category, SubjectKind
from guongsang.units.access import Perm
from guongsang.units.choosers import ChooserField, unit_chooser
from guongsang.units.forms import DateInput

from .models import ActivityForm, StoryState


class ActivityEntryForm(forms.Form):
    """The quick-entry form: a branch head fills it on a phone in under a minute."""

    date = forms.DateField(
        label=_("Ngày"),
        widget=DayInput(),
        help_text=_("Ngày/tháng/năm, ví dụ 05/03/2026."),
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/03/2026.")},
    )
    unit = unit_chooser(label=_("Đơn vị"), perm=Perm.EDIT)
    # No form is chosen for her: an untouched field must not record a conference (issue 12).
    form = forms.ModelChoiceField(
        label=_("Hình thức"),
        queryset=None,
        empty_label=_("— Chọn hình thức —"),
        error_messages={"required": _("Chọn hình thức tuyên truyền.")},
    )
    title = forms.CharField(label=_("Nội dung"), max_length=300)
    participants = forms.IntegerField(
        label=_("Số người tham dự"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    members = forms.IntegerField(
        label=_("Trong đó hội viên"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    movement = forms.ModelChoiceField(
        label=_("Phong trào, cuộc vận động"), queryset=None, required=False
    )
    exemplars = ChooserField(
        source=ExemplarSource.name,
        label=_("Điển hình được nêu"),
        multiple=True,
        required=False,
    )
    link = forms.URLField(
        label=_("Đường dẫn (bài đăng, tin)"), required=False, assume_scheme="https"
    )
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(label=_("Ảnh, tệp (không bắt buộc)"), required=False)

    def __init__(self, *args, units, movements, exemplars, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["form"].queryset = ActivityForm.objects.filter(active=True)
        self.fields["movement"].queryset = movements
        self.fields["exemplars"].queryset = exemplars
        self.fields["date"].initial = timezone.localdate()

    # Every rule the service checks on these fields is checked here too, so that all the
    # errors of one submission show together (a future date used to appear only after the
    # others were fixed); the service keeps its checks for the API and imports.
    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày hoạt động không được sau hôm nay."))
        return day

    def clean_link(self):
        from .services import link_is_valid

        link = (self.cleaned_data.get("link") or "").strip()
        if not link_is_valid(link):
            raise forms.ValidationError(
                _("Đường dẫn phải là địa chỉ web bắt đầu bằng http:// hoặc https://.")
            )
        return link

    def clean(self):
        data = super().clean()
        if (data.get("members") or 0) > (data.get("participants") or 0):
            self.add_error("members", _("Số hội viên không được lớn hơn tổng số người tham dự."))
        return data


class SavedForm(forms.Form):
    """?da_ghi=<id>: the activity just saved, named above a fresh quick-entry form."""

    da_ghi = id_field()


class ActivityFormForm(forms.Form):
    name = forms.CharField(label=_("Tên hình thức"), max_length=200)
    active = forms.BooleanField(label=_("Đang dùng"), required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))


class ConsentForm(forms.Form):
    given_by = forms.CharField(label=_("Người đồng ý"), max_length=200)
    capacity = forms.CharField(label=_("Tư cách"), max_length=200, initial=_("Bản thân"))
    given_on = forms.DateField(label=_("Ngày đồng ý"), widget=DateInput())
    purpose = forms.CharField(
        label=_("Đồng ý cho"),
        max_length=300,
        initial=_("Đăng bài viết, ảnh trên chuyên mục điển hình tiên tiến"),
    )
    scan = forms.FileField(
        label=_("Bản chụp phiếu đồng ý (ảnh hoặc PDF, không bắt buộc)"), required=False
    )


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    summary = forms.CharField(
        label=_("Tóm tắt"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Nội dung"),
        max_length=100_000,
        help_text=_(
            "Gõ như văn bản thường: để một dòng trống giữa hai đoạn. Dòng bắt đầu bằng “## ” là "
            "tiêu đề, “- ” là gạch đầu dòng, “1. ” là danh sách số; **chữ đậm**, *chữ nghiêng*, "
            "[chữ](https://địa-chỉ) là liên kết; một dòng “[ảnh 1]” đặt ảnh số 1 của bài vào đó."
        ),
        widget=forms.Textarea(attrs={"rows": 14, "data-story-editor": ""}),
    )


class StoryImageForm(forms.Form):
    image = forms.FileField(label=_("Ảnh (JPG, PNG)"))
    caption = forms.CharField(label=_("Chú thích"), max_length=300, required=False)


class StoryPick(forms.Form):
    """Which story the editor's preview renders with (absent: a new story, no photos yet)."""

    bai_viet = id_field()


def _day_field(message) -> forms.DateField:
    # As the browser's date box sends it; anything else is refused, not guessed.
    return forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": message}
    )


class ActivityFilterForm(forms.Form):
    """The activity list's query string: ids bounded, days as dates, the search refusing
    control characters."""

    hinh_thuc = id_field()
    phong_trao = id_field()
    tu = _day_field(_("“Từ ngày” không phải một ngày."))
    den = _day_field(_("“Đến ngày” không phải một ngày."))
    q = QueryText()


class PublicFilterForm(forms.Form):
    """The public list's query string (ids and a year bounded, searches refusing control
    characters, kinds among the choices)."""

    xa = id_field()
    phong_trao = id_field()
    nam = year_field()
    xa_ten = QueryText()
    q = QueryText()
    doi_tuong = forms.ChoiceField(required=False, choices=SubjectKind.choices)
    loai = forms.ChoiceField(required=False, choices=Category.choices)


class StoryListForm(forms.Form):
    trang_thai = forms.ChoiceField(required=False, choices=StoryState.choices)


class ActivityFormPick(forms.Form):
    """Which activity form the catalogue page edits (absent: a new one)."""

    pk = id_field()
