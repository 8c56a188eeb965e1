"""One dispute's page: its parties, letters, responses and events as one timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import (
    Case,
    Prefetch,
    Q,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.core.kept import Fragments, Kept, kept_result
from disputes.models import (
    AIProduct,
    Amount,
    ClaimRuling,
    DatePrecision,
    DemandLetter,
    DemandStatus,
    Dispute,
    DisputeParty,
    Event,
    EventKind,
    Follow,
    LetterStatus,
    Membership,
    PartyRole,
    Proceeding,
    ProceedingParty,
    ProceedingRole,
    ReminderSettings,
    ReportedDate,
    Response,
    ResponseChannel,
    Ruling,
    current_generation,
    date_sort_key,
    disputed_fields,
)

DISPUTE_TIMELINE_PER_PAGE = 25
CHART_EVENTS = 100
# The kinds a dispute's timeline can be filtered by: its letters, deadlines and responses, and each event kind.
ENTRY_KINDS = ("letter", "deadline", "response")


# --- One dispute's timeline -------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    """One row of a dispute's timeline: an event, a letter, a letter's deadline, or a response."""

    date: dt.date
    kind: str  # "event", "letter", "deadline" or "response"
    obj: Any
    letter: DemandLetter | None = None
    disputed: dict[str, list[ReportedDate]] = field(default_factory=dict)
    overdue: bool = False

    date_precision: str = DatePrecision.DAY
    date_sort: int = 0
    kept: Kept | None = None  # an event's place among the kept entries (``core.kept``)

    @property
    def sort_key(self) -> tuple:
        """Month- and year-only dates after the dated entries of their period (``date_sort``), then by kind."""
        order = {"letter": 0, "event": 1, "response": 2, "deadline": 3}
        return (self.date_sort, order[self.kind], getattr(self.obj, "pk", 0) or 0)


@dataclass
class TimelinePage:
    """One page of a dispute's timeline: newest first by default, optionally only one kind of entry."""

    entries: list[TimelineEntry]
    number: int
    pages: int
    total: int
    kind: str
    oldest_first: bool
    kinds: list[tuple[str, str, int]]  # (value, label, count) for the filter
    latest_event_ids: list[int] = field(default_factory=list)  # the dispute's latest events, newest first

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass
class Overview:
    """What the top of a dispute's page answers before any detail."""

    open_letters: list[DemandLetter]
    closed_letters: list[DemandLetter]
    open_demands: int
    latest: TimelineEntry | None
    proceedings: list[Proceeding]
    amounts: list[Amount]


@dataclass
class DisputeDetail:
    dispute: Dispute
    timeline: list[TimelineEntry]
    letters: list[DemandLetter]
    parties: list[DisputeParty]
    members: dict[int, list[Membership]]
    now: dt.datetime
    events: list[Event] = field(default_factory=list)
    page: TimelinePage | None = None
    overview: Overview | None = None
    following: bool = False
    followers: list = field(default_factory=list)
    # Per letter id: who follows that letter alone, and whether the viewer does.
    letter_followers: dict[int, list] = field(default_factory=dict)
    followed_letter_ids: set[int] = field(default_factory=set)
    generation: int | None = None  # the record's, under which the page's chart is kept


def reported_dates():
    return Prefetch("reported_dates", queryset=ReportedDate.objects.select_related("source"))


def letters_for_timeline():
    """Letters with everything their timeline rows show, prefetched."""
    responses = Response.objects.select_related("responder", "assessed_by").prefetch_related(
        "sources", "demands", reported_dates()
    )
    return (
        DemandLetter.objects.select_related("sender", "recipient", "owner", "dispute")
        .prefetch_related(
            "demands",
            "on_behalf_of",
            "additional_recipients",
            "products",
            "sources",
            reported_dates(),
            Prefetch("responses", queryset=responses),
        )
        .with_timeline_date()
        .order_by("timeline_date", "id")
    )


def events_for_timeline():
    return Event.objects.for_timeline().prefetch_related(
        "sources", "products", reported_dates(), "other_actors__organization", "other_actors__person"
    )


def proceedings_for_page():
    """A dispute's proceedings with their court, dockets, judges, parties, claims, rulings and outcomes."""
    rulings = Ruling.objects.order_by("-decided_on", "-id").prefetch_related(
        Prefetch("outcomes", queryset=ClaimRuling.objects.select_related("claim__cause"))
    )
    return Proceeding.objects.for_dispute_page().prefetch_related(
        "dockets",
        "judge_links__person",
        Prefetch(
            "parties",
            queryset=ProceedingParty.objects.select_related("organization", "person").order_by(
                Case(*(When(role=role, then=rank) for rank, role in enumerate(ProceedingRole.values))), "id"
            ),
        ),
        "claims__cause",
        Prefetch("rulings", queryset=rulings),
    )


def mark_letter(letter: DemandLetter, now: dt.datetime) -> None:
    """Set ``has_sincere_response`` and ``state`` (its ``DeadlineState`` at ``now``) from the prefetched
    responses."""
    responses = list(letter.responses.all())
    letter.has_sincere_response = letter.answered_sincerely()
    letter.state = letter.deadline_state(at=now, answered=letter.has_sincere_response)
    replies = [r for r in responses if r.channel != ResponseChannel.NONE]
    letter.first_response = min(replies, key=lambda r: r.responded_on) if replies else None
    demands = list(letter.demands.all())
    letter.open_demands = (
        [d for d in demands if d.status == DemandStatus.PENDING]
        if letter.status == (LetterStatus.OPEN)
        else []
    )
    # A letter closed or withdrawn with demands still marked pending: the page says they were left unresolved
    # rather than calling them pending.
    letter.unresolved_demands = (
        [d for d in demands if d.status == DemandStatus.PENDING] if letter.status != LetterStatus.OPEN else []
    )


def _letter_entries(letter: DemandLetter, now: dt.datetime) -> list[TimelineEntry]:
    mark_letter(letter, now)
    entries = [
        TimelineEntry(
            date=cast(dt.date, letter.date),  # a constraint makes a letter dated or sent
            kind="letter",
            obj=letter,
            letter=letter,
            disputed=disputed_fields(letter.reported_dates.all()),
            overdue=letter.state.overdue,
            date_precision=letter.date_precision,
            date_sort=letter.date_sort,
        )
    ]
    if letter.response_deadline_on:
        entries.append(
            TimelineEntry(
                date=letter.response_deadline_on,
                kind="deadline",
                obj=letter,
                letter=letter,
                overdue=letter.state.overdue,
                date_sort=date_sort_key(letter.response_deadline_on),
            )
        )
    for response in letter.responses.all():
        entries.append(
            TimelineEntry(
                date=response.responded_on,
                kind="response",
                obj=response,
                letter=letter,
                disputed=disputed_fields(response.reported_dates.all()),
                date_precision=response.date_precision,
                date_sort=response.date_sort,
            )
        )
    return entries


def _event_entry(event: Event, fragments: Fragments) -> TimelineEntry:
    return TimelineEntry(
        date=event.date,
        kind="event",
        obj=event,
        disputed=disputed_fields(event.reported_dates.all()),
        date_precision=event.date_precision,
        date_sort=event.date_sort,
        kept=Kept(fragments, event.pk),
    )


def timeline_kinds() -> list[tuple[str, str]]:
    labels = {"letter": _("Letters"), "deadline": _("Deadlines"), "response": _("Responses")}
    return [(kind, labels[kind]) for kind in ENTRY_KINDS] + [(k.value, str(k.label)) for k in EventKind]


def _timeline_page(
    dispute: Dispute,
    letter_entries: list[TimelineEntry],
    *,
    page: int,
    kind: str,
    oldest_first: bool,
    generation: int,
) -> TimelinePage:
    """Page the merged timeline without loading every event: one light query orders all of them (id, sort key,
    kind), then only the page's events not kept rendered are fetched whole. Four queries (with the generation of
    the kept entries) plus the events' prefetches."""
    # The order of all its events is the record's alone: kept for the generation (``core.kept``).
    index = kept_result(
        "dispute-event-index",
        generation,
        {"dispute": dispute.pk},
        lambda: [
            (date_sort, 1, pk, event_kind)
            for pk, date_sort, event_kind in Event.objects.filter(disputes=dispute).values_list(
                "id", "date_sort", "kind"
            )
        ],
    )
    order = {"letter": 0, "event": 1, "response": 2, "deadline": 3}
    rows: list[tuple] = [(e.date_sort, order[e.kind], e.obj.pk, e.kind, e) for e in letter_entries]
    rows.extend((date_sort, rank, pk, event_kind, None) for date_sort, rank, pk, event_kind in index)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[3]] = counts.get(row[3], 0) + 1
    kinds = [(value, label, counts[value]) for value, label in timeline_kinds() if counts.get(value)]
    if kind and kind in counts:
        rows = [row for row in rows if row[3] == kind]
    else:
        kind = ""
    rows.sort(key=lambda row: row[:3], reverse=not oldest_first)
    total = len(rows)
    pages = max(1, -(-total // DISPUTE_TIMELINE_PER_PAGE))
    page = min(max(page, 1), pages)
    window = rows[(page - 1) * DISPUTE_TIMELINE_PER_PAGE : page * DISPUTE_TIMELINE_PER_PAGE]
    # The chart's latest events come from the same sort keys (one OR-free query over the dispute's links;
    # asking for "its latest 100 events" made PostgreSQL walk every event in date order).
    latest_event_ids = [pk for _key, _rank, pk, _kind in sorted(index, reverse=True)[:CHART_EVENTS]]
    # The page's events: those kept rendered come from the cache, only the others are loaded.
    event_ids = [row[2] for row in window if row[4] is None]
    fragments = Fragments.current("dispute-event", generation)
    kept = fragments.get_many(event_ids)
    missing = [pk for pk in event_ids if pk not in kept]
    events = {event.pk: event for event in events_for_timeline().filter(pk__in=missing)} if missing else {}

    def event_entry(pk: int, date_sort: int) -> TimelineEntry:
        if pk in kept:
            day, html = kept[pk]
            kept_entry = Kept(fragments, pk, html)
            return TimelineEntry(cast(dt.date, day), "event", None, date_sort=date_sort, kept=kept_entry)
        return _event_entry(events[pk], fragments)

    entries = [row[4] if row[4] is not None else event_entry(row[2], row[0]) for row in window]
    return TimelinePage(
        entries=entries,
        number=page,
        pages=pages,
        total=total,
        kind=kind,
        oldest_first=oldest_first,
        kinds=kinds,
        latest_event_ids=latest_event_ids,
    )


@dataclass
class _DisputeRecord:
    """What a dispute's page shows of the record itself: the same at every instant and for every reader."""

    dispute: Dispute
    parties: list[DisputeParty]
    members: dict[int, list[Membership]]
    letters: list[Any]  # DemandLetters with what their timeline rows show, and whether reminders are silenced
    proceedings: list[Proceeding]
    amounts: list[Amount]


def _dispute_record(slug: str) -> _DisputeRecord | None:
    dispute = (
        Dispute.objects.prefetch_related(
            "jurisdictions",
            "sources",
            Prefetch("products", queryset=AIProduct.objects.select_related("developer")),
            Prefetch("related", queryset=Dispute.objects.order_by("title")),
        )
        .filter(slug=slug)
        .first()
    )
    if dispute is None:
        return None
    role_order = {role: position for position, role in enumerate(PartyRole.values)}
    parties = sorted(
        DisputeParty.objects.filter(dispute=dispute).select_related("organization"),
        key=lambda party: (role_order.get(party.role, len(role_order)), party.who),
    )
    associations = [
        p.organization_id for p in parties if p.role in (PartyRole.CLAIMANT, PartyRole.RESPONDENT)
    ]
    members: dict[int, list[Membership]] = {}
    for membership in (
        Membership.objects.filter(association_id__in=associations)
        .select_related("member")
        .order_by("member__name", "reported_on")
    ):
        members.setdefault(membership.association_id, []).append(membership)
    return _DisputeRecord(
        dispute=dispute,
        parties=parties,
        members=members,
        letters=list(ReminderSettings.with_silenced(letters_for_timeline().filter(dispute=dispute))),
        proceedings=list(proceedings_for_page().filter(dispute=dispute)),
        amounts=list(
            Amount.objects.filter(dispute=dispute)
            .select_related("proceeding", "ruling")
            .prefetch_related("sources", reported_dates())
            .order_by("kind", "id")
        ),
    )


def dispute_detail(
    *,
    slug: str,
    now: dt.datetime | None = None,
    user=None,
    page: int = 1,
    kind: str = "",
    oldest_first: bool = False,
) -> DisputeDetail | None:
    """A dispute, the answers its page gives first (overview), and one page of its timeline (newest first unless
    ``oldest_first``; only entries of ``kind`` if given). None for an unknown slug.

    With ``user``, also says whether that user follows the dispute. A fixed number of queries whatever the data
    size: the letters come whole (there are few), the events only for the page shown and the chart's latest.
    """
    now = now or timezone.now()
    generation = current_generation()
    # What the page shows of the record itself is kept for the record's generation (``core.kept``);
    # where each letter stands now, the page of events and the follows are worked out on every request.
    record = kept_result("dispute-record", generation, {"slug": slug}, lambda: _dispute_record(slug))
    if record is None:
        return None
    dispute, parties, members, letters = record.dispute, record.parties, record.members, record.letters
    letter_entries: list[TimelineEntry] = []
    for letter in letters:
        letter_entries.extend(_letter_entries(letter, now))
        # The clock runs on our policy deadline, but staff have turned reminders for those off: the page says so.
        letter.policy_reminders_off = letter.state.awaiting and letter.silenced
    timeline = _timeline_page(
        dispute, letter_entries, page=page, kind=kind, oldest_first=oldest_first, generation=generation
    )
    # The chart shows the latest events only: a dispute with a thousand events must not draw them all.
    # Its date, kind and title are all the chart shows of each; the latest one is loaded whole for the overview.
    events = (
        list(
            Event.objects.filter(pk__in=timeline.latest_event_ids)
            .only("pk", "date", "date_precision", "kind", "title", "date_sort")
            .order_by("date_sort", "id")
        )
        if timeline.latest_event_ids
        else []
    )
    latest_event = Event.objects.filter(pk=events[-1].pk).first() if events else None
    candidates = [e for e in letter_entries if e.kind != "deadline"]
    if latest_event is not None:
        candidates.append(
            TimelineEntry(
                date=latest_event.date,
                kind="event",
                obj=latest_event,
                date_precision=latest_event.date_precision,
                date_sort=latest_event.date_sort,
            )
        )
    latest = max(candidates, key=lambda e: e.sort_key) if candidates else None
    overview = Overview(
        open_letters=[letter for letter in letters if letter.status == LetterStatus.OPEN],
        closed_letters=[letter for letter in letters if letter.status != LetterStatus.OPEN],
        open_demands=sum(len(letter.open_demands) for letter in letters),
        latest=latest,
        proceedings=record.proceedings,
        amounts=record.amounts,
    )
    followers: list = []
    letter_followers: dict[int, list] = {}
    for follow in (
        Follow.objects.filter(Q(dispute=dispute) | Q(letter__dispute=dispute))
        .select_related("user")
        .order_by("created_at", "pk")
    ):
        if follow.dispute_id:
            followers.append(follow.user)
        else:
            letter_followers.setdefault(cast(int, follow.letter_id), []).append(follow.user)
    viewer_id = user.pk if user is not None and user.is_authenticated else None
    following = viewer_id is not None and any(u.pk == viewer_id for u in followers)
    followed_letter_ids = {
        letter_id for letter_id, users in letter_followers.items() if any(u.pk == viewer_id for u in users)
    }
    return DisputeDetail(
        dispute=dispute,
        timeline=timeline.entries,
        page=timeline,
        overview=overview,
        letters=letters,
        parties=parties,
        members=members,
        now=now,
        events=events,
        following=following,
        followers=followers,
        letter_followers=letter_followers,
        followed_letter_ids=followed_letter_ids,
        generation=generation,
    )
