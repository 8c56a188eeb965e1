"""Rendered pieces of pages kept between requests: a timeline's event and response entries.

An entry's HTML depends on its record (and the records it names: disputes, organizations, sources), the reader's
language and time zone, and nothing else: no clock, no user. So it is kept under a key made of those and of the
record's generation (``models.generation``), which goes up after every committed write to the record. A page
then loads and renders only the entries missing from the cache; an edit anywhere retires every entry at once.
Letters are not kept: their deadline wording moves with the clock.

The cache is the ``fragments`` alias of ``CACHES`` (a bounded in-process cache per worker by default); the test
settings make it a dummy one, so tests see every entry rendered from the database unless they ask otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from disputes.models import current_generation

CACHE = "fragments"


@dataclass(frozen=True)
class Fragments:
    """One kind of entry (``name``), as rendered at one generation, in one language and time zone."""

    name: str
    prefix: str

    @classmethod
    def current(cls, name: str, generation: int | None = None) -> Fragments:
        """For the request being answered, at ``generation`` (read from the database when not given)."""
        generation = current_generation() if generation is None else generation
        variant = f"{translation.get_language()}:{timezone.get_current_timezone_name()}"
        return cls(name, f"{name}:{generation}:{variant}")

    def key(self, pk: int) -> str:
        return f"{self.prefix}:{pk}"

    def get_many(self, pks: Iterable[int]) -> dict[int, tuple[dt.date, SafeString]]:
        """The kept entries among ``pks``: their date and HTML."""
        keys = {self.key(pk): pk for pk in pks}
        if not keys:
            return {}
        found = caches[CACHE].get_many(list(keys))
        return {keys[key]: (day, mark_safe(html)) for key, (day, html) in found.items()}  # noqa: S308

    def put(self, pk: int, day: dt.date, html: str) -> None:
        caches[CACHE].set(self.key(pk), (day, str(html)))


@dataclass
class Kept:
    """A place in a page for an entry that may be kept: its HTML when it was, and where to keep it once rendered
    (the ``entry_html`` template tag reads and fills it)."""

    fragments: Fragments | None = None
    html: SafeString | None = None

    def keep(self, pk: int, day: dt.date, html: str) -> None:
        if self.fragments is not None:
            self.fragments.put(pk, day, html)
