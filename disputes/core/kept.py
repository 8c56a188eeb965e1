"""What is kept between requests under the record's generation: rendered pieces of pages (the global timeline's
entries, a dispute page's events, the disputes list's rows), the API's representations of events and letters, and
the results of reads that depend on the record alone (a filtered list's sorted ids, a timeline page's entry keys,
an organization's answer figures, the licence matrix, what a dispute's page shows of the record).

Such a piece's HTML depends on its record (and the records it names: disputes, organizations, sources), the
reader's language and time zone, and nothing else: no user, and no clock, or only through a fact that is part of
its key (a dispute row's "overdue", a letter's deadline wording). So it is kept under a key made of those and of
the record's generation (``models.generation``), which goes up after every committed write to the record. A page then loads and renders
only the pieces missing from the cache; an edit anywhere retires every piece at once.

Every key also carries a digest of the code, templates and translations (``code_version``): a deploy that changes
how a piece is made or what a kept value holds never reads what the previous code kept in a shared cache.

The cache is the ``fragments`` alias of ``CACHES`` (a bounded in-process cache per worker by default); the test
settings make it a dummy one, so tests see every entry rendered from the database unless they ask otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

CACHE = "fragments"
T = TypeVar("T")
# What makes a kept piece or value: the app's code, the templates and the compiled translations.
_MADE_FROM = ("disputes/**/*.py", "templates/**/*.html", "locale/**/*.mo")


@functools.cache
def code_version() -> str:
    """A digest of what makes the kept pieces (``_MADE_FROM``), the same in every worker of one deploy."""
    root = settings.BASE_DIR
    digest = hashlib.sha256()
    for pattern in _MADE_FROM:
        for path in sorted(root.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Fragments:
    """One kind of entry (``name``), as rendered at one generation, in one language and time zone."""

    name: str
    prefix: str

    @classmethod
    def current(cls, name: str, generation: int) -> Fragments:
        """For the request being answered, at the record's ``generation`` (``models.current_generation``)."""
        variant = f"{translation.get_language()}:{timezone.get_current_timezone_name()}"
        return cls(name, f"{name}:{code_version()}:{generation}:{variant}")

    def key(self, name: Hashable) -> str:
        return f"{self.prefix}:{name}"

    def get_values(self, names: Iterable[Hashable]) -> dict[Hashable, Any]:
        """The kept values among ``names`` (a record's pk, or its pk with the facts it also shows)."""
        keys = {self.key(name): name for name in names}
        found = caches[CACHE].get_many(list(keys)) if keys else {}
        return {keys[key]: value for key, value in found.items()}

    def put_value(self, name: Hashable, value: Any) -> None:
        caches[CACHE].set(self.key(name), value)

    def get_many(self, names: Iterable[Hashable]) -> dict[Hashable, tuple[dt.date | None, SafeString]]:
        """The kept pieces of HTML among ``names``: their date and HTML."""
        return {
            name: (day, mark_safe(html))  # noqa: S308 -- kept as a template rendered it
            for name, (day, html) in self.get_values(names).items()
        }

    def put(self, name: Hashable, day: dt.date | None, html: str) -> None:
        self.put_value(name, (day, str(html)))


@dataclass
class Kept:
    """A place in a page for a piece that may be kept: its HTML when it was, and where to keep it once rendered
    (the ``entry_html`` template tag reads and fills it)."""

    fragments: Fragments | None
    name: Hashable
    html: SafeString | None = None

    def keep(self, day: dt.date | None, html: str) -> None:
        if self.fragments is not None:
            self.fragments.put(self.name, day, html)


def kept_result(kind: str, generation: int, params: Mapping[str, Any], compute: Callable[[], T]) -> T:
    """The result of a read that depends only on the record and on ``params`` (a filtered list's sorted ids, say),
    computed once per generation: paging through a search runs the search once. Never for a read that depends
    on the clock."""
    # A filter's organization, product or jurisdiction stands in the key by its primary key.
    canonical = json.dumps(
        sorted(params.items()), default=lambda value: getattr(value, "pk", None) or str(value)
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    key = f"{kind}:{code_version()}:{generation}:{digest}"
    cache = caches[CACHE]
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found)
    return found
