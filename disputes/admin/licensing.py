"""Admin for licences, opt-out requests and AI products' opt-out mechanisms."""

from django.contrib import admin

from disputes import models as m
from disputes.admin.base import RecordAdmin, RowsInline


@admin.register(m.Licence)
class LicenceAdmin(RecordAdmin):
    list_display = [
        "rights_holder",
        "ai_developer",
        "licensees_undisclosed",
        "kind",
        "work_type",
        "content_type",
        "announced_on",
    ]
    list_filter = ["kind", "work_type", "licensees_undisclosed", "content_type"]
    search_fields = [
        "rights_holder__name",
        "rights_holder__aliases",
        "ai_developer__name",
        "ai_developer__aliases",
        "note",
    ]
    autocomplete_fields = ["rights_holder", "ai_developer", "products", "sources"]
    list_select_related = ["rights_holder", "ai_developer"]
    date_hierarchy = "announced_on"


class OptOutMechanismInline(RowsInline):
    model = m.OptOutMechanism
    fields = ["kind", "covers_training", "covers_outputs", "url", "available_from", "available_until"]


@admin.register(m.OptOutMechanism)
class OptOutMechanismAdmin(RecordAdmin):
    list_display = [
        "product",
        "kind",
        "covers_training",
        "covers_outputs",
        "available_from",
        "available_until",
    ]
    list_filter = ["kind", "covers_training", "covers_outputs"]
    search_fields = ["product__name", "product__developer__name", "description", "url"]
    autocomplete_fields = ["product", "sources"]
    list_select_related = ["product__developer"]


@admin.register(m.OptOutRequest)
class OptOutRequestAdmin(RecordAdmin):
    list_display = ["requester", "ai_developer", "product", "made_on"]
    list_filter = ["ai_developer"]
    search_fields = [
        "requester__name",
        "requester__aliases",
        "ai_developer__name",
        "product__name",
        "summary",
    ]
    autocomplete_fields = ["requester", "ai_developer", "product", "mechanism", "sources"]
    list_select_related = ["requester", "ai_developer", "product"]
    date_hierarchy = "made_on"
