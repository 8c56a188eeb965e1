"""Suggestions for the filters' text boxes: a few organizations or products whose names match what was typed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from disputes.filters.dashboard import MAX_SEARCH_LENGTH
from disputes.models import AIProduct, Organization
from disputes.models.organizations import named_q

SUGGESTIONS = 20
SOURCES = ("party", "product", "developer")


@dataclass(frozen=True)
class Suggestion:
    slug: str
    label: str


def filter_suggestions(*, source: str, text: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """At most ``limit`` choices for the filter ``source`` whose names contain ``text``, names starting with it
    first. One query. With no text, the first ``limit`` by name (so the box offers something on focus)."""
    text = (text or "").strip()[:MAX_SEARCH_LENGTH]
    if source == "product":
        products = AIProduct.objects.select_related("developer").only(
            "slug", "name", "developer__name", "developer__short_name"
        )
        if text:
            products = products.filter(Q(name__icontains=text) | Q(slug__icontains=text))
            products = products.annotate(
                starts=Case(
                    When(name__istartswith=text, then=Value(0)), default=1, output_field=IntegerField()
                )
            ).order_by("starts", "name", "pk")
        else:
            products = products.order_by("name", "pk")
        return [Suggestion(p.slug, f"{p.name} ({p.developer.display_name})") for p in products[:limit]]

    organizations = Organization.objects.only("slug", *Organization.NAME_FIELDS, "kind")
    if source == "developer":
        organizations = organizations.filter(pk__in=AIProduct.objects.values("developer"))
    if text:
        organizations = organizations.filter(named_q(text) | Q(slug__icontains=text)).annotate(
            starts=Case(
                When(Q(name__istartswith=text) | Q(short_name__istartswith=text), then=Value(0)),
                default=1,
                output_field=IntegerField(),
            )
        )
        organizations = organizations.order_by("starts", "name", "pk")
    else:
        organizations = organizations.order_by("name", "pk")
    return [Suggestion(org.slug, _label(org)) for org in organizations[:limit]]


def _label(org: Organization) -> str:
    """The name in the reader's language, with the name in the organization's own language when it differs."""
    name = org.name_in()
    return f"{name} ({org.name_original})" if org.name_original and org.name_original != name else name
