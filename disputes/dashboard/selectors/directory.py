"""Organization and product pages: each party's letters, responses and disputes.

Long lists are paged on their own (an organization's letters sent, received and sent on its behalf; a product's
letters), and the figures of how a recipient answers letters come from one narrow query, so a page costs the
same whether the organization received ten letters or four thousand."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.http import QueryDict
from django.utils import timezone

from disputes.core.kept import Kept, kept_result
from disputes.dashboard.forms import parse_page_number
from disputes.dashboard.selectors.dispute import mark_letter
from disputes.dashboard.selectors.kept_letters import kept_letter_rows
from disputes.models import (
    AIProduct,
    DatePrecision,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    LetterStatus,
    Membership,
    Organization,
    Person,
    Response,
    ResponseChannel,
    current_generation,
)
from disputes.models.deadline_state import DeadlineState
from disputes.models.letters import (
    DemandLetterQuerySet,
    LetterOnBehalf,
    LetterRecipient,
    timeline_date,
)

# --- Organizations and products ---------------------------------------------------------------------------


@dataclass
class ResponseStats:
    """How a recipient answers letters: over every letter it received that was not withdrawn."""

    received: int
    answered_sincerely: int
    responded: int
    median_days_to_first_response: float | None
    unanswered: list[LetterRow]  # the first few, soonest deadline first
    unanswered_count: int = 0

    @property
    def share_sincere(self) -> float | None:
        return self.answered_sincerely / self.received if self.received else None

    @property
    def unanswered_more(self) -> int:
        return self.unanswered_count - len(self.unanswered)


UNANSWERED_SHOWN = 10


def _letters_now(ids: list[int], *, now: dt.datetime, generation: int, kept_as: dict) -> list[DemandLetter]:
    """These letters, in this order, whole (kept for the record's ``generation`` under ``kept_as``, see
    ``core.kept``), each marked with where it stands ``now`` (never kept): for a chart, which draws them."""
    loaded = kept_result(
        "letters",
        generation,
        {**kept_as, "ids": ids},
        lambda: list(_letters_with_responses().filter(pk__in=ids)) if ids else [],
    )
    by_id = {letter.pk: letter for letter in loaded}
    shown = [by_id[pk] for pk in ids if pk in by_id]
    for letter in shown:
        mark_letter(letter, now)
    return shown


@dataclass
class LetterRow:
    """A letter listed on an organization's or a product's page: where it stands ``now``, and its kept HTML or,
    when that was not kept, the letter to render it from (``kept_letters``)."""

    pk: int
    state: DeadlineState
    kept: Kept
    letter: DemandLetter | None = None


def _letter_rows(
    ids: list[int], *, name: str, now: dt.datetime, generation: int, kept_as: dict
) -> list[LetterRow]:
    """These letters, in this order, as rows of the kind ``name``: where each stands is worked out from values
    kept for the record's ``generation`` under ``kept_as`` (``core.kept``); each row's HTML is kept under it, and
    only the letters whose row was not kept are loaded, whole, to render it."""
    if not ids:
        return []
    values = kept_result(
        "letter-states",
        generation,
        {**kept_as, "ids": ids},
        lambda: list(
            DemandLetter.objects.for_deadline_state()
            .filter(pk__in=ids)
            .values("pk", "has_sincere_response", *DemandLetter.DEADLINE_STATE_FIELDS)
        ),
    )
    by_id = {row["pk"]: {**row, "answered": row["has_sincere_response"]} for row in values}

    def load(pks: list[int]) -> dict[int, DemandLetter]:
        # Whole, as a chart of the same letters reads them (a product's page): loaded once for both.
        return {
            letter.pk: letter for letter in _letters_now(pks, now=now, generation=generation, kept_as=kept_as)
        }

    return kept_letter_rows(
        name,
        generation,
        [by_id[pk] for pk in ids if pk in by_id],
        now,
        lambda row, state, kept: LetterRow(row["pk"], state, kept),
        load,
    )


@dataclass(frozen=True)
class _Figures:
    """What ``response_stats`` counts: the record's facts alone (no clock), so they can be kept."""

    received: int
    answered_sincerely: int
    responded: int
    median_days_to_first_response: float | None
    unanswered_ids: list[int]  # the first UNANSWERED_SHOWN, soonest deadline first
    unanswered_count: int


def _figures(letters: QuerySet) -> _Figures:
    counted = letters.exclude(status=LetterStatus.WITHDRAWN).order_by()
    rows = list(
        counted.annotate(x_date=timeline_date()).values_list(
            "pk", "status", "x_date", "date_precision", "response_deadline_at", named=True
        )
    )
    sincere: set[int] = set()
    first_reply: dict[int, tuple[dt.date, str]] = {}
    # Every response to them in one query, latest first, so that the earliest reply to each letter stays.
    for response in (
        Response.objects.filter(letter__in=counted.values("pk"))
        .only("letter_id", "responded_on", "date_precision", "channel", "assessment")
        .order_by("-responded_on", "-id")
    ):
        if response.answers_letter:
            sincere.add(response.letter_id)
        if response.channel != ResponseChannel.NONE:
            first_reply[response.letter_id] = (response.responded_on, response.date_precision)
    # Only responses and letters both known to the day count: a reply known only to "Oct 2025" to a letter of
    # October would otherwise come out as "0 days", which says something the record does not know.
    delays = [
        (first_reply[row.pk][0] - row.x_date).days
        for row in rows
        if row.pk in first_reply
        and row.x_date
        and row.date_precision == DatePrecision.DAY
        and first_reply[row.pk][1] == DatePrecision.DAY
    ]
    unanswered = [row for row in rows if row.status == LetterStatus.OPEN and row.pk not in sincere]
    # Soonest deadline first; letters without one last.
    unanswered.sort(
        key=lambda row: (row.response_deadline_at is None, row.response_deadline_at or NO_DEADLINE, row.pk)
    )
    return _Figures(
        received=len(rows),
        answered_sincerely=sum(1 for row in rows if row.pk in sincere),
        responded=len(delays),
        median_days_to_first_response=statistics.median(delays) if delays else None,
        unanswered_ids=[row.pk for row in unanswered[:UNANSWERED_SHOWN]],
        unanswered_count=len(unanswered),
    )


NO_DEADLINE = dt.datetime.min.replace(tzinfo=dt.UTC)


def response_stats(letters: QuerySet, *, now: dt.datetime, generation: int, kept_as: dict) -> ResponseStats:
    """The figures over ``letters`` (the ones a recipient received): two narrow queries (the letters, their
    responses) for the counts and the median, kept for the record's ``generation`` under ``kept_as``
    (``core.kept``); and the first ``UNANSWERED_SHOWN`` unanswered letters in full, with where they
    stand ``now``, whatever the number of letters."""
    figures = kept_result("response-stats", generation, kept_as, lambda: _figures(letters))
    unanswered = _letter_rows(
        figures.unanswered_ids, name="unanswered-letter", now=now, generation=generation, kept_as=kept_as
    )
    return ResponseStats(
        received=figures.received,
        answered_sincerely=figures.answered_sincerely,
        responded=figures.responded,
        median_days_to_first_response=figures.median_days_to_first_response,
        unanswered=unanswered,
        unanswered_count=figures.unanswered_count,
    )


LETTERS_PER_PAGE = 25


@dataclass
class LetterPage:
    """One page of a long list of letters, with the addresses of its neighbours (``?<param>=<n>``)."""

    letters: list[LetterRow]
    count: int
    number: int
    num_pages: int
    previous_url: str | None
    next_url: str | None

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1


def _page_url(params: QueryDict, param: str, number: int) -> str:
    query = params.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"


def letter_page(
    letters: QuerySet,
    *,
    params: QueryDict,
    param: str,
    now: dt.datetime,
    generation: int,
    kept_as: dict,
    oldest_first: bool = False,
) -> LetterPage:
    """The page ``params[param]`` of ``letters`` (newest first unless ``oldest_first``, by their place on the
    timeline): their ids in order (kept for the record's ``generation`` under ``kept_as``, see
    ``core.kept``), then the page's rows (``_letter_rows``: each kept rendered under where its letter stands).
    A fixed number of queries whatever the number of letters; a page number past the end shows the last page."""
    ordering = ("date_sort", "id") if oldest_first else ("-date_sort", "-id")
    ordered = letters.order_by(*ordering).values_list("pk", flat=True)
    ids_in_order = kept_result(
        "letter-ids", generation, {**kept_as, "oldest_first": oldest_first}, lambda: list(ordered)
    )
    paginator = Paginator(ids_in_order, LETTERS_PER_PAGE)
    number = min(parse_page_number(params.get(param)).number, paginator.num_pages)
    page = paginator.page(number)
    shown = _letter_rows(
        list(page.object_list), name="letter-row", now=now, generation=generation, kept_as=kept_as
    )
    return LetterPage(
        letters=shown,
        count=paginator.count,
        number=number,
        num_pages=paginator.num_pages,
        previous_url=_page_url(params, param, number - 1) if page.has_previous() else None,
        next_url=_page_url(params, param, number + 1) if page.has_next() else None,
    )


def _letters_with_responses() -> DemandLetterQuerySet:
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
    roles: list[DisputeParty]  # the first ROLES_SHOWN, by dispute title
    roles_count: int
    via_membership: list[tuple[DisputeParty, Organization | None]]
    member_of: list[Membership]
    members: list[Membership]
    letters_sent: LetterPage
    letters_received: LetterPage
    letters_on_behalf: LetterPage
    stats: ResponseStats
    events: list[Event]
    products: list[AIProduct]
    people: list[Person]
    now: dt.datetime


ORGANIZATION_EVENT_LIMIT = 20
ROLES_SHOWN = 50  # the disputes list, filtered by the party, has them all


@dataclass
class _OrganizationRecord:
    """What an organization's page shows of the record itself, apart from its letters."""

    organization: Organization
    roles: list[DisputeParty]
    roles_count: int
    via_membership: list[tuple[DisputeParty, Organization | None]]
    member_of: list[Membership]
    members: list[Membership]
    events: list[Event]
    products: list[AIProduct]
    people: list[Person]


def _organization_record(slug: str) -> _OrganizationRecord | None:
    organization = Organization.objects.select_related("parent").filter(slug=slug).first()
    if organization is None:
        return None
    all_roles = DisputeParty.objects.filter(organization=organization)
    member_of = list(
        Membership.objects.filter(member=organization)
        .select_related("association")
        .order_by("association__name", "reported_on")
    )
    association_ids = {m.association_id for m in member_of}
    people = list(organization.people.order_by("name"))
    return _OrganizationRecord(
        organization=organization,
        roles=list(all_roles.select_related("dispute").order_by("dispute__title", "role")[:ROLES_SHOWN]),
        roles_count=all_roles.count(),
        via_membership=[
            (party, party.organization)
            for party in DisputeParty.objects.filter(organization__in=association_ids)
            .exclude(dispute__in=all_roles.values("dispute"))
            .select_related("dispute", "organization")
            .order_by("dispute__title")[:ROLES_SHOWN]
        ],
        member_of=member_of,
        members=list(
            Membership.objects.filter(association=organization)
            .select_related("member")
            .order_by("member__name", "reported_on")
        ),
        # Ids rather than a join on people, so the two foreign-key indexes serve the OR (a join made PostgreSQL
        # walk every event in date order looking for the organization's).
        events=list(
            Event.objects.filter(Q(actor=organization) | Q(actor_person__in=[person.pk for person in people]))
            .select_related("actor", "actor_person")
            .prefetch_related(
                Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title", "title_ja"))
            )
            .order_by("-date_sort", "-id")[:ORGANIZATION_EVENT_LIMIT]
        ),
        products=list(organization.products.order_by("name")),
        people=people,
    )


def organization_detail(
    *, slug: str, params: QueryDict | None = None, now: dt.datetime | None = None
) -> OrganizationDetail | None:
    """An organization, the disputes it takes part in (itself or through an association), its letters (each
    list paged on its own: ``?sent=2``, ``?received=3``, ``?behalf=1``) and how it answers the letters it
    receives. None for an unknown slug. A fixed number of queries whatever the number of letters; what the page
    shows of the record itself is kept for the record's generation (``core.kept``), where each letter
    stands now is worked out on every request."""
    now = now or timezone.now()
    params = params if params is not None else QueryDict()
    generation = current_generation()
    record = kept_result(
        "organization-record", generation, {"slug": slug}, lambda: _organization_record(slug)
    )
    if record is None:
        return None
    organization = record.organization
    on_behalf = LetterOnBehalf.objects.filter(organization=organization).values("letter")
    also_to = LetterRecipient.objects.filter(organization=organization).values("letter")
    # The main recipient or one of the others: both were asked.
    received = DemandLetter.objects.filter(Q(recipient=organization) | Q(pk__in=also_to))

    def page(letters: QuerySet, param: str) -> LetterPage:
        kept_as = {"organization": organization.pk, "letters": param}
        return letter_page(
            letters, params=params, param=param, now=now, generation=generation, kept_as=kept_as
        )

    return OrganizationDetail(
        organization=organization,
        roles=record.roles,
        roles_count=record.roles_count,
        via_membership=record.via_membership,
        member_of=record.member_of,
        members=record.members,
        letters_sent=page(DemandLetter.objects.filter(sender=organization), "sent"),
        letters_received=page(received, "received"),
        letters_on_behalf=page(DemandLetter.objects.filter(pk__in=on_behalf), "behalf"),
        stats=response_stats(
            received, now=now, generation=generation, kept_as={"organization": organization.pk}
        ),
        events=record.events,
        products=record.products,
        people=record.people,
        now=now,
    )


@dataclass
class ProductDetail:
    product: AIProduct
    disputes: list[Dispute]
    letters: LetterPage
    events: list[Event]
    stats: ResponseStats
    now: dt.datetime
    chart_letters: list[DemandLetter]  # the page's letters whole, with where they stand now, for its chart
    generation: int  # the record's, under which the chart is kept


PRODUCT_EVENT_LIMIT = 100


def _product_record(slug: str) -> tuple[AIProduct, list[Dispute], list[Event]] | None:
    """The product, the disputes about it and its latest events (for the chart)."""
    product = AIProduct.objects.select_related("developer").filter(slug=slug).first()
    if product is None:
        return None
    dispute_ids = Dispute.products.through.objects.filter(aiproduct=product).values("dispute")
    disputes = list(
        Dispute.objects.filter(pk__in=dispute_ids)
        .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.select_related("organization")))
        .order_by("title")
    )
    event_ids: QuerySet = Event.products.through.objects.filter(aiproduct=product).values("event")
    events_in_disputes: QuerySet = Event.disputes.through.objects.filter(dispute__in=dispute_ids).values(
        "event"
    )
    # The latest of each source first (each served by its own index), then the rows of those that made it:
    # one OR of the two made PostgreSQL walk every event in date order.
    latest = sorted(
        {
            key
            for source in (event_ids, events_in_disputes)
            for key in Event.objects.filter(pk__in=source)
            .order_by("-date_sort", "-id")
            .values_list("date_sort", "id")[:PRODUCT_EVENT_LIMIT]
        },
        reverse=True,
    )[:PRODUCT_EVENT_LIMIT]
    # The page shows them on its chart only: their date, kind and title.
    events = list(
        Event.objects.filter(pk__in=[pk for _key, pk in latest])
        .only("pk", "date", "date_precision", "kind", "title", "date_sort")
        .order_by("date_sort", "id")
    )
    return product, disputes, events


def product_detail(
    *, slug: str, params: QueryDict | None = None, now: dt.datetime | None = None
) -> ProductDetail | None:
    """An AI product, the disputes and letters about it (directly or through their dispute; paged, ``?page=2``)
    and its latest events. None for an unknown slug. A fixed number of queries."""
    now = now or timezone.now()
    params = params if params is not None else QueryDict()
    generation = current_generation()
    # What the page shows of the record itself is kept for the record's generation (``core.kept``).
    record = kept_result("product-record", generation, {"slug": slug}, lambda: _product_record(slug))
    if record is None:
        return None
    product, disputes, events = record
    dispute_ids = Dispute.products.through.objects.filter(aiproduct=product).values("dispute")
    letter_ids = DemandLetter.products.through.objects.filter(aiproduct=product).values("demandletter")
    letters = DemandLetter.objects.filter(Q(pk__in=letter_ids) | Q(dispute__in=dispute_ids))
    page = letter_page(
        letters,
        params=params,
        param="page",
        now=now,
        oldest_first=True,
        generation=generation,
        kept_as={"product": product.pk},
    )
    return ProductDetail(
        product=product,
        disputes=disputes,
        letters=page,
        chart_letters=_letters_now(
            [row.pk for row in page.letters], now=now, generation=generation, kept_as={"product": product.pk}
        ),
        generation=generation,
        events=events,
        stats=response_stats(
            letters.filter(recipient=product.developer_id),
            now=now,
            generation=generation,
            kept_as={"product": product.pk},
        ),
        now=now,
    )
