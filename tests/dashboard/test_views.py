"""The dashboard's pages: content, login, permissions, filters, bad input, htmx partials and query counts."""

import datetime as dt
import html as htmllib
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from disputes.models import DeliveryStatus, DemandLetter, Follow, Reminder, Response
from tests import factories

# Pinned: the CODA letter's deadline (26 Nov 2025, end of day in Tokyo) is 11 days past.
NOW = dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)

PAGES = [
    "/",
    "/disputes/",
    "/disputes/coda-v-openai-sora-2/",
    "/timeline/",
    "/organizations/coda/",
    "/organizations/openai/",
    "/products/sora-2/",
]


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def text_of(response) -> str:
    """The page's visible text, with tags and runs of whitespace collapsed."""
    html = re.sub(r"</?bdi>", "", response.content.decode())  # isolation wrappers add no space
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def htmx_get(client, url, **params):
    return client.get(url, params, headers={"HX-Request": "true", "HX-Target": "results"})


# --- Login and permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES + ["/disputes/unknown/", "/organizations/unknown/", "/products/x/"])
def test_every_page_needs_a_login(client, scenario, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_login_page_renders_and_logs_in(client, scenario, staff):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    response = client.post(
        reverse("login"), {"username": "hana", "password": "correct horse battery staple"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "What needs attention" in text_of(response)


def test_wrong_password_is_a_clear_message(client, staff):
    response = client.post(reverse("login"), {"username": "hana", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in text_of(response)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_for_staff(logged_in, scenario, url):
    response = logged_in.get(url)
    assert response.status_code == 200
    assert "AI Disputes Tracker" in text_of(response)


def test_admin_link_only_for_users_with_admin_access(client, scenario):
    reader = factories.UserFactory(is_staff=False)
    client.force_login(reader)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    admin = factories.UserFactory(is_staff=True)
    client.force_login(admin)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_readers_can_look_but_not_change(client, scenario):
    reader = factories.UserFactory(is_staff=True)
    reader.groups.add(Group.objects.get(name="Readers"))
    assert reader.has_perm("disputes.view_dispute")
    assert reader.has_perm("disputes.view_demandletter")
    assert not reader.has_perm("disputes.change_dispute")
    assert not reader.has_perm("disputes.add_event")
    assert not reader.has_perm("disputes.delete_response")
    client.force_login(reader)
    page = client.get("/disputes/coda-v-openai-sora-2/")
    assert page.status_code == 200
    assert "Edit in admin" not in text_of(page)
    change_url = reverse("admin:disputes_dispute_change", args=[scenario.dispute.pk])
    assert client.get(change_url).status_code == 200  # read-only view
    response = client.post(change_url, {"title": "Changed", "slug": "changed", "stage": "closed"})
    assert response.status_code == 403
    scenario.dispute.refresh_from_db()
    assert scenario.dispute.title == "CODA v. OpenAI (Sora 2)"


def test_editors_can_change_but_not_delete(client, scenario):
    editor = factories.UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert editor.has_perm("disputes.change_dispute")
    assert editor.has_perm("disputes.add_demandletter")
    assert not editor.has_perm("disputes.delete_dispute")
    client.force_login(editor)
    assert "Edit in admin" in text_of(client.get("/disputes/coda-v-openai-sora-2/"))
    delete_url = reverse("admin:disputes_dispute_delete", args=[scenario.dispute.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403


# --- Home -------------------------------------------------------------------------------------------------


def test_home_puts_overdue_letters_first_with_how_long(logged_in, scenario):
    page = text_of(logged_in.get("/"))
    assert "Overdue letters" in page
    assert "CODA → OpenAI: Written request about the operation of Sora 2" in page
    assert "11 days past our deadline" in page  # CODA states no deadline: ours, and labelled so
    assert "No deadline stated. Our policy deadline: 26 Nov 2025 (end of day, Asia/Tokyo)" in page
    assert "Do not use CODA members' content for machine learning" in page
    assert "No reminder sent yet" in page
    assert "Nobody follows it yet" in page
    assert page.index("Overdue letters") < page.index("Deadlines in the next 30 days")


def test_home_counts_every_overdue_letter_and_shows_the_most_overdue(logged_in, scenario):
    from disputes.dashboard.selectors.home import HOME_OVERDUE_LIMIT
    from disputes.models import DemandLetter

    for n in range(HOME_OVERDUE_LIMIT + 3):
        factories.DemandLetterFactory(
            dispute=scenario.dispute, title=f"Filler letter {n}", response_deadline_on=dt.date(2025, 11, 1)
        )
    overdue = DemandLetter.objects.overdue().count()
    assert overdue > HOME_OVERDUE_LIMIT
    response = logged_in.get("/")
    html = response.content.decode()
    assert f'Overdue letters<span class="count-pill">{overdue}</span>' in html
    assert len(response.context["dashboard"].overdue) == HOME_OVERDUE_LIMIT
    assert f"All {overdue} overdue letters on the timeline" in text_of(response)
    assert 'href="/timeline/?overdue=on"' in html


def test_home_shows_reminder_step_and_followers(logged_in, scenario, staff):
    Follow.objects.create(user=staff, dispute=scenario.dispute)
    other = factories.UserFactory(username="ken")
    Follow.objects.create(user=other, letter=scenario.letter)
    Reminder.objects.create(
        letter=scenario.letter,
        deadline_version=scenario.letter.deadline_version,
        step="after-7d",
        due_at=NOW - dt.timedelta(days=4),
        recipient=staff,
    )
    page = text_of(logged_in.get("/"))
    assert "Last reminder: 7 days after the deadline" in page and "Not delivered yet" in page
    assert "Followed by Hana Sato, ken" in page
    # Who was told comes from the ledger: ken, who followed later, was not (yet) told this step.
    Reminder.objects.update(status=DeliveryStatus.SENT, sent_at=NOW - dt.timedelta(days=4))
    page = text_of(logged_in.get("/"))
    assert "Told: Hana Sato · Followed by Hana Sato, ken" in page


def test_home_lists_deadlines_ahead_unassessed_responses_events_and_stages(logged_in, scenario):
    soon = factories.DemandLetterFactory(
        dispute=scenario.other,
        title="Second letter",
        sender=scenario.getty,
        recipient=scenario.stability,
        dated_on=dt.date(2025, 12, 1),
        sent_on=dt.date(2025, 12, 1),
        response_deadline_on=dt.date(2025, 12, 20),
    )
    page = text_of(logged_in.get("/"))
    assert "Deadlines in the next 30 days" in page
    assert f"Getty Images → Stability AI: {soon.title}" in page
    assert "Responses waiting for assessment" in page
    assert "Stability statement on the claim" in page
    assert "Stability answers the letter before action" not in page  # already assessed
    assert "Latest events" in page and "CODA announces its request" in page
    assert "2 disputes in all" in page
    assert re.search(r"1 ✉ Letter sent", page) and re.search(r"1 ⚖ Litigation", page)


def test_home_includes_the_reminders_inbox(logged_in, scenario):
    response = logged_in.get("/")
    assert 'id="reminders-inbox"' in response.content.decode()


# --- Disputes list ----------------------------------------------------------------------------------------


def listed(response) -> list[str]:
    return re.findall(r'<td class="title-cell">\s*<a href="/disputes/([^/]+)/"', response.content.decode())


def test_list_shows_rows_with_stage_parties_products_and_deadline(logged_in, scenario):
    response = logged_in.get("/disputes/")
    page = text_of(response)
    assert listed(response) == ["coda-v-openai-sora-2", "getty-v-stability"]  # latest activity first
    assert "2 disputes" in page
    assert "CODA v. OpenAI" in page and "Sora 2" in page and "⚠ Overdue" in page
    assert "awaiting response (no public reply found)" in page


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"party": "studio-ghibli"}, ["coda-v-openai-sora-2"]),  # a member of CODA
        ({"party": "openai", "role": "respondent"}, ["coda-v-openai-sora-2"]),
        ({"party": "openai", "role": "claimant"}, []),
        ({"stage": "litigation"}, ["getty-v-stability"]),
        ({"jurisdiction": "JP"}, ["coda-v-openai-sora-2"]),
        ({"product": "stable-diffusion"}, ["getty-v-stability"]),
        ({"developer": "openai"}, ["coda-v-openai-sora-2"]),
        ({"kind": "lawsuit"}, ["getty-v-stability"]),
        ({"date_from": "2025-10-01", "date_to": "2025-10-31"}, ["coda-v-openai-sora-2"]),
        ({"date_to": "2023-12-31"}, ["getty-v-stability"]),
        ({"overdue": "on"}, ["coda-v-openai-sora-2"]),
        ({"q": "城内"}, ["coda-v-openai-sora-2"]),
        ({"q": "Kiuchi"}, ["coda-v-openai-sora-2"]),
        ({"q": "jouchi"}, ["coda-v-openai-sora-2"]),
        ({"q": "無許諾"}, ["coda-v-openai-sora-2"]),  # a demand, in Japanese
        ({"q": "machine learning"}, ["coda-v-openai-sora-2"]),  # a demand, in English
        ({"q": "denies infringement"}, ["getty-v-stability"]),  # a response
        ({"q": "コンテンツ海外流通促進機構"}, ["coda-v-openai-sora-2"]),  # an organization's own name
        ({"q": "Ｓｏｒａ"}, ["coda-v-openai-sora-2"]),  # full-width letters
        ({"q": "nothing like this"}, []),
    ],
)
def test_list_filters(logged_in, scenario, params, expected):
    assert listed(logged_in.get("/disputes/", params)) == expected


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("title", ["coda-v-openai-sora-2", "getty-v-stability"]),
        ("stage", ["coda-v-openai-sora-2", "getty-v-stability"]),
        ("deadline", ["coda-v-openai-sora-2", "getty-v-stability"]),
        ("activity", ["coda-v-openai-sora-2", "getty-v-stability"]),
    ],
)
def test_list_sorts(logged_in, scenario, sort, expected):
    assert listed(logged_in.get("/disputes/", {"sort": sort})) == expected


def test_list_paginates_with_clear_messages_for_bad_pages(logged_in, scenario):
    factories.add_filler(25)
    first = logged_in.get("/disputes/", {"sort": "title"})
    assert len(listed(first)) == 25 and "Page 1 of 2" in text_of(first)
    second = logged_in.get("/disputes/", {"sort": "title", "page": "2"})
    assert len(listed(second)) == 2
    assert not set(listed(first)) & set(listed(second))
    for bad in ("abc", "0", "-1", "1.5", "１", "' OR 1=1 --"):
        response = logged_in.get("/disputes/", {"page": bad})
        assert response.status_code == 200
        assert "That is not a page number; showing the first page." in text_of(response)
    huge = logged_in.get("/disputes/", {"page": "999999"})
    assert huge.status_code == 200
    assert "There is no page 999999; showing the last page." in text_of(huge)
    assert listed(huge)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"party": "no-such-org"}, "Party: Select a valid choice."),
        ({"party": "1"}, "Party: Select a valid choice."),
        ({"product": "' OR 1=1 --"}, "AI product: Select a valid choice."),
        ({"jurisdiction": "XX"}, "Jurisdiction: Select a valid choice."),
        ({"stage": "bogus"}, "Stage: Select a valid choice."),
        ({"date_from": "2025-13-45"}, "From: Enter a valid date."),
        ({"date_from": "yesterday"}, "From: Enter a valid date."),
        ({"date_from": "2025-11-01", "date_to": "2025-10-01"}, "The end date is before the start date."),
        ({"sort": "password"}, "Sort by: Select a valid choice."),
        ({"q": "x" * 500}, "Search: Ensure this value has at most 200 characters"),
    ],
)
def test_list_bad_filters_give_a_message_and_no_rows(logged_in, scenario, params, message):
    response = logged_in.get("/disputes/", params)
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert "Some filters are not valid" in page
    assert listed(response) == []


@pytest.mark.parametrize(
    "query",
    ["'; DROP TABLE disputes_dispute; --", "%", "_", "\\", "<script>alert(1)</script>", "\x00", "🙂"],
)
def test_list_search_is_safe_with_hostile_input(logged_in, scenario, query):
    response = logged_in.get("/disputes/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert listed(response) == []


def test_list_htmx_request_gets_the_results_partial(logged_in, scenario):
    response = htmx_get(logged_in, "/disputes/", party="studio-ghibli")
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert listed(response) == ["coda-v-openai-sora-2"]
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page.
    full = logged_in.get(
        "/disputes/",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true", "HX-Target": "results"},
    )
    assert "<html" in full.content.decode()


def test_list_filter_form_keeps_the_shareable_values(logged_in, scenario):
    html = logged_in.get("/disputes/", {"party": "openai", "date_from": "2025-10-01"}).content.decode()
    # The party box is a text box with suggestions (not a <select> of every organization), holding the slug.
    assert re.search(r'<input type="text" name="party" value="openai"[^>]* list="id_party_suggestions"', html)
    assert '<select name="party"' not in html
    assert 'value="2025-10-01"' in html
    assert 'hx-push-url="true"' in html


# --- Dispute page -----------------------------------------------------------------------------------------


def test_dispute_page_shows_the_timeline_in_date_order(logged_in, scenario):
    page = text_of(logged_in.get("/disputes/coda-v-openai-sora-2/?order=oldest"))
    page = page[page.index("entries, oldest first") :]  # after the chart
    order = [
        "OpenAI launches Sora 2",
        "Minister discloses the government's request to OpenAI",
        "Written request about the operation of Sora 2",
        "CODA announces its request",
        "Our policy deadline for OpenAI to answer CODA",
    ]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions)


def test_a_letter_can_be_followed_on_its_own_from_the_dispute_page(logged_in, scenario, staff):
    url = "/disputes/coda-v-openai-sora-2/"
    letter = scenario.letter
    html = logged_in.get(url).content.decode()
    card = re.search(rf'id="letter-{letter.pk}".*?</article>', html, flags=re.S).group(0)
    assert f'action="{reverse("reminders:follow-letter", kwargs={"pk": letter.pk})}"' in card
    assert "Follow this letter" in card and "Letter followed by" not in card

    response = logged_in.post(
        reverse("reminders:follow-letter", kwargs={"pk": letter.pk}), {"following": "on"}
    )
    assert response.status_code == 302
    assert Follow.objects.filter(user=staff, letter=letter, dispute=None).exists()
    html = logged_in.get(url).content.decode()
    card = re.search(rf'id="letter-{letter.pk}".*?</article>', html, flags=re.S).group(0)
    assert "Letter followed by Hana Sato" in card and "Following this letter" in card
    # Following the letter is not following the dispute.
    assert re.search(r"<dt>Followed by</dt>\s*<dd><span class=\"muted\">nobody yet", html)

    # A closed letter cannot fall due: no button, unless someone still follows it and may want to stop.
    DemandLetter.objects.filter(pk=letter.pk).update(status="closed")
    html = logged_in.get(url).content.decode()
    card = re.search(rf'id="letter-{letter.pk}".*?</article>', html, flags=re.S).group(0)
    assert "Following this letter" in card
    Follow.objects.filter(user=staff, letter=letter).delete()
    html = logged_in.get(url).content.decode()
    card = re.search(rf'id="letter-{letter.pk}".*?</article>', html, flags=re.S).group(0)
    assert "Follow this letter" not in card


def test_dispute_page_shows_the_overdue_letter_and_its_two_numbered_demands(logged_in, scenario):
    response = logged_in.get("/disputes/coda-v-openai-sora-2/")
    html = response.content.decode()
    page = text_of(response)
    assert "⚠ Past our policy deadline by 11 days" in page
    assert html.count('data-testid="demand"') == 2
    assert "Demand 1: Do not use CODA members' content" in page
    assert "Demand 2: Respond sincerely" in page
    assert "Sora 2の運用において、CODA会員社のコンテンツを無許諾で学習対象としないこと" in page
    assert page.count("… Pending") == 4  # in the answers at the top and on the timeline
    assert (
        "No deadline stated. Our policy deadline: 26 Nov 2025 (end of day, Asia/Tokyo) ≈ Our estimate" in page
    )
    assert "Unanswered for 42 days since the letter" in page
    assert "26 Nov 2025, 14:59 your time (UTC)" in page
    assert (
        "On behalf of: “at the request of its member companies”" in page
        or "at the request of its member companies" in page
    )


def test_dispute_page_shows_disputed_dates_with_each_source(logged_in, scenario):
    page = text_of(logged_in.get("/disputes/coda-v-openai-sora-2/"))
    assert "Disputed date sent: sources disagree" in page
    assert "27 Oct 2025 — CODA ● Primary" in page
    assert "28 Oct 2025 — Enduins ○ Low confidence" in page


def test_dispute_page_shows_parties_members_names_in_both_languages_and_sources(logged_in, scenario):
    page = text_of(logged_in.get("/disputes/coda-v-openai-sora-2/"))
    assert "Claimant Content Overseas Distribution Association 一般社団法人コンテンツ海外流通促進機構" in page
    assert "2 members" in page and "Studio Ghibli" in page and "Bandai Namco" in page
    assert "Respondent OpenAI" in page
    assert "Minoru Kiuchi 城内実" in page
    assert "◐ Secondary" in page  # the Gigazine source's reliability
    assert "CODA対OpenAI（Sora 2）" in page


def test_dispute_page_shows_responses_with_assessment_and_who_judged(logged_in, scenario):
    page = text_of(logged_in.get("/disputes/getty-v-stability/"))
    assert "≈ Evasive or boilerplate" in page
    assert "assessed by Aki Tanaka on 8 Dec 2025" in page
    assert "Why: Does not engage with the claims." in page
    assert "? Not yet assessed" in page


def test_dispute_page_lists_related_disputes(logged_in, scenario):
    scenario.dispute.related.add(scenario.other)
    page = text_of(logged_in.get("/disputes/coda-v-openai-sora-2/"))
    assert "Related disputes" in page and "Getty Images v. Stability AI" in page


def test_a_fact_on_weak_ground_or_on_none_says_so(logged_in, scenario):
    url = "/disputes/coda-v-openai-sora-2/"
    html = logged_in.get(url).content.decode()
    launch = re.search(rf'id="event-{scenario.launch.pk}".*?</article>', html, flags=re.S).group(0)
    assert 'data-testid="no-source"' in launch and "No source recorded yet." in launch
    letter = re.search(rf'id="letter-{scenario.letter.pk}".*?</article>', html, flags=re.S).group(0)
    assert "1 source" in letter and 'data-testid="weak-support"' not in letter  # CODA's own site: primary

    coda_site, enduins, _gigazine = scenario.sources
    scenario.letter.sources.set([enduins])
    html = logged_in.get(url).content.decode()
    letter = re.search(rf'id="letter-{scenario.letter.pk}".*?</article>', html, flags=re.S).group(0)
    assert re.search(
        r'1 source <span class="weak-support" data-testid="weak-support">of low confidence</span>', letter
    )
    scenario.letter.sources.add(factories.SourceFactory(reliability="low"))
    html = logged_in.get(url).content.decode()
    assert "2 sources" in html and ">all of low confidence</span>" in html
    # One better source is enough to lift the warning.
    scenario.letter.sources.add(coda_site)
    html = logged_in.get(url).content.decode()
    letter = re.search(rf'id="letter-{scenario.letter.pk}".*?</article>', html, flags=re.S).group(0)
    assert "3 sources" in letter and "weak-support" not in letter


def test_dispute_page_draws_the_svg_timeline(logged_in, scenario):
    html = logged_in.get("/disputes/coda-v-openai-sora-2/").content.decode()
    # Drawn twice: wide for screens, narrow (lane labels above the lanes) for phones.
    for layout in ("wide", "narrow"):
        svg = re.search(rf"<svg class=\"chart chart--{layout}\".*?</svg>", html, flags=re.S).group(0)
        assert 'role="img"' in svg
        assert "seg--overdue" in svg and "mark--letter" in svg and "mark--deadline is-overdue" in svg
        assert "Unanswered for 42 days since the letter" in svg  # 27 Oct to 8 Dec
        assert "Today" in svg
    wide = re.search(r"<svg class=\"chart chart--wide\" viewBox=\"0 0 (\d+) ", html).group(1)
    narrow = re.search(r"<svg class=\"chart chart--narrow\" viewBox=\"0 0 (\d+) ", html).group(1)
    assert (int(wide), int(narrow)) == (960, 380)


def test_unknown_dispute_is_a_clear_404(logged_in, scenario):
    response = logged_in.get("/disputes/no-such-dispute/")
    assert response.status_code == 404
    assert "There is no dispute, organization or product at this address." in text_of(response)


def test_dispute_page_has_the_follow_button(logged_in, scenario, staff):
    html = logged_in.get("/disputes/coda-v-openai-sora-2/").content.decode()
    follow_url = reverse("reminders:follow-dispute", kwargs={"slug": "coda-v-openai-sora-2"})
    assert f'action="{follow_url}"' in html
    logged_in.post(follow_url, {"following": "on"})
    assert Follow.objects.filter(user=staff, dispute=scenario.dispute).exists()
    page = text_of(logged_in.get("/disputes/coda-v-openai-sora-2/"))
    assert "Following ✓" in page
    assert "Followed by Hana Sato" in page


# --- Global timeline --------------------------------------------------------------------------------------


def timeline_titles(response) -> list[str]:
    """Each timeline entry's title, in the reader's language only."""
    titles = []
    for inner in re.findall(r'<h3 class="tl-title">(.*?)</h3>', response.content.decode(), flags=re.S):
        primary = re.match(r'\s*<span class="name [^"]*"[^>]*>([^<]+)</span>', inner)
        titles.append(
            htmllib.unescape(primary.group(1) if primary else re.sub(r"<[^>]+>", "", inner)).strip()
        )
    return titles


def test_timeline_mixes_events_letters_and_responses_newest_first(logged_in, scenario):
    titles = timeline_titles(logged_in.get("/timeline/"))
    assert titles == [
        "CODA announces its request",
        "Written request about the operation of Sora 2",
        "Minister discloses the government's request to OpenAI",
        "OpenAI launches Sora 2",
        "Getty sues in Delaware",
        "Stability statement on the claim",
        "Stability answers the letter before action",
        "Letter before action",
    ]


def test_timeline_headings_follow_where_entries_sort(logged_in, scenario):
    """A date known only to the year sorts after the year's dated entries and is listed under the year alone, not
    under January; a range is listed under the month it ends in, where it sorts."""
    factories.EventFactory(title="Known only to the year", date=dt.date(2025, 1, 1), date_precision="year")
    factories.EventFactory(
        title="A span of months",
        date=dt.date(2025, 8, 1),
        date_end=dt.date(2025, 10, 20),
        date_precision="day",
    )
    html = logged_in.get("/timeline/").content.decode()
    headings = re.findall(r'<li class="month-heading"[^>]*><h3[^>]*>([^<]+)</h3>', html)
    # Newest first: the year-only event heads 2025 (it may fall in any month of it); the span sorts at its end.
    assert headings[:2] == ["2025", "October 2025"] and "January 2025" not in headings
    assert html.index(">2025</h3>") < html.index("Known only to the year") < html.index(">October 2025</h3>")
    assert html.index(">October 2025</h3>") < html.index("A span of months")
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    japanese = logged_in.get("/timeline/").content.decode()
    assert ">2025年</h3>" in japanese and ">2025年10月</h3>" in japanese


def test_timeline_oldest_first(logged_in, scenario):
    titles = timeline_titles(logged_in.get("/timeline/", {"order": "oldest"}))
    assert titles[0] == "Letter before action"


def test_timeline_filtered_by_organization_and_month(logged_in, scenario):
    response = logged_in.get(
        "/timeline/", {"party": "openai", "date_from": "2025-10-01", "date_to": "2025-10-31"}
    )
    assert timeline_titles(response) == [
        "CODA announces its request",
        "Written request about the operation of Sora 2",
        "Minister discloses the government's request to OpenAI",
    ]


def test_timeline_about_a_product(logged_in, scenario):
    titles = timeline_titles(logged_in.get("/timeline/", {"product": "sora-2"}))
    assert "OpenAI launches Sora 2" in titles and "Getty sues in Delaware" not in titles


def test_timeline_show_and_kind_filters(logged_in, scenario):
    assert timeline_titles(logged_in.get("/timeline/", {"show": "letters"})) == [
        "Written request about the operation of Sora 2",
        "Letter before action",
    ]
    assert timeline_titles(logged_in.get("/timeline/", {"kind": "lawsuit"})) == ["Getty sues in Delaware"]
    assert timeline_titles(logged_in.get("/timeline/", {"overdue": "on"})) == [
        "Written request about the operation of Sora 2"
    ]


@pytest.mark.parametrize("query", ["城内", "Kiuchi", "城内実", "Jouchi", "kiuchi"])
def test_timeline_search_finds_the_kiuchi_event(logged_in, scenario, query):
    titles = timeline_titles(logged_in.get("/timeline/", {"q": query}))
    assert titles == ["Minister discloses the government's request to OpenAI"]


def test_timeline_pages_with_cursors(logged_in, scenario):
    for n in range(60):
        factories.EventFactory(date=dt.date(2024, 1, 1) + dt.timedelta(days=n % 7), disputes=[scenario.other])
    first = logged_in.get("/timeline/")
    html = first.content.decode()
    older = re.search(r'rel="next" href="\?after=([^"&]+)"', html)
    assert older, "an Older link"
    assert len(timeline_titles(first)) == 50
    second = logged_in.get("/timeline/", {"after": older.group(1)})
    assert len(timeline_titles(second)) == 50 + 0 or len(timeline_titles(second)) > 0
    assert "Back to the newest" in text_of(second)
    newer = re.search(r'rel="prev" href="\?before=([^"&]+)"', second.content.decode())
    assert newer
    back = logged_in.get("/timeline/", {"before": newer.group(1)})
    assert timeline_titles(back) == timeline_titles(first)


@pytest.mark.parametrize(
    "params",
    [{"after": "garbage"}, {"before": "2025-99-99.0.1"}, {"after": "2025-10-10.9.1"}, {"after": "1.2.3"}],
)
def test_timeline_bad_cursor_is_a_message(logged_in, scenario, params):
    response = logged_in.get("/timeline/", params)
    assert response.status_code == 200
    assert "That page link is not valid; showing the first page." in text_of(response)
    assert len(timeline_titles(response)) == 8


def test_timeline_cursor_far_past_the_end_is_empty_not_an_error(logged_in, scenario):
    response = logged_in.get("/timeline/", {"after": "190001010.0.1"})
    assert response.status_code == 200
    assert "Nothing on the timeline matches these filters." in text_of(response)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"party": "nobody"}, "Party: Select a valid choice."),
        ({"date_to": "2025-02-30"}, "To: Enter a valid date."),
        ({"show": "everything"}, "Show: Select a valid choice."),
        ({"order": "random"}, "Order: Select a valid choice."),
    ],
)
def test_timeline_bad_filters_give_a_message(logged_in, scenario, params, message):
    response = logged_in.get("/timeline/", params)
    assert response.status_code == 200
    assert message in text_of(response)
    assert timeline_titles(response) == []


def test_timeline_htmx_request_gets_the_partial(logged_in, scenario):
    response = htmx_get(logged_in, "/timeline/", q="Kiuchi")
    html = response.content.decode()
    assert "<html" not in html
    assert timeline_titles(response) == ["Minister discloses the government's request to OpenAI"]


# --- Organizations and products ---------------------------------------------------------------------------


def test_organization_page_lists_disputes_roles_and_how_it_answers(logged_in, scenario):
    second = factories.DemandLetterFactory(
        dispute=scenario.other,
        title="Second letter",
        sender=scenario.getty,
        recipient=scenario.stability,
        dated_on=dt.date(2023, 3, 1),
        sent_on=dt.date(2023, 3, 1),
        response_deadline_on=dt.date(2023, 3, 31),
    )
    factories.ResponseFactory(letter=second, responded_on=dt.date(2023, 3, 11), sincere=True)
    page = text_of(logged_in.get("/organizations/stability-ai/"))
    assert "Respondent Getty Images v. Stability AI" in page
    assert "2 Letters received" in page
    assert "7 Median days to a first response" in page  # 4 days and 10 days
    assert "50% Answered sincerely (1 of 2)" in page
    assert "0 Letters still unanswered" in page  # one closed, one answered


def test_organization_page_for_openai_shows_the_unanswered_letter(logged_in, scenario):
    page = text_of(logged_in.get("/organizations/openai/"))
    assert "1 Letters received" in page
    assert "— Median days to a first response" in page
    assert "0% Answered sincerely (0 of 1)" in page
    assert "1 Letters still unanswered" in page
    assert "Still unanswered" in page and "⚠ Past our policy deadline by 11 days" in page


def test_member_organization_page_shows_disputes_through_its_association(logged_in, scenario):
    page = text_of(logged_in.get("/organizations/studio-ghibli/"))
    assert "Claimant through CODA" in page
    assert "CODA v. OpenAI (Sora 2)" in page
    assert "Member of" in page and "Content Overseas Distribution Association" in page


def test_association_page_lists_members_and_letters_sent(logged_in, scenario):
    page = text_of(logged_in.get("/organizations/coda/"))
    assert "Members 2" in page
    assert "Letters sent 1" in page


def test_product_page_shows_disputes_letters_chart_and_answers(logged_in, scenario):
    response = logged_in.get("/products/sora-2/")
    page = text_of(response)
    assert "Developer: OpenAI" in page
    assert "CODA v. OpenAI (Sora 2)" in page
    assert "How OpenAI answers letters about it" in page
    assert "1 Letters still unanswered" in page
    assert '<svg class="chart chart--wide"' in response.content.decode()


@pytest.mark.parametrize("url", ["/organizations/nobody/", "/products/nothing/"])
def test_unknown_organization_or_product_is_a_404(logged_in, scenario, url):
    response = logged_in.get(url)
    assert response.status_code == 404
    assert "Nothing at this address" in text_of(response)


@pytest.mark.parametrize(
    "url",
    [
        "/disputes/%27%20OR%201=1/",
        "/disputes/coda-v-openai-sora-2/extra/",
        "/organizations/../../etc/passwd/",
        "/products/%00/",
        "/timeline/?date_from=%00",
        "/disputes/?party=%F0%9F%99%82",
        "/disputes/?page=99999999999999999999",
    ],
)
def test_odd_urls_never_give_a_server_error(logged_in, scenario, url):
    assert logged_in.get(url).status_code in (200, 404)


# --- Polish found with the demo data -------------------------------------------------------------------------


def test_a_member_recorded_by_two_sources_is_listed_once(logged_in, scenario):
    # A 2010 roster and 2025 press coverage each record Studio Ghibli as a CODA member.
    factories.MembershipFactory(
        association=scenario.coda, member=scenario.ghibli, reported_on=dt.date(2010, 11, 1)
    )
    org = logged_in.get("/organizations/coda/").content.decode()
    members = re.search(r'<h2 id="members-heading">.*?</section>', org, flags=re.S).group(0)
    assert members.count(">Studio Ghibli<") == 1
    assert '<span class="count-pill">2</span>' in members
    dispute = text_of(logged_in.get("/disputes/coda-v-openai-sora-2/"))
    assert "2 members" in dispute


def test_the_list_names_each_side_of_a_dispute_once_with_commas(logged_in, scenario):
    scenario.dispute.parties.create(organization=scenario.ghibli, role="claimant")
    html = logged_in.get("/disputes/").content.decode()
    cell = re.search(r'<td class="parties"[^>]*>(.*?)</td>', html, flags=re.S).group(1)
    assert re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", cell))).strip() == (
        "CODA, Studio Ghibli v. OpenAI"
    )


def test_a_government_asking_stands_on_the_asking_side(logged_in, scenario):
    dispute = factories.DisputeFactory(title="Government of Japan – OpenAI (Sora 2)", slug="japan-openai")
    dispute.products.add(scenario.sora)
    dispute.parties.create(organization=scenario.cabinet, role="government")
    dispute.parties.create(organization=scenario.openai, role="respondent")
    page = text_of(logged_in.get("/products/sora-2/"))
    assert "Intellectual Property Strategy Promotion Secretariat v. OpenAI" in page
    assert "(Government)" not in page and "(Respondent)" not in page


def test_a_long_dispute_summary_is_folded(logged_in, scenario):
    scenario.dispute.summary = "First paragraph " + "word " * 120 + "\n\nSecond paragraph."
    scenario.dispute.save()
    html = logged_in.get("/disputes/coda-v-openai-sora-2/").content.decode()
    assert '<div class="lede lede--short">' in html and "Read the whole summary" in html
    assert "<p>Second paragraph.</p>" in html  # in the folded full text, as its own paragraph


# --- Feed links, anchors the feeds link to, and error pages -----------------------------------------------


def feed_links_html(response) -> str:
    match = re.search(r'<details class="feed-links">.*?</details>', response.content.decode(), flags=re.S)
    assert match, "no feed links on the page"
    return htmllib.unescape(match.group(0))


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/", ['href="/feeds/atom/"', 'href="/exports/disputes.csv"', 'href="/api/disputes/"']),
        (
            "/disputes/?stage=letter_sent&page=2",
            ['href="/feeds/atom/?stage=letter_sent"', 'href="/exports/letters.json?stage=letter_sent"'],
        ),
        (
            "/timeline/?party=openai&date_from=2025-10-01&date_to=2025-10-31&after=abc",
            [
                'href="/feeds/atom/?party=openai&date_from=2025-10-01&date_to=2025-10-31"',
                'href="/feeds/calendar.ics?party=openai&date_from=2025-10-01&date_to=2025-10-31"',
            ],
        ),
        (
            "/disputes/coda-v-openai-sora-2/",
            [
                'href="/feeds/atom/disputes/coda-v-openai-sora-2/"',
                'href="/feeds/calendar/disputes/coda-v-openai-sora-2.ics"',
                'href="/exports/letters.csv?dispute=coda-v-openai-sora-2"',
            ],
        ),
        ("/organizations/coda/", ['href="/feeds/atom/?party=coda"', 'href="/exports/events.csv?party=coda"']),
        ("/products/sora-2/", ['href="/feeds/atom/?product=sora-2"', 'href="/api/disputes/?product=sora-2"']),
    ],
)
def test_pages_link_to_their_records_as_feeds_and_exports(logged_in, scenario, url, expected):
    response = logged_in.get(url)
    links = feed_links_html(response)
    assert "<summary>Feeds and exports</summary>" in links
    for href in expected:
        assert href in links, href
    assert "page=" not in links and "after=" not in links
    assert f'href="{reverse("accounts:settings")}?for=' in links


def test_every_feed_link_of_a_filtered_page_answers(logged_in, scenario):
    for url in (
        "/disputes/?party=studio-ghibli&q=Sora&date_from=2025-01-01&sort=deadline&overdue=on",
        "/timeline/?party=openai&date_from=2025-10-01&date_to=2025-10-31&order=oldest&show=letters",
        "/disputes/coda-v-openai-sora-2/",
        "/organizations/openai/",
        "/products/sora-2/",
    ):
        hrefs = re.findall(r'href="([^"]+)"', feed_links_html(logged_in.get(url)))
        assert len(hrefs) >= 8
        for href in hrefs:
            assert logged_in.get(href).status_code == 200, (url, href)


def test_filtering_with_htmx_brings_the_feed_links_up_to_date(logged_in, scenario):
    for url in ("/disputes/", "/timeline/"):
        html = htmx_get(logged_in, url, party="coda").content.decode()
        slot = re.search(r'<div id="feed-links-slot" hx-swap-oob="true">(.*?)</div>', html, flags=re.S)
        assert slot and 'href="/feeds/atom/?party=coda"' in slot.group(1)
        # A full page has the slot once, in the page header, and no out-of-band copy.
        page = logged_in.get(url, {"party": "coda"}).content.decode()
        assert page.count('id="feed-links-slot"') == 1 and "hx-swap-oob" not in page


def test_the_user_menu_links_to_the_account_page(logged_in, scenario):
    html = logged_in.get("/").content.decode()
    menu = re.search(r'<div class="user-menu">(.*?)</div>', html, flags=re.S).group(1)
    assert f'<a href="{reverse("accounts:settings")}">Settings</a>' in menu
    assert 'aria-current="page">Settings' in logged_in.get(reverse("accounts:settings")).content.decode()


def test_the_dispute_page_has_the_anchors_the_feeds_and_exports_link_to(logged_in, scenario):
    # CODA's dispute has a letter and events; Getty's has a letter, an event and responses.
    assert scenario.other.letters.filter(responses__isnull=False).exists()
    for dispute in (scenario.dispute, scenario.other):
        html = logged_in.get(dispute.get_absolute_url()).content.decode()
        ids = set(re.findall(r'\sid="((?:letter|event|response)-\d+)"', html))
        expected = {f"letter-{pk}" for pk in dispute.letters.values_list("pk", flat=True)}
        expected |= {f"event-{pk}" for pk in dispute.events.values_list("pk", flat=True)}
        expected |= {
            f"response-{pk}"
            for pk in Response.objects.filter(letter__dispute=dispute).values_list("pk", flat=True)
        }
        assert expected <= ids
        # Every link of the dispute's Atom feed lands on one of them.
        feed = logged_in.get(reverse("feeds:atom-dispute", kwargs={"slug": dispute.slug})).content.decode()
        targets = re.findall(
            r'<link href="[^"]*?' + re.escape(dispute.get_absolute_url()) + r'#([\w-]+)"', feed
        )
        assert targets and set(targets) <= ids


def test_an_unknown_address_is_a_friendly_404(client, logged_in, scenario):
    response = logged_in.get("/no/such/page/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    page = text_of(response)
    assert "Nothing at this address" in page and "/no/such/page/" in page
    assert re.search(r'<a class="button" href="/">Go to the home page</a>', response.content.decode())
    logged_in.logout()
    response = client.get("/no-such-page-either/")
    assert response.status_code == 404 and "Go to the home page" in text_of(response)


def test_an_unknown_address_in_japanese(logged_in, scenario, settings):
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    response = logged_in.get("/no/such/page/")
    assert response.status_code == 404 and '<html lang="ja">' in response.content.decode()


def test_the_server_error_page_needs_no_request_and_links_home():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and 'href="/"' in html
    assert "{%" not in html and "static/" not in html


# --- Query counts -----------------------------------------------------------------------------------------

# Two queries of every request are the session and the user. The home page's count includes the reminders inbox
# (config/urls.py wires the reminders app in).
QUERY_COUNTS = {
    # Nothing is kept in the tests: the record's generation; the next deadline to pass and the next to come
    # within 30 days (until which the lists of letters are kept); both lists and their counts; the letters to
    # render (the overdue ones with their demands); the overdue letters' followers and reminders; the reminders
    # inbox and their health (two each); and the record's three sections (five).
    "/": 21,
    # The filters are text boxes: no query for their choices. Which of the page's disputes are overdue, and the
    # record's generation, under which rendered rows are kept (none are kept in the tests' settings).
    "/disputes/": 10,
    "/disputes/?party=studio-ghibli&q=Sora&date_from=2025-01-01&sort=deadline": 15,
    # The page answers first (proceedings, amounts) and pages its timeline: one light query orders every event,
    # one fetches the page's events (with their other actors), one the chart's latest events (their date, kind
    # and title), one the latest of them whole for the overview; one reads the record's generation, under which
    # rendered events are kept (none are kept in the tests' settings).
    "/disputes/coda-v-openai-sora-2/": 31,
    "/disputes/getty-v-stability/": 34,  # responses bring their own sources, demands and dates
    # +2 since events have other actors and letters other recipients (one prefetch each); +2 for the record's
    # generation and the letters' deadline states, under which rendered entries are kept (none are kept in the
    # tests' settings).
    "/timeline/": 23,
    "/timeline/?party=openai&q=Sora&date_from=2025-01-01": 26,
    # Three lists of letters, each paged on its own; the answer figures read the letters, then their responses.
    # A list's letters (and the unanswered ones) are read first narrowly, for where each stands (under which its
    # rendered row is kept), then whole to render the rows not kept (none are kept in the tests' settings).
    "/organizations/coda/": 23,
    # Its chart's events come without their disputes; its chart draws the page's letters, read whole once more
    # (kept whole between requests, for the chart, which moves with the clock).
    "/products/sora-2/": 23,
}


@pytest.mark.parametrize("url, expected", QUERY_COUNTS.items())
def test_query_count_is_fixed_whatever_the_data_size(
    logged_in, scenario, url, expected, django_assert_num_queries
):
    with django_assert_num_queries(expected):
        assert logged_in.get(url).status_code == 200
    factories.add_filler(6)
    for n in range(6):
        scenario.coda.memberships.create(member=factories.OrganizationFactory())
        factories.EventFactory(disputes=[scenario.dispute], actor=scenario.openai).sources.add(
            factories.SourceFactory()
        )
        factories.DemandLetterFactory(
            dispute=scenario.dispute, sender=scenario.coda, recipient=scenario.openai, title=f"Letter {n}"
        ).products.add(scenario.sora)
    with django_assert_num_queries(expected):
        assert logged_in.get(url).status_code == 200


def test_home_query_count_with_reminders_is_fixed(logged_in, scenario, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERY_COUNTS["/"]):
        logged_in.get("/")
    factories.add_filler(5)
    with django_assert_max_num_queries(QUERY_COUNTS["/"]):
        logged_in.get("/")
