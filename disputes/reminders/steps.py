"""The reminder escalation ladder and the other reminder settings, read from Django settings.

The ladder is a list of day offsets from a letter's deadline (``REMINDERS_LADDER_DAYS``, e.g. ``-3, 0, 7, 14, 30``:
a heads-up three days before, one when it passes, then one, two and four weeks after), followed by a repeat every
``REMINDERS_REPEAT_DAYS`` days after the last offset (0: no repeats). Steps are named after their offset
(``before-3d``, ``due``, ``after-7d``, ``after-60d``) so that changing the ladder never renames a step that was
already recorded in the ledger.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def step_name(offset_days: int) -> str:
    if offset_days < 0:
        return f"before-{-offset_days}d"
    if offset_days == 0:
        return "due"
    return f"after-{offset_days}d"


STEP_NAME = re.compile(r"^(before|after)-(\d+)d$|^due$|^assess-(\d+)$")


def step_label(name: str) -> str:
    """A ledger step name in words: before-3d → "3 days before the deadline", due → "on the deadline",
    after-7d → "7 days after the deadline", assess-12 → "response waiting for an assessment"."""
    match = STEP_NAME.match(name or "")
    if not match:
        return name or ""
    if name == "due":
        return _("on the deadline")
    if match[3]:
        return _("response waiting for an assessment")
    count = int(match[2])
    if match[1] == "before":
        return ngettext("%(count)d day before the deadline", "%(count)d days before the deadline", count) % {
            "count": count
        }
    return ngettext("%(count)d day after the deadline", "%(count)d days after the deadline", count) % {
        "count": count
    }


@dataclass(frozen=True)
class Step:
    """One rung of the ladder for one deadline: its name, its offset, and the instant it falls due."""

    name: str
    offset_days: int
    due_at: dt.datetime

    @property
    def label(self) -> str:
        return step_label(self.name)


@dataclass(frozen=True)
class Ladder:
    offsets_days: tuple[int, ...]
    repeat_days: int = 0

    def __post_init__(self) -> None:
        if not self.offsets_days:
            raise ImproperlyConfigured("REMINDERS_LADDER_DAYS needs at least one step.")
        if list(self.offsets_days) != sorted(set(self.offsets_days)):
            raise ImproperlyConfigured("REMINDERS_LADDER_DAYS must be distinct and in increasing order.")
        if self.repeat_days < 0:
            raise ImproperlyConfigured("REMINDERS_REPEAT_DAYS cannot be negative.")

    @property
    def lead_time(self) -> dt.timedelta:
        """How long before its deadline a letter can first be at a step (zero if no heads-up)."""
        return dt.timedelta(days=max(0, -self.offsets_days[0]))

    def _step(self, deadline_at: dt.datetime, offset_days: int) -> Step:
        return Step(step_name(offset_days), offset_days, deadline_at + dt.timedelta(days=offset_days))

    def step_at(self, deadline_at: dt.datetime, now: dt.datetime) -> Step | None:
        """The step a letter with this deadline is at now: the latest one already due, or None before the first.

        Only this step is ever scheduled, so a letter that is long overdue gets one reminder, not one for every
        step it missed.
        """
        elapsed = now - deadline_at
        current: int | None = None
        for offset in self.offsets_days:
            if elapsed >= dt.timedelta(days=offset):
                current = offset
        if current is None:
            return None
        last = self.offsets_days[-1]
        if current == last and self.repeat_days:
            repeats = (elapsed - dt.timedelta(days=last)) // dt.timedelta(days=self.repeat_days)
            current = last + repeats * self.repeat_days
        return self._step(deadline_at, current)

    def next_step(self, deadline_at: dt.datetime, now: dt.datetime) -> Step | None:
        """The first step not yet due, or None when the ladder has no more steps."""
        elapsed = now - deadline_at
        for offset in self.offsets_days:
            if elapsed < dt.timedelta(days=offset):
                return self._step(deadline_at, offset)
        if not self.repeat_days:
            return None
        current = self.step_at(deadline_at, now)
        assert current is not None
        return self._step(deadline_at, current.offset_days + self.repeat_days)


def ladder() -> Ladder:
    return Ladder(
        offsets_days=tuple(int(d) for d in settings.REMINDERS_LADDER_DAYS),
        repeat_days=int(settings.REMINDERS_REPEAT_DAYS),
    )


def assessment_after() -> dt.timedelta:
    """How long a response may wait unassessed before staff are reminded to assess it."""
    return dt.timedelta(days=settings.REMINDERS_ASSESSMENT_DAYS)


def reenqueue_after() -> dt.timedelta:
    """How long a pending reminder may wait after it was last enqueued before a sweep enqueues it again."""
    return dt.timedelta(seconds=settings.REMINDERS_REENQUEUE_AFTER)


def sending_timeout() -> dt.timedelta:
    """How long a delivery may stay in "sending" before it counts as interrupted (a worker died)."""
    return dt.timedelta(seconds=settings.REMINDERS_SENDING_TIMEOUT)
