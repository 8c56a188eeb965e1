"""The site's own address, as links in emails, feeds, calendars, exports and the API give it.

``SITE_URL`` (settings) is the one source: requests may arrive through a proxy under another host name, and
background work (emails, digests) has no request at all.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (an absolute path such as ``/disputes/x/``) as a full URL on this site."""
    return settings.SITE_URL.rstrip("/") + path


def site_host() -> str:
    """The site's host name without port, for Message-IDs and calendar UIDs; ``localhost`` if unset."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
