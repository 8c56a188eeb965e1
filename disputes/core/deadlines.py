"""The default response-deadline policy, for letters that name no deadline.

A policy is a number of days after the letter was sent, counted as calendar days or as business days. Business
days skip weekends and the public holidays of the sender's country, taken from the maintained ``holidays``
library (Japan and the United States matter most here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DAY_KINDS = ("calendar", "business")


@dataclass(frozen=True)
class DeadlinePolicy:
    days: int
    day_kind: str = "calendar"

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ImproperlyConfigured("A deadline policy needs at least one day.")
        if self.day_kind not in DAY_KINDS:
            raise ImproperlyConfigured(f"Deadline days are 'calendar' or 'business', not {self.day_kind!r}.")

    def describe(self) -> str:
        return f"{self.days} {self.day_kind} days after the letter was sent"


def default_policy() -> DeadlinePolicy:
    return DeadlinePolicy(
        days=settings.DISPUTES_DEFAULT_DEADLINE_DAYS, day_kind=settings.DISPUTES_DEFAULT_DEADLINE_DAY_KIND
    )


def _public_holidays(country: str, years: range):
    if not country:
        return {}
    try:
        return holidays.country_holidays(country.upper(), years=years)
    except NotImplementedError:
        # A country the library does not know: count weekends only.
        return {}


def add_business_days(start: dt.date, days: int, *, country: str = "") -> dt.date:
    """The date ``days`` business days after ``start``, skipping weekends and the country's public holidays."""
    off = _public_holidays(country, range(start.year, start.year + 2 + days // 200))
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            remaining -= 1
    return current


def policy_deadline(start: dt.date, *, country: str = "", policy: DeadlinePolicy | None = None) -> dt.date:
    """The response deadline the policy gives a letter sent on ``start`` by a sender in ``country``."""
    policy = policy or default_policy()
    if policy.day_kind == "business":
        return add_business_days(start, policy.days, country=country)
    return start + dt.timedelta(days=policy.days)
