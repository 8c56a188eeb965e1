"""Show every page in the viewer's time zone (see ``disputes.core.timezones`` for how it is chosen)."""

from __future__ import annotations

from django.utils import timezone

from disputes.accounts.services import profile_browser_timezone_record
from disputes.core import timezones
from disputes.models import UserProfile


def remember_profile_timezones(request, user) -> dict[str, str]:
    """Keep the user's chosen and browser-reported zones in the session, so pages need no query for them."""
    zones = UserProfile.objects.zones_of(user)
    request.session[timezones.SESSION_KEY] = zones
    return zones


def on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver (connected in apps.py): load the new session's zones once, at login."""
    if request is not None and hasattr(request, "session"):
        remember_profile_timezones(request, user)


class ViewerTimezoneMiddleware:
    """Activate the viewer's time zone for the request; record a signed-in user's browser zone when it changes.

    Needs the session and authentication middleware before it. Sets ``request.viewer_zone``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = self._zone(request)
        request.viewer_zone = zone
        timezone.activate(zone.tzinfo)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def _zone(self, request) -> timezones.ViewerZone:
        browser = request.COOKIES.get(timezones.COOKIE_NAME, "")
        browser = browser if timezones.is_valid(browser) else ""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return timezones.resolve(browser=browser)
        zones = request.session.get(timezones.SESSION_KEY)
        if not isinstance(zones, dict):
            zones = remember_profile_timezones(request, user)
        if browser and browser != zones.get("detected"):
            profile_browser_timezone_record(user=user, name=browser)
            zones = {**zones, "detected": browser}
            request.session[timezones.SESSION_KEY] = zones
        return timezones.resolve(chosen=zones.get("chosen", ""), browser=browser or zones.get("detected", ""))
