"""Texts in two languages: a quote kept in the language it was given, with its translations."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import japanese


class Quoted(models.Model):
    """A verbatim quote in its original language, with an English and a Japanese translation.

    A reader sees the quote as given, plus the translation into their language when the quote is in another one.
    """

    quote = models.TextField(_("quote"), blank=True, help_text=_("Verbatim, in the language it was given."))
    quote_language = models.CharField(
        _("quote's language"),
        max_length=10,
        blank=True,
        help_text=_("ISO 639-1 code of the quote as given, e.g. en or ja."),
    )
    quote_translation = models.TextField(
        _("quote in English"), blank=True, help_text=_("A translation, when the quote is not in English.")
    )
    quote_translation_ja = japanese(
        quote_translation,
        _("quote in Japanese"),
        help_text=_("A translation, when the quote is not in Japanese."),
    )

    class Meta:
        abstract = True

    def quote_for(self, language: str | None) -> tuple[str, str]:
        """(the quote as given, its translation for a reader of ``language`` or "" when none is needed)."""
        if not self.quote:
            return "", ""
        reader = "ja" if language and language.startswith("ja") else "en"
        given = (self.quote_language or "en").split("-")[0]
        if given == reader:
            return self.quote, ""
        if reader == "ja":
            return self.quote, self.quote_translation_ja or self.quote_translation
        return self.quote, self.quote_translation

    def clean_quote(self) -> dict[str, str]:
        errors = {}
        if self.quote and not self.quote_language:
            errors["quote_language"] = _("Say which language the quote is in (e.g. en or ja).")
        return errors


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def guess_language(text: str) -> str:
    """``ja`` for a text with kana or kanji in it, ``en`` otherwise; "" for no text. For quotes given without one."""
    if not text:
        return ""
    return "ja" if _JAPANESE.search(text) else "en"
