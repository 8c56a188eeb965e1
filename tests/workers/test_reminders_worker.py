"""Reminders with the real components: Celery worker processes, a Redis broker, PostgreSQL and an SMTP server.

Each test starts its own redis-server on a spare port, an aiosmtpd sink, and ``celery -A config worker``
subprocesses pointed at the pytest database. The sweep runs in this process (or as ``manage.py
sweep_deadlines`` subprocesses), exactly as beat would run it. What is asserted is what arrived at the mail
server, counted per recipient, and what the ledger says.
"""

import threading
import time

import pytest
from django.db import connection

from disputes.models import DeliveryStatus, Reminder
from disputes.reminders import sweep
from tests import factories
from tests.workers.conftest import QUIET, assert_each_once, overdue_letter, sent
from tests.workers.worker_utils import run_command

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def test_an_overdue_letter_gives_exactly_one_email_per_recipient(stack):
    owner = factories.ReaderFactory(username="owner")
    follower = factories.ReaderFactory(username="follower")
    letter = overdue_letter(follower, owner, owner=owner)  # owner also follows: still told once
    letter_follower = factories.ReaderFactory(username="letter-follower")
    letter_follower.follows.create(letter=letter)
    stack.worker()

    report = sweep.deadlines_sweep()
    assert len(report.new) == 3

    stack.wait(sent(3), timeout=60, what="three reminders to be sent")
    time.sleep(QUIET)
    assert_each_once(
        stack, {"owner@example.org": 1, "follower@example.org": 1, "letter-follower@example.org": 1}
    )
    ledger = {r.message_id: r for r in Reminder.objects.all()}
    for message in stack.sink.received:
        reminder = ledger[message.message_id]
        assert message.recipients == [reminder.recipient.email]
        assert (
            reminder.status == DeliveryStatus.SENT
            and reminder.attempts == 1
            and not reminder.possible_duplicate
        )
        assert f"https://disputes.example.org/disputes/{letter.dispute.slug}/" in message.raw.decode()

    # The sweep again, now and later: nothing new.
    assert sweep.deadlines_sweep().scheduled == []
    time.sleep(QUIET)
    assert len(stack.sink.received) == 3


def test_a_slow_mail_server_is_sent_to_over_several_connections_at_once(stack, sink_handler):
    """A batch is shared out between the run's lanes, each with its own SMTP connection: while one message waits
    for the server's answer, the others are being sent. Each still arrives once, and none is flagged."""
    sink_handler.delay = 0.5  # the server takes half a second to answer each message
    for owner in [factories.ReaderFactory(username=f"owner{i}") for i in range(8)]:
        overdue_letter(owner=owner)
    stack.worker(REMINDERS_DELIVERY_LANES=4).wait_ready()

    started = time.monotonic()
    assert len(sweep.deadlines_sweep().new) == 8  # one delivery message carries all eight
    stack.wait(sent(8), timeout=60, what="eight reminders from a slow mail server")
    elapsed = time.monotonic() - started
    time.sleep(QUIET)
    assert_each_once(stack, {f"owner{i}@example.org": 1 for i in range(8)})
    assert not Reminder.objects.filter(possible_duplicate=True).exists()
    assert 2 <= sink_handler.most_in_data <= 4  # several messages in the server's hands at once, one per lane
    assert elapsed < 8 * sink_handler.delay, elapsed  # one connection would need four seconds at least


def test_concurrent_and_repeated_sweeps_still_send_one(stack):
    owners = [factories.ReaderFactory(username=f"owner{i}") for i in range(20)]
    watcher = factories.ReaderFactory(username="watcher")
    for owner in owners:
        overdue_letter(watcher, owner=owner)
    expected = {f"owner{i}@example.org": 1 for i in range(20)} | {"watcher@example.org": 20}
    stack.worker()

    # Three sweeps at the same moment, as three beats would (one is the rule; this is what it would cost).
    barrier = threading.Barrier(3)
    reports, errors = [], []

    def run_sweep():
        try:
            barrier.wait(timeout=10)
            reports.append(sweep.deadlines_sweep())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(len(r.new) for r in reports) == 40  # each row enqueued by exactly one of them
    assert all(r.skipped == (not r.scheduled) for r in reports)  # the others found the sweep lock taken
    assert Reminder.objects.count() == 40

    # And by hand, twice, in other processes, while the deliveries are going on.
    for _ in range(2):
        output = run_command(stack.env(), "sweep_deadlines").stdout
        assert "Scheduled 0 new reminder(s)" in output or "Another sweep is running" in output

    stack.wait(sent(40), timeout=90, what="forty reminders to be sent")
    time.sleep(QUIET)
    assert_each_once(stack, expected)


def test_a_worker_killed_mid_delivery_is_replaced_and_the_reminder_sent_once(stack, sink_handler, settings):
    sink_handler.hang_first = (
        True  # the first message is held at DATA: the worker is in the middle of sending
    )
    settings.REMINDERS_SENDING_TIMEOUT = 3
    settings.REMINDERS_REENQUEUE_AFTER = 5
    owner = factories.ReaderFactory(username="owner")
    overdue_letter(factories.ReaderFactory(username="follower"), owner=owner)
    first = stack.worker(REMINDERS_DELIVERY_LANES=1)

    sweep.deadlines_sweep()
    stack.wait(sink_handler.hanging.is_set, timeout=60, what="the first delivery to reach the mail server")
    # One message carries both rows, and one lane sends them: one handed to the mail server, the other waiting
    # its turn. (With more lanes the other is sent meanwhile: see test_reminders_faults.)
    [handed] = Reminder.objects.filter(status=DeliveryStatus.SENDING, handed_at__isnull=False)
    [waiting] = Reminder.objects.filter(status=DeliveryStatus.SENDING, handed_at__isnull=True)
    first.kill()
    assert stack.sink.received == []

    stack.worker(REMINDERS_SENDING_TIMEOUT=3)
    # A sweep within the timeout leaves the "sending" rows alone: their worker might still be working.
    assert sweep.deadlines_sweep().interrupted == 0
    time.sleep(3.2)
    assert sweep.deadlines_sweep().interrupted == 2

    stack.wait(sent(2), timeout=60, what="both reminders to be sent")
    time.sleep(QUIET)
    assert_each_once(stack, {"owner@example.org": 1, "follower@example.org": 1})
    handed.refresh_from_db()
    waiting.refresh_from_db()
    assert handed.status == waiting.status == DeliveryStatus.SENT
    assert (
        handed.attempts == 2 and handed.possible_duplicate
    )  # the server may have had it: for a person to check
    assert handed.message_id in {r.message_id for r in stack.sink.received}  # same Message-ID as before
    assert (
        waiting.attempts == 2 and not waiting.possible_duplicate
    )  # never reached the server: no false alarm


def test_redis_stopped_during_a_sweep_loses_nothing(stack, monkeypatch):
    owner = factories.ReaderFactory(username="owner")
    overdue_letter(factories.ReaderFactory(username="follower"), owner=owner)
    stack.worker().wait_ready()

    # Redis dies after the sweep committed the ledger and before it enqueued: the window the outbox covers.
    publish = sweep.deliveries_publish

    def redis_dies_then_publish(ids):
        stack.redis.stop()
        publish(ids)

    monkeypatch.setattr(sweep, "deliveries_publish", redis_dies_then_publish)
    report = sweep.deadlines_sweep()
    monkeypatch.undo()
    assert len(report.new) == 2
    assert list(Reminder.objects.values_list("status", "enqueued_at")) == [(DeliveryStatus.PENDING, None)] * 2

    time.sleep(1)
    stack.redis.start()  # same port, empty: whatever it held is gone
    # The next sweep enqueues them again; the running worker reconnects by itself.
    assert len(sweep.deadlines_sweep().scheduled) == 2

    stack.wait(sent(2), timeout=90, what="the reminders after Redis came back")
    time.sleep(QUIET)
    assert_each_once(stack, {"owner@example.org": 1, "follower@example.org": 1})


def test_messages_lost_with_redis_are_enqueued_again_by_a_later_sweep(stack, settings):
    settings.REMINDERS_REENQUEUE_AFTER = 2
    owner = factories.ReaderFactory(username="owner")
    overdue_letter(owner=owner)

    sweep.deadlines_sweep()  # no worker yet: the message waits in Redis…
    assert stack.redis.queue_length() == 1
    stack.redis.stop()  # …and is lost with it (no persistence, as after a crash)
    stack.redis.start()
    assert stack.redis.queue_length() == 0
    stack.worker()

    assert sweep.deadlines_sweep().scheduled == []  # too soon to call it lost
    time.sleep(2.2)
    assert [s.again for s in sweep.deadlines_sweep().scheduled] == [True]

    stack.wait(sent(1), timeout=60, what="the re-enqueued reminder")
    time.sleep(QUIET)
    assert_each_once(stack, {"owner@example.org": 1})


def test_a_mail_server_failing_twice_then_accepting_gets_the_reminder_once(stack, sink_handler):
    sink_handler.fail_data_times = 2
    overdue_letter(owner=factories.ReaderFactory(username="owner"))
    stack.worker()

    with stack.sweeping():  # the sweep retries what failed, once its back-off has passed
        stack.wait(sent(1), timeout=60, what="the reminder after two refusals")
    time.sleep(QUIET)
    assert_each_once(stack, {"owner@example.org": 1})
    reminder = Reminder.objects.get()
    assert reminder.attempts == 3 and sink_handler.data_commands == 3
    assert "451" in reminder.last_error  # the earlier failures stay visible
    assert not reminder.possible_duplicate  # a 451 is a clear "not accepted"


def test_a_permanent_refusal_fails_and_shows_while_a_temporary_one_keeps_being_retried(
    stack, sink_handler, admin_client_logged, settings
):
    settings.REMINDERS_STUCK_AFTER = 2
    sink_handler.refuse_permanently = {"gone@example.org"}
    sink_handler.always_refuse = {"busy@example.org"}
    owner = factories.ReaderFactory(username="owner")
    gone = factories.ReaderFactory(username="gone")
    busy = factories.ReaderFactory(username="busy")
    overdue_letter(gone, busy, owner=owner)
    stack.worker()

    with stack.sweeping():
        stack.wait(
            lambda: (
                Reminder.objects.filter(status=DeliveryStatus.FAILED).exists()
                and Reminder.objects.filter(recipient=busy, attempts__gte=4).exists()
            ),
            timeout=60,
            what="the refused reminder to fail and the other to be retried a few times",
        )
        stack.wait(sent(1), timeout=30, what="the owner's reminder")
    time.sleep(QUIET)
    assert_each_once(stack, {"owner@example.org": 1, "gone@example.org": 0, "busy@example.org": 0})
    failed = Reminder.objects.get(recipient=gone)
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == 1  # a 550 is final at once
    assert "550" in failed.last_error and "gone@example.org" in failed.last_error
    retrying = Reminder.objects.get(recipient=busy)
    assert retrying.status == DeliveryStatus.PENDING and retrying.next_attempt_at is not None  # not given up
    assert "451" in retrying.last_error

    page = admin_client_logged.get("/admin/disputes/reminder/?status__exact=failed").content.decode()
    assert "gone" in page and "550" in page
    health = admin_client_logged.get("/healthz/reminders/")
    assert health.status_code == 503
    assert health.json()["failed_recently"] == 1 and health.json()["retrying"] == 1
    assert health.json()["stuck"] == 1  # the retried one, pending longer than REMINDERS_STUCK_AFTER
