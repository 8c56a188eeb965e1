"""The home page: what is overdue, what is due soon, and where disputes stand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from disputes.core.kept import Fragments, Kept, kept_result
from disputes.dashboard.selectors.kept_letters import kept_letter_rows
from disputes.models import (
    DeliveryStatus,
    DemandLetter,
    Dispute,
    Event,
    Follow,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Response,
    Stage,
    current_generation,
)
from disputes.models.deadline_state import DeadlineState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# --- Home -------------------------------------------------------------------------------------------------


@dataclass
class OverdueRow:
    """One overdue letter: where it stands (``state``), its kept HTML or, when that was not kept, the letter to
    render it from (``kept``, ``letter``), and what is read on every view: its reminder ledger and followers."""

    pk: int
    state: DeadlineState
    kept: Kept
    dispute_id: int
    deadline_version: int
    reminder: Reminder | None = None
    followers: list = field(default_factory=list)
    told: list = field(default_factory=list)  # who the latest reminder step was delivered to, from the ledger
    reminds: bool = True  # False: a policy deadline while staff have turned reminders for those off
    letter: DemandLetter | None = None  # loaded only when its HTML was not kept


@dataclass
class DueRow:
    """One letter due within the horizon: where it stands, and its kept HTML or the letter to render it from."""

    pk: int
    state: DeadlineState
    kept: Kept
    letter: DemandLetter | None = None


@dataclass
class StageCount:
    stage: str
    label: StrOrPromise
    count: int


class HomeRecord:
    """What the home page shows of the record alone (responses waiting for assessment, latest events, disputes
    per stage), read from the database only when a section that shows it was not kept rendered."""

    @cached_property
    def _lists(self) -> _RecordLists:
        return _record_lists()

    @property
    def awaiting_assessment(self) -> list[Response]:
        return self._lists.awaiting

    @property
    def awaiting_count(self) -> int:
        return self._lists.awaiting_count

    @property
    def latest_events(self) -> list[Event]:
        return self._lists.latest_events

    @property
    def stage_counts(self) -> list[StageCount]:
        counts = self._lists.stage_counts
        return [StageCount(value, label, counts.get(value, 0)) for value, label in Stage.choices]

    @property
    def dispute_total(self) -> int:
        return sum(self._lists.stage_counts.values())


@dataclass
class Section:
    """A section of the home page rendered from the record alone, kept as HTML (``entry_html``)."""

    record: HomeRecord
    kept: Kept


@dataclass
class HomeDashboard:
    overdue: list[OverdueRow]
    due_soon: list[DueRow]
    overdue_count: int  # all of them, however many the lists show
    due_soon_count: int
    record: HomeRecord
    sections: dict[str, Section]
    now: dt.datetime
    horizon_days: int

    @property
    def awaiting_assessment(self) -> list[Response]:
        return self.record.awaiting_assessment

    @property
    def latest_events(self) -> list[Event]:
        return self.record.latest_events

    @property
    def stage_counts(self) -> list[StageCount]:
        return self.record.stage_counts

    @property
    def dispute_total(self) -> int:
        return self.record.dispute_total


HOME_OVERDUE_LIMIT = 20  # the most overdue; the count and a link lead to all of them
HOME_LIST_LIMIT = 10
RECORD_SECTIONS = ("stages", "awaiting", "events")
# What a kept list holds of each letter: enough to work out where it stands at any instant, and to read its
# reminders and followers, without loading it.
_LETTER_COLUMNS = ("pk", "dispute_id", "deadline_version", "silenced", *DemandLetter.DEADLINE_STATE_FIELDS)


def _followers(follows) -> list:
    seen, users = set(), []
    for follow in follows:
        if follow.user_id not in seen:
            seen.add(follow.user_id)
            users.append(follow.user)
    return users


class _RecordLists(NamedTuple):
    awaiting: list[Response]
    awaiting_count: int
    latest_events: list[Event]
    stage_counts: dict[str, int]


def _record_lists() -> _RecordLists:
    """The responses waiting for assessment (the latest, and how many), the latest events, disputes per stage."""
    awaiting = Response.objects.awaiting_assessment()
    return _RecordLists(
        list(
            awaiting.select_related("responder", "letter", "letter__dispute", "letter__sender").order_by(
                "-responded_on", "-id"
            )[:HOME_LIST_LIMIT]
        ),
        awaiting.count(),
        list(
            Event.objects.select_related("actor", "actor_person")
            .prefetch_related(
                Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title", "title_ja"))
            )
            .order_by("-date", "-id")[:HOME_LIST_LIMIT]
        ),
        dict(Dispute.objects.order_by().values_list("stage").annotate(n=Count("pk"))),
    )


def _letter_rows(letters: QuerySet, limit: int) -> tuple[list[tuple], int]:
    """The first ``limit`` of ``letters`` by deadline, as plain values (``_LETTER_COLUMNS``), and how many there
    are in all: what the home page keeps of a list of letters."""
    rows = ReminderSettings.with_silenced(letters).order_by("response_deadline_at", "id")
    return list(rows.values_list(*_LETTER_COLUMNS)[:limit]), letters.count()


def _as_rows(values: list[tuple]) -> list[dict]:
    """The kept values of a list of letters as ``kept_letter_rows`` reads them: every one is unanswered."""
    return [{**dict(zip(_LETTER_COLUMNS, row, strict=True)), "answered": False} for row in values]


def _loader(*prefetch: str) -> Callable[[list[int]], dict[int, DemandLetter]]:
    def load(pks: list[int]) -> dict[int, DemandLetter]:
        letters = DemandLetter.objects.select_related("sender", "recipient", "dispute").in_bulk(pks)
        prefetch_related_objects(list(letters.values()), *prefetch)
        return letters

    return load


def _add_reminders_and_followers(rows: list[OverdueRow]) -> None:
    """Each overdue letter's reminder ledger (its latest step for the current deadline, and who it reached) and
    who follows it or its dispute: read on every view (two queries), as they change without the record."""
    if not rows:
        return
    pks = [row.pk for row in rows]
    follows: dict[tuple[str, int | None], list[Follow]] = {}
    for follow in (
        Follow.objects.filter(Q(letter_id__in=pks) | Q(dispute_id__in={row.dispute_id for row in rows}))
        .select_related("user")
        .order_by("created_at", "id")
    ):
        if follow.letter_id:
            follows.setdefault(("letter", follow.letter_id), []).append(follow)
        else:
            follows.setdefault(("dispute", follow.dispute_id), []).append(follow)
    reminders: dict[int, list[Reminder]] = {}
    for reminder in (
        Reminder.objects.filter(letter_id__in=pks, kind=ReminderKind.DEADLINE)
        .exclude(status=DeliveryStatus.CANCELLED)
        .select_related("recipient")
        .order_by("-due_at", "-id")
    ):
        reminders.setdefault(reminder.letter_id, []).append(reminder)
    for row in rows:
        row.followers = _followers(
            [*follows.get(("dispute", row.dispute_id), []), *follows.get(("letter", row.pk), [])]
        )
        current = [r for r in reminders.get(row.pk, []) if r.deadline_version == row.deadline_version]
        row.reminder = current[0] if current else None
        if row.reminder:
            step = row.reminder.step
            row.told = [r.recipient for r in current if r.step == step and r.status == DeliveryStatus.SENT]


def home_dashboard(*, now: dt.datetime | None = None, horizon_days: int = 30) -> HomeDashboard:
    """What a member of staff checks first: overdue letters, deadlines ahead, unassessed responses, news, each
    list with the number of all its entries, however many it shows.

    Which letters are overdue or due within the horizon moves with the clock, but only when a deadline passes
    or comes within the horizon: until the next deadline to pass and the next to come within it (two indexed
    lookups) and the next write to the record (its generation, one more), both lists are kept, with their
    letters' HTML under where each stands (its deadline's wording). The sections that show the record alone
    are kept as HTML for the generation. Who follows the overdue letters and the reminders sent are read on
    every view (two queries): five queries in all when everything was kept, twelve when nothing was (and five
    more for the record's sections, read only when rendered).
    """
    now = now or timezone.now()
    generation = current_generation()
    horizon = now + dt.timedelta(days=horizon_days)
    deadlines = DemandLetter.objects.open().unanswered().order_by("response_deadline_at")
    next_to_pass = (
        deadlines.filter(response_deadline_at__gte=now).values_list("response_deadline_at", flat=True).first()
    )
    next_to_come = (
        deadlines.filter(response_deadline_at__gte=horizon)
        .values_list("response_deadline_at", flat=True)
        .first()
    )
    overdue_values, overdue_count = kept_result(
        "home-overdue",
        generation,
        {"until": next_to_pass},
        lambda: _letter_rows(DemandLetter.objects.overdue(at=now), HOME_OVERDUE_LIMIT),
    )
    due_values, due_count = kept_result(
        "home-due",
        generation,
        {"until": next_to_pass, "next": next_to_come, "days": horizon_days},
        lambda: _letter_rows(DemandLetter.objects.due_between(now, horizon), HOME_LIST_LIMIT),
    )
    overdue: list[OverdueRow] = kept_letter_rows(
        "home-overdue-letter",
        generation,
        _as_rows(overdue_values),
        now,
        lambda row, state, kept: OverdueRow(
            pk=row["pk"],
            state=state,
            kept=kept,
            dispute_id=row["dispute_id"],
            deadline_version=row["deadline_version"],
            reminds=not row["silenced"],
        ),
        _loader("demands"),
    )
    _add_reminders_and_followers(overdue)
    due_soon: list[DueRow] = kept_letter_rows(
        "home-due-letter",
        generation,
        _as_rows(due_values),
        now,
        lambda row, state, kept: DueRow(row["pk"], state, kept),
        _loader(),
    )
    record = HomeRecord()
    fragments = Fragments.current("home-record", generation)
    found = fragments.get_many(RECORD_SECTIONS)
    sections = {
        name: Section(record, Kept(fragments, name, found[name][1] if name in found else None))
        for name in RECORD_SECTIONS
    }
    return HomeDashboard(
        overdue=overdue,
        due_soon=due_soon,
        overdue_count=overdue_count,
        due_soon_count=due_count,
        record=record,
        sections=sections,
        now=now,
        horizon_days=horizon_days,
    )
