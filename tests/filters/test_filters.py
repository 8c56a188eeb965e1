"""The dashboard's FilterSets: what each filter means for disputes, events, letters and responses."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict

from disputes.filters.dashboard import (
    DisputeFilterSet,
    NameMatches,
    RecordFilterSet,
    TimelineFilterSet,
    search_terms,
)
from disputes.models import DemandLetter, Dispute, Event, Response, SearchDocument
from tests import factories

NOW = dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def s(db):
    return factories.build_coda_scenario()


def apply(model, query: str, filterset_class=RecordFilterSet) -> set:
    filterset = filterset_class(QueryDict(query), queryset=model.objects.all(), now=NOW)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.filter_queryset(model.objects.all()))


# --- Party, including an association's members ------------------------------------------------------------


def test_party_finds_an_associations_disputes_through_a_member(s):
    assert apply(Dispute, "party=studio-ghibli") == {s.dispute}
    assert apply(DemandLetter, "party=studio-ghibli") == {s.letter}
    assert apply(Event, "party=studio-ghibli") == {s.launch, s.kiuchi_event, s.announcement}
    assert apply(Dispute, "party=getty-images") == {s.other}


def test_party_finds_letters_sent_on_its_behalf_outside_its_associations(s):
    toei = factories.OrganizationFactory(slug="toei")
    s.other_letter.on_behalf_of.add(toei)
    assert apply(DemandLetter, "party=toei") == {s.other_letter}
    assert apply(Dispute, "party=toei") == {s.other}


def test_party_finds_events_where_it_acts_in_a_dispute_it_is_not_party_to(s):
    outsider = factories.OrganizationFactory(slug="outsider")
    statement = factories.EventFactory(actor=outsider, disputes=[s.other])
    assert apply(Event, "party=outsider") == {statement}


def test_party_with_a_role(s):
    assert apply(Dispute, "party=openai&role=respondent") == {s.dispute}
    assert apply(Dispute, "party=openai&role=claimant") == set()
    # With a role, only the disputes where it holds that role count, not the rows that merely name it.
    assert apply(Event, "party=openai&role=claimant") == set()


def test_role_alone(s):
    assert apply(Dispute, "role=government") == {s.dispute}


def test_party_on_responses(s):
    assert apply(Response, "party=stability-ai") == {s.evasive, s.unassessed}
    assert apply(Response, "party=studio-ghibli") == set()


# --- Products, developers, stage, jurisdiction, kind ------------------------------------------------------


def test_product_matches_through_the_dispute_or_the_record_itself(s):
    elsewhere = factories.EventFactory(disputes=[s.other])
    elsewhere.products.add(s.sora)
    assert apply(Dispute, "product=sora-2") == {s.dispute}
    assert apply(Event, "product=sora-2") == {s.launch, s.kiuchi_event, s.announcement, elsewhere}
    assert apply(DemandLetter, "product=stable-diffusion") == {s.other_letter}
    assert apply(Response, "product=stable-diffusion") == {s.evasive, s.unassessed}


def test_developer(s):
    assert apply(Dispute, "developer=openai") == {s.dispute}
    assert apply(Dispute, "developer=stability-ai") == {s.other}


def test_stage_and_jurisdiction(s):
    assert apply(Dispute, "stage=litigation") == {s.other}
    assert apply(Event, "stage=litigation") == {s.lawsuit}
    assert apply(Dispute, "jurisdiction=JP") == {s.dispute}
    assert apply(Response, "jurisdiction=GB") == {s.evasive, s.unassessed}


def test_event_kind_keeps_only_events_of_that_kind(s):
    assert apply(Event, "kind=government") == {s.kiuchi_event}
    assert apply(Dispute, "kind=government") == {s.dispute}
    assert apply(DemandLetter, "kind=government") == set()
    assert apply(Response, "kind=government") == set()


# --- Dates and overdue ------------------------------------------------------------------------------------


def test_dates_use_each_records_own_date(s):
    assert apply(Event, "date_from=2025-10-01&date_to=2025-10-31") == {s.kiuchi_event, s.announcement}
    assert apply(DemandLetter, "date_from=2025-10-27&date_to=2025-10-27") == {s.letter}
    assert apply(Response, "date_from=2023-01-25") == {s.unassessed}
    assert apply(Dispute, "date_to=2023-12-31") == {s.other}


def test_a_letter_without_a_sent_date_stands_at_its_dated_date(s):
    undated = factories.DemandLetterFactory(
        dispute=s.other,
        sender=s.getty,
        recipient=s.stability,
        sent_on=None,
        dated_on=dt.date(2024, 5, 1),
        response_deadline_on=None,
        deadline_source="none",
    )
    assert apply(DemandLetter, "date_from=2024-05-01&date_to=2024-05-01") == {undated}


def test_overdue_only(s):
    assert apply(Dispute, "overdue=on") == {s.dispute}
    assert apply(DemandLetter, "overdue=on") == {s.letter}
    assert apply(Event, "overdue=on") == set()
    factories.ResponseFactory(letter=s.letter, sincere=True)
    assert apply(DemandLetter, "overdue=on") == set()


def test_unchecked_overdue_filters_nothing(s):
    assert len(apply(Dispute, "overdue=")) == 2


# --- Search -----------------------------------------------------------------------------------------------


def test_search_terms_are_normalised_and_capped():
    assert search_terms("  Ｋｉｕｃｈｉ   城内 ") == ["Kiuchi", "城内"]
    assert search_terms("a b c d e f g") == ["a", "b", "c", "d", "e"]
    assert search_terms("") == []


@pytest.mark.parametrize(
    "query, model, expected",
    [
        ("城内", Event, "kiuchi_event"),
        ("Kiuchi", Event, "kiuchi_event"),
        ("jouchi", Event, "kiuchi_event"),  # another spelling, from the person's aliases
        ("内閣府", Event, "kiuchi_event"),  # the acting organization's own name
        ("要望書", DemandLetter, "letter"),
        ("学習対象", DemandLetter, "letter"),  # a demand's original text
        ("member companies", DemandLetter, "letter"),  # on whose behalf, as stated
        ("denies infringement", Response, "evasive"),
        ("Stability", Response, "evasive"),  # the responder's name
    ],
)
def test_search_each_record_type(s, query, model, expected):
    assert getattr(s, expected) in apply(model, f"q={query}")


def test_search_needs_every_term(s):
    assert apply(Dispute, "q=Sora CODA") == {s.dispute}
    assert apply(Dispute, "q=Sora Getty") == set()


def test_search_escapes_like_wildcards(s):
    assert apply(Dispute, "q=%25") == set()
    assert apply(Dispute, "q=_") == set()


def test_name_matches_are_looked_up_once_per_term(s, django_assert_num_queries):
    filterset = TimelineFilterSet(QueryDict("q=Kiuchi"), queryset=Event.objects.none(), now=NOW)
    assert filterset.is_valid()
    with django_assert_num_queries(3):
        for model in (Event, DemandLetter, Response):
            filterset.filter_queryset(model.objects.all())
    assert NameMatches.lookup("Kiuchi").people == [s.kiuchi.pk]


# --- Validation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, field",
    [
        ("party=nobody", "party"),
        ("developer=coda", "developer"),  # CODA develops no product
        ("date_from=2025-02-30", "date_from"),
        ("date_from=2025-11-01&date_to=2025-10-01", "date_to"),
        ("kind=rumour", "kind"),
        ("sort=secret", "sort"),
    ],
)
def test_invalid_input_is_a_form_error(s, query, field):
    filterset = DisputeFilterSet(QueryDict(query), queryset=Dispute.objects.all(), now=NOW)
    assert not filterset.is_valid()
    assert field in filterset.errors


def test_active_says_whether_any_filter_is_set(s):
    def active(query):
        return TimelineFilterSet(QueryDict(query), queryset=Event.objects.none(), now=NOW).active

    assert not active("")
    assert not active("order=oldest")
    assert active("party=openai")


# --- PostgreSQL: the trigram indexes ----------------------------------------------------------------------


@pytest.mark.postgres
def test_trigram_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "searchdocument_dispute_trgm",
        "searchdocument_event_trgm",
        "organization_name_original_trgm",
    } <= names
    assert "person_name_original_trgm" in names
    assert "event_title_trgm" not in names  # the documents replaced the per-column indexes


@pytest.mark.postgres
def test_event_search_uses_the_search_documents_trigram_index(s):
    factories.EventFactory.create_batch(30, disputes=[s.other])
    SearchDocument.objects.bulk_create(
        SearchDocument(kind=kind, object_id=10_000 + i, text=f"filler document {i} about something else")
        for i in range(3_000)
        for kind in ("event", "letter")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('searchdocument_event_trgm')")  # as autovacuum would
        cursor.execute("ANALYZE disputes_searchdocument")
        cursor.execute("SET enable_seqscan = off")  # a tiny table would otherwise be scanned
        try:
            filterset = TimelineFilterSet(QueryDict("q=Kiuchi"), queryset=Event.objects.none(), now=NOW)
            assert filterset.is_valid()
            plan = filterset.filter_queryset(Event.objects.order_by()).explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "searchdocument_event_trgm" in plan, plan
    assert "Bitmap Index Scan" in plan
