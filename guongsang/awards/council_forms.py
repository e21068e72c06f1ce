"""Forms of the council pages: every input parsed here, bounded, control characters refused."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import ID_MAX, AsciiIntegerField, refuse_control_characters
from guongsang.units.forms import DateInput

from .council import RECEIPT_LENGTH
from .forms import NoControlCharsMixin
from .models import Choice, CouncilRole


class CouncilForm(NoControlCharsMixin, forms.Form):
    name = forms.CharField(label=_("Tên hội đồng"), max_length=300)


class CouncilCreateForm(CouncilForm):
    unit = AsciiIntegerField(min_value=1, max_value=ID_MAX, widget=forms.HiddenInput)


class MemberForm(NoControlCharsMixin, forms.Form):
    role = forms.ChoiceField(label=_("Chức danh"), choices=CouncilRole.choices)
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)


class MemberAddForm(MemberForm):
    """A member is a user account whose home unit is in the council's unit's subtree."""

    username = forms.CharField(
        label=_("Tên đăng nhập của thành viên"),
        max_length=150,
        validators=[refuse_control_characters],
    )
    field_order = ["username", "role", "position"]

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = users

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = self.users.filter(username=username, is_active=True).first() if self.users else None
        if user is None:
            raise forms.ValidationError(
                _("Không có tài khoản đang hoạt động “%(u)s” thuộc đơn vị của hội đồng.")
                % {"u": username[:150]}
            )
        self.cleaned_data["user"] = user
        return username


class SessionForm(NoControlCharsMixin, forms.Form):
    round = forms.ModelChoiceField(
        label=_("Đợt xét khen thưởng"), queryset=None, empty_label=_("— Chọn đợt —")
    )
    title = forms.CharField(label=_("Tên phiên họp"), max_length=300)
    date = forms.DateField(label=_("Ngày họp"), widget=DateInput())
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not 2000 <= date.year <= 2100:
            raise forms.ValidationError(_("Ngày họp không hợp lệ."))
        return date


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Có mặt"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (m.pk, f"{m.user.full_name or m.user.username} ({m.get_role_display()})")
            for m in members
        ]


def _ballot_fields(form: forms.Form, agenda) -> None:
    for entry in agenda:
        form.fields[f"item_{entry.pk}"] = forms.ChoiceField(
            label=f"{entry.item.subject.name}: {entry.item.award_type.name}",
            choices=Choice.choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Chọn một ý kiến.")},
        )


class BallotForm(forms.Form):
    """One radio group per agenda item: Đồng ý / Không đồng ý / Không biểu quyết."""

    def __init__(self, *args, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda = list(agenda)
        _ballot_fields(self, self.agenda)

    def choices(self) -> dict[int, str]:
        return {entry.pk: self.cleaned_data[f"item_{entry.pk}"] for entry in self.agenda}

    def entries(self):
        return [(entry, self[f"item_{entry.pk}"]) for entry in self.agenda]


class WrittenVoteForm(BallotForm):
    member = forms.TypedChoiceField(label=_("Thành viên vắng mặt"), coerce=int)

    def __init__(self, *args, absent, **kwargs):
        super().__init__(*args, **kwargs)
        self.absent = {m.pk: m for m in absent}
        self.fields["member"].choices = [("", _("— Chọn thành viên —"))] + [
            (m.pk, f"{m.user.full_name or m.user.username} ({m.get_role_display()})")
            for m in absent
        ]


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Mã biên nhận"),
        max_length=RECEIPT_LENGTH + 6,
        validators=[refuse_control_characters],
        help_text=_("Mã 10 ký tự được cấp khi bỏ phiếu, ví dụ ABCDE-FGH23."),
    )
