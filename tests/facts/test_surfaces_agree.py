"""One fact, one wording: every surface that shows a fact shows the same words for the same letter at the same
instant. Each test builds one record, pins the clock, and reads the fact off the dashboard's pages, the chart,
the reminder email, the in-app inbox, the Atom feed, the calendar, the CSV and JSON exports and the API.
"""

import csv
import datetime as dt
import io
import json
import re

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from disputes.core.site import absolute_url
from disputes.models import DeadlineSource, Reminder, ReminderKind, UserProfile
from disputes.reminders import delivery
from disputes.reminders.selectors import reminders_inbox
from disputes.reminders.steps import ladder
from tests import factories

# The letter's deadline: 26 Nov 2025, end of the day in Tokyo = 14:59:59 UTC.
DEADLINE_AT = dt.datetime(2025, 11, 26, 14, 59, 59, tzinfo=dt.UTC)
SIXTEEN_HOURS_LATE = DEADLINE_AT + dt.timedelta(hours=16)


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def text(response) -> str:
    html = body(response)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def the_letter(*, source=DeadlineSource.STATED, owner=None):
    openai = factories.OrganizationFactory(slug="openai", name="OpenAI", kind="ai_developer")
    coda = factories.OrganizationFactory(slug="coda", name="CODA", kind="trade_association")
    dispute = factories.DisputeFactory(slug="coda-v-openai", title="CODA v. OpenAI")
    factories.DisputePartyFactory(dispute=dispute, organization=coda, role="claimant")
    factories.DisputePartyFactory(dispute=dispute, organization=openai, role="respondent")
    return factories.DemandLetterFactory(
        dispute=dispute,
        title="Written request about Sora 2",
        sender=coda,
        recipient=openai,
        dated_on=dt.date(2025, 10, 27),
        sent_on=dt.date(2025, 10, 27),
        response_deadline_on=dt.date(2025, 11, 26),
        deadline_source=source,
        timezone="Asia/Tokyo",
        owner=owner,
    )


def surfaces(client, letter, at: dt.datetime) -> dict[str, str]:
    """What each surface says about ``letter`` at ``at``, as text."""
    seen: dict[str, str] = {}
    with time_machine.travel(at, tick=False):
        seen["home"] = text(client.get(reverse("disputes:home")))
        dispute_page = client.get(letter.dispute.get_absolute_url()).content.decode()
        seen["dispute page"] = text(client.get(letter.dispute.get_absolute_url()))
        seen["chart"] = " ".join(re.findall(r"<title>(.*?)</title>", dispute_page, flags=re.S))
        seen["organization page"] = text(client.get(letter.recipient.get_absolute_url()))
        seen["timeline"] = text(client.get(reverse("disputes:timeline")))
        # A calendar holds a window of deadlines (by default from 180 days ago): ask for the letter's.
        window = {"since": letter.response_deadline_on.isoformat()}
        calendar = icalendar.Calendar.from_ical(body(client.get(reverse("feeds:calendar"), window)))
        seen["calendar"] = " ".join(
            f"{event['SUMMARY']} {event['DESCRIPTION']}" for event in calendar.walk("VEVENT")
        )
        rows = list(csv.DictReader(io.StringIO(body(client.get("/exports/letters.csv")))))
        seen["csv export"] = json.dumps(rows, ensure_ascii=False)
        seen["json export"] = body(client.get("/exports/letters.json"))
        seen["api"] = client.get(reverse("api:letter-detail", kwargs={"pk": letter.pk})).content.decode()
    return seen


def reminder_texts(letter, user, at: dt.datetime) -> dict[str, str]:
    """The reminder email and the in-app inbox item for ``user`` about ``letter`` at ``at``."""
    step = ladder().step_at(letter.response_deadline_at, at)
    reminder = Reminder.objects.create(
        letter=letter,
        kind=ReminderKind.DEADLINE,
        step=step.name,
        deadline_version=letter.deadline_version,
        recipient=user,
        due_at=step.due_at,
    )
    with time_machine.travel(at, tick=False):
        mail.outbox.clear()
        delivery.reminder_deliver(reminder_id=reminder.pk)
        (email,) = mail.outbox
        inbox = reminders_inbox(user, at)
    return {
        "email subject": email.subject,
        "email text": email.body,
        "email html": re.sub(r"<[^>]+>", " ", email.alternatives[0][0]),
        "inbox": " ".join(item.headline for item in inbox.items),
    }


@pytest.fixture
def reader(db, client):
    user = factories.UserFactory(username="reader", email="reader@example.org", is_staff=True)
    client.force_login(user)
    return user


def test_a_letter_sixteen_hours_late_is_overdue_by_sixteen_hours_everywhere(client, reader):
    letter = the_letter(owner=reader)
    seen = surfaces(client, letter, SIXTEEN_HOURS_LATE)
    seen |= reminder_texts(letter, reader, SIXTEEN_HOURS_LATE)
    for surface in (
        "dispute page",
        "chart",
        "organization page",
        "timeline",
        "calendar",
        "csv export",
        "json export",
        "api",
        "email subject",
        "email text",
        "email html",
        "inbox",
    ):
        assert "Overdue by 16 hours" in seen[surface], surface
        assert not re.search(r"\b0 days?\b|Deadline passed today", seen[surface]), surface
    # The home page's big figure says the same in two parts: 16 / hours overdue.
    assert "16 hours overdue" in seen["home"] and "Overdue by 16 hours" in seen["home"]
    # Machines get the flag and the exact figures, not a rounded "0 days".
    api = json.loads(seen["api"])
    assert api["overdue"] is True and api["days_overdue"] == 0
    assert api["deadline_state"]["overdue_seconds"] == 16 * 3600
    assert api["deadline_state"]["label"] == "Overdue by 16 hours"
    (row,) = json.loads(seen["json export"])
    assert (row["overdue"], row["days_overdue"], row["where_it_stands"]) == (True, 0, "Overdue by 16 hours")


def test_a_policy_deadline_is_ours_on_every_surface(client, reader):
    """CODA's letter names no deadline: every surface says the deadline is our policy's, never CODA's."""
    letter = the_letter(source=DeadlineSource.POLICY, owner=reader)
    at = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # 400 days after 27 Oct 2025 in Tokyo
    seen = surfaces(client, letter, at)
    seen |= reminder_texts(letter, reader, at)
    overdue_days = (at - DEADLINE_AT).days
    past_ours = f"Past our policy deadline by {overdue_days} days"
    for surface in ("dispute page", "chart", "organization page", "timeline", "calendar", "csv export"):
        assert past_ours in seen[surface], surface
    for surface in ("json export", "api", "email subject", "email text", "email html", "inbox"):
        assert past_ours in seen[surface], surface
    for surface in ("home", "dispute page", "email text", "email html", "calendar"):
        assert "Unanswered for 400 days since the letter" in seen[surface], surface
    for surface in ("home", "dispute page", "email text", "email html", "calendar", "api", "csv export"):
        assert (
            "No deadline stated. Our policy deadline: 26 Nov 2025 (end of day, Asia/Tokyo)" in seen[surface]
        ), surface
    assert f"{overdue_days} days past our deadline" in seen["home"]
    # Nowhere is it "overdue" as if the sender had set a deadline.
    for surface, said in seen.items():
        assert f"Overdue by {overdue_days} days" not in said, surface
        assert f"{overdue_days} days overdue" not in said, surface
    api = json.loads(seen["api"])
    assert api["deadline_is_ours"] is True and api["deadline_state"]["deadline_is_ours"] is True
    (row,) = json.loads(seen["json export"])
    assert row["deadline_is_ours"] is True


def test_a_deadline_passed_yesterday_in_the_readers_zone_is_not_today(client, reader):
    """16 hours late in Tokyo is the next calendar day for a reader in New York too: never "today"."""
    UserProfile.objects.create(user=reader, timezone="America/New_York")
    letter = the_letter(owner=reader)
    seen = reminder_texts(letter, reader, SIXTEEN_HOURS_LATE)
    assert seen["inbox"] == "Overdue by 16 hours"


def test_a_sincere_response_answers_the_letter_on_every_surface(client, reader):
    letter = the_letter(owner=reader)
    factories.ResponseFactory(
        letter=letter, assessment="sincere", assessed_at=DEADLINE_AT, responded_on=dt.date(2025, 11, 20)
    )
    seen = surfaces(client, letter, SIXTEEN_HOURS_LATE)
    for surface, said in seen.items():
        assert "Overdue by" not in said, surface
    assert "✓ Answered" in seen["dispute page"]
    assert "Answered: a response was assessed as sincere." in seen["calendar"]
    api = json.loads(seen["api"])
    assert (api["has_sincere_response"], api["overdue"]) == (True, False)
    (row,) = json.loads(seen["json export"])
    assert (row["sincere_response"], row["overdue"], row["where_it_stands"]) == (
        True,
        False,
        "Answered: a response was judged sincere",
    )
    with time_machine.travel(SIXTEEN_HOURS_LATE, tick=False):
        assert reminders_inbox(reader).items == []


def test_a_records_link_is_the_same_on_every_surface(client, reader, settings):
    settings.SITE_URL = "https://disputes.example.org"
    letter = the_letter(owner=reader)
    event = factories.EventFactory(
        disputes=[letter.dispute], title="Sora 2 launch", date=dt.date(2025, 9, 30)
    )
    letter_link = f"https://disputes.example.org/disputes/coda-v-openai/#letter-{letter.pk}"
    event_link = f"https://disputes.example.org/disputes/coda-v-openai/#event-{event.pk}"
    assert absolute_url(letter.get_absolute_url()) == letter_link
    assert absolute_url(event.get_absolute_url()) == event_link
    seen = surfaces(client, letter, SIXTEEN_HOURS_LATE)
    for surface in ("calendar", "csv export", "json export", "api"):
        assert letter_link in seen[surface], surface
    with time_machine.travel(SIXTEEN_HOURS_LATE, tick=False):
        feed = client.get(reverse("feeds:atom")).content.decode()
        events = body(client.get("/exports/events.json"))
        api_event = client.get(reverse("api:event-detail", kwargs={"pk": event.pk})).json()
    assert letter_link in feed and event_link in feed
    assert event_link in events and api_event["link"] == event_link
    page = client.get(letter.dispute.get_absolute_url()).content.decode()
    assert f'id="letter-{letter.pk}"' in page and f'id="event-{event.pk}"' in page


def test_the_site_address_is_written_once(client, reader, settings):
    """A SITE_URL with a trailing slash gives no double slash in any link."""
    settings.SITE_URL = "https://disputes.example.org/"
    letter = the_letter(owner=reader)
    seen = surfaces(client, letter, SIXTEEN_HOURS_LATE)
    seen |= reminder_texts(letter, reader, SIXTEEN_HOURS_LATE)
    for surface in ("calendar", "csv export", "json export", "api", "email text"):
        assert "https://disputes.example.org/disputes/coda-v-openai/" in seen[surface], surface
        assert "example.org//" not in seen[surface], surface


def test_a_letters_timeline_date_is_one_rule(db):
    """Sent, else dated, else announced: the same in Python and in SQL."""
    from disputes.models import DemandLetter

    cases = [
        dict(sent_on=dt.date(2025, 10, 28), dated_on=dt.date(2025, 10, 27), announced_on=None),
        dict(sent_on=None, dated_on=dt.date(2025, 10, 27), announced_on=dt.date(2025, 10, 29)),
    ]
    letters = [
        factories.DemandLetterFactory(response_deadline_on=None, deadline_source="none", **c) for c in cases
    ]
    annotated = dict(DemandLetter.objects.with_timeline_date().values_list("pk", "timeline_date"))
    assert [annotated[letter.pk] for letter in letters] == [letter.date for letter in letters]
    assert [letter.date for letter in letters] == [dt.date(2025, 10, 28), dt.date(2025, 10, 27)]
