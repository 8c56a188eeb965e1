"""The rights-holder × AI-developer matrix: for each pair, the disputes, letters, opt-out requests and licences
between them. Who licensed, who objected, who sued whom.

A dispute pairs each organization on the claimant side (claimant, or on whose behalf) with each respondent; a letter
pairs its sender (and those it was sent for) with its recipient; an opt-out request its requester with the AI
developer; a licence its rights holder with its licensee. With ``members`` an association's part also counts for
each of its current members, marked as coming through the association (CODA's members against OpenAI). Six queries
whatever the size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q

from disputes.models import (
    DemandLetter,
    DisputeParty,
    Licence,
    Membership,
    OptOutRequest,
    Organization,
    PartyRole,
)

HOLDERS_PER_PAGE = 40
MAX_COLUMNS = 16
CLAIMANT_SIDE = (PartyRole.CLAIMANT, PartyRole.ON_BEHALF_OF)
KINDS = ("disputes", "letters", "opt_outs", "licences")


@dataclass
class Pair:
    holder: Organization
    developer: Organization
    disputes: dict[int, object] = field(default_factory=dict)
    letters: dict[int, object] = field(default_factory=dict)
    opt_outs: dict[int, object] = field(default_factory=dict)
    licences: dict[int, object] = field(default_factory=dict)
    via: set[str] = field(default_factory=set)

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
    pairs: list[Pair]
    developers: list[Organization]
    more_developers: int
    page: Page
    rows: list[MatrixRow]
    totals: dict[str, int]


def _matches(org: Organization, text: str) -> bool:
    text = text.casefold()
    return any(
        text in (name or "").casefold()
        for name in (org.name, org.short_name, org.name_original, org.name_ja, org.short_name_ja, org.aliases)
    )


def matrix_pairs(
    *,
    q: str = "",
    holder: str = "",
    developer: str = "",
    product: str = "",
    has: str = "",
    members: bool = True,
) -> list[Pair]:
    """Every pair with at least one dispute, letter, opt-out request or licence, filtered, sorted by holder name."""
    pairs: dict[tuple[int, int], Pair] = {}
    orgs: dict[int, Organization] = {}

    def add(holder_org, developer_org, kind: str, obj, via: str = "") -> None:
        if holder_org is None or developer_org is None or holder_org.pk == developer_org.pk:
            return
        orgs.setdefault(holder_org.pk, holder_org)
        orgs.setdefault(developer_org.pk, developer_org)
        pair = pairs.get((holder_org.pk, developer_org.pk))
        if pair is None:
            pair = pairs[(holder_org.pk, developer_org.pk)] = Pair(holder_org, developer_org)
        getattr(pair, kind)[obj.pk] = obj
        if via:
            pair.via.add(via)

    members_of: dict[int, list[Organization]] = defaultdict(list)
    if members:
        for membership in Membership.objects.current().select_related("member", "association"):
            members_of[membership.association_id].append(membership.member)

    def add_with_members(holder_org, developer_org, kind, obj) -> None:
        add(holder_org, developer_org, kind, obj)
        for member in members_of.get(holder_org.pk, ()):
            add(member, developer_org, kind, obj, via=holder_org.display_name)

    product_q = Q(products__slug=product) if product else Q()
    parties = DisputeParty.objects.select_related("organization", "dispute")
    if product:
        parties = parties.filter(dispute__products__slug=product)
    by_dispute: dict[int, dict[str, list]] = defaultdict(lambda: {"claimants": [], "respondents": []})
    for party in parties:
        if party.role in CLAIMANT_SIDE:
            by_dispute[party.dispute_id]["claimants"].append(party)
        elif party.role == PartyRole.RESPONDENT:
            by_dispute[party.dispute_id]["respondents"].append(party)
    for sides in by_dispute.values():
        for claimant in sides["claimants"]:
            for respondent in sides["respondents"]:
                add_with_members(claimant.organization, respondent.organization, "disputes", claimant.dispute)

    letters = (
        DemandLetter.objects.filter(product_q)
        .select_related("sender", "recipient", "dispute")
        .prefetch_related("on_behalf_of")
        .distinct()
    )
    for letter in letters:
        for sender in [letter.sender, *letter.on_behalf_of.all()]:
            add_with_members(sender, letter.recipient, "letters", letter)

    opt_outs = OptOutRequest.objects.select_related("requester", "ai_developer", "product")
    if product:
        opt_outs = opt_outs.filter(product__slug=product)
    for request in opt_outs:
        add_with_members(request.requester, request.ai_developer, "opt_outs", request)

    licences = (
        Licence.objects.filter(ai_developer__isnull=False)
        .filter(product_q)
        .select_related("rights_holder", "ai_developer")
    )
    for licence in licences.distinct():
        add(licence.rights_holder, licence.ai_developer, "licences", licence)

    result = []
    for pair in pairs.values():
        if holder and pair.holder.slug != holder:
            continue
        if developer and pair.developer.slug != developer:
            continue
        if q and not (_matches(pair.holder, q) or _matches(pair.developer, q)):
            continue
        if has and not pair.has(has):
            continue
        result.append(pair)
    result.sort(key=lambda p: (p.holder.name.casefold(), p.developer.name.casefold()))
    return result


def licence_matrix(*, page: int = 1, **filters) -> Matrix:
    pairs = matrix_pairs(**filters)
    activity: dict[int, int] = defaultdict(int)
    developers: dict[int, Organization] = {}
    for pair in pairs:
        activity[pair.developer.pk] += 1
        developers[pair.developer.pk] = pair.developer
    ranked = sorted(developers.values(), key=lambda d: (-activity[d.pk], d.name.casefold()))
    columns = ranked[:MAX_COLUMNS]
    by_holder: dict[int, list[Pair]] = defaultdict(list)
    holders: dict[int, Organization] = {}
    for pair in pairs:
        by_holder[pair.holder.pk].append(pair)
        holders[pair.holder.pk] = pair.holder
    holder_list = sorted(holders.values(), key=lambda h: h.name.casefold())
    paginator = Paginator(holder_list, HOLDERS_PER_PAGE)
    page_obj = paginator.get_page(page)
    rows = []
    for holder_org in page_obj.object_list:
        cells_by_dev = {p.developer.pk: p for p in by_holder[holder_org.pk]}
        rows.append(
            MatrixRow(
                holder=holder_org,
                cells=[cells_by_dev.get(d.pk) for d in columns],
                pairs=by_holder[holder_org.pk],
            )
        )
    totals = {kind: sum(1 for p in pairs if getattr(p, kind)) for kind in KINDS}
    totals["pairs"] = len(pairs)
    return Matrix(
        pairs=pairs,
        developers=columns,
        more_developers=max(0, len(ranked) - len(columns)),
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
            ", ".join(sorted(pair.via)),
            "; ".join(d.title for d in pair.disputes.values()),
            "; ".join(str(letter) for letter in pair.letters.values()),
            "; ".join(str(o) for o in pair.opt_outs.values()),
            "; ".join(str(licence) for licence in pair.licences.values()),
        )
