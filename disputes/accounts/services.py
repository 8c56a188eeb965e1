"""A user's own settings: the time zone they chose and the one their browser last reported, their feed and API
tokens, and their follow digest."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from disputes.core import timezones
from disputes.models import AccessToken, DigestPreference, UserProfile
from disputes.models.access import (
    DEFAULT_TOKEN_NAME,
    MAX_TOKENS_PER_USER,
    TOKEN_NAME_LENGTH,
    new_secret,
    validate_viewer_timezone,
)


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


def token_issue(*, user, name: str) -> tuple[AccessToken, str]:
    """A new token called ``name`` for ``user``, and its raw secret (shown once, never stored).

    Raises ValidationError, writing nothing, for an empty or taken name or when the user has too many tokens.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name, such as “Work calendar”."), code="required")
    if len(name) > TOKEN_NAME_LENGTH:
        raise ValidationError(
            _("A token's name has at most %(max)d characters."),
            params={"max": TOKEN_NAME_LENGTH},
            code="long",
        )
    with transaction.atomic():
        # Serialise a user's concurrent requests so the count and the name check hold.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        tokens = AccessToken.objects.filter(user=user)
        if tokens.filter(name__iexact=name).exists():
            raise ValidationError(
                _("You already have a token called “%(name)s”. Pick another name, or replace that one."),
                params={"name": name},
                code="taken",
            )
        if tokens.count() >= MAX_TOKENS_PER_USER:
            raise ValidationError(
                _("You have %(max)d tokens, the most there can be. Revoke one you no longer use."),
                params={"max": MAX_TOKENS_PER_USER},
                code="too_many",
            )
        raw, fields = new_secret()
        token = AccessToken.objects.create(user=user, name=name, **fields)
    return token, raw


def token_replace(*, token: AccessToken) -> str:
    """A new secret for ``token`` (same name); the old secret stops working with this write."""
    raw, fields = new_secret()
    AccessToken.objects.filter(pk=token.pk).update(**fields)
    for field, value in fields.items():
        setattr(token, field, value)
    return raw


def token_reset(*, user, name: str = DEFAULT_TOKEN_NAME) -> str:
    """A new secret for ``user``'s token called ``name`` (created if missing); returns the raw secret."""
    token = AccessToken.objects.filter(user=user, name=name).first()
    if token is None:
        return token_issue(user=user, name=name)[1]
    return token_replace(token=token)


def token_revoke(*, token: AccessToken) -> None:
    """Revoke one token: addresses that carry it stop working at once."""
    AccessToken.objects.filter(pk=token.pk).delete()


def tokens_revoke_all(*, user) -> int:
    """Revoke every token ``user`` has; returns how many."""
    deleted, _by_model = AccessToken.objects.filter(user=user).delete()
    return deleted


def digest_frequency_set(*, user, frequency: str) -> DigestPreference:
    """How often ``user`` gets the follow digest. A new rhythm starts with one period's changes, not everything
    since the last digest. Raises ValidationError for an unknown frequency."""
    preference = DigestPreference.objects.filter(user=user).first() or DigestPreference(user=user)
    if preference.frequency != frequency:
        preference.last_sent_at = None
    preference.frequency = frequency
    preference.full_clean(exclude=["user"])
    preference.save()
    return preference
