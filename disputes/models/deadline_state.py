"""A letter's deadline at one instant: the one definition that every page, email, chart, feed, export and the
API show.

Three things are easy to confuse and are kept apart here:

- **Overdue**: the letter is open, no response has been judged sincere, and its deadline has passed. How long
  it is overdue is counted from the deadline's instant (the end of the deadline day in the sender's time zone):
  under a day it is said in hours, from a day on in whole days.
- **Whose deadline**: a deadline is stated in the letter, set by staff (an extension or a correction), or
  derived by *our* default policy when the letter names none. A policy deadline is never presented as the
  sender's: every wording says it is ours.
- **Unanswered since the letter**: how long the sender has waited, counted in calendar days from the letter's
  date in the sender's time zone. It is a different figure from "overdue" and is always labelled as such.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from disputes.core.dates import format_day

from .choices import DeadlineSource, LetterStatus


def duration_text(delta: dt.timedelta) -> str:
    """A duration as people say it: "40 minutes" and "16 hours" under a day, "3 days" from a day on."""
    if delta >= dt.timedelta(days=1):
        return ngettext("%(n)d day", "%(n)d days", delta.days) % {"n": delta.days}
    hours = int(delta.total_seconds() // 3600)
    if hours >= 1:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    minutes = max(1, int(delta.total_seconds() // 60))
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def days_text(days: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@dataclass(frozen=True)
class DeadlineState:
    """Where a letter stands against its deadline at ``at``. Build it with ``DemandLetter.deadline_state``."""

    at: dt.datetime
    letter_date: dt.date | None
    deadline_on: dt.date | None
    deadline_at: dt.datetime | None
    source: str
    timezone: str
    status: str
    answered: bool

    # --- Facts -------------------------------------------------------------------------------------------

    @property
    def has_deadline(self) -> bool:
        return self.deadline_at is not None

    @property
    def is_ours(self) -> bool:
        """The deadline was derived by our default policy: the sender named none."""
        return self.has_deadline and self.source == DeadlineSource.POLICY

    @property
    def awaiting(self) -> bool:
        """The clock runs: the letter is open and no response has been judged sincere."""
        return self.status == LetterStatus.OPEN and not self.answered

    @property
    def overdue(self) -> bool:
        return self.awaiting and self.has_deadline and self.deadline_at < self.at

    @property
    def overdue_for(self) -> dt.timedelta | None:
        return self.at - self.deadline_at if self.overdue else None

    @property
    def overdue_days(self) -> int:
        """Whole days since the deadline passed: 0 on its first day, and 0 if the letter is not overdue."""
        return self.overdue_for.days if self.overdue else 0

    @property
    def overdue_since(self) -> dt.datetime | None:
        return self.deadline_at if self.overdue else None

    @property
    def due_in(self) -> dt.timedelta | None:
        if self.awaiting and self.has_deadline and not self.overdue:
            return self.deadline_at - self.at
        return None

    @property
    def unanswered_days(self) -> int | None:
        """Calendar days from the letter's date to ``at`` in the sender's time zone, while the clock runs."""
        if not self.awaiting or self.letter_date is None:
            return None
        today = self.at.astimezone(zoneinfo.ZoneInfo(self.timezone)).date()
        return max(0, (today - self.letter_date).days)

    # --- Wording -----------------------------------------------------------------------------------------

    @property
    def source_label(self) -> str:
        return {
            DeadlineSource.STATED: _("stated in the letter"),
            DeadlineSource.STAFF: _("set by staff"),
            DeadlineSource.POLICY: _("our default, not the sender's: the letter states no deadline"),
        }.get(self.source, _("no deadline"))

    @property
    def deadline_label(self) -> str:
        """The deadline and where it comes from, e.g. "Deadline 26 Nov 2025 (end of day, Asia/Tokyo), stated in
        the letter", or "No deadline stated. Our policy deadline: 26 Nov 2025 (end of day, Asia/Tokyo)"."""
        if not self.has_deadline:
            return _("No deadline stated")
        values = {"date": format_day(self.deadline_on), "tz": self.timezone}
        if self.is_ours:
            return _("No deadline stated. Our policy deadline: %(date)s (end of day, %(tz)s)") % values
        if self.source == DeadlineSource.STAFF:
            return _("Deadline %(date)s (end of day, %(tz)s), set by staff") % values
        return _("Deadline %(date)s (end of day, %(tz)s), stated in the letter") % values

    @property
    def overdue_amount(self) -> int:
        """The number a big figure shows: whole days, or whole hours on the deadline's first day."""
        if not self.overdue:
            return 0
        if self.overdue_for >= dt.timedelta(days=1):
            return self.overdue_for.days
        return int(self.overdue_for.total_seconds() // 3600)

    @property
    def overdue_unit(self) -> str:
        """The words under that figure: "days overdue", "hours past our deadline", ..."""
        n = self.overdue_amount
        in_days = self.overdue and self.overdue_for >= dt.timedelta(days=1)
        if self.is_ours:
            if in_days:
                return ngettext("day past our deadline", "days past our deadline", n)
            return ngettext("hour past our deadline", "hours past our deadline", n)
        if in_days:
            return ngettext("day overdue", "days overdue", n)
        return ngettext("hour overdue", "hours overdue", n)

    @property
    def overdue_label(self) -> str:
        """E.g. "Overdue by 16 hours", or "Past our policy deadline by 369 days"; empty if not overdue."""
        if not self.overdue:
            return ""
        how_long = duration_text(self.overdue_for)
        if self.is_ours:
            return _("Past our policy deadline by %(duration)s") % {"duration": how_long}
        return _("Overdue by %(duration)s") % {"duration": how_long}

    @property
    def due_label(self) -> str:
        """E.g. "Response due in 3 days", or "Our policy deadline in 3 days"; empty if none is coming."""
        if self.due_in is None:
            return ""
        how_long = duration_text(self.due_in)
        if self.is_ours:
            return _("Our policy deadline in %(duration)s") % {"duration": how_long}
        return _("Response due in %(duration)s") % {"duration": how_long}

    @property
    def unanswered_label(self) -> str:
        """E.g. "Unanswered for 400 days since the letter"; empty once answered or closed."""
        days = self.unanswered_days
        if days is None:
            return ""
        if days == 0:
            return _("Unanswered since the letter today")
        return _("Unanswered for %(days)s since the letter") % {"days": days_text(days)}

    @property
    def label(self) -> str:
        """The one line a list shows: overdue, else due, else unanswered, else answered or closed."""
        if self.overdue:
            return self.overdue_label
        if self.due_in is not None:
            return self.due_label
        if self.answered:
            return _("Answered: a response was judged sincere")
        if self.status != LetterStatus.OPEN:
            return _("Closed") if self.status == LetterStatus.CLOSED else _("Withdrawn")
        return self.unanswered_label or _("No deadline stated")

    def wording(self) -> tuple:
        """Every fact and label of the state that a page can show: two instants with the same wording show a
        letter the same way (what a letter kept rendered is keyed by)."""
        return (
            self.overdue,
            self.is_ours,
            self.has_deadline,
            self.awaiting,
            self.answered,
            self.deadline_label,
            self.overdue_label if self.overdue else "",
            self.due_label if self.due_in is not None else "",
            self.unanswered_label,
            self.label,
        )

    def wording_digest(self) -> str:
        """A short digest of ``wording``: with the letter's pk, the name a letter kept rendered is kept under."""
        return hashlib.sha256(repr(self.wording()).encode()).hexdigest()[:16]

    def as_dict(self) -> dict:
        """The state for machines (API, JSON export): figures in plain types, labels in the active language."""
        return {
            "overdue": self.overdue,
            "overdue_since": self.overdue_since.isoformat() if self.overdue_since else None,
            "overdue_seconds": int(self.overdue_for.total_seconds()) if self.overdue else 0,
            "days_overdue": self.overdue_days,
            "deadline_is_ours": self.is_ours,
            "deadline_source": self.source,
            "unanswered_days": self.unanswered_days,
            "label": self.label,
            "deadline_label": self.deadline_label,
        }
