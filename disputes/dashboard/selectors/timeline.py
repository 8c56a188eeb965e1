"""The global timeline: every letter, response and event, filtered and paged by cursor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from disputes.core.kept import Fragments, Kept, kept_result
from disputes.dashboard.forms import Cursor, TimelinePageForm
from disputes.dashboard.selectors.dispute import reported_dates
from disputes.dashboard.selectors.kept_letters import kept_letter_name
from disputes.filters.dashboard import TimelineFilterSet
from disputes.models import (
    DemandLetter,
    Dispute,
    Event,
    ReportedDate,
    Response,
    current_generation,
    disputed_fields,
    sort_key_period,
)

TIMELINE_PER_PAGE = 50


# --- Global timeline --------------------------------------------------------------------------------------

# Entries on the same day sort letter, event, response: the order things usually happen in.
RANK = {"letter": 0, "event": 1, "response": 2}


@dataclass
class TimelineItem:
    kind: str  # "event", "letter" or "response"
    date: dt.date
    obj: Event | DemandLetter | Response | None  # None when the entry's HTML was kept (``kept.html``)
    disputes: list[Dispute]
    cursor: Cursor
    disputed: dict[str, list[ReportedDate]] = field(default_factory=dict)
    overdue: bool = False
    kept: Kept | None = None

    @property
    def period(self) -> tuple[int, int]:
        """The heading the entry is listed under: the month it sorts in, or its year alone if only that is known."""
        return sort_key_period(self.cursor.key)


@dataclass
class TimelinePage:
    filterset: TimelineFilterSet
    items: list[TimelineItem]
    order: str  # "newest" or "oldest"
    newer: Cursor | None  # link to the entries before this page, in page order
    older: Cursor | None  # link to the entries after this page
    is_first: bool
    bad_cursor: bool = False
    invalid: bool = False
    now: dt.datetime | None = None


def _timeline_querysets(now: dt.datetime) -> dict[str, QuerySet]:
    """Per entry type: a queryset with everything a row shows. All three are ordered by ``date_sort``."""
    brief_disputes = Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title", "title_ja"))
    events = Event.objects.select_related("actor", "actor_person", "proceeding").prefetch_related(
        brief_disputes, "sources", reported_dates(), "other_actors__organization", "other_actors__person"
    )
    letters = (
        DemandLetter.objects.with_sincere_response()
        .with_timeline_date()
        .select_related("sender", "recipient", "dispute")
        .prefetch_related("demands", "on_behalf_of", "additional_recipients", "sources", reported_dates())
    )
    responses = Response.objects.select_related(
        "responder", "assessed_by", "letter", "letter__dispute", "letter__sender"
    ).prefetch_related("demands", "sources", reported_dates())
    return {"letter": letters, "event": events, "response": responses}


def _beyond(rank: int, cursor: Cursor, descending: bool) -> Q:
    """Rows of one entry type that come after ``cursor`` in the given direction, as an index-friendly Q."""
    lt, lte = ("lt", "lte") if descending else ("gt", "gte")
    pk = "pk__lt" if descending else "pk__gt"
    same_key_before = rank < cursor.rank if descending else rank > cursor.rank
    if rank == cursor.rank:
        return Q(**{f"date_sort__{lte}": cursor.key}) & (
            Q(**{f"date_sort__{lt}": cursor.key}) | Q(**{pk: cursor.pk})
        )
    if same_key_before:
        return Q(**{f"date_sort__{lte}": cursor.key})
    return Q(**{f"date_sort__{lt}": cursor.key})


def _fetch(
    filterset, now, cursor: Cursor | None, descending: bool, limit: int
) -> tuple[list[TimelineItem], bool]:
    """The next ``limit`` entries from ``cursor``, and whether there are more: first only the sort keys of up to
    ``limit + 1`` rows of each type (three narrow queries served by the ``(date_sort, id)`` indexes), merged
    (kept for the record's generation); then, for the entries that made the page and were not kept rendered, the
    full rows and their prefetches."""
    querysets = _timeline_querysets(now)
    generation = current_generation()

    def page_keys() -> tuple[list[Cursor], bool]:
        keys: list[Cursor] = []
        ordering = ["-date_sort", "-pk"] if descending else ["date_sort", "pk"]
        for kind, queryset in querysets.items():
            narrow = filterset.filter_queryset(queryset.model.objects.all())
            if cursor is not None:
                narrow = narrow.filter(_beyond(RANK[kind], cursor, descending))
            rank = RANK[kind]
            keys += [
                Cursor(key, rank, pk)
                for pk, key in narrow.order_by(*ordering).values_list("pk", "date_sort")[: limit + 1]
            ]
        keys.sort(reverse=descending)
        # The one past the page only says there is more: it is not loaded.
        return keys[:limit], len(keys) > limit

    if filterset.form.cleaned_data.get("overdue"):  # moves with the clock: never kept
        keys, more = page_keys()
    else:
        # Kept for the record's generation (core.kept): a page of a filter or search runs it once.
        keys, more = kept_result(
            "timeline-keys",
            generation,
            {**filterset.form.cleaned_data, "cursor": str(cursor), "descending": descending, "limit": limit},
            page_keys,
        )
    items: list[TimelineItem] = []
    for kind, queryset in querysets.items():
        wanted = {key.pk: key for key in keys if key.rank == RANK[kind]}
        if not wanted:
            continue
        fragments = Fragments.current(f"timeline-{kind}", generation)
        # A letter is kept under where it stands now (its deadline's wording), read from its own columns.
        names = _letter_names(wanted, now) if kind == "letter" else {pk: str(pk) for pk in wanted}
        kept = fragments.get_many(names.values())
        items += [
            TimelineItem(
                kind,
                cast(dt.date, kept[name][0]),
                None,
                [],
                wanted[pk],
                kept=Kept(fragments, name, kept[name][1]),
            )
            for pk, name in names.items()
            if name in kept
        ]
        missing = [pk for pk, name in names.items() if name not in kept]
        if missing:
            items += [
                _timeline_item(kind, obj, now, wanted[obj.pk], Kept(fragments, names[obj.pk]))
                for obj in queryset.filter(pk__in=missing)
            ]
    items.sort(key=lambda item: item.cursor, reverse=descending)
    return items, more


def _letter_names(wanted: dict[int, Cursor], now: dt.datetime) -> dict[int, str]:
    """Each letter's key among the kept entries: its pk and a digest of every wording of its deadline state at
    ``now`` (one narrow query), so that a kept letter is never shown with another instant's wording."""
    letters = DemandLetter.objects.for_deadline_state().filter(pk__in=wanted)
    names = {}
    for letter in letters:
        names[letter.pk] = kept_letter_name(letter.pk, letter.deadline_state(at=now))
    return names


def _timeline_item(kind: str, obj, now: dt.datetime, cursor: Cursor, kept: Kept) -> TimelineItem:
    disputed = disputed_fields(obj.reported_dates.all())
    if kind == "event":
        return TimelineItem(kind, obj.date, obj, list(obj.disputes.all()), cursor, disputed, kept=kept)
    if kind == "letter":
        obj.state = obj.deadline_state(at=now)
        return TimelineItem(
            kind,
            obj.timeline_date,
            obj,
            [obj.dispute],
            cursor,
            disputed,
            overdue=obj.state.overdue,
            kept=kept,
        )
    return TimelineItem(kind, obj.responded_on, obj, [obj.letter.dispute], cursor, disputed, kept=kept)


def timeline_page(
    *,
    filterset: TimelineFilterSet,
    page_form: TimelinePageForm,
    now: dt.datetime | None = None,
    limit: int = TIMELINE_PER_PAGE,
) -> TimelinePage:
    """A page of every dispute's events, letters and responses, filtered, in date order.

    Keyset pagination: each page starts from the sort key of the last entry shown (``after``) or the first
    (``before``), so page 2,000 costs what page 1 does. Three queries for the entries' keys, the generation of
    the kept entries, then only the entries not kept are loaded, with their prefetches.
    """
    now = now or timezone.now()
    valid = filterset.is_valid()
    order = (filterset.form.cleaned_data.get("order") if valid else None) or "newest"
    bad_cursor = not page_form.is_valid()
    after = page_form.cleaned_data.get("after") if not bad_cursor else None
    before = page_form.cleaned_data.get("before") if not bad_cursor else None
    newest_first = order == "newest"
    if not valid:
        return TimelinePage(filterset, [], order, None, None, True, bad_cursor, invalid=True, now=now)

    if before is not None:
        # The page before ``before``: walk the other way from it, then show in page order.
        items, more_before = _fetch(filterset, now, before, descending=not newest_first, limit=limit)
        items.reverse()
        newer = items[0].cursor if (items and more_before) else None
        older = items[-1].cursor if items else before
        return TimelinePage(filterset, items, order, newer, older, newer is None, bad_cursor, now=now)

    items, more_after = _fetch(filterset, now, after, descending=newest_first, limit=limit)
    older = items[-1].cursor if (items and more_after) else None
    newer = (items[0].cursor if items else after) if after is not None else None
    return TimelinePage(filterset, items, order, newer, older, after is None, bad_cursor, now=now)
