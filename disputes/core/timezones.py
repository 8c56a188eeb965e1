"""Whose clock the dashboard and the emails read: the viewer's time zone.

A user's time zone is, in order: the one they chose on their settings page; the one their browser last reported
(a small script on every page stores ``Intl.DateTimeFormat().resolvedOptions().timeZone`` in a cookie, and the
middleware remembers it on the user's profile so that emails use it too); the site's ``TIME_ZONE``.

Deadlines themselves belong to the letter's time zone ("by 26 November" is the end of that day in Tokyo);
the viewer's zone says when that is for the person reading.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = "viewer_tz"
SESSION_KEY = "viewer_tz"
MAX_NAME_LENGTH = 64

# Zone names that name no place a person would pick, or depend on the server's own setup.
_NOT_FOR_PEOPLE = {"localtime", "Factory", "posixrules"}
# Regions of the IANA database whose zones are offered in the picker (the others are legacy aliases).
_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


class Source:
    CHOSEN = "chosen"
    BROWSER = "browser"
    SITE = "site"


SOURCE_LABELS = {
    Source.CHOSEN: _("chosen in your settings"),
    Source.BROWSER: _("from your browser"),
    Source.SITE: _("the site's default"),
}


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - _NOT_FOR_PEOPLE)


def is_valid(name: str | None) -> bool:
    """Whether ``name`` is an IANA time zone a person can be in (``Asia/Tokyo``, ``UTC``)."""
    if not name:
        return False
    return len(name) <= MAX_NAME_LENGTH and name in _known()


@functools.cache
def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's options, grouped by region: ``[("Asia", [("Asia/Tokyo", "Tokyo"), ...]), ...]``."""
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in _REGIONS}
    for name in sorted(_known()):
        region, _sep, place = name.partition("/")
        if region in groups and place:
            groups[region].append((name, name.replace("_", " ")))
    return [("UTC", [("UTC", "UTC")]), *((region, zones) for region, zones in groups.items() if zones)]


@dataclass(frozen=True)
class ViewerZone:
    """The zone a request or an email is shown in, and why that one."""

    name: str
    source: str

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.name)

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])


def site_zone(default: str | None = None) -> ViewerZone:
    return ViewerZone(default or settings.TIME_ZONE, Source.SITE)


def resolve(*, chosen: str = "", browser: str = "", default: str | None = None) -> ViewerZone:
    """The viewer's zone from what they chose and what their browser reports; invalid names are ignored.

    ``default`` (the site's ``TIME_ZONE`` unless given) is for a viewer with neither.
    """
    if is_valid(chosen):
        return ViewerZone(chosen, Source.CHOSEN)
    if is_valid(browser):
        return ViewerZone(browser, Source.BROWSER)
    return site_zone(default)


def differs(instant: dt.datetime | None, a: str, b: str) -> bool:
    """Whether two zones show ``instant`` at different wall-clock times (so both are worth printing)."""
    if instant is None or not (is_valid(a) and is_valid(b)):
        return False
    return instant.astimezone(zoneinfo.ZoneInfo(a)).replace(tzinfo=None) != instant.astimezone(
        zoneinfo.ZoneInfo(b)
    ).replace(tzinfo=None)
