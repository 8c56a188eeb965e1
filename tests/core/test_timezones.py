"""Deadlines in the viewer's time zone: how the zone is chosen, the settings page, the pages, the emails and the
admin. The CODA letter's deadline is the end of 26 November 2025 in Tokyo: 14:59:59 UTC, 09:59:59 in New York."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disputes.accounts.services import profile_browser_timezone_record, profile_timezone_set
from disputes.core import timezones
from disputes.models import Follow, Reminder, UserProfile
from disputes.reminders import delivery
from tests import factories

NOW = dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)
CODA = "/disputes/coda-v-openai-sora-2/"


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def viewer_times(html: str) -> list[str]:
    return re.findall(r'<span class="viewer-time[^"]*" data-testid="viewer-time">(.*?)</span>', html)


# --- Names and the order of preference ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Asia/Tokyo", True),
        ("America/Argentina/Buenos_Aires", True),
        ("UTC", True),
        ("Etc/GMT+5", True),
        ("", False),
        ("asia/tokyo", False),
        ("localtime", False),  # the server's own zone, not a place
        ("Mars/Olympus_Mons", False),
        ("../../etc/passwd", False),
        ("Asia/" + "x" * 80, False),
        (None, False),
    ],
)
def test_which_names_are_time_zones(name, valid):
    assert timezones.is_valid(name) is valid


def test_the_chosen_zone_wins_then_the_browser_then_the_site(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert timezones.resolve(chosen="Asia/Tokyo", browser="America/New_York") == timezones.ViewerZone(
        "Asia/Tokyo", timezones.Source.CHOSEN
    )
    assert timezones.resolve(chosen="", browser="America/New_York").source == timezones.Source.BROWSER
    assert timezones.resolve(chosen="Nowhere/Else", browser="Nowhere").name == "Europe/Paris"
    assert timezones.resolve().source == timezones.Source.SITE


def test_the_picker_offers_places_grouped_by_region():
    groups = dict(timezones.choices())
    assert ("Asia/Tokyo", "Asia/Tokyo") in groups["Asia"]
    assert ("America/New_York", "America/New York") in groups["America"]
    assert groups["UTC"] == [("UTC", "UTC")]
    assert "localtime" not in {name for zones in groups.values() for name, _label in zones}


def test_two_zones_differ_only_if_their_clocks_do():
    deadline = dt.datetime(2025, 11, 26, 14, 59, 59, tzinfo=dt.UTC)
    assert timezones.differs(deadline, "Asia/Tokyo", "America/New_York")
    assert not timezones.differs(deadline, "Asia/Tokyo", "Japan")  # another name for the same clock
    assert not timezones.differs(None, "Asia/Tokyo", "UTC")
    assert not timezones.differs(deadline, "Asia/Tokyo", "Not/AZone")


def test_a_user_without_a_profile_reads_the_site_zone(db, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    user = factories.UserFactory()
    assert UserProfile.objects.zone_for(user) == timezones.ViewerZone("Europe/Berlin", timezones.Source.SITE)
    profile_browser_timezone_record(user=user, name="America/Chicago")
    assert UserProfile.objects.zone_for(user).name == "America/Chicago"
    profile_timezone_set(user=user, name="Asia/Kolkata")
    assert UserProfile.objects.zone_for(user) == timezones.ViewerZone("Asia/Kolkata", timezones.Source.CHOSEN)


def test_a_bad_zone_name_is_refused_and_changes_nothing(db):
    from django.core.exceptions import ValidationError

    user = factories.UserFactory()
    profile_timezone_set(user=user, name="Asia/Tokyo")
    with pytest.raises(ValidationError, match="is not a time zone name"):
        profile_timezone_set(user=user, name="Asia/Atlantis")
    assert UserProfile.objects.get(user=user).timezone == "Asia/Tokyo"
    assert profile_browser_timezone_record(user=user, name="<script>") is False
    assert UserProfile.objects.get(user=user).detected_timezone == ""


# --- Pages ------------------------------------------------------------------------------------------------


def test_the_browser_zone_shows_each_deadline_in_the_viewers_time(logged_in, scenario, staff):
    logged_in.cookies[timezones.COOKIE_NAME] = "America/New_York"
    html = logged_in.get(CODA).content.decode()
    assert "26 Nov 2025 (end of day, Asia/Tokyo)" in html
    assert "26 Nov 2025, 09:59 your time (America/New_York)" in viewer_times(html)
    assert "Times are shown in America/New_York." in html
    # The browser's zone is kept for the emails sent to this user.
    assert UserProfile.objects.get(user=staff).detected_timezone == "America/New_York"
    home = logged_in.get("/").content.decode()
    assert "26 Nov 2025, 09:59 your time (America/New_York)" in viewer_times(home)


def test_a_viewer_on_the_senders_clock_sees_the_deadline_once(logged_in, scenario):
    logged_in.cookies[timezones.COOKIE_NAME] = "Asia/Tokyo"
    html = logged_in.get(CODA).content.decode()
    assert "26 Nov 2025 (end of day, Asia/Tokyo)" in html
    assert viewer_times(html) == []


def test_the_chosen_zone_beats_the_browser(logged_in, scenario, staff):
    logged_in.cookies[timezones.COOKIE_NAME] = "America/New_York"
    response = logged_in.post(
        reverse("accounts:settings"), {"action": "timezone", "timezone": "Europe/London"}
    )
    assert response.status_code == 302
    assert UserProfile.objects.get(user=staff).timezone == "Europe/London"
    html = logged_in.get(CODA).content.decode()
    assert "26 Nov 2025, 14:59 your time (Europe/London)" in viewer_times(html)
    settings_page = logged_in.get(reverse("accounts:settings")).content.decode()
    assert (
        "A daily digest arrives at 07:00 your time; a weekly one on Mondays at the same hour."
        in settings_page
    )
    assert (
        "Dates and times are shown in <strong>Europe/London</strong> (chosen in your settings)."
        in settings_page
    )
    assert '<option value="Europe/London" selected>Europe/London</option>' in settings_page
    # Choosing "my browser's" again hands back to the cookie.
    logged_in.post(reverse("accounts:settings"), {"action": "timezone", "timezone": ""})
    assert UserProfile.objects.get(user=staff).timezone == ""
    html = logged_in.get(CODA).content.decode()
    assert "26 Nov 2025, 09:59 your time (America/New_York)" in viewer_times(html)


def test_an_unknown_zone_on_the_settings_page_is_an_error_that_loses_nothing(logged_in, scenario, staff):
    profile_timezone_set(user=staff, name="Asia/Tokyo")
    response = logged_in.post(
        reverse("accounts:settings"), {"action": "timezone", "timezone": "Asia/Atlantis"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "“Asia/Atlantis” is not a time zone in the list." in html
    assert UserProfile.objects.get(user=staff).timezone == "Asia/Tokyo"


def test_a_forged_cookie_is_ignored(logged_in, scenario, staff, settings):
    settings.TIME_ZONE = "UTC"
    logged_in.cookies[timezones.COOKIE_NAME] = "Mars/Olympus_Mons"
    html = logged_in.get(CODA).content.decode()
    assert "Times are shown in UTC." in html
    assert not UserProfile.objects.filter(user=staff).exclude(detected_timezone="").exists()


def test_the_browser_zone_is_written_once_not_on_every_page(logged_in, scenario, staff):
    logged_in.cookies[timezones.COOKIE_NAME] = "America/New_York"
    logged_in.get(CODA)
    with CaptureQueriesContext(connection) as queries:
        logged_in.get(CODA)
    assert not [q for q in queries.captured_queries if "disputes_userprofile" in q["sql"]]
    logged_in.cookies[timezones.COOKIE_NAME] = "Europe/Rome"  # travelling
    logged_in.get(CODA)
    assert UserProfile.objects.get(user=staff).detected_timezone == "Europe/Rome"


def test_signing_in_loads_the_zone_so_pages_do_not_ask_again(client, scenario, staff):
    profile_timezone_set(user=staff, name="America/Los_Angeles")
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(CODA).content.decode()
    assert not [q for q in queries.captured_queries if "disputes_userprofile" in q["sql"]]
    assert "26 Nov 2025, 06:59 your time (America/Los_Angeles)" in viewer_times(html)


def test_anonymous_pages_use_the_browser_zone(client, settings):
    settings.TIME_ZONE = "UTC"
    client.cookies[timezones.COOKIE_NAME] = "Asia/Tokyo"
    html = client.get(reverse("login")).content.decode()
    assert "Times are shown in Asia/Tokyo." in html


def test_every_page_tells_the_browser_to_report_its_zone(client):
    from django.contrib.staticfiles import finders

    html = client.get(reverse("login")).content.decode()
    assert '<script src="/static/js/timezone.js"></script>' in html  # a file: the CSP allows no inline script
    script = open(finders.find("js/timezone.js"), encoding="utf-8").read()
    assert "Intl.DateTimeFormat().resolvedOptions().timeZone" in script
    assert f"{timezones.COOKIE_NAME}=" in script


# --- Emails -----------------------------------------------------------------------------------------------


def _deliver_one(scenario, recipient) -> str:
    letter = scenario.letter
    Follow.objects.create(user=recipient, letter=letter)
    reminder = Reminder.objects.create(
        letter=letter,
        deadline_version=letter.deadline_version,
        step="after-7d",
        recipient=recipient,
        due_at=letter.response_deadline_at + dt.timedelta(days=7),
    )
    assert delivery.reminder_deliver(reminder_id=reminder.pk) == "sent"
    return mail.outbox[-1].body


def test_the_reminder_email_gives_the_deadline_in_the_recipients_zone(scenario, staff):
    profile_timezone_set(user=staff, name="America/New_York")
    body = _deliver_one(scenario, staff)
    assert "Deadline: 26 November 2025, 23:59 JST (Asia/Tokyo)" in body
    assert "In your time zone: 26 November 2025, 09:59 EST (America/New_York)" in body


def test_the_reminder_email_uses_the_browser_zone_when_none_is_chosen(scenario, staff):
    profile_browser_timezone_record(user=staff, name="Europe/London")
    body = _deliver_one(scenario, staff)
    assert "In your time zone: 26 November 2025, 14:59 GMT (Europe/London)" in body


def test_a_recipient_on_the_senders_clock_gets_the_deadline_once(scenario, staff):
    profile_timezone_set(user=staff, name="Asia/Tokyo")
    body = _deliver_one(scenario, staff)
    assert "Deadline: 26 November 2025, 23:59 JST (Asia/Tokyo)" in body
    assert "In your time zone" not in body


# --- Admin ------------------------------------------------------------------------------------------------


def test_an_admin_sets_a_users_zone_on_the_user_page(admin_client_logged, staff):
    url = reverse("admin:auth_user_change", args=[staff.pk])
    page = admin_client_logged.get(url).content.decode()
    assert 'name="profile-0-timezone"' in page
    form = {
        "username": staff.username,
        "email": staff.email,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "0",
        "profile-0-timezone": "Atlantis/Capital",
        "digest_preference-TOTAL_FORMS": "1",
        "digest_preference-INITIAL_FORMS": "0",
        "digest_preference-0-frequency": "never",
        "access_tokens-TOTAL_FORMS": "0",
        "access_tokens-INITIAL_FORMS": "0",
    }
    response = admin_client_logged.post(url, form)
    assert response.status_code == 200
    assert "“Atlantis/Capital” is not a time zone name" in response.content.decode()
    assert not UserProfile.objects.filter(user=staff).exists()
    form["profile-0-timezone"] = "Asia/Tokyo"
    response = admin_client_logged.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert UserProfile.objects.get(user=staff).timezone == "Asia/Tokyo"


def test_the_admin_reads_in_the_admins_zone(admin_client_logged, scenario, superuser):
    profile_timezone_set(user=superuser, name="America/New_York")
    admin_client_logged.force_login(superuser)  # a new session picks the zone up at sign-in
    page = admin_client_logged.get(
        reverse("admin:disputes_demandletter_change", args=[scenario.letter.pk])
    ).content.decode()
    assert "26 Nov 2025, 09:59 EST in your time zone (America/New_York)" in page
    assert timezone.get_current_timezone_name() != "America/New_York"  # the request's zone did not leak
