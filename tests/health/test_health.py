"""/healthz reports whether the database and the broker answer; /healthz/reminders/ and the home page say when
reminders stop being worked out or delivered."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission

from disputes.models import DeliveryStatus, Reminder, SweepHeartbeat
from disputes.reminders.selectors import reminders_health
from disputes.reminders.sweep import deadlines_sweep
from tests import factories

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["ok"] is True


def test_healthz_reports_an_unreachable_broker(client, settings):
    from config.celery import app

    previous = app.conf.broker_url, app.conf.broker_write_url
    # Nothing listens on port 1. Celery keeps a separate write URL; health checks the connection it publishes on.
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url, app.conf.broker_write_url = previous
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def test_healthz_needs_no_login_and_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


# --- Are reminders being worked out and delivered? ---------------------------------------------------------

T0 = dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)


def sweep_at(at: dt.datetime, **kwargs):
    with time_machine.travel(at, tick=False):
        return deadlines_sweep(**kwargs)


def test_a_real_sweep_leaves_a_heartbeat_and_a_dry_run_does_not():
    sweep_at(T0, dry_run=True)
    assert not SweepHeartbeat.objects.exists()
    sweep_at(T0)
    sweep_at(T0 + dt.timedelta(minutes=1))
    beat = SweepHeartbeat.objects.get(name=SweepHeartbeat.DEADLINES)
    assert beat.runs == 2 and beat.last_finished_at == T0 + dt.timedelta(minutes=1)
    assert beat.last_report["dry_run"] is False and beat.last_report["new"] == 0


def test_the_sweep_is_late_after_three_intervals_and_two_minutes(settings):
    settings.REMINDERS_SWEEP_INTERVAL = 60.0
    settings.REMINDERS_SWEEP_LATE_AFTER = 300
    assert reminders_health(T0).sweep == "never"
    sweep_at(T0)
    assert reminders_health(T0 + dt.timedelta(seconds=300)).sweep == "ok"
    late = reminders_health(T0 + dt.timedelta(seconds=301))
    assert late.sweep == "late" and not late.ok


def _reminder(status, *, created, started=None):
    letter = factories.DemandLetterFactory()
    with time_machine.travel(created, tick=False):
        return Reminder.objects.create(
            letter=letter,
            deadline_version=1,
            step="after-7d",
            due_at=created,
            recipient=factories.UserFactory(),
            status=status,
            sending_started_at=started,
        )


def test_stuck_and_failed_deliveries_are_counted(settings):
    settings.REMINDERS_STUCK_AFTER = 1800
    settings.REMINDERS_FAILED_WINDOW = 86400
    sweep_at(T0)
    _reminder(DeliveryStatus.PENDING, created=T0 - dt.timedelta(minutes=10))  # just queued: fine
    _reminder(DeliveryStatus.PENDING, created=T0 - dt.timedelta(minutes=31))  # nobody delivers it
    _reminder(DeliveryStatus.SENDING, created=T0 - dt.timedelta(hours=1), started=T0 - dt.timedelta(hours=1))
    retrying = _reminder(
        DeliveryStatus.PENDING, created=T0 - dt.timedelta(hours=5)
    )  # mail server down for hours
    Reminder.objects.filter(pk=retrying.pk).update(next_attempt_at=T0 + dt.timedelta(minutes=30), attempts=7)
    _reminder(DeliveryStatus.SENT, created=T0 - dt.timedelta(hours=5))
    _reminder(DeliveryStatus.CANCELLED, created=T0 - dt.timedelta(hours=5))
    _reminder(DeliveryStatus.FAILED, created=T0 - dt.timedelta(hours=2), started=T0 - dt.timedelta(hours=1))
    _reminder(DeliveryStatus.FAILED, created=T0 - dt.timedelta(days=3), started=T0 - dt.timedelta(days=2))
    health = reminders_health(T0)
    assert (health.sweep, health.stuck, health.retrying, health.failed, health.ok) == ("ok", 3, 1, 1, False)


def test_healthz_reminders_is_for_monitors(client):
    with time_machine.travel(T0, tick=False):
        response = client.get("/healthz/reminders/")
    assert response.status_code == 503 and response.json()["sweep"] == "never"
    sweep_at(T0)
    with time_machine.travel(T0 + dt.timedelta(seconds=30), tick=False):
        response = client.get("/healthz/reminders/")
        assert response.status_code == 200
        assert response.json() == {
            "sweep": "ok",
            "last_sweep_at": T0.isoformat(),
            "stuck": 0,
            "retrying": 0,
            "failed_recently": 0,
            "ok": True,
        }
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        assert client.get("/healthz/reminders/").status_code == 503
        # The web server itself is still healthy: /healthz says so, and carries the reminders' state.
        response = client.get("/healthz")
        assert response.status_code == 200 and response.json()["reminders"]["sweep"] == "late"


def test_the_home_page_warns_staff_when_reminders_stop(client, settings):
    settings.REMINDERS_SWEEP_INTERVAL = 60.0
    settings.REMINDERS_SWEEP_LATE_AFTER = 300
    reader = factories.UserFactory(is_staff=True)
    client.force_login(reader)
    with time_machine.travel(T0, tick=False):
        page = client.get("/").content.decode()
    assert 'data-testid="reminders-health"' in page and "No deadline sweep has run yet" in page
    sweep_at(T0)
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        assert 'data-testid="reminders-health"' not in client.get("/").content.decode()
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        page = client.get("/").content.decode()
    assert "The last deadline sweep finished 3\xa0hours ago; it should run every minute." in page

    _reminder(DeliveryStatus.FAILED, created=T0, started=T0 + dt.timedelta(minutes=1))
    sweep_at(T0 + dt.timedelta(minutes=2))
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        page = client.get("/").content.decode()
    assert (
        "1 reminder was refused for good by the mail server (or retried for too long) in the last 24 hours."
        in page
    )
    assert "/admin/disputes/reminder/?status__exact=failed" not in page  # a reader cannot open the admin
    reader.user_permissions.add(Permission.objects.get(codename="view_reminder"))
    reader.is_staff = True
    reader.save()
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        page = client.get("/").content.decode()
    assert "/admin/disputes/reminder/?status__exact=failed" in page
