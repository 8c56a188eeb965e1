"""The follow digest: when it falls due, what it says, that it is sent once, and the beat schedule, all with a
pinned clock."""

import datetime as dt
import smtplib

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.urls import reverse

from disputes.models import (
    Assessment,
    DeadlineChange,
    DeadlineSource,
    DigestFrequency,
    DigestPreference,
    Follow,
    Stage,
    UserProfile,
)
from disputes.models.deferred import derived_data_deferred
from disputes.reminders import digest
from disputes.reminders.tasks import digest_send, digest_sweep
from tests import factories

UTC = dt.UTC
HOSTILE = '<script>alert("x")</script> =HYPERLINK("x") \'single\' 😀 日本語 \u200fשלום\u200e'


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- When a digest falls due -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "frequency", "end"),
    [
        # 07:00 in Tokyo is 22:00 UTC the day before.
        ("2025-11-19 23:00", "daily", "2025-11-19 22:00"),  # Thursday 08:00 JST
        ("2025-11-19 21:59", "daily", "2025-11-18 22:00"),  # Thursday 06:59 JST: Wednesday's period
        ("2025-11-19 22:00", "daily", "2025-11-19 22:00"),  # on the dot
        ("2025-11-19 23:00", "weekly", "2025-11-16 22:00"),  # Monday 17 November 07:00 JST
        ("2025-11-16 21:00", "weekly", "2025-11-09 22:00"),  # Monday 06:00 JST: the week before
        ("2025-11-16 22:30", "weekly", "2025-11-16 22:00"),
    ],
)
def test_period_ends_in_the_digest_time_zone(now, frequency, end):
    assert digest.period_end(frequency, now=at(now)) == at(end)


def test_period_ends_keep_the_local_hour_across_a_dst_change(settings):
    settings.DIGEST_TIME_ZONE = "America/New_York"
    # 07:00 EDT is 11:00 UTC; after 2 November 07:00 EST is 12:00 UTC.
    assert digest.period_end("daily", now=at("2025-11-01 15:00")) == at("2025-11-01 11:00")
    assert digest.period_end("daily", now=at("2025-11-03 15:00")) == at("2025-11-03 12:00")
    assert digest.period_end("weekly", now=at("2025-11-05 15:00")) == at("2025-11-03 12:00")


def _preference(frequency: str, *, last_sent_at=None, **user) -> DigestPreference:
    return DigestPreference.objects.create(
        user=factories.ReaderFactory(**user), frequency=frequency, last_sent_at=last_sent_at
    )


def test_who_is_due(db):
    daily = _preference(DigestFrequency.DAILY)
    sent_today = _preference(DigestFrequency.DAILY, last_sent_at=at("2025-11-19 22:00"))
    weekly = _preference(DigestFrequency.WEEKLY, last_sent_at=at("2025-11-09 22:00"))
    weekly_done = _preference(DigestFrequency.WEEKLY, last_sent_at=at("2025-11-16 22:00"))
    _preference(DigestFrequency.NEVER)
    _preference(DigestFrequency.DAILY, is_active=False)
    _preference(DigestFrequency.DAILY, email="")
    due = digest.digest_due(now=at("2025-11-19 23:00"))
    assert due == [(daily.user_id, at("2025-11-19 22:00")), (weekly.user_id, at("2025-11-16 22:00"))]
    assert sent_today.user_id not in dict(due) and weekly_done.user_id not in dict(due)


def test_each_reader_gets_the_digest_in_their_own_morning(db):
    tokyo = _preference(
        DigestFrequency.DAILY, last_sent_at=at("2025-11-18 22:00")
    )  # no zone: DIGEST_TIME_ZONE
    new_york = _preference(DigestFrequency.DAILY, last_sent_at=at("2025-11-18 12:00"))
    UserProfile.objects.create(user_id=new_york.user_id, detected_timezone="America/New_York")
    kolkata = _preference(DigestFrequency.WEEKLY, last_sent_at=at("2025-11-17 01:30"))
    UserProfile.objects.create(
        user_id=kolkata.user_id, timezone="Asia/Kolkata", detected_timezone="Europe/Paris"
    )
    # 12:30 UTC on Wednesday 19 November: 07:30 in New York, 21:30 in Tokyo, 18:00 in Kolkata.
    due = digest.digest_due(now=at("2025-11-19 12:30"))
    assert due == [(new_york.user_id, at("2025-11-19 12:00"))]  # 07:00 EST
    # Monday 24 November 07:00 in Kolkata (the chosen zone, not the browser's) is 01:30 UTC.
    due = dict(digest.digest_due(now=at("2025-11-24 01:30")))
    assert due[kolkata.user_id] == at("2025-11-24 01:30")
    assert due[tokyo.user_id] == at("2025-11-23 22:00")


# --- What a digest says ------------------------------------------------------------------------------------

START, END = at("2025-11-18 22:00"), at("2025-11-19 22:00")
BEFORE, DURING, AFTER = "2025-11-18 12:00Z", "2025-11-19 12:00Z", "2025-11-20 12:00Z"


@pytest.fixture
def followed(db, user):
    """A user who follows one dispute and one letter of another dispute; changes before, during, after."""
    coda = factories.OrganizationFactory(name="CODA")
    openai = factories.OrganizationFactory(name="OpenAI")
    with time_machine.travel(BEFORE, tick=False):
        mine = factories.DisputeFactory(title="CODA v. OpenAI", slug="coda-v-openai")
        theirs = factories.DisputeFactory(title="Hollywood v. OpenAI", slug="hollywood")
        old_letter = factories.DemandLetterFactory(
            dispute=mine, title="CODA's request", sender=coda, recipient=openai
        )
        old_response = factories.ResponseFactory(letter=old_letter, title="Acknowledgement")
        followed_letter = factories.DemandLetterFactory(
            dispute=theirs, title="MPA's letter", recipient=openai
        )
        factories.EventFactory(disputes=[mine], title="Old news")
        Follow.objects.create(user=user, dispute=mine)
        Follow.objects.create(user=user, letter=followed_letter)
    with time_machine.travel(DURING, tick=False):
        factories.EventFactory(disputes=[mine], title="Minister's statement")
        factories.EventFactory(disputes=[theirs], title="Not followed")
        new_letter = factories.DemandLetterFactory(
            dispute=mine, title="Second request", sender=coda, recipient=openai
        )
        new_response = factories.ResponseFactory(letter=old_letter, title="A blog post")
        factories.ResponseFactory(letter=followed_letter, title="Reply to MPA")
        factories.ResponseFactory(
            letter=factories.DemandLetterFactory(dispute=theirs, recipient=openai), title="Unfollowed reply"
        )
        old_response.assessment = Assessment.EVASIVE
        old_response.assessed_at = at("2025-11-19 12:00")
        old_response.assessment_reason = "Boilerplate."
        old_response.save()
        DeadlineChange.objects.create(
            letter=old_letter,
            version=2,
            previous_on=dt.date(2025, 11, 26),
            new_on=dt.date(2025, 12, 10),
            source=DeadlineSource.STAFF,
            reason="Extension agreed",
            changed_at=at("2025-11-19 12:00"),
        )
        mine.stage = Stage.IN_DIALOGUE
        mine.save()
    with time_machine.travel(AFTER, tick=False):
        factories.EventFactory(disputes=[mine], title="Tomorrow's news")
    return {
        "mine": mine,
        "new_letter": new_letter,
        "new_response": new_response,
        "old_response": old_response,
    }


def test_the_digest_holds_what_changed_in_what_the_user_follows(user, followed):
    built = digest.digest_build(user=user, frequency="daily", start=START, end=END)
    assert [e.title for e in built.events] == ["Minister's statement"]
    assert [letter.title for letter in built.letters] == ["Second request"]
    assert [r.title for r in built.responses] == ["A blog post", "Reply to MPA"]
    assert [(r.title, r.assessment) for r in built.assessments] == [("Acknowledgement", "evasive")]
    assert [c.reason for c in built.deadline_changes] == ["Extension agreed"]
    assert [(c.previous, c.current) for c in built.stage_changes] == [("letter_sent", "in_dialogue")]
    assert built.count == 7


def test_a_user_who_follows_nothing_gets_an_empty_digest(db):
    built = digest.digest_build(user=factories.ReaderFactory(), frequency="daily", start=START, end=END)
    assert built.is_empty


def test_the_digest_email(user, followed):
    UserProfile.objects.create(user=user, timezone="Asia/Tokyo")
    followed["new_letter"].title = HOSTILE
    followed["new_letter"].save()
    message = digest.digest_message(digest.digest_build(user=user, frequency="daily", start=START, end=END))
    assert message.to == [user.email]
    assert message.subject == "Daily digest: 7 changes in disputes you follow (to 2025-11-20)"
    text = message.body
    assert HOSTILE in text  # plain text is not HTML-escaped
    assert "Letter sent → In dialogue" in text
    assert "2025-11-26 → 2025-12-10 (Extension agreed)" in text
    assert f"http://127.0.0.1:8000/disputes/coda-v-openai/#letter-{followed['new_letter'].pk}" in text
    assert "http://127.0.0.1:8000/account/access/" in text
    assert "from 19 Nov 2025, 07:00 to 20 Nov 2025, 07:00 JST" in text  # the reader's time zone
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "😀 日本語 \u200fשלום\u200e" in html
    assert "Not followed" not in text and "Unfollowed reply" not in text and "Old news" not in text


def test_the_digest_email_speaks_the_readers_time_zone(user, followed):
    # The period is the site's (07:00 in Tokyo); the reader in New York reads it on their own clock.
    UserProfile.objects.create(user=user, detected_timezone="America/New_York")
    message = digest.digest_message(digest.digest_build(user=user, frequency="daily", start=START, end=END))
    assert message.subject == "Daily digest: 7 changes in disputes you follow (to 2025-11-19)"
    assert "from 18 Nov 2025, 17:00 to 19 Nov 2025, 17:00 EST" in message.body
    # The new letter's deadline: the end of 26 November in Tokyo is 09:59 that day in New York.
    assert (
        "respond by 2025-11-26 (Asia/Tokyo) — 26 Nov 2025, 09:59 your time (America/New_York)" in message.body
    )
    assert "26 Nov 2025, 09:59 your time (America/New_York)" in message.alternatives[0][0]


def test_a_digest_for_a_reader_without_a_zone_speaks_the_digest_time_zone(user, followed, settings):
    settings.TIME_ZONE = "UTC"
    settings.DIGEST_TIME_ZONE = "Asia/Tokyo"
    message = digest.digest_message(digest.digest_build(user=user, frequency="daily", start=START, end=END))
    assert "from 19 Nov 2025, 07:00 to 20 Nov 2025, 07:00 JST" in message.body


def test_a_digest_is_delivered_once(user, followed):
    DigestPreference.objects.create(user=user, frequency=DigestFrequency.DAILY)
    with time_machine.travel("2025-11-19 23:00Z", tick=False):
        assert digest.digest_deliver(user_id=user.pk, end=END) is True
        assert digest.digest_deliver(user_id=user.pk, end=END) is False
    assert len(mail.outbox) == 1
    assert DigestPreference.objects.get(user=user).last_sent_at == END


def test_the_next_digest_starts_where_the_last_ended(user, followed):
    DigestPreference.objects.create(
        user=user, frequency=DigestFrequency.DAILY, last_sent_at=at("2025-11-19 00:00")
    )
    digest.digest_deliver(user_id=user.pk, end=END)
    # The statement and everything else of the 19th is after 00:00; nothing from before is repeated.
    assert "Minister's statement" in mail.outbox[0].body
    assert "Old news" not in mail.outbox[0].body


def test_an_empty_digest_is_not_sent_but_its_period_is_covered(db):
    preference = _preference(DigestFrequency.WEEKLY)
    assert digest.digest_deliver(user_id=preference.user_id, end=END) is False
    assert mail.outbox == []
    preference.refresh_from_db()
    assert preference.last_sent_at == END


def test_a_failed_send_is_retried_later(user, followed, monkeypatch):
    DigestPreference.objects.create(user=user, frequency=DigestFrequency.DAILY)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("try later")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        digest.digest_deliver(user_id=user.pk, end=END)
    assert DigestPreference.objects.get(user=user).last_sent_at is None  # the claim was undone
    monkeypatch.undo()
    assert digest.digest_deliver(user_id=user.pk, end=END) is True


@derived_data_deferred()
def _grow(user, n: int) -> None:
    with time_machine.travel(DURING, tick=False):
        for _ in range(n):
            dispute = factories.DisputeFactory()
            Follow.objects.create(user=user, dispute=dispute)
            letter = factories.DemandLetterFactory(dispute=dispute)
            factories.ResponseFactory(letter=letter)
            factories.EventFactory(disputes=[dispute])
            dispute.stage = Stage.ESCALATED
            dispute.save()


def test_building_a_digest_takes_the_same_queries_whatever_the_size(
    user, followed, django_assert_num_queries
):
    with django_assert_num_queries(7):
        small = digest.digest_build(user=user, frequency="daily", start=START, end=END).count
    _grow(user, 10)
    with django_assert_num_queries(7):
        large = digest.digest_build(user=user, frequency="daily", start=START, end=END).count
    assert large == small + 40


# --- Tasks and schedule --------------------------------------------------------------------------------------


def test_beat_runs_the_sweep_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["follow-digest"]
    assert entry["task"] == "disputes.tasks_digest.digest_sweep"
    assert entry["schedule"] == crontab(minute=5)
    from config.celery import app

    # A worker imports the module (autodiscovery only finds tasks.py), so it knows both tasks by name.
    assert "disputes.reminders.tasks" in app.conf.imports
    assert digest_sweep.name in app.tasks and digest_send.name in app.tasks


def test_the_sweep_enqueues_one_delivery_per_due_user(db, monkeypatch):
    enqueued = []
    monkeypatch.setattr(digest_send, "delay_on_commit", lambda *args: enqueued.append(args))
    daily = _preference(DigestFrequency.DAILY)
    _preference(DigestFrequency.DAILY, last_sent_at=at("2025-11-19 22:00"))
    with time_machine.travel("2025-11-19 23:05Z", tick=False):
        assert digest_sweep() == 1
    assert enqueued == [(daily.user_id, "2025-11-19T22:00:00+00:00")]


def test_the_delivery_task_sends_the_digest(user, followed):
    DigestPreference.objects.create(user=user, frequency=DigestFrequency.DAILY)
    result = digest_send.apply(args=(user.pk, END.isoformat()))
    assert result.successful() and result.result is True
    assert len(mail.outbox) == 1


def test_a_week_of_hourly_sweeps_sends_seven_dailies_and_one_weekly(db, monkeypatch):
    """Beat runs the sweep at five past every hour for a week; something happens every day."""
    daily = _preference(DigestFrequency.DAILY, last_sent_at=at("2025-11-16 22:00"))
    weekly = _preference(DigestFrequency.WEEKLY, last_sent_at=at("2025-11-16 22:00"))
    dispute = factories.DisputeFactory()
    for preference in (daily, weekly):
        Follow.objects.create(user=preference.user, dispute=dispute)
    monkeypatch.setattr(
        digest_send, "delay_on_commit", lambda user_id, end: digest_send.apply(args=(user_id, end))
    )
    start = at("2025-11-16 22:05")  # Monday 17 November, 07:05 in Tokyo
    for hour in range(1, 7 * 24 + 1):
        now = start + dt.timedelta(hours=hour)
        with time_machine.travel(now, tick=False):
            if hour % 24 == 12:
                factories.EventFactory(disputes=[dispute], title=f"News at {now:%Y-%m-%d %H:%M}")
            digest_sweep()
    sent = {}
    for message in mail.outbox:
        sent.setdefault(message.to[0], []).append(message)
    assert len(sent[daily.user.email]) == 7
    assert [m.body.count("News at") for m in sent[daily.user.email]] == [1] * 7
    (weekly_message,) = sent[weekly.user.email]
    assert weekly_message.subject.startswith("Weekly digest: 7 changes")


# --- Choosing the frequency ------------------------------------------------------------------------------------


def test_choosing_a_frequency_on_the_account_page(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:settings"), {"action": "digest", "frequency": "weekly"})
    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=user)
    assert preference.frequency == DigestFrequency.WEEKLY
    preference.last_sent_at = END
    preference.save()
    client.post(reverse("accounts:settings"), {"action": "digest", "frequency": "daily"})
    preference.refresh_from_db()
    assert (preference.frequency, preference.last_sent_at) == ("daily", None)
    response = client.post(reverse("accounts:settings"), {"action": "digest", "frequency": "hourly"})
    assert response.status_code == 200
    assert response.context["form"].errors["frequency"]
