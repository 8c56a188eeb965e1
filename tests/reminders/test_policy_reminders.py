"""Staff choose whether policy deadlines remind at all (the admin's reminder settings).

A policy deadline is the one our default policy derives for a letter that states none. With reminders for policy
deadlines off, such a letter still shows as past *our* deadline, labelled as ours, but the sweep records no
reminder for it, delivery drops any still waiting, the inbox hides them, and every page that talks about reminders
says they are off. Deadlines stated in a letter or set by staff remind whatever the setting.

The sweep runs in-process (no worker): the broker is replaced by a list of what was published, delivery runs
against Django's locmem mail backend. The one test marked ``postgres`` runs the whole path on PostgreSQL.
"""

import datetime as dt
import html as htmllib
import re
import zoneinfo

import pytest
import time_machine
from django.conf import settings as settings_module
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from disputes.core.errors import IllegalTransition
from disputes.models import (
    DeadlineSource,
    DeliveryStatus,
    DemandLetter,
    Follow,
    Reminder,
    ReminderKind,
    ReminderSettings,
)
from disputes.reminders import delivery
from disputes.reminders import services as reminder_services
from disputes.reminders import sweep as sweep_services
from disputes.reminders.selectors import letter_reminder_state, reminders_inbox
from tests import factories

# Sweeps run here without a worker: what they enqueue is collected, not published (tests/reminders/conftest.py).
pytestmark = pytest.mark.usefixtures("published")

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
DEADLINE = dt.datetime(2025, 11, 26, 23, 59, 59, tzinfo=TOKYO)  # the factories' deadline, end of day in Tokyo
DAY = dt.timedelta(days=1)
AFTER = DEADLINE + 10 * DAY  # the "after 7 days" step is due, the next is not
OFF_TEXT = "No reminders: reminders for policy deadlines are off"


@pytest.fixture(autouse=True)
def _settings(settings, monkeypatch):
    settings.REMINDERS_LADDER_DAYS = [-3, 0, 7, 14, 30]
    settings.REMINDERS_REPEAT_DAYS = 30
    settings.SITE_URL = "https://disputes.example.org"
    settings.TIME_ZONE = "UTC"
    # The clock is pinned in 2025 and the real database started in the present: say it has been up for long.
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    monkeypatch.setattr(delivery, "database_started_at", lambda: since)
    monkeypatch.setattr(sweep_services, "database_started_at", lambda: since)
    return settings


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(at: dt.datetime) -> sweep_services.SweepReport:
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return sweep_services.deadlines_sweep()

    return run


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def run(reminder_ids: list[int], at: dt.datetime) -> dict[int, str]:
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return delivery.reminders_deliver(reminder_ids=reminder_ids)

    return run


@pytest.fixture
def owner(db):
    return factories.ReaderFactory(username="owner", email="owner@example.org", is_staff=True)


@pytest.fixture
def policy_letter(owner):
    """CODA's kind of letter: it states no deadline, so the one it has is our policy's."""
    return factories.DemandLetterFactory(
        owner=owner, title="Request that states no deadline", deadline_source=DeadlineSource.POLICY
    )


@pytest.fixture
def stated_letter(owner):
    return factories.DemandLetterFactory(owner=owner, title="Request with its own deadline")


def turn(on: bool, by=None) -> ReminderSettings:
    return reminder_services.reminder_settings_update(policy_deadlines_remind=on, changed_by=by)


def text_of(response) -> str:
    html = re.sub(r"</?bdi>", "", response.content.decode())
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


# --- The setting and its service -------------------------------------------------------------------------------


def test_policy_deadlines_remind_by_default(db):
    ReminderSettings.objects.all().delete()
    settings = ReminderSettings.objects.current()
    assert settings.policy_deadlines_remind is True and settings.pk == ReminderSettings.SINGLETON_ID
    assert settings.reminds(DeadlineSource.POLICY) and settings.reminds(DeadlineSource.STATED)
    assert not ReminderSettings.objects.exists()  # reading the defaults writes nothing


def test_the_service_saves_the_one_row_with_who_changed_it(db, owner):
    ReminderSettings.objects.all().delete()
    saved = turn(False, by=owner)
    assert ReminderSettings.objects.get() == saved
    assert (saved.pk, saved.policy_deadlines_remind, saved.updated_by) == (1, False, owner)
    assert not saved.reminds(DeadlineSource.POLICY)
    assert saved.reminds(DeadlineSource.STATED) and saved.reminds(DeadlineSource.STAFF)
    assert turn(True).policy_deadlines_remind is True
    assert ReminderSettings.objects.count() == 1
    assert [h.policy_deadlines_remind for h in ReminderSettings.history.order_by("history_id")][-2:] == [
        False,
        True,
    ]


def test_the_service_refuses_anything_but_yes_or_no(db):
    with pytest.raises(IllegalTransition, match="yes or no"):
        reminder_services.reminder_settings_update(policy_deadlines_remind="off")
    assert ReminderSettings.objects.current().policy_deadlines_remind is True


def test_turning_them_off_cancels_pending_policy_reminders_and_only_those(
    policy_letter, stated_letter, sweep
):
    sweep(AFTER)
    assert Reminder.objects.filter(status=DeliveryStatus.PENDING).count() == 2
    assessment = Reminder.objects.create(
        kind=ReminderKind.ASSESSMENT,
        letter=policy_letter,
        deadline_version=0,
        step="assess-1",
        due_at=AFTER,
        recipient=policy_letter.owner,
    )

    turn(False)

    cancelled = Reminder.objects.get(letter=policy_letter, kind=ReminderKind.DEADLINE)
    assert cancelled.status == DeliveryStatus.CANCELLED
    assert cancelled.last_error == "Cancelled: reminders for policy deadlines are off"
    assert Reminder.objects.get(letter=stated_letter).status == DeliveryStatus.PENDING
    assessment.refresh_from_db()
    assert assessment.status == DeliveryStatus.PENDING  # about a response, not the deadline


# --- The sweep and delivery ---------------------------------------------------------------------------------------


def test_the_sweep_skips_policy_deadlines_while_they_do_not_remind(
    policy_letter, stated_letter, sweep, published
):
    turn(False)
    report = sweep(AFTER)
    assert report.letters_due == 1
    assert set(Reminder.objects.values_list("letter_id", flat=True)) == {stated_letter.pk}

    turn(True)
    report = sweep(AFTER + DAY)
    assert report.letters_due == 1
    assert Reminder.objects.get(letter=policy_letter).step == "after-7d"


@pytest.mark.postgres
def test_on_postgresql_nothing_is_sent_when_off_and_it_is_sent_when_on(
    policy_letter, sweep, deliver, published
):
    """The whole path without a worker: sweep, publish, deliver, on PostgreSQL."""
    turn(False)
    sweep(AFTER)
    assert published == [] and not Reminder.objects.exists()
    assert mail.outbox == []
    # Still shown as past our deadline: the setting silences reminders, not the facts.
    state = DemandLetter.objects.get(pk=policy_letter.pk).deadline_state(at=AFTER)
    assert state.overdue and state.is_ours and state.overdue_label == "Past our policy deadline by 10 days"

    turn(True)
    sweep(AFTER)
    [reminder] = Reminder.objects.all()
    assert published == [reminder.pk]
    assert deliver(published, AFTER) == {reminder.pk: delivery.Outcome.SENT}
    [message] = mail.outbox
    assert message.to == ["owner@example.org"]
    assert "Request that states no deadline" in message.subject + message.body
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SENT


def test_a_reminder_queued_before_they_were_turned_off_is_not_mailed(
    policy_letter, sweep, deliver, published
):
    sweep(AFTER)
    [reminder] = Reminder.objects.all()
    # Turned off behind the service's back, after the sweep had queued the delivery (a race the service's
    # cancellation cannot see): delivery reads the setting again before sending.
    ReminderSettings.objects.update_or_create(pk=1, defaults={"policy_deadlines_remind": False})

    assert deliver([reminder.pk], AFTER) == {reminder.pk: delivery.Outcome.CANCELLED}
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.CANCELLED
    assert reminder.last_error == "Cancelled: reminders for policy deadlines are off"


def test_stated_deadlines_remind_whatever_the_setting(stated_letter, sweep, deliver, published):
    turn(False)
    sweep(AFTER)
    assert deliver(published, AFTER) == {published[0]: delivery.Outcome.SENT}
    assert len(mail.outbox) == 1


# --- What people see ------------------------------------------------------------------------------------------


def test_the_inbox_hides_policy_deadline_reminders_while_they_are_off(
    policy_letter, stated_letter, owner, sweep
):
    sweep(AFTER)
    Reminder.objects.update(status=DeliveryStatus.SENT, sent_at=AFTER)  # already delivered
    assert {item.letter.pk for item in reminders_inbox(owner, AFTER).items} == {
        policy_letter.pk,
        stated_letter.pk,
    }
    turn(False)
    assert [item.letter.pk for item in reminders_inbox(owner, AFTER).items] == [stated_letter.pk]
    turn(True)
    assert len(reminders_inbox(owner, AFTER).items) == 2


def test_letter_reminder_state_has_no_step_while_off(policy_letter, stated_letter):
    turn(False)
    state = letter_reminder_state(policy_letter, AFTER)
    assert state.policy_reminders_off and state.step is None and state.next_step is None and not state.active
    stated = letter_reminder_state(stated_letter, AFTER)
    assert not stated.policy_reminders_off and stated.step.name == "after-7d" and stated.active
    turn(True)
    state = letter_reminder_state(policy_letter, AFTER)
    assert not state.policy_reminders_off and state.next_step.name == "after-14d"


@pytest.fixture
def letter_admin():
    from disputes.admin.reminders import LetterRemindersAdminMixin

    class LetterAdmin(LetterRemindersAdminMixin, admin.ModelAdmin):
        fieldsets = [(None, {"fields": ["title", "response_deadline_on", "deadline_source", "status"]})]

    return LetterAdmin(DemandLetter, admin.AdminSite())


def test_the_letter_admins_reminder_panel_says_they_are_off(letter_admin, policy_letter, stated_letter):
    with time_machine.travel(AFTER, tick=False), timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert letter_admin.reminder_next(policy_letter).startswith("10 Dec 2025")
        turn(False)
        policy_letter._reminder_state = None  # the panel keeps its state per shown letter
        step = letter_admin.reminder_step(policy_letter)
        assert "Reminders for policy deadlines are off" in step
        assert reverse("admin:disputes_remindersettings_changelist") in step
        assert letter_admin.reminder_next(policy_letter) == "None: reminders for policy deadlines are off."
        assert "Policy default" in letter_admin.reminder_deadline(policy_letter)
        # A deadline stated in the letter still has its ladder.
        assert "7 days after the deadline" in letter_admin.reminder_step(stated_letter)
        assert letter_admin.reminder_next(stated_letter).startswith("10 Dec 2025")


def test_the_reminder_settings_admin_saves_through_the_service(
    admin_client_logged, superuser, policy_letter, sweep
):
    sweep(AFTER)
    ReminderSettings.objects.update_or_create(pk=1, defaults={"policy_deadlines_remind": True})
    changelist = admin_client_logged.get(reverse("admin:disputes_remindersettings_changelist"))
    assert changelist.status_code == 200 and "Reminder settings" in changelist.content.decode()
    # One row: no second can be added, and it is never deleted.
    assert admin_client_logged.get(reverse("admin:disputes_remindersettings_add")).status_code == 403
    delete = reverse("admin:disputes_remindersettings_delete", args=[1])
    assert admin_client_logged.get(delete).status_code == 403
    url = reverse("admin:disputes_remindersettings_change", args=[1])
    page = admin_client_logged.get(url)
    assert page.status_code == 200 and "remind about policy deadlines" in page.content.decode().lower()

    response = admin_client_logged.post(url, {}, follow=True)  # the box unticked

    assert response.status_code == 200
    assert "Reminders for policy deadlines are off" in response.content.decode()
    settings = ReminderSettings.objects.get()
    assert settings.policy_deadlines_remind is False and settings.updated_by == superuser
    assert Reminder.objects.get().status == DeliveryStatus.CANCELLED  # the service's side effect

    admin_client_logged.post(url, {"policy_deadlines_remind": "on"})
    assert ReminderSettings.objects.get().policy_deadlines_remind is True


def test_the_first_save_adds_the_row_when_none_exists(admin_client_logged, superuser):
    ReminderSettings.objects.all().delete()
    add = reverse("admin:disputes_remindersettings_add")
    assert admin_client_logged.get(add).status_code == 200
    response = admin_client_logged.post(add, {})
    assert response.status_code == 302
    assert (
        ReminderSettings.objects.get().pk == 1 and not ReminderSettings.objects.get().policy_deadlines_remind
    )


def test_editors_may_change_the_setting_readers_may_not(client, editor, user):
    client.force_login(editor)
    url = reverse("admin:disputes_remindersettings_change", args=[1])
    assert client.get(url).status_code == 200
    client.force_login(user)
    client.post(url, {})
    assert ReminderSettings.objects.current().policy_deadlines_remind is True


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_the_home_page_says_policy_deadlines_do_not_remind(clock, logged_in, scenario):
    page = text_of(logged_in.get("/"))
    assert "No reminder sent yet" in page and OFF_TEXT not in page

    turn(False)
    page = text_of(logged_in.get("/"))
    # Still overdue against our deadline, labelled as ours; only the reminders are off.
    assert "11 days past our deadline" in page
    assert "No deadline stated. Our policy deadline: 26 Nov 2025 (end of day, Asia/Tokyo)" in page
    assert f"{OFF_TEXT} · Nobody follows it yet" in page
    assert "No reminder sent yet" not in page


def test_the_home_page_keeps_a_stated_deadlines_reminder_line(clock, logged_in, scenario):
    scenario.letter.deadline_source = DeadlineSource.STATED
    scenario.letter.save(update_fields=["deadline_source"])
    turn(False)
    page = text_of(logged_in.get("/"))
    assert "No reminder sent yet" in page and OFF_TEXT not in page


def test_the_dispute_page_says_policy_deadlines_do_not_remind(clock, logged_in, scenario):
    url = reverse("disputes:dispute-detail", kwargs={"slug": scenario.dispute.slug})
    assert OFF_TEXT not in text_of(logged_in.get(url))

    turn(False)
    response = logged_in.get(url)
    page = text_of(response)
    overview = page[page.index("Where it stands") : page.index("Open demands")]
    assert "Past our policy deadline by 11 days" in overview and OFF_TEXT in overview
    # Beside the letter's deadline in the timeline too; the answered letter of the other dispute says nothing.
    assert page.count(OFF_TEXT) == 2
    assert response.content.decode().count('data-testid="policy-reminders-off"') == 2


def test_the_dispute_page_says_nothing_once_the_letter_is_answered(clock, logged_in, scenario):
    factories.ResponseFactory(letter=scenario.letter, sincere=True)
    turn(False)
    url = reverse("disputes:dispute-detail", kwargs={"slug": scenario.dispute.slug})
    assert OFF_TEXT not in text_of(logged_in.get(url))


def test_the_pages_say_it_in_japanese(clock, logged_in, scenario):
    turn(False)
    logged_in.cookies[settings_module.LANGUAGE_COOKIE_NAME] = "ja"
    page = text_of(logged_in.get("/"))
    assert "既定期限のリマインダーはオフ" in page
    assert OFF_TEXT not in page


def test_following_the_letter_does_not_bring_reminders_back(policy_letter, owner, sweep):
    other = factories.ReaderFactory(username="follower", is_staff=True)
    Follow.objects.create(user=other, letter=policy_letter)
    turn(False)
    sweep(AFTER)
    assert not Reminder.objects.exists()
    # The follow itself stays: the follower is told too once reminders are back on.
    turn(True)
    sweep(AFTER)
    assert set(Reminder.objects.values_list("recipient__username", flat=True)) == {"owner", "follower"}


def test_the_calendar_drops_alarms_on_policy_deadlines_while_they_are_off(
    client, owner, policy_letter, stated_letter
):
    """The deadline stays in the calendar (it is ours, labelled so) but no alarm rings for it while staff have
    policy deadlines not remind; a stated deadline keeps its alarms."""
    import icalendar

    from tests.http import body

    client.force_login(owner)

    def alarms() -> dict[str, int]:
        with time_machine.travel(dt.datetime(2025, 11, 1, tzinfo=dt.UTC), tick=False):
            calendar = icalendar.Calendar.from_ical(body(client.get(reverse("feeds:calendar"))))
        return {str(event["SUMMARY"]): len(event.walk("VALARM")) for event in calendar.walk("VEVENT")}

    on = alarms()
    assert on == {
        f"Our policy deadline (none stated): {policy_letter.title} ({policy_letter.recipient.display_name})": 2,
        f"Response due: {stated_letter.title} ({stated_letter.recipient.display_name})": 2,
    }
    turn(False)
    off = alarms()
    assert set(off) == set(on)
    assert sorted(off.values()) == [0, 2]
    assert off[f"Response due: {stated_letter.title} ({stated_letter.recipient.display_name})"] == 2
