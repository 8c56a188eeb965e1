"""Deadlines and reminders at the service level, with the clock pinned (time-machine).

The broker is replaced by a list: ``published`` records every delivery the code enqueued, and on-commit callbacks
run as the transaction commits (``django_capture_on_commit_callbacks(execute=True)``). Delivery itself is run
in-process against Django's locmem mail backend. The real worker, broker and SMTP server are exercised in
tests/workers/test_reminders_worker.py.
"""

import datetime as dt
import smtplib
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.conf import settings as settings_module
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, transaction
from django.test import RequestFactory
from django.utils import timezone

from disputes.core.errors import IllegalTransition
from disputes.models import (
    Assessment,
    DeadlineChange,
    DeadlineSource,
    DeliveryStatus,
    DemandLetter,
    DigestPreference,
    Follow,
    LetterStatus,
    Reminder,
    ReminderKind,
    ResponseChannel,
)
from disputes.record import services as letter_services
from disputes.reminders import delivery, digest, tasks
from disputes.reminders import services as reminder_services
from disputes.reminders import steps as reminders_config
from disputes.reminders import sweep as sweep_services
from disputes.reminders.selectors import follow_button, letter_reminder_state, reminders_inbox
from disputes.reminders.steps import Ladder
from tests import factories

# Sweeps run here without a worker: what they enqueue is collected, not published (tests/reminders/conftest.py).
pytestmark = pytest.mark.usefixtures("published")

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# DemandLetterFactory's deadline: "by 26 November 2025", the end of that day in Tokyo.
DEADLINE = dt.datetime(2025, 11, 26, 23, 59, 59, tzinfo=TOKYO)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def database_up_long_ago(monkeypatch):
    """The clock is pinned in 2025; the real database started in the present. Say it has been up since long ago
    (a later start would mean a crash since the rows were claimed: see the test of that)."""
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    monkeypatch.setattr(delivery, "database_started_at", lambda: since)
    monkeypatch.setattr(sweep_services, "database_started_at", lambda: since)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.REMINDERS_LADDER_DAYS = [-3, 0, 7, 14, 30]
    settings.REMINDERS_REPEAT_DAYS = 30
    settings.REMINDERS_ASSESSMENT_DAYS = 7
    settings.REMINDERS_REENQUEUE_AFTER = 900
    settings.REMINDERS_SENDING_TIMEOUT = 360
    settings.REMINDERS_FALLBACK_GROUP = "Reminder fallback"
    settings.SITE_URL = "https://disputes.example.org"
    settings.TIME_ZONE = "UTC"
    return settings


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run one sweep at a pinned time, running its on-commit callbacks (the enqueueing) as they commit."""

    def run(at: dt.datetime, **kwargs) -> sweep_services.SweepReport:
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return sweep_services.deadlines_sweep(**kwargs)

    return run


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def run(reminder_id: int, at: dt.datetime) -> str:
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return delivery.reminder_deliver(reminder_id=reminder_id)

    return run


@pytest.fixture
def owner(db):
    return factories.ReaderFactory(username="owner", is_staff=True)


@pytest.fixture
def letter(owner):
    with time_machine.travel(dt.datetime(2025, 10, 27, 9, 0, tzinfo=TOKYO), tick=False):
        letter = factories.DemandLetterFactory(owner=owner, title="Request concerning Sora 2")
        factories.DemandFactory(letter=letter, number=1, text_en="Do not train on members' works.")
        factories.DemandFactory(letter=letter, number=2, text_en="Answer in writing.")
    return letter


def rows(**filters):
    return list(Reminder.objects.filter(**filters).order_by("due_at", "recipient_id", "pk"))


# --- The ladder ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (-4 * DAY, None),
        (-3 * DAY - dt.timedelta(seconds=1), None),
        (-3 * DAY, "before-3d"),
        (-dt.timedelta(seconds=1), "before-3d"),
        (dt.timedelta(0), "due"),
        (6 * DAY, "due"),
        (7 * DAY, "after-7d"),
        (14 * DAY, "after-14d"),
        (29 * DAY, "after-14d"),
        (30 * DAY, "after-30d"),
        (59 * DAY, "after-30d"),
        (60 * DAY, "after-60d"),
        (95 * DAY, "after-90d"),
        (400 * DAY, "after-390d"),
    ],
)
def test_ladder_step_at(elapsed, expected):
    ladder = Ladder(offsets_days=(-3, 0, 7, 14, 30), repeat_days=30)
    step = ladder.step_at(DEADLINE, DEADLINE + elapsed)
    assert (step.name if step else None) == expected
    if step:
        assert step.due_at == DEADLINE + dt.timedelta(days=step.offset_days)
        assert step.due_at <= DEADLINE + elapsed


def test_ladder_next_step_and_no_repeats():
    ladder = Ladder(offsets_days=(-3, 0, 7, 14, 30), repeat_days=30)
    assert ladder.next_step(DEADLINE, DEADLINE - 10 * DAY).name == "before-3d"
    assert ladder.next_step(DEADLINE, DEADLINE + DAY).name == "after-7d"
    assert ladder.next_step(DEADLINE, DEADLINE + 45 * DAY).name == "after-60d"
    once = Ladder(offsets_days=(0, 7), repeat_days=0)
    assert once.step_at(DEADLINE, DEADLINE + 100 * DAY).name == "after-7d"
    assert once.next_step(DEADLINE, DEADLINE + 100 * DAY) is None


@pytest.mark.parametrize("bad", [(), (0, 0), (7, 0)])
def test_ladder_rejects_bad_configuration(bad):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Ladder(offsets_days=bad)


def test_ladder_comes_from_settings(settings):
    settings.REMINDERS_LADDER_DAYS = [0, 10]
    settings.REMINDERS_REPEAT_DAYS = 0
    assert reminders_config.ladder() == Ladder(offsets_days=(0, 10), repeat_days=0)


# --- The sweep: each step, once ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "step"),
    [
        (DEADLINE - 3 * DAY, "before-3d"),
        (DEADLINE + dt.timedelta(seconds=1), "due"),
        (DEADLINE + 7 * DAY, "after-7d"),
        (DEADLINE + 14 * DAY, "after-14d"),
        (DEADLINE + 30 * DAY, "after-30d"),
        (DEADLINE + 60 * DAY, "after-60d"),
        (DEADLINE + 90 * DAY + dt.timedelta(hours=5), "after-90d"),
    ],
)
def test_each_ladder_step_is_scheduled_once(letter, owner, sweep, published, at, step):
    report = sweep(at)

    [reminder] = rows()
    assert (reminder.step, reminder.recipient, reminder.kind) == (step, owner, ReminderKind.DEADLINE)
    assert reminder.deadline_version == letter.deadline_version
    assert reminder.status == DeliveryStatus.PENDING and reminder.enqueued_at == at
    assert published == [reminder.pk]
    assert [s.step for s in report.new] == [step] and report.letters_due == 1

    again = sweep(at + dt.timedelta(minutes=1))
    assert len(rows()) == 1 and published == [reminder.pk]
    assert again.scheduled == [] and again.letters_due == 0


def test_nothing_before_the_heads_up(letter, sweep, published):
    sweep(DEADLINE - 3 * DAY - dt.timedelta(seconds=1))
    assert rows() == [] and published == []


def test_the_deadline_is_the_end_of_the_day_in_the_senders_time_zone(letter, sweep):
    # 26 November 23:59:59 in Tokyo is 14:59:59 UTC: a minute before, the letter is not yet overdue.
    sweep(dt.datetime(2025, 11, 26, 14, 58, tzinfo=dt.UTC))
    assert [r.step for r in rows()] == ["before-3d"]
    sweep(dt.datetime(2025, 11, 26, 15, 0, tzinfo=dt.UTC))
    assert [r.step for r in rows()] == ["before-3d", "due"]


def test_walking_the_ladder_gives_one_reminder_per_step(letter, sweep, deliver, published):
    steps = ["before-3d", "due", "after-7d", "after-14d", "after-30d", "after-60d", "after-90d"]
    for offset in (-3, 0.5, 7, 14, 30, 60, 90):
        for minutes in (0, 5, 60):  # several sweeps at each step change nothing
            at = DEADLINE + dt.timedelta(days=offset, minutes=minutes)
            sweep(at)
            for reminder_id in published[len(mail.outbox) :]:
                assert deliver(reminder_id, at) == delivery.Outcome.SENT
    assert [r.step for r in rows()] == steps
    assert len(published) == len(steps) == len(mail.outbox)
    assert {r.status for r in rows()} == {DeliveryStatus.SENT}


def test_a_long_overdue_letter_gets_one_reminder_not_a_burst(letter, sweep, published):
    report = sweep(DEADLINE + 100 * DAY)
    assert [r.step for r in rows()] == ["after-90d"]
    assert len(published) == 1 and len(report.new) == 1


def test_sweep_query_count_does_not_grow_with_letters(sweep, django_assert_max_num_queries, owner):
    def make(n):
        for _ in range(n):
            factories.DemandLetterFactory(owner=owner)

    make(3)
    with django_assert_max_num_queries(22) as few:  # with taking and releasing the sweep lock
        sweep(DEADLINE + DAY)
    make(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        sweep(DEADLINE + 8 * DAY)
    assert Reminder.objects.filter(step="after-7d").count() == 33


# --- Responses: sincere, evasive, unassessed ------------------------------------------------------------------


def test_a_sincere_response_stops_reminders_and_cancels_pending(letter, sweep, published):
    sweep(DEADLINE + DAY)
    [pending] = rows()
    response = letter_services.response_record(
        letter=letter,
        responder=letter.recipient,
        responded_on=dt.date(2025, 12, 1),
        channel=ResponseChannel.LETTER,
    )
    letter_services.response_assess(
        response=response, assessment=Assessment.SINCERE, assessed_by=letter.owner
    )

    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.CANCELLED
    assert "sincere" in pending.last_error
    sweep(DEADLINE + 30 * DAY)
    assert len(rows()) == 1 and len(published) == 1
    assert not DemandLetter.objects.overdue(at=DEADLINE + 30 * DAY).exists()


@pytest.mark.parametrize("assessment", [Assessment.EVASIVE, Assessment.ACKNOWLEDGEMENT, Assessment.REFUSAL])
def test_an_evasive_response_leaves_the_clock_running(letter, sweep, assessment):
    response = factories.ResponseFactory(letter=letter)
    letter_services.response_assess(response=response, assessment=assessment, assessed_by=letter.owner)
    sweep(DEADLINE + 8 * DAY)
    assert [r.step for r in rows()] == ["after-7d"]


def test_an_unassessed_response_leaves_the_clock_running_and_asks_for_an_assessment(
    letter, owner, sweep, deliver
):
    recorded_at = DEADLINE + 2 * DAY
    with time_machine.travel(recorded_at, tick=False):
        response = letter_services.response_record(
            letter=letter,
            responder=letter.recipient,
            responded_on=dt.date(2025, 11, 28),
            channel=ResponseChannel.PUBLIC_STATEMENT,
            summary="We take rights holders' concerns seriously.",
        )
    sweep(recorded_at + 7 * DAY - dt.timedelta(minutes=1))
    assert [(r.kind, r.step) for r in rows()] == [(ReminderKind.DEADLINE, "after-7d")]

    sweep(recorded_at + 7 * DAY)
    assessment = Reminder.objects.get(kind=ReminderKind.ASSESSMENT)
    assert (assessment.step, assessment.response, assessment.recipient) == (
        f"assess-{response.pk}",
        response,
        owner,
    )
    assert assessment.due_at == recorded_at + 7 * DAY and assessment.deadline_version == 0
    sweep(recorded_at + 20 * DAY)
    assert Reminder.objects.filter(kind=ReminderKind.ASSESSMENT).count() == 1  # once per response

    assert deliver(assessment.pk, recorded_at + 20 * DAY) == delivery.Outcome.SENT
    [email] = mail.outbox
    assert email.subject.startswith("Assess the response")
    assert "We take rights holders" in email.body


def test_assessing_a_response_cancels_its_pending_assessment_reminder(letter, sweep):
    with time_machine.travel(DEADLINE, tick=False):
        response = factories.ResponseFactory(letter=letter)
    sweep(DEADLINE + 8 * DAY)
    pending = Reminder.objects.get(kind=ReminderKind.ASSESSMENT)
    letter_services.response_assess(
        response=response, assessment=Assessment.EVASIVE, assessed_by=letter.owner
    )
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.CANCELLED
    assert (
        Reminder.objects.get(kind=ReminderKind.DEADLINE).status == DeliveryStatus.PENDING
    )  # clock still runs


def test_a_response_to_a_withdrawn_letter_is_an_illegal_transition(letter):
    letter_services.letter_withdraw(letter=letter, note="Withdrawn by the sender.")
    with pytest.raises(IllegalTransition):
        letter_services.response_record(
            letter=letter, responder=letter.recipient, responded_on=dt.date(2025, 12, 1), channel="letter"
        )
    assert letter.responses.count() == 0


def test_an_assessment_cannot_be_taken_back_to_nothing(letter):
    response = factories.ResponseFactory(letter=letter)
    with pytest.raises(IllegalTransition):
        letter_services.response_assess(
            response=response, assessment=Assessment.NOT_ASSESSED, assessed_by=letter.owner
        )


# --- Extension, closing ---------------------------------------------------------------------------------------


def test_reminders_follow_an_extended_deadline(letter, owner, sweep, published):
    sweep(DEADLINE + DAY)
    [old] = rows()
    with time_machine.travel(DEADLINE + 2 * DAY, tick=False):
        change = letter_services.letter_deadline_extend(
            letter=letter,
            deadline_on=dt.date(2025, 12, 26),
            reason="Company asked for a month.",
            changed_by=owner,
        )
    letter.refresh_from_db()
    assert letter.deadline_version == 2 and change.version == 2
    assert (change.previous_on, change.new_on, change.source) == (
        dt.date(2025, 11, 26),
        dt.date(2025, 12, 26),
        DeadlineSource.STAFF,
    )
    assert letter.response_deadline_at == dt.datetime(2025, 12, 26, 23, 59, 59, tzinfo=TOKYO)
    old.refresh_from_db()
    assert old.status == DeliveryStatus.CANCELLED

    new_deadline = letter.response_deadline_at
    sweep(DEADLINE + 8 * DAY)  # the old deadline's +7 step: nothing, the new deadline is weeks away
    assert len(rows()) == 1
    sweep(new_deadline - 3 * DAY)
    sweep(new_deadline + DAY)
    assert [(r.deadline_version, r.step) for r in rows()] == [(1, "due"), (2, "before-3d"), (2, "due")]
    assert set(published) == {r.pk for r in rows()}


def test_an_extension_must_be_later_and_have_a_reason(letter):
    with pytest.raises(IllegalTransition):
        letter_services.letter_deadline_extend(letter=letter, deadline_on=dt.date(2025, 11, 20), reason="x")
    with pytest.raises(IllegalTransition):
        letter_services.letter_deadline_extend(letter=letter, deadline_on=dt.date(2025, 12, 20), reason="  ")
    assert not DeadlineChange.objects.exists()
    assert DemandLetter.objects.get(pk=letter.pk).deadline_version == 1


def test_a_delivery_for_an_old_deadline_version_cancels_itself(letter, sweep, deliver):
    sweep(DEADLINE + DAY)
    [old] = rows()
    # A deadline changed behind the services' back still stops the old reminder at delivery time.
    DemandLetter.objects.filter(pk=letter.pk).update(deadline_version=2)
    assert deliver(old.pk, DEADLINE + DAY) == delivery.Outcome.CANCELLED
    assert mail.outbox == []


def test_a_policy_deadline_for_a_letter_that_names_none(owner):
    letter = factories.DemandLetterFactory(
        owner=owner,
        response_deadline_on=None,
        deadline_source=DeadlineSource.NONE,
        sent_on=dt.date(2025, 10, 27),
    )
    change = letter_services.letter_deadline_from_policy(letter=letter)
    assert letter.deadline_source == DeadlineSource.POLICY
    assert letter.response_deadline_on == dt.date(2025, 11, 26)  # 30 calendar days by default
    assert change.reason.startswith("30 calendar days")


@pytest.mark.parametrize("action", ["close", "withdraw"])
def test_closing_or_withdrawing_stops_reminders(letter, sweep, deliver, published, action):
    sweep(DEADLINE + DAY)
    [pending] = rows()
    getattr(letter_services, f"letter_{action}")(letter=letter, note="Settled.")
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.CANCELLED
    assert deliver(pending.pk, DEADLINE + DAY) == delivery.Outcome.SKIPPED
    sweep(DEADLINE + 40 * DAY)
    assert len(rows()) == 1 and len(published) == 1 and mail.outbox == []
    with pytest.raises(IllegalTransition):
        letter_services.letter_close(letter=letter)


def test_a_letter_closed_while_its_reminder_waits_in_the_queue_is_not_mailed(letter, sweep, deliver):
    sweep(DEADLINE + DAY)
    [pending] = rows()
    DemandLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.CLOSED)  # e.g. through the admin
    assert deliver(pending.pk, DEADLINE + DAY) == delivery.Outcome.CANCELLED
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.CANCELLED and mail.outbox == []


# --- Recipients -------------------------------------------------------------------------------------------


def test_recipients_are_followers_of_the_dispute_or_letter_and_the_owner(letter, owner, sweep):
    dispute_follower = factories.ReaderFactory(username="dispute-follower")
    letter_follower = factories.ReaderFactory(username="letter-follower")
    inactive = factories.ReaderFactory(username="gone", is_active=False)
    bystander = factories.ReaderFactory(username="bystander")
    reminder_services.follow_set(user=dispute_follower, dispute=letter.dispute, following=True)
    reminder_services.follow_set(user=letter_follower, letter=letter, following=True)
    reminder_services.follow_set(user=owner, letter=letter, following=True)  # owner and follower: told once
    reminder_services.follow_set(user=inactive, dispute=letter.dispute, following=True)
    other = factories.DemandLetterFactory()
    reminder_services.follow_set(user=bystander, dispute=other.dispute, following=True)

    sweep(DEADLINE + DAY)
    got = {r.recipient.username for r in rows(letter=letter)}
    assert got == {"owner", "dispute-follower", "letter-follower"}
    assert {r.recipient.username for r in rows(letter=other)} == {"bystander"}


def test_follow_set_is_idempotent_and_unfollowing_stops_reminders(letter, sweep, deliver):
    follower = factories.ReaderFactory()
    for _ in range(2):
        reminder_services.follow_set(user=follower, dispute=letter.dispute, following=True)
    assert Follow.objects.filter(user=follower).count() == 1
    sweep(DEADLINE + DAY)
    reminder = Reminder.objects.get(recipient=follower)
    reminder_services.follow_set(user=follower, dispute=letter.dispute, following=False)
    assert not Follow.objects.filter(user=follower).exists()
    assert deliver(reminder.pk, DEADLINE + DAY) == delivery.Outcome.CANCELLED
    with pytest.raises(IllegalTransition):
        reminder_services.follow_set(user=follower, following=True)


def test_someone_who_follows_after_a_step_went_out_gets_that_step_once(letter, owner, sweep, published):
    sweep(DEADLINE + DAY)
    assert [(r.recipient, r.step) for r in rows()] == [(owner, "due")]
    late = factories.ReaderFactory(username="late")
    with time_machine.travel(DEADLINE + 2 * DAY, tick=False):
        reminder_services.follow_set(user=late, letter=letter, following=True)
    report = sweep(DEADLINE + 2 * DAY + dt.timedelta(hours=1))
    assert (report.letters_due, report.late_recipients) == (0, 1)
    assert [(r.recipient, r.step) for r in rows()] == [(owner, "due"), (late, "due")]
    assert sweep(DEADLINE + 3 * DAY).new == []  # once
    # A new owner is told the current step too; the earlier recipients are not told again.
    new_owner = factories.ReaderFactory(username="new-owner")
    DemandLetter.objects.filter(pk=letter.pk).update(owner=new_owner)
    report = sweep(DEADLINE + 4 * DAY)
    assert report.late_recipients == 1
    assert [r.recipient for r in rows(step="due")] == sorted([owner, late, new_owner], key=lambda u: u.pk)
    assert [r.recipient for r in Reminder.objects.filter(pk__in=[s.reminder_id for s in report.new])] == [
        new_owner
    ]
    # The next step goes to whoever is told about the letter then.
    assert {r.recipient for r in rows(step="after-7d")} == set() and len(sweep(DEADLINE + 7 * DAY).new) == 2


def test_a_new_owner_is_told_the_current_step_only_if_they_may_read_the_record(letter, owner, sweep):
    """The sweep looks again at a letter already at its step for a new owner by the reader rule
    (core.access.may_read_q), as for every recipient, not by ``is_active``: an active owner who may not read is
    told nothing, and does not make every later sweep count the letter again."""
    sweep(DEADLINE + DAY)
    regrouped = factories.ReaderFactory(username="regrouped", groups=[])
    demoted = factories.ReaderFactory(username="demoted", is_staff=False)
    for hour, new_owner in enumerate((regrouped, demoted, regrouped), start=1):
        DemandLetter.objects.filter(pk=letter.pk).update(owner=new_owner)
        report = sweep(DEADLINE + DAY + dt.timedelta(hours=hour))
        assert (report.letters_due, report.late_recipients, report.new) == (0, 0, [])
    reader = factories.ReaderFactory(username="reader")
    DemandLetter.objects.filter(pk=letter.pk).update(owner=reader)
    report = sweep(DEADLINE + 2 * DAY)
    assert report.late_recipients == 1 and [(s.recipient, s.step) for s in report.new] == [("reader", "due")]
    assert sweep(DEADLINE + 3 * DAY).late_recipients == 0


def test_nobody_following_means_the_fallback_group(db, sweep):
    letter = factories.DemandLetterFactory(owner=None)
    on_call = factories.ReaderFactory(username="on-call")
    Group.objects.get_or_create(name="Reminder fallback")[0].user_set.add(on_call)
    sweep(DEADLINE + DAY)
    assert [r.recipient for r in rows(letter=letter)] == [on_call]


def test_an_empty_fallback_group_falls_back_to_superusers(db, sweep):
    letter = factories.DemandLetterFactory(owner=None)
    admin_user = factories.ReaderFactory(username="root", is_superuser=True, is_staff=True)
    factories.ReaderFactory(username="someone")
    sweep(DEADLINE + DAY)
    assert [r.recipient for r in rows(letter=letter)] == [admin_user]
    assert Group.objects.filter(name="Reminder fallback").exists()  # created on demand, ready to fill


def test_an_inactive_owner_is_not_a_recipient(db, sweep):
    letter = factories.DemandLetterFactory(owner=factories.ReaderFactory(is_active=False))
    fallback = factories.ReaderFactory(is_superuser=True)
    sweep(DEADLINE + DAY)
    assert [r.recipient for r in rows(letter=letter)] == [fallback]


def test_followers_and_owners_who_may_no_longer_read_are_told_nothing(db, sweep):
    """The access policy reaches email too: a follower demoted out of staff, or an owner who lost the Readers
    group, gets no reminder; someone who may read still does."""
    letter = factories.DemandLetterFactory(owner=factories.ReaderFactory(username="regrouped", groups=[]))
    demoted = factories.ReaderFactory(username="demoted", is_staff=False)
    reader = factories.ReaderFactory(username="still-reads")
    for user in (demoted, reader):
        reminder_services.follow_set(user=user, dispute=letter.dispute, following=True)
    sweep(DEADLINE + DAY)
    assert [r.recipient for r in rows(letter=letter)] == [reader]
    for user in (demoted, reader):
        DigestPreference.objects.create(user=user, frequency="daily")
    due = {user_id for user_id, _end in digest.digest_due(now=DEADLINE + 3 * DAY)}
    assert reader.pk in due and demoted.pk not in due


# --- Rollback, dry run, the command ------------------------------------------------------------------------


def test_a_failed_transaction_enqueues_nothing(letter, published, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(DEADLINE + DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True) as cbs,
    ):
        with pytest.raises(RuntimeError), transaction.atomic():
            sweep_services.deadlines_sweep()
            assert Reminder.objects.count() == 1  # written inside the transaction…
            raise RuntimeError("something after the sweep failed")
    assert Reminder.objects.count() == 0  # …and rolled back with it
    assert cbs == [] and published == []


def test_a_failed_retry_action_enqueues_nothing(letter, sweep, published, django_capture_on_commit_callbacks):
    sweep(DEADLINE + DAY)
    Reminder.objects.update(status=DeliveryStatus.FAILED)
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            reminder_services.reminder_retry(reminder_id=Reminder.objects.get().pk)
            raise RuntimeError
    assert published == [] and Reminder.objects.get().status == DeliveryStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        reminder_services.reminder_retry(reminder_id=Reminder.objects.get().pk)
    assert published == [Reminder.objects.get().pk]


def test_dry_run_writes_and_enqueues_nothing(letter, sweep, published):
    report = sweep(DEADLINE + 10 * DAY, dry_run=True)
    assert [(s.letter_id, s.step, s.recipient) for s in report.new] == [(letter.pk, "after-7d", "owner")]
    assert Reminder.objects.count() == 0 and published == []


def test_the_command_prints_what_it_scheduled(letter, published, django_capture_on_commit_callbacks):
    out = StringIO()
    call_command("sweep_deadlines", "--dry-run", "--at", "2025-12-10T09:00+09:00", stdout=out)
    text = out.getvalue()
    assert (
        "dry run" in text and "after-7d" in text and "Request concerning Sora 2" in text and "→ owner" in text
    )
    assert "Would schedule 1 new reminder(s)" in text
    assert Reminder.objects.count() == 0 and published == []

    out = StringIO()
    with (
        time_machine.travel(DEADLINE + 10 * DAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("sweep_deadlines", stdout=out)
    assert "Scheduled 1 new reminder(s)" in out.getvalue()
    assert published == [Reminder.objects.get().pk]


def test_the_command_rejects_a_bad_time():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep_deadlines", "--at", "next tuesday", stdout=StringIO())


# --- Lost messages, interrupted deliveries, broker outages --------------------------------------------------


def test_a_pending_reminder_whose_message_was_lost_is_enqueued_again(letter, sweep, published):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    sweep(DEADLINE + DAY + dt.timedelta(minutes=14))  # still waiting in the queue, probably
    assert published == [reminder.pk]
    report = sweep(DEADLINE + DAY + dt.timedelta(minutes=16))  # long enough: the message was lost
    assert published == [reminder.pk, reminder.pk]
    assert [s.again for s in report.scheduled] == [True]


def test_an_interrupted_delivery_is_flagged_and_sent_again(letter, sweep, deliver, published):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    started = DEADLINE + DAY + dt.timedelta(minutes=1)
    # The worker had handed the message to the mail server when it died: it may have arrived.
    Reminder.objects.filter(pk=reminder.pk).update(
        status=DeliveryStatus.SENDING, sending_started_at=started, handed_at=started, attempts=1
    )
    report = sweep(started + dt.timedelta(minutes=5))  # within the timeout: maybe still sending
    assert report.interrupted == 0 and published == [reminder.pk]

    report = sweep(started + dt.timedelta(minutes=7))
    assert report.interrupted == 1 and published == [reminder.pk, reminder.pk]
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.PENDING and reminder.possible_duplicate
    assert "may have accepted" in reminder.last_error

    assert deliver(reminder.pk, started + dt.timedelta(minutes=8)) == delivery.Outcome.SENT
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.possible_duplicate) == (DeliveryStatus.SENT, 2, True)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("handed", [True, False])
def test_a_redelivered_message_for_an_interrupted_delivery_takes_it_over(letter, sweep, deliver, handed):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    started = DEADLINE + DAY
    Reminder.objects.filter(pk=reminder.pk).update(
        status=DeliveryStatus.SENDING,
        sending_started_at=started,
        handed_at=started if handed else None,
        attempts=1,
        claimed_by="dead-worker",
    )
    assert deliver(reminder.pk, started + dt.timedelta(minutes=1)) == delivery.Outcome.SKIPPED  # in progress
    assert deliver(reminder.pk, started + dt.timedelta(minutes=7)) == delivery.Outcome.SENT  # it died
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SENT and reminder.attempts == 2
    # Flagged only if the dead worker had handed the message over: before that, nothing can have arrived.
    assert reminder.possible_duplicate is handed


def test_an_interrupted_delivery_that_never_reached_the_mail_server_is_not_flagged(letter, sweep, published):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    started = DEADLINE + DAY + dt.timedelta(minutes=1)
    Reminder.objects.filter(pk=reminder.pk).update(
        status=DeliveryStatus.SENDING, sending_started_at=started, attempts=1
    )
    assert sweep(started + dt.timedelta(minutes=7)).interrupted == 1
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.PENDING and not reminder.possible_duplicate
    assert published == [reminder.pk, reminder.pk]


def test_after_a_database_crash_a_claimed_row_counts_as_possibly_handed_over(letter, sweep, monkeypatch):
    """The "handed over" mark is committed without a disk flush, so a crash of the database may lose it: a row
    claimed before the database (re)started is flagged when taken back, even without the mark."""
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    claimed = DEADLINE + DAY + dt.timedelta(minutes=1)
    Reminder.objects.filter(pk=reminder.pk).update(
        status=DeliveryStatus.SENDING, sending_started_at=claimed, attempts=1
    )
    monkeypatch.setattr(sweep_services, "database_started_at", lambda: claimed + dt.timedelta(seconds=30))
    assert sweep(claimed + dt.timedelta(minutes=7)).interrupted == 1
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.PENDING and reminder.possible_duplicate


def test_when_the_broker_is_down_the_rows_wait_for_the_next_sweep(letter, sweep, published, monkeypatch):
    factories.ReaderFactory(username="follower").follows.create(letter=letter)

    def broker_down(chunks):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379")
        yield  # a generator, like the real one

    publish = sweep_services._publish
    monkeypatch.setattr(sweep_services, "_publish", broker_down)
    sweep(DEADLINE + DAY)
    assert [(r.status, r.enqueued_at) for r in rows()] == [(DeliveryStatus.PENDING, None)] * 2

    monkeypatch.setattr(sweep_services, "_publish", publish)
    sweep(DEADLINE + DAY + dt.timedelta(minutes=1))  # the very next sweep, not 15 minutes later
    assert sorted(published) == sorted(r.pk for r in rows())


def test_concurrent_sweeps_are_arbitrated_by_the_unique_constraint(letter, sweep):
    sweep(DEADLINE + DAY)
    # Another sweep that planned the same row inserts it again: the constraint makes that a no-op.
    [row] = rows()
    Reminder.objects.bulk_create(
        [
            Reminder(
                letter=letter,
                deadline_version=row.deadline_version,
                step=row.step,
                recipient=row.recipient,
                due_at=row.due_at,
            )
        ],
        ignore_conflicts=True,
    )
    assert len(rows()) == 1


# --- Delivery -----------------------------------------------------------------------------------------------


def test_delivery_sends_one_email_with_text_html_and_a_stable_message_id(letter, sweep, deliver):
    sweep(DEADLINE + 45 * DAY)
    [reminder] = rows()
    assert deliver(reminder.pk, DEADLINE + 45 * DAY + dt.timedelta(hours=1)) == delivery.Outcome.SENT
    assert deliver(reminder.pk, DEADLINE + 45 * DAY + dt.timedelta(hours=2)) == delivery.Outcome.SKIPPED

    [email] = mail.outbox
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SENT and reminder.attempts == 1
    assert reminder.sent_at == DEADLINE + 45 * DAY + dt.timedelta(hours=1)
    assert email.to == ["owner@example.org"]
    assert email.extra_headers["Message-ID"] == reminder.message_id
    assert (
        reminder.message_id
        == f"<reminder-{reminder.pk}.letter-{letter.pk}.v1.after-30d@disputes.example.org>"
    )
    assert email.subject.startswith("Overdue by 45 days:")
    body = email.body
    assert "Request concerning Sora 2" in body
    assert "1. Do not train on members' works." in body and "2. Answer in writing." in body
    assert "26 November 2025, 23:59 JST (Asia/Tokyo)" in body
    assert "26 November 2025, 14:59 UTC (UTC)" in body  # the reader's time zone too
    assert "Overdue by 45 days" in body
    assert f"https://disputes.example.org/disputes/{letter.dispute.slug}/" in body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert f'href="https://disputes.example.org/disputes/{letter.dispute.slug}/"' in html
    assert "Do not train on members&#x27; works." in html


def test_a_heads_up_says_when_the_deadline_is(letter, sweep, deliver):
    sweep(DEADLINE - 2 * DAY)
    [reminder] = rows()
    deliver(reminder.pk, DEADLINE - 2 * DAY)
    [email] = mail.outbox
    assert email.subject.startswith("Response due in 2 days")
    assert "Response due in 2 days" in email.body


def test_a_recipient_without_email_still_has_the_in_app_reminder(letter, owner, sweep, deliver):
    owner.email = ""
    owner.save()
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    assert deliver(reminder.pk, DEADLINE + DAY) == delivery.Outcome.SENT
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert "app only" in reminder.last_error
    assert [i.reminder for i in reminders_inbox(owner, DEADLINE + DAY).items] == [reminder]


def test_a_superseded_step_is_not_sent_late(letter, sweep, deliver):
    sweep(DEADLINE + DAY)
    [due] = rows()
    # The broker was down for a week: by the time this message runs, the letter is at +7.
    assert deliver(due.pk, DEADLINE + 8 * DAY) == delivery.Outcome.CANCELLED
    due.refresh_from_db()
    assert "superseded" in due.last_error and mail.outbox == []


def _fail_with(monkeypatch, exc):
    def send(self, fail_silently=False):
        raise exc

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send)


def test_a_temporary_failure_is_retried_by_the_sweep_with_backoff_then_given_up(
    letter, sweep, deliver, published, monkeypatch, settings
):
    settings.REMINDERS_RETRY_BACKOFF = 60
    settings.REMINDERS_RETRY_BACKOFF_MAX = 3600
    settings.REMINDERS_RETRY_FOR = 3 * 86400
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    _fail_with(monkeypatch, smtplib.SMTPDataError(451, b"4.3.0 try again later"))
    at, waits = DEADLINE + DAY, []
    for attempt in range(1, 9):
        assert deliver(reminder.pk, at) == delivery.Outcome.RETRY
        reminder.refresh_from_db()
        assert (reminder.status, reminder.attempts, reminder.enqueued_at) == (
            DeliveryStatus.PENDING,
            attempt,
            None,
        )
        assert (
            "451" in reminder.last_error and not reminder.possible_duplicate
        )  # a clear 4xx: nothing arrived
        wait = reminder.next_attempt_at - at
        waits.append(wait)
        # Not before its time: neither the sweep nor a stray message sends it early.
        assert sweep(at + wait - dt.timedelta(seconds=1)).scheduled == []
        assert deliver(reminder.pk, at + wait - dt.timedelta(seconds=1)) == delivery.Outcome.SKIPPED
        at += wait
        assert [s.reminder_id for s in sweep(at).scheduled] == [reminder.pk]
    # Exponential, jittered within [half, full] of 60 s × 2^(n-1), capped at an hour.
    for n, wait in enumerate(waits, start=1):
        ceiling = min(60 * 2 ** (n - 1), 3600)
        assert ceiling / 2 <= wait.total_seconds() <= ceiling
    # Far longer than the five minutes retries used to last; it gives up only REMINDERS_RETRY_FOR after the first
    # failure.
    assert reminder.failing_since == DEADLINE + DAY
    assert deliver(reminder.pk, DEADLINE + 4 * DAY + dt.timedelta(minutes=1)) == delivery.Outcome.FAILED
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.FAILED and "Gave up after 9 attempts" in reminder.last_error
    # Retried from the admin once the cause is fixed: a fresh series, with the whole retry period again.
    reminder_services.reminder_retry(reminder_id=reminder.pk)
    assert deliver(reminder.pk, DEADLINE + 5 * DAY) == delivery.Outcome.RETRY


@pytest.mark.parametrize(
    "exc",
    [
        smtplib.SMTPRecipientsRefused({"owner@example.org": (550, b"5.1.1 no such user")}),
        smtplib.SMTPDataError(554, b"5.7.1 rejected"),
    ],
)
def test_a_permanent_refusal_fails_at_once(letter, sweep, deliver, monkeypatch, exc):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    _fail_with(monkeypatch, exc)
    assert deliver(reminder.pk, DEADLINE + DAY) == delivery.Outcome.FAILED
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (DeliveryStatus.FAILED, 1)


@pytest.mark.parametrize(
    "exc",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
        smtplib.SMTPRecipientsRefused({"owner@example.org": (450, b"4.2.0 mailbox busy")}),
    ],
)
def test_connection_trouble_is_temporary(letter, sweep, deliver, monkeypatch, exc):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    _fail_with(monkeypatch, exc)
    assert deliver(reminder.pk, DEADLINE + DAY) == delivery.Outcome.RETRY
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.PENDING and reminder.next_attempt_at > DEADLINE + DAY
    # A dropped connection or a timeout while sending may have delivered it: the retry is flagged.
    uncertain = isinstance(exc, smtplib.SMTPServerDisconnected | TimeoutError)
    assert reminder.possible_duplicate is uncertain


def test_a_database_error_leaves_the_batch_for_the_next_sweep(letter, sweep, deliver, monkeypatch):
    factories.ReaderFactory(username="follower").follows.create(letter=letter)
    sweep(DEADLINE + DAY)

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(delivery, "_build_message", database_gone)
    ids = [r.pk for r in rows()]
    with pytest.raises(OperationalError), time_machine.travel(DEADLINE + DAY, tick=False):
        delivery.reminders_deliver(reminder_ids=ids)
    # Released at once (not left "sending"), never attempted, and enqueued again by the next sweep.
    assert [(r.status, r.attempts, r.enqueued_at, r.claimed_by) for r in rows()] == [
        (DeliveryStatus.PENDING, 0, None, "")
    ] * 2
    assert sorted(s.reminder_id for s in sweep(DEADLINE + DAY + dt.timedelta(minutes=1)).scheduled) == ids


def test_the_delivery_task_is_thin_and_the_ledger_is_the_truth():
    task = tasks.deliver_reminders
    assert task.acks_late and task.reject_on_worker_lost  # a killed child's message is not acknowledged
    assert task.autoretry_for == (DatabaseError,) and task.retry_jitter and task.max_retries >= 1
    assert settings_module.CELERY_TASK_ROUTES["disputes.tasks.sweep_deadlines"] == {"queue": "sweep"}


def test_beat_schedules_the_sweep(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"]
    assert entry["task"] == tasks.sweep_deadlines.name == "disputes.tasks.sweep_deadlines"
    assert entry["task"] in app.tasks
    assert 0 < entry["schedule"] <= 3600


def test_the_sweep_task_runs_the_sweep(letter, published, django_capture_on_commit_callbacks):
    with time_machine.travel(DEADLINE + DAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        summary = tasks.sweep_deadlines.run()
    assert summary["new"] == 1 and len(published) == 1


# --- In-app reminders: inbox, acknowledge, snooze ----------------------------------------------------------


def test_the_inbox_shows_one_item_per_letter_until_acknowledged(
    letter, owner, sweep, django_assert_num_queries
):
    sweep(DEADLINE + DAY)
    sweep(DEADLINE + 8 * DAY)
    other = factories.DemandLetterFactory(owner=owner)
    sweep(DEADLINE + 9 * DAY)
    now = DEADLINE + 9 * DAY
    nobody = factories.UserFactory()
    with django_assert_num_queries(1):  # nothing to show: the narrow query alone
        assert reminders_inbox(nobody, now).items == []
    with django_assert_num_queries(2):  # which to show, then those loaded with their letters
        inbox = reminders_inbox(owner, now)
        headlines = [
            (i.letter.pk, i.reminder.step, i.headline, i.letter.sender.display_name) for i in inbox.items
        ]
    assert sorted(headlines)[0][:3] == (letter.pk, "after-7d", "Overdue by 9 days")
    assert {h[0] for h in headlines} == {letter.pk, other.pk}

    newest = Reminder.objects.get(letter=letter, step="after-7d")
    reminder_services.reminder_acknowledge(user=owner, reminder_id=newest.pk, now=now)
    # The older step it folded in is acknowledged with it; the other letter stays.
    assert [i.letter for i in reminders_inbox(owner, now).items] == [other]
    assert Reminder.objects.get(letter=letter, step="due").acknowledged_at == now
    assert Reminder.objects.get(letter=other).acknowledged_at is None


def test_snoozing_hides_a_reminder_until_then(letter, owner, sweep):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    now = DEADLINE + DAY
    reminder_services.reminder_snooze(user=owner, reminder_id=reminder.pk, until=now + 3 * DAY, now=now)
    assert reminders_inbox(owner, now + 2 * DAY).items == []
    assert [i.reminder for i in reminders_inbox(owner, now + 3 * DAY).items] == [reminder]
    with pytest.raises(IllegalTransition):
        reminder_services.reminder_snooze(user=owner, reminder_id=reminder.pk, until=now + 90 * DAY, now=now)
    with pytest.raises(Reminder.DoesNotExist):
        reminder_services.reminder_snooze(
            user=factories.ReaderFactory(), reminder_id=reminder.pk, until=now + DAY, now=now
        )


def test_the_inbox_drops_reminders_for_answered_or_closed_letters(letter, owner, sweep):
    sweep(DEADLINE + DAY)
    now = DEADLINE + DAY
    assert len(reminders_inbox(owner, now).items) == 1
    response = factories.ResponseFactory(letter=letter)
    letter_services.response_assess(response=response, assessment=Assessment.SINCERE, assessed_by=owner)
    assert reminders_inbox(owner, now).items == []
    assert reminders_inbox(factories.ReaderFactory(), now).items == []


def test_letter_reminder_state(letter, sweep):
    sweep(DEADLINE + 10 * DAY)
    state = letter_reminder_state(letter, DEADLINE + 10 * DAY)
    assert (state.step.name, state.next_step.name, len(state.history)) == ("after-7d", "after-14d", 1)


def test_follow_button_state(letter, owner):
    assert not follow_button(owner, dispute=letter.dispute).following
    reminder_services.follow_set(user=owner, dispute=letter.dispute, following=True)
    button = follow_button(owner, dispute=letter.dispute)
    assert button.following and button.action_url == f"/reminders/follow/dispute/{letter.dispute.slug}/"


# --- Views ---------------------------------------------------------------------------------------------------


def test_acknowledge_view(client, letter, owner, sweep):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    client.force_login(owner)
    response = client.post(f"/reminders/{reminder.pk}/acknowledge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "disputes/partials/reminders_inbox.html" in [t.name for t in response.templates]
    assert "No reminders" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.acknowledged_at is not None


def test_someone_elses_reminder_is_a_404(client, letter, sweep):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    client.force_login(factories.ReaderFactory(is_staff=True))
    assert client.post(f"/reminders/{reminder.pk}/acknowledge/").status_code == 404
    assert client.post(f"/reminders/{reminder.pk}/snooze/", {"days": "1"}).status_code == 404
    assert client.get(f"/reminders/{reminder.pk}/acknowledge/").status_code == 405


def test_snooze_view(client, letter, owner, sweep):
    with time_machine.travel(DEADLINE + DAY, tick=False):
        sweep_services.deadlines_sweep()
        [reminder] = rows()
        client.force_login(owner)
        response = client.post(f"/reminders/{reminder.pk}/snooze/", {"days": "3", "next": "/somewhere/"})
        assert response.status_code == 302 and response.url == "/somewhere/"
        reminder.refresh_from_db()
        assert reminder.snoozed_until == DEADLINE + 4 * DAY
        bad = client.post(f"/reminders/{reminder.pk}/snooze/", {"days": "365"}, HTTP_HX_REQUEST="true")
        assert bad.status_code == 400
        evil = client.post(
            f"/reminders/{reminder.pk}/snooze/", {"days": "1", "next": "https://evil.example/"}
        )
        assert evil.url == "/"


def test_follow_views(client, letter, owner):
    client.force_login(owner)
    url = f"/reminders/follow/dispute/{letter.dispute.slug}/"
    response = client.post(url, {"following": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "unfollow" in response.content.decode()
    assert Follow.objects.filter(user=owner, dispute=letter.dispute).exists()
    response = client.post(url, {})
    assert response.status_code == 302 and response.url == letter.dispute.get_absolute_url()
    assert not Follow.objects.filter(user=owner).exists()
    client.post(f"/reminders/follow/letter/{letter.pk}/", {"following": "on"})
    assert Follow.objects.filter(user=owner, letter=letter).exists()
    assert client.post("/reminders/follow/letter/999999/", {"following": "on"}).status_code == 404


def test_views_need_a_login(client):
    response = client.get("/reminders/")
    assert response.status_code == 302 and "login" in response.url


def test_inbox_partial_renders_its_forms(client, letter, owner, sweep):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    client.force_login(owner)
    with time_machine.travel(DEADLINE + 2 * DAY, tick=False):
        html = client.get("/reminders/").content.decode()
    assert f'action="/reminders/{reminder.pk}/acknowledge/"' in html
    assert f'action="/reminders/{reminder.pk}/snooze/"' in html
    assert "Overdue by 2 days" in html and "26 Nov 2025, 23:59 JST" in html


# --- Admin ---------------------------------------------------------------------------------------------------


@pytest.fixture
def letter_admin():
    from disputes.admin.reminders import LetterRemindersAdminMixin

    class LetterAdmin(LetterRemindersAdminMixin, admin.ModelAdmin):
        fieldsets = [(None, {"fields": ["title", "response_deadline_on", "deadline_source", "status"]})]

    return LetterAdmin(DemandLetter, admin.AdminSite())


def test_the_letter_admin_shows_deadline_step_next_and_history(letter_admin, letter, sweep, deliver):
    sweep(DEADLINE + 10 * DAY)
    [reminder] = rows()
    deliver(reminder.pk, DEADLINE + 10 * DAY)
    request = RequestFactory().get("/")
    fieldsets = letter_admin.get_fieldsets(request, letter)
    assert fieldsets[-1][1]["fields"] == [
        "reminder_deadline",
        "reminder_step",
        "reminder_next",
        "reminder_history",
    ]
    assert "reminder_history" in letter_admin.get_readonly_fields(request, letter)
    with time_machine.travel(DEADLINE + 10 * DAY, tick=False), timezone.override(zoneinfo.ZoneInfo("UTC")):
        deadline = letter_admin.reminder_deadline(letter)
        assert (
            "2025-11-26 23:59 (Asia/Tokyo)<br>2025-11-26 14:59 UTC · Stated in the letter · version 1"
            in deadline
        )
        assert "your time zone" not in deadline  # the UTC line already says it
        step = letter_admin.reminder_step(letter)
        assert (
            "7 days after the deadline" in step and "due 3 Dec 2025, 14:59 UTC" in step and "after-7d" in step
        )
        assert letter_admin.reminder_next(letter).startswith("10 Dec 2025, 14:59 UTC")
        history = letter_admin.reminder_history(letter)
    assert "<table>" in history and "Sent" in history and "owner" in history
    assert "7 days after the deadline" in history and "after-7d" not in history
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert (
            "26 Nov 2025, 09:59 EST in your time zone (America/New_York)"
            in letter_admin.reminder_deadline(letter)
        )


def test_a_deadline_changed_in_the_admin_becomes_a_new_version(letter_admin, letter, owner, sweep):
    from django import forms

    sweep(DEADLINE + DAY)
    letter.response_deadline_on = dt.date(2025, 12, 31)
    letter.deadline_source = DeadlineSource.STAFF

    class Form(forms.Form):
        changed_data = ["response_deadline_on", "deadline_source"]
        instance = letter

        def save_m2m(self):
            pass

    request = RequestFactory().post("/")
    request.user = owner
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    letter_admin.save_model(request, letter, Form(), change=True)
    letter_admin.save_related(request, Form(), [], change=True)
    stored = DemandLetter.objects.get(pk=letter.pk)
    assert (stored.response_deadline_on, stored.deadline_version) == (dt.date(2025, 12, 31), 2)
    assert DeadlineChange.objects.get().changed_by == owner
    assert Reminder.objects.get().status == DeliveryStatus.CANCELLED


def test_the_reminder_admin_lists_delivery_state(admin_client_logged, letter, sweep):
    sweep(DEADLINE + DAY)
    Reminder.objects.update(status=DeliveryStatus.FAILED, attempts=4, last_error="SMTPDataError: 451 busy")
    response = admin_client_logged.get("/admin/disputes/reminder/?status__exact=failed")
    assert response.status_code == 200
    content = response.content.decode()
    assert "SMTPDataError: 451 busy" in content and ">due<" in content
    response = admin_client_logged.post(
        "/admin/disputes/reminder/",
        {"action": "retry_failed", "_selected_action": [Reminder.objects.get().pk]},
    )
    assert response.status_code == 302
    assert Reminder.objects.get().status == DeliveryStatus.PENDING
    assert admin_client_logged.get("/admin/disputes/follow/").status_code == 200


def test_only_a_dry_run_can_sweep_the_future(letter, published):
    from django.core.management.base import CommandError

    with time_machine.travel(DEADLINE - 10 * DAY, tick=False):
        with pytest.raises(IllegalTransition):
            sweep_services.deadlines_sweep(now=DEADLINE + 8 * DAY)
        with pytest.raises(CommandError):
            call_command("sweep_deadlines", "--at", "2025-12-10", stdout=StringIO())
        assert sweep_services.deadlines_sweep(now=DEADLINE + 8 * DAY, dry_run=True).new
    assert Reminder.objects.count() == 0 and published == []


def test_a_worker_with_a_slow_clock_leaves_the_reminder_pending(letter, sweep, deliver):
    sweep(DEADLINE + DAY)
    [reminder] = rows()
    assert deliver(reminder.pk, DEADLINE - dt.timedelta(minutes=5)) == delivery.Outcome.SKIPPED
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.PENDING and reminder.attempts == 0
    assert deliver(reminder.pk, DEADLINE + DAY) == delivery.Outcome.SENT
