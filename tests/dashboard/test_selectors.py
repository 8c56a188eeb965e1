"""Read queries: the global timeline's keyset pages, the disputes list, home, organizations and products."""

import datetime as dt

import pytest
from django.http import Http404, QueryDict

from disputes.dashboard import selectors
from disputes.dashboard.forms import Cursor, parse_page_number
from disputes.models import Follow, LetterStatus, Reminder, Stage
from tests import factories

NOW = dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def s(db):
    return factories.build_coda_scenario()


def params(query: str = "") -> QueryDict:
    return QueryDict(query, mutable=True)


# --- Global timeline: keyset pagination -------------------------------------------------------------------


def _crowded_timeline(s):
    """Many entries on the same few days, of every type, so page boundaries fall inside ties."""
    for n in range(40):
        factories.EventFactory(date=dt.date(2024, 6, 1 + n % 3), disputes=[s.other])
    for n in range(12):
        letter = factories.DemandLetterFactory(
            dispute=s.other,
            sender=s.getty,
            recipient=s.stability,
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
    page = selectors.timeline_page(params=query, now=NOW, limit=limit)
    while True:
        seen.extend((item.kind, item.obj.pk) for item in page.items)
        if page.older is None:
            return seen
        query["after"] = str(page.older)
        page = selectors.timeline_page(params=query, now=NOW, limit=limit)


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_walking_every_page_shows_each_entry_once_in_order(s, order):
    _crowded_timeline(s)
    walked = _walk(order)
    everything = selectors.timeline_page(params=params(f"order={order}"), now=NOW, limit=10_000).items
    assert walked == [(item.kind, item.obj.pk) for item in everything]
    assert len(walked) == len(set(walked)) == 8 + 40 + 12 + 12
    keys = [item.cursor for item in everything]
    assert keys == sorted(keys, reverse=(order == "newest"))


def test_the_previous_page_link_goes_back_exactly(s):
    _crowded_timeline(s)
    first = selectors.timeline_page(params=params(), now=NOW, limit=9)
    second = selectors.timeline_page(params=params(f"after={first.older}"), now=NOW, limit=9)
    third = selectors.timeline_page(params=params(f"after={second.older}"), now=NOW, limit=9)
    back = selectors.timeline_page(params=params(f"before={third.newer}"), now=NOW, limit=9)
    assert [i.cursor for i in back.items] == [i.cursor for i in second.items]
    back_to_first = selectors.timeline_page(params=params(f"before={second.newer}"), now=NOW, limit=9)
    assert [i.cursor for i in back_to_first.items] == [i.cursor for i in first.items]
    assert back_to_first.newer is None and back_to_first.is_first


def test_timeline_items_carry_disputes_overdue_and_disputed_dates(s):
    page = selectors.timeline_page(params=params("show=letters"), now=NOW)
    coda = next(item for item in page.items if item.obj == s.letter)
    assert coda.overdue and coda.obj.days_overdue == 11
    assert coda.disputes == [s.dispute]
    assert set(coda.disputed) == {"sent_on"}


def test_invalid_filters_give_an_empty_invalid_page(s):
    page = selectors.timeline_page(params=params("party=nobody"), now=NOW)
    assert page.invalid and page.items == []


def test_a_malformed_cursor_is_ignored_and_reported(s):
    page = selectors.timeline_page(params=params("after=not-a-cursor"), now=NOW)
    assert page.bad_cursor and len(page.items) == 8


def test_cursor_round_trip():
    cursor = Cursor(dt.date(2025, 10, 27), 0, 42)
    assert Cursor.parse(str(cursor)) == cursor
    for bad in (
        "",
        "2025-10-27.3.1",
        "2025-13-01.0.1",
        "x.0.1",
        "2025-10-27.0.-1",
        "2025-10-27.0." + "9" * 19,
    ):
        assert Cursor.parse(bad) is None


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


def test_dispute_list_rows_have_counts_deadlines_and_activity(s):
    listing = selectors.dispute_list_page(params=params(), now=NOW)
    coda, getty = listing.page.object_list
    assert (coda, getty) == (s.dispute, s.other)
    assert (coda.letter_count, coda.event_count) == (1, 3)
    assert coda.has_overdue and not getty.has_overdue
    assert coda.next_deadline == s.letter.response_deadline_at
    assert getty.next_deadline is None  # its only letter is closed
    assert coda.last_activity == dt.date(2025, 10, 28)
    assert getty.last_activity == dt.date(2023, 2, 3)


def test_last_activity_takes_the_latest_of_events_letters_and_responses(s):
    factories.ResponseFactory(letter=s.other_letter, responded_on=dt.date(2024, 1, 5))
    assert selectors.last_activity_by_dispute()[s.other.pk] == dt.date(2024, 1, 5)
    assert selectors.last_activity_by_dispute([s.dispute.pk]) == {s.dispute.pk: dt.date(2025, 10, 28)}


@pytest.mark.parametrize("sort", ["activity", "title", "stage", "deadline"])
def test_every_sort_pages_through_all_disputes(s, sort):
    factories.add_filler(30)
    first = selectors.dispute_list_page(params=params(f"sort={sort}"), now=NOW)
    second = selectors.dispute_list_page(params=params(f"sort={sort}&page=2"), now=NOW)
    rows = [*first.page.object_list, *second.page.object_list]
    assert len(rows) == len({d.pk for d in rows}) == 32


def test_a_page_past_the_end_shows_the_last_page(s):
    listing = selectors.dispute_list_page(params=params("page=40"), now=NOW)
    assert listing.notice == "past-the-end" and listing.page.number == 1 and listing.asked_page == 40


# --- Home -------------------------------------------------------------------------------------------------


def test_home_dashboard(s):
    staff = factories.UserFactory()
    Follow.objects.create(user=staff, dispute=s.dispute)
    Follow.objects.create(user=staff, letter=s.letter)  # the same person twice is shown once
    # A reminder for an earlier version of the deadline is not the current step.
    Reminder.objects.create(
        letter=s.letter, deadline_version=0, step="after-30d", due_at=NOW, recipient=staff
    )
    Reminder.objects.create(
        letter=s.letter,
        deadline_version=s.letter.deadline_version,
        step="after-7d",
        due_at=NOW - dt.timedelta(days=4),
        recipient=staff,
    )
    soon = factories.DemandLetterFactory(
        dispute=s.other,
        sender=s.getty,
        recipient=s.stability,
        dated_on=dt.date(2025, 12, 1),
        sent_on=dt.date(2025, 12, 1),
        response_deadline_on=dt.date(2025, 12, 20),
    )
    later = factories.DemandLetterFactory(
        dispute=s.other,
        sender=s.getty,
        recipient=s.stability,
        dated_on=dt.date(2025, 12, 1),
        sent_on=dt.date(2025, 12, 1),
        response_deadline_on=dt.date(2026, 2, 20),
    )
    dashboard = selectors.home_dashboard(now=NOW)
    [row] = dashboard.overdue
    assert row.letter == s.letter and row.days_overdue == 11
    assert row.reminder.step == "after-7d"
    assert row.followers == [staff]
    assert dashboard.due_soon == [soon] and later not in dashboard.due_soon
    assert dashboard.awaiting_assessment == [s.unassessed]
    assert dashboard.latest_events[0] == s.announcement
    counts = {row.stage: row.count for row in dashboard.stage_counts}
    assert counts[Stage.LETTER_SENT] == 1 and counts[Stage.LITIGATION] == 1 and counts[Stage.SETTLED] == 0
    assert dashboard.dispute_total == 2


def test_home_dashboard_query_count_does_not_grow(s, django_assert_num_queries):
    with django_assert_num_queries(10):
        selectors.home_dashboard(now=NOW)
    factories.add_filler(5)
    with django_assert_num_queries(10):
        selectors.home_dashboard(now=NOW)


# --- One dispute ------------------------------------------------------------------------------------------


def test_dispute_detail_merges_the_timeline_and_marks_what_is_overdue(s):
    staff = factories.UserFactory()
    Follow.objects.create(user=staff, dispute=s.dispute)
    detail = selectors.dispute_detail(slug=s.dispute.slug, now=NOW, user=staff)
    assert [entry.kind for entry in detail.timeline] == ["event", "event", "letter", "event", "deadline"]
    letter = detail.letters[0]
    assert letter.overdue and not letter.has_sincere_response and letter.days_overdue == 11
    assert detail.following and detail.followers == [staff]
    assert [p.role for p in detail.parties] == ["claimant", "respondent", "government"]
    assert {m.member for m in detail.members[s.coda.pk]} == {s.ghibli, s.bandai}


def test_dispute_detail_unknown_slug(db):
    with pytest.raises(Http404):
        selectors.dispute_detail(slug="nope")


# --- Organizations and products ---------------------------------------------------------------------------


def test_response_stats(s):
    answered = factories.DemandLetterFactory(
        dispute=s.other,
        sender=s.getty,
        recipient=s.stability,
        dated_on=dt.date(2023, 3, 1),
        sent_on=dt.date(2023, 3, 1),
        response_deadline_on=dt.date(2023, 3, 31),
    )
    factories.ResponseFactory(letter=answered, responded_on=dt.date(2023, 3, 11), sincere=True)
    withdrawn = factories.DemandLetterFactory(
        dispute=s.other, sender=s.getty, recipient=s.stability, status=LetterStatus.WITHDRAWN
    )
    detail = selectors.organization_detail(slug="stability-ai", now=NOW)
    stats = detail.stats
    assert stats.received == 2  # the withdrawn letter does not count
    assert stats.median_days_to_first_response == 7  # 4 and 10 days
    assert stats.share_sincere == 0.5
    assert stats.unanswered == []
    assert withdrawn in detail.letters_received.letters


def test_organization_detail_roles_memberships_and_letters(s):
    ghibli = selectors.organization_detail(slug="studio-ghibli", now=NOW)
    assert [(party.dispute, association) for party, association in ghibli.via_membership] == [
        (s.dispute, s.coda)
    ]
    assert [m.association for m in ghibli.member_of] == [s.coda]
    coda = selectors.organization_detail(slug="coda", now=NOW)
    assert coda.letters_sent.letters == [s.letter]
    assert {m.member for m in coda.members} == {s.ghibli, s.bandai}
    openai = selectors.organization_detail(slug="openai", now=NOW)
    assert openai.stats.unanswered == [s.letter] and openai.stats.share_sincere == 0
    assert openai.products == [s.sora]
    cabinet = selectors.organization_detail(slug="ip-secretariat", now=NOW)
    assert cabinet.events == [s.kiuchi_event] and cabinet.people == [s.kiuchi]


def test_product_detail(s):
    detail = selectors.product_detail(slug="sora-2", now=NOW)
    assert detail.disputes == [s.dispute]
    assert detail.letters.letters == [s.letter]
    assert detail.events == [s.launch, s.kiuchi_event, s.announcement]  # oldest first, for the chart
    assert detail.stats.unanswered == [s.letter]


def test_organization_and_product_detail_unknown_slugs(db):
    with pytest.raises(Http404):
        selectors.organization_detail(slug="nobody")
    with pytest.raises(Http404):
        selectors.product_detail(slug="nothing")
