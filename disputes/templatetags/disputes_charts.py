"""A visual timeline drawn as server-side SVG: letters, their deadlines, responses, and the gaps between them.

One lane per letter: the time the sender gave (letter to deadline), the time it has been overdue (deadline to
today, with no sincere response), the responses marked by their assessment, and the wait until the first one.
Events sit on a lane of their own above. Shapes differ as well as colours, and every mark has a <title>, so the
chart reads without colour and with a screen reader; the textual timeline below it carries the same facts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field

from django import template
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext

from disputes.core.dates import format_day, is_japanese
from disputes.core.kept import Fragments, Kept
from disputes.models import Assessment, LetterStatus
from disputes.models.deadline_state import days_text

from .disputes_extras import short_name

register = template.Library()

MAX_LANES = 15
_ids = itertools.count(1)


@dataclass(frozen=True)
class Layout:
    """Where things go. Wide: lane labels in a column on the left. Narrow (phones): labels above each lane, so
    the plot keeps the whole width and the text stays readable without scrolling sideways."""

    name: str
    width: int
    label_width: int  # where the plot starts
    right_margin: int
    event_lane_y: int
    first_lane_y: int
    lane_height: int
    max_ticks: int
    note_inset: int  # how far from the plot's edges a lane's note is centred, at least
    labels_above: bool


WIDE = Layout("wide", 960, 170, 28, 62, 104, 44, 8, 90, False)
NARROW = Layout("narrow", 380, 14, 14, 74, 136, 62, 4, 70, True)


@dataclass
class Segment:
    x1: float
    x2: float
    css: str  # given, overdue, waiting, answered
    title: str


@dataclass
class Mark:
    x: float
    shape: str  # letter, deadline, response, event
    css: str
    title: str


@dataclass
class Lane:
    y: float
    label: str
    title: str
    segments: list[Segment] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    note: str = ""
    note_x: float = 0
    note_css: str = ""


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Chart:
    id: str
    width: int
    height: int
    ticks: list[Tick]
    lanes: list[Lane]
    events: list[Mark]
    today_x: float | None
    plot_left: int
    plot_right: int
    event_lane_y: int
    summary: str
    omitted: int = 0
    layout: str = "wide"
    labels_above: bool = False


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    current = dt.date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = dt.date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def _month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月" if is_japanese() else dateformat.format(month, "M Y")


def _ticks(start: dt.date, end: dt.date, x, plot_right: float, max_ticks: int = 8) -> list[Tick]:
    months = [m for m in _month_starts(start, end) if m >= start]
    if len(months) > max_ticks:
        step = -(-len(months) // max_ticks)
        months = months[::step]
    # A label centred on a tick needs about 30 units either side to stay inside the plot.
    ticks = [Tick(x(m), _month_label(m)) for m in months if x(m) <= plot_right - 30]
    return ticks or [Tick(x(start), format_day(start))]


def build_chart(letters, events, now: dt.datetime | None = None, layout: Layout = WIDE) -> Chart | None:
    """Chart geometry for letters (with prefetched responses, marked by the selector) and events."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    letters = [letter for letter in letters if letter.date]
    omitted = max(len(letters) - MAX_LANES, 0)
    letters = letters[-MAX_LANES:]
    events = [event for event in events if event.date]
    dates: list[dt.date] = [event.date for event in events]
    open_letter = False
    for letter in letters:
        dates.append(letter.date)
        if letter.response_deadline_on:
            dates.append(letter.response_deadline_on)
        dates.extend(r.responded_on for r in letter.responses.all())
        open_letter = open_letter or letter.status == LetterStatus.OPEN
    if not dates:
        return None
    if open_letter:
        dates.append(today)
    start, end = min(dates), max(dates)
    span = max((end - start).days, 30)
    padding = max(span // 25, 2)
    start -= dt.timedelta(days=padding)
    end = start + dt.timedelta(days=span + 2 * padding)
    total = (end - start).days
    plot_left = layout.label_width
    plot_right = layout.width - layout.right_margin

    def x(day: dt.date) -> float:
        return round(plot_left + (day - start).days / total * (plot_right - plot_left), 1)

    lanes = []
    for index, letter in enumerate(letters):
        lane = _lane(letter, layout.first_lane_y + index * layout.lane_height, x, today)
        # Keep the note inside the plot even when the gap it describes is short or at an edge.
        lane.note_x = min(max(lane.note_x, plot_left + layout.note_inset), plot_right - layout.note_inset)
        lanes.append(lane)
    event_marks = [
        Mark(
            x(event.date),
            "event",
            event.kind,
            f"{format_day(event.date, event.date_precision)} · {event.title}",
        )
        for event in events
    ]
    overdue = sum(1 for letter in letters if letter.state.overdue)
    summary = ngettext("%(count)d letter", "%(count)d letters", len(letters)) % {"count": len(letters)}
    if overdue:
        summary += ", " + ngettext("%(count)d overdue", "%(count)d overdue", overdue) % {"count": overdue}
    summary += ", " + ngettext("%(count)d event", "%(count)d events", len(events)) % {"count": len(events)}
    height = (
        layout.first_lane_y + max(len(lanes), 1) * layout.lane_height - (16 if layout.labels_above else 0)
    )
    return Chart(
        id=f"chart-{next(_ids)}",
        width=layout.width,
        height=height,
        ticks=_ticks(start, end, x, plot_right, layout.max_ticks),
        lanes=lanes,
        events=event_marks,
        today_x=x(today) if start <= today <= end else None,
        plot_left=plot_left,
        plot_right=plot_right,
        event_lane_y=layout.event_lane_y,
        summary=summary,
        omitted=omitted,
        layout=layout.name,
        labels_above=layout.labels_above,
    )


def _lane(letter, y: float, x, today: dt.date) -> Lane:
    sender, recipient = short_name(letter.sender), short_name(letter.recipient)
    label = f"{sender} → {recipient}"
    if len(label) > 24:
        label = label[:23] + "…"
    lane = Lane(y=y, label=label, title=f"{label}: {letter.title}")
    responses = sorted(letter.responses.all(), key=lambda r: r.responded_on)
    replies = [r for r in responses if r.assessment != Assessment.NO_REPLY]
    sincere = next((r for r in replies if r.answers_letter), None)
    state = letter.state  # the letter's DeadlineState, set by the selector
    deadline = letter.response_deadline_on
    is_open = letter.status == LetterStatus.OPEN
    if sincere:
        wait_end = sincere.responded_on
    elif is_open:
        wait_end = today
    else:
        wait_end = max([letter.date, deadline or letter.date, *(r.responded_on for r in replies)])

    if deadline:
        given_end = min(deadline, wait_end) if sincere else deadline
        lane.segments.append(
            Segment(
                x(letter.date),
                x(given_end),
                "given",
                (
                    gettext("Our policy deadline, %(days)s after the letter (the letter states none)")
                    if state.is_ours
                    else gettext("Time given: %(days)s")
                )
                % {"days": days_text((deadline - letter.date).days)},
            )
        )
        if state.overdue:
            lane.segments.append(Segment(x(deadline), x(today), "overdue", state.overdue_label))
    elif wait_end > letter.date:
        lane.segments.append(
            Segment(x(letter.date), x(wait_end), "waiting", gettext("Waiting for a sincere response"))
        )

    lane.marks.append(
        Mark(
            x(letter.date),
            "letter",
            "letter",
            gettext("Letter sent %(date)s") % {"date": format_day(letter.date)},
        )
    )
    if deadline:
        lane.marks.append(
            Mark(
                x(deadline),
                "deadline",
                "overdue" if state.overdue else "deadline",
                state.deadline_label,
            )
        )
    for response in responses:
        lane.marks.append(
            Mark(
                x(response.responded_on),
                "response",
                response.assessment,
                gettext("Response %(date)s: %(assessment)s")
                % {
                    "date": format_day(response.responded_on),
                    "assessment": response.get_assessment_display(),
                },
            )
        )

    first = replies[0] if replies else None
    if first:
        waited = (first.responded_on - letter.date).days
        lane.note = (
            gettext("first reply the same day")
            if waited <= 0
            else gettext("first reply after %(days)s") % {"days": days_text(waited)}
        )
        lane.note_x = (x(letter.date) + x(first.responded_on)) / 2
        lane.note_css = "answered" if sincere else "replied"
    elif is_open:
        lane.note = state.unanswered_label
        lane.note_x = (x(letter.date) + x(today)) / 2
        lane.note_css = "overdue" if state.overdue else "waiting"
    return lane


@register.simple_tag
def timeline_chart(letters, events, now=None, caption="", generation=None):
    """The chart twice: wide for screens, narrow for phones; CSS shows the one that fits.

    With the record's ``generation`` the chart is kept rendered (``core.kept``) under the day it is drawn on
    (its "today"), the letters and events it draws, and where each letter stands (its deadline wording): what
    moves with the clock is all in its name, the rest is the record's."""
    now = now or timezone.now()
    kept = None
    if generation is not None:
        drawn = (
            timezone.localdate(now).isoformat(),
            caption,
            [(letter.pk, letter.state.wording_digest()) for letter in letters],
            [event.pk for event in events],
        )
        kept = Kept(
            Fragments.current("chart", generation), hashlib.sha256(repr(drawn).encode()).hexdigest()[:32]
        )
        found = kept.fragments.get_many([kept.name]) if kept.fragments else {}
        if kept.name in found:
            return found[kept.name][1]
    html = render_to_string(
        "disputes/partials/timeline_chart.html",
        {
            "chart": build_chart(letters, events, now, WIDE),
            "narrow": build_chart(letters, events, now, NARROW),
            "caption": caption,
        },
    )
    if kept is not None:
        kept.keep(None, html)
    return html
