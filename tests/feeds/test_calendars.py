"""iCalendar feeds: parse with the icalendar library, one VEVENT per deadline at the right instant in the right
time zone, stable UIDs, the user's reminders, filters, escaping and fixed query counts."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from disputes.accounts.services import token_reset
from disputes.models import DeadlineSource, DeliveryStatus, LetterStatus, PartyRole, Reminder
from disputes.models.deferred import derived_data_deferred
from tests import factories
from tests.http import body

HOSTILE = '=HYPERLINK("https://evil.example","x") <script>alert("x")</script>, \'single\'; 😀 日本語 \u200fשלום\u200e\\n'
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _clock():
    # Calendars hold a window of deadlines around today: pin today near the record's deadlines.
    with time_machine.travel("2025-11-20 00:00Z", tick=True):
        yield


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, body(response)[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(body(response))


def by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
@derived_data_deferred()
def record(db):
    openai = factories.OrganizationFactory(slug="openai", name="OpenAI", kind="ai_developer", country="US")
    coda = factories.OrganizationFactory(slug="coda", name="CODA", kind="trade_association")
    mpa = factories.OrganizationFactory(slug="mpa", name="MPA", country="US", timezone="America/New_York")
    coda_dispute = factories.DisputeFactory(slug="coda-v-openai", title="CODA v. OpenAI")
    factories.DisputePartyFactory(dispute=coda_dispute, organization=coda, role=PartyRole.CLAIMANT)
    hollywood = factories.DisputeFactory(slug="hollywood", title="Hollywood v. OpenAI")
    factories.DisputePartyFactory(dispute=hollywood, organization=mpa, role=PartyRole.CLAIMANT)
    coda_letter = factories.DemandLetterFactory(
        dispute=coda_dispute, title="CODA's written request", sender=coda, recipient=openai
    )
    factories.DemandFactory(letter=coda_letter, number=1, text_en="Do not train on members' works.")
    mpa_letter = factories.DemandLetterFactory(
        dispute=hollywood,
        title="MPA's letter",
        sender=mpa,
        recipient=openai,
        timezone="America/New_York",
        dated_on=dt.date(2025, 10, 6),
        sent_on=dt.date(2025, 10, 6),
        response_deadline_on=dt.date(2025, 11, 26),
    )
    no_deadline = factories.DemandLetterFactory(
        dispute=hollywood,
        title="An approach",
        sender=mpa,
        recipient=openai,
        response_deadline_on=None,
        deadline_source=DeadlineSource.NONE,
    )
    return {
        "coda_letter": coda_letter,
        "mpa_letter": mpa_letter,
        "no_deadline": no_deadline,
        "coda_dispute": coda_dispute,
        "openai": openai,
    }


def uid(letter) -> str:
    return f"letter-{letter.pk}-deadline@127.0.0.1"


def test_one_event_per_deadline_at_the_end_of_the_day_where_the_sender_is(staff_client, record):
    calendar = parse(staff_client.get(reverse("feeds:calendar")))
    events = by_uid(calendar)
    assert set(events) == {uid(record["coda_letter"]), uid(record["mpa_letter"])}

    coda = events[uid(record["coda_letter"])]
    start = coda.decoded("DTSTART")
    assert start == dt.datetime(2025, 11, 26, 23, 59, 59, tzinfo=TOKYO)
    assert start.utcoffset() == dt.timedelta(hours=9)
    assert coda["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert str(coda["SUMMARY"]) == "Response due: CODA's written request (OpenAI)"
    assert (
        str(coda["URL"]) == f"http://127.0.0.1:8000/disputes/coda-v-openai/#letter-{record['coda_letter'].pk}"
    )
    description = str(coda["DESCRIPTION"])
    assert "From CODA to OpenAI" in description
    assert "Respond by: 2025-11-26 23:59 Asia/Tokyo (2025-11-26 14:59 UTC)" in description
    assert "1. Do not train on members' works." in description

    mpa = events[uid(record["mpa_letter"])]
    assert mpa.decoded("DTSTART") == dt.datetime(2025, 11, 26, 23, 59, 59, tzinfo=NEW_YORK)
    assert mpa.decoded("DTSTART").utcoffset() == dt.timedelta(hours=-5)  # EST, after the DST change

    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert zones == {"Asia/Tokyo", "America/New_York"}
    assert str(calendar["X-WR-CALNAME"]) == "AI disputes: deadlines"
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]


def test_open_deadlines_carry_alarms_and_answered_or_withdrawn_ones_say_so(staff_client, record):
    factories.ResponseFactory(letter=record["mpa_letter"], sincere=True)
    withdrawn = factories.DemandLetterFactory(dispute=record["coda_dispute"], status=LetterStatus.WITHDRAWN)
    events = by_uid(parse(staff_client.get(reverse("feeds:calendar"))))

    coda = events[uid(record["coda_letter"])]
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in coda.walk("VALARM"))
    assert triggers == [dt.timedelta(days=-3), dt.timedelta(days=-1)]
    assert str(coda["STATUS"]) == "CONFIRMED"

    answered = events[uid(record["mpa_letter"])]
    assert str(answered["SUMMARY"]).startswith("Answered: ")
    assert not answered.walk("VALARM")

    assert str(events[uid(withdrawn)]["STATUS"]) == "CANCELLED"


def test_uids_are_stable_and_a_moved_deadline_moves_the_event(staff_client, record):
    letter = record["coda_letter"]
    before = by_uid(parse(staff_client.get(reverse("feeds:calendar"))))[uid(letter)]
    letter.response_deadline_on = dt.date(2025, 12, 10)
    letter.deadline_version = 2
    letter.save()
    after = by_uid(parse(staff_client.get(reverse("feeds:calendar"))))[uid(letter)]
    assert int(before["SEQUENCE"]) == 1 and int(after["SEQUENCE"]) == 2
    assert after.decoded("DTSTART") == dt.datetime(2025, 12, 10, 23, 59, 59, tzinfo=TOKYO)


def test_the_users_own_reminders_are_events_too(staff_client, user, record):
    letter = record["coda_letter"]
    due = dt.datetime(2025, 11, 23, 14, 59, 59, tzinfo=dt.UTC)
    mine = Reminder.objects.create(
        letter=letter, deadline_version=1, step="before-3d", due_at=due, recipient=user
    )
    snoozed = Reminder.objects.create(
        letter=letter,
        deadline_version=1,
        step="due",
        due_at=due,
        recipient=user,
        snoozed_until=dt.datetime(2025, 11, 30, 0, 0, tzinfo=dt.UTC),
    )
    Reminder.objects.create(
        letter=letter, deadline_version=1, step="after-7d", due_at=due, recipient=user, acknowledged_at=due
    )
    Reminder.objects.create(
        letter=letter, deadline_version=1, step="after-14d", due_at=due, recipient=user,
        status=DeliveryStatus.CANCELLED,
    )  # fmt: skip
    someone_else = factories.UserFactory()
    Reminder.objects.create(
        letter=letter, deadline_version=1, step="before-3d", due_at=due, recipient=someone_else
    )
    events = by_uid(parse(staff_client.get(reverse("feeds:calendar"))))
    reminders = {k: v for k, v in events.items() if k.startswith("reminder-")}
    assert set(reminders) == {f"reminder-{mine.pk}@127.0.0.1", f"reminder-{snoozed.pk}@127.0.0.1"}
    assert reminders[f"reminder-{mine.pk}@127.0.0.1"].decoded("DTSTART") == due
    assert reminders[f"reminder-{snoozed.pk}@127.0.0.1"].decoded("DTSTART") == snoozed.snoozed_until
    assert str(reminders[f"reminder-{mine.pk}@127.0.0.1"]["SUMMARY"]) == (
        "Reminder: CODA's written request (OpenAI), before-3d"
    )


def test_the_calendar_of_one_dispute_and_of_a_filtered_view(staff_client, record):
    events = by_uid(
        parse(staff_client.get(reverse("feeds:calendar-dispute", kwargs={"slug": "coda-v-openai"})))
    )
    assert set(events) == {uid(record["coda_letter"])}
    events = by_uid(parse(staff_client.get(reverse("feeds:calendar"), {"party": "mpa"})))
    assert set(events) == {uid(record["mpa_letter"])}
    events = by_uid(parse(staff_client.get(reverse("feeds:calendar"), {"q": "CODA"})))
    assert set(events) == {uid(record["coda_letter"])}
    record["mpa_letter"].status = LetterStatus.CLOSED
    record["mpa_letter"].save()
    events = by_uid(parse(staff_client.get(reverse("feeds:calendar"), {"status": "open"})))
    assert set(events) == {uid(record["coda_letter"])}
    with time_machine.travel("2025-12-01 00:00Z"):
        events = by_uid(parse(staff_client.get(reverse("feeds:calendar"), {"overdue": "on"})))
    assert set(events) == {uid(record["coda_letter"])}


@pytest.mark.parametrize(
    "query",
    [{"date_to": "31/12/2025"}, {"party": "nobody"}, {"status": "lost"}, {"dispute": "nope"}, {"stage": "x"}],
)
def test_bad_filters_are_a_400(staff_client, record, query):
    response = staff_client.get(reverse("feeds:calendar"), query)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


def test_an_unknown_dispute_is_a_404(staff_client, record):
    assert staff_client.get(reverse("feeds:calendar-dispute", kwargs={"slug": "nope"})).status_code == 404


def test_text_from_the_record_stays_text(staff_client, record):
    letter = record["coda_letter"]
    letter.title = HOSTILE
    letter.save()
    record["openai"].name = HOSTILE
    record["openai"].save()
    record["coda_dispute"].title = HOSTILE + "\x0b"
    record["coda_dispute"].save()
    response = staff_client.get(reverse("feeds:calendar-dispute", kwargs={"slug": "coda-v-openai"}))
    event = by_uid(parse(response))[uid(letter)]
    assert str(event["SUMMARY"]) == f"Response due: {HOSTILE} ({HOSTILE})"
    assert f"Dispute: {HOSTILE}\n" in str(event["DESCRIPTION"])
    # Commas, semicolons and backslashes are escaped on the wire (RFC 5545 3.3.11).
    wire = body(response)
    assert b"\\," in wire and b"\\;" in wire


@derived_data_deferred()
def _grow(record, n: int) -> None:
    for _ in range(n):
        letter = factories.DemandLetterFactory(dispute=record["coda_dispute"], recipient=record["openai"])
        factories.DemandFactory(letter=letter)
        factories.ResponseFactory(letter=letter)


def test_query_counts_do_not_depend_on_the_size(staff_client, user, record, django_assert_num_queries):
    # Session and user; the user's reminders; the time zones; the demands; the letters; and the savepoint the
    # stream runs in (a transaction of its own outside tests).
    with django_assert_num_queries(8):
        small = parse(staff_client.get(reverse("feeds:calendar")))
    _grow(record, 25)
    with django_assert_num_queries(8):
        large = parse(staff_client.get(reverse("feeds:calendar")))
    assert len(large.walk("VEVENT")) == len(small.walk("VEVENT")) + 25


def test_a_token_address_serves_the_calendar(client, user, record):
    raw = token_reset(user=user)
    calendar = parse(
        client.get(reverse("feeds:calendar-dispute", kwargs={"slug": "coda-v-openai", "token": raw}))
    )
    assert set(by_uid(calendar)) == {uid(record["coda_letter"])}


def test_a_calendar_holds_a_window_of_deadlines_and_is_streamed(staff_client, record):
    old = factories.DemandLetterFactory(
        dispute=record["coda_dispute"],
        recipient=record["openai"],
        dated_on=dt.date(2020, 1, 6),
        sent_on=dt.date(2020, 1, 6),
        response_deadline_on=dt.date(2020, 2, 6),
    )
    response = staff_client.get(reverse("feeds:calendar"))
    assert response.streaming
    events = by_uid(parse(response))
    # By default from 180 days before today: the 2020 deadline is outside, the current ones inside.
    assert uid(old) not in events and uid(record["coda_letter"]) in events
    events = by_uid(parse(staff_client.get(reverse("feeds:calendar"), {"since": "2020-01-01"})))
    assert set(events) == {uid(old)}  # two years from ``since`` by default
    events = by_uid(
        parse(staff_client.get(reverse("feeds:calendar"), {"since": "2025-01-01", "until": "2025-12-31"}))
    )
    assert uid(old) not in events and uid(record["coda_letter"]) in events


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2020-01-01", "until": "2025-01-01"},
        {"since": "2025-01-01", "until": "2024-01-01"},
        {"since": "x"},
    ],
)
def test_a_window_too_long_backwards_or_malformed_is_a_400(staff_client, record, query):
    response = staff_client.get(reverse("feeds:calendar"), query)
    assert response.status_code == 400
    assert response.json()["errors"]
