"""The disputes list: one row per dispute with its counts and latest activity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from disputes.dashboard.forms import PageRequest
from disputes.filters.dashboard import STAGE_ORDER, DisputeFilterSet
from disputes.models import (
    AIProduct,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
)

DISPUTES_PER_PAGE = 25


# --- Disputes list ----------------------------------------------------------------------------------------


def dispute_list(*, now: dt.datetime | None = None) -> QuerySet:
    """Disputes with what a list row shows: stage, parties, products, counts, next deadline, overdue flag.

    The counts are correlated subqueries rather than joins, so a dispute with many events does not multiply
    rows. Apply it to one page of disputes (see ``dispute_list_page``); ``last_activity`` is added there.
    """
    now = now or timezone.now()

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
            has_overdue=Exists(DemandLetter.objects.overdue(at=now).filter(dispute=OuterRef("pk"))),
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

    The filtered ids are sorted and paged first (one narrow query; the latest activity is stored and indexed,
    see ``models.activity``); only the page's 25 disputes get the row annotations and prefetches.
    """
    now = now or timezone.now()
    invalid = not filterset.is_valid()
    sort = (filterset.form.cleaned_data.get("sort") if not invalid else None) or "activity"
    ids = [] if invalid else list(SQL_SORTS[sort](filterset.qs).values_list("pk", flat=True))

    paginator = Paginator(ids, DISPUTES_PER_PAGE)
    notice = page.problem
    number = page.number
    if number > paginator.num_pages:
        notice = "past-the-end"
        number = paginator.num_pages
    shown = paginator.page(number)
    page_ids = list(shown.object_list)
    by_id = {dispute.pk: dispute for dispute in dispute_list(now=now).filter(pk__in=page_ids)}
    disputes = [by_id[pk] for pk in page_ids if pk in by_id]
    shown.object_list = disputes
    return DisputeListPage(
        filterset=filterset, page=shown, notice=notice, invalid=invalid, asked_page=page.number
    )
