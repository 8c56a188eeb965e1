"""Atom feeds: valid XML with the right entries for every scope and filter, text that stays text, fixed
query counts, and a 400 (not a 500) for bad filters."""

import datetime as dt
import html
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse

from disputes.accounts.services import token_reset
from disputes.models import Assessment, EventKind, PartyRole
from disputes.models.deferred import derived_data_deferred
from tests import factories

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '=HYPERLINK("https://evil.example","x") <script>alert("x")</script> \'single\' 😀 日本語の要望書 \u200fשלום\u200e'


def parse(response) -> ET.Element:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to check it


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def ids(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}id") for entry in entries(feed)]


def titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


@pytest.fixture
@derived_data_deferred()
def record(db):
    """Two disputes: CODA v. OpenAI about Sora 2, and one with nothing in common, recorded on known days."""
    openai = factories.OrganizationFactory(slug="openai", name="OpenAI", kind="ai_developer")
    coda = factories.OrganizationFactory(slug="coda", name="CODA", kind="trade_association")
    other_org = factories.OrganizationFactory(slug="other-org")
    sora = factories.AIProductFactory(slug="sora-2", name="Sora 2", developer=openai)
    coda_dispute = factories.DisputeFactory(slug="coda-v-openai", title="CODA v. OpenAI", stage="letter_sent")
    coda_dispute.products.add(sora)
    factories.DisputePartyFactory(dispute=coda_dispute, organization=coda, role=PartyRole.CLAIMANT)
    factories.DisputePartyFactory(dispute=coda_dispute, organization=openai, role=PartyRole.RESPONDENT)
    other = factories.DisputeFactory(slug="other", title="Another dispute", stage="litigation")
    factories.DisputePartyFactory(dispute=other, organization=other_org, role=PartyRole.CLAIMANT)
    with time_machine.travel("2025-10-27 09:00Z", tick=False):
        letter = factories.DemandLetterFactory(
            dispute=coda_dispute, title="CODA's written request", sender=coda, recipient=openai
        )
    with time_machine.travel("2025-10-28 09:00Z", tick=False):
        launch = factories.EventFactory(
            disputes=[coda_dispute], title="Sora 2 launch", kind=EventKind.LAUNCH, date=dt.date(2025, 9, 30)
        )
        launch.products.add(sora)
    with time_machine.travel("2025-11-04 09:00Z", tick=False):
        response = factories.ResponseFactory(letter=letter, title="No public reply", evasive=True)
    with time_machine.travel("2025-11-05 09:00Z", tick=False):
        other_event = factories.EventFactory(
            disputes=[other], title="A filing elsewhere", kind=EventKind.FILING
        )
    return {
        "letter": letter,
        "launch": launch,
        "response": response,
        "other_event": other_event,
        "coda_dispute": coda_dispute,
        "other": other,
    }


def test_the_global_feed_has_every_kind_of_entry_newest_first(staff_client, record):
    feed = parse(staff_client.get(reverse("feeds:atom")))
    assert titles(feed) == [
        "Court filing: A filing elsewhere",
        "Response from OpenAI to “CODA's written request”: Evasive or boilerplate",
        "Launch: Sora 2 launch",
        "Letter: CODA's written request (CODA → OpenAI)",
    ]
    assert feed.findtext(f"{ATOM}title") == "AI disputes: new events, letters and responses"
    letter_entry = entries(feed)[-1]
    assert letter_entry.findtext(f"{ATOM}id").endswith(f":demandletter/{record['letter'].pk}")
    assert letter_entry.find(f"{ATOM}link").get("href") == (
        f"http://127.0.0.1:8000/disputes/coda-v-openai/#letter-{record['letter'].pk}"
    )
    assert letter_entry.findtext(f"{ATOM}published").startswith("2025-10-27T09:00:00")
    assert letter_entry.findtext(f"{ATOM}author/{ATOM}name") == "CODA"
    assert "Response due by 2025-11-26 (Asia/Tokyo)." in html.unescape(
        letter_entry.findtext(f"{ATOM}summary")
    )


def test_the_feed_has_what_rfc_4287_requires(staff_client, record):
    feed = parse(staff_client.get(reverse("feeds:atom")))
    for element in ("id", "title", "updated", "author/{ATOM}name"):
        assert feed.findtext(f"{ATOM}{element}".replace("{ATOM}", ATOM)), element
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in entries(feed):
        for element in ("id", "title", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{element}"), element
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://127.0.0.1:8000/")
    assert len(set(ids(feed))) == len(ids(feed))


def test_entry_ids_are_stable_and_the_feed_id_survives_a_token_reset(client, user, record):
    raw = token_reset(user=user)
    first = parse(client.get(reverse("feeds:atom", kwargs={"token": raw}) + "?stage=letter_sent"))
    raw = token_reset(user=user)
    second = parse(client.get(reverse("feeds:atom", kwargs={"token": raw}) + "?stage=letter_sent"))
    assert ids(first) == ids(second)
    assert first.findtext(f"{ATOM}id") == second.findtext(f"{ATOM}id")
    assert first.findtext(f"{ATOM}id") == "http://127.0.0.1:8000/feeds/atom/?stage=letter_sent"
    # The feed's own link is its address without the token: feeds are shared, pasted and logged.
    assert (
        second.find(f"{ATOM}link[@rel='self']").get("href")
        == "http://127.0.0.1:8000/feeds/atom/?stage=letter_sent"
    )
    assert raw not in second.find(f"{ATOM}link[@rel='self']").get("href")


def test_the_feed_of_one_dispute(staff_client, record):
    feed = parse(staff_client.get(reverse("feeds:atom-dispute", kwargs={"slug": "other"})))
    assert titles(feed) == ["Court filing: A filing elsewhere"]
    assert feed.findtext(f"{ATOM}title") == "Another dispute: new events, letters and responses"
    feed = parse(staff_client.get(reverse("feeds:atom-dispute", kwargs={"slug": "coda-v-openai"})))
    assert len(entries(feed)) == 3


def test_the_feed_of_an_organization_includes_its_disputes(staff_client, record):
    feed = parse(staff_client.get(reverse("feeds:atom-organization", kwargs={"slug": "coda"})))
    assert set(titles(feed)) == {
        "Response from OpenAI to “CODA's written request”: Evasive or boilerplate",
        "Launch: Sora 2 launch",
        "Letter: CODA's written request (CODA → OpenAI)",
    }
    feed = parse(staff_client.get(reverse("feeds:atom-organization", kwargs={"slug": "other-org"})))
    assert titles(feed) == ["Court filing: A filing elsewhere"]


def test_the_feed_of_an_ai_product(staff_client, record):
    feed = parse(staff_client.get(reverse("feeds:atom-product", kwargs={"slug": "sora-2"})))
    assert "Court filing: A filing elsewhere" not in titles(feed)
    assert "Launch: Sora 2 launch" in titles(feed)


def test_a_filtered_feed_takes_the_dashboard_filters(staff_client, record):
    feed = parse(staff_client.get(reverse("feeds:atom"), {"stage": "litigation"}))
    assert titles(feed) == ["Court filing: A filing elsewhere"]
    feed = parse(staff_client.get(reverse("feeds:atom"), {"show": "letters"}))
    assert titles(feed) == ["Letter: CODA's written request (CODA → OpenAI)"]
    feed = parse(staff_client.get(reverse("feeds:atom"), {"date_from": "2025-10-01", "show": "events"}))
    assert titles(feed) == ["Court filing: A filing elsewhere"]
    feed = parse(staff_client.get(reverse("feeds:atom"), {"q": "Sora"}))
    assert "Launch: Sora 2 launch" in titles(feed)
    assert "Court filing: A filing elsewhere" not in titles(feed)
    assert feed.findtext(f"{ATOM}title") == "AI disputes (filtered): new events, letters and responses"


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2025-13-45"},
        {"date_from": "yesterday"},
        {"party": "no-such-organization"},
        {"stage": "nonsense"},
        {"show": "everything"},
        {"dispute": "no-such-dispute"},
        {"date_from": "2025-12-01", "date_to": "2025-01-01"},
    ],
)
def test_bad_filters_are_a_400_with_a_message(staff_client, record, query):
    response = staff_client.get(reverse("feeds:atom"), query)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors, response.content
    assert set(errors) <= {*query, "__all__"}


def test_unknown_scopes_are_a_404(staff_client, record):
    for name in ("feeds:atom-dispute", "feeds:atom-organization", "feeds:atom-product"):
        assert staff_client.get(reverse(name, kwargs={"slug": "nope"})).status_code == 404


def test_text_from_the_record_stays_text(staff_client, record):
    dispute = record["coda_dispute"]
    dispute.title = HOSTILE
    dispute.save()
    letter = record["letter"]
    letter.title = HOSTILE
    letter.summary = HOSTILE + "\nsecond line"
    letter.save()
    factories.EventFactory(disputes=[dispute], title=HOSTILE, summary="<img src=x onerror=alert(1)>")

    feed = parse(staff_client.get(reverse("feeds:atom-dispute", kwargs={"slug": dispute.slug})))
    assert feed.findtext(f"{ATOM}title") == f"{HOSTILE}: new events, letters and responses"
    assert f"Statement: {HOSTILE}" in titles(feed)
    assert f"Letter: {HOSTILE} (CODA → OpenAI)" in titles(feed)
    for entry in entries(feed):
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        # Shown by a reader as HTML: the record's markup must arrive escaped, i.e. as text.
        assert "<script" not in summary.text and "<img" not in summary.text
    letter_summary = entries(feed)[-1].findtext(f"{ATOM}summary")
    assert html.escape(HOSTILE, quote=True) in letter_summary
    assert "😀 日本語の要望書 \u200fשלום\u200e" in letter_summary


def test_control_characters_do_not_break_the_xml(staff_client, record):
    letter = record["letter"]
    letter.title = "Bell\x07 and form feed\x0c"
    letter.save()
    feed = parse(staff_client.get(reverse("feeds:atom")))
    assert "Letter: Bell and form feed (CODA → OpenAI)" in titles(feed)


@derived_data_deferred()
def _grow(record, n: int) -> None:
    dispute = record["coda_dispute"]
    for i in range(n):
        letter = factories.DemandLetterFactory(dispute=dispute)
        factories.ResponseFactory(letter=letter, sincere=True)
        factories.EventFactory(disputes=[dispute, record["other"]], title=f"Event {i}")


@pytest.mark.parametrize("name", ["feeds:atom", "feeds:atom-dispute"])
def test_query_counts_do_not_depend_on_the_size(staff_client, record, django_assert_num_queries, name):
    kwargs = {"slug": "coda-v-openai"} if name == "feeds:atom-dispute" else {}
    # Session and user; the party's lookup; letters, responses, events, events' disputes; and, because the
    # dashboard's party filter lists the party's associations first, one membership query per record type.
    # A dispute's feed adds the dispute: once for the 404, once for the filter.
    expected = 2 + 1 + 4 + 3 + (2 if kwargs else 0)
    with django_assert_num_queries(expected):
        small = parse(staff_client.get(reverse(name, kwargs=kwargs), {"party": "openai"}))
    _grow(record, 30)
    with django_assert_num_queries(expected):
        large = parse(staff_client.get(reverse(name, kwargs=kwargs), {"party": "openai"}))
    assert len(entries(small)) < len(entries(large)) == 50


def test_token_requests_cost_one_query_for_the_user(client, user, record, django_assert_num_queries):
    raw = token_reset(user=user)
    client.get(reverse("feeds:atom", kwargs={"token": raw}))  # records the first use
    with django_assert_num_queries(1 + 4):
        parse(client.get(reverse("feeds:atom", kwargs={"token": raw})))


def test_an_assessment_changes_the_entry_update_time(staff_client, record):
    response = record["response"]
    with time_machine.travel("2025-11-10 09:00Z", tick=False):
        response.assessment = Assessment.SINCERE
        response.save()
    feed = parse(staff_client.get(reverse("feeds:atom")))
    entry = next(e for e in entries(feed) if e.findtext(f"{ATOM}id").endswith(f"response/{response.pk}"))
    assert entry.findtext(f"{ATOM}updated").startswith("2025-11-10T09:00:00")
    assert entry.findtext(f"{ATOM}title").endswith(": Sincere")


def test_feed_links_leave_out_empty_filters(rf):
    from disputes.templatetags.feeds_extras import feed_links

    request = rf.get("/disputes/", {"q": "", "stage": "", "party": "openai", "page": "2"})
    html = str(feed_links(request))
    assert "party=openai" in html
    assert "q=" not in html and "stage=" not in html and "page=" not in html
