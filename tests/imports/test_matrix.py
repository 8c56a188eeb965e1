"""The rights-holder × AI-developer matrix page."""

import csv
import io

import pytest
from django.urls import reverse

from disputes import models as m
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def licences(scenario):
    openai = m.Organization.objects.get(slug="openai")
    ghibli = m.Organization.objects.get(slug="studio-ghibli")
    newsroom = factories.OrganizationFactory(
        name="Daily Newsroom", slug="daily-newsroom", kind=m.OrganizationKind.MEDIA
    )
    m.Licence.objects.create(
        rights_holder=newsroom, ai_developer=openai, kind=m.LicenceKind.AI_LICENCE, content_type="News"
    )
    m.OptOutRequest.objects.create(
        requester=ghibli, ai_developer=openai, summary="Asked to be left out of training."
    )
    return scenario


def test_codas_members_against_openai(logged_in, licences, django_assert_max_num_queries):
    # With the record's generation, under which the matrix is kept, and the names every organization is sorted by
    # apart from the organizations the page shows.
    with django_assert_max_num_queries(14):
        response = logged_in.get(reverse("disputes:matrix"), {"developer": "openai"})
    assert response.status_code == 200
    matrix = response.context["matrix"]
    pairs = {(p.holder.slug, p.developer.slug): p for p in matrix.shown_pairs}
    coda = pairs[("coda", "openai")]
    assert coda.disputes and coda.letters and not coda.via
    ghibli = pairs[("studio-ghibli", "openai")]
    assert ghibli.via_names == ["CODA"] and ghibli.disputes and ghibli.letters and ghibli.opt_outs
    assert pairs[("daily-newsroom", "openai")].licences
    body = response.content.decode()
    assert "Studio Ghibli" in body and "Daily Newsroom" in body


def test_filters(logged_in, licences):
    url = reverse("disputes:matrix")
    licensed = (
        logged_in.get(url, {"has": "licences", "filtered": "1", "members": "on"})
        .context["matrix"]
        .shown_pairs
    )
    assert [(p.holder.slug, p.developer.slug) for p in licensed] == [("daily-newsroom", "openai")]
    without_members = (
        logged_in.get(url, {"filtered": "1", "developer": "openai"}).context["matrix"].shown_pairs
    )
    assert not any(p.via for p in without_members)
    searched = logged_in.get(url, {"q": "ghibli"}).context["matrix"].shown_pairs
    assert {p.holder.slug for p in searched} == {"studio-ghibli"}
    # Unreadable filters are dropped, not a 500.
    assert logged_in.get(url, {"has": "nonsense", "page": "x"}).status_code == 200


def test_csv_export(logged_in, licences):
    response = logged_in.get(reverse("disputes:matrix"), {"developer": "openai", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    ghibli = next(r for r in rows if r["rights_holder"] == "Studio Ghibli")
    assert ghibli["through"] == "CODA" and ghibli["disputes"] and ghibli["opt_out_requests"]
    assert any(r["licences"] for r in rows if r["rights_holder"] == "Daily Newsroom")


def test_needs_a_login(client):
    response = client.get(reverse("disputes:matrix"))
    assert response.status_code == 302


def test_csv_export_defuses_formulas_as_the_other_exports_do(logged_in, licences):
    """A name that a spreadsheet would run after trimming spaces, or with a full-width sign, is quoted here too."""
    m.Organization.objects.filter(slug="daily-newsroom").update(name=" =HYPERLINK(1)")
    m.Organization.objects.create(name="＝SUM(1)", slug="fullwidth", kind=m.OrganizationKind.MEDIA)
    m.Licence.objects.create(
        rights_holder=m.Organization.objects.get(slug="fullwidth"),
        ai_developer=m.Organization.objects.get(slug="openai"),
        kind=m.LicenceKind.AI_LICENCE,
    )
    response = logged_in.get(reverse("disputes:matrix"), {"developer": "openai", "format": "csv"})
    holders = {row["rights_holder"] for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert {"' =HYPERLINK(1)", "'＝SUM(1)"} <= holders


def test_a_kept_matrix_names_the_association_in_each_readers_language(logged_in, licences, settings):
    """The matrix is kept for every reader; the association a pair comes through is named when a page is shown,
    in that reader's language, not in the language of whoever saw the page first."""
    from django.core.cache import caches

    from tests.dashboard.test_fragments import KEPT

    m.Organization.objects.filter(slug="coda").update(short_name_ja="コンテンツ海外流通促進機構")
    settings.CACHES = KEPT
    caches["fragments"].clear()
    url = reverse("disputes:matrix")
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    japanese = logged_in.get(url, {"developer": "openai"}).content.decode()
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = logged_in.get(url, {"developer": "openai"}).content.decode()
    caches["fragments"].clear()
    assert "コンテンツ海外流通促進機構" in japanese
    assert "(through CODA)" in english and "コンテンツ海外流通促進機構" not in english
