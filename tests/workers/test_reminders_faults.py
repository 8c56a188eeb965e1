"""Faults, with the real components: each test breaks one thing, lets it heal, and checks that every reminder
arrived, that a message arrived twice only where its row is flagged as a possible duplicate, and how long
delivery took to recover once the fault cleared (the promise is two minutes, whatever the broker's visibility
timeout). Small settings keep them short: retries after 1–2 s, a sweep every half second."""

import threading
import time

import psycopg
import pytest
from django.db import connection

from disputes.models import DeliveryStatus, Reminder, SweepHeartbeat
from disputes.reminders import sweep
from tests import factories
from tests.workers.conftest import (
    assert_duplicates_only_where_flagged,
    assert_each_once,
    overdue_letter,
    sent,
    settle,
)
from tests.workers.worker_utils import database_url, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

RECOVERY = 120  # seconds: delivery resumes within this of the fault clearing


def people(n: int, prefix: str = "person"):
    return [factories.ReaderFactory(username=f"{prefix}{i}") for i in range(n)]


def test_a_mail_server_outage_longer_than_any_retry_budget_loses_nothing(stack):
    owners = people(3, "owner")
    for owner in owners:
        overdue_letter(owner=owner)
    stack.worker().wait_ready()
    stack.sink.stop()  # nothing listens: every connection is refused

    with stack.sweeping():
        # Eight seconds of retries every one or two seconds: far more attempts than the old budget of three.
        stack.wait(
            lambda: all(r.attempts >= 4 for r in Reminder.objects.all()) and Reminder.objects.count() == 3,
            timeout=60,
            what="several failed attempts each",
        )
        assert not Reminder.objects.exclude(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
        ).exists()
        assert "Connection refused" in Reminder.objects.first().last_error
        stack.sink.start()
        cleared = time.monotonic()
        stack.wait(sent(3), timeout=RECOVERY, what="delivery after the outage")
        recovery = time.monotonic() - cleared
    settle()
    assert_each_once(stack, {f"owner{i}@example.org": 1 for i in range(3)})
    assert not Reminder.objects.filter(possible_duplicate=True).exists()  # refused connections: certain
    assert recovery < 10, recovery


def test_a_database_lock_delays_delivery_and_loses_nothing(stack):
    for owner in people(4, "owner"):
        overdue_letter(owner=owner)
    sweep.deadlines_sweep()  # recorded and enqueued; no worker yet

    # Another connection holds the ledger for 15 s; the worker's statements give up after 1 s (lock_timeout).
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        with psycopg.connect(database_url().replace("postgres://", "postgresql://", 1)) as conn:
            with conn.transaction():
                conn.execute("LOCK TABLE disputes_reminder IN ACCESS EXCLUSIVE MODE")
                locked.set()
                release.wait(30)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(10)
        locked_at = time.monotonic()
        worker = stack.worker(PGOPTIONS="-c lock_timeout=1000")
        # A worker can take a while to start on a busy machine: the lock is held until it has hit it.
        stack.wait(lambda: b"lock timeout" in worker.output(), timeout=120, what="the worker to hit the lock")
        time.sleep(max(0.0, locked_at + 15 - time.monotonic()))  # the lock is held 15 s in all
        assert stack.sink.received == []
    finally:
        release.set()
        holder.join(timeout=10)
    cleared = time.monotonic()
    with stack.sweeping():
        stack.wait(sent(4), timeout=RECOVERY, what="delivery after the lock")
    recovery = time.monotonic() - cleared
    settle()
    assert_each_once(stack, {f"owner{i}@example.org": 1 for i in range(4)})
    assert not Reminder.objects.filter(possible_duplicate=True).exists()
    assert not Reminder.objects.filter(status=DeliveryStatus.FAILED).exists()  # a database error is temporary
    assert recovery < 45, recovery


@pytest.mark.parametrize("fault", ["answer_late_first", "drop_first"])
def test_an_uncertain_send_is_retried_and_flagged(stack, sink_handler, fault):
    """The server stores the first message but answers too late (after EMAIL_TIMEOUT) or drops the connection:
    we cannot know it arrived, so it is sent again, and that row, and only it, is flagged."""
    if fault == "answer_late_first":
        sink_handler.answer_late_first = 3.0
    else:
        sink_handler.drop_first = True
    owner = factories.ReaderFactory(username="owner")
    overdue_letter(*people(2, "follower"), owner=owner)
    stack.worker(EMAIL_TIMEOUT=1)

    started = time.monotonic()
    with stack.sweeping():
        stack.wait(sent(3), timeout=60, what="all three reminders")
    elapsed = time.monotonic() - started
    settle()
    arrivals = assert_duplicates_only_where_flagged(stack)
    assert sorted(arrivals.values()) == [1, 1, 2]  # the uncertain one arrived twice…
    [flagged] = Reminder.objects.filter(possible_duplicate=True)  # …and it alone is flagged
    assert arrivals[flagged.message_id] == 2 and flagged.attempts == 2
    assert "may have been accepted" in flagged.last_error
    assert elapsed < 30, elapsed


@pytest.mark.parametrize("where", ["before DATA", "during DATA"])
def test_a_killed_pool_child_is_replaced_and_flagged_only_if_it_had_handed_over(
    stack, sink_handler, settings, where
):
    if where == "before DATA":
        sink_handler.hang_first_rcpt = True
    else:
        sink_handler.hang_first = True
    settings.REMINDERS_SENDING_TIMEOUT = 3
    owner = factories.ReaderFactory(username="owner")
    overdue_letter(*people(2, "follower"), owner=owner)
    worker = stack.worker(REMINDERS_SENDING_TIMEOUT=3, REMINDERS_DELIVERY_LANES=3)

    with stack.sweeping():
        stack.wait(
            sink_handler.hanging.is_set, timeout=60, what="the first delivery to reach the mail server"
        )
        # The batch's other lanes send the other two meanwhile: a hung message holds up only its own lane.
        stack.wait(sent(2), timeout=30, what="the other two reminders, while the first one hangs")
        [stuck] = Reminder.objects.filter(status=DeliveryStatus.SENDING)
        worker.kill_child()  # the worker's main process survives and starts a new child
        killed = time.monotonic()
        stack.wait(sent(3), timeout=RECOVERY, what="every reminder after the kill")
        recovery = time.monotonic() - killed
    settle()
    arrivals = assert_duplicates_only_where_flagged(stack)
    assert sorted(arrivals.values()) == [1, 1, 1]  # the hung message was never accepted
    stuck.refresh_from_db()
    assert stuck.attempts == 2
    # Handed over at DATA: it may have arrived, so flagged. Killed at RCPT: it cannot have, so no false alarm.
    assert stuck.possible_duplicate is (where == "during DATA")
    assert recovery < 30, recovery


def test_redis_restarted_under_a_running_worker_loses_nothing(stack, settings):
    settings.REMINDERS_REENQUEUE_AFTER = 2
    for owner in people(3, "owner"):
        overdue_letter(owner=owner)
    sweep.deadlines_sweep()  # enqueued while no worker runs: the message waits in Redis…
    assert stack.redis.queue_length() == 1
    stack.redis.stop()  # …and is lost with it (no persistence, as after a crash)
    worker = stack.worker()  # a worker that starts while the broker is down keeps trying to connect
    time.sleep(2)
    stack.redis.start()
    cleared = time.monotonic()
    with stack.sweeping():
        stack.wait(sent(3), timeout=RECOVERY, what="delivery after Redis came back")
    recovery = time.monotonic() - cleared
    settle()
    assert_each_once(stack, {f"owner{i}@example.org": 1 for i in range(3)})
    assert not Reminder.objects.filter(possible_duplicate=True).exists()
    assert worker.process.poll() is None
    assert recovery < 60, recovery


def test_a_long_backlog_with_beat_running_keeps_sweeping_and_sends_each_once(stack, sink_handler):
    """A slow mail server and one delivery process with one lane (one SMTP connection): a backlog of about 15 s
    builds up. Beat sends a sweep every second to the sweep's own queue and worker, so sweeps keep running (and
    the health check stays green) while deliveries queue up; the re-enqueued rows of the backlog are not sent
    twice."""
    sink_handler.delay = 0.25
    owners = people(60, "owner")
    for owner in owners:
        overdue_letter(owner=owner)
    settings_env = {
        "REMINDERS_SWEEP_INTERVAL": "1",
        "REMINDERS_SWEEP_LATE_AFTER": "5",
        "REMINDERS_REENQUEUE_AFTER": "3",
        "REMINDERS_DELIVERY_BATCH": "5",
        "REMINDERS_DELIVERY_LANES": "1",
    }
    stack.worker(queues="sweep", **settings_env)
    stack.worker(**settings_env)
    started = time.monotonic()
    stack.beat(**settings_env)

    stack.wait(lambda: Reminder.objects.count() == 60, timeout=60, what="the first sweep")
    runs, again = [], 0
    while Reminder.objects.filter(status=DeliveryStatus.SENT).count() < 60:
        assert time.monotonic() - started < 120, stack.logs()
        heartbeat = SweepHeartbeat.objects.filter(name=SweepHeartbeat.DEADLINES).first()
        runs.append((time.monotonic(), heartbeat.runs if heartbeat else 0))
        again = max(again, heartbeat.last_report.get("again", 0) if heartbeat else 0)
        time.sleep(1)
    backlog = time.monotonic() - started
    settle()
    assert_each_once(stack, {f"owner{i}@example.org": 1 for i in range(60)})
    assert not Reminder.objects.filter(possible_duplicate=True).exists()
    assert backlog > 10  # there was a backlog…
    # …and sweeps kept finishing during it: never more than 5 s without one.
    finished = [t for (t, n), (_t, previous) in zip(runs[1:], runs, strict=False) if n > previous]
    gaps = [b - a for a, b in zip(finished, finished[1:], strict=False)]
    assert len(finished) >= backlog / 3 and max(gaps, default=0) < 5, (finished, gaps)
    assert again > 0  # rows of the backlog were enqueued again (as if lost), and still went out once


def test_a_second_beat_stands_by_and_takes_over_when_the_first_dies(stack):
    env = {"REMINDERS_SWEEP_INTERVAL": "1"}
    stack.worker(queues="sweep", **env)
    first = stack.beat(**env)
    wait_until(lambda: "holds the beat lock" in first.output(), timeout=30, what="the first beat to lead")
    second = stack.beat(**env)
    wait_until(lambda: "standing by" in second.output(), timeout=30, what="the second beat to stand by")
    time.sleep(3)
    assert "Scheduler: Sending due task sweep-deadlines" not in second.output()
    assert "Sending due task sweep-deadlines" in first.output()

    first.kill()  # its database connection, and with it the lock, goes away
    killed = time.monotonic()
    wait_until(
        lambda: "Sending due task sweep-deadlines" in second.output(),
        timeout=30,
        what="the second to take over",
    )
    assert time.monotonic() - killed < 15
    connection.close()
