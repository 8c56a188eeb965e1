"""What saving or deleting a record on a dispute's timeline (an event, letter or response) brings up to date.

Its own search document, the search documents of the disputes it is on (which hold their records' text), and
those disputes' latest activity and next deadline, in the same transaction as the save or delete (inside
``deferred.derived_data_deferred()``, once for all the saves of the block, at its end).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models.signals import post_delete, pre_delete

from .activity import refresh_last_activity, refresh_next_deadline
from .deferred import refresh_now_or_later
from .search import Searchable, SearchDocument, SearchKind, documents_changed


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
    """Something on these disputes changed: their search documents, latest activity and next deadline follow."""
    ids = [pk for pk in dispute_ids if pk is not None]
    documents_changed(SearchKind.DISPUTE, ids)
    refresh_now_or_later("last_activity", refresh_last_activity, ids)
    refresh_now_or_later("next_deadline", refresh_next_deadline, ids)


def _before_delete(sender, instance: models.Model, **kwargs) -> None:
    # Deletes come from the admin's bulk action and from cascades as well as from ``delete()``, so they are
    # caught here: the disputes are read before the event's links go.
    if isinstance(instance, TimelineRecord) and instance.pk is not None:
        instance._disputes_before_delete = instance.dispute_ids()


def _after_delete(sender, instance: models.Model, **kwargs) -> None:
    if isinstance(instance, Searchable) and instance.search_kind:
        SearchDocument.objects.filter(kind=instance.search_kind, object_id=instance.pk).delete()
    ids = getattr(instance, "_disputes_before_delete", None)
    if ids:
        disputes_changed(ids)


def connect() -> None:
    """Connect the delete receivers to each model with a search document (from ``DisputesConfig.ready``).

    Only to those models: a receiver connected to every model would make Django fetch and signal each row of
    every other delete, the search documents' own included, where one ``DELETE`` does.
    """
    from django.apps import apps

    for model in apps.get_app_config("disputes").get_models():
        if issubclass(model, Searchable):
            label = model._meta.label_lower
            pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"derived_before_delete:{label}")
            post_delete.connect(_after_delete, sender=model, dispatch_uid=f"derived_after_delete:{label}")
