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
