"""What keeps the pages fast at the size users reach: filters with thousands of choices render as text boxes with
suggestions, and a page's size does not grow with the number of organizations or products."""

import pytest
from django.urls import reverse

from disputes import models as m
from disputes.models.deferred import derived_data_deferred
from tests import factories


def _grow_choices(n: int) -> None:
    start = m.Organization.objects.filter(slug__startswith="bulk-studio-").count()
    developer = factories.OrganizationFactory(kind=m.OrganizationKind.AI_DEVELOPER)
    m.Organization.objects.bulk_create(
        [
            m.Organization(kind="rights_holder", name=f"Bulk Studio {i}", slug=f"bulk-studio-{i}")
            for i in range(start, start + n)
        ]
    )
    m.AIProduct.objects.bulk_create(
        [
            m.AIProduct(name=f"Bulk Model {i}", slug=f"bulk-model-{i}", developer=developer, modality="video")
            for i in range(start, start + n)
        ]
    )


@pytest.mark.parametrize("url", ["/disputes/", "/timeline/"])
def test_the_filter_form_does_not_grow_with_organizations_and_products(logged_in, scenario, url):
    _grow_choices(20)
    small = logged_in.get(url).content.decode()
    _grow_choices(200)
    large = logged_in.get(url).content.decode()
    assert "Bulk Studio" not in large and "Bulk Model" not in large
    assert abs(len(large) - len(small)) < 200  # a longer CSRF token or a digit more, not 200 <option>s
    assert '<input type="text" name="party"' in large
    assert 'list="id_party_suggestions"' in large and '<datalist id="id_party_suggestions">' in large


def test_suggestions_match_names_in_any_language_and_are_few(logged_in, scenario):
    _grow_choices(40)
    url = reverse("disputes:filter-suggest", kwargs={"source": "party"})
    html = logged_in.get(url, {"party": "open"}).content.decode()
    assert '<option value="openai">OpenAI</option>' in html
    html = logged_in.get(url, {"party": "bulk studio"}).content.decode()
    assert html.count("<option") == 20
    coda = m.Organization.objects.get(slug="coda")
    html = logged_in.get(url, {"party": coda.name_original[:4]}).content.decode()
    assert 'value="coda"' in html
    products = logged_in.get(
        reverse("disputes:filter-suggest", kwargs={"source": "product"}), {"product": "sora"}
    ).content.decode()
    assert 'value="sora-2"' in products and "OpenAI" in products
    developers = logged_in.get(
        reverse("disputes:filter-suggest", kwargs={"source": "developer"}), {"developer": "o"}
    ).content.decode()
    assert 'value="openai"' in developers and 'value="coda"' not in developers


def test_suggestions_take_one_query_and_need_a_login(client, logged_in, scenario, django_assert_num_queries):
    url = reverse("disputes:filter-suggest", kwargs={"source": "party"})
    with django_assert_num_queries(3):  # session, user, the names
        assert logged_in.get(url, {"party": "a"}).status_code == 200
    assert logged_in.get(reverse("disputes:filter-suggest", kwargs={"source": "nope"})).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_shared_address_still_filters_by_slug(logged_in, scenario):
    html = logged_in.get("/timeline/", {"party": "openai"}).content.decode()
    assert 'name="party" value="openai"' in html
    bad = logged_in.get("/timeline/", {"party": "no-such-org"}).content.decode()
    assert "errorlist" in bad


@derived_data_deferred()
def _letters_to(openai, dispute, n: int, product=None) -> None:
    for _ in range(n):
        letter = factories.DemandLetterFactory(dispute=dispute, recipient=openai, title="Bulk letter")
        if product is not None:
            letter.products.add(product)


@pytest.mark.parametrize("url", ["/organizations/openai/", "/products/sora-2/"])
def test_long_lists_of_letters_are_paged_and_the_page_does_not_grow(
    logged_in, scenario, url, django_assert_max_num_queries
):
    openai = m.Organization.objects.get(slug="openai")
    sora = m.AIProduct.objects.get(slug="sora-2")
    dispute = m.Dispute.objects.get(slug="coda-v-openai-sora-2")
    _letters_to(openai, dispute, 30, sora)
    with django_assert_max_num_queries(40) as small_queries:
        small = logged_in.get(url).content.decode()
    _letters_to(openai, dispute, 30, sora)
    with django_assert_max_num_queries(len(small_queries)):
        large = logged_in.get(url).content.decode()
    assert small.count("Bulk letter") == large.count("Bulk letter") > 0
    assert abs(len(large) - len(small)) < 500  # counts and page numbers, not 30 more letters
    assert "Page 1 of 3" in large
    param = "received" if "organizations" in url else "page"
    last = logged_in.get(url, {param: "3"}).content.decode()
    assert "Page 3 of 3" in last and 'rel="prev"' in last
    assert logged_in.get(url, {param: "nope"}).status_code == 200
    assert "Page 3 of 3" in logged_in.get(url, {param: "99"}).content.decode()
