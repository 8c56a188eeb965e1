"""Celery tasks of the follow digest. Beat runs the sweep every hour (``CELERY_BEAT_SCHEDULE["follow-digest"]``);
the sweep decides who is due and enqueues one delivery per user. Delivery claims its period before it sends, so
a sweep that runs twice, or a message delivered twice, sends one email.

Loaded by workers through ``CELERY_IMPORTS`` (``autodiscover_tasks`` only finds ``tasks.py``).
"""

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from disputes import digest


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
