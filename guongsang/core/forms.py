import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# Primary keys as the databases store them: a larger number names no row (and would overflow).
ID_MAX = 2**31 - 1


class AsciiIntegerField(forms.IntegerField):
    """An integer written with the digits 0-9 only: Python's int() also reads "١٢" (Arabic-Indic)
    as 12, and str.isdigit() accepts "²", which int() then refuses."""

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def id_field() -> forms.IntegerField:
    """An optional id in a query string, bounded."""
    return AsciiIntegerField(required=False, min_value=1, max_value=ID_MAX)


def parse_id(value, max_value: int = ID_MAX) -> int | None:
    """An id written in a file, a cell or an argument, through the same bounded field as the
    query strings: None when it is not one (empty, "²", "١٢", "-3", 5,000 digits...)."""
    try:
        return AsciiIntegerField(min_value=1, max_value=max_value).clean(value)
    except ValidationError:
        return None


def valid_values(form: forms.Form) -> dict:
    """The fields of a query-string form that parsed, the others left out: a nonsense filter
    is ignored, never an error."""
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}


# Years a filter may name: a larger one is no date on PostgreSQL (``created_at__year=99999``
# fails there) and none of the union's records is older.
YEAR_MIN, YEAR_MAX = 1900, 2100


def year_field() -> forms.IntegerField:
    """An optional year in a query string, bounded, with its own message (Django's Vietnamese
    "Nhập một số tổng thể" reads badly)."""
    bounds = format_lazy(_("Năm phải là số từ {min} đến {max}."), min=YEAR_MIN, max=YEAR_MAX)
    return AsciiIntegerField(
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={"invalid": bounds, "min_value": bounds, "max_value": bounds},
    )


# C0 and C1 control characters but tab, line feed and carriage return: PostgreSQL refuses NUL in
# text, and none of them belongs in a name, a search or a note.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(value) -> bool:
    return bool(value) and _CONTROL.search(str(value)) is not None


def refuse_control_characters(value: str) -> None:
    if has_control_characters(value):
        raise ValidationError(
            _("Không được có ký tự điều khiển (như ký tự NUL)."), code="control_characters"
        )


class DayInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the phone's language (a browser's date picker shows
    the device's order, mm/dd on an English phone); the field's input formats read it."""

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "class": "day-input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class QueryText(forms.CharField):
    """Text in a query string (a search): optional, stripped, bounded, control characters
    refused with a Vietnamese message (in place of Django's untranslated one for NUL)."""

    def __init__(self, *, max_length: int = 200, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(refuse_control_characters)


def filter_errors(form: forms.Form, fields: tuple[str, ...] | None = None) -> list[str]:
    """The messages of the query-string fields that did not parse (all, or ``fields``), for
    ``core/fragment_filter_errors.html`` above a list that ignored them."""
    form.is_valid()
    return [
        message
        for name, messages in form.errors.items()
        if fields is None or name in fields
        for message in messages
    ]


# ---- widgets written without the template engine ------------------------------------------
# A page with dozens of inputs (a scoring table: two per criterion) spent most of its time in
# Django's widget templates (one template render per input). These write the same HTML as
# Django's input.html, textarea.html and attrs.html, in the same order (tests/core/test_widgets.py
# compares them).
def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped


class QuickTextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        final = _attrs(self.build_attrs(self.attrs, attrs))
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name, shown, final)


class QuickTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        final = _attrs(self.build_attrs(self.attrs, attrs))
        value = self.format_value(value)
        return format_html('<textarea name="{}"{}>\n{}</textarea>', name, final, value or "")
