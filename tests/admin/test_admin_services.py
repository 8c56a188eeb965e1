"""The admin writes through the record's services: the same rules and side effects as everywhere else, shown
as form errors when a rule says no, and no state kept on the admin objects that every request shares."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin as admin_site
from django.test import RequestFactory
from django.urls import reverse

from disputes import models as m
from disputes.reminders.sweep import deadlines_sweep
from tests import factories as f
from tests.admin.test_admin import _letter_form

LATE = dt.datetime(2025, 12, 5, tzinfo=dt.UTC)  # nine days after the factory letter's deadline


def _response_form(response: m.Response | None, letter: m.DemandLetter, **overrides) -> dict:
    data = {
        "letter": letter.pk,
        "responder": letter.recipient_id,
        "responded_on": "2025-11-20",
        "date_precision": "day",
        "channel": "letter",
        "title": "",
        "summary": "Reply",
        "quote": "",
        "url": "",
        "assessment": "not_assessed",
        "assessment_reason": "",
        "disputes-reporteddate-content_type-object_id-TOTAL_FORMS": 0,
        "disputes-reporteddate-content_type-object_id-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_no_response_is_recorded_on_a_withdrawn_letter_through_the_admin(admin_client_logged):
    letter = f.DemandLetterFactory(status=m.LetterStatus.WITHDRAWN)
    result = admin_client_logged.post(reverse("admin:disputes_response_add"), _response_form(None, letter))
    assert result.status_code == 200
    assert "The letter was withdrawn: a response to it cannot be recorded." in result.content.decode()
    assert not m.Response.objects.exists()


def test_withdrawing_a_letter_and_adding_a_response_at_once_is_refused(admin_client_logged):
    letter = f.DemandLetterFactory()
    data = _letter_form(letter, status="withdrawn")
    data.update(
        {
            "responses-TOTAL_FORMS": 1,
            "responses-0-responder": letter.recipient_id,
            "responses-0-responded_on": "2025-11-20",
            "responses-0-date_precision": "day",
            "responses-0-channel": "letter",
            "responses-0-summary": "Late reply",
            "responses-0-assessment": "not_assessed",
        }
    )
    result = admin_client_logged.post(reverse("admin:disputes_demandletter_change", args=[letter.pk]), data)
    assert result.status_code == 200
    assert "a response to it cannot be recorded" in result.content.decode()
    letter.refresh_from_db()
    assert letter.status == m.LetterStatus.OPEN and not letter.responses.exists()


def test_a_sincere_assessment_in_the_letters_inline_cancels_its_reminders(admin_client_logged, superuser):
    letter = f.DemandLetterFactory(owner=superuser)
    response = f.ResponseFactory(letter=letter, responded_on=dt.date(2025, 11, 20))
    with time_machine.travel(LATE, tick=False):
        deadlines_sweep()
    assert m.Reminder.objects.filter(status=m.DeliveryStatus.PENDING).exists()
    data = _letter_form(letter, deadline_source="stated")
    data.update(
        {
            "responses-TOTAL_FORMS": 1,
            "responses-INITIAL_FORMS": 1,
            "responses-0-id": response.pk,
            "responses-0-letter": letter.pk,
            "responses-0-responder": letter.recipient_id,
            "responses-0-responded_on": "2025-11-20",
            "responses-0-date_precision": "day",
            "responses-0-channel": "letter",
            "responses-0-summary": "Reply",
            "responses-0-assessment": "sincere",
            "responses-0-assessment_reason": "Answers both demands.",
        }
    )
    result = admin_client_logged.post(reverse("admin:disputes_demandletter_change", args=[letter.pk]), data)
    assert result.status_code == 302, result.content.decode()[:3000]
    response.refresh_from_db()
    assert (response.assessment, response.assessed_by) == (m.Assessment.SINCERE, superuser)
    assert response.assessed_at is not None
    assert not m.Reminder.objects.filter(status=m.DeliveryStatus.PENDING).exists()


def test_closing_a_letter_in_the_admin_cancels_its_reminders(admin_client_logged, superuser):
    letter = f.DemandLetterFactory(owner=superuser)
    with time_machine.travel(LATE, tick=False):
        deadlines_sweep()
    data = _letter_form(
        letter, deadline_source="stated", status="closed", status_note="Overtaken by the suit."
    )
    result = admin_client_logged.post(reverse("admin:disputes_demandletter_change", args=[letter.pk]), data)
    assert result.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.status_note) == (m.LetterStatus.CLOSED, "Overtaken by the suit.")
    assert set(m.Reminder.objects.values_list("status", flat=True)) == {m.DeliveryStatus.CANCELLED}


def test_a_closed_letters_deadline_change_is_a_form_error(admin_client_logged):
    letter = f.DemandLetterFactory(status=m.LetterStatus.CLOSED, deadline_source="stated")
    data = _letter_form(
        letter,
        deadline_source="stated",
        status="closed",
        response_deadline_on="2025-12-31",
        deadline_change_reason="Extended",
    )
    result = admin_client_logged.post(reverse("admin:disputes_demandletter_change", args=[letter.pk]), data)
    assert result.status_code == 200
    assert "The letter is closed: its deadline can no longer change." in result.content.decode()
    letter.refresh_from_db()
    assert (letter.response_deadline_on, letter.deadline_version) == (dt.date(2025, 11, 26), 1)


def test_a_new_letter_gets_version_one_of_its_deadline(admin_client_logged, superuser):
    template = f.DemandLetterFactory()
    data = _letter_form(template, title="A second request", deadline_source="stated")
    result = admin_client_logged.post(reverse("admin:disputes_demandletter_add"), data)
    assert result.status_code == 302, result.content.decode()[:3000]
    letter = m.DemandLetter.objects.get(title="A second request")
    (change,) = letter.deadline_changes.all()
    assert (change.version, change.new_on, change.reason, change.changed_by) == (
        1,
        dt.date(2025, 11, 26),
        "Stated in the letter.",
        superuser,
    )


@pytest.mark.django_db
def test_the_reminders_panel_shows_each_letters_own_state(superuser):
    """One admin object serves every request: the panel must never show another request's letter."""
    letter_admin = admin_site.site._registry[m.DemandLetter]
    answered = f.DemandLetterFactory(owner=superuser)
    waiting = f.DemandLetterFactory(owner=superuser)
    with time_machine.travel(LATE, tick=False):
        deadlines_sweep()
        f.ResponseFactory(letter=answered, assessment="sincere", assessed_at=LATE)
        request = RequestFactory().get("/")
        request.user = superuser
        first = m.DemandLetter.objects.get(pk=waiting.pk)
        assert letter_admin.reminder_next(first) != "—"
        second = m.DemandLetter.objects.get(pk=answered.pk)
        assert letter_admin.reminder_step(second) == "Answered (a sincere response): no reminders."
        assert letter_admin.reminder_next(second) == "—"
    assert not any(name.startswith("_") and "state" in name for name in vars(letter_admin))
