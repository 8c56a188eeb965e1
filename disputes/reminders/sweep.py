"""Reminders: the sweep that decides what is due, the ledger, delivery, and what staff do with a reminder.

How the pieces guarantee "never lost, never twice":

- The **sweep** (one beat, every ``REMINDERS_SWEEP_INTERVAL`` seconds) reads the database and nothing else. For each
  open letter without a sincere response it works out the ladder step the letter is at *now* and writes one ledger
  row per recipient for that step (letters whose deadline our policy derived only while staff let policy deadlines
  remind: ``ReminderSettings``). The unique constraint (letter, deadline version, step, recipient) is the arbiter:
  rows are inserted with ``ON CONFLICT DO NOTHING``, so overlapping or repeated sweeps cannot create a second row.
  A letter already at its current step is looked at again only if someone started following it (or it got a new
  owner) after that step was recorded: they get the step too, once.
- Only one sweep runs at a time (``locks.sweep_lock``); one that finds the lock taken returns at once.
- Deliveries are enqueued, one message per ``REMINDERS_DELIVERY_BATCH`` row ids, after the transaction that marked
  their rows enqueued commits: new rows as they are written (on PostgreSQL the insert marks them), then every other
  pending row that is due (a retry's ``next_attempt_at`` has come) and was not enqueued in the last
  ``REMINDERS_REENQUEUE_AFTER`` seconds (its message was lost). If the broker is down the rows stay pending and
  the next sweep enqueues them.
- **Delivery** claims its rows (pending → sending) in one statement, re-checks that each is still due, sends the
  mail with a deterministic Message-ID, and marks it sent; a temporary failure puts the row back to pending with
  a back-off (see ``delivery``). A second message for the same row finds it no longer pending and does nothing.
- A row left in "sending" longer than ``REMINDERS_SENDING_TIMEOUT`` means a worker died mid-delivery. If it had
  handed the message to the mail server, the server may have accepted it, so the row is flagged
  ``possible_duplicate`` (for a person to see in the admin) and sent again with the same Message-ID: losing a
  reminder is worse than a duplicate that mail clients can recognise. If it had not, it is simply sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.core.access import may_read_q
from disputes.core.errors import IllegalTransition
from disputes.models import (
    Assessment,
    DeliveryStatus,
    DemandLetter,
    Follow,
    LetterStatus,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Response,
    SweepHeartbeat,
)
from disputes.models.letters import answered_sincerely
from disputes.reminders import locks
from disputes.reminders import steps as reminders_config
from disputes.reminders.delivery import INTERRUPTED_NOTE, database_started_at, maybe_handed
from disputes.reminders.pg import server_bound_cursor
from disputes.reminders.recipients import Fallback, readers_among, recipients_by_letter

log = logging.getLogger(__name__)

DELIVER_TASK = "disputes.tasks.deliver_reminders"


# --- The sweep ----------------------------------------------------------------------------------------------


@dataclass
class ScheduledReminder:
    """One ledger row a sweep enqueued, for the report."""

    reminder_id: int
    letter_id: int
    letter_title: str
    kind: str
    step: str
    recipient: str
    again: bool = False


@dataclass
class SweepReport:
    now: dt.datetime
    dry_run: bool = False
    letters_due: int = 0
    late_recipients: int = 0  # letters whose current step went out before someone started following them
    responses_due: int = 0
    interrupted: int = 0
    skipped: bool = False  # another sweep held the lock
    scheduled: list[ScheduledReminder] = field(default_factory=list)

    @property
    def new(self) -> list[ScheduledReminder]:
        return [s for s in self.scheduled if not s.again]

    @property
    def again(self) -> list[ScheduledReminder]:
        return [s for s in self.scheduled if s.again]

    def as_dict(self) -> dict:
        return {
            "now": self.now.isoformat(),
            "dry_run": self.dry_run,
            "letters_due": self.letters_due,
            "late_recipients": self.late_recipients,
            "responses_due": self.responses_due,
            "new": len(self.new),
            "again": len(self.again),
            "interrupted": self.interrupted,
            "skipped": self.skipped,
        }


def deadlines_sweep(*, now: dt.datetime | None = None, dry_run: bool = False) -> SweepReport:
    """Record every reminder now due in the ledger and enqueue the deliveries not yet under way.

    Safe to run at any time and any number of times, concurrently too. Each batch is its own short transaction;
    deliveries are enqueued only after it commits. ``dry_run`` does all the work inside a transaction that is
    rolled back, so the report says exactly what would have been scheduled and nothing is written or enqueued.
    """
    real_now = timezone.now()
    now = now or real_now
    if now > real_now + dt.timedelta(minutes=1) and not dry_run:
        # Rows for steps not yet due would hold the ledger's place and could never be sent in time.
        raise IllegalTransition(_("Only a dry run can sweep as if it were a future time."))
    report = SweepReport(now=now, dry_run=dry_run)
    if dry_run:
        with transaction.atomic():
            _sweep(report)
            transaction.set_rollback(True)
    else:
        with locks.sweep_lock() as held:
            if not held:
                report.skipped = True
                log.info("Another deadline sweep is running; this one has nothing to do.")
                return report
            _sweep(report)
            _heartbeat(report)
    log.info("Deadline sweep: %s", report.as_dict())
    return report


def _heartbeat(report: SweepReport) -> None:
    """Note that a real sweep ran to its end (see ``SweepHeartbeat``)."""
    values = {"last_finished_at": timezone.now(), "last_report": report.as_dict()}
    name = SweepHeartbeat.DEADLINES
    if not SweepHeartbeat.objects.filter(name=name).update(runs=F("runs") + 1, **values):
        SweepHeartbeat.objects.get_or_create(name=name, defaults={**values, "runs": 1})


def _sweep(report: SweepReport) -> None:
    fallback = Fallback()
    _record_deadline_reminders(report, fallback)
    _record_assessment_reminders(report, fallback)
    _recover_interrupted(report)
    _enqueue_pending(report)


def _in_batches(queryset, fields: tuple[str, ...], size: int) -> Iterator[list[dict]]:
    """``queryset`` (ordered by pk) as lists of ``size`` value dicts, each list read by its own keyset query, so
    rows written between batches neither shift nor repeat a batch."""
    last_pk = 0
    while rows := list(queryset.filter(pk__gt=last_pk).values(*fields)[:size]):
        yield rows
        last_pk = rows[-1]["pk"]


def _record_deadline_reminders(report: SweepReport, fallback: Fallback) -> None:
    now, ladder, batch = report.now, reminders_config.ladder(), settings.REMINDERS_SWEEP_BATCH
    # The latest step already recorded for the letter's current deadline: letters already at that step are
    # skipped without touching the ledger, so a sweep over a quiet database is one indexed query per batch,
    # unless someone who may read the record started following the letter (or became its owner) after that
    # step was recorded: the reader rule (core.access.may_read_q) decides, as it does for every recipient.
    recorded = Reminder.objects.filter(
        letter=OuterRef("pk"), deadline_version=OuterRef("deadline_version"), kind=ReminderKind.DEADLINE
    )
    late_follow = Follow.objects.filter(
        Q(letter=OuterRef("pk")) | Q(dispute=OuterRef("dispute_id")),
        may_read_q("user__"),
        created_at__gt=OuterRef("latest_recorded"),
    )
    owner_told = recorded.filter(recipient=OuterRef("owner_id"), due_at=OuterRef("latest_due"))
    letters = (
        DemandLetter.objects.open()
        .unanswered()
        .filter(response_deadline_at__isnull=False, response_deadline_at__lte=now + ladder.lead_time)
        # Staff may turn reminders for policy deadlines off (the admin's reminder settings).
        .exclude(ReminderSettings.silenced_q())
        .annotate(
            latest_due=Subquery(recorded.order_by("-due_at").values("due_at")[:1]),
            latest_recorded=Subquery(recorded.order_by("-created_at").values("created_at")[:1]),
        )
        .annotate(late_follow=Exists(late_follow), owner_told=Exists(owner_told))
        .order_by("pk")
    )
    fields = (
        "pk",
        "title",
        "dispute_id",
        "owner_id",
        "deadline_version",
        "response_deadline_at",
        "latest_due",
        "late_follow",
        "owner_told",
    )
    for rows in _in_batches(letters, fields, batch):
        due, late = [], 0
        # Owners who may read the record (one query for the batch, rather than a subquery for each letter).
        reading_owners = readers_among({row["owner_id"] for row in rows if row["latest_due"] is not None})
        for row in rows:
            step = ladder.step_at(row["response_deadline_at"], now)
            if step is None:
                continue
            if row["latest_due"] is not None and row["latest_due"] >= step.due_at:
                new_owner = row["owner_id"] in reading_owners and not row["owner_told"]
                if row["latest_due"] > step.due_at or not (row["late_follow"] or new_owner):
                    continue
                late += 1  # the same step, for whoever was not told yet (the constraint skips the others)
            due.append((row, step))
        if due:
            recipients = recipients_by_letter([row for row, _step in due], fallback)
            _record(
                report,
                [
                    LedgerRow(
                        kind=ReminderKind.DEADLINE,
                        letter_id=row["pk"],
                        letter_title=row["title"],
                        deadline_version=row["deadline_version"],
                        step=step.name,
                        due_at=step.due_at,
                        recipient_id=user_id,
                    )
                    for row, step in due
                    for user_id in recipients[row["pk"]]
                ],
            )
            report.letters_due += len(due) - late
            report.late_recipients += late


def _record_assessment_reminders(report: SweepReport, fallback: Fallback) -> None:
    """A response that has waited unassessed ``REMINDERS_ASSESSMENT_DAYS`` gets one reminder to assess it.

    Its ledger row has ``deadline_version`` 0 (it does not depend on the deadline) and step ``assess-<response>``.
    """
    now, batch = report.now, settings.REMINDERS_SWEEP_BATCH
    waited = reminders_config.assessment_after()
    responses = (
        Response.objects.filter(
            assessment=Assessment.NOT_ASSESSED, created_at__lte=now - waited, letter__status=LetterStatus.OPEN
        )
        .filter(
            ~answered_sincerely(OuterRef("letter")), ~Exists(Reminder.objects.filter(response=OuterRef("pk")))
        )
        .order_by("pk")
    )
    fields = (
        "pk",
        "created_at",
        "letter_id",
        "letter__title",
        "letter__dispute_id",
        "letter__owner_id",
    )
    for rows in _in_batches(responses, fields, batch):
        letters = {
            row["letter_id"]: {
                "pk": row["letter_id"],
                "dispute_id": row["letter__dispute_id"],
                "owner_id": row["letter__owner_id"],
            }
            for row in rows
        }
        recipients = recipients_by_letter(list(letters.values()), fallback)
        _record(
            report,
            [
                LedgerRow(
                    kind=ReminderKind.ASSESSMENT,
                    letter_id=row["letter_id"],
                    letter_title=row["letter__title"],
                    response_id=row["pk"],
                    deadline_version=0,
                    step=f"assess-{row['pk']}",
                    due_at=row["created_at"] + waited,
                    recipient_id=user_id,
                )
                for row in rows
                for user_id in recipients[row["letter_id"]]
            ],
        )
        report.responses_due += len(rows)


@dataclass(frozen=True)
class LedgerRow:
    """A ledger row the sweep means to write (if the ledger has no row for its step and recipient yet)."""

    kind: str
    letter_id: int
    letter_title: str
    deadline_version: int
    step: str
    due_at: dt.datetime
    recipient_id: int
    response_id: int | None = None


# The ledger columns a new row takes from ``LedgerRow``; the others get the model's defaults (``_insert_enqueued``).
_INSERT_COLUMNS = ("kind", "letter", "response", "deadline_version", "step", "due_at", "recipient")


def _record(report: SweepReport, rows: list[LedgerRow]) -> None:
    """Write ``rows`` to the ledger, skipping those it already has (its unique constraint decides), in one
    transaction; the new rows are enqueued as it commits.

    On PostgreSQL that is one ``INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING`` (the rows go in
    as seven arrays, not as model instances, and are marked enqueued in the same statement); elsewhere (SQLite,
    the embedded default, where speed is not the point) ``bulk_create``, and ``_enqueue_pending`` enqueues them.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        with transaction.atomic():
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        kind=row.kind,
                        letter_id=row.letter_id,
                        response_id=row.response_id,
                        deadline_version=row.deadline_version,
                        step=row.step,
                        due_at=row.due_at,
                        recipient_id=row.recipient_id,
                    )
                    for row in rows
                ],
                ignore_conflicts=True,
            )
        return
    with transaction.atomic():
        inserted = _insert_enqueued(rows, enqueued_at=report.now)
        if inserted:
            transaction.on_commit(partial(deliveries_publish, [pk for pk, *_rest in inserted]))
    titles = {row.letter_id: row.letter_title for row in rows}
    usernames = _usernames({recipient_id for _pk, _letter, _step, _kind, recipient_id in inserted})
    report.scheduled.extend(
        ScheduledReminder(
            reminder_id=pk,
            letter_id=letter_id,
            letter_title=titles[letter_id],
            kind=kind,
            step=step,
            recipient=usernames[recipient_id],
        )
        for pk, letter_id, step, kind, recipient_id in inserted
    )


def _insert_enqueued(
    rows: list[LedgerRow], *, enqueued_at: dt.datetime
) -> list[tuple[int, int, str, str, int]]:
    """PostgreSQL: insert the new ``rows`` as pending and enqueued at ``enqueued_at``; (id, letter, step, kind,
    recipient) of each row inserted. Every other column gets the model field's default, so a field added to the
    ledger later needs no change here."""
    meta = Reminder._meta
    fields = {f.name: f for f in meta.concrete_fields}
    column: dict[str, str] = {f.name: f.column for f in meta.concrete_fields if f.column}  # each has one
    given = [fields[name] for name in _INSERT_COLUMNS]
    fixed = {"enqueued_at": enqueued_at, "created_at": timezone.now()}
    rest = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
    quote = connection.ops.quote_name
    unique = ", ".join(quote(column[name]) for name in ("letter", "deadline_version", "step", "recipient"))
    returned = ", ".join(quote(column[name]) for name in ("id", "letter", "step", "kind", "recipient"))
    # Only names and types from the model (names quoted) and placeholders go into the text; values are parameters,
    # the columns' values as one binary array each (%b).
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(column[f.name]) for f in [*given, *rest])}) "  # noqa: S608
        f"SELECT u.*, {', '.join(f'%s::{f.cast_db_type(connection)}' for f in rest)} "
        f"FROM unnest({', '.join(f'%b::{f.cast_db_type(connection)}[]' for f in given)}) AS u "
        f"ON CONFLICT ({unique}) DO NOTHING RETURNING {returned}"
    )
    defaults = [
        f.get_db_prep_save(fixed[f.name] if f.name in fixed else f.get_default(), connection) for f in rest
    ]
    columns = [[getattr(row, f.attname) for row in rows] for f in given]
    with server_bound_cursor() as cursor:
        cursor.execute(sql, [*defaults, *columns])
        return cursor.fetchall()


def _usernames(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))


def _recover_interrupted(report: SweepReport) -> None:
    """Rows stuck in "sending": the worker died mid-delivery. Put them back in the queue; flag those whose message
    had been handed to the mail server (it may have arrived), and only those."""
    cutoff = report.now - reminders_config.sending_timeout()
    interrupted = Reminder.objects.filter(status=DeliveryStatus.SENDING, sending_started_at__lt=cutoff)
    if not interrupted.exists():
        return
    handed = maybe_handed(database_started_at())
    with transaction.atomic():
        report.interrupted = interrupted.update(
            status=DeliveryStatus.PENDING,
            possible_duplicate=Case(
                When(handed, then=Value(True)), default=F("possible_duplicate"), output_field=BooleanField()
            ),
            last_error=Case(
                When(handed, then=Value(INTERRUPTED_NOTE)), default=F("last_error"), output_field=TextField()
            ),
            enqueued_at=None,
            next_attempt_at=None,
            claimed_by="",
            handed_at=None,
        )
    if report.interrupted:
        log.warning("%d reminder deliveries were interrupted; sending them again.", report.interrupted)


def _enqueue_pending(report: SweepReport) -> None:
    """Enqueue pending rows that are due (a retry's time has come) and were not enqueued lately: never enqueued,
    failed for a while, or enqueued so long ago that the message may have been lost.

    A row this sweep already enqueued (a new one) is not enqueued twice by it: if the broker refused it, its
    ``enqueued_at`` was cleared and the next sweep tries again.
    """
    now, batch = report.now, settings.REMINDERS_SWEEP_BATCH
    stale = now - reminders_config.reenqueue_after()
    pending = Reminder.objects.filter(status=DeliveryStatus.PENDING, due_at__lte=now).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale),
    )
    tried = {s.reminder_id for s in report.scheduled}
    last_pk = 0
    while True:
        with transaction.atomic():
            # SKIP LOCKED: a concurrent writer's rows are left for the next sweep rather than waited for.
            found = list(
                pending.filter(pk__gt=last_pk)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .values_list(
                    "pk",
                    "enqueued_at",
                    "attempts",
                    "letter_id",
                    "letter__title",
                    "kind",
                    "step",
                    "recipient__username",
                )[:batch]
            )
            if not found:
                return
            last_pk = found[-1][0]
            rows = [row for row in found if row[0] not in tried]
            ids = [row[0] for row in rows]
            if ids:
                Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
                transaction.on_commit(partial(deliveries_publish, ids))
        report.scheduled.extend(
            ScheduledReminder(
                reminder_id=pk,
                letter_id=letter_id,
                letter_title=title,
                kind=kind,
                step=step,
                recipient=username,
                again=enqueued_at is not None or attempts > 0,
            )
            for pk, enqueued_at, attempts, letter_id, title, kind, step, username in rows
        )
        if len(found) < batch:
            return


def _publish(chunks: list[list[int]]) -> Iterator[list[int]]:
    """Publish each chunk of ids as one delivery message, all over one broker connection; yield each once sent.

    By task name, so that a process that never imported the tasks module (the web server) can publish too.
    """
    app = current_app
    with app.producer_or_acquire() as producer:
        for chunk in chunks:
            app.send_task(DELIVER_TASK, args=(chunk,), producer=producer)
            yield chunk


def deliveries_publish(reminder_ids: list[int]) -> None:
    """Publish the deliveries of ``reminder_ids``, one message per ``REMINDERS_DELIVERY_BATCH`` ids, over one
    broker connection (runs after commit). Never raises.

    If the broker is unreachable the rows not yet published get their ``enqueued_at`` cleared, so the very next
    sweep enqueues them instead of waiting for them to look lost.
    """
    size = max(1, settings.REMINDERS_DELIVERY_BATCH)
    chunks = [reminder_ids[i : i + size] for i in range(0, len(reminder_ids), size)]
    published = 0
    try:
        for chunk in _publish(chunks):
            published += len(chunk)
    except Exception:  # noqa: BLE001 - whatever the broker raised, the ledger keeps the work
        left = reminder_ids[published:]
        log.exception(
            "Could not enqueue %d reminder deliveries (broker unavailable?); they stay pending for the next sweep.",
            len(left),
        )
        Reminder.objects.filter(pk__in=left, status=DeliveryStatus.PENDING).update(enqueued_at=None)
