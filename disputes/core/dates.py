"""Dates as a reader expects them in their language: 27 Oct 2025 in English, 2025年10月27日 in Japanese, and
no more precisely than they are known (a month, a year)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language


def is_japanese() -> bool:
    """Whether the active language is Japanese."""
    return (get_language() or "en").startswith("ja")


def as_date(value) -> dt.date | None:
    """A date from a date or an aware datetime (in the active time zone); None for anything else."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, dt.date) else None


def format_day(value, precision: str = "day") -> str:
    """27 Oct 2025 / 2025年10月27日; Oct 2025 / 2025年10月 for a month; 2025 / 2025年 for a year."""
    day = as_date(value)
    if day is None:
        return ""
    if is_japanese():
        if precision == "year":
            return f"{day.year}年"
        if precision == "month":
            return f"{day.year}年{day.month}月"
        return f"{day.year}年{day.month}月{day.day}日"
    if precision == "year":
        return str(day.year)
    # What dateformat's "M Y" and "j M Y" give in English, without a translation lookup per date.
    if precision == "month":
        return f"{_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
