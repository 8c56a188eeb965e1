"""The authentication backend: Django's ModelBackend, whose user carries "may read the record?" from its own query.

``AuthenticationMiddleware`` loads the signed-in user once per request; annotating that query with the access
policy's permission check (``disputes.core.access``) lets every page enforce the policy without a query of its own.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from disputes.core.access import READABLE_ATTRIBUTE, readable_expression


class AccessModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(**{READABLE_ATTRIBUTE: readable_expression()})
        try:
            user = users.get(pk=user_id)
        except (get_user_model().DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None
