"""Reminders and the follow digest: when they fall due, whom they go to, how delivery retries."""

from celery.schedules import crontab

from .broker import CELERY_BEAT_SCHEDULE
from .environment import env
from .mail import EMAIL_TIMEOUT

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
# workers are down), when a reminder has been in a non-final state (pending, sending, waiting to be retried) for
# longer than REMINDERS_STUCK_AFTER seconds, or when one failed for good in the last REMINDERS_FAILED_WINDOW seconds.
REMINDERS_SWEEP_LATE_AFTER = env.int(
    "REMINDERS_SWEEP_LATE_AFTER", default=int(3 * REMINDERS_SWEEP_INTERVAL) + 120
)
REMINDERS_STUCK_AFTER = env.int("REMINDERS_STUCK_AFTER", default=1800)
REMINDERS_FAILED_WINDOW = env.int("REMINDERS_FAILED_WINDOW", default=86400)
# Letters (and ledger rows) handled per transaction by a sweep: its round trips per batch cost more than the rows
# (bench/sweep.py: 2,500 beats 1,000 and 5,000 on 10,000 overdue letters).
REMINDERS_SWEEP_BATCH = env.int("REMINDERS_SWEEP_BATCH", default=2500)
# A pending reminder last enqueued longer ago than this is enqueued again: its message was lost (Redis restarted,
# a worker died holding it). The ledger, not the broker, is the truth: a redundant message finds the row no longer
# pending and does nothing, so this is short, and recovery never waits for the broker's visibility timeout.
REMINDERS_REENQUEUE_AFTER = env.int("REMINDERS_REENQUEUE_AFTER", default=60)
# Reminder ids per delivery message. A worker claims them in one statement and shares them out between
# REMINDERS_DELIVERY_LANES lanes (threads), each sending its share over one SMTP connection (and marking each
# message on its own database connection), so that waiting for one mail server reply overlaps other work.
# Each worker process so holds up to that many SMTP and database connections (bench/sweep.py: 2 to 4 lanes
# deliver alike on two cores; more only add connections).
REMINDERS_DELIVERY_BATCH = env.int("REMINDERS_DELIVERY_BATCH", default=200)
REMINDERS_DELIVERY_LANES = env.int("REMINDERS_DELIVERY_LANES", default=3)
# A delivery run stops taking new messages from its batch after this many seconds and hands the rest back
# to the next sweep, well inside the task's soft time limit.
REMINDERS_DELIVERY_BUDGET = env.int("REMINDERS_DELIVERY_BUDGET", default=120)
# A row still "sending" this many seconds after its worker last touched it was interrupted (the worker was killed,
# the database went away). A sweep puts it back; it is flagged as a possible duplicate only if the message had
# already been handed to the mail server. Must exceed the longest one message can take (three EMAIL_TIMEOUTs).
REMINDERS_SENDING_TIMEOUT = env.int("REMINDERS_SENDING_TIMEOUT", default=max(60, 3 * EMAIL_TIMEOUT + 5))
# Temporary failures (a 4xx reply, no connection, a database error) are retried by the sweep with exponential
# back-off (first wait in seconds, capped, with jitter) for REMINDERS_RETRY_FOR seconds after its first failure
# (default three days); only then, or on a permanent refusal (5xx for that address), is it "failed".
REMINDERS_RETRY_BACKOFF = env.int("REMINDERS_RETRY_BACKOFF", default=30)
REMINDERS_RETRY_BACKOFF_MAX = env.int("REMINDERS_RETRY_BACKOFF_MAX", default=1800)
REMINDERS_RETRY_FOR = env.int("REMINDERS_RETRY_FOR", default=3 * 86400)
# Beat also sends one sweep when it starts, so a fresh `make run` does not wait a whole interval.
REMINDERS_SWEEP_ON_BEAT_START = env.bool("REMINDERS_SWEEP_ON_BEAT_START", default=True)
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#entries
CELERY_BEAT_SCHEDULE["sweep-deadlines"] = {
    "task": "disputes.tasks.sweep_deadlines",
    "schedule": REMINDERS_SWEEP_INTERVAL,
    # The sweep has its own queue (and worker), so it never waits behind deliveries; one that still waited
    # longer than an interval (its worker was down) is dropped: the next one does the same work.
    "options": {"expires": REMINDERS_SWEEP_INTERVAL},
}
# The sweep's own queue: `celery -A config worker -Q sweep` (see Procfile and docker-compose.yml).
# https://docs.celeryq.dev/en/stable/userguide/routing.html#manual-routing
REMINDERS_SWEEP_QUEUE = env.str("REMINDERS_SWEEP_QUEUE", default="sweep")
CELERY_TASK_ROUTES = {"disputes.tasks.sweep_deadlines": {"queue": REMINDERS_SWEEP_QUEUE}}
# Exactly one beat per deployment: a second beat waits, without sending anything, until it can take the lock
# (a PostgreSQL advisory lock held on beat's own connection; a lock file with SQLite).
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html#using-custom-scheduler-classes
CELERY_BEAT_SCHEDULER = "disputes.reminders.beat:SingleBeatScheduler"
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
