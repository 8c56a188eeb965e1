"""Read queries that shape data for pages. Each runs a fixed number of SQL queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from .models import (
    Assessment,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    Membership,
    PartyRole,
    ReportedDate,
    Response,
    disputed_fields,
)


def dispute_list():
    """Disputes with what a list row shows: stage, parties, products, and counts of letters and events."""
    return (
        Dispute.objects.prefetch_related(
            "jurisdictions",
            Prefetch("parties", queryset=DisputeParty.objects.select_related("organization")),
            "products",
        )
        .annotate(
            letter_count=Count("letters", distinct=True),
            event_count=Count("events", distinct=True),
        )
        .order_by("title")
    )


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


def _letter_entries(letter: DemandLetter, now: dt.datetime) -> list[TimelineEntry]:
    responses = list(letter.responses.all())
    has_sincere = any(r.assessment == Assessment.SINCERE for r in responses)
    letter.has_sincere_response = has_sincere
    letter.overdue = letter.is_overdue(at=now, has_sincere_response=has_sincere)
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
    for response in responses:
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


def dispute_detail(*, slug: str, now: dt.datetime | None = None) -> DisputeDetail:
    """A dispute and its whole timeline, in date order. Raises Http404 for an unknown slug."""
    now = now or timezone.now()
    dispute = (
        Dispute.objects.prefetch_related(
            "jurisdictions",
            "sources",
            Prefetch("products", queryset=Dispute.products.rel.model.objects.select_related("developer")),
            Prefetch("related", queryset=Dispute.objects.order_by("title")),
        )
        .filter(slug=slug)
        .first()
    )
    if dispute is None:
        raise Http404("No dispute with that address.")
    parties = list(DisputeParty.objects.filter(dispute=dispute).select_related("organization"))
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
    for event in events_for_timeline().filter(disputes=dispute):
        entries.append(
            TimelineEntry(
                date=event.date, kind="event", obj=event, disputed=disputed_fields(event.reported_dates.all())
            )
        )
    entries.sort(key=lambda e: e.sort_key)
    return DisputeDetail(
        dispute=dispute, timeline=entries, letters=letters, parties=parties, members=members, now=now
    )


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
    return report


def overdue_letters(*, now: dt.datetime | None = None):
    now = now or timezone.now()
    return letters_for_timeline().overdue(at=now).order_by("response_deadline_at")


__all__ = ["Q", "dispute_detail", "dispute_list", "health_report", "overdue_letters"]
