"""The search index: one document per searchable record, with its text normalised for matching.

A letter (with its demands), response or event has a document holding all of its searchable text,
NFKC-normalised and case-folded (full-width Ｋｉｕｃｈｉ and KIUCHI both become kiuchi); a dispute's document holds
its own text and that of every letter, demand, response and event on it, so finding the disputes that mention a
term reads at most one document per dispute. A search for a term is then one ``LIKE '%term%'`` over one column:
on PostgreSQL a trigram GIN index per kind serves it (migration ``0014_search_indexes_per_kind``), for English
and for Japanese, which has no spaces to split words on; on SQLite the same query is a scan, same results.

Documents are written by ``SearchDocument.objects.refresh(kind, ids)`` when a record is saved (``Searchable``,
``derived.TimelineRecord``) or an event is linked to a dispute (once per record at the end of a bulk write inside
``deferred.derived_data_deferred()``, such as the demo loader's), and rebuilt in full by
``python manage.py rebuild_search`` (after a bulk load that bypasses ``save()``). A document that lags behind its record only changes what a search finds, never
what a page shows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .common import choices_check
from .deferred import refresh_now_or_later
from .generation import record_changed

BATCH = 2_000


def normalise(text: str) -> str:
    """The form both documents and search terms are compared in."""
    return unicodedata.normalize("NFKC", text or "").casefold()


class SearchKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    LETTER = "letter", _("Letter")
    RESPONSE = "response", _("Response")
    EVENT = "event", _("Event")


# The searched text of each kind of record: its own columns (and, for letters, their demands').
FIELDS = {
    SearchKind.DISPUTE: (
        "title",
        "title_ja",
        "summary",
        "summary_ja",
        "status_note",
        "status_note_ja",
        "case_numbers",
    ),
    SearchKind.LETTER: (
        "title",
        "title_ja",
        "title_original",
        "summary",
        "summary_ja",
        "on_behalf_note",
        "on_behalf_note_ja",
    ),
    SearchKind.RESPONSE: (
        "title",
        "title_ja",
        "summary",
        "summary_ja",
        "quote",
        "quote_translation",
        "quote_translation_ja",
    ),
    SearchKind.EVENT: (
        "title",
        "title_ja",
        "title_original",
        "summary",
        "summary_ja",
        "quote",
        "quote_translation",
        "quote_translation_ja",
    ),
}
DEMAND_FIELDS = ("text_en", "text_original", "text_ja")


class SearchDocumentQuerySet(models.QuerySet):
    def matching(self, term: str) -> SearchDocumentQuerySet:
        """Documents containing ``term`` (normalised like the documents). Served by the trigram index."""
        return self.filter(text__contains=normalise(term))

    def record_ids(self, kind: str, term: str) -> models.QuerySet:
        """The ids of the records of ``kind`` that contain ``term``, as a subquery."""
        return self.matching(term).filter(kind=kind).values("object_id")

    def dispute_ids(self, term: str) -> models.QuerySet:
        """The ids of the disputes whose own text, or whose letters', responses' or events' text, contains
        ``term``, as a subquery."""
        return self.matching(term).filter(kind=SearchKind.DISPUTE).values("object_id")

    def refresh(self, kind: str, ids: Iterable[int], *, apps=None) -> int:
        """Rewrite the documents of these records from what is in the database now (a deleted record loses
        its documents). Returns the number of documents written. ``apps`` is for migrations."""
        ids = list(ids)
        written = 0
        batch = BATCH // 10 if kind == SearchKind.DISPUTE else BATCH  # a dispute's document is long
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            documents = list(_build(kind, chunk, apps=apps))
            with transaction.atomic(using=self.db):
                self.filter(kind=kind, object_id__in=chunk).delete()
                self.bulk_create(documents, batch_size=BATCH)
            written += len(documents)
        if apps is None and ids:
            record_changed()  # what a search finds may have changed: its kept results are retired
        return written

    def rebuild(self, *, apps=None, kinds: Iterable[str] | None = None) -> dict[str, int]:
        """Every document again, kind by kind. Returns how many were written of each."""
        counts = {}
        for kind in kinds or SearchKind.values:
            model = _model(kind, apps)
            self.filter(kind=kind).delete()
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
            counts[kind] = self.refresh(kind, ids, apps=apps)
        return counts


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=SearchKind.choices)
    object_id = models.BigIntegerField(_("record"))
    dispute_id = models.BigIntegerField(_("dispute"), null=True, blank=True)
    text = models.TextField(_("text"), help_text=_("Normalised: NFKC and case-folded."))

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [models.Index(fields=["object_id", "kind"], name="searchdocument_record_idx")]
        constraints = [choices_check("kind", SearchKind, "searchdocument_kind_valid")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


MODELS = {"dispute": "Dispute", "letter": "DemandLetter", "response": "Response", "event": "Event"}


class Searchable(models.Model):
    """A record with a search document: saving it rewrites the document in the same transaction."""

    search_kind: str = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.search_refresh()

    def search_refresh(self) -> None:
        documents_changed(self.search_kind, [self.pk])


def documents_changed(kind: str, ids: Iterable[int]) -> None:
    """These records' documents are out of date: rewrite them now, or once at the end of a bulk write
    (``deferred.derived_data_deferred``)."""
    ids = [pk for pk in ids if pk is not None]
    refresh_now_or_later(("search", kind), lambda pks: SearchDocument.objects.refresh(kind, pks), ids)


def _model(kind: str, apps=None):
    return _model_named(MODELS[kind], apps)


def _text(values: Iterable[str | None]) -> str:
    return normalise("\n".join(value for value in values if value))


def _build(kind: str, ids: list[int], *, apps=None) -> Iterable[SearchDocument]:
    model = _model(kind, apps)
    document = _model_named("SearchDocument", apps)
    fields = FIELDS[kind]
    rows = model.objects.filter(pk__in=ids).order_by()
    if kind == SearchKind.DISPUTE:
        extra: dict[int, list[str]] = {}

        def add(rows_with_dispute) -> None:
            for dispute_id, *values in rows_with_dispute:
                extra.setdefault(dispute_id, []).extend(values)

        letters = _model_named("DemandLetter", apps).objects.filter(dispute__in=ids).order_by()
        add(letters.values_list("dispute_id", *FIELDS[SearchKind.LETTER]))
        add(
            _model_named("Demand", apps)
            .objects.filter(letter__dispute__in=ids)
            .order_by()
            .values_list("letter__dispute_id", *DEMAND_FIELDS)
        )
        add(
            _model_named("Response", apps)
            .objects.filter(letter__dispute__in=ids)
            .order_by()
            .values_list("letter__dispute_id", *FIELDS[SearchKind.RESPONSE])
        )
        links = _model_named("Event", apps).disputes.through.objects.filter(dispute__in=ids).order_by()
        add(links.values_list("dispute_id", *(f"event__{name}" for name in FIELDS[SearchKind.EVENT])))
        for pk, *values in rows.values_list("pk", *fields):
            yield document(kind=kind, object_id=pk, dispute_id=pk, text=_text([*values, *extra.get(pk, [])]))
    elif kind == SearchKind.LETTER:
        demands: dict[int, list[str]] = {}
        Demand = _model_named("Demand", apps)
        for letter_id, *texts in (
            Demand.objects.filter(letter__in=ids).order_by("number").values_list("letter", *DEMAND_FIELDS)
        ):
            demands.setdefault(letter_id, []).extend(texts)
        for pk, *values in rows.values_list("pk", *fields):
            yield document(kind=kind, object_id=pk, text=_text([*values, *demands.get(pk, [])]))
    elif kind == SearchKind.RESPONSE:
        for pk, *values in rows.values_list("pk", *fields):
            yield document(kind=kind, object_id=pk, text=_text(values))
    else:
        for pk, *values in rows.values_list("pk", *fields):
            yield document(kind=kind, object_id=pk, text=_text(values))


def _model_named(name: str, apps=None):
    if apps is not None:
        return apps.get_model("disputes", name)
    from django.apps import apps as global_apps

    return global_apps.get_model("disputes", name)
