"""A user's own settings: the time zone they chose, and the one their browser last reported."""

from __future__ import annotations

from disputes.core import timezones
from disputes.models import UserProfile
from disputes.models.access import validate_viewer_timezone


def profile_timezone_set(*, user, name: str) -> UserProfile:
    """Choose ``name`` as ``user``'s time zone; an empty name means "follow my browser".

    Raises ValidationError (the model field's validator) for a name that is not a time zone, changing nothing.
    """
    name = (name or "").strip()
    validate_viewer_timezone(name)
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
