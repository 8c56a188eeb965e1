"""Read queries for reminders: a person's in-app inbox, follow buttons, a letter's reminder state, and whether
the reminder machinery is running.

Each runs a fixed number of SQL queries whatever the data size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes.models import (
    Assessment,
    DeliveryStatus,
    DemandLetter,
    Dispute,
    Follow,
    LetterStatus,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Response,
    SweepHeartbeat,
)
from disputes.models.deadline_state import duration_text
from disputes.models.letters import answered_sincerely
from disputes.reminders import steps as reminders_config
from disputes.reminders.steps import Step

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SNOOZE_CHOICES: list[tuple[int, StrOrPromise]] = [
    (1, gettext_lazy("1 day")),
    (3, gettext_lazy("3 days")),
    (7, gettext_lazy("1 week")),
]


@dataclass
class InboxItem:
    reminder: Reminder
    letter: DemandLetter
    headline: str
    dispute_url: str


@dataclass
class RemindersInbox:
    """What the inbox partial shows: ``items``, newest first, one per letter (and per response to assess)."""

    items: list[InboxItem]
    now: dt.datetime
    snooze_choices: list[tuple[int, StrOrPromise]] = field(default_factory=lambda: SNOOZE_CHOICES)

    @property
    def count(self) -> int:
        return len(self.items)


def _headline(reminder: Reminder, now: dt.datetime) -> str:
    letter = reminder.letter
    if reminder.kind == ReminderKind.ASSESSMENT:
        response = cast(Response, reminder.response)  # an assessment reminder always names its response
        return _("Response from %(who)s waiting %(duration)s for an assessment") % {
            "who": response.responder.display_name,
            "duration": duration_text(now - response.created_at),
        }
    # The inbox shows only reminders of letters without a sincere response.
    state = letter.deadline_state(at=now, answered=False)
    return state.overdue_label or state.due_label or state.label


def reminders_inbox(user, now: dt.datetime | None = None, *, limit: int = 20) -> RemindersInbox:
    """The in-app reminders ``user`` still has to act on: not acknowledged, not snoozed, still relevant.

    A reminder stops being shown when its letter is answered (a sincere response), closed, withdrawn or given a new
    deadline, when the response it is about has been assessed, or, for a deadline our policy derived, while staff
    have turned reminders for policy deadlines off. Older steps for the same letter are folded into the newest.
    One narrow query, and one more to load the reminders shown when there are any.
    """
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return RemindersInbox(items=[], now=now)
    wanted = (
        Reminder.objects.filter(recipient=user, acknowledged_at__isnull=True, due_at__lte=now)
        .exclude(status=DeliveryStatus.CANCELLED)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .filter(letter__status=LetterStatus.OPEN)
        .filter(~answered_sincerely(OuterRef("letter")))
        .filter(
            Q(kind=ReminderKind.DEADLINE, deadline_version=F("letter__deadline_version"))
            | Q(kind=ReminderKind.ASSESSMENT, response__assessment=Assessment.NOT_ASSESSED)
        )
        .exclude(Q(kind=ReminderKind.DEADLINE) & ReminderSettings.silenced_q("letter__"))
        .order_by("-due_at", "-pk")
    )
    # Which to show is worked out from narrow rows; only those shown are then loaded whole, with their letters.
    shown: list[int] = []
    seen: set[tuple] = set()
    for pk, *key in wanted.values_list("pk", "letter_id", "kind", "response_id")[: limit * 5]:
        if tuple(key) not in seen:
            seen.add(tuple(key))
            shown.append(pk)
            if len(shown) == limit:
                break
    loaded = (
        Reminder.objects.select_related(
            "letter__dispute", "letter__sender", "letter__recipient", "response__responder"
        ).in_bulk(shown)
        if shown
        else {}
    )
    items = [
        InboxItem(
            reminder=reminder,
            letter=reminder.letter,
            headline=_headline(reminder, now),
            dispute_url=reminder.letter.dispute.get_absolute_url(),
        )
        for reminder in (loaded[pk] for pk in shown)
    ]
    return RemindersInbox(items=items, now=now)


@dataclass
class FollowButton:
    """What the follow button partial needs: whether the user follows, and where to post.

    With ``followers`` (after a follow or unfollow), the partial also brings the list of followers up to date on
    the page.
    """

    following: bool
    action_url: str
    label: str
    kind: str
    target_id: int
    followers: list | None = None

    @classmethod
    def for_dispute(cls, dispute: Dispute, *, following: bool, followers: list | None = None) -> FollowButton:
        url = reverse("reminders:follow-dispute", kwargs={"slug": dispute.slug})
        return cls(following, url, _("this dispute"), "dispute", dispute.pk, followers)

    @classmethod
    def for_letter(
        cls, letter: DemandLetter, *, following: bool, followers: list | None = None
    ) -> FollowButton:
        url = reverse("reminders:follow-letter", kwargs={"pk": letter.pk})
        return cls(following, url, _("this letter"), "letter", letter.pk, followers)


def follow_button(
    user, *, dispute: Dispute | None = None, letter: DemandLetter | None = None
) -> FollowButton:
    """The follow/unfollow button for a dispute or a letter, with who follows it. One query."""
    if dispute is None and letter is None:
        raise ValueError("follow_button needs a dispute or a letter")
    target = {"dispute": dispute} if dispute is not None else {"letter": letter}
    followers = [
        f.user for f in Follow.objects.filter(**target).select_related("user").order_by("created_at", "pk")
    ]
    following = bool(getattr(user, "is_authenticated", False)) and any(u.pk == user.pk for u in followers)
    if dispute is not None:
        return FollowButton.for_dispute(dispute, following=following, followers=followers)
    assert letter is not None  # one of the two was given (checked above)
    return FollowButton.for_letter(letter, following=following, followers=followers)


def letter_follow_buttons(letters, followed_letter_ids: set[int]) -> dict[int, FollowButton]:
    """Per letter id, its follow button: for every letter that can still fall due, and for any the viewer
    follows (so they can stop). No query: the dispute page's selector says what the viewer follows."""
    return {
        letter.pk: FollowButton.for_letter(letter, following=letter.pk in followed_letter_ids)
        for letter in letters
        if letter.status == LetterStatus.OPEN or letter.pk in followed_letter_ids
    }


@dataclass
class LetterReminderState:
    """A letter's place on the ladder and its reminder history, for the admin and the dispute page.

    ``policy_reminders_off``: the letter's deadline is ours (policy) and staff turned reminders for policy
    deadlines off, so it has no step and no next reminder.
    """

    letter: DemandLetter
    now: dt.datetime
    answered: bool
    step: Step | None
    next_step: Step | None
    history: list[Reminder]
    policy_reminders_off: bool = False

    @property
    def active(self) -> bool:
        return bool(
            self.letter.status == LetterStatus.OPEN
            and not self.answered
            and self.letter.response_deadline_at
            and not self.policy_reminders_off
        )


def letter_reminder_state(letter: DemandLetter, now: dt.datetime | None = None) -> LetterReminderState:
    """Where the letter is on the ladder, when the next reminder falls due, and every ledger row. Three queries."""
    now = now or timezone.now()
    answered = letter.answered_sincerely()
    ladder = reminders_config.ladder()
    off = bool(letter.response_deadline_at) and not ReminderSettings.objects.current().reminds(
        letter.deadline_source
    )
    step = next_step = None
    if letter.status == LetterStatus.OPEN and not answered and letter.response_deadline_at and not off:
        step = ladder.step_at(letter.response_deadline_at, now)
        next_step = ladder.next_step(letter.response_deadline_at, now)
    history = list(
        Reminder.objects.filter(letter=letter).select_related("recipient").order_by("-due_at", "recipient_id")
    )
    return LetterReminderState(
        letter=letter,
        now=now,
        answered=answered,
        step=step,
        next_step=next_step,
        history=history,
        policy_reminders_off=off,
    )


@dataclass
class RemindersHealth:
    """Whether reminders are being worked out and delivered: what staff and operators need to trust them."""

    now: dt.datetime
    last_sweep_at: dt.datetime | None
    late_after: dt.timedelta
    stuck: (
        int  # not delivered (pending, sending or being retried) REMINDERS_STUCK_AFTER after it was recorded
    )
    failed: int  # failed for good within REMINDERS_FAILED_WINDOW: the mail server refuses them
    retrying: int = 0  # waiting for their next attempt after a temporary failure (counted in stuck once old)

    @property
    def sweep(self) -> str:
        if self.last_sweep_at is None:
            return "never"
        return "late" if self.now - self.last_sweep_at > self.late_after else "ok"

    @property
    def ok(self) -> bool:
        return self.sweep == "ok" and not self.stuck and not self.failed

    @property
    def interval_minutes(self) -> int:
        return max(1, round(settings.REMINDERS_SWEEP_INTERVAL / 60))

    @property
    def stuck_minutes(self) -> int:
        return max(1, round(settings.REMINDERS_STUCK_AFTER / 60))

    @property
    def failed_window_hours(self) -> int:
        return max(1, round(settings.REMINDERS_FAILED_WINDOW / 3600))

    def as_dict(self) -> dict:
        return {
            "sweep": self.sweep,
            "last_sweep_at": self.last_sweep_at.isoformat() if self.last_sweep_at else None,
            "stuck": self.stuck,
            "retrying": self.retrying,
            "failed_recently": self.failed,
            "ok": self.ok,
        }


def reminders_health(now: dt.datetime | None = None) -> RemindersHealth:
    """The last sweep, and the reminders stuck (in any state short of sent, cancelled or failed for longer than
    ``REMINDERS_STUCK_AFTER``), being retried, or failed for good. Two queries."""
    now = now or timezone.now()
    last = (
        SweepHeartbeat.objects.filter(name=SweepHeartbeat.DEADLINES)
        .values_list("last_finished_at", flat=True)
        .first()
    )
    counts = Reminder.objects.aggregate(
        stuck=Count(
            "pk",
            filter=Q(
                status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
                created_at__lt=now - dt.timedelta(seconds=settings.REMINDERS_STUCK_AFTER),
            ),
        ),
        retrying=Count("pk", filter=Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=False)),
        failed=Count(
            "pk",
            filter=Q(
                status=DeliveryStatus.FAILED,
                sending_started_at__gte=now - dt.timedelta(seconds=settings.REMINDERS_FAILED_WINDOW),
            ),
        ),
    )
    return RemindersHealth(
        now=now,
        last_sweep_at=last,
        late_after=dt.timedelta(seconds=settings.REMINDERS_SWEEP_LATE_AFTER),
        stuck=counts["stuck"],
        failed=counts["failed"],
        retrying=counts["retrying"],
    )
