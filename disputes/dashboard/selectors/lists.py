"""The disputes list: one row per dispute with its counts and latest activity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from disputes.core.kept import Fragments, Kept, kept_result
from disputes.dashboard.forms import PageRequest
from disputes.filters.dashboard import STAGE_ORDER, DisputeFilterSet
from disputes.models import (
    AIProduct,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    current_generation,
)

DISPUTES_PER_PAGE = 25


# --- Disputes list ----------------------------------------------------------------------------------------


def dispute_list() -> QuerySet:
    """Disputes with what a list row shows: stage, parties, products, counts, next deadline.

    The counts are correlated subqueries rather than joins, so a dispute with many events does not multiply
    rows. Apply it to one page of disputes (see ``dispute_list_page``, which adds "overdue").
    """

    def count(queryset, group: str):
        return Coalesce(
            Subquery(
                queryset.order_by().values(group).annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    return (
        Dispute.objects.prefetch_related(
            "jurisdictions",
            Prefetch("parties", queryset=DisputeParty.objects.select_related("organization")),
            Prefetch("products", queryset=AIProduct.objects.select_related("developer")),
        )
        .annotate(
            letter_count=count(DemandLetter.objects.filter(dispute=OuterRef("pk")), "dispute"),
            event_count=count(Event.disputes.through.objects.filter(dispute=OuterRef("pk")), "dispute"),
            next_deadline=F("next_deadline_at"),  # stored, see models.activity
        )
        .order_by("title")
    )


SQL_SORTS = {
    # The stored sort key of the latest activity, indexed with the title: the page's ids come off the index.
    "activity": lambda qs: qs.order_by(F("last_activity_sort").desc(nulls_last=True), "title", "pk"),
    # The stored next deadline (models.activity), indexed with the title (migration 0019).
    "deadline": lambda qs: qs.order_by(F("next_deadline_at").asc(nulls_last=True), "title", "pk"),
    "title": lambda qs: qs.order_by("title", "pk"),
    "stage": lambda qs: qs.annotate(stage_order=STAGE_ORDER).order_by("stage_order", "title", "pk"),
}


@dataclass
class DisputeRow:
    """A row of the list: the dispute with its annotations, or its kept HTML (``kept.html``, then ``obj`` is
    None). A row's HTML depends on the clock only through "overdue", which is part of its key."""

    kept: Kept
    obj: Dispute | None = None


@dataclass
class DisputeListPage:
    filterset: DisputeFilterSet
    page: Page
    notice: str = ""  # "not-a-number" or "past-the-end", for the view to turn into a message
    invalid: bool = False
    asked_page: int = 1


def dispute_list_page(
    *, filterset: DisputeFilterSet, page: PageRequest, now: dt.datetime | None = None
) -> DisputeListPage:
    """One page of the filtered, sorted disputes list. Invalid filters give an empty page, never every row.

    The filtered ids are sorted and paged first (one narrow query; the latest activity and the next deadline are
    stored and indexed, see ``models.activity``); then which of the page's disputes are overdue, and the rows
    not kept rendered (``core.kept``) get the row annotations and prefetches.
    """
    now = now or timezone.now()
    invalid = not filterset.is_valid()
    sort = (filterset.form.cleaned_data.get("sort") if not invalid else None) or "activity"
    generation = current_generation()
    if invalid:
        ids: list[int] = []
    elif filterset.form.cleaned_data.get("overdue"):  # moves with the clock: never kept
        ids = list(SQL_SORTS[sort](filterset.qs).values_list("pk", flat=True))
    else:
        # Kept for the record's generation (core.kept): the pages of one search run it once.
        ids = kept_result(
            "dispute-ids",
            generation,
            filterset.form.cleaned_data,
            lambda: list(SQL_SORTS[sort](filterset.qs).values_list("pk", flat=True)),
        )

    paginator = Paginator(ids, DISPUTES_PER_PAGE)
    notice = page.problem
    number = page.number
    if number > paginator.num_pages:
        notice = "past-the-end"
        number = paginator.num_pages
    shown = paginator.page(number)
    page_ids = list(shown.object_list)
    # The rows kept rendered (under the disputes' "overdue" now) come from the cache; only the others are loaded.
    overdue = (
        set(
            DemandLetter.objects.overdue(at=now)
            .filter(dispute__in=page_ids)
            .values_list("dispute", flat=True)
        )
        if page_ids
        else set()
    )
    fragments = Fragments.current("dispute-row", generation)
    names = {pk: f"{pk}-overdue" if pk in overdue else str(pk) for pk in page_ids}
    kept = fragments.get_many(names.values())
    missing = [pk for pk in page_ids if names[pk] not in kept]
    by_id = {dispute.pk: dispute for dispute in dispute_list().filter(pk__in=missing)} if missing else {}
    for dispute in by_id.values():
        dispute.has_overdue = dispute.pk in overdue
    shown.object_list = cast(
        Any,
        [
            DisputeRow(Kept(fragments, names[pk], kept[names[pk]][1]))
            if names[pk] in kept
            else DisputeRow(Kept(fragments, names[pk]), by_id[pk])
            for pk in page_ids
            if names[pk] in kept or pk in by_id
        ],
    )
    return DisputeListPage(
        filterset=filterset, page=shown, notice=notice, invalid=invalid, asked_page=page.number
    )
