"""The rights-holder × AI-developer matrix: for each pair, the disputes, letters, opt-out requests and licences
between them. Who licensed, who objected, who sued whom.

A dispute pairs each organization on the claimant side (claimant, or on whose behalf) with each respondent; a letter
pairs its sender (and those it was sent for) with its recipient; an opt-out request its requester with the AI
developer; a licence its rights holder with its licensee. With ``members`` an association's part also counts for
each of its current members, marked as coming through the association (CODA's members against OpenAI).

The pairs are found from ids alone (narrow queries, no model instances) and ordered by the organizations' names
(read as plain values); only the organizations a page shows are then loaded, and the disputes and licences of
that page's rows; a fixed number of queries whatever the size, and no model instance per letter or per pair
off the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from disputes.core.kept import kept_result
from disputes.models import (
    DemandLetter,
    Dispute,
    DisputeParty,
    Licence,
    Membership,
    OptOutRequest,
    Organization,
    PartyRole,
    current_generation,
)
from disputes.models.letters import LetterOnBehalf

HOLDERS_PER_PAGE = 40
MAX_COLUMNS = 16
CLAIMANT_SIDE = (PartyRole.CLAIMANT, PartyRole.ON_BEHALF_OF)
KINDS = ("disputes", "letters", "opt_outs", "licences")
KIND_INDEX = {kind: index for index, kind in enumerate(KINDS)}


@dataclass
class Pair:
    """A rights holder and an AI developer, and what is between them. The organizations themselves
    (``holder``, ``developer``, ``via``) are loaded only for the pairs shown (``_add_organizations``)."""

    holder_id: int
    developer_id: int
    disputes: dict[int, object] = field(default_factory=dict)
    letters: dict[int, object] = field(default_factory=dict)
    opt_outs: dict[int, object] = field(default_factory=dict)
    licences: dict[int, object] = field(default_factory=dict)
    via_ids: tuple[int, ...] = ()  # the associations the pair comes through (``members``)
    holder: Organization = cast(Organization, None)
    developer: Organization = cast(Organization, None)
    via: tuple[Organization, ...] = ()

    @property
    def via_names(self) -> list[str]:
        """The associations' names in the reader's language (a kept matrix serves every reader)."""
        return sorted(organization.display_name for organization in self.via)

    @property
    def total(self) -> int:
        return sum(len(getattr(self, kind)) for kind in KINDS)

    def has(self, kind: str) -> bool:
        if kind == "licensed_and_disputed":
            return bool(self.licences) and bool(self.disputes or self.letters or self.opt_outs)
        return bool(getattr(self, kind, None))


@dataclass
class MatrixRow:
    holder: Organization
    cells: list[Pair | None]
    pairs: list[Pair]


@dataclass
class Matrix:
    developers: list[Organization]
    more_developers: int
    page: Page  # of holders; its paginator counts them without holding them
    rows: list[MatrixRow]
    totals: dict[str, int]

    @property
    def shown_pairs(self) -> list[Pair]:
        """The pairs of the holders on this page."""
        return [pair for row in self.rows for pair in row.pairs]


def matrix_pairs(**filters) -> list[Pair]:
    """Every pair with at least one dispute, letter, opt-out request or licence, filtered, sorted by holder name,
    with their organizations, disputes, letters, opt-out requests and licences loaded (for the spreadsheet)."""
    pairs, _ = _find_pairs(**filters)
    _add_organizations(pairs)
    hydrate_pairs(pairs, letters=True)
    return pairs


def _find_pairs(
    *,
    q: str = "",
    holder: str = "",
    developer: str = "",
    product: str = "",
    has: str = "",
    members: bool = True,
) -> tuple[list[Pair], dict[int, str]]:
    """Every pair, filtered, sorted by holder name, as ids (what is between them is ids mapped to None until
    ``hydrate_pairs``), and the sort names of their organizations (``_names``)."""
    pairs: dict[tuple[int, int], Pair] = {}
    found: dict[tuple[int, int], tuple[list[int], ...]] = {}  # per pair, the ids of each kind (KINDS' order)
    via_ids: dict[tuple[int, int], set[int]] = defaultdict(set)

    def add(holder_id, developer_id, kind: str, pk: int, via: int | None = None) -> None:
        if holder_id is None or developer_id is None or holder_id == developer_id:
            return
        key = (holder_id, developer_id)
        kinds = found.get(key)
        if kinds is None:
            kinds = found[key] = ([], [], [], [])
        kinds[KIND_INDEX[kind]].append(pk)
        if via is not None:
            via_ids[key].add(via)

    members_of: dict[int, list[int]] = defaultdict(list)
    if members:
        for association_id, member_id in Membership.objects.current().values_list(
            "association_id", "member_id"
        ):
            members_of[association_id].append(member_id)

    def add_with_members(holder_id, developer_id, kind, pk) -> None:
        add(holder_id, developer_id, kind, pk)
        for member_id in members_of.get(holder_id, ()):
            add(member_id, developer_id, kind, pk, via=holder_id)

    parties = DisputeParty.objects.filter(organization__isnull=False)
    if product:
        parties = parties.filter(dispute__products__slug=product)
    by_dispute: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"claimants": [], "respondents": []})
    for dispute_id, organization_id, role in parties.values_list("dispute_id", "organization_id", "role"):
        if role in CLAIMANT_SIDE:
            by_dispute[dispute_id]["claimants"].append(organization_id)
        elif role == PartyRole.RESPONDENT:
            by_dispute[dispute_id]["respondents"].append(organization_id)
    for dispute_id, sides in by_dispute.items():
        for claimant in sides["claimants"]:
            for respondent in sides["respondents"]:
                add_with_members(claimant, respondent, "disputes", dispute_id)

    letters = DemandLetter.objects.all()
    if product:
        letters = letters.filter(products__slug=product)
    recipients: dict[int, int] = {}
    for pk, sender_id, recipient_id in letters.values_list("pk", "sender_id", "recipient_id").distinct():
        recipients[pk] = recipient_id
        add_with_members(sender_id, recipient_id, "letters", pk)
    on_behalf = LetterOnBehalf.objects.filter(letter__in=letters.values("pk"))
    for letter_id, organization_id in on_behalf.values_list("letter_id", "organization_id"):
        if letter_id in recipients:
            add_with_members(organization_id, recipients[letter_id], "letters", letter_id)

    opt_outs = OptOutRequest.objects.all()
    if product:
        opt_outs = opt_outs.filter(product__slug=product)
    for pk, requester_id, developer_id in opt_outs.values_list("pk", "requester_id", "ai_developer_id"):
        add_with_members(requester_id, developer_id, "opt_outs", pk)

    licences = Licence.objects.filter(ai_developer__isnull=False)
    if product:
        licences = licences.filter(products__slug=product)
    for pk, holder_id, developer_id in licences.values_list(
        "pk", "rights_holder_id", "ai_developer_id"
    ).distinct():
        add(holder_id, developer_id, "licences", pk)

    wanted = set(found)
    if holder:
        wanted = {
            key for key in wanted if key[0] in _ids(Organization.objects.filter(slug=holder).values("pk"))
        }
    if developer:
        developer_ids = _ids(Organization.objects.filter(slug=developer).values("pk"))
        wanted = {key for key in wanted if key[1] in developer_ids}
    if q:
        matching = _ids(Organization.objects.search(q).values("pk"))
        wanted = {key for key in wanted if key[0] in matching or key[1] in matching}
    names = _names()
    for key in wanted:
        disputes, letters_, opt_outs_, licences_ = found[key]
        vias = via_ids.get(key)
        pair = Pair(
            key[0],
            key[1],
            disputes=dict.fromkeys(disputes) if disputes else {},
            letters=dict.fromkeys(letters_) if letters_ else {},
            opt_outs=dict.fromkeys(opt_outs_) if opt_outs_ else {},
            licences=dict.fromkeys(licences_) if licences_ else {},
            via_ids=tuple(sorted(vias)) if vias else (),
        )
        if has and not pair.has(has):
            continue
        pairs[key] = pair
    return sorted(pairs.values(), key=lambda p: (names[p.holder_id], names[p.developer_id])), names


def _names() -> dict[int, str]:
    """What the matrix sorts organizations by (the English name, case folded), for every organization as plain
    values: one narrow read, cheaper than naming thousands of ids in the query."""
    return {pk: name.casefold() for pk, name in Organization.objects.values_list("pk", "name")}


SHOWN_FIELDS = ("pk", "slug", *Organization.NAME_FIELDS, "aliases", "kind")


def _add_organizations(pairs: list[Pair], also: Iterable[int] = ()) -> dict[int, Organization]:
    """Load the organizations of ``pairs`` (and those of ``also``) in one query and set them on each pair."""
    ids = {pk for pair in pairs for pk in (pair.holder_id, pair.developer_id, *pair.via_ids)} | set(also)
    orgs = Organization.objects.only(*SHOWN_FIELDS).in_bulk(ids) if ids else {}
    for pair in pairs:
        pair.holder, pair.developer = orgs[pair.holder_id], orgs[pair.developer_id]
        pair.via = tuple(orgs[pk] for pk in pair.via_ids)
    return orgs


def _ids(queryset: QuerySet) -> set[int]:
    return {row["pk"] for row in queryset}


def hydrate_pairs(pairs: list[Pair], *, letters: bool = False) -> None:
    """Load the disputes and licences (and with ``letters`` the letters and opt-out requests) of ``pairs``: one
    query per kind."""
    loaders = {
        "disputes": Dispute.objects.only("pk", "title", "title_ja", "slug"),
        "licences": Licence.objects.select_related("rights_holder", "ai_developer"),
    }
    if letters:
        loaders["letters"] = DemandLetter.objects.select_related("sender", "recipient")
        loaders["opt_outs"] = OptOutRequest.objects.select_related("requester", "ai_developer", "product")
    for kind, queryset in loaders.items():
        ids = {pk for pair in pairs for pk in getattr(pair, kind)}
        if not ids:
            continue
        loaded = queryset.in_bulk(ids)
        for pair in pairs:
            values = getattr(pair, kind)
            for pk in values:
                values[pk] = loaded.get(pk)


def licence_matrix(*, page: int = 1, **filters) -> Matrix:
    """One page of the matrix (holders in rows, the most active developers in columns). Built from every pair,
    which depends on the record alone: kept for the record's generation (``core.kept``), so only the
    page's disputes and licences are loaded on each request."""
    matrix = kept_result(
        "licence-matrix", current_generation(), {"page": page, **filters}, lambda: _build(page, filters)
    )
    hydrate_pairs(matrix.shown_pairs)
    return matrix


def _build(page: int, filters: dict) -> Matrix:
    pairs, names = _find_pairs(**filters)
    activity: dict[int, int] = defaultdict(int)
    for pair in pairs:
        activity[pair.developer_id] += 1
    ranked = sorted(activity, key=lambda pk: (-activity[pk], names[pk]))
    column_ids = ranked[:MAX_COLUMNS]
    by_holder: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_holder[pair.holder_id].append(pair)
    holder_ids = sorted(by_holder, key=lambda pk: names[pk])
    # The page of holders, with a paginator over their count alone (what the pagination links need).
    page_obj = Paginator(range(len(holder_ids)), HOLDERS_PER_PAGE).get_page(page)
    shown = holder_ids[page_obj.start_index() - 1 : page_obj.end_index()] if holder_ids else []
    shown_pairs = [pair for pk in shown for pair in by_holder[pk]]
    orgs = _add_organizations(shown_pairs, also=column_ids)
    page_obj.object_list = cast(Any, [orgs[pk] for pk in shown])  # the page's holders, for the template
    rows = []
    for holder_id in shown:
        cells_by_dev = {p.developer_id: p for p in by_holder[holder_id]}
        rows.append(
            MatrixRow(
                holder=orgs[holder_id],
                cells=[cells_by_dev.get(pk) for pk in column_ids],
                pairs=by_holder[holder_id],
            )
        )
    totals = dict.fromkeys(KINDS, 0)
    for pair in pairs:
        for kind in KINDS:
            if getattr(pair, kind):
                totals[kind] += 1
    totals["pairs"] = len(pairs)
    return Matrix(
        developers=[orgs[pk] for pk in column_ids],
        more_developers=max(0, len(ranked) - len(column_ids)),
        page=page_obj,
        rows=rows,
        totals=totals,
    )


MATRIX_CSV_COLUMNS = (
    "rights_holder",
    "ai_developer",
    "through",
    "disputes",
    "letters",
    "opt_out_requests",
    "licences",
)


def matrix_csv_rows(pairs) -> Iterator[tuple[str, ...]]:
    """The matrix as spreadsheet rows: a header, then one row per pair (the view makes each cell safe)."""
    yield MATRIX_CSV_COLUMNS
    for pair in pairs:
        yield (
            pair.holder.name,
            pair.developer.name,
            ", ".join(pair.via_names),
            "; ".join(d.title for d in pair.disputes.values()),
            "; ".join(str(letter) for letter in pair.letters.values()),
            "; ".join(str(o) for o in pair.opt_outs.values()),
            "; ".join(str(licence) for licence in pair.licences.values()),
        )
