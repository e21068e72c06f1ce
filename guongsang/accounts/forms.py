from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.formats import time_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import refuse_control_characters
from guongsang.units.access import Perm
from guongsang.units.choosers import unit_chooser
from guongsang.units.models import Unit

from . import services
from .models import Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        username = self.cleaned_data.get("username", "")
        password = self.cleaned_data.get("password", "")
        if not username or not password:
            return self.cleaned_data
        address = services.client_address(self.request) if self.request is not None else ""
        locked = services.login_locked_until(username, address)
        if locked:
            raise forms.ValidationError(
                _("Đăng nhập từ máy này tạm khóa do sai nhiều lần. Vui lòng thử lại sau %(time)s.")
                % {"time": time_format(localtime(locked), "H:i")},
                code="locked",
            )
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            locked = services.login_failed(username, address)
            if locked:
                raise forms.ValidationError(
                    _("Đăng nhập sai quá nhiều lần. Đăng nhập từ máy này tạm khóa đến %(time)s.")
                    % {"time": time_format(localtime(locked), "H:i")},
                    code="locked",
                )
            raise forms.ValidationError(
                _("Tên đăng nhập hoặc mật khẩu không đúng (lưu ý chữ hoa, chữ thường)."),
                code="invalid_login",
            )
        services.login_succeeded(username, address)
        self.user = user
        return self.cleaned_data


class PasswordChangeForm(DjangoPasswordChangeForm):
    pass


def _offer_units(field, units) -> None:
    field.queryset = units if units is not None else Unit.objects.none()


class AccountCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": _("Chỉ dùng chữ không dấu, số và các ký tự . _ @ + -")},
        widget=forms.TextInput(attrs={"autocapitalize": "none"}),
    )
    unit = unit_chooser(label=_("Đơn vị công tác"), perm=Perm.MANAGE)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices, initial=Role.STAFF)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        help_text=_("Người dùng phải đổi mật khẩu này ở lần đăng nhập đầu tiên."),
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_units(self.fields["unit"], units)


class AccountEditForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)


class MembershipForm(forms.Form):
    unit = unit_chooser(label=_("Đơn vị"), perm=Perm.MANAGE)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices, initial=Role.STAFF)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_units(self.fields["unit"], units)


TOKEN_DAYS = [
    ("90", _("90 ngày")),
    ("30", _("30 ngày")),
    ("365", _("1 năm")),
    ("", _("Không thời hạn")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Dùng cho việc gì"),
        max_length=100,
        help_text=_("Ví dụ: phần mềm tổng hợp của Văn phòng, máy tính của chị Hoa."),
        validators=[refuse_control_characters],
    )
    days = forms.TypedChoiceField(
        label=_("Thời hạn"), choices=TOKEN_DAYS, coerce=int, empty_value=None, required=False
    )
