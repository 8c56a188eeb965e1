"""Japanese readers see organizations under their Japanese names wherever a name appears; English readers see
nothing change. The names are entered in the admin."""

import datetime as dt
import html as htmllib
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from disputes.models import DisputeParty, Organization, ProceedingParty
from disputes.templatetags.disputes_extras import bilingual, names, party_name, short_name
from tests import factories

NOW = dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def text_of(response) -> str:
    html = re.sub(r"</?bdi>", "", response.content.decode())
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def japanese_names(scenario):
    """The scenario's organizations with the Japanese names an editor would give them."""
    Organization.objects.filter(pk=scenario.coda.pk).update(
        name_ja="コンテンツ海外流通促進機構", short_name_ja="コンテンツ海外流通促進機構"
    )
    Organization.objects.filter(pk=scenario.openai.pk).update(name_ja="オープンエーアイ")
    for org in (scenario.coda, scenario.openai):
        org.refresh_from_db()
    return scenario


@pytest.fixture
def japanese(logged_in):
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    return logged_in


def test_the_filters_give_the_name_in_the_readers_language(japanese_names):
    coda = japanese_names.coda
    with translation.override("ja"):
        assert names(coda) == ("コンテンツ海外流通促進機構", "Content Overseas Distribution Association")
        assert short_name(coda) == "コンテンツ海外流通促進機構"
        assert 'lang="ja"' in bilingual(coda) and "コンテンツ海外流通促進機構" in bilingual(coda)
    with translation.override("en"):
        assert names(coda) == (
            "Content Overseas Distribution Association",
            "一般社団法人コンテンツ海外流通促進機構",
        )
        assert short_name(coda) == "CODA"


def test_party_names_in_the_readers_language(japanese_names):
    party = DisputeParty(organization=japanese_names.openai, role="respondent")
    proceeding_party = ProceedingParty(organization=japanese_names.coda, role="plaintiff")
    with translation.override("ja"):
        assert party_name(party) == "オープンエーアイ"
        assert party_name(proceeding_party) == "コンテンツ海外流通促進機構"
    with translation.override("en"):
        assert party_name(party) == "OpenAI" and party_name(proceeding_party) == "CODA"


def test_the_home_page_in_japanese(japanese, japanese_names):
    page = text_of(japanese.get("/"))
    assert "コンテンツ海外流通促進機構 → オープンエーアイ" in page  # the overdue letter


def test_the_home_page_in_english_is_unchanged(logged_in, japanese_names):
    page = text_of(logged_in.get("/"))
    assert "CODA → OpenAI" in page and "オープンエーアイ" not in page


def test_the_dispute_page_in_japanese(japanese, japanese_names):
    page = text_of(japanese.get(f"/disputes/{japanese_names.dispute.slug}/"))
    # The overview's ask, the letter's sender and recipient, the parties' list.
    assert "コンテンツ海外流通促進機構" in page and "オープンエーアイ" in page
    assert "OpenAI →" not in page


def test_the_organization_page_in_japanese(japanese, japanese_names):
    response = japanese.get("/organizations/openai/")
    heading = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1)
    assert "オープンエーアイ" in heading and "OpenAI" in heading  # the English name beside it
    page = text_of(response)
    assert "名称（日本語） オープンエーアイ" in page


def test_the_inbox_in_japanese(japanese, japanese_names, staff):
    from disputes.models import Reminder

    Reminder.objects.create(
        letter=japanese_names.letter,
        deadline_version=japanese_names.letter.deadline_version,
        step="after-7d",
        due_at=NOW - dt.timedelta(days=4),
        recipient=staff,
    )
    page = text_of(japanese.get(reverse("reminders:inbox")))
    assert "コンテンツ海外流通促進機構 → オープンエーアイ" in page


def test_an_editor_enters_the_japanese_name_in_the_admin(admin_client_logged, scenario):
    url = reverse("admin:disputes_organization_change", args=[scenario.openai.pk])
    form = admin_client_logged.get(url).content.decode()
    assert 'name="name_ja"' in form and 'name="short_name_ja"' in form
    data = {
        "kind": "ai_developer",
        "name": "OpenAI",
        "short_name": "OpenAI",
        "name_ja": "オープンエーアイ",
        "short_name_ja": "",
        "slug": "openai",
        "country": "US",
        "timezone": "America/Los_Angeles",
        "court_level": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = admin_client_logged.post(url, data)
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode()
    )
    scenario.openai.refresh_from_db()
    assert scenario.openai.name_ja == "オープンエーアイ"
    admin_client_logged.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert "オープンエーアイ" in text_of(admin_client_logged.get("/organizations/openai/"))
    # The admin finds it by its Japanese name.
    found = admin_client_logged.get(reverse("admin:disputes_organization_changelist"), {"q": "オープン"})
    change_url = reverse("admin:disputes_organization_change", args=[scenario.openai.pk])
    assert change_url in found.content.decode()


def test_the_api_gives_the_japanese_names(staff_client, japanese_names):
    data = staff_client.get("/api/organizations/openai/").json()
    assert data["name_ja"] == "オープンエーアイ" and data["short_name_ja"] == ""


def test_the_admin_lists_the_japanese_name(admin_client_logged, japanese_names):
    page = admin_client_logged.get(reverse("admin:disputes_organization_changelist")).content.decode()
    assert "オープンエーアイ" in page


def test_an_organization_with_no_japanese_name_reads_as_before(japanese, scenario):
    factories.OrganizationFactory(name="Midjourney", slug="midjourney", country="US")
    page = text_of(japanese.get("/organizations/midjourney/"))
    assert "Midjourney" in page
