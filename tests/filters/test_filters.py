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


def apply(model, query: str, filterset_class=RecordFilterSet) -> set:
    filterset = filterset_class(QueryDict(query), queryset=model.objects.all(), now=NOW)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.filter_queryset(model.objects.all()))


# --- Party, including an association's members ------------------------------------------------------------


def test_party_finds_an_associations_disputes_through_a_member(scenario):
    assert apply(Dispute, "party=studio-ghibli") == {scenario.dispute}
    assert apply(DemandLetter, "party=studio-ghibli") == {scenario.letter}
    assert apply(Event, "party=studio-ghibli") == {
        scenario.launch,
        scenario.kiuchi_event,
        scenario.announcement,
    }
    assert apply(Dispute, "party=getty-images") == {scenario.other}


def test_party_finds_letters_sent_on_its_behalf_outside_its_associations(scenario):
    toei = factories.OrganizationFactory(slug="toei")
    scenario.other_letter.on_behalf_of.add(toei)
    assert apply(DemandLetter, "party=toei") == {scenario.other_letter}
    assert apply(Dispute, "party=toei") == {scenario.other}


def test_party_finds_events_where_it_acts_in_a_dispute_it_is_not_party_to(scenario):
    outsider = factories.OrganizationFactory(slug="outsider")
    statement = factories.EventFactory(actor=outsider, disputes=[scenario.other])
    assert apply(Event, "party=outsider") == {statement}


def test_party_with_a_role(scenario):
    assert apply(Dispute, "party=openai&role=respondent") == {scenario.dispute}
    assert apply(Dispute, "party=openai&role=claimant") == set()
    # With a role, only the disputes where it holds that role count, not the rows that merely name it.
    assert apply(Event, "party=openai&role=claimant") == set()


def test_role_alone(scenario):
    assert apply(Dispute, "role=government") == {scenario.dispute}


def test_party_on_responses(scenario):
    assert apply(Response, "party=stability-ai") == {scenario.evasive, scenario.unassessed}
    assert apply(Response, "party=studio-ghibli") == set()


# --- Products, developers, stage, jurisdiction, kind ------------------------------------------------------


def test_product_matches_through_the_dispute_or_the_record_itself(scenario):
    elsewhere = factories.EventFactory(disputes=[scenario.other])
    elsewhere.products.add(scenario.sora)
    assert apply(Dispute, "product=sora-2") == {scenario.dispute}
    assert apply(Event, "product=sora-2") == {
        scenario.launch,
        scenario.kiuchi_event,
        scenario.announcement,
        elsewhere,
    }
    assert apply(DemandLetter, "product=stable-diffusion") == {scenario.other_letter}
    assert apply(Response, "product=stable-diffusion") == {scenario.evasive, scenario.unassessed}


def test_developer(scenario):
    assert apply(Dispute, "developer=openai") == {scenario.dispute}
    assert apply(Dispute, "developer=stability-ai") == {scenario.other}


def test_stage_and_jurisdiction(scenario):
    assert apply(Dispute, "stage=litigation") == {scenario.other}
    assert apply(Event, "stage=litigation") == {scenario.lawsuit}
    assert apply(Dispute, "jurisdiction=JP") == {scenario.dispute}
    assert apply(Response, "jurisdiction=GB") == {scenario.evasive, scenario.unassessed}


def test_event_kind_keeps_only_events_of_that_kind(scenario):
    assert apply(Event, "kind=government") == {scenario.kiuchi_event}
    assert apply(Dispute, "kind=government") == {scenario.dispute}
    assert apply(DemandLetter, "kind=government") == set()
    assert apply(Response, "kind=government") == set()


# --- Dates and overdue ------------------------------------------------------------------------------------


def test_dates_use_each_records_own_date(scenario):
    assert apply(Event, "date_from=2025-10-01&date_to=2025-10-31") == {
        scenario.kiuchi_event,
        scenario.announcement,
    }
    assert apply(DemandLetter, "date_from=2025-10-27&date_to=2025-10-27") == {scenario.letter}
    assert apply(Response, "date_from=2023-01-25") == {scenario.unassessed}
    assert apply(Dispute, "date_to=2023-12-31") == {scenario.other}


def test_a_letter_without_a_sent_date_stands_at_its_dated_date(scenario):
    undated = factories.DemandLetterFactory(
        dispute=scenario.other,
        sender=scenario.getty,
        recipient=scenario.stability,
        sent_on=None,
        dated_on=dt.date(2024, 5, 1),
        response_deadline_on=None,
        deadline_source="none",
    )
    assert apply(DemandLetter, "date_from=2024-05-01&date_to=2024-05-01") == {undated}


def test_overdue_only(scenario):
    assert apply(Dispute, "overdue=on") == {scenario.dispute}
    assert apply(DemandLetter, "overdue=on") == {scenario.letter}
    assert apply(Event, "overdue=on") == set()
    factories.ResponseFactory(letter=scenario.letter, sincere=True)
    assert apply(DemandLetter, "overdue=on") == set()


def test_unchecked_overdue_filters_nothing(scenario):
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
def test_search_each_record_type(scenario, query, model, expected):
    assert getattr(scenario, expected) in apply(model, f"q={query}")


def test_search_needs_every_term(scenario):
    assert apply(Dispute, "q=Sora CODA") == {scenario.dispute}
    assert apply(Dispute, "q=Sora Getty") == set()


def test_search_escapes_like_wildcards(scenario):
    assert apply(Dispute, "q=%25") == set()
    assert apply(Dispute, "q=_") == set()


def test_name_matches_are_looked_up_once_per_term(scenario, django_assert_num_queries):
    filterset = TimelineFilterSet(QueryDict("q=Kiuchi"), queryset=Event.objects.none(), now=NOW)
    assert filterset.is_valid()
    with django_assert_num_queries(3):
        for model in (Event, DemandLetter, Response):
            filterset.filter_queryset(model.objects.all())
    assert NameMatches.lookup("Kiuchi").people == [scenario.kiuchi.pk]


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
def test_invalid_input_is_a_form_error(scenario, query, field):
    filterset = DisputeFilterSet(QueryDict(query), queryset=Dispute.objects.all(), now=NOW)
    assert not filterset.is_valid()
    assert field in filterset.errors


def test_active_says_whether_any_filter_is_set(scenario):
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
        "searchdocument_letter_trgm",
        "searchdocument_response_trgm",
        "searchdocument_event_trgm",
        "organization_name_original_trgm",
        "organization_name_ja_trgm",
        "organization_short_name_ja_trgm",
        "person_name_original_trgm",
    } <= names
    assert "event_title_trgm" not in names  # the documents replaced the per-column indexes


@pytest.mark.postgres
def test_finding_an_organization_by_any_of_its_names_reads_only_indexes(scenario):
    """Each name (English, original, Japanese, short, aliases) has its trigram index, so the OR of them is a
    combination of index scans, never a read of every organization."""
    from disputes.models import Organization

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would otherwise be scanned
        try:
            plan = Organization.objects.search("コンテンツ").values("pk").explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "Seq Scan" not in plan, plan
    assert "organization_name_ja_trgm" in plan and "organization_short_name_ja_trgm" in plan, plan


@pytest.mark.postgres
def test_event_search_uses_the_search_documents_trigram_index(scenario):
    factories.EventFactory.create_batch(30, disputes=[scenario.other])
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
