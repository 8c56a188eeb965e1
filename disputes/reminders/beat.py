"""The beat scheduler: Celery's own, but only one beat per deployment sends anything.

A beat first takes the beat lock (``locks.ProcessLock``: an advisory lock on its own PostgreSQL connection, or a
lock file with SQLite) and checks it at every tick. A second beat started by mistake (or as a standby) finds the
lock taken, logs that it is standing by, and sends nothing until the first one is gone; then it takes over.
Configured by ``CELERY_BEAT_SCHEDULER`` in the settings.
"""

from __future__ import annotations

import logging

from celery.beat import PersistentScheduler
from django.conf import settings

from disputes.reminders import locks

log = logging.getLogger(__name__)

SWEEP_TASK = "disputes.tasks.sweep_deadlines"


class SingleBeatScheduler(PersistentScheduler):
    #: How often a standing-by beat tries the lock, in seconds.
    standby_interval = 5.0

    def __init__(self, *args, **kwargs) -> None:
        self._beat_lock = locks.ProcessLock(locks.BEAT)
        self._leading = False
        self._standing_by = False
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs) -> float:
        if not self._beat_lock.ensure():
            if self._leading or not self._standing_by:
                log.warning("Another beat holds the beat lock: standing by, sending nothing.")
            self._leading, self._standing_by = False, True
            return min(self.standby_interval, self.max_interval)
        if not self._leading:
            self._leading, self._standing_by = True, False
            log.info("This beat holds the beat lock and sends the periodic tasks.")
            if settings.REMINDERS_SWEEP_ON_BEAT_START:
                # One sweep straight away, so reminders do not wait a whole interval after a (re)start.
                self.app.send_task(SWEEP_TASK, expires=settings.REMINDERS_SWEEP_INTERVAL)
        return super().tick(*args, **kwargs)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._beat_lock.release()
