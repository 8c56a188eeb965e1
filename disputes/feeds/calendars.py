"""iCalendar (RFC 5545) feeds of response deadlines and reminder dates, built with the ``icalendar`` library.

A calendar covers everything, one dispute, or any filtered view (the letter filters of
``disputes.api.filters``, the same query string as the dashboard). It holds:

- one VEVENT per letter with a response deadline, at the deadline's instant in the sender's time zone
  (``DTSTART;TZID=Asia/Tokyo:…T235959`` with the matching VTIMEZONE), with alarms before it while the letter is
  open and unanswered. Its UID is stable (``letter-<id>-deadline@host``) and its SEQUENCE is the deadline
  version, so a calendar app moves the event when the deadline changes instead of adding a second one;
- one VEVENT per reminder owed to the person asking (not yet acknowledged), at its due or snoozed time.

Three queries whatever the number of letters.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.accounts.tokens import token_or_session
from disputes.core.site import absolute_url, site_host
from disputes.core.text import printable
from disputes.feeds.atom import filter_errors_response
from disputes.filters.api import LetterFilter
from disputes.models import (
    DeliveryStatus,
    Demand,
    DemandLetter,
    Dispute,
    LetterStatus,
    Reminder,
    ReminderKind,
)

PRODID = "-//AI Disputes Tracker//Deadlines//EN"
# Alarms before an open deadline. Calendar apps may ignore alarms from subscribed calendars; the reminder
# emails remain the source of truth.
ALARMS_BEFORE = (dt.timedelta(days=3), dt.timedelta(days=1))


def ical_text(value: object) -> str:
    """Text for an iCalendar TEXT property: no control characters, and every line break (CR LF, a bare CR, LF)
    made one LF, which the library writes as the escaped ``\\n`` (RFC 5545, 3.3.11). A bare CR is left alone by
    the library and would start a new content line for parsers that split on CR."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return printable(text)


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _letter_description(letter: DemandLetter, *, now: dt.datetime) -> str:
    deadline = letter.response_deadline_at
    state = letter.deadline_state(at=now, answered=letter.has_sincere_response)
    lines = [
        _("Letter: %(title)s") % {"title": letter.title},
    ]
    if letter.title_original:
        lines.append(letter.title_original)
    lines += [
        _("From %(sender)s to %(recipient)s") % {"sender": letter.sender, "recipient": letter.recipient},
        _("Dispute: %(title)s") % {"title": letter.dispute.title},
        _("Dated: %(date)s") % {"date": letter.display_date},
        state.deadline_label,
        _("Respond by: %(local)s %(tz)s (%(utc)s UTC)")
        % {
            "local": deadline.astimezone(_zone(letter.timezone)).strftime("%Y-%m-%d %H:%M"),
            "tz": letter.timezone,
            "utc": deadline.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        },
        _("Status: %(status)s") % {"status": letter.get_status_display()},
    ]
    if state.answered:
        lines.append(_("Answered: a response was assessed as sincere."))
    if state.overdue:
        lines.append(state.overdue_label)
    if state.unanswered_label:
        lines.append(state.unanswered_label)
    demands = list(letter.demands.all())
    if demands:
        lines.append(_("Demands:"))
        lines += [f"{d.number}. {d.text_en}" for d in demands]
    lines.append(absolute_url(letter.get_absolute_url()))
    return ical_text("\n".join(lines))


def _deadline_event(letter: DemandLetter, *, now: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"letter-{letter.pk}-deadline@{site_host()}")
    event.add("sequence", letter.deadline_version)
    event.add("dtstamp", letter.updated_at.astimezone(dt.UTC))
    event.add("last-modified", letter.updated_at.astimezone(dt.UTC))
    event.add("dtstart", letter.response_deadline_at.astimezone(_zone(letter.timezone)))
    state = letter.deadline_state(at=now, answered=letter.has_sincere_response)
    summary = (
        _("Our policy deadline (none stated): %(title)s (%(recipient)s)")
        if state.is_ours
        else _("Response due: %(title)s (%(recipient)s)")
    ) % {"title": letter.title, "recipient": letter.recipient.display_name}
    if state.answered:
        summary = _("Answered: %(summary)s") % {"summary": summary}
    event.add("summary", ical_text(summary))
    event.add("description", _letter_description(letter, now=now))
    event.add("url", absolute_url(letter.get_absolute_url()))
    event.add("categories", [ical_text(_("Response deadline"))])
    event.add("transp", "TRANSPARENT")
    event.add("status", "CANCELLED" if letter.status == LetterStatus.WITHDRAWN else "CONFIRMED")
    if state.awaiting:
        for before in ALARMS_BEFORE:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -before)
            alarm.add("description", ical_text(summary))
            event.add_component(alarm)
    return event


def _reminder_event(reminder: Reminder) -> icalendar.Event:
    letter = reminder.letter
    when = reminder.snoozed_until or reminder.due_at
    event = icalendar.Event()
    event.add("uid", f"reminder-{reminder.pk}@{site_host()}")
    event.add("dtstamp", (reminder.enqueued_at or reminder.created_at).astimezone(dt.UTC))
    event.add("dtstart", when.astimezone(_zone(letter.timezone)))
    if reminder.kind == ReminderKind.ASSESSMENT:
        summary = _("Reminder: assess the response to %(title)s") % {"title": letter.title}
    else:
        summary = _("Reminder: %(title)s (%(recipient)s), %(step)s") % {
            "title": letter.title,
            "recipient": letter.recipient.display_name,
            "step": reminder.step,
        }
    event.add("summary", ical_text(summary))
    event.add("description", ical_text(f"{letter.dispute.title}\n{absolute_url(letter.get_absolute_url())}"))
    event.add("url", absolute_url(letter.get_absolute_url()))
    event.add("categories", [ical_text(_("Reminder"))])
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(*, letters, user, name: str, now: dt.datetime | None = None) -> icalendar.Calendar:
    """A calendar of the deadlines of ``letters`` (a filtered DemandLetter queryset) and the user's reminders."""
    now = now or timezone.now()
    deadline_letters = (
        letters.filter(response_deadline_at__isnull=False)
        .with_sincere_response()
        .select_related("sender", "recipient", "dispute")
        .prefetch_related(Prefetch("demands", queryset=Demand.objects.order_by("number")))
        .order_by("response_deadline_at", "id")
    )
    reminders = (
        Reminder.objects.filter(recipient=user, acknowledged_at__isnull=True, letter__in=letters.values("pk"))
        .exclude(status=DeliveryStatus.CANCELLED)
        .select_related("letter__dispute", "letter__recipient")
        .order_by("due_at", "id")
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # An X- property has no known type: without vText its value would be written raw (a line break in a
    # dispute title would end the line, or inject new ones).
    calendar.add("x-wr-calname", icalendar.vText(ical_text(name)))
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for letter in deadline_letters:
        calendar.add_component(_deadline_event(letter, now=now))
    for reminder in reminders:
        calendar.add_component(_reminder_event(reminder))
    calendar.add_missing_timezones()
    return calendar


def _calendar_response(request: HttpRequest, data, *, name: str, filename: str) -> HttpResponse:
    now = timezone.now()
    letters = LetterFilter(data, queryset=DemandLetter.objects.all(), now=now)
    if not letters.is_valid():
        return filter_errors_response(letters.errors)
    calendar = build_calendar(letters=letters.qs, user=request.user, name=name, now=now)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@token_or_session
def calendar_all(request: HttpRequest) -> HttpResponse:
    name = _("AI disputes: deadlines") if not request.GET else _("AI disputes: deadlines (filtered)")
    return _calendar_response(request, request.GET, name=name, filename="deadlines.ics")


@token_or_session
def calendar_dispute(request: HttpRequest, slug: str) -> HttpResponse:
    dispute = get_object_or_404(Dispute.objects.only("pk", "slug", "title"), slug=slug)
    data = request.GET.copy()
    data["dispute"] = slug
    name = _("%(title)s: deadlines") % {"title": dispute.title}
    return _calendar_response(request, data, name=name, filename=f"{dispute.slug}.ics")


__all__ = ["build_calendar", "calendar_all", "calendar_dispute"]
