"""The query string of the eligibility page, parsed once: subject, catalogue entry, year."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import ID_MAX, id_field
from guongsang.exemplars.models import Subject

from . import access
from .eligibility import KIND_WORDS
from .models import AwardKind, AwardType

FIRST_YEAR, LAST_YEAR = 1945, 2100
# Lazy all the way: the message is translated when shown, in the user's language.
YEAR_RANGE = format_lazy(_("Năm phải từ {first} đến {last}."), first=FIRST_YEAR, last=LAST_YEAR)


class SubjectQuery(forms.Form):
    """Only the subject, as the subject page links here before anything is chosen."""

    doi_tuong = id_field()


class EligibilityForm(forms.Form):
    doi_tuong = forms.IntegerField(
        label=_("Mã số đối tượng"),
        min_value=1,
        max_value=ID_MAX,
        error_messages={
            "required": _("Chọn đối tượng."),
            "invalid": _("Mã số đối tượng phải là một số."),
            "min_value": _("Mã số đối tượng không hợp lệ."),
            "max_value": _("Mã số đối tượng không hợp lệ."),
        },
    )
    danh_hieu = forms.ChoiceField(
        label=_("Danh hiệu, hình thức khen thưởng"),
        error_messages={
            "required": _("Chọn danh hiệu hoặc hình thức khen thưởng."),
            "invalid_choice": _("Danh hiệu, hình thức này không có trong danh mục đang dùng."),
        },
    )
    nam = forms.IntegerField(
        label=_("Năm đề nghị"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("Nhập năm đề nghị."),
            "invalid": _("Năm phải là một số."),
            "min_value": YEAR_RANGE,
            "max_value": YEAR_RANGE,
        },
    )

    def __init__(self, data=None, *, user, subject: Subject | None = None, **kwargs):
        """``subject``: already fetched (the subject page's link); the entries offered are then
        those that apply to its kind, and the subject field is hidden."""
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("nam", timezone.localdate().year)
        if subject is not None:
            kwargs["initial"]["doi_tuong"] = subject.pk
        super().__init__(data, **kwargs)
        self.user = user
        self.subject = subject
        self.entries = {t.code: t for t in AwardType.objects.filter(active=True)}
        self._offer(subject.kind if subject is not None else None)

    def _offer(self, subject_kind: str | None) -> None:
        groups = []
        for kind, label in AwardKind.choices:
            options = [
                (t.code, t.name)
                for t in self.entries.values()
                if t.kind == kind and (subject_kind is None or t.applies_to(subject_kind))
            ]
            if options:
                groups.append((label, options))
        self.fields["danh_hieu"].choices = [("", _("— Chọn —")), *groups]
        if self.subject is not None:
            self.fields["doi_tuong"].widget = forms.HiddenInput()

    def clean_doi_tuong(self) -> Subject:
        # Through the access layer: another unit's subject is the same 404 as a missing one.
        subject = access.get_subject(self.user, self.cleaned_data["doi_tuong"])
        self.subject = subject
        return subject

    def clean_danh_hieu(self) -> AwardType:
        return self.entries[self.cleaned_data["danh_hieu"]]

    def clean(self):
        data = super().clean()
        subject, entry = data.get("doi_tuong"), data.get("danh_hieu")
        if subject is not None:
            self._offer(subject.kind)
        if subject is not None and entry is not None and not entry.applies_to(subject.kind):
            self.add_error(
                "danh_hieu",
                _("“%(t)s” không dành cho %(k)s.")
                % {"t": entry.name, "k": KIND_WORDS.get(subject.kind, subject.kind)},
            )
        return data
