"""Bringing the record's derived data up to date once per bulk write instead of once per saved row.

Saving a record rewrites its search document, and a record on a dispute's timeline also rewrites the dispute's
search document and latest activity (``search.Searchable``, ``derived.TimelineRecord``, ``Demand.save``), so they
are never behind. A bulk writer that saves hundreds of rows on the same few disputes (the demo loader) would
rewrite each dispute's document hundreds of times. Inside ``derived_data_deferred()`` those rewrites are collected
and each is done once, for every record it was asked for, at the end of the block and inside its transaction.
What is stored is the same as the row-by-row path stores, because both are computed from what is in the database
when they run; only reads of search documents or latest activity made inside the block see them as they were
before it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

Job = Callable[[list[int]], object]

# key -> (the job, the ids asked for, each once and in order); None outside derived_data_deferred().
_pending: ContextVar[dict[Hashable, tuple[Job, dict[int, None]]] | None] = ContextVar(
    "derived_data_pending", default=None
)


def refresh_now_or_later(key: Hashable, job: Job, ids: Iterable[int]) -> None:
    """Call ``job(ids)`` now; inside ``derived_data_deferred()``, once at its end with the ids of every call made
    with the same ``key`` (each id once)."""
    pending = _pending.get()
    if pending is None:
        job(list(ids))
        return
    _job, queued = pending.setdefault(key, (job, {}))
    queued.update(dict.fromkeys(ids))


@contextmanager
def derived_data_deferred() -> Iterator[None]:
    """Collect the derived-data refreshes of the saves in this block and run each once when it ends, in the
    same transaction. Nested blocks join the outer one. An exception discards what was collected (the
    transaction is rolled back with the rows)."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[Hashable, tuple[Job, dict[int, None]]] = {}
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            token = None
            for job, ids in pending.values():
                job(list(ids))
    finally:
        if token is not None:
            _pending.reset(token)
