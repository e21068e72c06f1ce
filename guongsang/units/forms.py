from django import forms
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import QueryText, id_field

from .access import Perm
from .choosers import unit_chooser
from .models import Unit, UnitKind

CHILD_KINDS = {
    UnitKind.CENTRAL: [UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.AFFILIATE],
    UnitKind.PROVINCE: [UnitKind.COMMUNE, UnitKind.DEPARTMENT, UnitKind.AFFILIATE],
    UnitKind.DISTRICT: [UnitKind.COMMUNE, UnitKind.DEPARTMENT, UnitKind.AFFILIATE],
    UnitKind.COMMUNE: [UnitKind.BRANCH],
    UnitKind.BRANCH: [UnitKind.GROUP],
}


class UnitSearchForm(forms.Form):
    """The unit search's query string."""

    q = QueryText(label=_("Tên đơn vị"))
    loai = forms.ChoiceField(required=False, choices=UnitKind.choices)
    lich_su = forms.BooleanField(required=False)


class TemplateForm(forms.Form):
    """The import template's query string: the unit whose code fills the example rows."""

    don_vi = id_field()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn vị"))
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    code = forms.CharField(
        label=_("Mã đơn vị"),
        max_length=32,
        help_text=_("Mã duy nhất, ví dụ 01309-CH01."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
    )
    valid_from = forms.DateField(label=_("Ngày thành lập"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, parent: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = CHILD_KINDS.get(parent.kind, [])
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        if kinds:
            self.fields["kind"].initial = kinds[0].value


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    valid_from = forms.DateField(label=_("Ngày thành lập"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UnitCloseForm(forms.Form):
    on = forms.DateField(label=_("Ngày sáp nhập / giải thể"), widget=DateInput())
    successor = unit_chooser(
        label=_("Đơn vị kế thừa"),
        perm=Perm.MANAGE,
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Để trống nếu đơn vị giải thể mà không sáp nhập vào đơn vị nào."),
    )
    note = forms.CharField(
        label=_("Căn cứ (số quyết định, nghị quyết)"), required=False, max_length=500
    )

    def __init__(self, *args, successors=None, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        if successors is not None:
            self.fields["successor"].queryset = successors
        self.fields["successor"].kinds = [str(k) for k in kinds]


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
