"""Read-only API viewsets. Each list and detail runs a fixed number of queries whatever the page size."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication

from disputes.core.access import CanReadRecord
from disputes.core.kept import Fragments
from disputes.core.sql import subquery_count
from disputes.filters.api import DisputeFilter, EventFilter, LetterFilter
from disputes.models import (
    AIProduct,
    Demand,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    Modality,
    Organization,
    OrganizationKind,
    Response,
    current_generation,
)

from . import serializers
from .authentication import AccessTokenAuthentication
from .pagination import IdCursorPagination

# Token first: its WWW-Authenticate header makes a missing credential a 401, not a 403.
AUTHENTICATION = [AccessTokenAuthentication, SessionAuthentication]
PERMISSIONS = [CanReadRecord]


class OrganizationFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Words in any of its names"))
    kind = filters.MultipleChoiceFilter(choices=OrganizationKind.choices)
    country = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Organization
        fields = ["q", "kind", "country"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


class AIProductFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Words in its name"))
    developer = filters.CharFilter(field_name="developer__slug", label=_("Developer (slug)"))
    modality = filters.MultipleChoiceFilter(choices=Modality.choices)

    class Meta:
        model = AIProduct
        fields = ["q", "developer", "modality"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Every instant in the API is written in UTC, whoever asks: the dashboard's viewer time zone is for people."""

    authentication_classes = AUTHENTICATION
    permission_classes = PERMISSIONS
    pagination_class = IdCursorPagination
    filter_backends = [filters.DjangoFilterBackend]

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(dt.UTC):
            return super().dispatch(request, *args, **kwargs)


class KeptListMixin:
    """A list whose items' representations are kept for the record's generation (``core.kept``): the page is
    found from a narrow queryset (``get_narrow_queryset``, filtered and paged as the full one would be), only the
    items not kept are loaded whole and serialized, and ``now_fields`` (what moves with the clock) are worked out
    for every item on every request from the narrow rows."""

    kept_name: str
    now_fields: tuple[str, ...] = ()

    def get_narrow_queryset(self):
        return self.get_queryset().model.objects.only("pk")

    @classmethod
    def _field_order(cls, serializer) -> list[str]:
        """The serializer's fields in order, worked out once (building its nested fields costs milliseconds)."""
        if "_field_names" not in cls.__dict__:
            cls._field_names = list(serializer.fields)
        return cls._field_names

    def list(self, request, *args, **kwargs):
        narrow = self.get_narrow_queryset()
        paging = {self.paginator.cursor_query_param, self.paginator.page_size_query_param}
        # With no filter given, building the filters' form is all filtering would do.
        if set(request.query_params) - paging:
            narrow = self.filter_queryset(narrow)
        rows = self.paginate_queryset(narrow)
        fragments = Fragments.current(f"api-{self.kept_name}", current_generation())
        kept = fragments.get_values(row.pk for row in rows)
        missing = [row.pk for row in rows if row.pk not in kept]
        if missing:
            serializer = self.get_serializer(self.get_queryset().filter(pk__in=missing), many=True)
            for item in serializer.data:
                kept[item["id"]] = {
                    name: value for name, value in item.items() if name not in self.now_fields
                }
                fragments.put_value(item["id"], kept[item["id"]])
        serializer = self.get_serializer()
        order = self._field_order(serializer)
        data = []
        for row in rows:
            moving = {name: getattr(serializer, f"get_{name}")(row) for name in self.now_fields}
            data.append({name: moving[name] if name in moving else kept[row.pk][name] for name in order})
        return self.get_paginated_response(data)


@extend_schema_view(
    list=extend_schema(summary="List disputes", description="Filtered as on the dashboard."),
    retrieve=extend_schema(summary="One dispute, by slug"),
)
class DisputeViewSet(ReadOnlyViewSet):
    serializer_class = serializers.DisputeSerializer
    filterset_class = DisputeFilter
    lookup_field = "slug"

    def get_queryset(self):
        return Dispute.objects.prefetch_related(
            "jurisdictions",
            "products",
            Prefetch("parties", queryset=DisputeParty.objects.select_related("organization")),
        ).annotate(
            letter_count=subquery_count(DemandLetter.objects.all(), "dispute_id"),
            event_count=subquery_count(Event.disputes.through.objects.all(), "dispute_id"),
        )


@extend_schema_view(
    list=extend_schema(summary="List letters, with their demands and responses"),
    retrieve=extend_schema(summary="One letter, with its demands and responses"),
)
class LetterViewSet(KeptListMixin, ReadOnlyViewSet):
    serializer_class = serializers.LetterSerializer
    filterset_class = LetterFilter
    lookup_value_regex = r"\d+"
    kept_name = "letters"
    # Where a letter stands against its deadline moves with the clock; the rest of it is the record's.
    now_fields = ("overdue", "days_overdue", "deadline_is_ours", "deadline_state")

    def get_narrow_queryset(self):
        return DemandLetter.objects.for_deadline_state()

    def get_queryset(self):
        responses = Response.objects.select_related("responder").prefetch_related(
            Prefetch("demands", queryset=Demand.objects.only("pk", "number"))
        )
        return (
            DemandLetter.objects.with_sincere_response()
            .select_related("sender", "recipient", "dispute")
            .prefetch_related(
                "on_behalf_of",
                "products",
                Prefetch("demands", queryset=Demand.objects.order_by("number")),
                Prefetch("responses", queryset=responses.order_by("responded_on", "id")),
            )
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


@extend_schema_view(
    list=extend_schema(summary="List events"),
    retrieve=extend_schema(summary="One event"),
)
class EventViewSet(KeptListMixin, ReadOnlyViewSet):
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilter
    lookup_value_regex = r"\d+"
    kept_name = "events"

    def get_queryset(self):
        return Event.objects.select_related("actor").prefetch_related(
            Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title")), "products"
        )


@extend_schema_view(
    list=extend_schema(summary="List organizations"),
    retrieve=extend_schema(summary="One organization, by slug"),
)
class OrganizationViewSet(ReadOnlyViewSet):
    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "slug"
    queryset = Organization.objects.all()


@extend_schema_view(
    list=extend_schema(summary="List AI products"),
    retrieve=extend_schema(summary="One AI product, by slug"),
)
class AIProductViewSet(ReadOnlyViewSet):
    serializer_class = serializers.AIProductSerializer
    filterset_class = AIProductFilter
    lookup_field = "slug"
    queryset = AIProduct.objects.select_related("developer")


SCHEMA_DESCRIPTION = """Read-only access to the dispute record.

Authenticate with your session (when signed in to the dashboard) or with a personal token:
`Authorization: Token <token>`. Create one named token per app on your Settings page; replacing or revoking one
stops it at once and leaves your other tokens working. Every instant is given in UTC.

List endpoints take the dashboard's filters as query parameters and are paginated with an opaque `cursor`
(follow `next`). The same filters work on the Atom feeds (`/feeds/atom/`), the calendars (`/feeds/calendar.ics`)
and the CSV/JSON exports (`/exports/<disputes|letters|events>.<csv|json>`).
"""


# Overrides of SPECTACULAR_SETTINGS for this schema; also for the command line:
# manage.py spectacular --validate --fail-on-warn --custom-settings disputes.api.views.SCHEMA_SETTINGS
SCHEMA_SETTINGS = {
    "DESCRIPTION": SCHEMA_DESCRIPTION,
    # One component for the one choice set, whatever the field is called (date_precision, launch_precision).
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "disputes.models.DatePrecision"},
}


class SchemaView(SpectacularAPIView):
    authentication_classes = AUTHENTICATION
    permission_classes = PERMISSIONS
    custom_settings = SCHEMA_SETTINGS


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files: the docs work offline, with no CDN.

    (Not ReDoc: its template loads Google Fonts.) The split view serves its start-up script from this same
    address (``?script``) instead of inline, and our template has no inline style: the CSP allows neither.
    """

    template_name = "api/swagger_ui.html"

    authentication_classes = AUTHENTICATION
    permission_classes = PERMISSIONS

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # No validator badge: Swagger UI would send the schema to validator.swagger.io.
        with patched_settings({"SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None}}):
            return super().get(request, *args, **kwargs)
