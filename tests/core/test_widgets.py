"""The quick widgets write exactly what Django's widget templates write."""

import pytest
from django import forms

from guongsang.core.forms import QuickTextarea, QuickTextInput

VALUES = [None, "", "0", "12,5", 'a "quoted" <b>&amp;</b>', "dòng một\ndòng hai", "  "]
ATTRS = [
    None,
    {"id": "id_p1"},
    {"id": "id_p1", "required": True, "disabled": False, "aria-invalid": "true"},
    {"aria-describedby": 'x" onclick="y', "data-n": 3},
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_text_input_same_html(value, attrs):
    base = {"inputmode": "decimal", "size": "6", "class": "points-input"}
    ours = QuickTextInput(attrs=base).render("p1", value, attrs=attrs)
    django = forms.TextInput(attrs=base).render("p1", value, attrs=attrs)
    assert ours == django


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_textarea_same_html(value, attrs):
    ours = QuickTextarea(attrs={"rows": 2}).render("n1", value, attrs=attrs)
    django = forms.Textarea(attrs={"rows": 2}).render("n1", value, attrs=attrs)
    assert ours == django


def test_bound_field_with_errors_same_html():
    class F(forms.Form):
        quick = forms.CharField(widget=QuickTextInput, max_length=5)
        plain = forms.CharField(max_length=5)

    form = F({"quick": "quá dài <x>", "plain": "quá dài <x>"})
    assert not form.is_valid()
    assert str(form["quick"]).replace("quick", "plain") == str(form["plain"])
    assert 'aria-invalid="true"' in str(form["quick"])
