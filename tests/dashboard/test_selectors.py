"""Read queries: the global timeline's keyset pages, the disputes list, home, organizations and products."""

import datetime as dt

import pytest
from django.http import QueryDict

from disputes.dashboard import selectors
from disputes.dashboard.forms import Cursor, TimelinePageForm, parse_page_number
from disputes.filters.dashboard import DisputeFilterSet, TimelineFilterSet
from disputes.models import Dispute, Event, Follow, LetterStatus, Reminder, Stage, date_sort_key
from disputes.models.deferred import derived_data_deferred
from tests import factories

NOW = dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)


def params(query: str = "") -> QueryDict:
    return QueryDict(query, mutable=True)


def timeline_page(query: QueryDict, *, now, limit: int = selectors.timeline.TIMELINE_PER_PAGE):
    """The timeline selector with its typed inputs built from a query string, as the view builds them."""
    return selectors.timeline_page(
        filterset=TimelineFilterSet(query, queryset=Event.objects.none(), now=now),
        page_form=TimelinePageForm(query),
        now=now,
        limit=limit,
    )


def dispute_list_page(query: QueryDict, *, now):
    return selectors.dispute_list_page(
        filterset=DisputeFilterSet(query, queryset=Dispute.objects.all(), now=now),
        page=parse_page_number(query.get("page")),
        now=now,
    )


# --- Global timeline: keyset pagination -------------------------------------------------------------------


@derived_data_deferred()
def _crowded_timeline(scenario):
    """Many entries on the same few days, of every type, so page boundaries fall inside ties."""
    for n in range(40):
        factories.EventFactory(date=dt.date(2024, 6, 1 + n % 3), disputes=[scenario.other])
    for n in range(12):
        letter = factories.DemandLetterFactory(
            dispute=scenario.other,
            sender=scenario.getty,
            recipient=scenario.stability,
            dated_on=dt.date(2024, 6, 1 + n % 3),
            sent_on=dt.date(2024, 6, 1 + n % 3),
            response_deadline_on=None,
            deadline_source="none",
        )
        factories.ResponseFactory(
            letter=letter, responded_on=dt.date(2024, 6, 3 + n % 2)
        )  # never before its letter


def _walk(order: str, limit: int = 7) -> list[tuple]:
    seen, query = [], params(f"order={order}")
    page = timeline_page(query, now=NOW, limit=limit)
    while True:
        seen.extend((item.kind, item.obj.pk) for item in page.items)
        if page.older is None:
            return seen
        query["after"] = str(page.older)
        page = timeline_page(query, now=NOW, limit=limit)


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_walking_every_page_shows_each_entry_once_in_order(scenario, order):
    _crowded_timeline(scenario)
    walked = _walk(order)
    everything = timeline_page(params(f"order={order}"), now=NOW, limit=10_000).items
    assert walked == [(item.kind, item.obj.pk) for item in everything]
    assert len(walked) == len(set(walked)) == 8 + 40 + 12 + 12
    keys = [item.cursor for item in everything]
    assert keys == sorted(keys, reverse=(order == "newest"))


def test_the_previous_page_link_goes_back_exactly(scenario):
    _crowded_timeline(scenario)
    first = timeline_page(params(), now=NOW, limit=9)
    second = timeline_page(params(f"after={first.older}"), now=NOW, limit=9)
    third = timeline_page(params(f"after={second.older}"), now=NOW, limit=9)
    back = timeline_page(params(f"before={third.newer}"), now=NOW, limit=9)
    assert [i.cursor for i in back.items] == [i.cursor for i in second.items]
    back_to_first = timeline_page(params(f"before={second.newer}"), now=NOW, limit=9)
    assert [i.cursor for i in back_to_first.items] == [i.cursor for i in first.items]
    assert back_to_first.newer is None and back_to_first.is_first


def test_timeline_items_carry_disputes_overdue_and_disputed_dates(scenario):
    page = timeline_page(params("show=letters"), now=NOW)
    coda = next(item for item in page.items if item.obj == scenario.letter)
    assert coda.overdue and coda.obj.state.overdue_days == 11
    assert coda.disputes == [scenario.dispute]
    assert set(coda.disputed) == {"sent_on"}


def test_invalid_filters_give_an_empty_invalid_page(scenario):
    page = timeline_page(params("party=nobody"), now=NOW)
    assert page.invalid and page.items == []


def test_a_malformed_cursor_is_ignored_and_reported(scenario):
    page = timeline_page(params("after=not-a-cursor"), now=NOW)
    assert page.bad_cursor and len(page.items) == 8


def test_cursor_round_trip():
    cursor = Cursor(date_sort_key(dt.date(2025, 10, 27)), 0, 42)
    assert str(cursor) == "202510270.0.42"
    assert Cursor.parse(str(cursor)) == cursor
    for bad in (
        "",
        "202510270.3.1",
        "2025-10-27.0.1",  # the date form of earlier links
        "x.0.1",
        "202510270.0.-1",
        "202510270.0." + "9" * 19,
    ):
        assert Cursor.parse(bad) is None


def test_global_timeline_puts_a_month_only_entry_after_the_dated_ones_of_its_month(scenario):
    """A reaction known only as "October 2025" comes after every dated entry of October 2025 (oldest first),
    also when the pages are one entry long (keyset on ``date_sort``)."""
    vague = factories.EventFactory(date=dt.date(2025, 10, 3), date_precision="month", title="Vague reaction")
    vague.disputes.add(scenario.dispute)
    page = timeline_page(params("order=oldest"), now=NOW)
    order = [(item.kind, item.obj.pk) for item in page.items]
    position = order.index(("event", vague.pk))
    october = [
        i for i, item in enumerate(page.items) if item.date and item.date.strftime("%Y-%m") == "2025-10"
    ]
    assert position == max(october) and len(october) > 1
    one = timeline_page(params("order=oldest"), now=NOW, limit=1)
    walked = list(one.items)
    while one.older is not None:
        one = timeline_page(params(f"order=oldest&after={one.older}"), now=NOW, limit=1)
        walked += one.items
    assert [(item.kind, item.obj.pk) for item in walked] == order


@pytest.mark.parametrize(
    "raw, number, problem",
    [
        (None, 1, ""),
        ("", 1, ""),
        ("3", 3, ""),
        ("0", 1, "not-a-number"),
        ("abc", 1, "not-a-number"),
        ("１", 1, "not-a-number"),
    ],
)
def test_parse_page_number(raw, number, problem):
    assert parse_page_number(raw).number == number
    assert parse_page_number(raw).problem == problem


# --- Disputes list ----------------------------------------------------------------------------------------


def test_dispute_list_rows_have_counts_deadlines_and_activity(scenario):
    listing = dispute_list_page(params(), now=NOW)
    coda, getty = (row.obj for row in listing.page.object_list)
    assert (coda, getty) == (scenario.dispute, scenario.other)
    assert (coda.letter_count, coda.event_count) == (1, 3)
    assert coda.has_overdue and not getty.has_overdue
    assert coda.next_deadline == scenario.letter.response_deadline_at
    assert getty.next_deadline is None  # its only letter is closed
    assert coda.last_activity_on == dt.date(2025, 10, 28)
    assert getty.last_activity_on == dt.date(2023, 2, 3)


def test_last_activity_takes_the_latest_of_events_letters_and_responses(scenario):
    factories.ResponseFactory(letter=scenario.other_letter, responded_on=dt.date(2024, 1, 5))
    scenario.other.refresh_from_db()
    scenario.dispute.refresh_from_db()
    assert scenario.other.last_activity_on == dt.date(2024, 1, 5)
    assert scenario.dispute.last_activity_on == dt.date(2025, 10, 28)


def test_last_activity_follows_deletes_links_and_month_precision(scenario):
    """A month-only event counts after the dated records of its month and is shown at its precision; unlinking
    or deleting the latest record brings the stored activity back."""
    dispute = scenario.dispute
    later = factories.EventFactory(date=dt.date(2025, 10, 31))
    later.disputes.add(dispute)
    month_only = factories.EventFactory(date=dt.date(2025, 10, 15), date_precision="month")
    month_only.disputes.add(dispute)
    dispute.refresh_from_db()
    assert (dispute.last_activity_on, dispute.last_activity_precision) == (dt.date(2025, 10, 1), "month")
    month_only.disputes.remove(dispute)
    dispute.refresh_from_db()
    assert (dispute.last_activity_on, dispute.last_activity_precision) == (dt.date(2025, 10, 31), "day")
    later.delete()
    dispute.refresh_from_db()
    assert dispute.last_activity_on == dt.date(2025, 10, 28)
    page = dispute_list_page(params("sort=activity"), now=NOW)
    assert [row.obj.pk for row in page.page.object_list][0] == dispute.pk


@pytest.mark.parametrize("sort", ["activity", "title", "stage", "deadline"])
def test_every_sort_pages_through_all_disputes(scenario, sort):
    factories.add_filler(30)
    first = dispute_list_page(params(f"sort={sort}"), now=NOW)
    second = dispute_list_page(params(f"sort={sort}&page=2"), now=NOW)
    rows = [row.obj for row in [*first.page.object_list, *second.page.object_list]]
    assert len(rows) == len({d.pk for d in rows}) == 32


def test_a_page_past_the_end_shows_the_last_page(scenario):
    listing = dispute_list_page(params("page=40"), now=NOW)
    assert listing.notice == "past-the-end" and listing.page.number == 1 and listing.asked_page == 40


# --- Home -------------------------------------------------------------------------------------------------


def test_home_dashboard(scenario):
    staff = factories.UserFactory()
    Follow.objects.create(user=staff, dispute=scenario.dispute)
    Follow.objects.create(user=staff, letter=scenario.letter)  # the same person twice is shown once
    # A reminder for an earlier version of the deadline is not the current step.
    Reminder.objects.create(
        letter=scenario.letter, deadline_version=0, step="after-30d", due_at=NOW, recipient=staff
    )
    Reminder.objects.create(
        letter=scenario.letter,
        deadline_version=scenario.letter.deadline_version,
        step="after-7d",
        due_at=NOW - dt.timedelta(days=4),
        recipient=staff,
    )
    soon = factories.DemandLetterFactory(
        dispute=scenario.other,
        sender=scenario.getty,
        recipient=scenario.stability,
        dated_on=dt.date(2025, 12, 1),
        sent_on=dt.date(2025, 12, 1),
        response_deadline_on=dt.date(2025, 12, 20),
    )
    later = factories.DemandLetterFactory(
        dispute=scenario.other,
        sender=scenario.getty,
        recipient=scenario.stability,
        dated_on=dt.date(2025, 12, 1),
        sent_on=dt.date(2025, 12, 1),
        response_deadline_on=dt.date(2026, 2, 20),
    )
    dashboard = selectors.home_dashboard(now=NOW)
    [row] = dashboard.overdue
    assert row.letter == scenario.letter and row.state.overdue_days == 11
    assert row.reminder.step == "after-7d"
    assert row.followers == [staff]
    due = [row.letter for row in dashboard.due_soon]
    assert due == [soon] and later not in due
    assert dashboard.awaiting_assessment == [scenario.unassessed]
    assert dashboard.latest_events[0] == scenario.announcement
    counts = {row.stage: row.count for row in dashboard.stage_counts}
    assert counts[Stage.LETTER_SENT] == 1 and counts[Stage.LITIGATION] == 1 and counts[Stage.SETTLED] == 0
    assert dashboard.dispute_total == 2


def test_home_dashboard_query_count_does_not_grow(scenario, django_assert_num_queries):
    # Nothing kept (the tests' cache keeps nothing): the record's generation, the next deadline to pass and the
    # next to come within the horizon, both lists of letters and their counts, the letters to render (the
    # overdue ones with their demands), and the overdue letters' followers and reminders. The sections that
    # show the record alone are read only when rendered (five queries more).
    factories.DemandLetterFactory(dispute=scenario.other, response_deadline_on=dt.date(2025, 12, 20))
    with django_assert_num_queries(12):
        dashboard = selectors.home_dashboard(now=NOW)
    with django_assert_num_queries(5):
        assert (
            dashboard.dispute_total and dashboard.latest_events and dashboard.awaiting_assessment is not None
        )
    factories.add_filler(5)
    with django_assert_num_queries(12):
        selectors.home_dashboard(now=NOW)


def letters_of(rows) -> list:
    """The letters of a list's rows (the tests keep nothing, so every row holds its letter)."""
    return [row.letter for row in rows]


# --- One dispute ------------------------------------------------------------------------------------------


def test_dispute_detail_merges_the_timeline_and_marks_what_is_overdue(scenario):
    staff = factories.UserFactory()
    Follow.objects.create(user=staff, dispute=scenario.dispute)
    detail = selectors.dispute_detail(slug=scenario.dispute.slug, now=NOW, user=staff)
    # Newest first by default; oldest first on request.
    assert [entry.kind for entry in detail.timeline] == ["deadline", "event", "letter", "event", "event"]
    oldest = selectors.dispute_detail(slug=scenario.dispute.slug, now=NOW, oldest_first=True)
    assert [entry.kind for entry in oldest.timeline] == ["event", "event", "letter", "event", "deadline"]
    assert detail.overview.open_demands == len(detail.letters[0].open_demands)
    letter = detail.letters[0]
    assert letter.state.overdue and not letter.has_sincere_response and letter.state.overdue_days == 11
    assert detail.following and detail.followers == [staff]
    assert [p.role for p in detail.parties] == ["claimant", "respondent", "government"]
    assert {m.member for m in detail.members[scenario.coda.pk]} == {scenario.ghibli, scenario.bandai}


def test_dispute_detail_unknown_slug(db):
    assert selectors.dispute_detail(slug="nope") is None


# --- Organizations and products ---------------------------------------------------------------------------


def test_response_stats(scenario):
    answered = factories.DemandLetterFactory(
        dispute=scenario.other,
        sender=scenario.getty,
        recipient=scenario.stability,
        dated_on=dt.date(2023, 3, 1),
        sent_on=dt.date(2023, 3, 1),
        response_deadline_on=dt.date(2023, 3, 31),
    )
    factories.ResponseFactory(letter=answered, responded_on=dt.date(2023, 3, 11), sincere=True)
    withdrawn = factories.DemandLetterFactory(
        dispute=scenario.other,
        sender=scenario.getty,
        recipient=scenario.stability,
        status=LetterStatus.WITHDRAWN,
    )
    detail = selectors.organization_detail(slug="stability-ai", now=NOW)
    stats = detail.stats
    assert stats.received == 2  # the withdrawn letter does not count
    assert stats.median_days_to_first_response == 7  # 4 and 10 days
    assert stats.share_sincere == 0.5
    assert stats.unanswered == []
    assert withdrawn in letters_of(detail.letters_received.letters)


def test_organization_detail_roles_memberships_and_letters(scenario):
    ghibli = selectors.organization_detail(slug="studio-ghibli", now=NOW)
    assert [(party.dispute, association) for party, association in ghibli.via_membership] == [
        (scenario.dispute, scenario.coda)
    ]
    assert [m.association for m in ghibli.member_of] == [scenario.coda]
    coda = selectors.organization_detail(slug="coda", now=NOW)
    assert letters_of(coda.letters_sent.letters) == [scenario.letter]
    assert {m.member for m in coda.members} == {scenario.ghibli, scenario.bandai}
    openai = selectors.organization_detail(slug="openai", now=NOW)
    assert letters_of(openai.stats.unanswered) == [scenario.letter] and openai.stats.share_sincere == 0
    assert openai.products == [scenario.sora]
    cabinet = selectors.organization_detail(slug="ip-secretariat", now=NOW)
    assert cabinet.events == [scenario.kiuchi_event] and cabinet.people == [scenario.kiuchi]


def test_product_detail(scenario):
    detail = selectors.product_detail(slug="sora-2", now=NOW)
    assert detail.disputes == [scenario.dispute]
    assert letters_of(detail.letters.letters) == [scenario.letter]
    assert detail.events == [
        scenario.launch,
        scenario.kiuchi_event,
        scenario.announcement,
    ]  # oldest first, for the chart
    assert letters_of(detail.stats.unanswered) == [scenario.letter]


def test_organization_and_product_detail_unknown_slugs(db):
    """Selectors say "not found" with None; the views turn it into a 404 page."""
    assert selectors.organization_detail(slug="nobody") is None
    assert selectors.product_detail(slug="nothing") is None


def test_an_organizations_letters_are_paged_each_list_on_its_own(scenario):
    """Thirty letters received: the first page shows 25, the second 5, the figures count all 30, the
    unanswered list shows the first ten with the number left, and the sent list keeps its own page."""
    for n in range(29):
        factories.DemandLetterFactory(
            dispute=scenario.dispute,
            sender=scenario.coda,
            recipient=scenario.openai,
            dated_on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
            sent_on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
            response_deadline_on=dt.date(2025, 3, 1) + dt.timedelta(days=n),
        )
    first = selectors.organization_detail(slug="openai", now=NOW)
    second = selectors.organization_detail(slug="openai", params=params("received=2&sent=9"), now=NOW)
    assert (first.letters_received.count, len(first.letters_received.letters)) == (30, 25)
    assert len(second.letters_received.letters) == 5 and second.letters_received.number == 2
    assert {letter.pk for letter in first.letters_received.letters}.isdisjoint(
        letter.pk for letter in second.letters_received.letters
    )
    assert second.letters_received.previous_url == "?received=1&sent=9"
    assert first.letters_received.next_url == "?received=2"
    assert first.stats.received == 30 and first.stats.unanswered_count == 30
    assert len(first.stats.unanswered) == 10 and first.stats.unanswered_more == 20
    # Soonest deadline first.
    deadlines = [row.letter.response_deadline_at for row in first.stats.unanswered]
    assert deadlines == sorted(deadlines)
    # A page past the end shows the last one; a page number that is not one shows the first.
    assert (
        selectors.organization_detail(
            slug="openai", params=params("received=99"), now=NOW
        ).letters_received.number
        == 2
    )
    assert (
        selectors.organization_detail(
            slug="openai", params=params("received=x"), now=NOW
        ).letters_received.number
        == 1
    )
