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
from tests.workers.worker_utils import (
    RedisServer,
    SinkHandler,
    SmtpSink,
    Worker,
    component_env,
    publishing_to,
    run_command,
    wait_until,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

QUIET = 1.5  # after the expected mail arrived, how long to wait for a duplicate that should not come


class Stack:
    def __init__(self, redis: RedisServer, sink: SmtpSink) -> None:
        self.redis, self.sink = redis, sink
        self.workers: list[Worker] = []

    def env(self, **extra):
        return component_env(broker_url=self.redis.url, smtp_port=self.sink.port, **extra)

    def worker(self, **extra) -> Worker:
        worker = Worker(self.env(**extra), name=f"w{len(self.workers)}").start()
        self.workers.append(worker)
        return worker

    def wait(self, predicate, *, timeout: float, what: str):
        return wait_until(predicate, timeout=timeout, what=what, detail=self.logs)

    def logs(self) -> str:
        return "\n".join(w.output().decode(errors="replace")[-4000:] for w in self.workers)


@pytest.fixture
def sink_handler():
    return SinkHandler()


@pytest.fixture
def stack(sink_handler, settings):
    settings.SITE_URL = "https://disputes.example.org"
    redis = RedisServer()
    redis.start()
    sink = SmtpSink(sink_handler)
    sink.start()
    stack = Stack(redis, sink)
    try:
        with publishing_to(redis.url):
            yield stack
    finally:
        for worker in stack.workers:
            worker.stop()
        sink.stop()
        redis.stop()


def overdue_letter(*recipients, owner=None):
    """An overdue letter (deadline a year ago) owned by ``owner`` and followed by ``recipients``."""
    letter = factories.DemandLetterFactory(owner=owner)
    for user in recipients:
        user.follows.create(dispute=letter.dispute)
    return letter


def sent(count: int):
    return lambda: Reminder.objects.filter(status=DeliveryStatus.SENT).count() >= count


def assert_each_once(stack: Stack, expected: dict[str, int]) -> None:
    """Each address got exactly its number of messages, and no Message-ID arrived twice."""
    received = stack.sink.received
    counts = {address: stack.sink.count_for(address) for address in expected}
    assert counts == expected, stack.logs()
    ids = [r.message_id for r in received]
    assert len(ids) == len(set(ids)), ids
    assert sum(expected.values()) == len(received)


def test_an_overdue_letter_gives_exactly_one_email_per_recipient(stack):
    owner = factories.UserFactory(username="owner")
    follower = factories.UserFactory(username="follower")
    letter = overdue_letter(follower, owner, owner=owner)  # owner also follows: still told once
    letter_follower = factories.UserFactory(username="letter-follower")
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


def test_concurrent_and_repeated_sweeps_still_send_one(stack):
    owners = [factories.UserFactory(username=f"owner{i}") for i in range(20)]
    watcher = factories.UserFactory(username="watcher")
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
    assert Reminder.objects.count() == 40

    # And by hand, twice, in other processes, while the deliveries are going on.
    for _ in range(2):
        output = run_command(stack.env(), "sweep_deadlines").stdout
        assert "Scheduled 0 new reminder(s)" in output

    stack.wait(sent(40), timeout=90, what="forty reminders to be sent")
    time.sleep(QUIET)
    assert_each_once(stack, expected)


def test_a_worker_killed_mid_delivery_is_replaced_and_the_reminder_sent_once(stack, sink_handler, settings):
    sink_handler.hang_first = (
        True  # the first message is held at DATA: the worker is in the middle of sending
    )
    settings.REMINDERS_SENDING_TIMEOUT = 3
    settings.REMINDERS_REENQUEUE_AFTER = 5
    owner = factories.UserFactory(username="owner")
    overdue_letter(factories.UserFactory(username="follower"), owner=owner)
    first = stack.worker()

    sweep.deadlines_sweep()
    stack.wait(sink_handler.hanging.is_set, timeout=60, what="the first delivery to reach the mail server")
    [interrupted] = Reminder.objects.filter(status=DeliveryStatus.SENDING)
    first.kill()
    assert stack.sink.received == []

    stack.worker(REMINDERS_SENDING_TIMEOUT=3)
    # A sweep within the timeout leaves the "sending" row alone: its worker might still be working.
    assert sweep.deadlines_sweep().interrupted == 0
    time.sleep(3.2)
    assert sweep.deadlines_sweep().interrupted == 1

    stack.wait(sent(2), timeout=60, what="both reminders to be sent")
    time.sleep(QUIET)
    assert_each_once(stack, {"owner@example.org": 1, "follower@example.org": 1})
    interrupted.refresh_from_db()
    assert interrupted.status == DeliveryStatus.SENT
    assert interrupted.attempts == 2 and interrupted.possible_duplicate  # recorded for a person to check
    assert interrupted.message_id in {r.message_id for r in stack.sink.received}  # same Message-ID as before


def test_redis_stopped_during_a_sweep_loses_nothing(stack, monkeypatch):
    owner = factories.UserFactory(username="owner")
    overdue_letter(factories.UserFactory(username="follower"), owner=owner)
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
    owner = factories.UserFactory(username="owner")
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
    overdue_letter(owner=factories.UserFactory(username="owner"))
    stack.worker()

    sweep.deadlines_sweep()
    stack.wait(sent(1), timeout=60, what="the reminder after two refusals")
    time.sleep(QUIET)
    assert_each_once(stack, {"owner@example.org": 1})
    reminder = Reminder.objects.get()
    assert reminder.attempts == 3 and sink_handler.data_commands == 3
    assert "451" in reminder.last_error  # the earlier failures stay visible


def test_a_recipient_always_refused_is_marked_failed_and_the_others_delivered(
    stack, sink_handler, admin_client_logged
):
    sink_handler.always_refuse = {"refused@example.org"}
    owner = factories.UserFactory(username="owner")
    refused = factories.UserFactory(username="refused")
    overdue_letter(refused, owner=owner)
    stack.worker()

    sweep.deadlines_sweep()
    stack.wait(
        lambda: Reminder.objects.filter(status=DeliveryStatus.FAILED).exists(),
        timeout=60,
        what="the refused reminder to be marked failed",
    )
    stack.wait(sent(1), timeout=30, what="the other reminder")
    time.sleep(QUIET)
    assert_each_once(stack, {"owner@example.org": 1, "refused@example.org": 0})
    failed = Reminder.objects.get(recipient=refused)
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == 4  # the first try and REMINDERS_MAX_RETRIES=3 retries
    assert "451" in failed.last_error and "refused@example.org" in failed.last_error

    page = admin_client_logged.get("/admin/disputes/reminder/?status__exact=failed").content.decode()
    assert "refused" in page and "451" in page
