"""Per-user settings: the secret token behind calendar, feed, export and API URLs, how often a user wants the
follow digest, and the time zone they read times in.

A user has as many named tokens as they need (one per calendar app or script). Only a SHA-256 hash of a token is
stored. The raw token is shown once, when it is issued; replacing it overwrites the hash in place, so the old
secret stops working with the same write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.core import timezones
from disputes.core.access import READABLE_ATTRIBUTE, can_read, readable_expression

from .common import choices_check
from .fields import belongs_to

TOKEN_PREFIX = "adt_"  # noqa: S105 - a marker that makes leaked tokens greppable, not a secret
TOKEN_NAME_LENGTH = 80
MAX_TOKENS_PER_USER = 20
DEFAULT_TOKEN_NAME = "Personal token"  # noqa: S105 - a label for a token, not a secret
# 32 random bytes: far beyond guessing, so a fast unsalted hash is the right tool (as for GitHub's tokens);
# a slow password hash would only slow down every calendar poll.
TOKEN_BYTES = 32


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_secret() -> tuple[str, dict]:
    """A fresh raw token and the fields that store it (its hash and a hint), never the raw value itself."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    fields = {
        "key_hash": hash_token(raw),
        "hint": raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 4],
        "created_at": timezone.now(),
        "last_used_at": None,
    }
    return raw, fields


class AccessTokenManager(models.Manager):
    def user_for(self, raw: str | None):
        """The user a raw token belongs to, if that user may still read the record (the access policy of
        ``disputes.core.access``: active staff with the view permission); otherwise None. One query."""
        if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            return None
        token = (
            self.select_related("user")
            .annotate(**{f"user_{READABLE_ATTRIBUTE}": readable_expression("user_id")})
            .filter(key_hash=hash_token(raw), user__is_active=True, user__is_staff=True)
            .first()
        )
        if token is None:
            return None
        user = token.user
        setattr(user, READABLE_ATTRIBUTE, getattr(token, f"user_{READABLE_ATTRIBUTE}"))
        if not can_read(user):
            return None
        token.touch()
        return user


class AccessToken(models.Model):
    """A secret for calendar, feed, export and API URLs. A user has one per use (named), so replacing or
    revoking the one in a leaked calendar address leaves their other subscriptions working."""

    user = belongs_to(settings.AUTH_USER_MODEL, _("user"), related_name="access_tokens")
    name = models.CharField(
        _("name"), max_length=TOKEN_NAME_LENGTH, help_text=_("What it is for, such as “Work calendar”.")
    )
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    hint = models.CharField(
        _("hint"), max_length=8, editable=False, help_text=_("The first characters, to tell tokens apart.")
    )
    created_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = AccessTokenManager()

    # Writing on every calendar poll would turn reads into writes; once in a while is enough to show use.
    TOUCH_EVERY = dt.timedelta(minutes=15)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="accesstoken_unique_name_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.name} ({TOKEN_PREFIX}{self.hint}…)"

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > self.TOUCH_EVERY:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class DigestFrequency(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class DigestPreference(models.Model):
    """How often a user receives the digest of what changed in the disputes they follow."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_preference",
    )
    frequency = models.CharField(
        _("digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.NEVER,
        help_text=_("A daily or weekly email of what changed in the disputes you follow."),
    )
    last_sent_at = models.DateTimeField(
        _("covered up to"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The end of the period the last digest covered; the next one starts here."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")
        constraints = [choices_check("frequency", DigestFrequency, "digestpreference_frequency_valid")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


def validate_viewer_timezone(value: str) -> None:
    if value and not timezones.is_valid(value):
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/London or America/New_York."),
            params={"value": value},
            code="invalid_timezone",
        )


class UserProfileQuerySet(models.QuerySet):
    def zones_of(self, user) -> dict[str, str]:
        """``{"chosen": ..., "detected": ...}`` from ``user``'s profile (empty strings without one). One query."""
        row = self.filter(user_id=user.pk).values("timezone", "detected_timezone").first() or {}
        return {"chosen": row.get("timezone", ""), "detected": row.get("detected_timezone", "")}

    def zone_for(self, user, *, default: str | None = None) -> timezones.ViewerZone:
        """The zone to show ``user`` times in outside a request (emails, digests). One query, none without a user.

        ``default`` (the site's ``TIME_ZONE`` unless given) is for a user who has neither chosen a zone nor
        been seen with a browser.
        """
        if user is None or not getattr(user, "pk", None):
            return timezones.site_zone(default)
        zones = self.zones_of(user)
        return timezones.resolve(chosen=zones["chosen"], browser=zones["detected"], default=default)


class UserProfile(models.Model):
    """A user's own settings for how the dashboard and the emails show things to them: their time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_viewer_timezone],
        help_text=_(
            "Deadlines and times are shown in this zone, on the dashboard and in emails. "
            "Leave empty to follow the browser's zone."
        ),
    )
    detected_timezone = models.CharField(
        _("browser's time zone"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("What the user's browser last reported; used while no time zone is chosen."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UserProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user}: {self.timezone or self.detected_timezone or '-'}"
