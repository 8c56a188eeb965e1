"""The dashboard's filters (``disputes.filters``), bound to one model each, for the API, feeds, calendars and
exports.

The same query string means the same records everywhere: ``?party=openai&stage=escalated&date_from=2025-10-01``
filters the dashboard's disputes list and timeline, the API, the Atom feeds, the calendars and the exports
alike. ``RecordFilterSet`` already knows what each filter means for disputes, letters, events and responses;
the subclasses here only name the model, which DRF's filter backend and drf-spectacular need.

An unknown slug, a malformed date or an unknown choice is a form error: the API, feeds, calendars and exports
answer it with a 400 that names the parameter.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter, MultipleChoiceFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from disputes.filters.dashboard import RecordFilterSet, TimelineFilterSet, in_disputes
from disputes.models import DemandLetter, Dispute, Event, LetterStatus, Response

__all__ = ["DisputeFilter", "EventFilter", "FeedFilter", "LetterFilter", "ResponseFilter"]


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(ModelChoiceFilter):
    """A record chosen by its slug (described as a string in the API schema)."""


class _InDispute(RecordFilterSet):
    """Adds ``dispute=<slug>``: the dashboard shows one dispute on its own page, a query needs a parameter."""

    dispute = SlugFilter(
        label=_("Dispute"),
        queryset=Dispute.objects.all(),
        to_field_name="slug",
        method="filter_dispute",
    )

    def filter_dispute(self, queryset, name, value):
        return queryset.filter(in_disputes(queryset.model, Dispute.objects.filter(pk=value.pk).values("pk")))


class DisputeFilter(RecordFilterSet):
    class Meta(RecordFilterSet.Meta):
        model = Dispute


class LetterFilter(_InDispute):
    # Not on the dashboard's form (it shows letters of every status), but what a calendar or an export of
    # letters is most often narrowed by.
    status = MultipleChoiceFilter(label=_("Letter status"), choices=LetterStatus.choices)

    class Meta(RecordFilterSet.Meta):
        model = DemandLetter


class EventFilter(_InDispute):
    class Meta(RecordFilterSet.Meta):
        model = Event


class ResponseFilter(_InDispute):
    class Meta(RecordFilterSet.Meta):
        model = Response


class FeedFilter(TimelineFilterSet, _InDispute):
    """The dashboard's timeline filters (with ``show``: events, letters or responses) and ``dispute``.

    Validated once and applied to each model's queryset with ``filter_queryset``, as the timeline does.
    """

    class Meta(TimelineFilterSet.Meta):
        model = Event
