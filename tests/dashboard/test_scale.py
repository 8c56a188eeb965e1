"""What keeps the pages fast at the size users reach: filters with thousands of choices render as text boxes with
suggestions, and a page's size does not grow with the number of organizations or products."""

import pytest
from django.urls import reverse

from disputes import models as m
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
