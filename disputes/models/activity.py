"""Each dispute's latest activity (the latest event, letter or response on it) and next deadline (the earliest
deadline among its open letters that no sincere response has answered), stored on the dispute.

The disputes list sorts on it (through an index) instead of aggregating every event, letter and response on
every request. It is kept as the records' own sort key (``date_sort``), so a month-only date counts after the
dated records of its month and is shown at its precision. It is refreshed when one of those records is saved
(``derived.TimelineRecord``), deleted (``derived``) or an event is linked to or unlinked from disputes
(``events._links_changed``); ``manage.py refresh_activity`` recomputes every dispute. The "by deadline" order
of the disputes list reads the next deadline the same way, through its own index.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db.models import Max, Min

from .common import partial_date_from_sort_key
from .generation import record_changed


def refresh_last_activity(dispute_ids: Iterable[int], *, apps=None) -> int:
    """Store the latest activity of these disputes. Three grouped queries and one update; returns how many
    disputes changed. ``apps`` is for migrations."""
    ids = list(dispute_ids)
    if not ids:
        return 0
    apps = apps or global_apps
    Dispute = apps.get_model("disputes", "Dispute")
    event_links = apps.get_model("disputes", "Event").disputes.through
    letters = apps.get_model("disputes", "DemandLetter")
    responses = apps.get_model("disputes", "Response")
    queries = [
        event_links.objects.filter(dispute__in=ids)
        .values_list("dispute")
        .annotate(key=Max("event__date_sort")),
        letters.objects.filter(dispute__in=ids).values_list("dispute").annotate(key=Max("date_sort")),
        responses.objects.filter(letter__dispute__in=ids)
        .values_list("letter__dispute")
        .annotate(key=Max("date_sort")),
    ]
    latest: dict[int, int] = {}
    for query in queries:
        for dispute_id, key in query.order_by():
            if key and key > latest.get(dispute_id, 0):
                latest[dispute_id] = key
    changed = []
    for dispute in Dispute.objects.filter(pk__in=ids).only(
        "pk", "last_activity_sort", "last_activity_on", "last_activity_precision"
    ):
        key = latest.get(dispute.pk)
        if dispute.last_activity_sort != key:
            day, precision = partial_date_from_sort_key(key)
            dispute.last_activity_sort, dispute.last_activity_on = key, day
            dispute.last_activity_precision = precision
            changed.append(dispute)
    Dispute.objects.bulk_update(
        changed, ["last_activity_sort", "last_activity_on", "last_activity_precision"], batch_size=1000
    )
    if changed and apps is global_apps:
        record_changed()  # written in bulk, without signals: the kept pages that show it are retired
    return len(changed)


def refresh_next_deadline(dispute_ids: Iterable[int], *, apps=None) -> int:
    """Store the next deadline of these disputes: the earliest deadline of their open letters that no sincere
    response answers (overdue ones included), by ``DemandLetterQuerySet.open().unanswered()``. One grouped
    query and one update; returns how many disputes changed. ``apps`` is for migrations."""
    ids = list(dispute_ids)
    if not ids:
        return 0
    apps = apps or global_apps
    Dispute = apps.get_model("disputes", "Dispute")
    # The letters' own QuerySet class (with its rules: open, unanswered), also over a migration's historical model.
    letter_queryset = type(global_apps.get_model("disputes", "DemandLetter").objects.all())
    letters = letter_queryset(model=apps.get_model("disputes", "DemandLetter"))
    pending = letters.filter(dispute__in=ids, response_deadline_at__isnull=False).open().unanswered()
    earliest = dict(
        pending.order_by()
        .values_list("dispute")
        .annotate(first=Min("response_deadline_at"))
        .values_list("dispute", "first")
    )
    changed = []
    for dispute in Dispute.objects.filter(pk__in=ids).only("pk", "next_deadline_at"):
        if dispute.next_deadline_at != earliest.get(dispute.pk):
            dispute.next_deadline_at = earliest.get(dispute.pk)
            changed.append(dispute)
    Dispute.objects.bulk_update(changed, ["next_deadline_at"], batch_size=1000)
    if changed and apps is global_apps:
        record_changed()  # written in bulk, without signals: the kept pages that show it are retired
    return len(changed)
