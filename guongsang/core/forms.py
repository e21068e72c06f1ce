from django import forms
from django.core.exceptions import ValidationError


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


def id_field() -> forms.IntegerField:
    """An optional id in a query string, bounded."""
    return forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)


def valid_values(form: forms.Form) -> dict:
    """The fields of a query-string form that parsed, the others left out: a nonsense filter
    is ignored, never an error."""
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
