"""Each dispute's latest activity: the date of its latest event, letter or response, stored on the dispute.

The disputes list sorts on it (through an index) instead of aggregating every event, letter and response on
every request. It is refreshed when one of those is saved (``Searchable.save``) or an event is linked to or
unlinked from disputes (``events._links_changed``), and ``manage.py refresh_activity`` recomputes every dispute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Max
from django.db.models.functions import Coalesce

from .disputes import Dispute


def refresh_last_activity(dispute_ids: Iterable[int]) -> int:
    """Store the latest activity of these disputes. Three grouped queries and one update; returns how many
    disputes changed."""
    ids = list(dispute_ids)
    if not ids:
        return 0
    event_links = apps.get_model("disputes", "Event").disputes.through
    letters = apps.get_model("disputes", "DemandLetter")
    responses = apps.get_model("disputes", "Response")
    queries = [
        event_links.objects.filter(dispute__in=ids).values_list("dispute").annotate(day=Max("event__date")),
        letters.objects.filter(dispute__in=ids)
        .values_list("dispute")
        .annotate(day=Max(Coalesce("sent_on", "dated_on", "announced_on"))),
        responses.objects.filter(letter__dispute__in=ids)
        .values_list("letter__dispute")
        .annotate(day=Max("responded_on")),
    ]
    latest: dict[int, dt.date] = {}
    for query in queries:
        for dispute_id, day in query.order_by():
            if day and (dispute_id not in latest or day > latest[dispute_id]):
                latest[dispute_id] = day
    changed = [
        dispute
        for dispute in Dispute.objects.filter(pk__in=ids).only("pk", "last_activity_on")
        if dispute.last_activity_on != latest.get(dispute.pk)
    ]
    for dispute in changed:
        dispute.last_activity_on = latest.get(dispute.pk)
    Dispute.objects.bulk_update(changed, ["last_activity_on"], batch_size=1000)
    return len(changed)
