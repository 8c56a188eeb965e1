"""An organization's name in the reader's language: one definition (``Organization.name_in``) for every page,
email, filter and party label."""

import pytest
from django.utils import translation

from disputes.models import DisputeParty, ProceedingParty
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def coda():
    return f.OrganizationFactory(
        name="Content Overseas Distribution Association",
        name_original="一般社団法人コンテンツ海外流通促進機構",
        short_name="CODA",
        name_ja="コンテンツ海外流通促進機構",
        short_name_ja="CODA",
    )


@pytest.fixture
def ldp():
    return f.OrganizationFactory(
        name="Liberal Democratic Party (Japan)",
        name_original="自由民主党",
        short_name="LDP",
        name_ja="自由民主党",
        short_name_ja="自民党",
    )


def test_a_japanese_reader_gets_the_japanese_name_and_short_name(coda, ldp):
    assert coda.name_in("ja") == "コンテンツ海外流通促進機構"
    assert coda.name_in("ja", short=True) == "CODA"  # Japanese uses the acronym too
    assert ldp.name_in("ja") == "自由民主党"
    assert ldp.name_in("ja", short=True) == "自民党"
    assert ldp.name_in("ja-jp", short=True) == "自民党"


def test_an_english_reader_gets_the_english_name_and_short_name(coda, ldp):
    assert coda.name_in("en") == "Content Overseas Distribution Association"
    assert coda.name_in("en", short=True) == "CODA"
    assert ldp.name_in("en", short=True) == "LDP"


def test_without_a_japanese_name_the_original_then_the_english_one(db):
    original_only = f.OrganizationFactory(name="Studio Ghibli", name_original="スタジオジブリ")
    english_only = f.OrganizationFactory(name="OpenAI")
    short_english = f.OrganizationFactory(
        name="Intellectual Property Strategy Promotion Secretariat",
        name_original="内閣府知的財産戦略推進事務局",
        short_name="IP Secretariat",
    )
    assert original_only.name_in("ja") == "スタジオジブリ"
    assert english_only.name_in("ja") == english_only.name_in("ja", short=True) == "OpenAI"
    assert short_english.name_in("ja") == "内閣府知的財産戦略推進事務局"
    assert short_english.name_in("ja", short=True) == "IP Secretariat"  # as before Japanese names existed
    short_english.name_ja = "内閣府知的財産戦略推進事務局"
    assert (
        short_english.name_in("ja", short=True) == "内閣府知的財産戦略推進事務局"
    )  # Japanese wins once given


def test_the_active_language_decides_when_none_is_given(ldp):
    with translation.override("ja"):
        assert ldp.name_in() == "自由民主党"
        assert ldp.display_name == "自民党"
    with translation.override("en"):
        assert ldp.name_in() == "Liberal Democratic Party (Japan)"
        assert ldp.display_name == "LDP"


def test_party_labels_use_it(coda):
    dispute = f.DisputeFactory()
    party = DisputeParty.objects.create(dispute=dispute, organization=coda, role="claimant")
    assert party.who_for("ja") == "コンテンツ海外流通促進機構"  # the full Japanese name
    assert party.who_for("en") == "CODA"
    proceeding = f.ProceedingFactory(dispute=dispute)
    court = f.OrganizationFactory(
        kind="court", name="Tokyo District Court", name_original="東京地方裁判所", name_ja="東京地方裁判所"
    )
    party = ProceedingParty.objects.create(proceeding=proceeding, organization=court, role="third_party")
    assert party.who_for("ja") == "東京地方裁判所" and party.who_for("en") == "Tokyo District Court"


def test_the_english_str_stays_for_the_admins_pickers(coda):
    assert str(coda) == "Content Overseas Distribution Association (一般社団法人コンテンツ海外流通促進機構)"


def test_search_finds_an_organization_by_its_japanese_name(coda, ldp):
    from disputes.models import Organization

    assert list(Organization.objects.search("自由民主")) == [ldp]
    assert list(Organization.objects.search("海外流通促進")) == [coda]
