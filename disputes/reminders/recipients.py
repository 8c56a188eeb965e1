"""Who is told about a letter: its followers, the followers of its dispute and its owner, else the fallback group."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q

from disputes.core.access import may_read_q
from disputes.models import (
    DemandLetter,
    Follow,
)

log = logging.getLogger(__name__)


def fallback_recipient_ids() -> list[int]:
    """Members of the fallback group who may read the record (created on demand); if none, the superusers.

    A reminder with nobody to tell would be a lost reminder, so the last resort is the site's administrators.
    """
    group, _created = Group.objects.get_or_create(name=settings.REMINDERS_FALLBACK_GROUP)
    users = get_user_model().objects.filter(may_read_q()).order_by("pk")
    ids = list(users.filter(groups=group).values_list("pk", flat=True))
    if not ids:
        log.warning(
            "The reminder fallback group %r has no active members: telling the superusers instead.",
            settings.REMINDERS_FALLBACK_GROUP,
        )
        ids = list(users.filter(is_superuser=True).values_list("pk", flat=True))
    return ids


class Fallback:
    """The fallback recipients, looked up once per sweep and only if some letter needs them."""

    def __init__(self) -> None:
        self._ids: list[int] | None = None

    def __call__(self) -> list[int]:
        if self._ids is None:
            self._ids = fallback_recipient_ids()
        return self._ids


def readers_among(user_ids: set[int | None]) -> set[int]:
    """Those of ``user_ids`` who may read the record (``core.access.may_read_q``). One query, none if empty."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return set()
    return set(get_user_model().objects.filter(may_read_q(), pk__in=ids).values_list("pk", flat=True))


def recipients_by_letter(letters: list[dict], fallback: Fallback) -> dict[int, list[int]]:
    """Who is told about each letter: followers of the letter or its dispute and the owner, else the fallback;
    only people who may read the record (``core.access.may_read_q``), so a demoted or deactivated account is told
    nothing.

    ``letters`` are dicts with ``pk``, ``dispute_id`` and ``owner_id``. Three queries at most, whatever the number
    of letters.
    """
    letter_ids = [row["pk"] for row in letters]
    dispute_ids = {row["dispute_id"] for row in letters}
    by_letter: dict[int, set[int]] = defaultdict(set)
    by_dispute: dict[int, set[int]] = defaultdict(set)
    follows = Follow.objects.filter(
        Q(letter_id__in=letter_ids) | Q(dispute_id__in=dispute_ids), may_read_q("user__")
    ).values_list("user_id", "letter_id", "dispute_id")
    reading_owners = readers_among({row["owner_id"] for row in letters})
    for user_id, letter_id, dispute_id in follows:
        if letter_id:
            by_letter[letter_id].add(user_id)
        else:
            by_dispute[dispute_id].add(user_id)
    result = {}
    for row in letters:
        ids = by_letter[row["pk"]] | by_dispute[row["dispute_id"]]
        if row["owner_id"] in reading_owners:
            ids.add(row["owner_id"])
        result[row["pk"]] = sorted(ids) if ids else fallback()
    return result


def letter_recipient_ids(letter: DemandLetter) -> list[int]:
    """The user ids a reminder about ``letter`` goes to now."""
    row = {"pk": letter.pk, "dispute_id": letter.dispute_id, "owner_id": letter.owner_id}
    return recipients_by_letter([row], Fallback())[letter.pk]
