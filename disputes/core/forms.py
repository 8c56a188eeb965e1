"""The form renderer: Django's, with its commonest widget templates written out in Python.

A page's filter form renders a dozen inputs, selects and labels, each through two or three nested templates
(``text.html`` includes ``input.html`` includes ``attrs.html``), which cost a third of an empty timeline page.
``DirectRenderer`` produces the same markup for those templates directly and hands every other template (the
admin's widgets, error lists, whole forms) to Django's renderer unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

INPUT = "django/forms/widgets/input.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescaping."""
    return str(conditional_escape(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``attrs.html``: ``name="value"`` for each attribute, the bare name for True, nothing for False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>'
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None  # a widget with options of its own: its templates render it
            parts.append(f"\n  {_option(option)}\n")  # the included template's own last line break
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: Mapping[str, Any]) -> str:
    if not context["use_tag"]:
        return _text(context["label"])
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{_text(context['label'])}</{tag}>"


_INPUTS = ("text", "date", "checkbox", "number", "email", "url", "password", "hidden", "search", "input")
DIRECT: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"django/forms/widgets/{name}.html": lambda context: _input(context["widget"]) for name in _INPUTS},
    "django/forms/widgets/select.html": lambda context: _select(context["widget"]),
    OPTION: lambda context: _option(context["widget"]),
    "django/forms/label.html": _label,
}


class DirectRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        direct = DIRECT.get(template_name)
        html = direct(context) if direct is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html.strip())  # noqa: S308 -- every value above went through conditional_escape
