"""The direct form renderer writes exactly what Django's widget templates would, for every widget it handles."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from disputes.core.forms import DirectRenderer


class Everything(forms.Form):
    name = forms.CharField(
        label='Name & "title"',
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("Type a name"), "data-x": '<"&>', "hidden": False}
        ),
    )
    search = forms.CharField(
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True}), required=False
    )
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    number = forms.IntegerField(required=False)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    done = forms.BooleanField(required=False)
    kind = forms.ChoiceField(
        choices=[("", "Any"), ("a", "A & B"), ("b", mark_safe("<b>B</b>"))], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("Letters", [("sent", "Sent"), ("late", "Late")]), ("other", "Other")], required=False
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    radio = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect, required=False)


DATA = {
    "name": 'O\'Brien <"x">',
    "search": "著作権",
    "when": "2025-10-27",
    "number": "not a number",
    "done": "on",
    "kind": "a",
    "grouped": "late",
    "many": ["x", "y"],
    "secret": "s&s",
    "hidden": "h",
}


@pytest.mark.parametrize("data", [None, DATA], ids=["unbound", "bound"])
@pytest.mark.parametrize("auto_id", ["id_%s", False], ids=["with ids", "without ids"])
def test_each_field_renders_as_the_templates_do(data, auto_id):
    direct = Everything(data, auto_id=auto_id, renderer=DirectRenderer())
    templates = Everything(data, auto_id=auto_id, renderer=DjangoTemplates())
    direct.is_bound and direct.is_valid()
    templates.is_bound and templates.is_valid()
    for name in Everything.base_fields:
        assert str(direct[name]) == str(templates[name]), name
        assert direct[name].label_tag() == templates[name].label_tag(), name
        assert direct[name].label_tag(attrs={"class": "x", "hidden": True}) == templates[name].label_tag(
            attrs={"class": "x", "hidden": True}
        ), name
    assert str(direct) == str(templates)  # the whole form (its own template) with the widgets inside


def test_it_renders_the_common_widgets_without_their_templates(monkeypatch):
    def no_template(self, template_name):
        raise AssertionError(f"{template_name} was rendered through a template")

    monkeypatch.setattr(DirectRenderer, "get_template", no_template)
    form = Everything(DATA, renderer=DirectRenderer())
    for name in ("name", "search", "when", "done", "kind", "grouped", "many"):
        assert str(form[name]).startswith(("<input", "<select"))
        assert form[name].label_tag().startswith("<label")
