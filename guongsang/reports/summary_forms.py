"""The summary's query string, parsed once: unit, period, structure switch."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import id_field
from guongsang.units.forms import DateInput

# Dates the union's records can hold; outside this a date is a typing mistake.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
MAX_SPAN_DAYS = 10 * 366 + 1  # a term (nhiệm kỳ) is five years; two leave room


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={"invalid": _("Nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-06-30.")},
    )


class SummaryForm(forms.Form):
    don_vi = id_field()
    tu = _date_field(_("Từ ngày"))
    den = _date_field(_("Đến ngày"))
    cu = forms.BooleanField(label=_("Theo cơ cấu trước sáp nhập"), required=False)

    def clean(self):
        data = super().clean()
        if "tu" in self.errors or "den" in self.errors:
            return data
        try:
            data["start"], data["end"] = summary_period(
                data.get("tu"), data.get("den"), timezone.localdate()
            )
        except ValidationError as error:
            self.add_error(None, error)  # by field: "tu", "den"
        return data

    def with_period(self) -> SummaryForm:
        """After a successful ``is_valid``: the form whose date fields show the period the
        figures are for (a missing date took its default); itself when both were typed."""
        if self.data.get("tu") and self.data.get("den"):
            return self
        data = self.data.dict() if hasattr(self.data, "dict") else dict(self.data)
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        form = SummaryForm({**data, "tu": start.isoformat(), "den": end.isoformat()})
        form.is_valid()
        return form


def summary_period(
    start: dt.date | None, end: dt.date | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The period a summary is read for, from the dates given (the page's form and the API):
    without a start, the first of January of the end's year (or this year); without an end,
    today in this year, else the 31st of December. ``ValidationError`` by field (``tu``,
    ``den``) for a date outside the records' years, an end before the start, more than 10
    years."""
    wrong = {
        name: _("Ngày phải trong khoảng %(a)s – %(b)s.")
        % {"a": f"{FIRST_DAY:%d/%m/%Y}", "b": f"{LAST_DAY:%d/%m/%Y}"}
        for name, day in (("tu", start), ("den", end))
        if day is not None and not (FIRST_DAY <= day <= LAST_DAY)
    }
    if wrong:
        raise ValidationError(wrong)
    if start is None:
        start = dt.date((end or today).year, 1, 1)
    if end is None:
        end = today if start.year == today.year else dt.date(start.year, 12, 31)
    if end < start:
        raise ValidationError({"den": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValidationError({"den": _("Khoảng thời gian dài nhất là 10 năm.")})
    return start, end


def presets(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The periods offered as links: this year so far, the first half, the whole year, last year."""
    year = today.year
    return [
        (_("Từ đầu năm đến nay"), dt.date(year, 1, 1), today),
        (_("6 tháng đầu năm"), dt.date(year, 1, 1), dt.date(year, 6, 30)),
        (_("Cả năm %(year)s") % {"year": year}, dt.date(year, 1, 1), dt.date(year, 12, 31)),
        (
            _("Năm %(year)s") % {"year": year - 1},
            dt.date(year - 1, 1, 1),
            dt.date(year - 1, 12, 31),
        ),
    ]
