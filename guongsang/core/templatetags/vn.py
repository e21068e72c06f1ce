from django import template

register = template.Library()


@register.filter
def ngay_thang(value) -> str:
    """Date line of an official document: "ngày 05 tháng 02 năm 2024" (Decree 30/2020)."""
    if not value:
        return ""
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


@register.filter
def richtext(value) -> str:
    """Story HTML, cleaned again at display (it was cleaned when saved)."""
    from django.utils.safestring import mark_safe

    from guongsang.core.richtext import clean_html

    return mark_safe(clean_html(value))  # noqa: S308 - cleaned by the allow-list just above
