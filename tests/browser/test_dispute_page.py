"""A dispute's page in a real browser, in English and Japanese, on a desktop and a phone: the answers first
(who asked whom for what, the open demands, the deadline and where it comes from, the proceedings and amounts),
then the timeline newest first, paged, filtered by kind."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from disputes import models as m
from tests import factories
from tests.browser.test_browser import CHROMIUM, CHROMIUM_ARGS, _new_page, playwright_sync, settle, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium():
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


FILLER_EVENTS = 60


@pytest.fixture
def lawsuit(scenario):
    """The CODA scenario plus a lawsuit with a ruling per claim, an amount, a month-only reaction after a dated
    ruling of the same month, and enough events to need several pages."""
    court = factories.OrganizationFactory(
        kind=m.OrganizationKind.COURT,
        name="Tokyo District Court",
        name_original="東京地方裁判所",
        court_level="trial",
    )
    proceeding = factories.ProceedingFactory(
        dispute=scenario.dispute, title="CODA members v. OpenAI", title_ja="CODA会員社対OpenAI", forum=court
    )
    m.DocketNumber.objects.create(proceeding=proceeding, number="令和7年(ワ)第1234号")
    claim = factories.ClaimFactory(proceeding=proceeding)
    ruling = factories.RulingFactory(
        proceeding=proceeding, decided_on=dt.date(2025, 11, 11), title="Interim ruling", title_ja="中間判決"
    )
    m.ClaimRuling.objects.create(ruling=ruling, claim=claim, outcome=m.ClaimOutcome.SURVIVES)
    m.Amount.objects.create(
        dispute=scenario.dispute,
        proceeding=proceeding,
        kind=m.AmountKind.CLAIMED,
        currency="JPY",
        value=Decimal("2200000000"),
        basis="¥ per article × articles",
        basis_ja="記事1本あたりの額 × 記事数",
    )
    factories.EventFactory(
        disputes=[scenario.dispute],
        kind=m.EventKind.RULING,
        date=dt.date(2025, 11, 11),
        title="Ruling of 11 Nov",
    )
    factories.EventFactory(
        disputes=[scenario.dispute],
        date=dt.date(2025, 11, 20),
        date_precision=m.DatePrecision.MONTH,
        title="A reaction in November",
        title_ja="11月の反応",
    )
    for n in range(FILLER_EVENTS):
        factories.EventFactory(disputes=[scenario.dispute], date=dt.date(2024, 1, 1) + dt.timedelta(days=n))
    return proceeding


def _open(browser, live_server, client, staff, *, language, phone=False):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client, **(PHONE if phone else {}))
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/disputes/coda-v-openai-sora-2/")
    settle(page)
    return page


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_dispute_page_answers_first(
    chromium, live_server, client, scenario, staff, lawsuit, language, phone
):
    page = _open(chromium, live_server, client, staff, language=language, phone=phone)
    japanese = language == "ja"
    expect = playwright_sync.expect
    expect(page.locator("html")).to_have_attribute("lang", language)
    overview = page.get_by_test_id("overview")
    expect(overview.get_by_role("heading", level=2)).to_have_text(
        "現在の状況" if japanese else "Where it stands"
    )
    expect(overview.get_by_test_id("overview-demand")).to_have_count(2)
    expect(overview.get_by_test_id("overview-letter")).to_contain_text(
        "2025年10月27日" if japanese else "27 Oct 2025"
    )
    expect(overview.get_by_test_id("overview-deadline")).to_contain_text(
        "2025年11月26日" if japanese else "26 Nov 2025"
    )
    expect(overview.get_by_test_id("open-demands")).to_have_text("2")
    proceeding = overview.get_by_test_id("proceeding")
    expect(proceeding).to_contain_text("CODA会員社対OpenAI" if japanese else "CODA members v. OpenAI")
    expect(proceeding).to_contain_text("令和7年(ワ)第1234号")
    expect(proceeding.get_by_test_id("latest-ruling")).to_contain_text(
        "中間判決" if japanese else "Interim ruling"
    )
    expect(overview.get_by_test_id("amounts")).to_contain_text("¥2,200,000,000")
    expect(overview.get_by_test_id("amounts")).to_contain_text(
        "記事1本あたりの額" if japanese else "¥ per article"
    )
    # The month-only reaction is the latest development: it sorts after the ruling of 11 November.
    expect(overview.get_by_test_id("latest-development")).to_contain_text(
        "11月の反応" if japanese else "A reaction in November"
    )
    expect(overview.get_by_test_id("latest-development")).to_contain_text(
        "2025年11月" if japanese else "Nov 2025"
    )
    if phone:
        # On a phone the demands are within the first two screens, and nothing scrolls sideways.
        last_demand = overview.get_by_test_id("overview-demand").last.bounding_box()
        assert last_demand["y"] + last_demand["height"] <= 2 * PHONE["height"], last_demand
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The timeline: newest first, one page at a time.
    timeline = page.get_by_test_id("dispute-timeline")
    entries = timeline.locator("ol.timeline > li")
    expect(entries).to_have_count(25)
    expect(entries.first).to_contain_text("11月の反応" if japanese else "A reaction in November")
    texts = entries.all_inner_texts()
    ruling_at = next(i for i, text in enumerate(texts) if "Ruling of 11 Nov" in text)
    deadline_at = next(i for i, text in enumerate(texts) if "26 Nov 2025" in text or "2025年11月26日" in text)
    assert 0 < deadline_at < ruling_at  # the month-only reaction, then 26 Nov, then 11 Nov
    shot(page, f"dispute-answers-{language}-{'phone' if phone else 'desktop'}")
    pages = page.get_by_test_id("timeline-pages")
    expect(pages).to_contain_text("3ページ中1ページ目" if japanese else "Page 1 of 3")
    pages.get_by_role("link", name=re.compile("古いもの" if japanese else "Older")).click()
    settle(page)
    expect(page.get_by_test_id("timeline-pages")).to_contain_text(
        "3ページ中2ページ目" if japanese else "Page 2 of 3"
    )
    expect(page.get_by_test_id("dispute-timeline").locator("ol.timeline > li")).to_have_count(25)

    # Filter by kind: only the rulings.
    page.get_by_test_id("timeline-kinds").get_by_role(
        "link", name=re.compile("^判決・決定" if japanese else "^Ruling")
    ).click()
    settle(page)
    only = page.get_by_test_id("dispute-timeline").locator("ol.timeline > li")
    expect(only.first).to_contain_text("Ruling of 11 Nov")
    assert 1 <= only.count() < 25
    assert only.count() == page.locator("ol.timeline > li.tl-entry--event").count()
    page.close()
