"""Read queries that shape data for pages. Each runs a fixed number of SQL queries whatever the data size."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils import timezone

from .filters import STAGE_ORDER, DisputeFilterSet, TimelineFilterSet
from .forms import Cursor, TimelinePageForm, parse_page_number
from .models import (
    AIProduct,
    Assessment,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    Follow,
    LetterStatus,
    Membership,
    Organization,
    PartyRole,
    Person,
    Reminder,
    ReminderKind,
    ReportedDate,
    Response,
    ResponseChannel,
    Stage,
    disputed_fields,
)
from .selectors_reminders import reminders_health

DISPUTES_PER_PAGE = 25
TIMELINE_PER_PAGE = 50
NO_DATE = dt.date(1, 1, 1)


# --- Disputes list ----------------------------------------------------------------------------------------


def _letter_date():
    """The date a letter stands at on a timeline, in SQL: sent, else dated, else announced."""
    return Coalesce("sent_on", "dated_on", "announced_on")


def _next_deadline():
    """The earliest deadline among a dispute's open, unanswered letters (overdue ones included)."""
    return Subquery(
        DemandLetter.objects.open()
        .unanswered()
        .filter(dispute=OuterRef("pk"), response_deadline_at__isnull=False)
        .order_by("response_deadline_at")
        .values("response_deadline_at")[:1]
    )


def dispute_list(*, now: dt.datetime | None = None) -> QuerySet:
    """Disputes with what a list row shows: stage, parties, products, counts, next deadline, overdue flag.

    The counts are correlated subqueries rather than joins, so a dispute with many events does not multiply
    rows. Apply it to one page of disputes (see ``dispute_list_page``); ``last_activity`` is added there.
    """
    now = now or timezone.now()

    def count(queryset, group: str):
        return Coalesce(
            Subquery(
                queryset.order_by().values(group).annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    return (
        Dispute.objects.prefetch_related(
            "jurisdictions",
            Prefetch("parties", queryset=DisputeParty.objects.select_related("organization")),
            Prefetch("products", queryset=AIProduct.objects.select_related("developer")),
        )
        .annotate(
            letter_count=count(DemandLetter.objects.filter(dispute=OuterRef("pk")), "dispute"),
            event_count=count(Event.disputes.through.objects.filter(dispute=OuterRef("pk")), "dispute"),
            next_deadline=_next_deadline(),
            has_overdue=Exists(DemandLetter.objects.overdue(at=now).filter(dispute=OuterRef("pk"))),
        )
        .order_by("title")
    )


def last_activity_by_dispute(dispute_ids: list[int] | None = None) -> dict[int, dt.date]:
    """The date of each dispute's latest event, letter or response. Three grouped queries.

    Grouped aggregates over the whole tables cost one hash join each; a correlated subquery per dispute would
    cost a join per dispute, and sorting the list by it would run one for every dispute.
    """
    queries = [
        Event.disputes.through.objects.values_list("dispute").annotate(day=Max("event__date")),
        DemandLetter.objects.values_list("dispute").annotate(day=Max(_letter_date())),
        Response.objects.values_list("letter__dispute").annotate(day=Max("responded_on")),
    ]
    latest: dict[int, dt.date] = {}
    for index, query in enumerate(queries):
        if dispute_ids is not None:
            query = query.filter(**{("letter__dispute__in" if index == 2 else "dispute__in"): dispute_ids})
        for dispute_id, day in query.order_by():
            if day and (dispute_id not in latest or day > latest[dispute_id]):
                latest[dispute_id] = day
    return latest


SQL_SORTS = {
    "deadline": lambda qs: qs.annotate(next_deadline=_next_deadline()).order_by(
        F("next_deadline").asc(nulls_last=True), "title", "pk"
    ),
    "title": lambda qs: qs.order_by("title", "pk"),
    "stage": lambda qs: qs.annotate(stage_order=STAGE_ORDER).order_by("stage_order", "title", "pk"),
}


@dataclass
class DisputeListPage:
    filterset: DisputeFilterSet
    page: Page
    notice: str = ""  # "not-a-number" or "past-the-end", for the view to turn into a message
    invalid: bool = False
    asked_page: int = 1


def dispute_list_page(*, params: QueryDict, now: dt.datetime | None = None) -> DisputeListPage:
    """One page of the filtered, sorted disputes list. Invalid filters give an empty page, never every row.

    The filtered ids are sorted and paged first (a narrow query, or three grouped ones for the latest
    activity); only the page's 25 disputes get the row annotations and prefetches.
    """
    now = now or timezone.now()
    filterset = DisputeFilterSet(params, queryset=Dispute.objects.all(), now=now)
    invalid = not filterset.is_valid()
    sort = (filterset.form.cleaned_data.get("sort") if not invalid else None) or "activity"
    activity: dict[int, dt.date] | None = None
    if invalid:
        ids: list[int] = []
    elif sort == "activity":
        activity = last_activity_by_dispute()
        rows = list(filterset.qs.order_by().values_list("pk", "title"))
        rows.sort(key=lambda row: (-(activity.get(row[0]) or NO_DATE).toordinal(), row[1], row[0]))
        ids = [pk for pk, _title in rows]
    else:
        ids = list(SQL_SORTS[sort](filterset.qs).values_list("pk", flat=True))

    paginator = Paginator(ids, DISPUTES_PER_PAGE)
    asked = parse_page_number(params.get("page"))
    notice = asked.problem
    number = asked.number
    if number > paginator.num_pages:
        notice = "past-the-end"
        number = paginator.num_pages
    page = paginator.page(number)
    page_ids = list(page.object_list)
    if activity is None:
        activity = last_activity_by_dispute(page_ids) if page_ids else {}
    by_id = {dispute.pk: dispute for dispute in dispute_list(now=now).filter(pk__in=page_ids)}
    page.object_list = [by_id[pk] for pk in page_ids if pk in by_id]
    for dispute in page.object_list:
        dispute.last_activity = activity.get(dispute.pk)
    return DisputeListPage(
        filterset=filterset, page=page, notice=notice, invalid=invalid, asked_page=asked.number
    )


# --- One dispute's timeline -------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    """One row of a dispute's timeline: an event, a letter, a letter's deadline, or a response."""

    date: dt.date
    kind: str  # "event", "letter", "deadline" or "response"
    obj: object
    letter: DemandLetter | None = None
    disputed: dict[str, list[ReportedDate]] = field(default_factory=dict)
    overdue: bool = False

    @property
    def sort_key(self) -> tuple:
        order = {"letter": 0, "event": 1, "response": 2, "deadline": 3}
        return (self.date, order[self.kind], getattr(self.obj, "pk", 0) or 0)


@dataclass
class DisputeDetail:
    dispute: Dispute
    timeline: list[TimelineEntry]
    letters: list[DemandLetter]
    parties: list[DisputeParty]
    members: dict[int, list[Membership]]
    now: dt.datetime
    events: list[Event] = field(default_factory=list)
    following: bool = False
    followers: list = field(default_factory=list)
    # Per letter id: who follows that letter alone, and whether the viewer does.
    letter_followers: dict[int, list] = field(default_factory=dict)
    followed_letter_ids: set[int] = field(default_factory=set)


def _reported_dates():
    return Prefetch("reported_dates", queryset=ReportedDate.objects.select_related("source"))


def letters_for_timeline():
    """Letters with everything their timeline rows show, prefetched."""
    responses = Response.objects.select_related("responder", "assessed_by").prefetch_related(
        "sources", "demands", _reported_dates()
    )
    return (
        DemandLetter.objects.select_related("sender", "recipient", "owner", "dispute")
        .prefetch_related(
            "demands",
            "on_behalf_of",
            "products",
            "sources",
            _reported_dates(),
            Prefetch("responses", queryset=responses),
        )
        .order_by("sent_on", "dated_on", "id")
    )


def events_for_timeline():
    return Event.objects.for_timeline().prefetch_related("sources", "products", _reported_dates())


def _mark_letter(letter: DemandLetter, now: dt.datetime) -> None:
    """Set ``has_sincere_response``, ``overdue`` and ``days_overdue`` from the prefetched responses."""
    responses = list(letter.responses.all())
    letter.has_sincere_response = any(r.assessment == Assessment.SINCERE for r in responses)
    letter.overdue = letter.is_overdue(at=now, has_sincere_response=letter.has_sincere_response)
    letter.days_overdue = letter.overdue_days(at=now, has_sincere_response=letter.has_sincere_response)
    replies = [r for r in responses if r.channel != ResponseChannel.NONE]
    letter.first_response = min(replies, key=lambda r: r.responded_on) if replies else None


def _letter_entries(letter: DemandLetter, now: dt.datetime) -> list[TimelineEntry]:
    _mark_letter(letter, now)
    entries = [
        TimelineEntry(
            date=letter.date,
            kind="letter",
            obj=letter,
            letter=letter,
            disputed=disputed_fields(letter.reported_dates.all()),
            overdue=letter.overdue,
        )
    ]
    if letter.response_deadline_on:
        entries.append(
            TimelineEntry(
                date=letter.response_deadline_on,
                kind="deadline",
                obj=letter,
                letter=letter,
                overdue=letter.overdue,
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
            )
        )
    return entries


def dispute_detail(*, slug: str, now: dt.datetime | None = None, user=None) -> DisputeDetail:
    """A dispute and its whole timeline, in date order. Raises Http404 for an unknown slug.

    With ``user``, also says whether that user follows the dispute. Twenty-two queries whatever the data size
    (nineteen while no letter has a response: Django skips the prefetches of an empty result).
    """
    now = now or timezone.now()
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
        raise Http404("No dispute with that address.")
    role_order = {role: position for position, role in enumerate(PartyRole.values)}
    parties = sorted(
        DisputeParty.objects.filter(dispute=dispute).select_related("organization"),
        key=lambda party: (role_order.get(party.role, len(role_order)), party.organization.name),
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

    letters = list(letters_for_timeline().filter(dispute=dispute))
    entries: list[TimelineEntry] = []
    for letter in letters:
        entries.extend(_letter_entries(letter, now))
    events = list(events_for_timeline().filter(disputes=dispute))
    for event in events:
        entries.append(
            TimelineEntry(
                date=event.date, kind="event", obj=event, disputed=disputed_fields(event.reported_dates.all())
            )
        )
    entries.sort(key=lambda e: e.sort_key)
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
            letter_followers.setdefault(follow.letter_id, []).append(follow.user)
    viewer_id = user.pk if user is not None and user.is_authenticated else None
    following = viewer_id is not None and any(u.pk == viewer_id for u in followers)
    followed_letter_ids = {
        letter_id for letter_id, users in letter_followers.items() if any(u.pk == viewer_id for u in users)
    }
    return DisputeDetail(
        dispute=dispute,
        timeline=entries,
        letters=letters,
        parties=parties,
        members=members,
        now=now,
        events=events,
        following=following,
        followers=followers,
        letter_followers=letter_followers,
        followed_letter_ids=followed_letter_ids,
    )


# --- Home -------------------------------------------------------------------------------------------------


@dataclass
class OverdueRow:
    letter: DemandLetter
    days_overdue: int
    reminder: Reminder | None
    followers: list


@dataclass
class StageCount:
    stage: str
    label: str
    count: int


@dataclass
class HomeDashboard:
    overdue: list[OverdueRow]
    due_soon: list[DemandLetter]
    awaiting_assessment: list[Response]
    latest_events: list[Event]
    stage_counts: list[StageCount]
    dispute_total: int
    now: dt.datetime
    horizon_days: int


HOME_OVERDUE_LIMIT = 50
HOME_LIST_LIMIT = 10


def _followers(follows) -> list:
    seen, users = set(), []
    for follow in follows:
        if follow.user_id not in seen:
            seen.add(follow.user_id)
            users.append(follow.user)
    return users


def home_dashboard(*, now: dt.datetime | None = None, horizon_days: int = 30) -> HomeDashboard:
    """What a member of staff checks first: overdue letters, deadlines ahead, unassessed responses, news.

    Ten queries whatever the data size.
    """
    now = now or timezone.now()
    follows = Follow.objects.select_related("user").order_by("created_at")
    overdue_letters_qs = (
        DemandLetter.objects.overdue(at=now)
        .select_related("sender", "recipient", "dispute")
        .prefetch_related(
            "demands",
            Prefetch("follows", queryset=follows, to_attr="letter_follows"),
            Prefetch("dispute__follows", queryset=follows, to_attr="dispute_follows"),
            Prefetch(
                "reminders",
                queryset=Reminder.objects.filter(kind=ReminderKind.DEADLINE).order_by("-due_at", "-id"),
                to_attr="deadline_reminders",
            ),
        )
        .order_by("response_deadline_at", "id")[:HOME_OVERDUE_LIMIT]
    )
    overdue = []
    for letter in overdue_letters_qs:
        reminder = next(
            (r for r in letter.deadline_reminders if r.deadline_version == letter.deadline_version), None
        )
        overdue.append(
            OverdueRow(
                letter=letter,
                days_overdue=letter.overdue_days(at=now, has_sincere_response=False),
                reminder=reminder,
                followers=_followers([*letter.dispute.dispute_follows, *letter.letter_follows]),
            )
        )
    due_soon = list(
        DemandLetter.objects.due_between(now, now + dt.timedelta(days=horizon_days))
        .select_related("sender", "recipient", "dispute")
        .order_by("response_deadline_at", "id")[:HOME_LIST_LIMIT]
    )
    awaiting = list(
        Response.objects.awaiting_assessment()
        .select_related("responder", "letter", "letter__dispute", "letter__sender")
        .order_by("-responded_on", "-id")[:HOME_LIST_LIMIT]
    )
    latest_events = list(
        Event.objects.select_related("actor", "actor_person")
        .prefetch_related(
            Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title", "title_ja"))
        )
        .order_by("-date", "-id")[:HOME_LIST_LIMIT]
    )
    counts = dict(Dispute.objects.order_by().values_list("stage").annotate(n=Count("pk")))
    stage_counts = [StageCount(value, label, counts.get(value, 0)) for value, label in Stage.choices]
    return HomeDashboard(
        overdue=overdue,
        due_soon=due_soon,
        awaiting_assessment=awaiting,
        latest_events=latest_events,
        stage_counts=stage_counts,
        dispute_total=sum(counts.values()),
        now=now,
        horizon_days=horizon_days,
    )


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
        brief_disputes, "sources", _reported_dates()
    )
    letters = (
        DemandLetter.objects.with_sincere_response()
        .annotate(timeline_date=_letter_date())
        .select_related("sender", "recipient", "dispute")
        .prefetch_related("demands", "on_behalf_of", "sources", _reported_dates())
    )
    responses = Response.objects.select_related(
        "responder", "assessed_by", "letter", "letter__dispute", "letter__sender"
    ).prefetch_related("demands", "sources", _reported_dates())
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
    items: list[TimelineItem] = []
    for kind, (queryset, date_field) in _timeline_querysets(now).items():
        queryset = filterset.filter_queryset(queryset)
        if cursor is not None:
            queryset = queryset.filter(_beyond(date_field, RANK[kind], cursor, descending))
        ordering = [f"-{date_field}", "-pk"] if descending else [date_field, "pk"]
        for obj in queryset.order_by(*ordering)[: limit + 1]:
            items.append(_timeline_item(kind, obj, now))
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


# --- Organizations and products ---------------------------------------------------------------------------


@dataclass
class ResponseStats:
    """How a recipient answers letters: over every letter it received that was not withdrawn."""

    received: int
    answered_sincerely: int
    responded: int
    median_days_to_first_response: float | None
    unanswered: list[DemandLetter]

    @property
    def share_sincere(self) -> float | None:
        return self.answered_sincerely / self.received if self.received else None


def response_stats(letters: list[DemandLetter]) -> ResponseStats:
    """Computed from letters already marked by ``_mark_letter`` (responses prefetched)."""
    counted = [letter for letter in letters if letter.status != LetterStatus.WITHDRAWN]
    delays = [
        (letter.first_response.responded_on - letter.date).days
        for letter in counted
        if letter.first_response is not None and letter.date
    ]
    return ResponseStats(
        received=len(counted),
        answered_sincerely=sum(1 for letter in counted if letter.has_sincere_response),
        responded=len(delays),
        median_days_to_first_response=statistics.median(delays) if delays else None,
        unanswered=[
            letter
            for letter in counted
            if letter.status == LetterStatus.OPEN and not letter.has_sincere_response
        ],
    )


def _letters_with_responses() -> QuerySet:
    return (
        DemandLetter.objects.select_related("sender", "recipient", "dispute")
        .prefetch_related(
            "demands",
            Prefetch("responses", queryset=Response.objects.select_related("responder", "assessed_by")),
        )
        .order_by("-sent_on", "-dated_on", "-id")
    )


@dataclass
class OrganizationDetail:
    organization: Organization
    roles: list[DisputeParty]
    via_membership: list[tuple[DisputeParty, Organization]]
    member_of: list[Membership]
    members: list[Membership]
    letters_sent: list[DemandLetter]
    letters_received: list[DemandLetter]
    letters_on_behalf: list[DemandLetter]
    stats: ResponseStats
    events: list[Event]
    products: list[AIProduct]
    people: list[Person]
    now: dt.datetime


ORGANIZATION_EVENT_LIMIT = 20


def organization_detail(*, slug: str, now: dt.datetime | None = None) -> OrganizationDetail:
    """An organization, every dispute it takes part in (itself or through an association), its letters and
    how it answers the letters it receives. Raises Http404 for an unknown slug. Twelve queries."""
    now = now or timezone.now()
    organization = Organization.objects.select_related("parent").filter(slug=slug).first()
    if organization is None:
        raise Http404("No organization with that address.")
    roles = list(
        DisputeParty.objects.filter(organization=organization)
        .select_related("dispute")
        .order_by("dispute__title", "role")
    )
    member_of = list(
        Membership.objects.filter(member=organization)
        .select_related("association")
        .order_by("association__name", "reported_on")
    )
    association_ids = {m.association_id for m in member_of}
    own_disputes = {party.dispute_id for party in roles}
    via_membership = [
        (party, party.organization)
        for party in DisputeParty.objects.filter(organization__in=association_ids)
        .exclude(dispute__in=own_disputes)
        .select_related("dispute", "organization")
        .order_by("dispute__title")
    ]
    members = list(
        Membership.objects.filter(association=organization)
        .select_related("member")
        .order_by("member__name", "reported_on")
    )
    on_behalf = DemandLetter.on_behalf_of.through.objects.filter(organization=organization)
    letters = list(
        _letters_with_responses().filter(
            Q(sender=organization) | Q(recipient=organization) | Q(pk__in=on_behalf.values("demandletter"))
        )
    )
    on_behalf_ids = set(on_behalf.values_list("demandletter", flat=True))
    for letter in letters:
        _mark_letter(letter, now)
    received = [letter for letter in letters if letter.recipient_id == organization.pk]
    events = list(
        Event.objects.filter(Q(actor=organization) | Q(actor_person__organization=organization))
        .select_related("actor", "actor_person")
        .prefetch_related(
            Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title", "title_ja"))
        )
        .order_by("-date", "-id")[:ORGANIZATION_EVENT_LIMIT]
    )
    return OrganizationDetail(
        organization=organization,
        roles=roles,
        via_membership=via_membership,
        member_of=member_of,
        members=members,
        letters_sent=[letter for letter in letters if letter.sender_id == organization.pk],
        letters_received=received,
        letters_on_behalf=[letter for letter in letters if letter.pk in on_behalf_ids],
        stats=response_stats(received),
        events=events,
        products=list(organization.products.order_by("name")),
        people=list(organization.people.order_by("name")),
        now=now,
    )


@dataclass
class ProductDetail:
    product: AIProduct
    disputes: list[Dispute]
    letters: list[DemandLetter]
    events: list[Event]
    stats: ResponseStats
    now: dt.datetime


PRODUCT_EVENT_LIMIT = 100


def product_detail(*, slug: str, now: dt.datetime | None = None) -> ProductDetail:
    """An AI product, the disputes and letters about it (directly or through their dispute) and its events.
    Raises Http404 for an unknown slug."""
    now = now or timezone.now()
    product = AIProduct.objects.select_related("developer").filter(slug=slug).first()
    if product is None:
        raise Http404("No AI product with that address.")
    dispute_ids = Dispute.products.through.objects.filter(aiproduct=product).values("dispute")
    disputes = list(
        Dispute.objects.filter(pk__in=dispute_ids)
        .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.select_related("organization")))
        .order_by("title")
    )
    letter_ids = DemandLetter.products.through.objects.filter(aiproduct=product).values("demandletter")
    letters = list(
        _letters_with_responses()
        .filter(Q(pk__in=letter_ids) | Q(dispute__in=dispute_ids))
        .order_by("sent_on", "dated_on", "id")
    )
    for letter in letters:
        _mark_letter(letter, now)
    event_ids = Event.products.through.objects.filter(aiproduct=product).values("event")
    events_in_disputes = Event.disputes.through.objects.filter(dispute__in=dispute_ids).values("event")
    events = list(
        Event.objects.filter(Q(pk__in=event_ids) | Q(pk__in=events_in_disputes))
        .select_related("actor", "actor_person")
        .prefetch_related(
            Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title", "title_ja"))
        )
        .order_by("-date", "-id")[:PRODUCT_EVENT_LIMIT]
    )
    events.reverse()
    return ProductDetail(
        product=product,
        disputes=disputes,
        letters=letters,
        events=events,
        stats=response_stats([letter for letter in letters if letter.recipient_id == product.developer_id]),
        now=now,
    )


# --- Follows ----------------------------------------------------------------------------------------------


def dispute_for_follow(*, slug: str) -> Dispute:
    dispute = Dispute.objects.filter(slug=slug).only("pk", "slug", "title").first()
    if dispute is None:
        raise Http404("No dispute with that address.")
    return dispute


# --- Health -----------------------------------------------------------------------------------------------


def health_report() -> dict:
    """Whether the database and the broker answer. Never raises."""
    report: dict = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        report["database"] = f"error: {exc.__class__.__name__}"
    try:
        from config.celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        report["broker"] = f"error: {exc.__class__.__name__}"
    report["ok"] = report["database"] == "ok" and report["broker"] == "ok"
    report["broker_transport"] = settings.CELERY_BROKER_URL.split("://", 1)[0]
    if report["database"] == "ok":
        # Informative here (a late sweep is not a reason to take the web server out of service);
        # /healthz/reminders/ turns it into a status code for monitoring.
        try:
            report["reminders"] = reminders_health().as_dict()
        except Exception as exc:  # noqa: BLE001 - a health check never raises
            report["reminders"] = {"ok": False, "error": exc.__class__.__name__}
    return report


def overdue_letters(*, now: dt.datetime | None = None):
    now = now or timezone.now()
    return letters_for_timeline().overdue(at=now).order_by("response_deadline_at")


__all__ = [
    "Q",
    "dispute_detail",
    "dispute_list",
    "dispute_list_page",
    "health_report",
    "home_dashboard",
    "organization_detail",
    "overdue_letters",
    "product_detail",
    "timeline_page",
]
