"""How a request from outside the dashboard proves who it is: a session, or the user's secret token.

Feeds, calendars and exports take the token in the URL (``/t/<token>/...``), because calendar apps and feed
readers cannot send headers, or in an ``Authorization: Token <raw token>`` header, or the dashboard's session.
No credentials gives a 401. A wrong or reset token gives a 401 in a header and a 404 in a URL (a URL token is a
capability: an unknown one is an unknown address). Neither ever reaches the data.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from disputes.core.access import can_read
from disputes.models import AccessToken

KEYWORD = "Token"


def _unauthorized(message: str) -> HttpResponse:
    response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = f'{KEYWORD} realm="disputes"'
    return response


def _user_from_header(request: HttpRequest):
    """(found a Token header, its user or None)."""
    keyword, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    if keyword.lower() != KEYWORD.lower():
        return False, None
    return True, AccessToken.objects.user_for(raw.strip())


def token_or_session(view):
    """Let a view through only for a signed-in user, a valid URL token, or a valid ``Token`` header.

    The view is called with ``request.user`` set to the token's user. Responses are private to that user and are
    not cached by shared caches.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, token: str | None = None, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if token is not None:
            user = AccessToken.objects.user_for(token)
            if user is None:
                return HttpResponse(
                    _("No such address."), status=404, content_type="text/plain; charset=utf-8"
                )
            request.user = user
        else:
            has_header, user = _user_from_header(request)
            if has_header:
                if user is None:
                    return _unauthorized(_("Invalid token, or a token that has been reset."))
                request.user = user
            elif not request.user.is_authenticated:
                return _unauthorized(_("Sign in, or use the personal address shown on your account page."))
        if not can_read(request.user):
            raise PermissionDenied("not a reader")
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Cookie", "Authorization"))
        # A URL that carries a token must not leak it to the sites its links point to.
        response["Referrer-Policy"] = "no-referrer"
        return response

    wrapped.access_policy = "reader"
    return wrapped
