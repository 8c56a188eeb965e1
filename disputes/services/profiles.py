"""A user's own settings: the time zone they chose, and the one their browser last reported."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from disputes import timezones
from disputes.models import UserProfile


def profile_timezone_set(*, user, name: str) -> UserProfile:
    """Choose ``name`` as ``user``'s time zone; an empty name means "follow my browser".

    Raises ValidationError for a name that is not a time zone, and changes nothing then.
    """
    name = (name or "").strip()
    if name and not timezones.is_valid(name):
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/London or America/New_York."),
            params={"value": name},
            code="invalid_timezone",
        )
    profile, _created = UserProfile.objects.update_or_create(user=user, defaults={"timezone": name})
    return profile


def profile_browser_timezone_record(*, user, name: str) -> bool:
    """Remember the zone ``user``'s browser reports, so emails can use it. True if it changed anything.

    Invalid names are ignored: they come from a cookie anyone can write.
    """
    if not timezones.is_valid(name):
        return False
    updated = (
        UserProfile.objects.filter(user=user).exclude(detected_timezone=name).update(detected_timezone=name)
    )
    if updated:
        return True
    profile, created = UserProfile.objects.get_or_create(user=user, defaults={"detected_timezone": name})
    return created


def profile_timezones(user) -> dict[str, str]:
    """``{"chosen": ..., "detected": ...}`` for ``user`` (empty strings without a profile). One query."""
    row = UserProfile.objects.filter(user=user).values("timezone", "detected_timezone").first() or {}
    return {"chosen": row.get("timezone", ""), "detected": row.get("detected_timezone", "")}
