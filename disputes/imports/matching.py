"""Find what is already in the record: organizations by any of their names, courts, and disputes by docket or caption.

The indexes are built once per import from the database and kept up to date as the import adds rows, so matching a
case costs no query. A key that points at two different rows is ambiguous and matches nothing: a wrong merge is
worse than a duplicate an editor can merge by hand.
"""

from __future__ import annotations

from collections import defaultdict

from disputes.models import (
    Dispute,
    DocketNumber,
    ImportedRecord,
    ImportSource,
    Organization,
    OrganizationKind,
)

from .normalise import caption_key, court_key, docket_key, docket_keys_in, org_key

# First words too common to identify an organization on their own.
_GENERIC_FIRST_WORDS = {
    "american",
    "national",
    "new",
    "global",
    "united",
    "international",
    "record",
    "recording",
    "universal",
    "general",
    "first",
    "digital",
    "media",
    "open",
    "north",
    "south",
    "east",
    "west",
    "us",
    "uk",
    "china",
}


class OrganizationIndex:
    """Organizations by the comparable key of their name, short name, original name and every alias."""

    def __init__(self) -> None:
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.courts: dict[str, set[int]] = defaultdict(set)
        self.objects: dict[int, Organization] = {}
        for org in Organization.objects.all():
            self.add(org)

    def names_of(self, org: Organization) -> list[str]:
        names = [org.name, org.short_name, org.name_original]
        names += [line.strip() for line in (org.aliases or "").splitlines()]
        return [n for n in names if n]

    def add(self, org: Organization) -> None:
        self.objects[org.pk] = org
        for name in self.names_of(org):
            key = org_key(name)
            if key:
                self.by_key[key].add(org.pk)
            if org.kind == OrganizationKind.COURT:
                self.courts[court_key(name)].add(org.pk)

    def find(self, name: str) -> Organization | None:
        key = org_key(name)
        if not key:
            return None
        found = self._best(self.by_key.get(key, set()), name)
        if found:
            return found
        # "Meta Platforms Ireland" or "OpenAI Global" against a one-word organization "Meta"/"OpenAI".
        words = key.split()
        first = words[0]
        if len(first) >= 4 and first not in _GENERIC_FIRST_WORDS and len(words) <= 3 and "and" not in words:
            return self._one(self.by_key.get(first, set()))
        return None

    def find_court(self, name: str) -> Organization | None:
        key = court_key(name)
        return self._one(self.courts.get(key, set())) if key else None

    def _best(self, ids: set[int], name: str) -> Organization | None:
        """One organization for a key several share: the one of that very name, else the one whose own name (not an
        alias) has that key; None when that still leaves a choice."""
        if len(ids) <= 1:
            return self._one(ids)
        orgs = sorted((self.objects[i] for i in ids), key=lambda o: o.pk)
        exact = [o for o in orgs if o.name.casefold() == name.strip().casefold()]
        if exact:
            return exact[0]
        own = [o for o in orgs if org_key(o.name) == org_key(name)]
        return own[0] if len(own) == 1 else None

    def _one(self, ids: set[int]) -> Organization | None:
        return self.objects[next(iter(ids))] if len(ids) == 1 else None


class DisputeIndex:
    """The record's own disputes by docket number and by caption, and the disputes earlier imports wrote."""

    def __init__(self) -> None:
        imported = ImportedRecord.objects.filter(source=ImportSource.DAIL_CASE)
        self.by_record: dict[str, int] = {r.key: r.dispute_id for r in imported if r.dispute_id}
        created_by_import = {r.dispute_id for r in imported if r.dispute_id and not r.matched}
        self.by_docket: dict[str, set[int]] = defaultdict(set)
        self.by_caption: dict[str, set[int]] = defaultdict(set)
        self.by_short_caption: dict[str, set[int]] = defaultdict(set)
        self.parties: dict[int, set[int]] = defaultdict(set)
        self.objects: dict[int, Dispute] = {}
        disputes = Dispute.objects.exclude(pk__in=created_by_import).prefetch_related("parties")
        for dispute in disputes:
            self.objects[dispute.pk] = dispute
            for key in docket_keys_in(dispute.case_numbers):
                self.by_docket[key].add(dispute.pk)
            if caption_key(dispute.title):
                self.by_caption[caption_key(dispute.title)].add(dispute.pk)
                self.by_short_caption[caption_key(dispute.title, short=True)].add(dispute.pk)
            self.parties[dispute.pk] = {p.organization_id for p in dispute.parties.all()}
        dockets = DocketNumber.objects.exclude(proceeding__dispute_id__in=created_by_import).values_list(
            "number", "proceeding__dispute_id"
        )
        for number, dispute_id in dockets:
            if dispute_id in self.objects and docket_key(number):
                self.by_docket[docket_key(number)].add(dispute_id)

    def match(
        self, *, record: str, dockets: list[str], caption: str, party_ids: set[int]
    ) -> tuple[int | None, str]:
        """The dispute this case belongs to (or None) and how it was found, in order of trust."""
        if record in self.by_record:
            return self.by_record[record], "imported before"
        candidates = set()
        for number in dockets:
            ids = self.by_docket.get(docket_key(number), set())
            if len(ids) == 1:
                candidates |= ids
        if len(candidates) == 1:
            return next(iter(candidates)), "docket number"
        ids = self.by_caption.get(caption_key(caption), set())
        if len(ids) == 1:
            return next(iter(ids)), "caption"
        ids = {
            i
            for i in self.by_short_caption.get(caption_key(caption, short=True), set())
            if self.parties[i] & party_ids
        }
        if len(ids) == 1:
            return next(iter(ids)), "caption and parties"
        return None, ""
