"""Delivery of one reminder: claim its ledger row, check it is still due, send the email, record the outcome."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disputes.core import timezones
from disputes.core.site import absolute_url, site_host
from disputes.models import (
    Assessment,
    DeliveryStatus,
    LetterStatus,
    Reminder,
    ReminderKind,
    UserProfile,
)
from disputes.models.deadline_state import duration_text
from disputes.models.letters import answered_sincerely
from disputes.reminders import steps as reminders_config
from disputes.reminders.recipients import letter_recipient_ids

log = logging.getLogger(__name__)

INTERRUPTED_NOTE = (
    "Delivery was interrupted while sending (the worker stopped). The mail server may have accepted it, "
    "so it may arrive twice; it was sent again with the same Message-ID."
)


# --- Delivery -----------------------------------------------------------------------------------------------


class ReminderDeliveryError(Exception):
    """A delivery failed for a reason that may pass (mail server unavailable, 4xx reply): retry later."""


class Outcome:
    SENT = "sent"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    FAILED = "failed"


def _message_id(reminder: Reminder) -> str:
    domain = site_host()
    return (
        f"<reminder-{reminder.pk}.letter-{reminder.letter_id}.v{reminder.deadline_version}"
        f".{reminder.step}@{domain}>"
    )


def _load_locked(reminder_id: int) -> Reminder | None:
    """The row, locked (SKIP LOCKED: None if another worker holds it), with all delivery needs. One query."""
    return (
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related(
            "recipient",
            "letter__dispute",
            "letter__sender",
            "letter__recipient",
            "letter__owner",
            "response__responder",
        )
        .annotate(letter_answered=answered_sincerely(OuterRef("letter")))
        .filter(pk=reminder_id)
        .first()
    )


def reminder_why_not_due(reminder: Reminder, *, now: dt.datetime) -> str:
    """Why this reminder should no longer go out, or "" if it should."""
    letter = reminder.letter
    if not reminder.recipient.is_active:
        return _("the recipient's account is inactive")
    if letter.status != LetterStatus.OPEN:
        return _("the letter is %(status)s") % {"status": letter.get_status_display().lower()}
    answered = getattr(reminder, "letter_answered", None)
    if answered if answered is not None else letter.answered_sincerely():
        return _("a response was assessed as sincere")
    if reminder.kind == ReminderKind.ASSESSMENT:
        if reminder.response is None or reminder.response.assessment != Assessment.NOT_ASSESSED:
            return _("the response has been assessed")
    else:
        if reminder.deadline_version != letter.deadline_version or letter.response_deadline_at is None:
            return _("the deadline changed")
        step = reminders_config.ladder().step_at(letter.response_deadline_at, now)
        if step is None:
            return _("the reminder is not due yet")
        if step.due_at > reminder.due_at:
            return _("superseded by the later step %(step)s") % {"step": step.name}
    if reminder.recipient_id not in letter_recipient_ids(letter):
        return _("the recipient no longer follows the letter")
    return ""


def _claim(reminder_id: int, now: dt.datetime) -> Reminder | str:
    """Move the row from pending (or an interrupted "sending") to "sending", or say why not."""
    with transaction.atomic():
        reminder = _load_locked(reminder_id)
        if reminder is None:
            return Outcome.SKIPPED  # deleted, or another worker holds it right now
        interrupted = (
            reminder.status == DeliveryStatus.SENDING
            and reminder.sending_started_at is not None
            and reminder.sending_started_at < now - reminders_config.sending_timeout()
        )
        if reminder.status != DeliveryStatus.PENDING and not interrupted:
            return Outcome.SKIPPED
        if reminder.due_at > now:
            # Not due by this worker's clock (a skewed clock): leave it pending for a later sweep to enqueue.
            return Outcome.SKIPPED
        status, attempts = reminder.status, reminder.attempts
        # The state check is repeated in the UPDATE so the claim is also safe where SELECT … FOR UPDATE is a
        # no-op (SQLite): only one worker can move the row out of the state it read.
        same_state = Reminder.objects.filter(pk=reminder.pk, status=status, attempts=attempts)
        reason = reminder_why_not_due(reminder, now=now)
        if reason:
            same_state.update(status=DeliveryStatus.CANCELLED, last_error=_("Cancelled: %s") % reason)
            return Outcome.CANCELLED
        reminder.message_id = _message_id(reminder)
        reminder.possible_duplicate = reminder.possible_duplicate or interrupted
        reminder.last_error = INTERRUPTED_NOTE if interrupted else reminder.last_error
        reminder.attempts = attempts + 1
        reminder.status = DeliveryStatus.SENDING
        reminder.sending_started_at = now
        claimed = same_state.update(
            status=reminder.status,
            sending_started_at=now,
            attempts=F("attempts") + 1,
            message_id=reminder.message_id,
            possible_duplicate=reminder.possible_duplicate,
            last_error=reminder.last_error,
        )
        return reminder if claimed else Outcome.SKIPPED


def _is_permanent(exc: Exception) -> bool:
    """Whether retrying cannot help: a 5xx refusal, or an error in our own code or data."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    if isinstance(exc, smtplib.SMTPException | OSError):
        return False  # disconnected, refused connection, timeout
    from celery.exceptions import SoftTimeLimitExceeded

    return not isinstance(exc, SoftTimeLimitExceeded)


def reminder_deliver(*, reminder_id: int) -> str:
    """Deliver one reminder by email, at most once unless interrupted mid-send. Returns the outcome.

    Raises ReminderDeliveryError for a failure worth retrying (the row goes back to pending). After
    ``REMINDERS_MAX_RETRIES`` retries, or on a permanent refusal, the row is marked failed and kept for the admin.
    A recipient with no email address still has the in-app reminder; the row is marked sent with a note.
    """
    now = timezone.now()
    claimed = _claim(reminder_id, now)
    if isinstance(claimed, str):
        return claimed
    reminder = claimed
    in_progress = Reminder.objects.filter(
        pk=reminder.pk, status=DeliveryStatus.SENDING, sending_started_at=now
    )
    try:
        sent_by_mail = _send_email(reminder, now=now)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row; the caller sees it below
        error = f"{type(exc).__name__}: {exc}"[:2000]
        final = _is_permanent(exc) or reminder.attempts > settings.REMINDERS_MAX_RETRIES
        if final:
            in_progress.update(status=DeliveryStatus.FAILED, last_error=error)
            log.error(
                "Reminder %s failed for good after %d attempts: %s", reminder.pk, reminder.attempts, error
            )
            return Outcome.FAILED
        in_progress.update(status=DeliveryStatus.PENDING, last_error=error, enqueued_at=timezone.now())
        raise ReminderDeliveryError(error) from exc
    note = {} if sent_by_mail else {"last_error": _("No email address: shown in the app only.")}
    if not in_progress.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), **note):
        # A sweep took the row back as interrupted while this send was still running: it may go out twice.
        log.warning("Reminder %s was re-queued while being sent; flagging a possible duplicate.", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).update(possible_duplicate=True)
        Reminder.objects.filter(pk=reminder.pk).exclude(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now()
        )
    return Outcome.SENT


def _send_email(reminder: Reminder, *, now: dt.datetime) -> bool:
    address = reminder.recipient.email
    if not address:
        return False
    reader_zone = UserProfile.objects.zone_for(reminder.recipient)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(reader_zone.tzinfo):
        context = reminder_email_context(reminder, now=now, viewer_tz=reader_zone.name)
        text = render_to_string("disputes/email/reminder.txt", context)
        html = render_to_string("disputes/email/reminder.html", context)
        message = EmailMultiAlternatives(
            subject=context["subject"],
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={
                "Message-ID": reminder.message_id,
                "Auto-Submitted": "auto-generated",
                "X-Auto-Response-Suppress": "All",
                "X-Disputes-Reminder": str(reminder.pk),
            },
        )
        message.attach_alternative(html, "text/html")
        message.send(fail_silently=False)
    return True


def reminder_email_context(reminder: Reminder, *, now: dt.datetime, viewer_tz: str | None = None) -> dict:
    """Everything the reminder email shows, computed here so the templates stay dumb.

    ``viewer_tz`` is the recipient's time zone (``UserProfile.objects.zone_for``); the deadline is also shown in
    it when its clock differs from the letter's.
    """
    letter = reminder.letter
    deadline = letter.response_deadline_at
    viewer_tz = viewer_tz or UserProfile.objects.zone_for(reminder.recipient).name
    # A reminder goes out only while no response is judged sincere (reminder_why_not_due).
    state = letter.deadline_state(at=now, answered=False)
    overdue_by = duration_text(state.overdue_for) if state.overdue else ""
    due_in = duration_text(state.due_in) if state.due_in is not None else ""
    parties = f"{letter.sender.display_name} → {letter.recipient.display_name}"
    waited = ""
    if reminder.kind == ReminderKind.ASSESSMENT:
        waited = duration_text(now - reminder.response.created_at)
        subject = _("Assess the response to “%(title)s” (waiting %(waited)s)") % {
            "title": letter.title,
            "waited": waited,
        }
    else:
        subject = _("%(where)s: %(parties)s, “%(title)s”") % {
            "where": state.overdue_label or state.due_label or state.label,
            "parties": parties,
            "title": letter.title,
        }
    return {
        "reminder": reminder,
        "recipient": reminder.recipient,
        "letter": letter,
        "dispute": letter.dispute,
        "demands": list(letter.demands.all()),
        "response": reminder.response,
        "is_assessment": reminder.kind == ReminderKind.ASSESSMENT,
        "subject": subject,
        "parties": parties,
        "deadline": deadline,
        "letter_timezone": letter.timezone,
        "viewer_timezone": viewer_tz,
        "show_viewer_time": timezones.differs(deadline, letter.timezone, viewer_tz),
        "state": state,
        "overdue_by": overdue_by,
        "due_in": due_in,
        "waited": waited,
        "dispute_url": absolute_url(letter.dispute.get_absolute_url()),
        "site_url": absolute_url(""),
    }
