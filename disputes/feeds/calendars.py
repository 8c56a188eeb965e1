"""iCalendar (RFC 5545) feeds of response deadlines and reminder dates, built with the ``icalendar`` library.

A calendar covers everything, one dispute, or any filtered view (the letter filters of
``disputes.api.filters``, the same query string as the dashboard). It holds:

- one VEVENT per letter with a response deadline, at the deadline's instant in the sender's time zone
  (``DTSTART;TZID=Asia/Tokyo:…T235959`` with the matching VTIMEZONE), with alarms before it while the letter is
  open and unanswered. Its UID is stable (``letter-<id>-deadline@host``) and its SEQUENCE is the deadline
  version, so a calendar app moves the event when the deadline changes instead of adding a second one;
- one VEVENT per reminder owed to the person asking (not yet acknowledged), at its due or snoozed time.

Each calendar covers a window of deadlines (``?since=2025-01-01&until=2025-12-31``; by default from 180 days ago,
at most two years) and is streamed: the header first, then one event at a time from a server-side cursor, so
neither its time nor its memory grows with the whole record. Deadline events are written directly (RFC 5545
escaping and folding): the library's serialiser costs milliseconds an event. Four queries whatever the number of
letters.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator

import icalendar
from django import forms
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.accounts.tokens import token_or_session
from disputes.core.site import absolute_url, site_host
from disputes.core.sql import streamed
from disputes.core.text import printable
from disputes.feeds.atom import filter_errors_response
from disputes.filters.api import LetterFilter
from disputes.models import (
    DeliveryStatus,
    Demand,
    DemandLetter,
    Dispute,
    LetterStatus,
    Organization,
    Reminder,
    ReminderKind,
    ReminderSettings,
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


class _Words:
    """The translated labels of a calendar, looked up once per calendar rather than once per event (each
    lookup goes through the active language)."""

    def __init__(self):
        self.letter = _("Letter: %(title)s")
        self.from_to = _("From %(sender)s to %(recipient)s")
        self.dispute = _("Dispute: %(title)s")
        self.dated = _("Dated: %(date)s")
        self.respond_by = _("Respond by: %(local)s %(tz)s (%(utc)s UTC)")
        self.status = _("Status: %(status)s")
        self.statuses = {value: str(label) for value, label in LetterStatus.choices}
        self.answered = _("Answered: a response was assessed as sincere.")
        self.demands = _("Demands:")
        self.ours = _("Our policy deadline (none stated): %(title)s (%(recipient)s)")
        self.due = _("Response due: %(title)s (%(recipient)s)")
        self.answered_summary = _("Answered: %(summary)s")
        self.category = _text(ical_text(_("Response deadline")))
        self.host = site_host()
        # A dispute's path with a stand-in for its slug, reversed once rather than once per letter.
        stand_in = "slug-stand-in"
        self.dispute_path = Dispute.path_for(stand_in).rsplit(stand_in, 1)

    def letter_path(self, letter: DemandLetter) -> str:
        before, after = self.dispute_path
        return f"{before}{letter.dispute.slug}{after}#letter-{letter.pk}"


def _letter_description(
    letter: DemandLetter, *, state, demands: list[tuple[int, str]], url: str, words: _Words
) -> str:
    deadline = letter.response_deadline_at
    lines = [words.letter % {"title": letter.title}]
    if letter.title_original:
        lines.append(letter.title_original)
    lines += [
        words.from_to % {"sender": letter.sender, "recipient": letter.recipient},
        words.dispute % {"title": letter.dispute.title},
        words.dated % {"date": letter.display_date},
        state.deadline_label,
        words.respond_by
        % {
            "local": deadline.astimezone(_zone(letter.timezone)).strftime("%Y-%m-%d %H:%M"),
            "tz": letter.timezone,
            "utc": deadline.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        },
        words.status % {"status": words.statuses.get(letter.status, letter.status)},
    ]
    if state.answered:
        lines.append(words.answered)
    if state.overdue:
        lines.append(state.overdue_label)
    if state.unanswered_label:
        lines.append(state.unanswered_label)
    if demands:
        lines.append(words.demands)
        lines += [f"{number}. {text}" for number, text in demands]
    lines.append(url)
    return ical_text("\n".join(lines))


def _text(value: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> bytes:
    """One content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # back off to a character boundary
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # continuation lines start with a space
    return b"\r\n ".join(parts) + b"\r\n"


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(name: str, value: dt.datetime) -> str:
    """``DTSTART`` in the sender's zone (with the VTIMEZONE the stream adds), or in UTC."""
    zone = _zone(name)
    if zone is dt.UTC or name in ("UTC", "Etc/UTC"):
        return f"DTSTART:{_utc(value)}"
    return f"DTSTART;TZID={name}:{value.astimezone(zone).strftime('%Y%m%dT%H%M%S')}"


def _deadline_event(
    letter: DemandLetter, *, demands: list[tuple[int, str]], now: dt.datetime, words: _Words
) -> bytes:
    """The VEVENT of a letter's deadline, written directly; the stream's header and time zones still come from
    the library, and the tests read every event back with it."""
    state = letter.deadline_state(at=now, answered=letter.has_sincere_response)
    summary = (words.ours if state.is_ours else words.due) % {
        "title": letter.title,
        "recipient": letter.recipient.display_name,
    }
    if state.answered:
        summary = words.answered_summary % {"summary": summary}
    summary = _text(ical_text(summary))
    url = absolute_url(words.letter_path(letter))
    description = _letter_description(letter, state=state, demands=demands, url=url, words=words)
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{summary}",
        _local(letter.timezone, letter.response_deadline_at),
        f"DTSTAMP:{_utc(letter.updated_at)}",
        f"UID:letter-{letter.pk}-deadline@{words.host}",
        f"SEQUENCE:{letter.deadline_version}",
        f"CATEGORIES:{words.category}",
        f"DESCRIPTION:{_text(description)}",
        f"LAST-MODIFIED:{_utc(letter.updated_at)}",
        f"STATUS:{'CANCELLED' if letter.status == LetterStatus.WITHDRAWN else 'CONFIRMED'}",
        "TRANSP:TRANSPARENT",
        f"URL:{url}",
    ]
    # No alarms for a policy deadline while staff have such deadlines not remind (``ReminderSettings``).
    if state.awaiting and not letter.silenced:
        for before in ALARMS_BEFORE:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{summary}",
                f"TRIGGER:-P{before.days}D",
                "END:VALARM",
            ]
    lines.append("END:VEVENT")
    return b"".join(_fold(line) for line in lines)


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


# What a deadline's VEVENT reads of its letter, its parties and its dispute (long texts such as summaries stay
# in the database).
EVENT_FIELDS = (
    "pk",
    "title",
    "title_original",
    "date_precision",
    "deadline_version",
    "updated_at",
    *DemandLetter.DEADLINE_STATE_FIELDS,
    "sender",
    "recipient",
    "dispute",
    *(f"{party}__{name}" for party in ("sender", "recipient") for name in Organization.NAME_FIELDS),
    "dispute__slug",
    "dispute__title",
)
CALENDAR_PAST_DAYS = 180  # the window starts this long before today unless ``since`` says otherwise
CALENDAR_MAX_DAYS = 2 * 366  # the longest window one request may ask for
CHUNK_SIZE = 500


class CalendarWindowForm(forms.Form):
    """Which deadlines a calendar holds: ``since`` (default 180 days ago) to ``until`` (default two years on).

    A calendar app polls every hour; a window keeps each answer small however long the record grows.
    """

    since = forms.DateField(required=False)
    until = forms.DateField(required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        since = cleaned.get("since") or self.today - dt.timedelta(days=CALENDAR_PAST_DAYS)
        until = cleaned.get("until") or since + dt.timedelta(days=CALENDAR_MAX_DAYS)
        if until < since:
            raise forms.ValidationError(_("“until” is before “since”."))
        if (until - since).days > CALENDAR_MAX_DAYS:
            raise forms.ValidationError(
                _("A calendar covers at most %(days)s days; ask for a shorter window.")
                % {"days": CALENDAR_MAX_DAYS}
            )
        cleaned["since"], cleaned["until"] = since, until
        return cleaned

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The window as instants, a day wider on each side than the dates so every zone's end of day is in."""
        start = dt.datetime.combine(self.cleaned_data["since"], dt.time.min, tzinfo=dt.UTC) - dt.timedelta(
            days=1
        )
        end = dt.datetime.combine(self.cleaned_data["until"], dt.time.max, tzinfo=dt.UTC) + dt.timedelta(
            days=1
        )
        return start, end


def calendar_stream(
    *,
    letters,
    user,
    name: str,
    window: tuple[dt.datetime, dt.datetime],
    now: dt.datetime | None = None,
) -> Iterator[bytes]:
    """The calendar of the deadlines of ``letters`` (a filtered DemandLetter queryset) inside ``window`` and the
    user's reminders, as chunks of bytes: the header and time zones first, then one VEVENT at a time.

    Four queries whatever the number of letters (time zones, demands, letters through a server-side cursor,
    reminders); memory holds one chunk of letters and the window's demands.
    """
    now = now or timezone.now()
    start, end = window
    in_window = letters.filter(response_deadline_at__gte=start, response_deadline_at__lte=end)
    deadline_letters = (
        ReminderSettings.with_silenced(in_window.with_sincere_response())
        .select_related("sender", "recipient", "dispute")
        .only(*EVENT_FIELDS)
        .order_by("response_deadline_at", "id")
    )
    reminders = list(
        Reminder.objects.filter(recipient=user, acknowledged_at__isnull=True, letter__in=letters.values("pk"))
        .exclude(status=DeliveryStatus.CANCELLED)
        .exclude(ReminderSettings.silenced_q("letter__"))
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
    calendar.add(
        "x-wr-caldesc",
        icalendar.vText(
            ical_text(
                _("Deadlines from %(since)s to %(until)s (UTC).")
                % {"since": start.date() + dt.timedelta(days=1), "until": end.date() - dt.timedelta(days=1)}
            )
        ),
    )
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    footer = b"END:VCALENDAR\r\n"
    yield calendar.to_ical().removesuffix(footer)

    zones = set(in_window.order_by().values_list("timezone", flat=True).distinct())
    zones |= {reminder.letter.timezone for reminder in reminders}
    for zone in sorted(zones - {"UTC", "Etc/UTC"}):
        if _zone(zone) is dt.UTC:  # not a zone name the library knows: its events are written in UTC
            continue
        yield icalendar.Timezone.from_tzid(zone, first_date=start.date(), last_date=end.date()).to_ical()

    demands: dict[int, list[tuple[int, str]]] = {}
    for letter_id, number, text in (
        Demand.objects.filter(letter__in=in_window.values("pk"))
        .order_by("letter", "number")
        .values_list("letter_id", "number", "text_en")
    ):
        demands.setdefault(letter_id, []).append((number, text))

    chunk: list[bytes] = []
    words = _Words()
    for letter in deadline_letters.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(_deadline_event(letter, demands=demands.get(letter.pk, []), now=now, words=words))
        if len(chunk) >= 50:
            yield b"".join(chunk)
            chunk = []
    yield b"".join(chunk)
    for reminder in reminders:
        yield _reminder_event(reminder).to_ical()
    yield footer


def build_calendar(*, letters, user, name: str, now: dt.datetime | None = None) -> icalendar.Calendar:
    """The whole calendar (the default window) as one object, for tests and tools; the feeds stream it."""
    now = now or timezone.now()
    form = CalendarWindowForm({}, today=now.date())
    form.is_valid()
    data = b"".join(calendar_stream(letters=letters, user=user, name=name, window=form.bounds(), now=now))
    return icalendar.Calendar.from_ical(data)


def _calendar_response(request: HttpRequest, data, *, name: str, filename: str) -> HttpResponseBase:
    now = timezone.now()
    window = CalendarWindowForm(data, today=timezone.localdate(now))
    if not window.is_valid():
        return filter_errors_response(window.errors)
    letter_data = data.copy()
    for key in ("since", "until"):
        letter_data.pop(key, None)
    letters = LetterFilter(letter_data, queryset=DemandLetter.objects.all(), now=now)
    if not letters.is_valid():
        return filter_errors_response(letters.errors)
    stream = calendar_stream(
        letters=letters.qs, user=request.user, name=name, window=window.bounds(), now=now
    )
    response = StreamingHttpResponse(streamed(stream), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@token_or_session
def calendar_all(request: HttpRequest) -> HttpResponseBase:
    name = _("AI disputes: deadlines") if not request.GET else _("AI disputes: deadlines (filtered)")
    return _calendar_response(request, request.GET, name=name, filename="deadlines.ics")


@token_or_session
def calendar_dispute(request: HttpRequest, slug: str) -> HttpResponseBase:
    dispute = get_object_or_404(Dispute.objects.only("pk", "slug", "title"), slug=slug)
    data = request.GET.copy()
    data["dispute"] = slug
    name = _("%(title)s: deadlines") % {"title": dispute.title}
    return _calendar_response(request, data, name=name, filename=f"{dispute.slug}.ics")


__all__ = ["build_calendar", "calendar_all", "calendar_dispute", "calendar_stream"]
