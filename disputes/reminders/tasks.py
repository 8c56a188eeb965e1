"""Celery tasks. Thin: they take ids, call a service, and carry the retry policy. Effects live in the services.

Workers: ``celery -A config worker``; the periodic sweep is scheduled by ``celery -A config beat`` (exactly one beat
per deployment) through ``CELERY_BEAT_SCHEDULE`` in the settings.
"""

import datetime as dt
import smtplib

from celery import shared_task
from celery.signals import beat_init
from django.conf import settings
from django.utils import timezone

from disputes.reminders import delivery, digest, sweep


@shared_task(name="disputes.tasks.sweep_deadlines", acks_late=True, ignore_result=True)
def sweep_deadlines() -> dict:
    """Record the reminders now due and enqueue their delivery. Idempotent, so a redelivered run is harmless."""
    return sweep.deadlines_sweep().as_dict()


# acks_late: the message is acknowledged only once the task returns, so a worker that dies mid-task leaves it for
# another worker (after the broker's visibility timeout). That is safe because delivery claims its ledger row
# first: a second run for a row already sent does nothing.
# https://docs.celeryq.dev/en/stable/faq.html#faq-acks-late-vs-retry
@shared_task(
    bind=True,
    name="disputes.tasks.deliver_reminder",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(delivery.ReminderDeliveryError,),
    retry_backoff=settings.REMINDERS_RETRY_BACKOFF,
    retry_backoff_max=settings.REMINDERS_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    # The service also stops after this many retries, counting attempts in the ledger across messages.
    max_retries=settings.REMINDERS_MAX_RETRIES,
)
def deliver_reminder(self, reminder_id: int) -> str:
    return delivery.reminder_deliver(reminder_id=reminder_id)


@beat_init.connect
def sweep_when_beat_starts(sender=None, **kwargs) -> None:
    """Send one sweep as beat starts, so the first reminders do not wait a whole interval after a (re)start."""
    if settings.REMINDERS_SWEEP_ON_BEAT_START:
        sweep_deadlines.apply_async(expires=settings.REMINDERS_SWEEP_INTERVAL)


# --- The follow digest ---------------------------------------------------------------------------------


@shared_task(name="disputes.tasks_digest.digest_sweep", ignore_result=True)
def digest_sweep() -> int:
    """Enqueue the digests due now. Idempotent: a digest already sent for its period is not enqueued again."""
    due = digest.digest_due(now=timezone.now())
    for user_id, end in due:
        digest_send.delay_on_commit(user_id, end.isoformat())
    return len(due)


@shared_task(
    bind=True,
    name="disputes.tasks_digest.digest_send",
    acks_late=True,
    ignore_result=True,
    # The mail server refusing or timing out; the service has undone its claim, so a retry sends the digest.
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=5,
)
def digest_send(self, user_id: int, end: str) -> bool:
    return digest.digest_deliver(user_id=user_id, end=dt.datetime.fromisoformat(end))
