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
