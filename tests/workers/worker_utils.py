"""Real components for the worker tests: a private Redis, an SMTP sink, and Celery worker processes.

Each test gets its own ``redis-server`` on a spare port (so it can stop it and nothing else shares its queue) and
its own aiosmtpd sink whose behaviour the test sets: hang on the first message, fail N times, refuse a recipient.
Workers are real ``celery -A config worker`` processes in their own process group, so SIGKILL takes the whole
worker down exactly as the OOM killer would.
"""

from __future__ import annotations

import asyncio
import email
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>]+>)", re.MULTILINE | re.IGNORECASE)
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    predicate: Callable[[], object],
    *,
    timeout: float,
    interval: float = 0.1,
    what: str = "",
    detail: Callable[[], str] | None = None,
) -> object:
    """Poll until ``predicate()`` is truthy; fail the test with ``what`` (and ``detail()``) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            extra = f"\n{detail()}" if detail else ""
            raise AssertionError(f"Timed out after {timeout}s waiting for {what or predicate}{extra}")
        time.sleep(interval)


# --- Redis ----------------------------------------------------------------------------------------------------


class RedisServer:
    """A throwaway redis-server without persistence: stopping it loses whatever was queued, like a crash."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, what="redis-server to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def queue_length(self, queue: str = "celery") -> int:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port).llen(queue)


# --- SMTP sink ------------------------------------------------------------------------------------------------


@dataclass
class Received:
    message_id: str
    recipients: list[str]
    subject: str
    raw: bytes


@dataclass
class SinkHandler:
    """aiosmtpd handler. Records accepted messages; misbehaves as the test asks."""

    hang_first: bool = False  # hold the first DATA without answering, until released (nothing accepted)
    hang_first_rcpt: bool = False  # hold the first RCPT without answering: the client never reaches DATA
    answer_late_first: float = 0.0  # store the first message, then answer only after this many seconds
    drop_first: bool = False  # store the first message, then drop the connection without answering
    fail_data_times: int = 0  # answer 451 to this many DATA commands, then accept
    always_refuse: set[str] = field(default_factory=set)  # answer 451 to RCPT for these addresses, forever
    refuse_permanently: set[str] = field(default_factory=set)  # answer 550 to RCPT for these addresses
    delay: float = 0.0  # seconds before answering each DATA (a slow server: a backlog builds up)
    parse: bool = True  # parse each message (False: keep only its Message-ID, for the benchmark's speed)
    received: list[Received] = field(default_factory=list)
    data_commands: int = 0
    in_data: int = 0  # DATA commands being answered right now (several connections at once)
    most_in_data: int = 0
    hanging: threading.Event = field(default_factory=threading.Event)
    _release: asyncio.Event | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hang_first_rcpt and not self.hanging.is_set():
            self._release = asyncio.Event()
            self.hanging.set()
            await self._release.wait()
            return "451 4.3.0 Gave up"
        if address in self.refuse_permanently:
            return "550 5.1.1 No such mailbox"
        if address in self.always_refuse:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def _store(self, envelope) -> None:
        if not self.parse:
            found = MESSAGE_ID.search(envelope.content)
            message_id = found.group(1).decode() if found else ""
            self.received.append(Received(message_id, list(envelope.rcpt_tos), "", b""))
            return
        parsed = email.message_from_bytes(envelope.content)
        self.received.append(
            Received(
                message_id=parsed["Message-ID"],
                recipients=list(envelope.rcpt_tos),
                subject=str(parsed["Subject"]),
                raw=envelope.content,
            )
        )

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        first = self.data_commands == 1
        if self.hang_first and not self.hanging.is_set():
            self._release = asyncio.Event()
            self.hanging.set()
            await self._release.wait()  # the client is killed meanwhile; nothing was accepted
            return "451 4.3.0 Gave up"
        if self.fail_data_times > 0:
            self.fail_data_times -= 1
            return "451 4.3.0 Temporary local problem, try again"
        if self.delay:
            self.in_data += 1
            self.most_in_data = max(self.most_in_data, self.in_data)
            try:
                await asyncio.sleep(self.delay)
            finally:
                self.in_data -= 1
        self._store(envelope)
        if first and self.answer_late_first:
            await asyncio.sleep(self.answer_late_first)  # stored, but the client has given up waiting
        if first and self.drop_first:
            server.transport.close()  # stored, and the connection dropped before the answer
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, handler: SinkHandler | None = None) -> None:
        self.handler = handler or SinkHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Stop listening (an outage); ``start()`` listens again on the same port with the same handler."""
        handler = self.handler
        if self.controller is None:
            return
        if handler._release is not None:
            self.controller.loop.call_soon_threadsafe(handler._release.set)
        self.controller.stop()
        self.controller = None

    @property
    def received(self) -> list[Received]:
        return list(self.handler.received)

    def count_for(self, address: str) -> int:
        return sum(address in r.recipients for r in self.received)


# --- Celery worker processes ----------------------------------------------------------------------------------


def database_url() -> str:
    """The pytest test database (``test_…``), for subprocesses to use the very rows the test wrote."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def component_env(*, broker_url: str, smtp_port: int, **extra: object) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "30",
        "REMINDERS_RETRY_BACKOFF": "1",
        "REMINDERS_RETRY_BACKOFF_MAX": "2",
        "SITE_URL": "https://disputes.example.org",
        "PYTHONUNBUFFERED": "1",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Worker:
    """One ``celery -A config worker`` (prefork, one child) in its own process group."""

    def __init__(
        self, env: dict[str, str], name: str = "w", queues: str = "celery", concurrency: int = 1
    ) -> None:
        self.env = env
        self.name = name
        self.queues = queues
        self.concurrency = concurrency
        self.log = tempfile.NamedTemporaryFile(prefix=f"celery-{name}-", suffix=".log", delete=False)  # noqa: SIM115
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                f"--queues={self.queues}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname={self.name}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 60) -> Worker:
        wait_until(lambda: b" ready." in self.output() or self._died(), timeout=timeout, what="the worker")
        assert not self._died(), self.output().decode(errors="replace")[-3000:]
        return self

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def output(self) -> bytes:
        return Path(self.log.name).read_bytes()

    def pool_children(self) -> list[int]:
        """The pids of the worker's pool processes (the children that run the tasks)."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in out.stdout.split()]

    def kill_child(self) -> int:
        """SIGKILL one pool child only, as the OOM killer would; the worker's main process starts another."""
        [child] = self.pool_children()
        os.kill(child, signal.SIGKILL)
        return child

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once: no clean-up, no ack, no chance to mark anything."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """End of test: nothing is left to finish, so no warm shutdown (it takes seconds)."""
        self.kill()
        Path(self.log.name).unlink(missing_ok=True)


class Beat:
    """One ``celery -A config beat`` in its own process group, with its own schedule file."""

    def __init__(self, env: dict[str, str], name: str = "beat") -> None:
        self.env = env
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"celery-{name}-", suffix=".log", delete=False)  # noqa: SIM115
        self.schedule = tempfile.mktemp(prefix=f"celerybeat-{name}-")  # noqa: S306 - a path for beat to create
        self.process: subprocess.Popen | None = None

    def start(self) -> Beat:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                f"--schedule={self.schedule}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        self.kill()
        Path(self.log.name).unlink(missing_ok=True)
        for path in Path(self.schedule).parent.glob(Path(self.schedule).name + "*"):
            path.unlink(missing_ok=True)


def run_command(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``manage.py <args>`` in a separate process, as an operator (or a second beat) would run it."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@contextmanager
def publishing_to(broker_url: str):
    """Make this process's Celery app publish to ``broker_url`` (the test's private Redis) for a while."""
    from config.celery import app

    def reset_pools() -> None:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)

    keys = ("broker_url", "broker_write_url", "broker_read_url")
    previous = {key: app.conf[key] for key in keys}
    reset_pools()
    app.conf.update(dict.fromkeys(keys, broker_url))
    try:
        yield app
    finally:
        reset_pools()
        app.conf.update(previous)
