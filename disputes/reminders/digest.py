"""The follow digest: a daily or weekly email of what changed in the disputes (and letters) a user follows.

Periods end at fixed instants in the reader's own time zone (``disputes.core.timezones``; ``DIGEST_TIME_ZONE`` for a
reader who has none yet): every day at ``DIGEST_HOUR`` o'clock for a daily digest, and on ``DIGEST_WEEKDAY`` at
that hour for a weekly one, so the digest arrives in the reader's morning wherever they are. A user is due when the last period their digest
covered (``DigestPreference.last_sent_at``) ends before the latest period end. The next digest covers
everything from there up to that end, so a sweep that did not run for three days sends one digest that covers
all three, and a sweep that runs twice sends nothing the second time.

What changed: events, letters and responses recorded in the period; responses assessed in it; deadline changes;
and stage changes (from the dispute's history). A digest with nothing in it is not sent, but the period counts
as covered.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disputes.core import timezones
from disputes.core.access import may_read_q
from disputes.core.site import absolute_url
from disputes.models import (
    Assessment,
    DeadlineChange,
    DemandLetter,
    DigestFrequency,
    DigestPreference,
    Dispute,
    Event,
    Follow,
    Response,
    Stage,
    UserProfile,
)

logger = logging.getLogger(__name__)

PERIODS = {DigestFrequency.DAILY: dt.timedelta(days=1), DigestFrequency.WEEKLY: dt.timedelta(days=7)}


def period_end(frequency: str, *, now: dt.datetime, zone: zoneinfo.ZoneInfo | None = None) -> dt.datetime:
    """The latest instant at or before ``now`` at which a ``frequency`` digest period ends in ``zone``."""
    local = now.astimezone(zone or zoneinfo.ZoneInfo(settings.DIGEST_TIME_ZONE))
    end = local.replace(hour=settings.DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if end > local:
        end -= dt.timedelta(days=1)
    if frequency == DigestFrequency.WEEKLY:
        end -= dt.timedelta(days=(end.weekday() - settings.DIGEST_WEEKDAY) % 7)
    # Aware arithmetic in one zone keeps the wall-clock hour across a DST change; normalise it to UTC.
    return end.astimezone(dt.UTC)


def digest_schedule_text() -> str:
    """When digests arrive, for the settings page: "Daily at 07:00 your time; weekly on Mondays at 07:00"."""
    weekday = [
        _("Mondays"),
        _("Tuesdays"),
        _("Wednesdays"),
        _("Thursdays"),
        _("Fridays"),
        _("Saturdays"),
        _("Sundays"),
    ]
    return _(
        "A daily digest arrives at %(hour)02d:00 your time; a weekly one on %(weekday)s at the same hour."
    ) % {
        "hour": settings.DIGEST_HOUR,
        "weekday": weekday[settings.DIGEST_WEEKDAY % 7],
    }


def digest_due(*, now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(user id, period end) for every user who may read the record and whose digest is due at ``now``, in their
    own zone. One query."""
    rows = (
        DigestPreference.objects.filter(may_read_q("user__"), frequency__in=list(PERIODS))
        .exclude(user__email="")
        .order_by("user_id")
        .values_list(
            "user_id",
            "frequency",
            "last_sent_at",
            "user__profile__timezone",
            "user__profile__detected_timezone",
        )
    )
    due: list[tuple[int, dt.datetime]] = []
    for user_id, frequency, last_sent_at, chosen, detected in rows:
        zone = timezones.resolve(
            chosen=chosen or "", browser=detected or "", default=settings.DIGEST_TIME_ZONE
        )
        end = period_end(frequency, now=now, zone=zone.tzinfo)
        if last_sent_at is None or last_sent_at < end:
            due.append((user_id, end))
    return due


@dataclass
class Followed:
    dispute_ids: set[int]
    letter_ids: set[int]
    disputes: list[Dispute]
    letters: list[DemandLetter]


def followed_for(user) -> Followed:
    """The disputes and the single letters ``user`` follows. One query."""
    follows = Follow.objects.filter(user=user).select_related(
        "dispute", "letter__dispute", "letter__recipient"
    )
    disputes, letters = [], []
    for follow in follows.order_by("created_at", "id"):
        if follow.dispute_id:
            disputes.append(follow.dispute)
        else:
            letters.append(follow.letter)
    return Followed(
        dispute_ids={d.pk for d in disputes},
        letter_ids={letter.pk for letter in letters},
        disputes=sorted(disputes, key=lambda d: d.title),
        letters=letters,
    )


@dataclass
class StageChange:
    dispute: Dispute
    previous: str
    current: str
    at: dt.datetime

    @property
    def previous_label(self) -> str:
        return Stage(self.previous).label if self.previous in Stage.values else self.previous

    @property
    def current_label(self) -> str:
        return Stage(self.current).label if self.current in Stage.values else self.current


@dataclass
class Digest:
    user: object
    frequency: str
    start: dt.datetime
    end: dt.datetime
    followed: Followed
    events: list[Event] = field(default_factory=list)
    letters: list[DemandLetter] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    assessments: list[Response] = field(default_factory=list)
    deadline_changes: list[DeadlineChange] = field(default_factory=list)
    stage_changes: list[StageChange] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.events)
            + len(self.letters)
            + len(self.responses)
            + len(self.assessments)
            + len(self.deadline_changes)
            + len(self.stage_changes)
        )

    @property
    def is_empty(self) -> bool:
        return self.count == 0


def digest_build(*, user, frequency: str, start: dt.datetime, end: dt.datetime) -> Digest:
    """What changed in ``(start, end]`` in what ``user`` follows. Seven queries whatever the size."""
    followed = followed_for(user)
    digest = Digest(user=user, frequency=frequency, start=start, end=end, followed=followed)
    if not followed.dispute_ids and not followed.letter_ids:
        return digest
    disputes = followed.dispute_ids
    in_window = {"created_at__gt": start, "created_at__lte": end}
    # A letter's changes reach the user when they follow its dispute or the letter itself.
    letter_scope = Q(letter__dispute_id__in=disputes) | Q(letter_id__in=followed.letter_ids)

    event_links = Event.disputes.through.objects.filter(dispute_id__in=disputes).values("event_id")
    digest.events = list(
        Event.objects.filter(pk__in=event_links, **in_window)
        .select_related("actor")
        .prefetch_related(Prefetch("disputes", queryset=Dispute.objects.filter(pk__in=disputes)))
        .order_by("date", "id")
    )
    digest.letters = list(
        DemandLetter.objects.filter(dispute_id__in=disputes, **in_window)
        .select_related("dispute", "sender", "recipient")
        .order_by("created_at", "id")
    )
    responses = list(
        Response.objects.filter(letter_scope)
        .filter(Q(**in_window) | Q(assessed_at__gt=start, assessed_at__lte=end))
        .exclude(assessment=Assessment.NOT_ASSESSED, created_at__lte=start)
        .select_related("letter__dispute", "letter__recipient", "responder", "assessed_by")
        .order_by("created_at", "id")
    )
    digest.responses = [r for r in responses if start < r.created_at <= end]
    digest.assessments = [r for r in responses if r.created_at <= start]
    digest.deadline_changes = list(
        DeadlineChange.objects.filter(letter_scope, changed_at__gt=start, changed_at__lte=end)
        .select_related("letter__dispute", "letter__recipient")
        .order_by("changed_at", "id")
    )
    if disputes:
        history = Dispute.history.model.objects
        previous = (
            # The record before this one (history ids only grow, even within one instant).
            history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("stage")[:1]
        )
        changes = (
            history.filter(id__in=disputes, history_date__gt=start, history_date__lte=end)
            .annotate(previous_stage=Subquery(previous))
            .order_by("history_date", "history_id")
        )
        by_id = {d.pk: d for d in followed.disputes}
        digest.stage_changes = [
            StageChange(by_id[row.id], row.previous_stage, row.stage, row.history_date)
            for row in changes
            if row.previous_stage and row.previous_stage != row.stage
        ]
    return digest


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The email for a digest: plain text and HTML, with times in the reader's time zone."""
    zone = UserProfile.objects.zone_for(digest.user, default=settings.DIGEST_TIME_ZONE)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(zone.tzinfo):
        local_end = digest.end.astimezone(zone.tzinfo)
        if digest.frequency == DigestFrequency.WEEKLY:
            subject = _("Weekly digest: %(count)s changes in disputes you follow (to %(date)s)")
        else:
            subject = _("Daily digest: %(count)s changes in disputes you follow (to %(date)s)")
        subject = subject % {"count": digest.count, "date": local_end.date().isoformat()}
        context = {
            "digest": digest,
            "subject": subject,
            "site_url": absolute_url(""),
            "account_url": absolute_url(reverse("accounts:settings")),
            "time_zone": zone.name,
        }
        text = render_to_string("disputes/email/digest.txt", context)
        html = render_to_string("disputes/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " "),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.user.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_deliver(*, user_id: int, end: dt.datetime) -> bool:
    """Send ``user_id`` the digest for the period ending at ``end``, once. True if an email was sent.

    The period is claimed with a compare-and-set on ``last_sent_at`` before sending, so two workers never both
    send it; if sending fails the claim is undone and the task's retry sends it. A worker killed between the
    claim and the send loses that one digest (the next one starts after it): for a digest, better than a
    duplicate, and no lock is held while the mail server is slow.
    """
    preference = (
        DigestPreference.objects.select_related("user")
        .filter(may_read_q("user__"), user_id=user_id)
        .exclude(frequency=DigestFrequency.NEVER)
        .first()
    )
    if preference is None or (preference.last_sent_at and preference.last_sent_at >= end):
        return False
    previous = preference.last_sent_at
    start = previous or end - PERIODS[preference.frequency]
    claimed = (
        DigestPreference.objects.filter(pk=preference.pk, last_sent_at=previous)
        if previous
        else DigestPreference.objects.filter(pk=preference.pk, last_sent_at__isnull=True)
    ).update(last_sent_at=end)
    if not claimed:
        return False
    try:
        digest = digest_build(user=preference.user, frequency=preference.frequency, start=start, end=end)
        if digest.is_empty or not preference.user.email:
            return False
        digest_message(digest).send()
    except Exception:
        DigestPreference.objects.filter(pk=preference.pk, last_sent_at=end).update(last_sent_at=previous)
        raise
    logger.info("Sent the %s digest to user %s (%s changes)", preference.frequency, user_id, digest.count)
    return True


__all__ = [
    "Digest",
    "digest_build",
    "digest_deliver",
    "digest_due",
    "digest_message",
    "followed_for",
    "period_end",
]
