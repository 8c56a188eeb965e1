"""One dispute's page: its parties, letters, responses and events as one timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Prefetch,
    Q,
)
from django.utils import timezone

from disputes.models import (
    AIProduct,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    Follow,
    Membership,
    PartyRole,
    ReportedDate,
    Response,
    ResponseChannel,
    disputed_fields,
)

DISPUTES_PER_PAGE = 25
TIMELINE_PER_PAGE = 50
NO_DATE = dt.date(1, 1, 1)


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
            "products",
            "sources",
            reported_dates(),
            Prefetch("responses", queryset=responses),
        )
        .with_timeline_date()
        .order_by("timeline_date", "id")
    )


def events_for_timeline():
    return Event.objects.for_timeline().prefetch_related("sources", "products", reported_dates())


def mark_letter(letter: DemandLetter, now: dt.datetime) -> None:
    """Set ``has_sincere_response`` and ``state`` (its ``DeadlineState`` at ``now``) from the prefetched
    responses."""
    responses = list(letter.responses.all())
    letter.has_sincere_response = letter.answered_sincerely()
    letter.state = letter.deadline_state(at=now, answered=letter.has_sincere_response)
    replies = [r for r in responses if r.channel != ResponseChannel.NONE]
    letter.first_response = min(replies, key=lambda r: r.responded_on) if replies else None


def _letter_entries(letter: DemandLetter, now: dt.datetime) -> list[TimelineEntry]:
    mark_letter(letter, now)
    entries = [
        TimelineEntry(
            date=letter.date,
            kind="letter",
            obj=letter,
            letter=letter,
            disputed=disputed_fields(letter.reported_dates.all()),
            overdue=letter.state.overdue,
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


def dispute_detail(*, slug: str, now: dt.datetime | None = None, user=None) -> DisputeDetail | None:
    """A dispute and its whole timeline, in date order. None for an unknown slug.

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
        return None
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
