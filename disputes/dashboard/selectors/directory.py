"""Organization and product pages: each party's letters, responses and disputes."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from disputes.dashboard.selectors.dispute import mark_letter
from disputes.models import (
    AIProduct,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    LetterStatus,
    Membership,
    Organization,
    Person,
    Response,
)

DISPUTES_PER_PAGE = 25
TIMELINE_PER_PAGE = 50
NO_DATE = dt.date(1, 1, 1)


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
    """Computed from letters already marked by ``mark_letter`` (responses prefetched)."""
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


def organization_detail(*, slug: str, now: dt.datetime | None = None) -> OrganizationDetail | None:
    """An organization, every dispute it takes part in (itself or through an association), its letters and
    how it answers the letters it receives. None for an unknown slug. Twelve queries."""
    now = now or timezone.now()
    organization = Organization.objects.select_related("parent").filter(slug=slug).first()
    if organization is None:
        return None
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
        mark_letter(letter, now)
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


def product_detail(*, slug: str, now: dt.datetime | None = None) -> ProductDetail | None:
    """An AI product, the disputes and letters about it (directly or through their dispute) and its events.
    None for an unknown slug."""
    now = now or timezone.now()
    product = AIProduct.objects.select_related("developer").filter(slug=slug).first()
    if product is None:
        return None
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
        .with_timeline_date()
        .order_by("timeline_date", "id")
    )
    for letter in letters:
        mark_letter(letter, now)
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
