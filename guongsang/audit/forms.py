from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import YEAR_MAX, YEAR_MIN, QueryText

from .models import Action


class DayField(forms.DateField):
    """A day as the browser's date box sends it (YYYY-MM-DD), in ASCII digits ("２０２６" is
    refused, not read) and within the years any record can have (0001-01-01 would overflow
    when turned into a time of day in Vietnam's time zone)."""

    def __init__(self, label, **kwargs):
        message = format_lazy(
            _("“{label}” phải là một ngày (năm từ {min} đến {max})."),
            label=label,
            min=YEAR_MIN,
            max=YEAR_MAX,
        )
        super().__init__(
            label=label,
            required=False,
            input_formats=["%Y-%m-%d"],
            error_messages={"invalid": message},
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **kwargs,
        )
        self.message = message

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise ValidationError(self.message, code="invalid")
        day = super().to_python(value)
        if day is not None and not YEAR_MIN <= day.year <= YEAR_MAX:
            raise ValidationError(self.message, code="invalid")
        return day


class AuditFilterForm(forms.Form):
    """The audit list's query string. A field that does not parse is shown as an error above
    the list and ignored; the unit is chosen by ``units.choosers.unit_filter``."""

    thao_tac = forms.ChoiceField(
        label=_("Thao tác"),
        required=False,
        choices=[("", _("Mọi thao tác"))] + list(Action.choices),
        error_messages={"invalid_choice": _("Thao tác không có trong danh sách.")},
    )
    nguoi = QueryText(label=_("Tên đăng nhập"), max_length=150)
    tu = DayField(_("Từ ngày"))
    den = DayField(_("Đến ngày"))

    def clean(self):
        data = super().clean()
        start, end = data.get("tu"), data.get("den")
        if start and end and start > end:
            self.add_error("den", _("“Đến ngày” phải từ “Từ ngày” trở đi."))
        return data
