"""Read-only representations of the dispute record. Everything they show comes prefetched by the viewsets."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disputes.core.site import absolute_url
from disputes.models import (
    AIProduct,
    Demand,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    Organization,
    Response,
)
from disputes.models.deadline_state import DeadlineState
from disputes.models.published import EVENT_CONTENT_FIELDS, LETTER_DATE_FIELDS


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "short_name"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "slug",
            "kind",
            "name",
            "name_original",
            "short_name",
            "name_ja",
            "short_name_ja",
            "country",
            "timezone",
            "website",
            "created_at",
            "updated_at",
        ]


class AIProductSerializer(serializers.ModelSerializer):
    developer = OrganizationBriefSerializer(read_only=True)

    class Meta:
        model = AIProduct
        fields = [
            "id",
            "slug",
            "name",
            "developer",
            "modality",
            "launched_on",
            "launch_precision",
            "url",
            "created_at",
            "updated_at",
        ]


class PartySerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)

    class Meta:
        model = DisputeParty
        fields = ["organization", "role", "note"]


class DisputeSerializer(serializers.ModelSerializer):
    jurisdictions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    products = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    parties = PartySerializer(many=True, read_only=True)
    letter_count = serializers.IntegerField(read_only=True)
    event_count = serializers.IntegerField(read_only=True)
    link = serializers.SerializerMethodField(help_text="The dispute's page on the dashboard.")

    class Meta:
        model = Dispute
        fields = [
            "id",
            "slug",
            "title",
            "title_ja",
            "summary",
            "summary_ja",
            "stage",
            "status_note",
            "status_note_ja",
            "case_numbers",
            "jurisdictions",
            "products",
            "parties",
            "letter_count",
            "event_count",
            "link",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_link(self, obj: Dispute) -> str:
        return absolute_url(obj.get_absolute_url())


class DemandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Demand
        fields = ["number", "text_original", "original_language", "text_en", "status", "status_note"]


class ResponseSerializer(serializers.ModelSerializer):
    responder = OrganizationBriefSerializer(read_only=True)
    demands = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number", help_text="Numbers of the demands it answers."
    )

    class Meta:
        model = Response
        fields = [
            "id",
            "responder",
            "responded_on",
            "date_precision",
            "channel",
            "title",
            "summary",
            "quote",
            "url",
            "assessment",
            "assessed_at",
            "assessment_reason",
            "demands",
            "created_at",
            "updated_at",
        ]


class LetterSerializer(serializers.ModelSerializer):
    dispute = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    sender = OrganizationBriefSerializer(read_only=True)
    recipient = OrganizationBriefSerializer(read_only=True)
    on_behalf_of = OrganizationBriefSerializer(many=True, read_only=True)
    products = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    demands = DemandSerializer(many=True, read_only=True)
    responses = ResponseSerializer(many=True, read_only=True)
    has_sincere_response = serializers.BooleanField(
        read_only=True, help_text="A response was assessed as sincere: only that answers a letter."
    )
    overdue = serializers.SerializerMethodField(
        help_text="Open, no sincere response, and the deadline (the end of its day in the sender's zone) passed."
    )
    days_overdue = serializers.SerializerMethodField(
        help_text="Whole days since the deadline day ended in the sender's time zone; 0 on its first day and "
        "0 if not overdue (see deadline_state.overdue_seconds for less than a day)."
    )
    deadline_is_ours = serializers.SerializerMethodField(
        help_text="True when the letter states no deadline and response_deadline_on is derived by this "
        "tracker's default policy: an estimate of ours, not the sender's deadline."
    )
    deadline_state = serializers.SerializerMethodField(
        help_text="Where the letter stands against its deadline now, with the same labels the dashboard shows."
    )
    link = serializers.SerializerMethodField()

    class Meta:
        model = DemandLetter
        fields = [
            "id",
            "dispute",
            "kind",
            "title",
            "title_original",
            "sender",
            "recipient",
            "on_behalf_of",
            "on_behalf_note",
            "products",
            "channel",
            *LETTER_DATE_FIELDS,
            "deadline_version",
            "status",
            "status_note",
            "summary",
            "url",
            "has_sincere_response",
            "overdue",
            "days_overdue",
            "deadline_is_ours",
            "deadline_state",
            "demands",
            "responses",
            "link",
            "created_at",
            "updated_at",
        ]

    def _state(self, obj: DemandLetter) -> DeadlineState:
        """The letter's state at the request's instant, worked out once for the four fields that show it."""
        state = getattr(obj, "_api_deadline_state", None)
        if state is None:
            state = obj._api_deadline_state = obj.deadline_state(at=self.context.get("now") or timezone.now())
        return state

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, obj: DemandLetter) -> bool:
        return self._state(obj).overdue

    @extend_schema_field(OpenApiTypes.INT)
    def get_days_overdue(self, obj: DemandLetter) -> int:
        return self._state(obj).overdue_days

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_deadline_is_ours(self, obj: DemandLetter) -> bool:
        return self._state(obj).is_ours

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_deadline_state(self, obj: DemandLetter) -> dict:
        return self._state(obj).as_dict()

    @extend_schema_field(OpenApiTypes.URI)
    def get_link(self, obj: DemandLetter) -> str:
        return absolute_url(obj.get_absolute_url())


class EventSerializer(serializers.ModelSerializer):
    actor = OrganizationBriefSerializer(read_only=True, allow_null=True)
    disputes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    products = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    link = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "date",
            "date_precision",
            *EVENT_CONTENT_FIELDS,
            "link",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_link(self, obj: Event) -> str:
        return absolute_url(obj.get_absolute_url())
