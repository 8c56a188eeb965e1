"""Letters listed on a page, each kept rendered under where it stands (``core.kept``).

A letter's row shows the record (kept for its generation) and where the letter stands against its deadline, which
moves with the clock. So a row is kept under the letter's pk and a digest of every wording of its deadline state
at the moment of the request, worked out from plain values (its ``DEADLINE_STATE_FIELDS`` and whether a response
answers it); only the letters whose row was not kept are loaded, to render it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

from disputes.core.kept import Fragments, Kept
from disputes.models import DemandLetter
from disputes.models.deadline_state import DeadlineState


class ListedLetter(Protocol):
    pk: int
    kept: Kept
    letter: DemandLetter | None


Row = TypeVar("Row", bound=ListedLetter)


def kept_letter_name(pk: int, state: DeadlineState) -> str:
    """The name a letter's rendered row is kept under: its pk and the wording of where it stands, so that a kept
    row is never shown with another instant's wording (the global timeline's entries use it too)."""
    return f"{pk}-{state.wording_digest()}"


def kept_letter_rows(
    name: str,
    generation: int,
    values: Iterable[Mapping[str, Any]],
    now: dt.datetime,
    make: Callable[[Mapping[str, Any], DeadlineState, Kept], Row],
    load: Callable[[list[int]], Mapping[int, DemandLetter]],
) -> list[Row]:
    """Each of ``values`` (a letter's ``pk``, ``answered`` and ``DEADLINE_STATE_FIELDS``) made into a row of the
    page (``make(values, state, kept)``), with its HTML when it was kept (as ``name``, the kind of row) under its pk
    and wording at ``now``; the letters whose HTML was not are loaded (``load(pks)``) to render it."""
    fragments = Fragments.current(name, generation)
    rows = []
    for row in values:
        fields = {field: row[field] for field in DemandLetter.DEADLINE_STATE_FIELDS}
        state = DemandLetter.deadline_state_of(at=now, answered=row["answered"], **fields)
        rows.append(make(row, state, Kept(fragments, kept_letter_name(row["pk"], state))))
    found = fragments.get_many(row.kept.name for row in rows)
    for made in rows:
        if made.kept.name in found:
            made.kept.html = found[made.kept.name][1]
    missing = [made for made in rows if made.kept.html is None]
    if missing:
        letters = load([made.pk for made in missing])
        for made in missing:
            made.letter = letters[made.pk]
    return rows
