"""The record's generation: a number that goes up after every committed write to anything a page shows.

Rendered pieces of pages (``disputes.core.kept``) are kept under the generation they were rendered at,
so a write anywhere in the record retires every one of them at once: nothing shown can lag behind an edit, a
response, an import or a merge, whichever screen or command made it. It goes up once per transaction, after the
commit (a rolled-back transaction changes nothing, and a long import does not hold a lock other writers wait
for).

What counts as a write to the record: saving or deleting a row of any model of this app, or changing one of its
many-to-many links, except the models that hold no part of the record (``OPERATIONAL``: reminder deliveries,
follows, tokens, preferences, import bookkeeping, the search index), and a change to a user's name (a response
shows who assessed it), not a login.
"""

from __future__ import annotations

from functools import partial

from django.apps import apps as global_apps
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges


class RecordGeneration(models.Model):
    SINGLETON_ID = 1

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "record generation"

    def __str__(self) -> str:
        return f"generation {self.number}"


def current_generation() -> int:
    """The generation now (one query)."""
    return (
        RecordGeneration.objects.filter(pk=RecordGeneration.SINGLETON_ID)
        .values_list("number", flat=True)
        .first()
        or 0
    )


def bump_generation() -> None:
    """Retire every piece of page rendered until now."""
    if not RecordGeneration.objects.filter(pk=RecordGeneration.SINGLETON_ID).update(number=F("number") + 1):
        RecordGeneration.objects.get_or_create(pk=RecordGeneration.SINGLETON_ID, defaults={"number": 1})


OPERATIONAL = {
    "accesstoken",
    "digestpreference",
    "follow",
    "importedrecord",
    "importrun",
    "recordgeneration",
    "reminder",
    "searchdocument",
    "sweepheartbeat",
    "userprofile",
}


def is_record(model: type[models.Model]) -> bool:
    """A model of this app that holds part of the record (the user model is connected besides, see ``connect``)."""
    meta = model._meta
    return (
        meta.app_label == "disputes"
        and meta.model_name not in OPERATIONAL
        and not issubclass(model, HistoricalChanges)
    )


class _Pending:
    """The bump that the writes of one transaction share: the first of their callbacks to run makes it."""

    done = False


def record_changed() -> None:
    """Bump the generation when the current transaction commits (at once outside a transaction): however many
    writes it holds, once."""
    connection = transaction.get_connection()
    pending = getattr(connection, "_record_generation_pending", None)
    if pending is None or pending.done:
        pending = connection._record_generation_pending = _Pending()
    transaction.on_commit(partial(_bump_once, pending))


def _bump_once(pending: _Pending) -> None:
    if not pending.done:
        pending.done = True
        bump_generation()


def _saved(sender, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login, not an edit
    record_changed()


def _deleted(sender, **kwargs) -> None:
    record_changed()


def _links_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        record_changed()


def connect() -> None:
    """Connect the receivers to each model of the record and to its many-to-many links (from
    ``DisputesConfig.ready``). Only to those: a delete receiver on every model would make Django fetch and signal
    each row of every other delete (the search documents', the reminders') where one ``DELETE`` does."""
    from django.contrib.auth import get_user_model

    models_of_record = [
        model for model in global_apps.get_app_config("disputes").get_models() if is_record(model)
    ]
    for model in [*models_of_record, get_user_model()]:
        label = model._meta.label_lower
        post_save.connect(_saved, sender=model, dispatch_uid=f"record-generation-saved:{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"record-generation-deleted:{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not isinstance(through, str):
                m2m_changed.connect(
                    _links_changed,
                    sender=through,
                    dispatch_uid=f"record-generation-links:{through._meta.label_lower}",
                )


def is_generation_bump(callback) -> bool:
    """Whether an on-commit callback is the generation's bump (for code and tests that look at the others)."""
    return isinstance(callback, partial) and callback.func is _bump_once
