"""The stack the worker tests share: a private Redis, an SMTP sink, worker and beat processes, and a sweeper."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection

from disputes.models import DeliveryStatus, Reminder
from disputes.reminders import sweep
from tests import factories
from tests.workers.worker_utils import (
    Beat,
    RedisServer,
    SinkHandler,
    SmtpSink,
    Worker,
    component_env,
    publishing_to,
    wait_until,
)

QUIET = 1.5  # after the expected mail arrived, how long to wait for a duplicate that should not come


class Stack:
    def __init__(self, redis: RedisServer, sink: SmtpSink) -> None:
        self.redis, self.sink = redis, sink
        self.workers: list[Worker] = []
        self.beats: list[Beat] = []

    def env(self, **extra):
        return component_env(broker_url=self.redis.url, smtp_port=self.sink.port, **extra)

    def worker(self, *, queues: str = "celery", concurrency: int = 1, **extra) -> Worker:
        worker = Worker(
            self.env(**extra), name=f"w{len(self.workers)}", queues=queues, concurrency=concurrency
        ).start()
        self.workers.append(worker)
        return worker

    def beat(self, **extra) -> Beat:
        beat = Beat(self.env(**extra), name=f"beat{len(self.beats)}").start()
        self.beats.append(beat)
        return beat

    def wait(self, predicate, *, timeout: float, what: str):
        return wait_until(predicate, timeout=timeout, what=what, detail=self.logs)

    def logs(self) -> str:
        parts = [w.output().decode(errors="replace")[-4000:] for w in self.workers]
        parts += [b.output()[-2000:] for b in self.beats]
        return "\n".join(parts)

    @contextmanager
    def sweeping(self, every: float = 0.5):
        """Run the deadline sweep in this process every ``every`` seconds, as beat would, until the block ends."""
        stop = threading.Event()
        errors: list[BaseException] = []

        def loop():
            try:
                while not stop.is_set():
                    try:
                        sweep.deadlines_sweep()
                    except Exception as exc:  # noqa: BLE001 - a sweep failing (database locked) is retried
                        errors.append(exc)
                    stop.wait(every)
            finally:
                connection.close()

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        try:
            yield errors
        finally:
            stop.set()
            thread.join(timeout=60)


@pytest.fixture
def sink_handler():
    return SinkHandler()


@pytest.fixture
def stack(sink_handler, settings):
    settings.SITE_URL = "https://disputes.example.org"
    settings.REMINDERS_RETRY_BACKOFF = 1
    settings.REMINDERS_RETRY_BACKOFF_MAX = 2
    redis = RedisServer()
    redis.start()
    sink = SmtpSink(sink_handler)
    sink.start()
    stack = Stack(redis, sink)
    try:
        with publishing_to(redis.url):
            yield stack
    finally:
        for process in [*stack.beats, *stack.workers]:
            process.stop()
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


def assert_duplicates_only_where_flagged(stack: Stack) -> dict[str, int]:
    """Every reminder arrived; a Message-ID that arrived twice belongs to a row flagged as a possible duplicate.

    Returns how many times each Message-ID arrived.
    """
    arrivals: dict[str, int] = {}
    for message in stack.sink.received:
        arrivals[message.message_id] = arrivals.get(message.message_id, 0) + 1
    for reminder in Reminder.objects.select_related("recipient"):
        assert reminder.status == DeliveryStatus.SENT, (reminder, reminder.last_error, stack.logs())
        assert arrivals.get(reminder.message_id, 0) >= 1, reminder
        if arrivals[reminder.message_id] > 1:
            assert reminder.possible_duplicate, (reminder, arrivals)
    assert set(arrivals) == set(Reminder.objects.values_list("message_id", flat=True))
    return arrivals


def settle() -> None:
    time.sleep(QUIET)
