"""A text box with suggestions, for filters with thousands of choices (organizations, products, developers).

It carries the same URL parameter as a ``<select>`` would (the slug: ``?party=openai``), so filtered addresses stay
shareable, and renders one ``<input>`` and an empty ``<datalist>`` instead of an ``<option>`` per row. While the
reader types, htmx asks ``disputes:filter-suggest`` for the matching names and fills the datalist; the browser
offers them under the box. Without JavaScript the box still takes a slug.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html


class AutocompleteInput(forms.TextInput):
    def __init__(self, *, source: str, attrs: dict | None = None):
        self.source = source  # which list the suggestions come from: "party", "product" or "developer"
        super().__init__(attrs=attrs)

    def format_value(self, value):
        # A bound form gives the slug typed or chosen; an unbound one with an initial object gives the object.
        slug = getattr(value, "slug", value)
        return super().format_value(slug)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}_suggestions"
        attrs.update(
            {
                "list": list_id,
                "autocomplete": "off",
                "spellcheck": "false",
                "hx-get": reverse("disputes:filter-suggest", kwargs={"source": self.source}),
                "hx-trigger": "input changed delay:250ms, focus once",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                # Only the box's own text goes to the suggestions, under its own name; the form's htmx settings
                # (push the URL, show the results loading) are not inherited by this request.
                "hx-params": name,
                "hx-push-url": "false",
                "hx-indicator": f"#{list_id}",
            }
        )
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, list_id)
