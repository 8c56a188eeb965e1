"""The global timeline: every letter, response and event, filtered and paged by cursor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.http import QueryDict
from django.utils import timezone

from disputes.dashboard.forms import Cursor, TimelinePageForm
from disputes.dashboard.selectors.dispute import reported_dates
from disputes.dashboard.selectors.lists import letter_date
from disputes.filters.dashboard import TimelineFilterSet
from disputes.models import (
    DemandLetter,
    Dispute,
    Event,
    ReportedDate,
    Response,
    disputed_fields,
)

DISPUTES_PER_PAGE = 25
TIMELINE_PER_PAGE = 50
NO_DATE = dt.date(1, 1, 1)


# --- Global timeline --------------------------------------------------------------------------------------

# Entries on the same day sort letter, event, response: the order things usually happen in.
RANK = {"letter": 0, "event": 1, "response": 2}


@dataclass
class TimelineItem:
    kind: str  # "event", "letter" or "response"
    date: dt.date
    obj: object
    disputes: list[Dispute]
    disputed: dict[str, list[ReportedDate]] = field(default_factory=dict)
    overdue: bool = False

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.date, RANK[self.kind], self.obj.pk)


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


def _timeline_querysets(now: dt.datetime) -> dict[str, tuple[QuerySet, str]]:
    """Per entry type: a queryset with everything a row shows, and the name of its date column."""
    brief_disputes = Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title", "title_ja"))
    events = Event.objects.select_related("actor", "actor_person").prefetch_related(
        brief_disputes, "sources", reported_dates()
    )
    letters = (
        DemandLetter.objects.with_sincere_response()
        .annotate(timeline_date=letter_date())
        .select_related("sender", "recipient", "dispute")
        .prefetch_related("demands", "on_behalf_of", "sources", reported_dates())
    )
    responses = Response.objects.select_related(
        "responder", "assessed_by", "letter", "letter__dispute", "letter__sender"
    ).prefetch_related("demands", "sources", reported_dates())
    return {
        "letter": (letters, "timeline_date"),
        "event": (events, "date"),
        "response": (responses, "responded_on"),
    }


def _beyond(date_field: str, rank: int, cursor: Cursor, descending: bool) -> Q:
    """Rows of one entry type that come after ``cursor`` in the given direction, as an index-friendly Q."""
    lt, lte = ("lt", "lte") if descending else ("gt", "gte")
    pk = "pk__lt" if descending else "pk__gt"
    same_day_before = rank < cursor.rank if descending else rank > cursor.rank
    if rank == cursor.rank:
        return Q(**{f"{date_field}__{lte}": cursor.date}) & (
            Q(**{f"{date_field}__{lt}": cursor.date}) | Q(**{pk: cursor.pk})
        )
    if same_day_before:
        return Q(**{f"{date_field}__{lte}": cursor.date})
    return Q(**{f"{date_field}__{lt}": cursor.date})


def _fetch(filterset, now, cursor: Cursor | None, descending: bool, limit: int) -> list[TimelineItem]:
    """The next ``limit + 1`` entries from ``cursor``: first only the sort keys of up to ``limit + 1`` rows of
    each type (three narrow, index-ordered queries), merged; then the full rows and their prefetches for the
    entries that made the page (three queries plus prefetches), not for every row looked at."""
    keys: list[Cursor] = []
    querysets = _timeline_querysets(now)
    for kind, (queryset, date_field) in querysets.items():
        narrow = filterset.filter_queryset(queryset.model.objects.all())
        if kind == "letter":
            narrow = narrow.annotate(timeline_date=letter_date())
        if cursor is not None:
            narrow = narrow.filter(_beyond(date_field, RANK[kind], cursor, descending))
        ordering = [f"-{date_field}", "-pk"] if descending else [date_field, "pk"]
        rank = RANK[kind]
        keys += [
            Cursor(day, rank, pk)
            for pk, day in narrow.order_by(*ordering).values_list("pk", date_field)[: limit + 1]
        ]
    keys.sort(reverse=descending)
    keys = keys[: limit + 1]
    items: list[TimelineItem] = []
    for kind, (queryset, _date_field) in querysets.items():
        wanted = [key.pk for key in keys if key.rank == RANK[kind]]
        if wanted:
            items += [_timeline_item(kind, obj, now) for obj in queryset.filter(pk__in=wanted)]
    items.sort(key=lambda item: item.cursor, reverse=descending)
    return items


def _timeline_item(kind: str, obj, now: dt.datetime) -> TimelineItem:
    if kind == "event":
        return TimelineItem(
            kind, obj.date, obj, list(obj.disputes.all()), disputed_fields(obj.reported_dates.all())
        )
    if kind == "letter":
        obj.overdue = obj.is_overdue(at=now, has_sincere_response=obj.has_sincere_response)
        obj.days_overdue = obj.overdue_days(at=now, has_sincere_response=obj.has_sincere_response)
        return TimelineItem(
            kind,
            obj.timeline_date,
            obj,
            [obj.dispute],
            disputed_fields(obj.reported_dates.all()),
            overdue=obj.overdue,
        )
    return TimelineItem(
        kind, obj.responded_on, obj, [obj.letter.dispute], disputed_fields(obj.reported_dates.all())
    )


def timeline_page(
    *, params: QueryDict, now: dt.datetime | None = None, limit: int = TIMELINE_PER_PAGE
) -> TimelinePage:
    """A page of every dispute's events, letters and responses, filtered, in date order.

    Keyset pagination: each page starts from the sort key of the last entry shown (``after``) or the first
    (``before``), so page 2,000 costs what page 1 does. Three queries for the entries, plus their prefetches.
    """
    now = now or timezone.now()
    filterset = TimelineFilterSet(params, queryset=Event.objects.none(), now=now)
    valid = filterset.is_valid()
    order = (filterset.form.cleaned_data.get("order") if valid else None) or "newest"
    page_form = TimelinePageForm(params)
    bad_cursor = not page_form.is_valid()
    after = page_form.cleaned_data.get("after") if not bad_cursor else None
    before = page_form.cleaned_data.get("before") if not bad_cursor else None
    newest_first = order == "newest"
    if not valid:
        return TimelinePage(filterset, [], order, None, None, True, bad_cursor, invalid=True, now=now)

    if before is not None:
        # The page before ``before``: walk the other way from it, then show in page order.
        items = _fetch(filterset, now, before, descending=not newest_first, limit=limit)
        more_before = len(items) > limit
        items = list(reversed(items[:limit]))
        newer = items[0].cursor if (items and more_before) else None
        older = items[-1].cursor if items else before
        return TimelinePage(filterset, items, order, newer, older, newer is None, bad_cursor, now=now)

    items = _fetch(filterset, now, after, descending=newest_first, limit=limit)
    more_after = len(items) > limit
    items = items[:limit]
    older = items[-1].cursor if (items and more_after) else None
    newer = (items[0].cursor if items else after) if after is not None else None
    return TimelinePage(filterset, items, order, newer, older, after is None, bad_cursor, now=now)
