"""What saving a record on a dispute's timeline (an event, letter or response) brings up to date with it.

Its own search document, the search documents of the disputes it is on (which hold their records' text), and
those disputes' latest activity, in the same transaction as the save.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .activity import refresh_last_activity
from .search import Searchable, SearchDocument


class TimelineRecord(Searchable):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            disputes_changed(self.dispute_ids())

    def dispute_ids(self) -> list[int]:
        """The disputes this record is on."""
        raise NotImplementedError


def disputes_changed(dispute_ids: Iterable[int]) -> None:
    """Something on these disputes changed: their search documents and latest activity follow."""
    ids = [pk for pk in dispute_ids if pk is not None]
    SearchDocument.objects.refresh_disputes(ids)
    refresh_last_activity(ids)
