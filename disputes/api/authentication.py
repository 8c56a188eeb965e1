"""How a request from outside the dashboard proves who it is: a session, or the user's secret token.

- The API takes ``Authorization: Token <raw token>`` (DRF's header format, checked against the hashed
  ``AccessToken``) or the dashboard's session.

No credentials gives a 401. A wrong or reset token gives a 401 in a header and a 404 in a URL (a URL token is a
capability: an unknown one is an unknown address). Neither ever reaches the data.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from disputes.accounts.tokens import KEYWORD
from disputes.models import AccessToken


class AccessTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token …`` header, checked against the hashed per-user token.

    Subclassing DRF's class keeps its header parsing and lets drf-spectacular describe the scheme.
    """

    keyword = KEYWORD  # the same header the feeds accept

    def authenticate_credentials(self, key):
        user = AccessToken.objects.user_for(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token, or a token that has been reset."))
        return (user, None)
