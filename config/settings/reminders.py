"""Reminders and the follow digest: when they fall due, whom they go to, how delivery retries."""

from celery.schedules import crontab

from .broker import CELERY_BEAT_SCHEDULE, CELERY_TASK_TIME_LIMIT
from .environment import env

# When a letter names no response deadline, one is derived from this policy.
DISPUTES_DEFAULT_DEADLINE_DAYS = env.int("DISPUTES_DEFAULT_DEADLINE_DAYS", default=30)
# "calendar" or "business" (skips weekends and the public holidays of the sender's country).
DISPUTES_DEFAULT_DEADLINE_DAY_KIND = env.str("DISPUTES_DEFAULT_DEADLINE_DAY_KIND", default="calendar")

# Days from a letter's deadline at which reminders fall due: a heads-up before, one at the deadline, then after.
REMINDERS_LADDER_DAYS = env.list("REMINDERS_LADDER_DAYS", cast=int, default=[-3, 0, 7, 14, 30])
# After the last step, repeat every this many days until a sincere response or closing (0: never).
REMINDERS_REPEAT_DAYS = env.int("REMINDERS_REPEAT_DAYS", default=30)
# Remind staff to assess a response that has waited this many days unassessed.
REMINDERS_ASSESSMENT_DAYS = env.int("REMINDERS_ASSESSMENT_DAYS", default=7)
# Who is told when nobody follows a letter or owns it (created on demand; if empty, active superusers).
REMINDERS_FALLBACK_GROUP = env.str("REMINDERS_FALLBACK_GROUP", default="Reminder fallback")
# Seconds between two sweeps by beat. The sweep is the source of truth; it is idempotent and cheap when idle.
REMINDERS_SWEEP_INTERVAL = env.float("REMINDERS_SWEEP_INTERVAL", default=60.0)
# The dashboard and /healthz/reminders/ warn when no sweep has finished for this many seconds (beat or the
# workers are down), when a reminder has waited longer than REMINDERS_STUCK_AFTER for a worker, or when one failed
# in the last REMINDERS_FAILED_WINDOW seconds.
REMINDERS_SWEEP_LATE_AFTER = env.int(
    "REMINDERS_SWEEP_LATE_AFTER", default=int(3 * REMINDERS_SWEEP_INTERVAL) + 120
)
REMINDERS_STUCK_AFTER = env.int("REMINDERS_STUCK_AFTER", default=1800)
REMINDERS_FAILED_WINDOW = env.int("REMINDERS_FAILED_WINDOW", default=86400)
# Letters (and ledger rows) handled per transaction by a sweep.
REMINDERS_SWEEP_BATCH = env.int("REMINDERS_SWEEP_BATCH", default=1000)
# A pending reminder last enqueued longer ago than this is enqueued again (its message was lost). Must exceed
# the longest retry countdown (REMINDERS_RETRY_BACKOFF_MAX) plus the time a message may wait in the queue.
REMINDERS_REENQUEUE_AFTER = env.int("REMINDERS_REENQUEUE_AFTER", default=900)
# A delivery still "sending" after this many seconds was interrupted (worker killed): it is flagged as a possible
# duplicate and sent again with the same Message-ID. Must exceed the task's hard time limit.
REMINDERS_SENDING_TIMEOUT = env.int("REMINDERS_SENDING_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60)
# Delivery retries: exponential back-off (factor in seconds, capped) with full jitter.
# https://docs.celeryq.dev/en/stable/userguide/tasks.html#automatic-retry-for-known-exceptions
REMINDERS_RETRY_BACKOFF = env.int("REMINDERS_RETRY_BACKOFF", default=30)
REMINDERS_RETRY_BACKOFF_MAX = env.int("REMINDERS_RETRY_BACKOFF_MAX", default=600)
REMINDERS_MAX_RETRIES = env.int("REMINDERS_MAX_RETRIES", default=5)
# Beat also sends one sweep when it starts, so a fresh `make run` does not wait a whole interval.
REMINDERS_SWEEP_ON_BEAT_START = env.bool("REMINDERS_SWEEP_ON_BEAT_START", default=True)
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#entries
CELERY_BEAT_SCHEDULE["sweep-deadlines"] = {
    "task": "disputes.tasks.sweep_deadlines",
    "schedule": REMINDERS_SWEEP_INTERVAL,
    # A sweep that waited longer than one interval in the queue is dropped: the next one does the same work.
    "options": {"expires": REMINDERS_SWEEP_INTERVAL},
}
# --- End of reminders -------------------------------------------------------------------------------------

# --- Digest (the follow digest; see disputes/reminders/digest.py and disputes/reminders/tasks.py) ----------------------
# Digest periods end at this hour in each reader's own time zone, or in DIGEST_TIME_ZONE for a reader who has
# none yet: every day (daily) or on DIGEST_WEEKDAY (weekly; 0 is Monday).
DIGEST_TIME_ZONE = env.str("DIGEST_TIME_ZONE", default="Asia/Tokyo")
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)
# autodiscover_tasks() looks for <app>/tasks.py; the tasks live in disputes/reminders/tasks.py.
# https://docs.celeryq.dev/en/stable/userguide/configuration.html#imports
CELERY_IMPORTS = ["disputes.reminders.tasks"]
# Hourly: the sweep sends what is due and nothing twice, so an hour missed while beat was down is caught up.
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#crontab-schedules
CELERY_BEAT_SCHEDULE["follow-digest"] = {
    "task": "disputes.tasks_digest.digest_sweep",
    "schedule": crontab(minute=5),
    "options": {"expires": 3000},
}
# --- End of digest ----------------------------------------------------------------------------------------
