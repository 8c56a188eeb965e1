"""The read-only API: content, filters, cursor pagination, bad input as 400/404, fixed query counts, text that
stays text, and an OpenAPI schema that is valid and lists every endpoint, with docs served by the app."""

import base64

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from drf_spectacular.validation import validate_schema

from disputes.accounts.services import token_reset
from disputes.api.views import SCHEMA_SETTINGS
from disputes.models import PartyRole
from disputes.models.deferred import derived_data_deferred
from tests import factories

HOSTILE = (
    '=HYPERLINK("https://evil.example","x") <script>alert("x")</script> \'single\' 😀 日本語 \u200fשלום\u200e'
)


@pytest.fixture
def api(staff_client):
    """The signed-in client, under the name these tests read best with."""
    return staff_client


@pytest.fixture
@derived_data_deferred()
def record(db):
    openai = factories.OrganizationFactory(slug="openai", name="OpenAI", kind="ai_developer", country="US")
    coda = factories.OrganizationFactory(slug="coda", name="CODA", kind="trade_association", country="JP")
    sora = factories.AIProductFactory(slug="sora-2", name="Sora 2", developer=openai)
    dispute = factories.DisputeFactory(slug="coda-v-openai", title="CODA v. OpenAI", stage="in_dialogue")
    dispute.products.add(sora)
    factories.DisputePartyFactory(dispute=dispute, organization=coda, role=PartyRole.CLAIMANT)
    factories.DisputePartyFactory(dispute=dispute, organization=openai, role=PartyRole.RESPONDENT)
    other = factories.DisputeFactory(slug="other", title="Other", stage="litigation")
    letter = factories.DemandLetterFactory(
        dispute=dispute, title="CODA's request", sender=coda, recipient=openai
    )
    first = factories.DemandFactory(letter=letter, number=1, text_en="Do not train on members' works.")
    factories.DemandFactory(letter=letter, number=2, text_en="Answer members sincerely.")
    response = factories.ResponseFactory(letter=letter, evasive=True)
    response.demands.add(first)
    event = factories.EventFactory(disputes=[dispute], title="Sora 2 launch", kind="launch", actor=openai)
    event.products.add(sora)
    factories.EventFactory(disputes=[other], title="A filing", kind="filing")
    return {"letter": letter, "dispute": dispute, "other": other, "event": event, "sora": sora}


@time_machine.travel("2025-12-01 00:00Z", tick=False)
def test_letters_come_with_their_demands_and_responses(api, record):
    data = api.get(reverse("api:letter-list")).json()
    assert data["previous"] is None and data["next"] is None
    (letter,) = data["results"]
    assert letter["dispute"] == "coda-v-openai"
    assert letter["sender"] == {"slug": "coda", "name": "CODA", "short_name": ""}
    assert [d["number"] for d in letter["demands"]] == [1, 2]
    assert letter["demands"][0]["text_en"] == "Do not train on members' works."
    (response,) = letter["responses"]
    assert response["assessment"] == "evasive" and response["demands"] == [1]
    assert response["responder"]["slug"] == "openai"
    assert letter["response_deadline_at"] == "2025-11-26T14:59:59Z"
    assert (letter["overdue"], letter["days_overdue"], letter["has_sincere_response"]) == (True, 4, False)
    assert letter["link"] == f"http://127.0.0.1:8000/disputes/coda-v-openai/#letter-{record['letter'].pk}"
    detail = api.get(reverse("api:letter-detail", kwargs={"pk": record["letter"].pk})).json()
    assert detail == letter
    # A signed-in person whose dashboard shows New York time still reads UTC from the API.
    api.cookies["viewer_tz"] = "America/New_York"
    assert api.get(reverse("api:letter-list")).json()["results"][0] == letter


def test_disputes_events_organizations_and_products(api, record):
    disputes = {d["slug"]: d for d in api.get(reverse("api:dispute-list")).json()["results"]}
    coda = disputes["coda-v-openai"]
    assert (coda["letter_count"], coda["event_count"], coda["products"]) == (1, 1, ["sora-2"])
    assert {(p["organization"]["slug"], p["role"]) for p in coda["parties"]} == {
        ("coda", "claimant"),
        ("openai", "respondent"),
    }
    assert api.get(reverse("api:dispute-detail", kwargs={"slug": "other"})).json()["stage"] == "litigation"
    event = api.get(reverse("api:event-detail", kwargs={"pk": record["event"].pk})).json()
    assert (event["disputes"], event["products"], event["actor"]["slug"]) == (
        ["coda-v-openai"],
        ["sora-2"],
        "openai",
    )
    organizations = api.get(reverse("api:organization-list"), {"country": "jp"}).json()["results"]
    assert [o["slug"] for o in organizations] == ["coda"]
    product = api.get(reverse("api:product-detail", kwargs={"slug": "sora-2"})).json()
    assert product["developer"]["slug"] == "openai"
    products = api.get(reverse("api:product-list"), {"developer": "openai"}).json()["results"]
    assert [p["slug"] for p in products] == ["sora-2"]


def test_the_dashboard_filters_apply(api, record):
    def slugs(name, **query):
        response = api.get(reverse(name), query)
        assert response.status_code == 200, response.content
        return [row.get("slug") or row.get("title") for row in response.json()["results"]]

    assert slugs("api:dispute-list", stage="litigation") == ["other"]
    assert slugs("api:dispute-list", party="coda") == ["coda-v-openai"]
    assert slugs("api:dispute-list", product="sora-2") == ["coda-v-openai"]
    assert slugs("api:dispute-list", q="Sora") == ["coda-v-openai"]
    assert slugs("api:event-list", dispute="other") == ["A filing"]
    assert slugs("api:event-list", kind="launch") == ["Sora 2 launch"]
    assert slugs("api:letter-list", party="openai") == ["CODA's request"]
    assert slugs("api:letter-list", status="closed") == []
    assert slugs("api:letter-list", date_from="2025-10-28") == []


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("api:dispute-list", {"stage": "won"}),
        ("api:dispute-list", {"party": "nobody"}),
        ("api:dispute-list", {"date_from": "2025-02-30"}),
        ("api:letter-list", {"dispute": "nope"}),
        ("api:letter-list", {"status": "lost"}),
        ("api:event-list", {"date_to": "soon"}),
        ("api:organization-list", {"kind": "alien"}),
        ("api:product-list", {"modality": "smell"}),
    ],
)
def test_bad_filters_are_a_400_that_names_the_parameter(api, record, name, query):
    response = api.get(reverse(name), query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_unknown_records_are_a_404(api, record):
    assert api.get(reverse("api:dispute-detail", kwargs={"slug": "nope"})).status_code == 404
    assert api.get(reverse("api:letter-detail", kwargs={"pk": 999999})).status_code == 404
    assert api.get("/api/letters/abc/").status_code == 404
    assert api.get("/api/letters/99999999999999999999999/").status_code == 404


def test_cursor_pagination_walks_every_record_once(api, record):
    for _ in range(6):
        factories.EventFactory(disputes=[record["other"]])
    seen, url = [], reverse("api:event-list") + "?page_size=3"
    while url:
        page = api.get(url).json()
        seen += [e["id"] for e in page["results"]]
        url = page["next"]
    assert len(seen) == 8 == len(set(seen))
    assert seen == sorted(seen)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%%%",
        "日本",
        base64.b64encode(b"p=abc").decode(),
        base64.b64encode(b"o=-5").decode(),
        base64.b64encode(b"r=x").decode(),
        base64.b64encode(b"p=99999999999999999999999").decode(),
        base64.b64encode(b"p=-99999999999999999999999&r=1").decode(),
    ],
)
def test_a_bad_cursor_is_a_400_with_a_message(api, record, cursor):
    response = api.get(reverse("api:letter-list"), {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_an_empty_cursor_is_the_first_page(api, record):
    assert api.get(reverse("api:letter-list"), {"cursor": ""}).status_code == 200


def test_a_bad_page_size_falls_back_to_the_default(api, record):
    assert api.get(reverse("api:event-list"), {"page_size": "many"}).status_code == 200
    assert len(api.get(reverse("api:event-list"), {"page_size": "1"}).json()["results"]) == 1


def test_text_from_the_record_stays_text(api, record):
    letter = record["letter"]
    letter.title = HOSTILE
    letter.save()
    response = api.get(reverse("api:letter-detail", kwargs={"pk": letter.pk}))
    assert response["Content-Type"] == "application/json"
    assert response.json()["title"] == HOSTILE


@derived_data_deferred()
def _grow(record, n: int) -> None:
    for _ in range(n):
        dispute = factories.DisputeFactory()
        dispute.products.add(record["sora"])
        factories.DisputePartyFactory(dispute=dispute)
        letter = factories.DemandLetterFactory(dispute=dispute)
        letter.on_behalf_of.add(factories.OrganizationFactory())
        letter.products.add(record["sora"])
        factories.DemandFactory(letter=letter)
        factories.ResponseFactory(letter=letter).demands.add(factories.DemandFactory(letter=letter))
        factories.EventFactory(disputes=[dispute]).products.add(record["sora"], factories.AIProductFactory())


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # Session and user, then the rows and one query per prefetched relation.
        ("api:dispute-list", 2 + 1 + 3),  # jurisdictions, products, parties
        # Letters and events: the page's narrow rows and the record's generation first, under which their
        # representations are kept (nothing is kept in the tests' settings); then the rows not kept, whole.
        ("api:letter-list", 2 + 2 + 1 + 5),  # on behalf of, products, demands, responses, their demands
        ("api:event-list", 2 + 2 + 1 + 2),  # disputes, products
        ("api:organization-list", 2 + 1),
        ("api:product-list", 2 + 1),
    ],
)
def test_query_counts_do_not_depend_on_the_size(api, record, django_assert_num_queries, name, queries):
    with django_assert_num_queries(queries):
        small = len(api.get(reverse(name)).json()["results"])
    _grow(record, 8)
    with django_assert_num_queries(queries):
        large = len(api.get(reverse(name)).json()["results"])
    assert large > small


def test_a_token_in_the_header_authenticates(client, user, record):
    raw = token_reset(user=user)
    response = client.get(reverse("api:letter-list"), HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 200
    response = client.get(reverse("api:letter-list"), HTTP_AUTHORIZATION="Token")
    assert response.status_code == 401
    response = client.get(reverse("api:letter-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


# --- Schema and docs -------------------------------------------------------------------------------------------


def _schema() -> dict:
    with patched_settings(SCHEMA_SETTINGS):
        return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_and_lists_every_endpoint():
    schema = _schema()
    validate_schema(schema)  # raises on an invalid OpenAPI document
    api_paths = {path for path in schema["paths"] if path.startswith("/api/")}
    assert api_paths == {
        "/api/disputes/",
        "/api/disputes/{slug}/",
        "/api/letters/",
        "/api/letters/{id}/",
        "/api/events/",
        "/api/events/{id}/",
        "/api/organizations/",
        "/api/organizations/{slug}/",
        "/api/products/",
        "/api/products/{slug}/",
    }
    for path in api_paths:
        operation = schema["paths"][path]["get"]
        assert {"tokenAuth": []} in operation["security"]
        assert "post" not in schema["paths"][path]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    letter_filters = {p["name"] for p in schema["paths"]["/api/letters/"]["get"]["parameters"]}
    assert {
        "q",
        "party",
        "stage",
        "product",
        "date_from",
        "date_to",
        "overdue",
        "dispute",
        "cursor",
    } <= letter_filters


def test_the_schema_generates_without_warnings(capsys):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    _schema()
    assert not GENERATOR_STATS, capsys.readouterr().err


def test_the_schema_and_docs_are_served_by_the_app(api, db):
    response = api.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "AI Disputes Tracker API"

    page = api.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html and "http://" not in html  # no CDN, no validator
    # The start-up script is a file of its own (the CSP allows no inline script), and it reads our schema.
    assert "<script>" not in html and "<style>" not in html
    script = api.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
