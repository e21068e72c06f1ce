"""Forms of the ranking and block-meeting pages: every query parameter and POST parsed here
(years and numbers bounded, ASCII digits only, control characters refused in Vietnamese)."""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guongsang.core.forms import AsciiIntegerField, DayInput, refuse_control_characters, year_field

from .meetings import CONCLUSION_MAX, MAX_VOTES, NAME_MAX, PLACE_MAX


class YearChoice(forms.Form):
    """``?nam=``: the year shown (this year when absent or unreadable)."""

    nam = year_field()

    def year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("nam"):
            return self.cleaned_data["nam"]
        return timezone.localdate().year


class Text(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(refuse_control_characters)


def count_field(label, *, max_value: int, required: bool = True) -> AsciiIntegerField:
    bounds = _("Nhập số nguyên từ 0 đến %(n)s.") % {"n": max_value}
    return AsciiIntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=max_value,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": max_value}),
        error_messages={
            "required": _("Nhập số."),
            "invalid": bounds,
            "min_value": bounds,
            "max_value": bounds,
        },
    )


class MeetingForm(forms.Form):
    """The meeting's record; one vote count per member unit (``phieu_<unit id>``)."""

    held_on = forms.DateField(
        label=_("Ngày họp"),
        widget=DayInput(),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": _("Nhập ngày họp."),
            "invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 20/12/2026."),
        },
    )
    place = Text(label=_("Địa điểm"), max_length=PLACE_MAX)
    chair_name = Text(label=_("Chủ trì"), max_length=NAME_MAX)
    secretary_name = Text(label=_("Thư ký"), max_length=NAME_MAX)
    units_present = count_field(_("Số đơn vị dự họp"), max_value=MAX_VOTES)
    votes_cast = count_field(_("Số phiếu bầu"), max_value=MAX_VOTES)
    leading_unit = forms.TypedChoiceField(
        label=_("Đơn vị dẫn đầu"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Chọn một đơn vị trong cụm, khối.")},
    )
    award_type = forms.TypedChoiceField(
        label=_("Đề nghị khen thưởng"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Chọn một danh hiệu, hình thức trong danh sách.")},
    )
    conclusion = Text(
        label=_("Ý kiến và kết luận"),
        required=False,
        max_length=CONCLUSION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, members, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {u.pk: u for u in members}
        self.award_types = {t.pk: t for t in award_types}
        self.fields["leading_unit"].choices = [("", _("— Chưa chọn —"))] + [
            (u.pk, u.name) for u in members
        ]
        self.fields["award_type"].choices = [("", _("— Không đề nghị —"))] + [
            (t.pk, t.name) for t in award_types
        ]
        for unit in members:
            self.fields[f"phieu_{unit.pk}"] = count_field(
                _("Số phiếu bầu %(u)s") % {"u": unit.name}, max_value=MAX_VOTES, required=False
            )

    def vote_fields(self):
        return [self[f"phieu_{pk}"] for pk in self.members]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "place": data["place"],
            "chair_name": data["chair_name"],
            "secretary_name": data["secretary_name"],
            "units_present": data["units_present"],
            "votes_cast": data["votes_cast"],
            "tally": {
                unit: data.get(f"phieu_{pk}") or 0
                for pk, unit in self.members.items()
                if data.get(f"phieu_{pk}")
            },
            "leading_unit": self.members.get(data.get("leading_unit")),
            "award_type": self.award_types.get(data.get("award_type")),
            "conclusion": data.get("conclusion") or "",
        }

    @classmethod
    def initial_for(cls, meeting) -> dict:
        if meeting is None:
            return {"held_on": timezone.localdate()}
        initial = {
            "held_on": meeting.held_on,
            "place": meeting.place,
            "chair_name": meeting.chair_name,
            "secretary_name": meeting.secretary_name,
            "units_present": meeting.units_present,
            "votes_cast": meeting.votes_cast,
            "leading_unit": meeting.leading_unit_id,
            "award_type": meeting.award_type_id,
            "conclusion": meeting.conclusion,
        }
        for key, votes in (meeting.tally or {}).items():
            initial[f"phieu_{key}"] = votes
        return initial


class ProposeForm(forms.Form):
    """Which proposal of the organiser takes the leading unit: an open one, or a new one in a
    round still taking proposals."""

    proposal = forms.TypedChoiceField(
        label=_("Đề nghị khen thưởng đang soạn"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Chọn một đề nghị trong danh sách.")},
    )
    round = forms.TypedChoiceField(
        label=_("Hoặc lập đề nghị mới trong đợt"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Chọn một đợt khen thưởng trong danh sách.")},
    )

    def __init__(self, *args, proposals, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = {p.pk: p for p in proposals}
        self.rounds = {r.pk: r for r in rounds}
        self.fields["proposal"].choices = [
            (p.pk, f"{p.round.title} ({p.get_state_display()})") for p in proposals
        ]
        self.fields["round"].choices = [
            (
                r.pk,
                _("%(t)s — %(u)s, hạn gửi %(d)s")
                % {"t": r.title, "u": r.unit.name, "d": r.deadline.strftime("%d/%m/%Y")},
            )
            for r in rounds
        ]

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("proposal", "round") if data.get(k)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError(
                _("Chọn một đề nghị đang soạn, hoặc một đợt để lập đề nghị mới.")
            )
        return data

    def chosen(self):
        data = self.cleaned_data
        if data.get("proposal"):
            return self.proposals[data["proposal"]], None
        return None, self.rounds[data["round"]]
