from django import forms
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import QueryText, id_field, refuse_control_characters, year_field
from guongsang.units.access import Perm
from guongsang.units.choosers import unit_chooser
from guongsang.units.forms import DateInput
from guongsang.units.models import Unit, UnitKind

from .models import Authority, DocType, Organ, TaskKind

SCOPE_CHOICES = [
    ("", _("Mọi đơn vị nhận văn bản")),
    (UnitKind.PROVINCE.value, _("Tất cả tỉnh, thành phố (văn bản của Trung ương Hội)")),
    (UnitKind.COMMUNE.value, _("Tất cả xã, phường thuộc đơn vị ban hành")),
    (UnitKind.BRANCH.value, _("Tất cả chi hội thuộc đơn vị ban hành")),
    (UnitKind.DISTRICT.value, _("Tất cả huyện (trước 01/7/2025)")),
]


class RecipientsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class DocumentForm(forms.Form):
    unit = unit_chooser(
        label=_("Đơn vị ban hành"),
        perm=Perm.EDIT,
        kinds=[UnitKind.CENTRAL, UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE],
        queryset=Unit.objects.none(),
    )
    organ = forms.ChoiceField(label=_("Cơ quan ban hành"), choices=Organ.choices)
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=DocType.choices)
    drafting_code = forms.CharField(
        label=_("Ký hiệu đơn vị soạn thảo"),
        required=False,
        max_length=16,
        help_text=_("Tùy chọn; bắt buộc với công văn, ví dụ KT cho 314/BTV-KT."),
    )
    abstract = forms.CharField(
        label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    implements_ref = forms.CharField(
        label=_("Thực hiện văn bản"),
        required=False,
        max_length=200,
        help_text=_("Số, ký hiệu văn bản cấp trên, ví dụ 1501/KH-UBND."),
    )
    place = forms.CharField(
        label=_("Địa danh"),
        required=False,
        max_length=100,
        help_text=_("Để trống thì lấy theo đơn vị, ví dụ Cao Bằng."),
    )
    body = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Mỗi dòng một đoạn. Dòng bắt đầu bằng I., II., 1., 2.1 hoặc a) được in thành đề mục."
        ),
    )
    recipients = RecipientsField(
        label=_("Đơn vị nhận"), queryset=Unit.objects.none(), required=False
    )
    recipients_kind = forms.ChoiceField(
        label=_("Gửi thêm tới"),
        required=False,
        choices=[("", "—")] + SCOPE_CHOICES[1:],
    )
    recipients_text = forms.CharField(
        label=_("Nơi nhận ghi trên văn bản"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Mỗi dòng một nơi nhận, kể cả cơ quan ngoài Hội. Để trống thì liệt kê các đơn vị nhận."
        ),
    )
    archive = forms.CharField(label=_("Lưu"), max_length=100, initial="VT")
    authority = forms.ChoiceField(
        label=_("Quyền hạn ký"), choices=Authority.choices, required=False, initial="TM."
    )
    authority_of = forms.CharField(
        label=_("Thay mặt / ký thay cho"),
        required=False,
        max_length=100,
        help_text=_("Để trống với TM. thì lấy tên cơ quan ban hành."),
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, max_length=100)
    attachment = forms.FileField(label=_("Đính kèm tệp (PDF, DOCX, XLSX, ảnh)"), required=False)

    def __init__(self, *args, units, recipient_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["recipients"].queryset = recipient_choices


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại nhiệm vụ"), choices=TaskKind.choices)
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=300, required=False)
    deadline = forms.DateField(label=_("Hạn"), required=False, widget=DateInput())
    scope = forms.ChoiceField(label=_("Giao cho"), choices=SCOPE_CHOICES, required=False)

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("deadline"):
            self.add_error("deadline", _("Nhập hạn hoàn thành."))
        if data.get("deadline") and not data.get("title"):
            self.add_error("title", _("Nhập nội dung nhiệm vụ."))
        return data


TaskFormSet = forms.formset_factory(TaskForm, extra=3, max_num=20)


class IssueForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        widget=DateInput(),
        help_text=_("Để trống là hôm nay."),
    )


class AnswerForm(forms.Form):
    answer_document = forms.ModelChoiceField(
        label=_("Văn bản của đơn vị"),
        queryset=None,
        required=False,
        help_text=_("Kế hoạch hoặc báo cáo đơn vị đã ban hành trong hệ thống."),
    )
    file = forms.FileField(label=_("Hoặc đính kèm tệp (PDF, DOCX, ảnh)"), required=False)
    note = forms.CharField(
        label=_("Kết quả thực hiện, ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_document"].queryset = documents


class DocumentListForm(forms.Form):
    """The document list's query string: the box, the search, the type and the year."""

    hop = forms.ChoiceField(
        required=False, choices=[("den", "den"), ("di", "di"), ("tat-ca", "tat-ca")]
    )
    q = QueryText(label=_("Tìm văn bản"))
    loai = forms.ChoiceField(required=False, choices=DocType.choices)
    nam = year_field()


class RemindForm(forms.Form):
    """The board's "Đôn đốc" button: one recipient, or every late one when absent."""

    recipient = id_field()


class RemindUnitForm(forms.Form):
    """Đôn đốc one unit, in the sender's own words."""

    message = forms.CharField(
        label=_("Lời nhắn"),
        max_length=400,
        error_messages={"required": _("Nhập lời nhắn đôn đốc.")},
        validators=[refuse_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Đơn vị nhận được thông báo với lời nhắn này và đường dẫn tới văn bản."),
    )


class BoardFilterForm(forms.Form):
    q = QueryText(
        label=_("Tìm đơn vị"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tìm đơn vị")}),
    )
    trang_thai = forms.ChoiceField(label=_("Trạng thái"), required=False)
    nhiem_vu = forms.TypedChoiceField(label=_("Nhiệm vụ"), required=False, coerce=int)

    def __init__(self, *args, tasks, **kwargs):
        from .models import TaskState

        super().__init__(*args, **kwargs)
        self.fields["trang_thai"].choices = [("", _("Mọi trạng thái"))] + list(TaskState.choices)
        self.fields["nhiem_vu"].choices = [("", _("Mọi nhiệm vụ"))] + [
            (t.pk, t.title) for t in tasks
        ]
