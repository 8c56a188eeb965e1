"""Celery tasks. Thin: they take ids, call a service, and carry the retry policy. Effects live in the services.

Workers: ``celery -A config worker`` delivers, ``celery -A config worker -Q sweep`` runs the sweep (its own queue,
so it never waits behind deliveries); ``celery -A config beat`` schedules it through ``CELERY_BEAT_SCHEDULE``,
and only the beat holding the beat lock sends anything (``disputes.reminders.beat``).
"""

import datetime as dt
import smtplib

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from disputes.reminders import delivery, digest, sweep


@shared_task(name="disputes.tasks.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> dict:
    """Record the reminders now due and enqueue their delivery. One at a time (a lock); a run that finds the
    lock taken returns at once, since the sweep holding it does the same work."""
    return sweep.deadlines_sweep().as_dict()


# The ledger, not the broker, is the truth: a lost, repeated or redelivered message costs at most a delay,
# because delivery claims its rows first (a second message for a row already claimed or sent does nothing) and
# each sweep enqueues again whatever is pending and not recently enqueued. So:
# - acks_late + reject_on_worker_lost: a message whose worker child was killed goes back to the queue at once
#   instead of being acknowledged and dropped (a batch cannot loop on it: its rows are claimed or settled);
# - failures of a send are recorded on each row and retried by the sweep with back-off (delivery.py); a database
#   error (the claim timed out on a lock, the connection dropped) retries the whole message a few times soon,
#   and the sweep covers whatever is still pending after that.
# https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-reject-on-worker-lost
@shared_task(
    bind=True,
    name="disputes.tasks.deliver_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=5,
)
def deliver_reminders(self, reminder_ids: list[int]) -> dict[str, int]:
    outcomes = delivery.reminders_deliver(reminder_ids=reminder_ids)
    summary: dict[str, int] = {}
    for outcome in outcomes.values():
        summary[outcome] = summary.get(outcome, 0) + 1
    return summary


@shared_task(
    name="disputes.tasks.deliver_reminder", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def deliver_reminder(reminder_id: int) -> str:
    """One reminder: for messages published before deliveries were batched."""
    return delivery.reminder_deliver(reminder_id=reminder_id)


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
