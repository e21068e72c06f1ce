from django import forms

from .models import NotificationKind


class PreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, required=False, initial=current.get(kind.value, True)
            )
