"""Forms that parse what the dashboard's URLs carry besides filters: page numbers and timeline cursors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

CURSOR_PATTERN = re.compile(r"^(\d{9,10})\.([0-2])\.(\d{1,18})$")


@dataclass(frozen=True, order=True)
class Cursor:
    """A position on the global timeline: (sort key, entry-type rank, primary key), the entries' order.

    The sort key is the record's ``date_sort`` (``models.common.date_sort_key``): a date known only to the month
    or year sorts after the dated entries of its period.
    """

    key: int
    rank: int
    pk: int

    def __str__(self) -> str:
        return f"{self.key}.{self.rank}.{self.pk}"

    @classmethod
    def parse(cls, value: str) -> Cursor | None:
        match = CURSOR_PATTERN.match(value or "")
        if not match:
            return None
        return cls(int(match[1]), int(match[2]), int(match[3]))


class CursorField(forms.Field):
    default_error_messages = {"invalid": _("That page link is not valid.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        cursor = Cursor.parse(str(value)) if len(str(value)) <= 40 else None
        if cursor is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return cursor


class TimelinePageForm(forms.Form):
    """``after``: the entries after this one in the page's order (the next page); ``before``: the previous."""

    after = CursorField(required=False)
    before = CursorField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("after") and cleaned.get("before"):
            raise forms.ValidationError(_("That page link is not valid."), code="both")
        return cleaned


@dataclass(frozen=True)
class PageRequest:
    number: int
    problem: str = ""  # why the number asked for was not usable, for a message


def parse_page_number(raw: str | None) -> PageRequest:
    """A page number from the query string; anything that is not a positive integer means page 1, with a reason."""
    if raw in (None, ""):
        return PageRequest(1)
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        return PageRequest(1, "not-a-number")
    return PageRequest(int(raw))


class MatrixFilterForm(forms.Form):
    """The matrix page's filters. Anything unreadable is dropped rather than refused: the page always renders."""

    HAS_CHOICES = [
        ("", _("Anything")),
        ("disputes", _("A dispute")),
        ("letters", _("A letter")),
        ("opt_outs", _("An opt-out request")),
        ("licences", _("A licence")),
        ("licensed_and_disputed", _("A licence and an objection")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    holder = forms.SlugField(label=_("Rights holder"), required=False)
    developer = forms.SlugField(label=_("AI developer"), required=False)
    product = forms.SlugField(label=_("AI product"), required=False)
    has = forms.ChoiceField(label=_("Between them"), choices=HAS_CHOICES, required=False)
    members = forms.BooleanField(label=_("Count an association's part for its members"), required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "holder": data.get("holder") or "",
            "developer": data.get("developer") or "",
            "product": data.get("product") or "",
            "has": data.get("has") or "",
            # On unless the form was submitted without it.
            "members": bool(data.get("members")) if "filtered" in self.data else True,
        }
