"""The dashboard's filters: one vocabulary for the disputes list and the global timeline.

``RecordFilterSet`` is applied to disputes, events, letters and responses alike: each filter method looks at the
model of the queryset it is given and says what the filter means for it. A timeline therefore shows exactly the
entries that belong to the disputes the same filters would list, plus the entries that name the organization or
product themselves.

Filters take organizations and products by slug, so filtered URLs are readable and shareable
(``/timeline/?party=openai&date_from=2025-10-01``); the form shows them as text boxes with suggestions
(``widgets.AutocompleteInput``), never as a ``<select>`` of every organization. An unknown slug, a malformed
date or an unknown choice is a form error, shown next to the field; the page then shows an empty result rather
than an unfiltered one.

Search reads one normalised document per record (``disputes.models.search``), served by a trigram index per kind
on PostgreSQL, plus the ids of the organizations, people and products whose names match.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disputes.filters.widgets import AutocompleteInput
from disputes.models import (
    AIProduct,
    DemandLetter,
    Dispute,
    DisputeParty,
    Event,
    EventKind,
    Jurisdiction,
    Membership,
    Organization,
    PartyRole,
    Person,
    Response,
    SearchDocument,
    SearchKind,
    Stage,
)

MAX_SEARCH_TERMS = 5
MAX_SEARCH_LENGTH = 200

STAGE_ORDER = Case(
    *(When(stage=value, then=Value(position)) for position, value in enumerate(Stage.values)),
    default=Value(len(Stage.values)),
    output_field=IntegerField(),
)


def search_terms(text: str) -> list[str]:
    """Split a search into terms: NFKC-normalised (full-width Ｋｉｕｃｈｉ becomes Kiuchi), at most five."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_SEARCH_LENGTH]
    return [term for term in re.split(r"\s+", text.strip()) if term][:MAX_SEARCH_TERMS]


def _matches(term: str, *fields: str) -> Q:
    """``term`` in any of ``fields``. On PostgreSQL each ``icontains`` is served by a trigram GIN index."""
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": term})
    return condition


MAX_RELATED_MATCHES = 500


@dataclass(frozen=True)
class NameMatches:
    """Ids of the organizations, people and products whose names contain a search term.

    Looked up once per term, so the main queries compare foreign keys with a list of ids, which PostgreSQL can
    combine with the trigram indexes (a subquery inside an OR would make it scan every row instead).
    """

    organizations: list[int]
    people: list[int]
    products: list[int]

    @classmethod
    def lookup(cls, term: str) -> NameMatches:
        def ids(queryset) -> list[int]:
            return list(queryset.order_by().values_list("pk", flat=True)[:MAX_RELATED_MATCHES])

        return cls(
            organizations=ids(Organization.objects.search(term)),
            people=ids(Person.objects.filter(_matches(term, "name", "name_original", "aliases"))),
            products=ids(AIProduct.objects.filter(_matches(term, "name"))),
        )


def event_search_q(term: str, names: NameMatches) -> Q:
    return (
        Q(pk__in=SearchDocument.objects.record_ids(SearchKind.EVENT, term))
        | Q(actor__in=names.organizations)
        | Q(actor_person__in=names.people)
    )


def letter_search_q(term: str, names: NameMatches) -> Q:
    """Letters whose text or demands mention ``term``, or whose sender or recipient is named so."""
    return (
        Q(pk__in=SearchDocument.objects.record_ids(SearchKind.LETTER, term))
        | Q(sender__in=names.organizations)
        | Q(recipient__in=names.organizations)
    )


def response_search_q(term: str, names: NameMatches) -> Q:
    return Q(pk__in=SearchDocument.objects.record_ids(SearchKind.RESPONSE, term)) | Q(
        responder__in=names.organizations
    )


def dispute_search_q(term: str, names: NameMatches) -> Q:
    """Disputes whose own text, letters, demands, responses or events mention ``term`` (one indexed query over
    the search documents), or whose parties, products, letters' senders and recipients, responders or events'
    actors are named so (ids looked up once, see ``NameMatches``)."""
    condition = Q(pk__in=SearchDocument.objects.dispute_ids(term))
    if names.organizations or names.people:
        organizations, people = names.organizations, names.people
        letters = DemandLetter.objects.filter(Q(sender__in=organizations) | Q(recipient__in=organizations))
        responses = Response.objects.filter(responder__in=organizations)
        events = Event.objects.filter(Q(actor__in=organizations) | Q(actor_person__in=people)).values("pk")
        condition |= (
            Q(pk__in=letters.values("dispute"))
            | Q(pk__in=responses.values("letter__dispute"))
            | Q(pk__in=Event.disputes.through.objects.filter(event__in=events).values("dispute"))
            | Q(pk__in=DisputeParty.objects.filter(organization__in=organizations).values("dispute"))
        )
    if names.products:
        condition |= Q(
            pk__in=Dispute.products.through.objects.filter(aiproduct__in=names.products).values("dispute")
        )
    return condition


SEARCH_Q = {
    Dispute: dispute_search_q,
    Event: event_search_q,
    DemandLetter: letter_search_q,
    Response: response_search_q,
}


def in_disputes(model, disputes: QuerySet) -> Q:
    """Rows of ``model`` that belong to one of ``disputes`` (a ``values("pk")``-style queryset of dispute ids)."""
    if model is Dispute:
        return Q(pk__in=disputes)
    if model is Event:
        return Q(pk__in=Event.disputes.through.objects.filter(dispute__in=disputes).values("event"))
    if model is DemandLetter:
        return Q(dispute__in=disputes)
    if model is Response:
        return Q(letter__dispute__in=disputes)
    raise TypeError(f"No timeline filter for {model.__name__}")


def with_associations(organization: Organization) -> list:
    """The organization and every association it is (or was) reported a member of."""
    return [
        organization.pk,
        *Membership.objects.filter(member=organization).values_list("association", flat=True),
    ]


class FilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RecordFilterSet(django_filters.FilterSet):
    """Filters shared by the disputes list and the global timeline. Pass ``now`` for the overdue filter."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=MAX_SEARCH_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Title, name, demand… e.g. Sora, 城内, Kiuchi")}
        ),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, method="filter_stage", empty_label=_("Any")
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label=_("Jurisdiction"),
        queryset=Jurisdiction.objects.order_by("code"),
        to_field_name="code",
        method="filter_jurisdiction",
        empty_label=_("Any"),
    )
    party = django_filters.ModelChoiceFilter(
        label=_("Party"),
        queryset=Organization.objects.order_by("name"),
        to_field_name="slug",
        method="filter_party",
        widget=AutocompleteInput(source="party", attrs={"placeholder": _("Type a name, e.g. OpenAI")}),
        help_text=_("Includes the associations it belongs to."),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=PartyRole.choices, method="filter_role", empty_label=_("Any")
    )
    product = django_filters.ModelChoiceFilter(
        label=_("AI product"),
        queryset=AIProduct.objects.select_related("developer").order_by("name"),
        to_field_name="slug",
        method="filter_product",
        widget=AutocompleteInput(source="product", attrs={"placeholder": _("Type a name, e.g. Sora")}),
    )
    developer = django_filters.ModelChoiceFilter(
        label=_("Developer"),
        queryset=Organization.objects.filter(pk__in=AIProduct.objects.values("developer")).order_by("name"),
        to_field_name="slug",
        method="filter_developer",
        widget=AutocompleteInput(source="developer", attrs={"placeholder": _("Type a name")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Event kind"), choices=EventKind.choices, method="filter_kind", empty_label=_("Any")
    )
    date_from = django_filters.DateFilter(label=_("From"), method="filter_date_from", widget=DateInput())
    date_to = django_filters.DateFilter(label=_("To"), method="filter_date_to", widget=DateInput())
    overdue = django_filters.BooleanFilter(
        label=_("Overdue letters only"), method="filter_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Dispute
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, now: dt.datetime | None = None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.now = now or timezone.now()
        self._names: dict[str, NameMatches] = {}

    # --- helpers --------------------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """Whether any filter (not the sort order) is set."""
        if not self.is_bound or not self.form.is_valid():
            return False
        return any(
            value not in (None, "", False)
            for name, value in self.form.cleaned_data.items()
            if name not in ("sort", "order")
        )

    def filter_dispute_rows(self, queryset: QuerySet, disputes: QuerySet) -> QuerySet:
        return queryset.filter(in_disputes(queryset.model, disputes))

    # --- filters --------------------------------------------------------------------------------------------

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        build = SEARCH_Q[queryset.model]
        for term in search_terms(value):
            if term not in self._names:
                self._names[term] = NameMatches.lookup(term)
            queryset = queryset.filter(build(term, self._names[term]))
        return queryset

    def filter_stage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self.filter_dispute_rows(queryset, Dispute.objects.filter(stage=value).values("pk"))

    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: Jurisdiction) -> QuerySet:
        disputes = Dispute.jurisdictions.through.objects.filter(jurisdiction=value).values("dispute")
        return self.filter_dispute_rows(queryset, disputes)

    def filter_party(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        organizations = with_associations(value)
        role = self.form.cleaned_data.get("role")
        parties = DisputeParty.objects.filter(organization__in=organizations)
        if role:
            parties = parties.filter(role=role)
        condition = in_disputes(queryset.model, parties.values("dispute"))
        if not role:
            # Rows that name the organization themselves, even in a dispute it is not a party to.
            condition |= self._direct_involvement(queryset.model, value, organizations)
        return queryset.filter(condition)

    @staticmethod
    def _direct_involvement(model, organization: Organization, organizations: list) -> Q:
        if model is Dispute:
            letters = DemandLetter.objects.filter(
                Q(sender__in=organizations)
                | Q(recipient__in=organizations)
                | Q(on_behalf_of=organization)
                | Q(additional_recipients__in=organizations)
            )
            return Q(pk__in=letters.values("dispute"))
        if model is Event:
            return Q(actor__in=organizations) | Q(actor_person__organization=organization)
        if model is DemandLetter:
            on_behalf = DemandLetter.on_behalf_of.through.objects.filter(organization=organization)
            also_to = DemandLetter.additional_recipients.through.objects.filter(
                organization__in=organizations
            )
            return (
                Q(sender__in=organizations)
                | Q(recipient__in=organizations)
                | Q(pk__in=on_behalf.values("letter"))
                | Q(pk__in=also_to.values("letter"))
            )
        if model is Response:
            return Q(responder__in=organizations)
        raise TypeError(model)

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.form.cleaned_data.get("party"):
            return queryset  # applied together with the party
        return self.filter_dispute_rows(queryset, DisputeParty.objects.filter(role=value).values("dispute"))

    def _filter_products(self, queryset: QuerySet, products: QuerySet) -> QuerySet:
        disputes = Dispute.products.through.objects.filter(aiproduct__in=products).values("dispute")
        condition = in_disputes(queryset.model, disputes)
        model = queryset.model
        if model is Event:
            condition |= Q(
                pk__in=Event.products.through.objects.filter(aiproduct__in=products).values("event")
            )
        elif model in (DemandLetter, Response):
            letters = DemandLetter.products.through.objects.filter(aiproduct__in=products)
            field = "pk" if model is DemandLetter else "letter"
            condition |= Q(**{f"{field}__in": letters.values("demandletter")})
        return queryset.filter(condition)

    def filter_product(self, queryset: QuerySet, name: str, value: AIProduct) -> QuerySet:
        return self._filter_products(queryset, AIProduct.objects.filter(pk=value.pk).values("pk"))

    def filter_developer(self, queryset: QuerySet, name: str, value: Organization) -> QuerySet:
        return self._filter_products(queryset, AIProduct.objects.filter(developer=value).values("pk"))

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        model = queryset.model
        if model is Dispute:
            events = Event.objects.filter(kind=value).values("pk")
            return queryset.filter(
                pk__in=Event.disputes.through.objects.filter(event__in=events).values("dispute")
            )
        if model is Event:
            return queryset.filter(kind=value)
        return queryset.none()  # the timeline shows only events of that kind

    def _date_condition(self, model, lookup: str, value: dt.date) -> Q:
        if model is Event:
            return Q(**{f"date__{lookup}": value})
        if model is Response:
            return Q(**{f"responded_on__{lookup}": value})
        if model is DemandLetter:
            # The date a letter stands at on a timeline: sent, else dated, else announced.
            return (
                Q(**{f"sent_on__{lookup}": value})
                | Q(sent_on__isnull=True, **{f"dated_on__{lookup}": value})
                | Q(sent_on__isnull=True, dated_on__isnull=True, **{f"announced_on__{lookup}": value})
            )
        raise TypeError(model)

    def _filter_date(self, queryset: QuerySet, lookup: str, value: dt.date) -> QuerySet:
        if queryset.model is not Dispute:
            return queryset.filter(self._date_condition(queryset.model, lookup, value))
        # A dispute is in range when something on its timeline is.
        events = Event.objects.filter(self._date_condition(Event, lookup, value)).values("pk")
        letters = DemandLetter.objects.filter(self._date_condition(DemandLetter, lookup, value))
        return queryset.filter(
            Q(pk__in=Event.disputes.through.objects.filter(event__in=events).values("dispute"))
            | Q(pk__in=letters.values("dispute"))
        )

    def filter_date_from(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return self._filter_date(queryset, "gte", value)

    def filter_date_to(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return self._filter_date(queryset, "lte", value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        overdue = DemandLetter.objects.overdue(at=self.now)
        model = queryset.model
        if model is Dispute:
            return queryset.filter(pk__in=overdue.values("dispute"))
        if model is DemandLetter:
            return queryset.filter(pk__in=overdue.values("pk"))
        return queryset.none()  # the timeline shows only the overdue letters


SORT_CHOICES = (
    ("activity", _("Latest activity")),
    ("deadline", _("Next deadline")),
    ("title", _("Title")),
    ("stage", _("Stage")),
)


class DisputeFilterSet(RecordFilterSet):
    """The disputes list: the shared filters, and a sort order (latest activity first unless asked).

    ``sort`` is validated here and applied by the selector, which pages through the ids first.
    """

    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_noop", empty_label=None
    )

    def filter_noop(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset


ENTRY_TYPES = (
    ("events", _("Events")),
    ("letters", _("Letters")),
    ("responses", _("Responses")),
)

ORDER_CHOICES = (
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
)


class TimelineFilterSet(RecordFilterSet):
    """The global timeline: the shared filters, which entries to show, and the direction.

    ``show`` and ``order`` are read by the selector, not applied to a queryset.
    """

    show = django_filters.ChoiceFilter(
        label=_("Show"), choices=ENTRY_TYPES, method="filter_show", empty_label=_("Everything")
    )
    order = django_filters.ChoiceFilter(
        label=_("Order"), choices=ORDER_CHOICES, method="filter_noop", empty_label=None
    )

    def filter_show(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        wanted = {"events": Event, "letters": DemandLetter, "responses": Response}[value]
        return queryset if queryset.model is wanted else queryset.none()

    def filter_noop(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset
