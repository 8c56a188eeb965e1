"""Import the Database of AI Litigation (DAIL): cases, their dockets and their secondary sources.

``dail_read`` reads the workbooks into ``DailCase`` rows (or refuses a file, nothing written); ``dail_import``
writes them. Each case is written in its own transaction: a case either goes in whole or not at all, and the import
goes on with the next one. ``dry_run=True`` runs the same code and rolls everything back, so the preview is exactly
what a real run would do.

What a case becomes:
- a dispute of its own, or the record's existing dispute when one matches (``matching``): an earlier import of the
  same record, a docket number, the caption, or the caption's first words plus a shared party;
- parties: the organizations DAIL names (one organization for every spelling, the others kept as aliases), on the
  side the caption or the cell puts them; courts as organizations of kind court;
- events: the filing (with DAIL's date as a reported date; where the record already has the filing on another date
  both dates are kept and the date shows as disputed) and the most recent activity DAIL reports;
- sources: the DAIL record itself (record number and export date) on everything it wrote, and each secondary source;
- dockets: each docket row, linked to CourtListener when DAIL's link points there.

What an import wrote is kept per record (``ImportedRecord``): the next run with the same row changes nothing; a
changed row updates only what nobody edited since, unless ``overwrite=True``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from disputes.models import (
    CauseOfAction,
    Claim,
    CourtListenerDocket,
    DatePrecision,
    Disposition,
    Dispute,
    DisputeParty,
    DocketNumber,
    Event,
    EventKind,
    ImportedRecord,
    ImportSource,
    Jurisdiction,
    Organization,
    OrganizationKind,
    PartyRole,
    Proceeding,
    ProceedingKind,
    ProceedingParty,
    ProceedingRole,
    ProceedingStatus,
    RecordDateField,
    Reliability,
    ReportedDate,
    Source,
    Stage,
)

from .matching import DisputeIndex, OrganizationIndex
from .normalise import (
    NamedOrganization,
    caption_key,
    caption_sides,
    clean_text,
    court_name,
    courtlistener_id,
    docket_key,
    docket_keys_in,
    first_party,
    fold,
    org_key,
    parse_date,
    parse_list,
    split_organizations,
)
from .readers import ImportFileError, Table, read_table

logger = logging.getLogger(__name__)

CASE_COLUMNS = ["Record_Number", "Caption", "Date_Action_Filed", "Status_Disposition", "Jurisdiction_Filed"]
DOCKET_COLUMNS = ["Case_Number", "court", "number", "link"]
SOURCE_COLUMNS = ["Case_Number", "Secondary_Source_Link", "Secondary_Source_Title"]

DAIL_HOME = "https://blogs.gwu.edu/law-eti/ai-litigation-database/"
DAIL_PUBLISHER = "Database of AI Litigation (GW Law)"

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}

Progress = Callable[[int, int, str], None]


# --- Reading ---------------------------------------------------------------------------------------------


@dataclass
class DailDocket:
    court: str
    number: str
    link: str

    @property
    def courtlistener_id(self) -> int | None:
        return courtlistener_id(self.link)


@dataclass
class DailCase:
    record: str
    caption: str
    raw: dict[str, Any]
    description: str = ""
    causes: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    organizations: list[NamedOrganization] = field(default_factory=list)
    court: str = ""
    current_court: str = ""
    country: str = ""
    filed: tuple[dt.date, str] | None = None
    inactive: bool = False
    last_update: dt.date | None = None
    recent_activity: str = ""
    recent_date: tuple[dt.date, str] | None = None
    dockets: list[DailDocket] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def is_copyright(self) -> bool:
        return any("copyright" in item.lower() for item in self.causes + self.issues)

    def fingerprint(self) -> str:
        payload = {
            "row": {k: _jsonable(v) for k, v in sorted(self.raw.items())},
            "dockets": [(d.court, d.number, d.link) for d in self.dockets],
            "sources": self.sources,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class RejectedRow:
    record: str
    caption: str
    reasons: list[str]


@dataclass
class DailExport:
    cases: list[DailCase]
    rejected: list[RejectedRow]
    export_date: dt.date
    skipped_not_copyright: int = 0


def export_date_from_name(name: str) -> dt.date | None:
    """DAIL names its downloads ``Case_Table_2026-Feb-21_1952.xlsx``: the export date is in the name."""
    match = re.search(r"(\d{4})-([A-Za-z]{3})-(\d{1,2})", name or "")
    if match and match.group(2).lower() in _MONTHS:
        return dt.date(int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3)))
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", name or "")
    if match:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _name_of(source) -> str:
    return Path(source).name if isinstance(source, str | Path) else getattr(source, "name", "upload")


def dail_read(
    cases: str | Path | IO[bytes],
    *,
    dockets: str | Path | IO[bytes] | None = None,
    sources: str | Path | IO[bytes] | None = None,
    only_copyright: bool = False,
    export_date: dt.date | None = None,
) -> DailExport:
    """Read DAIL's tables. Raises ``ImportFileError`` for a file that is not the table it should be."""
    case_table = read_table(cases, name=_name_of(cases), required=CASE_COLUMNS)
    docket_table = read_table(dockets, name=_name_of(dockets), required=DOCKET_COLUMNS) if dockets else None
    source_table = read_table(sources, name=_name_of(sources), required=SOURCE_COLUMNS) if sources else None
    export_date = export_date or export_date_from_name(_name_of(cases)) or _latest_update(case_table)

    dockets_by_case: dict[str, list[DailDocket]] = defaultdict(list)
    for row in docket_table.rows if docket_table else []:
        key = _record_key(row.get("Case_Number"))
        number, court, link = (
            clean_text(row.get("number")),
            clean_text(row.get("court")),
            clean_text(row.get("link")),
        )
        if key and (number or link):
            dockets_by_case[key].append(DailDocket(court=court, number=number, link=link))
    sources_by_case: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in source_table.rows if source_table else []:
        key = _record_key(row.get("Case_Number"))
        url = clean_text(row.get("Secondary_Source_Link"))
        if key and url.startswith(("http://", "https://")) and len(url) <= 1000:
            sources_by_case[key].append((url, clean_text(row.get("Secondary_Source_Title"))[:500]))

    export = DailExport(cases=[], rejected=[], export_date=export_date)
    seen: set[str] = set()
    for row in case_table.rows:
        case = _case(row, export_date=export_date)
        if isinstance(case, RejectedRow):
            export.rejected.append(case)
            continue
        if case.record in seen:
            export.rejected.append(
                RejectedRow(case.record, case.caption, ["the record number appears twice"])
            )
            continue
        seen.add(case.record)
        if only_copyright and not case.is_copyright:
            export.skipped_not_copyright += 1
            continue
        case.dockets = dockets_by_case.get(case.record, [])
        case.sources = sources_by_case.get(case.record, [])
        export.cases.append(case)
    export.cases.sort(key=lambda c: (len(c.record), c.record))
    return export


def _latest_update(table: Table) -> dt.date:
    dates = []
    for row in table.rows:
        try:
            parsed = parse_date(row.get("Last_Update"))
        except ValueError:
            continue
        if parsed:
            dates.append(parsed[0])
    return max(dates, default=timezone.localdate())


def _record_key(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    return text if re.fullmatch(r"\d{1,9}", text) else ""


_COURT_WORDS = re.compile(
    r"court|\bct\b|cir\b|circuit|tribunal|district|j\.p\.m\.l|gericht|törvényszék|tribunale|ítélőtábla|retten|"
    r"rechtbank|cour\b|\b[a-z]\.\s?[a-z]|\bd\.\s?[a-z]|office|board|commission|chamber",
    re.I,
)

_COUNTRIES = [
    (r"tokyo|tokoyo|japan", "JP", "Japan"),
    (r"delhi|india", "IN", "India"),
    (r"ontario|qu[ée]bec|british columbia|canada|montr[ée]al|toronto", "CA", "Canada"),
    (r"high ct\.? \(ch|england|united kingdom|\buk\b|ewhc", "GB", "United Kingdom"),
    (r"m[üu]nchen|munich|hamburg|k[öo]ln|cologne|germany|landgericht", "DE", "Germany"),
    (r"beijing|guangzhou|shenzhen|shanghai|hangzhou|china|changshu", "CN", "China"),
    (r"denmark|danish|københavn", "DK", "Denmark"),
    (r"amsterdam|netherlands|dutch", "NL", "Netherlands"),
    (r"hungary|budapest|fővárosi", "HU", "Hungary"),
    (r"rome|roma|ital", "IT", "Italy"),
    (r"prague|czech", "CZ", "Czechia"),
    (r"korea", "KR", "South Korea"),
    (r"court of justice of the european union|cjeu", "EU", "European Union"),
    (r"france|paris", "FR", "France"),
    (r"brazil", "BR", "Brazil"),
    (r"australia", "AU", "Australia"),
]

COUNTRY_NAMES = {code: name for _, code, name in _COUNTRIES} | {"US": "United States"}


def _country(row: dict[str, Any], courts: str) -> str:
    kind = clean_text(row.get("Jurisdiction_Type_Text")).lower()
    if kind.startswith("u.s."):
        return "US"
    text = " ".join(
        [courts, clean_text(row.get("Jurisdiction_Name")), clean_text(row.get("Caption"))]
    ).lower()
    for pattern, code, _name in _COUNTRIES:
        if re.search(pattern, text):
            return code
    return ""


def _case(row: dict[str, Any], *, export_date: dt.date) -> DailCase | RejectedRow:
    record = _record_key(row.get("Record_Number"))
    caption = re.sub(r"\s+", " ", clean_text(row.get("Caption")))
    if not record or not caption:
        reasons = []
        if not record:
            reasons.append(f"no record number (“{clean_text(row.get('Record_Number'))}”)")
        if not caption:
            reasons.append("no caption")
        return RejectedRow(record, caption, reasons)
    raw = {k: v for k, v in row.items() if k not in {"Keyword", "id"}}
    case = DailCase(record=record, caption=caption[:300], raw=raw)
    case.description = clean_text(row.get("Brief_Description"))
    case.causes = parse_list(row.get("Cause_of_Action_List"))
    case.issues = parse_list(row.get("Issue_List"))
    case.organizations = split_organizations(row.get("Organizations_involved"))
    filed_text, current_text = (
        clean_text(row.get("Jurisdiction_Filed")),
        clean_text(row.get("Current_Jurisdiction")),
    )
    case.court = court_name(filed_text) if _COURT_WORDS.search(filed_text) else ""
    case.current_court = court_name(current_text) if _COURT_WORDS.search(current_text) else ""
    if not case.court and not case.current_court:
        named = filed_text or current_text
        case.problems.append(
            f"unknown court: “{named}” names a place, not a court" if named else "unknown court: none given"
        )
    case.country = _country(row, f"{filed_text} {current_text}")
    status = clean_text(row.get("Status_Disposition")).lower()
    case.inactive = status == "inactive"
    if status not in {"active", "inactive"}:
        case.problems.append(f"unknown status “{clean_text(row.get('Status_Disposition'))}”, taken as active")
    case.filed = _date(row, "Date_Action_Filed", case, export_date, what="filing date")
    case.recent_activity = re.sub(r"\s+", " ", clean_text(row.get("Most_Recent_Activity")))[:300]
    case.recent_date = _date(
        row,
        "Most_Recent_Activity_Date",
        case,
        export_date,
        what="date of the most recent activity",
        required=False,
    )
    last = _date(row, "Last_Update", case, export_date, what="last update", required=False)
    case.last_update = last[0] if last else None
    return case


def _date(row, column, case: DailCase, export_date: dt.date, *, what: str, required: bool = True):
    try:
        parsed = parse_date(row.get(column))
    except ValueError as exc:
        case.problems.append(f"{what} unreadable: {exc}")
        return None
    if parsed is None:
        if required:
            case.problems.append(f"no {what}")
        return None
    if parsed[0] > export_date:
        case.problems.append(
            f"{what} {parsed[0].isoformat()} is after the export date {export_date.isoformat()}"
        )
        return None
    return parsed


# --- Reporting -------------------------------------------------------------------------------------------


OUTCOMES = ("new", "matched", "changed", "unchanged", "rejected")


@dataclass
class RowReport:
    record: str
    caption: str
    outcome: str
    reasons: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dispute: str = ""

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class DailImportReport:
    export_date: dt.date
    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)
    skipped_not_copyright: int = 0
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def conflicting(self) -> int:
        return sum(1 for r in self.rows if r.conflicts)

    @property
    def changed_total(self) -> int:
        return self.count("new") + self.count("matched") + self.count("changed")

    def summary(self) -> str:
        return (
            f"{len(self.rows)} rows: {self.count('new')} new, {self.count('matched')} matched, "
            f"{self.count('changed')} changed, {self.count('unchanged')} unchanged, {self.conflicting} conflicting, "
            f"{self.count('rejected')} rejected"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "export_date": self.export_date.isoformat(),
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "counts": {o: self.count(o) for o in OUTCOMES} | {"conflicting": self.conflicting},
            "skipped_not_copyright": self.skipped_not_copyright,
            "seconds": round(self.seconds, 2),
            "rows": [r.as_dict() for r in self.rows],
        }


class _DryRun(Exception):
    pass


# --- Writing ---------------------------------------------------------------------------------------------


def dail_import(
    *,
    export: DailExport,
    dry_run: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> DailImportReport:
    """Write the cases of ``export`` into the record, one transaction per case, and say what each row did."""
    started = timezone.now()
    report = DailImportReport(export_date=export.export_date, dry_run=dry_run)
    report.skipped_not_copyright = export.skipped_not_copyright
    for rejected in export.rejected:
        report.rows.append(RowReport(rejected.record, rejected.caption, "rejected", reasons=rejected.reasons))
    # A dry run is one transaction rolled back at the end; a real run commits each case on its own.
    try:
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            writer = _Writer(export_date=export.export_date, overwrite=overwrite)
            total = len(export.cases)
            for done, case in enumerate(export.cases, 1):
                report.rows.append(writer.write(case))
                if progress:
                    progress(done, total, case.caption)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.seconds = (timezone.now() - started).total_seconds()
    return report


class _Writer:
    def __init__(self, *, export_date: dt.date, overwrite: bool) -> None:
        self.export_date = export_date
        self.overwrite = overwrite
        self.organizations = OrganizationIndex()
        self.disputes = DisputeIndex()
        self.imported = {r.key: r for r in ImportedRecord.objects.filter(source=ImportSource.DAIL_CASE)}
        self.jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        self.event_type = ContentType.objects.get_for_model(Event)
        self.proceeding_type = ContentType.objects.get_for_model(Proceeding)
        self.causes = {c.name.casefold(): c for c in CauseOfAction.objects.all()}
        # Proceedings an import created for a DAIL record: never another record's "existing" proceeding.
        self.imported_proceedings = {
            r.written["proceeding"]["id"]
            for r in self.imported.values()
            if (r.written or {}).get("proceeding", {}).get("created")
        }
        # Slugs in use, read once: a slug is checked against these sets, not the database, for each new row.
        self.slugs_taken: set[str] = set(Dispute.objects.values_list("slug", flat=True))
        self.org_slugs: set[str] = set(Organization.objects.values_list("slug", flat=True))

    def write(self, case: DailCase) -> RowReport:
        row = RowReport(case.record, case.caption, "unchanged", problems=list(case.problems))
        fingerprint = case.fingerprint()
        previous = self.imported.get(case.record)
        if previous and previous.fingerprint == fingerprint and previous.export_date and previous.dispute_id:
            row.dispute = previous.written.get("slug", "")
            return row
        try:
            with transaction.atomic():
                self._write(case, row, previous, fingerprint)
        except Exception as exc:  # noqa: BLE001 - one bad case must not stop the others; it is reported.
            logger.exception("DAIL record %s could not be written", case.record)
            # The indexes may hold rows of the rolled-back case: read them again.
            self.organizations = OrganizationIndex()
            self.disputes = DisputeIndex()
            row.outcome = "rejected"
            row.reasons = [f"could not be written: {exc}"]
            row.conflicts = []
        return row

    # One case, inside its own transaction.
    def _write(
        self, case: DailCase, row: RowReport, previous: ImportedRecord | None, fingerprint: str
    ) -> None:
        source = self._dail_source(case)
        named_ids = {org.pk for n in case.organizations if (org := self.organizations.find(n.name))}
        dispute_id, how = self.disputes.match(
            record=case.record,
            dockets=[d.number for d in case.dockets],
            caption=case.caption,
            party_ids=named_ids,
        )
        sides_present = set()
        if dispute_id:
            sides_present = set(
                DisputeParty.objects.filter(dispute_id=dispute_id).values_list("role", flat=True)
            )
        parties = self._parties(case, sides_present)
        record = previous or ImportedRecord(source=ImportSource.DAIL_CASE, key=case.record)
        written = dict(record.written or {})
        dispute = Dispute.objects.filter(pk=dispute_id).first() if dispute_id else None
        if dispute is None:
            dispute = self._new_dispute(case, written)
            record.matched = False
            row.outcome = "new" if previous is None else "changed"
            row.reasons.append("not in the record: created")
        else:
            if previous is None:
                record.matched = True
                row.outcome = "matched"
                row.reasons.append(f"matched “{dispute.title}” by {how}")
            else:
                row.outcome = "changed"
            if not record.matched:
                self._update_dispute(case, dispute, written, row)
        row.dispute = dispute.slug
        written["slug"] = dispute.slug
        dispute.sources.add(source)
        self._jurisdiction(case, dispute)
        present_parties = set(
            DisputeParty.objects.filter(dispute=dispute).values_list("organization_id", flat=True)
        )
        for org, role in parties:
            if org.pk not in present_parties:
                DisputeParty.objects.create(
                    dispute=dispute, organization=org, role=role, note="Named in DAIL."
                )
        raw_courts = {
            case.court: case.raw.get("Jurisdiction_Filed"),
            case.current_court: case.raw.get("Current_Jurisdiction"),
        }
        courts = {name: self._court(name, clean_text(raw)) for name, raw in raw_courts.items() if name}
        written["courts"] = sorted(c.pk for c in courts.values())
        proceeding = self._proceeding(
            case,
            dispute,
            source,
            written,
            row,
            parties=parties,
            forum=courts.get(case.court or case.current_court),
        )
        self._filing(
            case,
            dispute,
            source,
            written,
            row,
            claimants=[o for o, r in parties if r == PartyRole.CLAIMANT],
            proceeding=proceeding,
        )
        self._recent_activity(case, dispute, source, written, row)
        self._dockets(case, proceeding, row)
        for url, title in case.sources:
            secondary, _ = Source.objects.get_or_create(
                url=url,
                defaults={"title": title, "reliability": Reliability.SECONDARY, "publisher": _host(url)},
            )
            dispute.sources.add(secondary)
        if previous is not None and row.outcome == "changed":
            row.reasons.append("DAIL's row changed since the last import")
        record.dispute = dispute
        record.fingerprint = fingerprint
        record.written = written
        record.export_date = self.export_date
        record.problems = case.problems
        record.save()
        self.imported[case.record] = record
        self.disputes.by_record[case.record] = dispute.pk

    def _dail_source(self, case: DailCase) -> Source:
        url = f"{DAIL_HOME}?record={case.record}"
        title = f"DAIL record {case.record}: {case.caption} (export of {self.export_date.isoformat()})"[:500]
        source, created = Source.objects.get_or_create(
            url=url,
            defaults={
                "title": title,
                "publisher": DAIL_PUBLISHER,
                "language": "en",
                "reliability": Reliability.SECONDARY,
                "published_on": case.last_update,
                "notes": "Read from DAIL's exported case table; the address names the database and the record.",
            },
        )
        if not created and (source.title != title or source.published_on != case.last_update):
            source.title, source.published_on = title, case.last_update
            source.save(update_fields=["title", "published_on", "updated_at"])
        return source

    # --- Disputes

    def _values(self, case: DailCase) -> dict[str, str]:
        summary = case.description
        if case.causes:
            summary += "\n\nCauses of action (as DAIL lists them): " + "; ".join(case.causes) + "."
        note = case.recent_activity
        if note and case.recent_date:
            note = f"{note} ({case.recent_date[0].isoformat()}, per DAIL)"
        numbers = [
            f"{court_name(d.court) or d.court} No. {d.number}".strip() for d in case.dockets if d.number
        ]
        return {
            "title": case.caption[:300],
            "summary": summary.strip(),
            "stage": Stage.CLOSED if case.inactive else Stage.LITIGATION,
            "status_note": note[:300],
            "case_numbers": "; ".join(numbers)[:300] or case.court[:300],
        }

    def _new_dispute(self, case: DailCase, written: dict) -> Dispute:
        values = self._values(case)
        dispute = Dispute(slug=self._slug(case), **values)
        dispute.clean_fields()
        dispute.save()
        written["fields"] = values
        return dispute

    def _update_dispute(self, case: DailCase, dispute: Dispute, written: dict, row: RowReport) -> None:
        before = written.get("fields", {})
        after = self._values(case)
        changed = []
        for name, value in after.items():
            current = getattr(dispute, name)
            if current == value:
                continue
            if current != before.get(name) and not self.overwrite:
                row.conflicts.append(
                    f"{name}: edited in the record since the last import; kept (DAIL now says “{value[:80]}”)"
                )
                continue
            setattr(dispute, name, value)
            changed.append(name)
        if changed:
            dispute.clean_fields()
            dispute.save()
            row.reasons.append("updated " + ", ".join(changed))
        written["fields"] = {**before, **after}

    def _slug(self, case: DailCase) -> str:
        base = slugify(clean_text(case.raw.get("Case_snug")) or case.caption)[:100] or f"dail-{case.record}"
        slug = base
        if slug in self.slugs_taken:
            slug = f"{base[:100]}-dail-{case.record}"
        self.slugs_taken.add(slug)
        return slug

    def _jurisdiction(self, case: DailCase, dispute: Dispute) -> None:
        if not case.country:
            return
        jurisdiction = self.jurisdictions.get(case.country)
        if jurisdiction is None:
            jurisdiction = Jurisdiction.objects.create(
                code=case.country, name=COUNTRY_NAMES.get(case.country, case.country)
            )
            self.jurisdictions[case.country] = jurisdiction
        dispute.jurisdictions.add(jurisdiction)

    # --- Organizations

    def _parties(self, case: DailCase, sides_present: set[str]) -> list[tuple[Organization, str]]:
        left, right = caption_sides(case.caption)
        left_f, right_f = fold(left), fold(right)
        result: dict[int, tuple[Organization, str]] = {}
        named = list(case.organizations)
        keys = {n.key for n in named}
        # The caption's first party on each side, when the cell does not name it (and the record has nobody on
        # that side yet: "Kadrey" is the record's "Kadrey plaintiffs").
        for side_text, role in ((left, "claimant"), (right, "respondent")) if right else ():
            first = first_party(side_text)
            if first and first not in keys and not any(k and (k in first or first in k) for k in keys):
                name = re.split(r",|\(|\s+et al", side_text, maxsplit=1)[0].strip(" .")
                if name and role not in sides_present:
                    named.append(NamedOrganization(name=name, side=role))
        for item in list(named):
            # "OpenAI and Microsoft" is two organizations when each half is one we know.
            halves = re.split(r"\s+(?:and|&)\s+", item.name)
            if len(halves) > 1 and not self.organizations.find(item.name):
                if all(self.organizations.find(h) for h in halves):
                    named.remove(item)
                    named.extend(NamedOrganization(name=h, side=item.side) for h in halves)
        for item in named:
            role = item.side
            if not role:
                key = item.key
                if key and key in org_key(right) or (key and fold(item.name) in right_f):
                    role = "respondent"
                elif key and (key in org_key(left) or fold(item.name) in left_f):
                    role = "claimant"
                else:
                    role = "third_party"
            org = self._organization(item, role=role, copyright=case.is_copyright)
            if org and org.pk not in result:
                result[org.pk] = (
                    org,
                    {"claimant": PartyRole.CLAIMANT, "respondent": PartyRole.RESPONDENT}.get(
                        role, PartyRole.THIRD_PARTY
                    ),
                )
        return list(result.values())

    def _organization(self, item: NamedOrganization, *, role: str, copyright: bool) -> Organization | None:
        org = self.organizations.find(item.name)
        for alias in item.aliases:
            org = org or self.organizations.find(alias)
        if org is None:
            kind = OrganizationKind.OTHER
            if copyright and role == "claimant":
                kind = OrganizationKind.RIGHTS_HOLDER
            elif copyright and role == "respondent":
                kind = OrganizationKind.AI_DEVELOPER
            org = Organization.objects.create(
                kind=kind,
                name=item.name[:300],
                slug=self._org_slug(item.name),
                aliases="\n".join(item.aliases),
                notes="Added from DAIL.",
            )
            self.organizations.add(org)
            return org
        self._add_aliases(org, [item.name, *item.aliases])
        return org

    def _add_aliases(self, org: Organization, names: list[str]) -> None:
        known = {n.casefold() for n in self.organizations.names_of(org)}
        new = [n for n in names if n and n.casefold() not in known]
        if new:
            org.aliases = "\n".join([*(org.aliases or "").splitlines(), *new]).strip()
            org.save(update_fields=["aliases", "updated_at"])
            self.organizations.add(org)

    def _org_slug(self, name: str) -> str:
        base = slugify(name)[:110] or "organization"
        slug, n = base, 1
        while slug in self.org_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.org_slugs.add(slug)
        return slug

    def _court(self, name: str, raw: str) -> Organization:
        """The court as an organization; DAIL's own spelling (``Tokoyo District Court``) is kept as an alias."""
        court = self.organizations.find_court(name) or self.organizations.find_court(raw)
        if court is None:
            court = Organization.objects.create(
                kind=OrganizationKind.COURT,
                name=name[:300],
                slug=self._org_slug(name),
                notes="Added from DAIL.",
            )
            self.organizations.add(court)
        self._add_aliases(court, [raw[:300]] if raw and raw != court.name else [])
        return court

    # --- Events

    def _filing(self, case, dispute, source, written, row, *, claimants, proceeding) -> None:
        if case.filed is None:
            return
        date, precision = case.filed
        mine = written.get("filing")
        event = Event.objects.filter(pk=mine["event"]).first() if mine else None
        if event is None:
            event = self._existing_filing(dispute, date, {docket_key(d.number) for d in case.dockets})
        if event is None:
            event = Event.objects.create(
                kind=EventKind.LAWSUIT,
                date=date,
                date_precision=precision,
                title=f"Filed in {case.court or case.current_court or 'court'}"[:300],
                summary=f"{case.caption} (DAIL record {case.record}).",
                actor=claimants[0] if claimants else None,
                proceeding=proceeding,
            )
            event.disputes.add(dispute)
            written["filing"] = {"event": event.pk, "date": date.isoformat(), "created": True}
        elif mine and mine.get("created") and event.date.isoformat() == mine["date"] and event.date != date:
            event.date, event.date_precision = date, precision
            event.save(update_fields=["date", "date_precision", "updated_at"])
            ReportedDate.objects.filter(
                content_type=self.event_type, object_id=event.pk, source=source
            ).delete()
            row.reasons.append(f"filing date now {date.isoformat()}")
            written["filing"]["date"] = date.isoformat()
        elif event.date != date:
            # Another source says otherwise: keep both, the date shows as disputed.
            for other in event.sources.exclude(pk=source.pk):
                ReportedDate.objects.get_or_create(
                    content_type=self.event_type,
                    object_id=event.pk,
                    field="date",
                    date=event.date,
                    source=other,
                    defaults={"precision": event.date_precision},
                )
            ReportedDate.objects.filter(
                content_type=self.event_type, object_id=event.pk, source=source
            ).exclude(date=date).delete()
            row.conflicts.append(
                f"filing date: DAIL says {date.isoformat()}, the record says {event.date.isoformat()}; both kept (disputed)"
            )
            written["filing"] = {
                "event": event.pk,
                "date": event.date.isoformat(),
                "created": bool(mine and mine.get("created")),
            }
        else:
            written.setdefault("filing", {"event": event.pk, "date": date.isoformat(), "created": False})
        event.sources.add(source)
        ReportedDate.objects.get_or_create(
            content_type=self.event_type,
            object_id=event.pk,
            field="date",
            date=date,
            source=source,
            defaults={
                "precision": precision,
                "note": f"DAIL record {case.record}, export of {self.export_date.isoformat()}",
            },
        )

    def _existing_filing(self, dispute: Dispute, date: dt.date, dockets: set[str]) -> Event | None:
        """The record's own filing event nearest to DAIL's date (within 45 days), if any.

        An event that names another case's docket number (Getty's Delaware complaint, for Getty's English claim)
        is that case's filing, not this one's.
        """
        events = list(dispute.events.filter(kind=EventKind.LAWSUIT))
        near = [
            e
            for e in events
            if abs((e.date - date).days) <= 45
            and not ((named := docket_keys_in(f"{e.title} {e.summary}")) and not named & dockets)
        ]
        return min(near, key=lambda e: abs((e.date - date).days)) if near else None

    def _recent_activity(self, case, dispute, source, written, row) -> None:
        if not case.recent_activity or case.recent_date is None:
            return
        date, precision = case.recent_date
        if case.filed and date == case.filed[0] and re.search(r"complaint|filed", case.recent_activity, re.I):
            return  # the filing itself, already an event
        title = case.recent_activity[:300]
        mine = written.get("recent")
        if mine and (mine["title"], mine["date"]) == (title, date.isoformat()):
            return
        existing = dispute.events.filter(date=date, title=title).first()
        event = existing or Event.objects.create(
            kind=_activity_kind(title),
            date=date,
            date_precision=precision,
            title=title,
            summary=f"The most recent activity DAIL reports (record {case.record}).",
        )
        event.disputes.add(dispute)
        event.sources.add(source)
        written["recent"] = {"event": event.pk, "title": title, "date": date.isoformat()}
        if mine:
            row.reasons.append(f"new most recent activity: {title} ({date.isoformat()})")

    # --- Dockets

    def _dockets(self, case: DailCase, proceeding: Proceeding, row: RowReport) -> None:
        """Each docket row as a docket number of the proceeding; one linked to CourtListener gets a refresh state.

        A docket number already on another proceeding (consolidated cases share one) is linked there once. One the
        record already holds (entered by staff or the demo) gets DAIL's CourtListener link if it has none.
        """
        known = {docket_key(d.number): d for d in proceeding.dockets.all()}
        for docket in case.dockets:
            cl_id = docket.courtlistener_id
            number = (docket.number or (f"CourtListener {cl_id}" if cl_id else ""))[:100]
            if not number:
                continue
            existing = known.get(docket_key(number))
            if existing is not None:
                if (
                    cl_id
                    and not existing.courtlistener_id
                    and not (DocketNumber.objects.filter(courtlistener_id=cl_id).exists())
                ):
                    existing.courtlistener_id = cl_id
                    existing.save(update_fields=["courtlistener_id"])
                    CourtListenerDocket.objects.get_or_create(docket=existing)
                continue
            if cl_id:
                shared = (
                    DocketNumber.objects.filter(courtlistener_id=cl_id).select_related("proceeding").first()
                )
                if shared is not None:
                    if shared.proceeding_id != proceeding.pk:
                        row.problems.append(
                            f"docket {docket.number} is shared with “{shared.proceeding.title}”; linked there once"
                        )
                    continue
            court_text = court_name(docket.court) or docket.court
            court = (
                self._court(court_text, docket.court)
                if court_text and _COURT_WORDS.search(court_text)
                else None
            )
            created = DocketNumber.objects.create(
                proceeding=proceeding,
                number=number,
                court=court if court and court.pk != proceeding.forum_id else None,
                courtlistener_id=cl_id,
                url=docket.link[:1000] if docket.link.startswith(("http://", "https://")) else "",
            )
            known[docket_key(number)] = created
            if cl_id:
                CourtListenerDocket.objects.create(docket=created)

    # --- Proceedings

    def _proceeding_values(self, case: DailCase, forum: Organization | None) -> dict[str, Any]:
        class_action = any(
            item.lower().startswith("yes") for item in parse_list(case.raw.get("Class_Action_list"))
        )
        if case.caption.lower().startswith("in re"):
            kind = ProceedingKind.MDL
        elif class_action:
            kind = ProceedingKind.CLASS_ACTION
        else:
            kind = ProceedingKind.LAWSUIT
        note = case.recent_activity
        if note and case.recent_date:
            note = f"{note} ({case.recent_date[0].isoformat()}, per DAIL)"
        return {
            "title": case.caption[:300],
            "kind": kind,
            "forum": forum,
            "filed_on": case.filed[0] if case.filed else None,
            "filed_precision": case.filed[1] if case.filed else DatePrecision.DAY,
            # DAIL says only "Inactive", not how it ended.
            "status": ProceedingStatus.CLOSED if case.inactive else ProceedingStatus.PENDING,
            "disposition": Disposition.OTHER if case.inactive else Disposition.NONE,
            "status_note": (("Inactive per DAIL. " if case.inactive else "") + note)[:300],
            "summary": case.description,
        }

    @staticmethod
    def _comparable(values: dict[str, Any]) -> dict[str, Any]:
        return {
            k: (v.pk if isinstance(v, Organization) else v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in values.items()
        }

    def _existing_proceeding(self, dispute: Dispute, case: DailCase) -> Proceeding | None:
        keys = {docket_key(d.number) for d in case.dockets if d.number}
        proceedings = list(
            dispute.proceedings.exclude(pk__in=self.imported_proceedings).prefetch_related("dockets")
        )
        for proceeding in proceedings:
            if keys & {docket_key(d.number) for d in proceeding.dockets.all()}:
                return proceeding
        same = [
            p
            for p in proceedings
            if caption_key(p.title) and caption_key(p.title) == caption_key(case.caption)
        ]
        return same[0] if len(same) == 1 else None

    def _proceeding(self, case, dispute, source, written, row, *, parties, forum) -> Proceeding:
        values = self._proceeding_values(case, forum)
        mine = written.get("proceeding")
        proceeding = Proceeding.objects.filter(pk=mine["id"], dispute=dispute).first() if mine else None
        if proceeding is None and not (mine and mine.get("created")):
            proceeding = self._existing_proceeding(dispute, case)
            if proceeding is not None:
                mine = {"id": proceeding.pk, "created": False}
        if proceeding is None:
            proceeding = Proceeding(dispute=dispute, **values)
            proceeding.clean_fields()
            proceeding.clean()
            proceeding.save()
            mine = {"id": proceeding.pk, "created": True, "fields": self._comparable(values)}
            self.imported_proceedings.add(proceeding.pk)
        elif mine.get("created"):
            before, after, changed = mine.get("fields", {}), self._comparable(values), []
            current = self._comparable({name: getattr(proceeding, name) for name in values})
            for name, value in values.items():
                if current[name] == after[name]:
                    continue
                if current[name] != before.get(name) and not self.overwrite:
                    row.conflicts.append(
                        f"proceeding {name}: edited in the record since the last import; kept"
                    )
                    continue
                setattr(proceeding, name, value)
                changed.append(name)
            if changed:
                proceeding.clean_fields()
                proceeding.clean()
                proceeding.save()
                row.reasons.append("proceeding updated: " + ", ".join(changed))
            mine["fields"] = after
        else:
            # The record's own proceeding: fill what it lacks, never change what it has.
            if proceeding.forum_id is None and forum is not None:
                proceeding.forum = forum
                proceeding.save(update_fields=["forum", "updated_at"])
            if case.filed and proceeding.filed_on and proceeding.filed_on != case.filed[0]:
                self._keep_both_dates(
                    proceeding, "filed_on", proceeding.filed_on, proceeding.filed_precision, source
                )
                row.conflicts.append(
                    f"proceeding filed: DAIL says {case.filed[0].isoformat()}, the record says "
                    f"{proceeding.filed_on.isoformat()}; both kept (disputed)"
                )
        written["proceeding"] = mine
        proceeding.sources.add(source)
        if case.filed:
            ReportedDate.objects.get_or_create(
                content_type=self.proceeding_type,
                object_id=proceeding.pk,
                field=RecordDateField.FILED_ON,
                date=case.filed[0],
                source=source,
                defaults={"precision": case.filed[1], "note": f"DAIL record {case.record}"},
            )
            ReportedDate.objects.filter(
                content_type=self.proceeding_type,
                object_id=proceeding.pk,
                field=RecordDateField.FILED_ON,
                source=source,
            ).exclude(date=case.filed[0]).delete()
        roles = {
            PartyRole.CLAIMANT: ProceedingRole.PLAINTIFF,
            PartyRole.RESPONDENT: ProceedingRole.DEFENDANT,
        }
        present = set(proceeding.parties.values_list("organization_id", flat=True))
        for org, role in parties:
            if org.pk not in present:
                ProceedingParty.objects.create(
                    proceeding=proceeding, organization=org, role=roles.get(role, ProceedingRole.THIRD_PARTY)
                )
                present.add(org.pk)
        for cause in case.causes:
            cause_obj = self.causes.get(cause.casefold())
            if cause_obj is None:
                cause_obj = CauseOfAction.objects.filter(name__iexact=cause[:200]).first()
                if cause_obj is None:
                    base = slugify(cause)[:70] or "cause"
                    slug, n = base, 1
                    while CauseOfAction.objects.filter(slug=slug).exists():
                        n += 1
                        slug = f"{base}-{n}"
                    cause_obj = CauseOfAction.objects.create(name=cause[:200], slug=slug)
                self.causes[cause.casefold()] = cause_obj
            Claim.objects.get_or_create(proceeding=proceeding, cause=cause_obj)
        return proceeding

    def _keep_both_dates(self, record, field_name, date, precision, dail_source) -> None:
        """Before DAIL's date joins a record's date field, the record's own sources are written down for its date."""
        content_type = ContentType.objects.get_for_model(record)
        for other in record.sources.exclude(pk=dail_source.pk):
            ReportedDate.objects.get_or_create(
                content_type=content_type,
                object_id=record.pk,
                field=field_name,
                date=date,
                source=other,
                defaults={"precision": precision},
            )


def _activity_kind(title: str) -> str:
    lowered = title.lower()
    if re.search(r"settle", lowered):
        return EventKind.SETTLEMENT
    if re.search(r"order|ruling|opinion|judgment|dismiss|granted|denied|verdict", lowered):
        return EventKind.RULING
    if re.search(r"filed|motion|complaint|brief|answer|appeal", lowered):
        return EventKind.FILING
    return EventKind.OTHER


def _host(url: str) -> str:
    match = re.match(r"https?://(?:www\.)?([^/]+)", url)
    return match.group(1)[:200] if match else ""


__all__ = ["DailCase", "DailExport", "DailImportReport", "ImportFileError", "dail_import", "dail_read"]
