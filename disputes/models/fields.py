"""Field declarations the record makes on many models, written once.

Each function returns an ordinary Django field, built with the same arguments the declaration spelled out
before, so the database and the migrations do not change (``makemigrations --check`` says so).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

_Text = TypeVar("_Text", models.CharField, models.TextField)


def belongs_to(to, verbose_name, related_name: str) -> models.ForeignKey:
    """The record a row is part of and is deleted with: a letter's dispute, a demand's letter."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.CASCADE, related_name=related_name
    )


def optional_link(
    to, verbose_name, *, on_delete, related_name: str | None = None, **options
) -> models.ForeignKey:
    """A link that may be empty, in the database (``null``) and in the admin's form (``blank``)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        **options,
    )


def party_links(related_name: str) -> tuple[models.ForeignKey, models.ForeignKey]:
    """Who a party or an actor is, when it is not a class: an organization or a person (the model's constraint
    says which combinations may be given). Either one is protected from deletion while it is named here."""
    return (
        optional_link("Organization", _("organization"), on_delete=models.PROTECT, related_name=related_name),
        optional_link("Person", _("person"), on_delete=models.PROTECT, related_name=related_name),
    )


def japanese(english: _Text, verbose_name: Any, *, help_text: Any = "") -> _Text:
    """The Japanese version of the text field ``english``: the same kind of field and length, and optional, since
    a Japanese reader sees the English text when it is empty (``common.translated``)."""
    return type(english)(verbose_name, max_length=english.max_length, blank=True, help_text=help_text)


def sources_cited(related_name: str) -> models.ManyToManyField:
    """The sources a record is taken from."""
    return models.ManyToManyField("Source", verbose_name=_("sources"), related_name=related_name, blank=True)
