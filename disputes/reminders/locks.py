"""Locks that make "exactly one at a time" a fact rather than a comment: one sweep, one beat.

With PostgreSQL they are advisory locks, held by a database session: a process that dies loses its connection and
so its lock, and nothing has to expire. With SQLite (the embedded default, one machine) they are ``flock`` locks
on files under ``var/locks/``, released by the kernel when the process dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

log = logging.getLogger(__name__)

SWEEP = "disputes.reminders.sweep"
BEAT = "disputes.reminders.beat"


def _scoped(name: str) -> str:
    """The lock's name within this deployment's database: two deployments (or test runs) that share a
    PostgreSQL server or a var/ folder but not a database never hold each other's locks."""
    database = str(connection.settings_dict.get("NAME") or "")
    if "memory" in database:  # an in-memory SQLite database (tests) belongs to one process alone
        database += f"#{os.getpid()}"
    return f"{name}@{database}"


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` from a lock's name, within this database."""
    return int.from_bytes(hashlib.blake2b(_scoped(name).encode(), digest_size=8).digest(), "big", signed=True)


def _lock_file(name: str) -> Path:
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.blake2b(_scoped(name).encode(), digest_size=6).hexdigest()
    return folder / f"{name}-{digest}.lock"


class FileLock:
    """A non-blocking ``flock`` on ``var/locks/<name>.lock``, held until ``release()`` or the process ends."""

    def __init__(self, name: str) -> None:
        self.path = _lock_file(name)
        self._file = None

    def acquire(self) -> bool:
        handle = self.path.open("a")  # noqa: SIM115 - held open for as long as the lock is held
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


@contextmanager
def sweep_lock() -> Iterator[bool]:
    """Yield True while this process holds the sweep lock, False (at once, without waiting) if another does."""
    if connection.vendor == "postgresql":
        key = advisory_key(SWEEP)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    lock = FileLock(SWEEP)
    held = lock.acquire()
    try:
        yield held
    finally:
        lock.release()


class ProcessLock:
    """A lock held for a process's lifetime on its own database connection (or lock file), e.g. by beat.

    ``ensure()`` takes it if free and checks it is still held; call it regularly: if the database connection was
    lost, so was the lock, and it is taken again only if nobody else took it meanwhile.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._connection = None
        self._file: FileLock | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    def ensure(self) -> bool:
        if connections["default"].vendor != "postgresql":
            if self._file is None:
                lock = FileLock(self.name)
                self._file = lock if lock.acquire() else None
            return self._file is not None
        if self._connection is not None:
            try:
                with self._connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                return True
            except Exception:  # noqa: BLE001 - the connection (and with it the lock) is gone
                log.warning("Lost the database connection holding the %s lock; taking it again.", self.name)
                self.release()
        conn = connections.create_connection("default")
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key(self.name)])
                held = bool(cursor.fetchone()[0])
        except Exception:  # noqa: BLE001 - database unreachable: not held; the caller tries again later
            log.warning("Could not reach the database to take the %s lock.", self.name, exc_info=True)
            held = False
        if held:
            self._connection = conn
        else:
            conn.close()
        return held

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()  # the session ends: PostgreSQL releases its advisory locks
            except Exception:  # noqa: BLE001, S110 - already gone
                pass
            self._connection = None
        if self._file is not None:
            self._file.release()
            self._file = None
