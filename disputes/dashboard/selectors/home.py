"""The home page: what is overdue, what is due soon, and where disputes stand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    Prefetch,
    prefetch_related_objects,
)
from django.utils import timezone

from disputes.core.kept import kept_result
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
    letter: DemandLetter
    state: DeadlineState
    reminder: Reminder | None
    followers: list
    told: list  # who the latest reminder step was delivered to, from the ledger (not who follows now)
    reminds: bool = True  # False: a policy deadline while staff have turned reminders for those off


@dataclass
class StageCount:
    stage: str
    label: StrOrPromise
    count: int


@dataclass
class HomeDashboard:
    overdue: list[OverdueRow]
    due_soon: list[DemandLetter]
    awaiting_assessment: list[Response]
    overdue_count: int  # all of them, however many the lists show
    due_soon_count: int
    awaiting_count: int
    latest_events: list[Event]
    stage_counts: list[StageCount]
    dispute_total: int
    now: dt.datetime
    horizon_days: int


HOME_OVERDUE_LIMIT = 20  # the most overdue; the count and a link lead to all of them
HOME_LIST_LIMIT = 10


def _followers(follows) -> list:
    seen, users = set(), []
    for follow in follows:
        if follow.user_id not in seen:
            seen.add(follow.user_id)
            users.append(follow.user)
    return users


def _record_lists() -> tuple[list[Response], int, list[Event], dict[str, int]]:
    """The responses waiting for assessment (the latest, and how many), the latest events, disputes per stage."""
    awaiting = Response.objects.awaiting_assessment()
    return (
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


def home_dashboard(*, now: dt.datetime | None = None, horizon_days: int = 30) -> HomeDashboard:
    """What a member of staff checks first: overdue letters, deadlines ahead, unassessed responses, news, each
    list with the number of all its entries, however many it shows.

    Sixteen queries whatever the data size (with the record's generation, under which what does not move with
    the clock is kept, and the next deadline to pass, until which the overdue letters are kept).
    """
    now = now or timezone.now()
    generation = current_generation()
    follows = Follow.objects.select_related("user").order_by("created_at")
    overdue_letters = DemandLetter.objects.overdue(at=now)
    # Which letters are overdue moves with the clock, but only when the deadline of an open, unanswered letter
    # passes: until the next such deadline (one indexed lookup) and the next write, the ids of the most overdue
    # and their number stay as they are, and are kept under both. The letters themselves (with their demands)
    # are the record's and kept for its generation; who follows them and the reminders sent are read every time.
    next_to_pass = (
        DemandLetter.objects.open()
        .unanswered()
        .filter(response_deadline_at__gte=now)
        .order_by("response_deadline_at")
        .values_list("response_deadline_at", flat=True)
        .first()
    )
    overdue_ids, overdue_count = kept_result(
        "home-overdue",
        generation,
        {"until": next_to_pass},
        lambda: (
            list(
                overdue_letters.order_by("response_deadline_at", "id").values_list("pk", flat=True)[
                    :HOME_OVERDUE_LIMIT
                ]
            ),
            overdue_letters.count(),
        ),
    )
    loaded = {
        letter.pk: letter
        for letter in kept_result(
            "home-overdue-letters",
            generation,
            {"ids": overdue_ids},
            lambda: (
                list(
                    ReminderSettings.with_silenced(DemandLetter.objects.filter(pk__in=overdue_ids))
                    .select_related("sender", "recipient", "dispute")
                    .prefetch_related("demands")
                )
                if overdue_ids
                else []
            ),
        )
    }
    overdue_letters_qs = [loaded[pk] for pk in overdue_ids if pk in loaded]
    prefetch_related_objects(
        overdue_letters_qs,
        Prefetch("follows", queryset=follows, to_attr="letter_follows"),
        Prefetch("dispute__follows", queryset=follows, to_attr="dispute_follows"),
        Prefetch(
            "reminders",
            queryset=Reminder.objects.filter(kind=ReminderKind.DEADLINE)
            .exclude(status=DeliveryStatus.CANCELLED)
            .select_related("recipient")
            .order_by("-due_at", "-id"),
            to_attr="deadline_reminders",
        ),
    )
    overdue = []
    for letter in overdue_letters_qs:
        current = [r for r in letter.deadline_reminders if r.deadline_version == letter.deadline_version]
        reminder = current[0] if current else None
        told = (
            [r.recipient for r in current if r.step == reminder.step and r.status == DeliveryStatus.SENT]
            if reminder
            else []
        )
        overdue.append(
            OverdueRow(
                letter=letter,
                state=letter.deadline_state(at=now, answered=False),
                reminder=reminder,
                told=told,
                followers=_followers([*letter.dispute.dispute_follows, *letter.letter_follows]),
                reminds=not letter.silenced,
            )
        )
    due = DemandLetter.objects.due_between(now, now + dt.timedelta(days=horizon_days))
    due_soon = list(
        due.select_related("sender", "recipient", "dispute").order_by("response_deadline_at", "id")[
            :HOME_LIST_LIMIT
        ]
    )
    for letter in due_soon:
        letter.state = letter.deadline_state(at=now, answered=False)
    # The lists that do not move with the clock are kept for the record's generation (``core.kept``).
    awaiting, awaiting_count, latest_events, counts = kept_result(
        "home-record", generation, {}, _record_lists
    )
    stage_counts = [StageCount(value, label, counts.get(value, 0)) for value, label in Stage.choices]
    return HomeDashboard(
        overdue=overdue,
        due_soon=due_soon,
        awaiting_assessment=awaiting,
        overdue_count=overdue_count,
        due_soon_count=due.count(),
        awaiting_count=awaiting_count,
        latest_events=latest_events,
        stage_counts=stage_counts,
        dispute_total=sum(counts.values()),
        now=now,
        horizon_days=horizon_days,
    )
