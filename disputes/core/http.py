"""Guards at the edge of every request: input the database cannot hold, bodies too large to read, and secret
tokens kept out of the logs."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# A secret in an address: /t/<token>/... (feeds, calendars, exports).
TOKEN_IN_PATH = re.compile(r"/t/[^/\s?#\"']+")
MASKED = "/t/[token]"


def mask_tokens(text: str) -> str:
    return TOKEN_IN_PATH.sub(MASKED, text)


class MaskTokensFilter(logging.Filter):
    """Rewrites a record's message so a token in an address never reaches a log (Django's request logger writes
    the path of every 4xx/5xx; runserver's writes every request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RejectNulBytesMiddleware:
    """An address with a NUL byte in its path is a 404: no object has one, and PostgreSQL cannot even compare
    text with one (it was a 500 wherever a path value reaches a query: slugs, primary keys, history ids).
    Query parameters go through forms, whose fields refuse NUL with a message of their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in request.path_info:
            return _plain(_("No such address: it contains a NUL character."), 404)
        return self.get_response(request)


class RequestBodyLimitMiddleware:
    """A body larger than the limit is answered with 413 before anything reads it.

    Anonymous requests have a small limit (they only ever post a login form); signed-in ones
    ``REQUEST_BODY_MAX_BYTES``. Needs the authentication middleware before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _plain(_("The request's Content-Length is not a number."), 400)
        if length > settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES:
            signed_in = request.user.is_authenticated
            limit = (
                settings.REQUEST_BODY_MAX_BYTES if signed_in else settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES
            )
            if length > limit:
                return _plain(
                    _("The request is too large: at most %(size)s are accepted here.")
                    % {"size": _size(limit)},
                    413,
                )
        return self.get_response(request)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return _("%(n)s MB") % {"n": round(n / (1024 * 1024), 1)}
    return _("%(n)s KB") % {"n": round(n / 1024)}


class PrivateCacheMiddleware:
    """Every response to a signed-in user (or a token request) says ``Cache-Control: private``: dashboard pages
    and API JSON are one person's view and must never be stored by a shared cache. Needs the authentication
    middleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
