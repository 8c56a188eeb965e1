"""Load the demo disputes from ``data/*.toml``, and set up the demo admin login.

Two services, keyword-only, each writing inside ``transaction.atomic()``:

- ``demo_load`` creates whatever is missing. Rows are found again by natural keys: slug (organizations, products,
  disputes), URL (sources), code (jurisdictions), English name (people), (dispute, organization, role) for parties,
  (association, member, reported date) for memberships, (dispute, title, sent or dated date) for letters,
  (letter, number) for demands, (letter, responder, date) for responses, (title, date) for events, and (record,
  field, date, source) for reported dates. A row that already exists is never changed, because an admin may have
  corrected it, unless ``update=True``: then the demo values are written back over its fields and missing demo
  links (sources, products, parties' disputes, ...) are added; links an admin added are kept. ``dry_run=True``
  runs the whole load and rolls it back, so the report says what would have been written.
- ``demo_admin_ensure`` creates or reuses a superuser and keeps its password in ``VAR_DIR/demo-admin.txt``.

Caveat: a natural key an admin edits (an event's title, a person's name) no longer matches, so the next run adds the
demo row again beside the edited one.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from disputes.core.deadlines import policy_deadline
from disputes.core.errors import IllegalTransition
from disputes.core.site import absolute_url
from disputes.models import (
    AIProduct,
    Amount,
    CauseOfAction,
    Claim,
    ClaimRuling,
    DatePrecision,
    DeadlineChange,
    DeadlineSource,
    Demand,
    DemandLetter,
    Dispute,
    DisputeParty,
    DocketNumber,
    Event,
    EventActor,
    Jurisdiction,
    Membership,
    Organization,
    Person,
    Proceeding,
    ProceedingJudge,
    ProceedingParty,
    ReportedDate,
    Response,
    Ruling,
    Source,
)
from disputes.models.common import normalise_partial_date
from disputes.models.deferred import derived_data_deferred
from disputes.models.translations import guess_language
from disputes.record.services import letter_save
from disputes.reminders.services import follow_set

from . import CODA_DISPUTE_SLUG, DATA_DIR

COMMON_FILE = "common.toml"
SOURCES_FILE = "sources.toml"
LOGIN_FILE_NAME = "demo-admin.txt"

# The order in which the summary lists the models.
REPORTED_MODELS: tuple[type[models.Model], ...] = (
    Jurisdiction,
    Organization,
    Person,
    AIProduct,
    Source,
    Dispute,
    DisputeParty,
    Membership,
    DemandLetter,
    Demand,
    Response,
    DeadlineChange,
    Event,
    EventActor,
    Proceeding,
    DocketNumber,
    ProceedingJudge,
    ProceedingParty,
    Claim,
    Ruling,
    ClaimRuling,
    Amount,
    ReportedDate,
)


class DemoDataError(Exception):
    """The demo data is inconsistent: an unknown slug, a URL with no publisher, a value a model rejects, ..."""


# --- Reading the data ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    common: dict[str, Any]
    sources: dict[str, Any]
    disputes: list[tuple[str, dict[str, Any]]]  # (file name, contents), in file-name order


def demo_data_read(*, data_dir: Path = DATA_DIR) -> DemoData:
    """Parse the TOML files: ``common.toml``, ``sources.toml`` and one file per dispute."""

    def load(path: Path) -> dict[str, Any]:
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise DemoDataError(f"{path.name}: {exc}") from exc

    disputes = [
        (path.name, load(path))
        for path in sorted(data_dir.glob("*.toml"))
        if path.name not in (COMMON_FILE, SOURCES_FILE)
    ]
    return DemoData(
        common=load(data_dir / COMMON_FILE), sources=load(data_dir / SOURCES_FILE), disputes=disputes
    )


# --- Loading ------------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    created: int = 0
    present: int = 0
    updated: int = 0


@dataclass
class DemoLoadReport:
    update: bool
    dry_run: bool
    tallies: dict[str, Tally] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One line per model: how many rows were created and how many were already there."""
        width = max(len(name) for name in self.tallies)
        lines = []
        for name, tally in self.tallies.items():
            line = f"{name:<{width}}  {tally.created:>4} created, {tally.present:>4} already present"
            if self.update:
                line += f", {tally.updated:>4} updated"
            lines.append(line)
        return lines


def demo_load(*, update: bool = False, dry_run: bool = False, data_dir: Path = DATA_DIR) -> DemoLoadReport:
    """Load every demo dispute. Running it again changes nothing; see the module docstring for ``update``."""
    data = demo_data_read(data_dir=data_dir)
    loader = _Loader(data=data, update=update)
    with transaction.atomic():
        # Search documents and latest activity are written once per record at the end, not once per save.
        with derived_data_deferred():
            loader.run()
        if dry_run:
            # Roll back this block only (a savepoint when called inside another transaction).
            transaction.set_rollback(True)
    return DemoLoadReport(update=update, dry_run=dry_run, tallies=loader.tallies)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


class _Loader:
    def __init__(self, *, data: DemoData, update: bool) -> None:
        self.data = data
        self.update = update
        self.tallies = {model.__name__: Tally() for model in REPORTED_MODELS}
        self.jurisdictions: dict[str, Jurisdiction] = {}
        self.organizations: dict[str, Organization] = {}
        self.people: dict[str, Person] = {}
        self.products: dict[str, AIProduct] = {}
        self.sources: dict[str, Source] = {}
        self.disputes: dict[str, Dispute] = {}
        self.created_disputes: set[str] = set()
        self.publishers: dict[str, dict[str, str]] = data.sources.get("publishers", {})
        self.source_details: dict[str, dict[str, Any]] = {}
        for entry in data.sources.get("source", []):
            if entry["url"] in self.source_details:
                raise DemoDataError(f"{SOURCES_FILE}: {entry['url']} is listed twice.")
            self.source_details[entry["url"]] = entry
        self.event_keys: set[tuple[str, dt.date]] = set()

    def run(self) -> None:
        common = self.data.common
        for entry in common.get("jurisdiction", []):
            self._jurisdiction(entry)
        for entry in common.get("organization", []):
            self._organization(entry)
        for entry in common.get("person", []):
            self._person(entry)
        for entry in common.get("product", []):
            self._product(entry)
        for name, doc in self.data.disputes:
            self._dispute(name, doc)
        for _name, doc in self.data.disputes:
            self._related(doc)
        for name, doc in self.data.disputes:
            self._dispute_contents(name, doc)
        # Sources described in sources.toml but cited nowhere still belong in the record.
        for url in self.source_details:
            self._source(url)

    # -- the one write path ----------------------------------------------------------------------------------------

    def _upsert(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        fields: dict[str, Any],
        m2m: dict[str, list[models.Model]] | None = None,
        *,
        overwrite: bool = True,
        save: Callable[..., None] | None = None,
    ) -> tuple[Any, bool, list[str]]:
        """Find the row by ``lookup`` or create it; returns (row, created, names of fields changed).

        With ``update``, an existing row gets the demo values back unless ``overwrite`` is false (history rows).
        ``save`` replaces the plain save for rows whose writes have side effects (a service).
        """
        save = save or self._save
        tally = self.tallies[model.__name__]
        fields = {name: value for name, value in fields.items() if name not in lookup}
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **fields)
            self._validate(obj, lookup)
            save(obj, lookup)
            for name, values in (m2m or {}).items():
                if values:
                    getattr(obj, name).add(*values)
            tally.created += 1
            return obj, True, []
        if not (self.update and overwrite):
            tally.present += 1
            return obj, False, []
        changed = [name for name, value in fields.items() if _differs(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, fields[name])
            self._validate(obj, lookup)
            has_updated_at = any(f.name == "updated_at" for f in model._meta.concrete_fields)
            save(obj, lookup, update_fields=[*changed, "updated_at"] if has_updated_at else changed)
        links_added = False
        for name, values in (m2m or {}).items():
            manager = getattr(obj, name)
            have = set(manager.values_list("pk", flat=True))
            missing = [value for value in values if value.pk not in have]
            if missing:
                manager.add(*missing)
                links_added = True
        if changed or links_added:
            tally.updated += 1
        else:
            tally.present += 1
        return obj, False, changed

    @staticmethod
    def _validate(obj: models.Model, lookup: dict[str, Any]) -> None:
        # Field values and clean() rules give readable errors. Uniqueness and the model's constraints are left to
        # the database (checked on save below), and foreign keys always point at rows just loaded: validating each
        # in Python would cost a query apiece.
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise DemoDataError(f"{type(obj).__name__} {lookup}: {exc.message_dict}") from exc

    @staticmethod
    def _save(obj: models.Model, lookup: dict[str, Any], **kwargs: Any) -> None:
        # No savepoint: an IntegrityError aborts the whole load, and demo_load's transaction rolls it all back.
        try:
            obj.save(**kwargs)
        except IntegrityError as exc:
            raise DemoDataError(f"{type(obj).__name__} {lookup}: {exc}") from exc

    # -- references ------------------------------------------------------------------------------------------------

    @staticmethod
    def _get(table: dict[str, Any], key: str, what: str) -> Any:
        try:
            return table[key]
        except KeyError:
            raise DemoDataError(f"Unknown {what} “{key}” (define it in {COMMON_FILE} first).") from None

    def _org(self, slug: str) -> Organization:
        return self._get(self.organizations, slug, "organization")

    def _product_list(self, slugs: list[str]) -> list[AIProduct]:
        return [self._get(self.products, slug, "product") for slug in slugs]

    def _source_list(self, urls: list[str]) -> list[Source]:
        if not urls:
            raise DemoDataError("Every demo record cites at least one source.")
        return [self._source(url) for url in urls]

    def _partial_date(self, value: dt.date, precision: str, where: str) -> dt.date:
        if normalise_partial_date(value, precision) != value:
            raise DemoDataError(
                f"{where}: a date known to the {precision} is stored as its first day, not {value}."
            )
        return value

    # -- shared records --------------------------------------------------------------------------------------------

    def _jurisdiction(self, d: dict[str, Any]) -> None:
        obj, _, _ = self._upsert(
            Jurisdiction, {"code": d["code"]}, {"name": d["name"], "name_ja": d.get("name_ja", "")}
        )
        self.jurisdictions[d["code"]] = obj

    def _organization(self, d: dict[str, Any]) -> None:
        fields = {
            "kind": d["kind"],
            "name": d["name"],
            "name_original": d.get("name_original", ""),
            "short_name": d.get("short_name", ""),
            "name_ja": d.get("name_ja", ""),
            "short_name_ja": d.get("short_name_ja", ""),
            "aliases": "\n".join(d.get("aliases", [])),
            "country": d.get("country", ""),
            "timezone": d.get("timezone", "UTC"),
            "website": d.get("website", ""),
            "notes": _text(d.get("notes")),
            "notes_ja": _text(d.get("notes_ja")),
            "court_level": d.get("court_level", ""),
            "jurisdiction": (
                self._get(self.jurisdictions, d["jurisdiction"], "jurisdiction")
                if d.get("jurisdiction")
                else None
            ),
            # Parents are listed before their subsidiaries in common.toml.
            "parent": self._org(d["parent"]) if d.get("parent") else None,
        }
        obj, _, _ = self._upsert(Organization, {"slug": d["slug"]}, fields)
        self.organizations[d["slug"]] = obj

    def _person(self, d: dict[str, Any]) -> None:
        fields = {
            "name_original": d.get("name_original", ""),
            "aliases": "\n".join(d.get("aliases", [])),
            "position": d.get("position", ""),
            "position_ja": d.get("position_ja", ""),
            "organization": self._org(d["organization"]) if d.get("organization") else None,
            "notes": _text(d.get("notes")),
            "notes_ja": _text(d.get("notes_ja")),
        }
        obj, _, _ = self._upsert(Person, {"name": d["name"]}, fields)
        self.people[d["key"]] = obj

    def _product(self, d: dict[str, Any]) -> None:
        precision = d.get("launch_precision", DatePrecision.DAY)
        launched_on = d.get("launched_on")
        if launched_on:
            self._partial_date(launched_on, precision, f"product {d['slug']}")
        fields = {
            "name": d["name"],
            "developer": self._org(d["developer"]),
            "modality": d["modality"],
            "launched_on": launched_on,
            "launch_precision": precision,
            "url": d.get("url", ""),
            "notes": _text(d.get("notes")),
        }
        obj, _, _ = self._upsert(AIProduct, {"slug": d["slug"]}, fields)
        self.products[d["slug"]] = obj
        self._reported_dates(obj, d.get("reported_date", []))

    def _publisher(self, url: str) -> dict[str, str]:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        labels = host.split(".")
        for start in range(len(labels) - 1):
            candidate = ".".join(labels[start:])
            if candidate in self.publishers:
                return self.publishers[candidate]
        raise DemoDataError(f"No publisher for {host} in {SOURCES_FILE} (needed for {url}).")

    def _source(self, url: str) -> Source:
        if url in self.sources:
            return self.sources[url]
        detail = self.source_details.get(url, {})
        publisher = self._publisher(url)
        fields = {
            "title": detail.get("title", ""),
            "publisher": detail.get("publisher", publisher["name"]),
            "language": detail.get("language", publisher["language"]),
            "reliability": detail.get("reliability", publisher["reliability"]),
            "published_on": detail.get("published_on"),
            "archive_url": detail.get("archive_url", ""),
            "notes": _text(detail.get("notes")),
        }
        obj, _, _ = self._upsert(Source, {"url": url}, fields)
        self.sources[url] = obj
        return obj

    def _reported_dates(self, record: models.Model, entries: list[dict[str, Any]]) -> None:
        content_type = ContentType.objects.get_for_model(record)
        for entry in entries:
            field_name = entry.get("field", "date")
            try:
                model_field = record._meta.get_field(field_name)
            except FieldDoesNotExist:
                model_field = None
            if not isinstance(model_field, models.DateField):
                raise DemoDataError(f"{record}: “{field_name}” is not a date of a {type(record).__name__}.")
            lookup = {
                "content_type": content_type,
                "object_id": record.pk,
                "field": field_name,
                "date": entry["date"],
                "source": self._source(entry["source"]),
            }
            fields = {"precision": entry.get("precision", DatePrecision.DAY), "note": entry.get("note", "")}
            self._upsert(ReportedDate, lookup, fields)

    # -- disputes --------------------------------------------------------------------------------------------------

    def _dispute(self, filename: str, doc: dict[str, Any]) -> None:
        if "dispute" not in doc:
            raise DemoDataError(f"{filename} has no [dispute] table.")
        d = doc["dispute"]
        fields = {
            "title": d["title"],
            "title_ja": d.get("title_ja", ""),
            "summary": _text(d.get("summary")),
            "summary_ja": _text(d.get("summary_ja")),
            "stage": d["stage"],
            "status_note": d.get("status_note", ""),
            "status_note_ja": d.get("status_note_ja", ""),
            "case_numbers": d.get("case_numbers", ""),
        }
        m2m = {
            "jurisdictions": [
                self._get(self.jurisdictions, code, "jurisdiction") for code in d["jurisdictions"]
            ],
            "products": self._product_list(d.get("products", [])),
            "sources": self._source_list(d.get("sources", [])),
        }
        obj, created, _ = self._upsert(Dispute, {"slug": d["slug"]}, fields, m2m)
        self.disputes[d["slug"]] = obj
        if created:
            self.created_disputes.add(d["slug"])

    def _related(self, doc: dict[str, Any]) -> None:
        slug = doc["dispute"]["slug"]
        if slug not in self.created_disputes and not self.update:
            return
        dispute = self.disputes[slug]
        targets = [self._get(self.disputes, other, "dispute") for other in doc["dispute"].get("related", [])]
        have = set(dispute.related.values_list("pk", flat=True))
        missing = [target for target in targets if target.pk not in have]
        if missing:
            dispute.related.add(*missing)

    def _dispute_contents(self, filename: str, doc: dict[str, Any]) -> None:
        dispute = self.disputes[doc["dispute"]["slug"]]
        for entry in doc.get("party", []):
            who = self._who(entry, "dispute party")
            lookup = {"dispute": dispute, "role": entry["role"], **who}
            self._upsert(
                DisputeParty, lookup, {"note": entry.get("note", ""), "note_ja": entry.get("note_ja", "")}
            )
        for entry in doc.get("membership", []):
            self._membership(entry)
        for entry in doc.get("letter", []):
            self._letter(dispute, entry)
        proceedings: dict[str, Proceeding] = {}
        for entry in doc.get("proceeding", []):
            proceedings[entry["title"]] = self._proceeding(dispute, entry, proceedings)
        events: dict[str, Event] = {}
        for entry in doc.get("event", []):
            events[entry["title"]] = self._event(filename, dispute, entry, proceedings)
        for entry in doc.get("proceeding", []):
            self._rulings(proceedings[entry["title"]], entry, events)
        for entry in doc.get("amount", []):
            self._amount(dispute, entry, proceedings, events)

    def _who(self, entry: dict[str, Any], what: str) -> dict[str, Any]:
        """The lookup for a party given as ``organization``, ``person`` (a key) or ``class``."""
        if entry.get("organization"):
            return {"organization": self._org(entry["organization"])}
        if entry.get("person"):
            return {"person": self._get(self.people, entry["person"], "person")}
        if entry.get("class"):
            return {"class_description": entry["class"]}
        raise DemoDataError(f"A {what} needs an organization, a person or a class: {entry}")

    def _proceeding(self, dispute: Dispute, d: dict[str, Any], earlier: dict[str, Proceeding]) -> Proceeding:
        filed_precision = d.get("filed_precision", DatePrecision.DAY)
        closed_precision = d.get("closed_precision", DatePrecision.DAY)
        if d.get("filed_on"):
            self._partial_date(d["filed_on"], filed_precision, f"proceeding “{d['title']}”")
        fields = {
            "kind": d.get("kind", "lawsuit"),
            "title_ja": d.get("title_ja", ""),
            "forum": self._org(d["forum"]) if d.get("forum") else None,
            "appeal_of": self._get(earlier, d["appeal_of"], "proceeding") if d.get("appeal_of") else None,
            "consolidated_into": (
                self._get(earlier, d["consolidated_into"], "proceeding")
                if d.get("consolidated_into")
                else None
            ),
            "filed_on": d.get("filed_on"),
            "filed_precision": filed_precision,
            "closed_on": d.get("closed_on"),
            "closed_precision": closed_precision,
            "status": d.get("status", "pending"),
            "disposition": d.get("disposition", ""),
            "status_note": d.get("status_note", ""),
            "status_note_ja": d.get("status_note_ja", ""),
            "summary": _text(d.get("summary")),
            "summary_ja": _text(d.get("summary_ja")),
        }
        proceeding, _, _ = self._upsert(
            Proceeding,
            {"dispute": dispute, "title": d["title"]},
            fields,
            {"sources": self._source_list(d.get("sources", []))},
        )
        for entry in d.get("docket", []):
            self._upsert(
                DocketNumber,
                {"proceeding": proceeding, "number": entry["number"]},
                {
                    "court": self._org(entry["court"]) if entry.get("court") else None,
                    "courtlistener_id": entry.get("courtlistener_id"),
                    "url": entry.get("url", ""),
                },
            )
        for entry in d.get("judge", []):
            self._upsert(
                ProceedingJudge,
                {"proceeding": proceeding, "person": self._get(self.people, entry["person"], "person")},
                {"role": entry.get("role", "presiding")},
            )
        for entry in d.get("party", []):
            lookup = {"proceeding": proceeding, "role": entry["role"], **self._who(entry, "party")}
            fields = {"note": entry.get("note", ""), "note_ja": entry.get("note_ja", "")}
            if "class_description" in lookup:
                fields["class_description_ja"] = entry.get("class_ja", "")
            self._upsert(ProceedingParty, lookup, fields)
        for entry in d.get("claim", []):
            self._upsert(
                Claim,
                {"proceeding": proceeding, "cause": self._cause(entry["cause"])},
                {"note": entry.get("note", ""), "note_ja": entry.get("note_ja", "")},
            )
        self._reported_dates(proceeding, d.get("reported_date", []))
        return proceeding

    def _cause(self, slug: str) -> CauseOfAction:
        cause = CauseOfAction.objects.filter(slug=slug).first()
        if cause is None:
            raise DemoDataError(f"Unknown cause of action “{slug}” (the migrations create the list).")
        return cause

    def _rulings(self, proceeding: Proceeding, d: dict[str, Any], events: dict[str, Event]) -> None:
        for entry in d.get("ruling", []):
            precision = entry.get("decided_precision", DatePrecision.DAY)
            self._partial_date(entry["decided_on"], precision, f"ruling “{entry['title']}”")
            fields = {
                "kind": entry["kind"],
                "decided_precision": precision,
                "title_ja": entry.get("title_ja", ""),
                "citation": entry.get("citation", ""),
                "summary": _text(entry.get("summary")),
                "summary_ja": _text(entry.get("summary_ja")),
                "event": self._get(events, entry["event"], "event title") if entry.get("event") else None,
            }
            m2m = {
                "judges": [self._get(self.people, key, "person") for key in entry.get("judges", [])],
                "sources": self._source_list(entry.get("sources", [])),
            }
            event = fields["event"]
            if event is not None and event.proceeding_id is None:
                # The ruling's event happened in this proceeding.
                event.proceeding = proceeding
                event.save(update_fields=["proceeding", "updated_at"])
            ruling, _, _ = self._upsert(
                Ruling,
                {"proceeding": proceeding, "title": entry["title"], "decided_on": entry["decided_on"]},
                fields,
                m2m,
            )
            for outcome in entry.get("outcome", []):
                claim = Claim.objects.filter(proceeding=proceeding, cause__slug=outcome["cause"]).first()
                if claim is None:
                    raise DemoDataError(
                        f"Ruling “{entry['title']}”: no claim “{outcome['cause']}” in its proceeding."
                    )
                self._upsert(
                    ClaimRuling,
                    {"ruling": ruling, "claim": claim},
                    {
                        "outcome": outcome["outcome"],
                        "note": outcome.get("note", ""),
                        "note_ja": outcome.get("note_ja", ""),
                    },
                )

    def _amount(
        self,
        dispute: Dispute,
        d: dict[str, Any],
        proceedings: dict[str, Proceeding],
        events: dict[str, Event],
    ) -> None:
        proceeding = self._get(proceedings, d["proceeding"], "proceeding") if d.get("proceeding") else None
        fields = {
            "proceeding": proceeding,
            "event": self._get(events, d["event"], "event title") if d.get("event") else None,
            "currency": d["currency"],
            "value": d.get("value"),
            "basis_ja": d.get("basis_ja", ""),
            "status": d.get("status", "claimed"),
            "payer": self._org(d["payer"]) if d.get("payer") else None,
            "period_start": d.get("period_start"),
            "period_start_precision": d.get("period_start_precision", DatePrecision.DAY),
            "period_end": d.get("period_end"),
            "period_end_precision": d.get("period_end_precision", DatePrecision.DAY),
        }
        amount, _, _ = self._upsert(
            Amount,
            {"dispute": dispute, "kind": d["kind"], "basis": d.get("basis", "")},
            fields,
            {"sources": self._source_list(d.get("sources", []))},
        )
        self._reported_dates(amount, d.get("reported_date", []))

    def _membership(self, d: dict[str, Any]) -> None:
        association = self._org(d["association"])
        precision = d.get("reported_precision", DatePrecision.DAY)
        reported_on = self._partial_date(d["reported_on"], precision, f"membership of {d['association']}")
        sources = self._source_list(d.get("sources", []))
        for slug in d.get("members") or [d["member"]]:
            self._upsert(
                Membership,
                {"association": association, "member": self._org(slug), "reported_on": reported_on},
                {
                    "reported_precision": precision,
                    "note": d.get("note", ""),
                    "joined_on": d.get("joined_on"),
                    "left_on": d.get("left_on"),
                },
                {"sources": sources},
            )

    def _letter(self, dispute: Dispute, d: dict[str, Any]) -> None:
        sender = self._org(d["sender"])
        sent_on, dated_on = d.get("sent_on"), d.get("dated_on")
        precision = d.get("date_precision", DatePrecision.DAY)
        start = sent_on or dated_on
        if start is None:
            raise DemoDataError(f"Letter “{d['title']}” needs sent_on or dated_on.")
        self._partial_date(start, precision, f"letter “{d['title']}”")
        deadline = d.get("deadline", "none")
        if deadline == "policy":
            # The letter names no deadline: the configurable default policy gives one, counted in the
            # sender's country (business-day policies skip its public holidays).
            deadline_on = policy_deadline(start, country=d.get("deadline_country", sender.country))
            deadline_source = DeadlineSource.POLICY
        elif isinstance(deadline, dt.date):
            deadline_on, deadline_source = deadline, DeadlineSource.STATED
        elif deadline == "none":
            deadline_on, deadline_source = None, DeadlineSource.NONE
        else:
            raise DemoDataError(f"Letter “{d['title']}”: deadline is a date, “policy” or “none”.")

        lookup = {"dispute": dispute, "title": d["title"]}
        lookup.update({"sent_on": sent_on} if sent_on else {"dated_on": dated_on})
        fields = {
            "kind": d["kind"],
            "title_ja": d.get("title_ja", ""),
            "title_original": d.get("title_original", ""),
            "sender": sender,
            "recipient": self._org(d["recipient"]),
            "on_behalf_note": d.get("on_behalf_note", ""),
            "on_behalf_note_ja": d.get("on_behalf_note_ja", ""),
            "channel": d["channel"],
            "dated_on": dated_on,
            "sent_on": sent_on,
            "announced_on": d.get("announced_on"),
            "date_precision": precision,
            "timezone": d["timezone"],
            "response_deadline_on": deadline_on,
            "deadline_source": deadline_source,
            "status": d["status"],
            "status_note": d.get("status_note", ""),
            "status_note_ja": d.get("status_note_ja", ""),
            "summary": _text(d.get("summary")),
            "summary_ja": _text(d.get("summary_ja")),
            "url": d.get("url", ""),
        }
        m2m = {
            "additional_recipients": [self._org(slug) for slug in d.get("also_to", [])],
            "on_behalf_of": [self._org(slug) for slug in d.get("on_behalf_of", [])],
            "products": self._product_list(d.get("products", [])),
            "sources": self._source_list(d.get("sources", [])),
        }
        versions_before = DeadlineChange.objects.filter(
            letter__in=DemandLetter.objects.filter(**lookup)
        ).count()
        letter, created, changed = self._upsert(DemandLetter, lookup, fields, m2m, save=self._save_letter)
        # letter_save writes the deadline's versions; count them like the rows this loader writes itself.
        versions = self.tallies[DeadlineChange.__name__]
        versions.present += versions_before
        versions.created += letter.deadline_changes.count() - versions_before

        demands = {}
        for entry in d.get("demand", []):
            demand, _, _ = self._upsert(
                Demand,
                {"letter": letter, "number": entry["number"]},
                {
                    "text_original": entry.get("text_original", ""),
                    "original_language": entry.get("original_language", ""),
                    "text_en": entry["text_en"],
                    "text_ja": entry.get("text_ja", ""),
                    "status": entry.get("status", "pending"),
                    "status_note": entry.get("status_note", ""),
                    "status_note_ja": entry.get("status_note_ja", ""),
                },
            )
            demands[entry["number"]] = demand
        self._reported_dates(letter, d.get("reported_date", []))
        for entry in d.get("response", []):
            self._response(letter, demands, entry)

    @staticmethod
    def _save_letter(letter: DemandLetter, lookup: dict[str, Any], **kwargs: Any) -> None:
        """Letters are written by ``letter_save``: a new letter's deadline becomes version 1 with its reason, and
        a deadline re-applied by ``--update`` becomes the next version, as an edit in the admin would."""
        reason = "" if letter.pk is None else "Demo value re-applied by load_demo --update."
        try:
            letter_save(letter=letter, deadline_reason=reason)
        except (IllegalTransition, ValidationError) as exc:
            raise DemoDataError(f"DemandLetter {lookup}: {exc}") from exc
        except IntegrityError as exc:
            raise DemoDataError(f"DemandLetter {lookup}: {exc}") from exc

    def _response(self, letter: DemandLetter, demands: dict[int, Demand], d: dict[str, Any]) -> None:
        fields = {
            "date_precision": d.get("date_precision", DatePrecision.DAY),
            "channel": d["channel"],
            "title": d.get("title", ""),
            "title_ja": d.get("title_ja", ""),
            "summary": _text(d.get("summary")),
            "summary_ja": _text(d.get("summary_ja")),
            "quote": _text(d.get("quote")),
            "quote_language": d.get("quote_language") or guess_language(_text(d.get("quote"))),
            "quote_translation": _text(d.get("quote_translation")),
            "quote_translation_ja": _text(d.get("quote_translation_ja")),
            "url": d.get("url", ""),
            "assessment": d.get("assessment", "not_assessed"),
            "assessed_at": d.get("assessed_at"),
            "assessment_reason": _text(d.get("assessment_reason")),
            "assessment_reason_ja": _text(d.get("assessment_reason_ja")),
        }
        m2m = {
            "demands": [
                self._get(demands, number, f"demand number of “{letter.title}”")
                for number in d.get("demands", [])
            ],
            "sources": self._source_list(d.get("sources", [])),
        }
        lookup = {"letter": letter, "responder": self._org(d["responder"]), "responded_on": d["responded_on"]}
        response, _, _ = self._upsert(Response, lookup, fields, m2m)
        self._reported_dates(response, d.get("reported_date", []))

    def _event(
        self, filename: str, dispute: Dispute, d: dict[str, Any], proceedings: dict[str, Proceeding]
    ) -> Event:
        precision = d.get("date_precision", DatePrecision.DAY)
        date = self._partial_date(d["date"], precision, f"event “{d['title']}”")
        key = (d["title"], date)
        if key in self.event_keys:
            raise DemoDataError(f"{filename}: two events share the title and date {key}.")
        self.event_keys.add(key)
        sources = self._source_list(d.get("sources", []))
        # An event only aggregators or forums report is flagged even if the data forgets to say so.
        low_confidence = d.get("low_confidence", all(s.reliability == "low" for s in sources))
        end_precision = d.get("date_end_precision", precision)
        if d.get("date_end"):
            self._partial_date(d["date_end"], end_precision, f"event “{d['title']}” (end)")
        fields = {
            "kind": d["kind"],
            "date_precision": precision,
            "date_qualifier": d.get("date_qualifier", "exact"),
            "date_end": d.get("date_end"),
            "date_end_precision": end_precision,
            "title_ja": d.get("title_ja", ""),
            "title_original": d.get("title_original", ""),
            "summary": _text(d.get("summary")),
            "summary_ja": _text(d.get("summary_ja")),
            "quote_translation": _text(d.get("quote_translation")),
            "quote_translation_ja": _text(d.get("quote_translation_ja")),
            "quote": _text(d.get("quote")),
            "quote_language": d.get("quote_language") or guess_language(_text(d.get("quote"))),
            "actor": self._org(d["actor"]) if d.get("actor") else None,
            "actor_person": self._get(self.people, d["person"], "person") if d.get("person") else None,
            "low_confidence": low_confidence,
        }
        if d.get("proceeding"):
            # Otherwise left alone: a ruling's event gets its proceeding from the ruling (see _rulings).
            fields["proceeding"] = self._get(proceedings, d["proceeding"], "proceeding")
        m2m = {
            "disputes": [dispute, *(self._get(self.disputes, slug, "dispute") for slug in d.get("also", []))],
            "products": self._product_list(d.get("products", [])),
            "sources": sources,
        }
        event, _, _ = self._upsert(Event, {"title": d["title"], "date": date}, fields, m2m)
        for entry in d.get("other_actor", []):
            who = self._who(entry, "other actor")
            self._upsert(
                EventActor,
                {"event": event, **who},
                {"role": entry.get("role", ""), "role_ja": entry.get("role_ja", "")},
            )
        self._reported_dates(event, d.get("reported_date", []))
        return event


# --- The demo admin -----------------------------------------------------------------------------------------------


@dataclass
class DemoAdmin:
    username: str
    password: str | None  # None when the stored password no longer works and none was given
    created: bool
    password_set: bool
    login_url: str
    admin_url: str
    password_file: Path
    follows_coda: bool = False
    letters_owned: int = 0
    warnings: list[str] = field(default_factory=list)


def _read_login(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            values[key.strip()] = value.strip()
    return values


def _write_login(path: Path, *, username: str, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    # O_CREAT's mode does not apply to a file that already exists.
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            "# Demo admin login, written by manage.py ensure_demo_admin. Delete it to get a new password.\n"
            f"username={username}\npassword={password}\n"
        )


def demo_admin_ensure(
    *, username: str = "admin", password: str | None = None, password_file: Path | None = None
) -> DemoAdmin:
    """Create or reuse the superuser ``username`` and return a login that works.

    A new user gets a random password, written to ``VAR_DIR/demo-admin.txt`` (mode 0600) so later runs print the same
    login. An explicit ``password`` is set and stored. If the user exists but the file is gone, a new random password
    is set and stored. If the file's password no longer works (someone changed it), nothing is reset and the result
    carries a warning instead of a password. The user also follows the CODA dispute and becomes the owner of its
    letters that have none, so reminders have a recipient.
    """
    path = password_file or Path(settings.VAR_DIR) / LOGIN_FILE_NAME
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
        stored = _read_login(path)
        stored_password = stored.get("password") if stored.get("username") == username else None
        result = DemoAdmin(
            username=username,
            password=None,
            created=user is None,
            password_set=False,
            login_url=absolute_url(reverse("login")),
            admin_url=absolute_url(reverse("admin:index")),
            password_file=path,
        )
        if user is None:
            result.password = password or secrets.token_urlsafe(12)
            user = user_model.objects.create_superuser(
                username=username, email=f"{username}@localhost", password=result.password
            )
            result.password_set = True
        elif password:
            result.password = password
            result.password_set = True
        elif stored_password is None:
            result.password = secrets.token_urlsafe(12)
            result.password_set = True
        elif user.check_password(stored_password):
            result.password = stored_password
        else:
            result.warnings.append(
                f"The password in {path} no longer works for {username} (it was changed since); nothing was "
                "reset. Run again with --password to set one."
            )

        promote = not (user.is_staff and user.is_superuser and user.is_active and user.email)
        if promote:
            # Reminders are emailed: the demo admin needs an address (mail goes to files under var/mail).
            user.email = user.email or f"{username}@localhost"
            user.is_staff = user.is_superuser = user.is_active = True
        if result.password_set and not result.created:
            user.set_password(result.password)
        if promote or (result.password_set and not result.created):
            user.save()
        if result.password_set:
            _write_login(path, username=username, password=result.password)

        dispute = Dispute.objects.filter(slug=CODA_DISPUTE_SLUG).first()
        if dispute is None:
            result.warnings.append(
                "The CODA dispute is not loaded yet (run load_demo first): nothing to follow."
            )
        else:
            follow_set(user=user, dispute=dispute, following=True)
            result.follows_coda = True
            for letter in dispute.letters.filter(owner__isnull=True):
                letter.owner = user
                letter.save(update_fields=["owner", "updated_at"])
            result.letters_owned = dispute.letters.filter(owner=user).count()
    return result
