"""The dashboard in a real browser: Chromium driven by Playwright against pytest-django's live server.

Each test saves full-page screenshots to test-artifacts/screenshots/ for a person to look at.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from disputes.models import AccessToken, DeliveryStatus, Follow, Reminder, SweepHeartbeat
from tests import factories

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import playwright.sync_api as playwright_sync  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# What Chromium reports against the Content-Security-Policy, on every page any test opens (checked after each test).
CSP_VIOLATIONS: list[str] = []


def _record_csp(message) -> None:
    if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.location.get('url', '')}: {message.text}")


@pytest.fixture(autouse=True)
def no_csp_violations():
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "Chromium reported CSP violations:\n" + "\n".join(CSP_VIOLATIONS)


def _new_page(
    browser, live_server, *, width=1280, height=900, logged_in_as=None, client=None, timezone_id="UTC"
):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-GB", timezone_id=timezone_id
    )
    context.set_default_timeout(10_000)
    if logged_in_as is not None:
        client.force_login(logged_in_as)
        session = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url}]
        )
    page = context.new_page()
    page.on("console", _record_csp)
    return page


def settle(page) -> None:
    """Wait until no htmx request is in flight (the results are dimmed while one is)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def shot(page, name: str) -> None:
    settle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_log_in_and_see_what_is_overdue(browser, live_server, scenario, staff):
    now = timezone.now()
    SweepHeartbeat.objects.create(
        name=SweepHeartbeat.DEADLINES, last_finished_at=now
    )  # reminders are running
    Follow.objects.create(user=staff, dispute=scenario.dispute)
    Reminder.objects.create(
        letter=scenario.letter,
        deadline_version=scenario.letter.deadline_version,
        step="after-7d",
        due_at=now - dt.timedelta(days=1),
        recipient=staff,
        status=DeliveryStatus.SENT,
        sent_at=now - dt.timedelta(days=1),
    )
    factories.DemandLetterFactory(
        dispute=scenario.other,
        title="Request to stop using the archive",
        sender=scenario.getty,
        recipient=scenario.stability,
        dated_on=timezone.localdate() - dt.timedelta(days=5),
        sent_on=timezone.localdate() - dt.timedelta(days=5),
        response_deadline_on=timezone.localdate() + dt.timedelta(days=10),
    )
    page = _new_page(browser, live_server)
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    shot(page, "login")
    page.get_by_label("Username").fill("hana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    playwright_sync.expect(page.get_by_role("heading", name="What needs attention")).to_be_visible()
    overdue = page.get_by_test_id("overdue-letter")
    playwright_sync.expect(overdue).to_have_count(1)
    playwright_sync.expect(overdue).to_contain_text("CODA → OpenAI")
    playwright_sync.expect(overdue).to_contain_text("Do not use CODA members' content")
    playwright_sync.expect(overdue).to_contain_text("Last reminder: 7 days after the deadline")
    playwright_sync.expect(overdue.get_by_test_id("reminder-told")).to_have_text("Told: Hana Sato")
    playwright_sync.expect(page.locator("#reminders-inbox")).to_contain_text("CODA")
    playwright_sync.expect(page.get_by_text("Request to stop using the archive")).to_be_visible()
    playwright_sync.expect(page.get_by_test_id("reminders-health")).to_have_count(0)
    shot(page, "home")
    page.close()


def choose(page, label: str, typed: str, slug: str) -> None:
    """Pick a choice from a filter's text box: type part of a name, see it suggested, take it."""
    box = page.get_by_label(label)
    box.fill(typed)
    suggestions = page.locator(f"#{box.get_attribute('list')} option[value='{slug}']")
    playwright_sync.expect(suggestions).to_have_count(1)
    box.fill(slug)
    box.press("Tab")  # leaving the box is a change: the form applies it
    page.wait_for_url(re.compile(rf"[?&]{box.get_attribute('name')}={slug}(&|$)"))
    assert "/filters/suggest/" not in page.url


def test_filter_the_timeline_by_organization_and_dates(browser, live_server, client, scenario, staff):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/timeline/")
    playwright_sync.expect(page.get_by_text("Getty sues in Delaware")).to_be_visible()
    choose(page, "Party", "Open", "openai")
    page.wait_for_url(re.compile(r"party=openai"))
    page.get_by_label("From").fill("2025-10-01")
    page.get_by_label("To").fill("2025-10-31")
    page.get_by_label("To").dispatch_event("change")
    page.wait_for_url(re.compile(r"date_to=2025-10-31"))
    results = page.locator("#results")
    playwright_sync.expect(results.get_by_text("CODA announces its request")).to_be_visible()
    playwright_sync.expect(
        results.get_by_text("Written request about the operation of Sora 2")
    ).to_be_visible()
    playwright_sync.expect(results.get_by_text("Getty sues in Delaware")).to_have_count(0)
    playwright_sync.expect(results.get_by_text("OpenAI launches Sora 2")).to_have_count(0)  # 30 September
    assert "party=openai" in page.url and "date_from=2025-10-01" in page.url
    shot(page, "timeline-filtered")
    # The pushed URL is shareable: loading it afresh shows the same entries.
    page.goto(page.url)
    playwright_sync.expect(page.get_by_text("CODA announces its request")).to_be_visible()
    playwright_sync.expect(page.get_by_text("Getty sues in Delaware")).to_have_count(0)
    page.close()


def test_on_a_phone_the_filters_fold_away_behind_a_button(browser, live_server, client, scenario, staff):
    phone = _new_page(browser, live_server, width=390, height=844, logged_in_as=staff, client=client)
    phone.goto(f"{live_server.url}/timeline/")
    toggle = phone.get_by_role("button", name="More filters")
    playwright_sync.expect(phone.get_by_label("Search")).to_be_visible()
    playwright_sync.expect(phone.get_by_label("Party")).to_be_hidden()
    playwright_sync.expect(toggle).to_have_attribute("aria-expanded", "false")
    # The results start near the top of the screen, not below a screenful of filters.
    results_top = phone.locator("#results").bounding_box()["y"]
    assert results_top < 600, results_top
    shot(phone, "timeline-phone")
    toggle.click()
    playwright_sync.expect(phone.get_by_role("button", name="Fewer filters")).to_have_attribute(
        "aria-expanded", "true"
    )
    choose(phone, "Party", "Open", "openai")
    phone.wait_for_url(re.compile(r"party=openai"))
    playwright_sync.expect(phone.locator("#results").get_by_text("Getty sues in Delaware")).to_have_count(0)
    shot(phone, "timeline-phone-filters")
    # A shared, filtered address says how many filters are on while they are folded.
    phone.goto(phone.url)
    playwright_sync.expect(phone.get_by_role("button", name="More filters (1 on)")).to_be_visible()
    playwright_sync.expect(phone.get_by_label("Party")).to_be_hidden()
    phone.close()
    # On a wide screen every filter shows and there is no button.
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/timeline/")
    playwright_sync.expect(page.get_by_label("Party")).to_be_visible()
    playwright_sync.expect(page.locator(".filters-toggle")).to_be_hidden()
    page.close()


def test_search_in_japanese_finds_the_kiuchi_event(browser, live_server, client, scenario, staff):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/timeline/")
    page.get_by_label("Search").fill("城内")
    page.wait_for_url(re.compile(r"q=%E5%9F%8E%E5%86%85"))
    results = page.locator("#results")
    playwright_sync.expect(results.get_by_test_id("timeline-item")).to_have_count(1)
    playwright_sync.expect(results).to_contain_text("Minoru Kiuchi")
    playwright_sync.expect(results).to_contain_text("城内実")
    shot(page, "timeline-search-ja")
    page.close()


def test_open_coda_dispute_and_see_the_overdue_letter_with_two_demands(
    browser, live_server, client, scenario, staff
):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/disputes/")
    shot(page, "disputes")
    page.get_by_role("link", name="CODA v. OpenAI (Sora 2)").click()
    page.wait_for_url(re.compile(r"/disputes/coda-v-openai-sora-2/"), timeout=30_000)
    letter = page.get_by_test_id("timeline-letter")
    playwright_sync.expect(letter).to_contain_text("Past our policy deadline by")
    playwright_sync.expect(letter.get_by_test_id("demand")).to_have_count(2)
    playwright_sync.expect(letter).to_contain_text("CODA会員社のコンテンツを無許諾で学習対象としないこと")
    playwright_sync.expect(page.locator("svg.chart--wide")).to_be_visible()
    playwright_sync.expect(page.locator("svg.chart--narrow")).to_be_hidden()
    shot(page, "dispute")
    page.locator('a[href="/products/sora-2/"]').first.click()
    page.wait_for_url(re.compile(r"/products/sora-2/"))
    playwright_sync.expect(page.locator("svg.chart--wide")).to_be_visible()
    shot(page, "product")
    page.goto(f"{live_server.url}/organizations/openai/")
    playwright_sync.expect(page.get_by_text("Letters still unanswered")).to_be_visible()
    shot(page, "organization")
    page.close()
    phone = _new_page(browser, live_server, width=390, height=844, logged_in_as=staff, client=client)
    phone.goto(f"{live_server.url}/disputes/coda-v-openai-sora-2/")
    # On a phone the chart is drawn for the narrow screen: readable, and nothing scrolls sideways.
    playwright_sync.expect(phone.locator("svg.chart--narrow")).to_be_visible()
    playwright_sync.expect(phone.locator("svg.chart--wide")).to_be_hidden()
    chart = phone.locator("svg.chart--narrow").bounding_box()
    assert chart is not None and chart["x"] >= 0 and chart["x"] + chart["width"] <= 390, chart
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    label_size = phone.evaluate(
        "() => document.querySelector('svg.chart--narrow .lane-label').getBoundingClientRect().height"
    )
    assert label_size >= 10, label_size  # lane labels are text a person can read, not a shrunk drawing
    shot(phone, "dispute-phone")
    phone.goto(f"{live_server.url}/")
    shot(phone, "home-phone")
    phone.close()


def test_switch_to_japanese(browser, live_server, client, scenario, staff):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/disputes/coda-v-openai-sora-2/")
    page.get_by_role("button", name="日本語").click()
    page.wait_for_load_state()
    playwright_sync.expect(page.locator("html")).to_have_attribute("lang", "ja")
    playwright_sync.expect(page.get_by_role("heading", level=1)).to_contain_text("CODA対OpenAI（Sora 2）")
    playwright_sync.expect(page.get_by_test_id("timeline-letter")).to_contain_text("2025年10月27日")
    shot(page, "dispute-ja")
    page.goto(f"{live_server.url}/")
    playwright_sync.expect(page.get_by_role("link", name="ホーム")).to_be_visible()
    shot(page, "home-ja")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    playwright_sync.expect(page.locator("html")).to_have_attribute("lang", "en")
    page.close()


def test_follow_a_dispute(browser, live_server, client, scenario, staff):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/disputes/coda-v-openai-sora-2/")
    page.get_by_role("button", name="Follow", exact=True).click()
    playwright_sync.expect(page.get_by_role("button", name=re.compile("Following"))).to_be_visible()
    assert Follow.objects.filter(user=staff, dispute=scenario.dispute).exists()
    # The list of followers is brought up to date in place, without a reload.
    playwright_sync.expect(page.locator(f"#followers-dispute-{scenario.dispute.pk} dd")).to_have_text(
        "Hana Sato"
    )
    page.reload()
    playwright_sync.expect(page.get_by_role("button", name=re.compile("Following"))).to_be_visible()
    playwright_sync.expect(page.locator("dd", has_text="Hana Sato")).to_be_visible()
    shot(page, "dispute-followed")
    page.close()


def test_follow_a_single_letter(browser, live_server, client, scenario, staff):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/disputes/coda-v-openai-sora-2/")
    letter_card = page.locator(f"#letter-{scenario.letter.pk}")
    letter_card.get_by_role("button", name="Follow this letter").click()
    playwright_sync.expect(
        letter_card.get_by_role("button", name=re.compile("Following this letter"))
    ).to_be_visible()
    assert Follow.objects.filter(user=staff, letter=scenario.letter).exists()
    assert not Follow.objects.filter(user=staff, dispute=scenario.dispute).exists()
    playwright_sync.expect(letter_card.get_by_test_id("letter-follow")).to_contain_text(
        "Letter followed by Hana Sato"
    )
    page.reload()
    playwright_sync.expect(letter_card.get_by_test_id("letter-follow")).to_contain_text(
        "Letter followed by Hana Sato"
    )
    # The dispute's own button is untouched.
    playwright_sync.expect(page.get_by_role("button", name="Follow", exact=True)).to_be_visible()
    shot(page, "letter-followed")
    letter_card.get_by_role("button", name=re.compile("Following this letter")).click()
    playwright_sync.expect(letter_card.get_by_role("button", name="Follow this letter")).to_be_visible()
    playwright_sync.expect(letter_card.get_by_test_id("letter-follow")).not_to_contain_text(
        "Letter followed by"
    )
    assert not Follow.objects.filter(user=staff, letter=scenario.letter).exists()
    page.close()


def test_deadlines_in_the_browsers_time_zone_and_a_chosen_one(browser, live_server, client, scenario, staff):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client, timezone_id="America/New_York")
    page.goto(f"{live_server.url}/disputes/coda-v-openai-sora-2/")
    page.reload()  # the first page tells the server the browser's zone; from then on pages use it
    letter_card = page.locator(f"#letter-{scenario.letter.pk}")
    playwright_sync.expect(letter_card.get_by_test_id("viewer-time")).to_have_text(
        "26 Nov 2025, 09:59 your time (America/New_York)"
    )
    playwright_sync.expect(page.get_by_test_id("footer-zone")).to_contain_text(
        "Times are shown in America/New_York."
    )
    shot(page, "dispute-new-york")
    assert staff.profile.detected_timezone == "America/New_York"

    page.get_by_test_id("footer-zone").get_by_role("link", name="Change").click()
    playwright_sync.expect(page.get_by_test_id("viewer-zone")).to_contain_text(
        "America/New_York (from your browser)"
    )
    page.get_by_label("Show dates and times in").select_option("Europe/London")
    page.get_by_role("button", name="Save").first.click()
    playwright_sync.expect(page.get_by_test_id("viewer-zone")).to_contain_text(
        "Europe/London (chosen in your settings)"
    )
    shot(page, "settings-time-zone")
    page.goto(f"{live_server.url}/disputes/coda-v-openai-sora-2/")
    playwright_sync.expect(letter_card.get_by_test_id("viewer-time")).to_have_text(
        "26 Nov 2025, 14:59 your time (Europe/London)"
    )
    page.close()


def test_one_token_per_app_from_the_settings_page(browser, live_server, client, scenario, staff):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/account/access/")
    page.get_by_label("Name of the new token").fill("Work calendar")
    page.get_by_role("button", name="Create a token").click()
    playwright_sync.expect(page.get_by_test_id("new-token")).to_contain_text("The secret of “Work calendar”")
    calendar_secret = page.locator("#raw-token").inner_text()
    page.get_by_label("Name of the new token").fill("Export script")
    page.get_by_role("button", name="Create a token").click()
    playwright_sync.expect(page.get_by_test_id("token-row")).to_have_count(2)
    # A second token with a name already taken is refused, and what was typed stays.
    page.get_by_label("Name of the new token").fill("work calendar")
    page.get_by_role("button", name="Create a token").click()
    playwright_sync.expect(page.get_by_role("alert")).to_contain_text("You already have a token called")
    playwright_sync.expect(page.get_by_label("Name of the new token")).to_have_value("work calendar")
    shot(page, "settings-tokens")
    page.get_by_role("button", name="Revoke Work calendar").click()
    playwright_sync.expect(page.get_by_text("The token “Work calendar” was revoked.")).to_be_visible()
    playwright_sync.expect(page.get_by_test_id("token-row")).to_have_count(1)
    assert AccessToken.objects.user_for(calendar_secret) is None
    assert AccessToken.objects.filter(user=staff, name="Export script").exists()
    page.close()


def test_the_feed_links_dropdown_with_the_keyboard_and_on_a_phone(
    browser, live_server, client, scenario, staff
):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/timeline/")
    menu = page.locator("details.feed-links")
    summary = menu.locator("summary")
    atom = menu.get_by_role("link", name="Atom feed")
    playwright_sync.expect(atom).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    playwright_sync.expect(atom).to_be_visible()
    page.keyboard.press("Tab")
    playwright_sync.expect(atom).to_be_focused()
    shot(page, "feed-links-open")
    page.keyboard.press("Escape")
    playwright_sync.expect(atom).to_be_hidden()
    playwright_sync.expect(summary).to_be_focused()
    # Filtering with htmx swaps only the results; the feed links follow the new filters all the same.
    choose(page, "Party", "Open", "openai")
    page.wait_for_url(re.compile(r"party=openai"))
    settle(page)
    playwright_sync.expect(page.locator("details.feed-links")).to_have_count(1)
    playwright_sync.expect(page.locator("details.feed-links a", has_text="Atom feed")).to_have_attribute(
        "href", re.compile(r"^/feeds/atom/\?(.*&)?party=openai(&|$)")
    )
    # A click elsewhere closes it.
    page.locator("details.feed-links summary").click()
    playwright_sync.expect(page.locator("details.feed-links ul")).to_be_visible()
    page.locator("h1").click()
    playwright_sync.expect(page.locator("details.feed-links ul")).to_be_hidden()
    page.close()

    phone = _new_page(browser, live_server, width=390, height=844, logged_in_as=staff, client=client)
    for url in ("/disputes/", "/disputes/coda-v-openai-sora-2/"):
        phone.goto(f"{live_server.url}{url}")
        phone.locator("details.feed-links summary").click()
        box = phone.locator("details.feed-links ul").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (url, box)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, url
    shot(phone, "feed-links-phone")
    phone.close()


def test_every_kind_of_page_satisfies_the_content_security_policy(browser, live_server, client, scenario):
    """Dashboard pages, the settings page, the API docs and the admin (list, form, history) load with the CSP on
    and Chromium reports no violation (the autouse fixture fails the test on any)."""
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    page = _new_page(browser, live_server, logged_in_as=root, client=client)
    response = page.goto(f"{live_server.url}/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # HSTS: production only, over HTTPS
    assert "camera=()" in response.headers["permissions-policy"]
    assert "private" in response.headers["cache-control"]
    dispute = scenario.dispute
    urls = [
        "/",
        "/disputes/",
        f"/disputes/{dispute.slug}/",
        "/timeline/",
        f"/organizations/{scenario.coda.slug}/",
        f"/products/{scenario.sora.slug}/",
        "/account/access/",
        "/api/docs/",
        "/admin/",
        "/admin/disputes/dispute/",
        f"/admin/disputes/dispute/{dispute.pk}/change/",
        f"/admin/disputes/dispute/{dispute.pk}/history/",
        f"/admin/disputes/demandletter/{scenario.letter.pk}/change/",
        "/admin/disputes/reminder/",
    ]
    record = dispute.history.order_by("history_id").first()
    urls.append(f"/admin/disputes/dispute/{dispute.pk}/history/{record.history_id}/")
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        settle(page)
        if url == "/api/docs/":
            playwright_sync.expect(page.get_by_text("AI Disputes Tracker API")).to_be_visible()
            shot(page, "api-docs")
    page.goto(f"{live_server.url}/disputes/")
    page.get_by_role("button", name="Apply filters").click()
    settle(page)
    page.close()


def test_the_login_page_says_when_an_account_is_locked(browser, live_server, settings, staff):
    settings.AXES_ENABLED = True
    page = _new_page(browser, live_server)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("hana")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
    lockout = page.get_by_test_id("lockout")
    playwright_sync.expect(lockout).to_be_visible()
    playwright_sync.expect(lockout).to_contain_text("paused for 15 minutes")
    playwright_sync.expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    shot(page, "login-locked-out")


def test_big_choices_are_text_boxes_with_suggestions_and_long_lists_are_paged(
    browser, live_server, client, scenario, staff
):
    page = _new_page(browser, live_server, logged_in_as=staff, client=client)
    page.goto(f"{live_server.url}/disputes/")
    assert page.locator("select[name=party], select[name=product], select[name=developer]").count() == 0
    choose(page, "AI product", "sor", "sora-2")
    choose(page, "Party", "ジブリ", "studio-ghibli")
    playwright_sync.expect(page.locator("#results")).to_contain_text("CODA v. OpenAI")
    assert "product=sora-2" in page.url and "party=studio-ghibli" in page.url
    shot(page, "disputes-filtered-by-suggestion")
    # The filtered address is shareable: it opens with the boxes filled in.
    page.goto(page.url)
    playwright_sync.expect(page.get_by_label("Party")).to_have_value("studio-ghibli")

    for n in range(30):
        factories.DemandLetterFactory(
            dispute=scenario.dispute, recipient=scenario.openai, title=f"Bulk letter {n}"
        )
    page.goto(f"{live_server.url}/organizations/openai/")
    received = page.locator("section[aria-labelledby=received-heading]")
    playwright_sync.expect(received).to_contain_text("Page 1 of 2")
    received.get_by_role("link", name="Next →").click()
    playwright_sync.expect(received).to_contain_text("Page 2 of 2")
    assert "received=2" in page.url
    shot(page, "organization-letters-paged")
    page.close()
