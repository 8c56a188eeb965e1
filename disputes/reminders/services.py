"""What people do with reminders: cancel, reconcile after a deadline change, retry, acknowledge, snooze, and the
reminder settings staff choose."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.core.errors import IllegalTransition
from disputes.models import (
    Assessment,
    DeadlineSource,
    DeliveryStatus,
    DemandLetter,
    Dispute,
    Follow,
    LetterStatus,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Response,
)
from disputes.reminders.sweep import deliveries_publish

log = logging.getLogger(__name__)


# --- Cancelling, retrying, and what staff do with a reminder --------------------------------------------


def reminders_cancel(
    *,
    letter: DemandLetter,
    reason: str,
    kinds: Iterable[str] = (ReminderKind.DEADLINE, ReminderKind.ASSESSMENT),
    response: Response | None = None,
    below_version: int | None = None,
) -> int:
    """Cancel the letter's pending reminders (optionally only some kinds, one response's, or older versions).

    A delivery already under way is left alone: it re-checks the letter before sending and cancels itself.
    """
    pending = Reminder.objects.filter(letter=letter, status=DeliveryStatus.PENDING, kind__in=list(kinds))
    if response is not None:
        pending = pending.filter(response=response)
    if below_version is not None:
        pending = pending.filter(kind=ReminderKind.DEADLINE, deadline_version__lt=below_version)
    return pending.update(status=DeliveryStatus.CANCELLED, last_error=_("Cancelled: %s") % reason)


def reminder_settings_update(*, policy_deadlines_remind: bool, changed_by=None) -> ReminderSettings:
    """Save the reminder settings (the one row, created on first save).

    Turning policy-deadline reminders off cancels the pending deadline reminders of letters whose deadline our
    policy derived, in the same transaction: none of them goes out, by email or in the inbox. Deliveries already
    under way re-check the setting before sending (``delivery.reminder_why_not_due``). Turning them back on cancels
    nothing and restores nothing: the sweep takes those letters up again from the next ladder step it finds due.
    """
    if not isinstance(policy_deadlines_remind, bool):
        raise IllegalTransition(_("Say whether policy deadlines remind: yes or no."))
    with transaction.atomic():
        # get_or_create settles two first saves racing each other (the primary key is the arbiter).
        ReminderSettings.objects.get_or_create(pk=ReminderSettings.SINGLETON_ID)
        current = ReminderSettings.objects.select_for_update().get(pk=ReminderSettings.SINGLETON_ID)
        current.policy_deadlines_remind = policy_deadlines_remind
        current.updated_by = changed_by if getattr(changed_by, "pk", None) else None
        current.save()
        if not policy_deadlines_remind:
            cancelled = Reminder.objects.filter(
                kind=ReminderKind.DEADLINE,
                status=DeliveryStatus.PENDING,
                letter__deadline_source=DeadlineSource.POLICY,
            ).update(
                status=DeliveryStatus.CANCELLED,
                last_error=_("Cancelled: %s") % _("reminders for policy deadlines are off"),
            )
            if cancelled:
                log.info("Policy-deadline reminders turned off: %d pending reminders cancelled.", cancelled)
    return current


def letter_reminders_reconcile(*, letter: DemandLetter) -> int:
    """Cancel whatever pending reminders the letter's current state makes pointless. Idempotent.

    For callers that changed a letter or its responses without going through the letter services (the admin).
    """
    letter = DemandLetter.objects.with_sincere_response().get(pk=letter.pk)
    if letter.status != LetterStatus.OPEN:
        return reminders_cancel(letter=letter, reason=_("the letter is no longer open"))
    if letter.has_sincere_response:
        return reminders_cancel(letter=letter, reason=_("a response was assessed as sincere"))
    cancelled = reminders_cancel(
        letter=letter, reason=_("the deadline changed"), below_version=letter.deadline_version
    )
    assessed = Response.objects.filter(letter=letter).exclude(assessment=Assessment.NOT_ASSESSED)
    cancelled += (
        Reminder.objects.filter(letter=letter, status=DeliveryStatus.PENDING, response__in=assessed)
        .filter(kind=ReminderKind.ASSESSMENT)
        .update(status=DeliveryStatus.CANCELLED, last_error=_("Cancelled: the response has been assessed"))
    )
    return cancelled


def reminder_retry(*, reminder_id: int) -> Reminder:
    """Give a failed reminder a fresh set of attempts (from the admin, once the cause is fixed)."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder_id)
        if reminder.status != DeliveryStatus.FAILED:
            raise IllegalTransition(_("Only a failed reminder can be retried."))
        reminder.status = DeliveryStatus.PENDING
        reminder.attempts = 0
        reminder.enqueued_at = timezone.now()
        reminder.next_attempt_at = None
        reminder.failing_since = None  # a fresh series of retries
        reminder.save(update_fields=["status", "attempts", "enqueued_at", "next_attempt_at", "failing_since"])
        transaction.on_commit(partial(deliveries_publish, [reminder.pk]))
    return reminder


def reminder_acknowledge(*, user, reminder_id: int, now: dt.datetime | None = None) -> Reminder:
    """The recipient has seen the in-app reminder: it leaves their inbox. Raises Reminder.DoesNotExist.

    Earlier steps about the same letter (or response) that were still unacknowledged go with it: the inbox shows
    only the newest, so acknowledging it means the person has seen the lot.
    """
    now = now or timezone.now()
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder_id, recipient=user)
        if reminder.acknowledged_at is None:
            reminder.acknowledged_at = now
            reminder.snoozed_until = None
            reminder.save(update_fields=["acknowledged_at", "snoozed_until"])
            Reminder.objects.filter(
                recipient=user,
                letter_id=reminder.letter_id,
                kind=reminder.kind,
                response_id=reminder.response_id,  # type: ignore[misc]  # None matches IS NULL
                due_at__lte=reminder.due_at,
                acknowledged_at__isnull=True,
            ).update(acknowledged_at=now, snoozed_until=None)
    return reminder


MAX_SNOOZE = dt.timedelta(days=30)


def reminder_snooze(
    *, user, reminder_id: int, until: dt.datetime, now: dt.datetime | None = None
) -> Reminder:
    """Hide the in-app reminder until ``until`` (at most 30 days ahead). Raises Reminder.DoesNotExist."""
    now = now or timezone.now()
    if timezone.is_naive(until):
        raise IllegalTransition(_("A snooze needs a time with a time zone."))
    if not now < until <= now + MAX_SNOOZE:
        raise IllegalTransition(_("A reminder can be snoozed for up to 30 days."))
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder_id, recipient=user)
        if reminder.acknowledged_at is not None:
            raise IllegalTransition(_("This reminder was already acknowledged."))
        if reminder.status == DeliveryStatus.CANCELLED:
            raise IllegalTransition(_("This reminder was withdrawn: nothing to snooze."))
        reminder.snoozed_until = until
        reminder.save(update_fields=["snoozed_until"])
    return reminder


def follow_set(
    *, user, dispute: Dispute | None = None, letter: DemandLetter | None = None, following: bool
) -> bool:
    """Follow or unfollow a dispute (all its letters) or one letter. Idempotent; returns ``following``."""
    if (dispute is None) == (letter is None):
        raise IllegalTransition(_("Follow either a dispute or a letter."))
    target = {"dispute": dispute} if dispute is not None else {"letter": letter}
    with transaction.atomic():
        if following:
            # The unique constraint makes this race-free: a concurrent insert of the same row is a conflict.
            Follow.objects.get_or_create(user=user, **target)
        else:
            Follow.objects.filter(user=user, **target).delete()
    return following
