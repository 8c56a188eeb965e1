"""Vocabulary shared by several models: date precision, timestamps, and time-zone validation."""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_partial_date(value: dt.date | None, precision: str) -> str:
    """Render a date no more precisely than it is known: ``2025-09`` for a month, ``2023`` for a year."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


def normalise_partial_date(value: dt.date | None, precision: str) -> dt.date | None:
    """A date known to the month is stored as the 1st of that month, one known to the year as 1 January."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


class DateQualifier(models.TextChoices):
    EXACT = "exact", _("On")
    AROUND = "around", _("Around")
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


# Within one day, the record sorts what is known to the day first, then what is known only to the month, the year,
# then a range: a "Nov 2025" reaction comes after the "11 Nov 2025" ruling it reacts to.
_PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
_RANGE_RANK = 3


def period_end(value: dt.date, precision: str) -> dt.date:
    """The last day a date known to ``precision`` can be: the month's last day, 31 December, or the day itself."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        following = (value.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return value


def period_start(value: dt.date, precision: str) -> dt.date:
    """The first day a date known to ``precision`` can be."""
    return normalise_partial_date(value, precision)


def date_sort_key(
    value: dt.date | None,
    precision: str = DatePrecision.DAY,
    *,
    end: dt.date | None = None,
    end_precision: str | None = None,
) -> int:
    """An integer that orders partial dates: a month-only or year-only date after the dated ones of its period.

    A date sorts at the last day it can be (so "2025-11" after 30 November), then by how precisely it is known;
    a range sorts at its end. ``0`` for no date. Stored on records as ``date_sort`` so that SQL can order and page.
    """
    if value is None:
        return 0
    if end is not None:
        last = period_end(end, end_precision or precision)
        rank = _RANGE_RANK
    else:
        last = period_end(value, precision)
        rank = _PRECISION_RANK.get(precision, 0)
    return (last.year * 10000 + last.month * 100 + last.day) * 10 + rank


def partial_date_from_sort_key(key: int | None) -> tuple[dt.date | None, str]:
    """The date and precision a ``date_sort_key`` stands for, for showing the latest of several records.

    A month-only or year-only key gives the first day at that precision. A range gives its last day, at month
    precision when that day ends a month (a range's key does not say how precisely its end is known, and a
    coarser date never claims more than is known).
    """
    if not key:
        return None, DatePrecision.DAY
    number, rank = divmod(key, 10)
    day = dt.date(number // 10000, number // 100 % 100, number % 100)
    if rank == _PRECISION_RANK[DatePrecision.YEAR]:
        return day.replace(month=1, day=1), DatePrecision.YEAR
    if rank == _PRECISION_RANK[DatePrecision.MONTH]:
        return day.replace(day=1), DatePrecision.MONTH
    if rank == _RANGE_RANK and period_end(day, DatePrecision.MONTH) == day:
        return day.replace(day=1), DatePrecision.MONTH
    return day, DatePrecision.DAY


def sort_key_period(key: int | None) -> tuple[int, int]:
    """The period a ``date_sort_key`` sorts in, as (year, month), or (year, 0) for a date known only to the year:
    what a list in that order groups its entries under. A month-only date or a range is grouped under the month
    it sorts at (its last); ``(0, 0)`` for no date."""
    if not key:
        return 0, 0
    number, rank = divmod(key, 10)
    year, month = number // 10000, number // 100 % 100
    return (year, 0) if rank == _PRECISION_RANK[DatePrecision.YEAR] else (year, month)


def compare_partial_dates(
    first: dt.date, first_precision: str, second: dt.date, second_precision: str
) -> int | None:
    """-1 if ``first`` is certainly before ``second``, 1 if certainly after, 0 if the same day, None if undecidable.

    Each date stands for the period it may be in (a month, a year); the answer is given at the coarsest precision
    that can decide it: "2025-10" is certainly before "2025-11-04", but not before or after "2025-10-27".
    """
    a_start, a_end = period_start(first, first_precision), period_end(first, first_precision)
    b_start, b_end = period_start(second, second_precision), period_end(second, second_precision)
    if a_end < b_start:
        return -1
    if a_start > b_end:
        return 1
    if a_start == a_end == b_start == b_end:
        return 0
    return None


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Asia/Tokyo or America/New_York."),
            params={"value": value},
        ) from exc


def choices_check(field: str, choices: type[models.TextChoices], name: str, *, null: bool = False):
    """A CheckConstraint that keeps ``field`` within ``choices`` in the database, not only in forms."""
    condition = models.Q(**{f"{field}__in": choices.values})
    if null:
        condition |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=_("%(field)s must be one of: %(values)s.")
        % {"field": field.replace("_", " ").capitalize(), "values": ", ".join(choices.values)},
    )


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


def translated(obj: object, field: str, language: str | None) -> str:
    """``obj.<field>_ja`` for a Japanese reader when it is filled in, else ``obj.<field>`` (the English text)."""
    if language and language.startswith("ja"):
        value = getattr(obj, f"{field}_ja", "")
        if value:
            return value
    return getattr(obj, field, "") or ""


def validate_currency(value: str) -> None:
    if len(value) != 3 or not value.isascii() or not value.isupper() or not value.isalpha():
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code such as JPY, USD or EUR."),
            params={"value": value},
        )
