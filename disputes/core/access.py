"""Who may do what: the access policy, in one place (the README's "Access" section says it in words).

- Reading the record (dashboard pages, feeds, calendars, exports, the API, the reminders inbox, following, the
  settings page and its tokens) needs an active **staff** account whose groups (or own permissions) give
  ``disputes.view_dispute``: the Readers and Editors groups, and superusers. A signed-in account without it gets
  a 403; an anonymous request is sent to the login page (pages) or gets a 401 (feeds, API).
- Adding and changing the record is the Editors' (model permissions ``add_*``/``change_*``, checked by the
  admin); deleting is for superusers only (no group has a ``delete_*`` permission).
- The reminder ledger and other users' follows (in the admin) need ``view_reminder`` / ``view_follow``: Editors
  and superusers. Retrying failed deliveries needs ``change_reminder``: superusers.
- Change history is read by whoever may view the history model (Readers and Editors); reverting from history is
  switched off for everyone (history is read-only; changes go through the change form).

Views use :func:`reader_required`; DRF views use :class:`CanReadRecord`; token requests check :func:`can_read` on
the token's user. The permission matrix test (tests/accounts/test_access_matrix.py) walks every URL pattern and
fails for one that has no expectation, so a new view cannot forget the policy silently.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

READ_PERMISSION = "disputes.view_dispute"
READ_APP_LABEL, READ_CODENAME = READ_PERMISSION.split(".")
# A user loaded by the authentication backend or by a token lookup carries the answer to "may read?" from the
# same query (no extra query per request); a user from elsewhere is asked through has_perm.
READABLE_ATTRIBUTE = "record_readable"


def readable_expression(user_ref: str = "pk"):
    """An ``Exists`` that is true when the user at ``OuterRef(user_ref)`` holds READ_PERMISSION, in one query."""
    from django.contrib.auth.models import Permission
    from django.db.models import Exists, OuterRef, Q

    return Exists(
        Permission.objects.filter(
            Q(user=OuterRef(user_ref)) | Q(group__user=OuterRef(user_ref)),
            content_type__app_label=READ_APP_LABEL,
            codename=READ_CODENAME,
        )
    )


def may_read_q(user_field: str = ""):
    """The rule of :func:`can_read` as a filter on users (``user_field``: the path to the user, e.g. "user__"
    on follows), so whoever is emailed about the record is someone who may read it; one query, no join fan-out."""
    from django.db.models import Q

    ref = f"{user_field}pk" if user_field else "pk"
    active = Q(**{f"{user_field}is_active": True, f"{user_field}is_staff": True})
    return active & (Q(**{f"{user_field}is_superuser": True}) | readable_expression(ref))


def can_read(user) -> bool:
    """May ``user`` read the record? Active staff with the view permission (superusers included)."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    known = getattr(user, READABLE_ATTRIBUTE, None)
    if known is not None:
        return bool(known)
    return user.has_perm(READ_PERMISSION)


def reader_required(view):
    """The policy for a function view: anonymous → login page; signed in without the right to read → 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read(user):
            raise PermissionDenied("not a reader")
        return view(request, *args, **kwargs)

    wrapped.access_policy = "reader"  # type: ignore[attr-defined]  # read by the permission-matrix test
    return wrapped


class CanReadRecord(BasePermission):
    """The policy for DRF views (session or token users alike)."""

    def has_permission(self, request, view) -> bool:
        return can_read(request.user)
