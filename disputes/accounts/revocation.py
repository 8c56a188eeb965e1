"""Tokens stop working for good when their owner's standing changes: a new password, deactivation, losing staff
status, or losing the permission to read the record (a group or permission taken away, a group deleted).

These are receivers (connected in apps.py) rather than service calls because a user's standing is changed from
many places Django owns (the admin's user and group forms, ``changepassword``, the shell); a missed path would
leave a working token behind. Independently, ``AccessToken.objects.user_for`` refuses a token whose owner may not
read now, so a write that bypasses signals (``QuerySet.update``) still closes the door, only without deleting.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from disputes.accounts.services import tokens_revoke_all
from disputes.core.access import READABLE_ATTRIBUTE, readable_expression
from disputes.models import AccessToken

STANDING_FIELDS = {"password", "is_active", "is_staff", "is_superuser"}


def revoke_unless_readers(user_ids) -> int:
    """Revoke every token of the users in ``user_ids`` who may no longer read the record."""
    user_ids = set(user_ids or ())
    if not user_ids:
        return 0
    users = (
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .annotate(**{READABLE_ATTRIBUTE: readable_expression()})
    )
    lost = [
        u.pk
        for u in users
        if not (u.is_active and u.is_staff and (u.is_superuser or getattr(u, READABLE_ATTRIBUTE)))
    ]
    if not lost:
        return 0
    deleted, _ = AccessToken.objects.filter(user_id__in=lost).delete()
    return deleted


def revoke_unless_readers_on_commit(user_ids) -> None:
    """The same, once the transaction commits: moving a user between groups removes one before adding the
    other (``groups.set()``, the admin's user form), and must not cost them their tokens."""
    user_ids = set(user_ids or ())
    if user_ids:
        transaction.on_commit(partial(revoke_unless_readers, user_ids))


def user_pre_save(sender, instance, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and not STANDING_FIELDS & set(update_fields)):
        instance._revoke_tokens = False
        return
    # set_password() leaves the raw password in _password until the save (a hasher upgrade at login does not).
    password_changed = getattr(instance, "_password", None) is not None
    old = sender.objects.filter(pk=instance.pk).values("is_active", "is_staff", "is_superuser").first()
    demoted = old is not None and any(old[f] and not getattr(instance, f) for f in old)
    instance._revoke_tokens = password_changed or demoted


def user_post_save(sender, instance, created=False, **kwargs) -> None:
    if getattr(instance, "_revoke_tokens", False):
        instance._revoke_tokens = False
        if getattr(instance, "_password", None) is not None:
            tokens_revoke_all(user=instance)
        else:
            revoke_unless_readers([instance.pk])


def user_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A user's groups or own permissions lost one (from either side of the relation)."""
    if action == "pre_clear" and reverse:
        instance._cleared_user_ids = set(instance.user_set.values_list("pk", flat=True))
    if action not in ("post_remove", "post_clear"):
        return
    if not reverse:
        revoke_unless_readers_on_commit([instance.pk])
    elif action == "post_remove":
        revoke_unless_readers_on_commit(pk_set)
    else:
        revoke_unless_readers_on_commit(getattr(instance, "_cleared_user_ids", ()))


def group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A group lost a permission (or a permission was taken from groups): its members may have lost reading."""
    if action == "pre_clear" and not reverse:
        instance._member_ids = set(instance.user_set.values_list("pk", flat=True))
    if action not in ("post_remove", "post_clear"):
        return
    if not reverse:
        members = getattr(instance, "_member_ids", None)
        if members is None:
            members = instance.user_set.values_list("pk", flat=True)
        revoke_unless_readers(members)
    else:
        revoke_unless_readers(
            get_user_model().objects.filter(groups__pk__in=pk_set or ()).values_list("pk", flat=True)
        )


def group_pre_delete(sender, instance, **kwargs) -> None:
    instance._member_ids = set(instance.user_set.values_list("pk", flat=True))


def group_post_delete(sender, instance, **kwargs) -> None:
    revoke_unless_readers_on_commit(getattr(instance, "_member_ids", ()))


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    user_model = get_user_model()
    pre_save.connect(user_pre_save, sender=user_model, dispatch_uid="tokens-user-pre-save")
    post_save.connect(user_post_save, sender=user_model, dispatch_uid="tokens-user-post-save")
    m2m_changed.connect(user_m2m_changed, sender=user_model.groups.through, dispatch_uid="tokens-user-groups")
    m2m_changed.connect(
        user_m2m_changed, sender=user_model.user_permissions.through, dispatch_uid="tokens-user-perms"
    )
    m2m_changed.connect(
        group_permissions_changed, sender=Group.permissions.through, dispatch_uid="tokens-group-perms"
    )
    pre_delete.connect(group_pre_delete, sender=Group, dispatch_uid="tokens-group-pre-delete")
    post_delete.connect(group_post_delete, sender=Group, dispatch_uid="tokens-group-post-delete")
