"""Reminders: the sweep that decides what is due, the ledger, delivery, and what staff do with a reminder.

How the pieces guarantee "never lost, never twice":

- The **sweep** (one beat, every ``REMINDERS_SWEEP_INTERVAL`` seconds) reads the database and nothing else. For each
  open letter without a sincere response it works out the ladder step the letter is at *now* and writes one ledger
  row per recipient for that step. The unique constraint (letter, deadline version, step, recipient) is the arbiter:
  rows are inserted with ``ON CONFLICT DO NOTHING``, so overlapping or repeated sweeps cannot create a second row.
- The sweep then enqueues a delivery for every pending row that was never enqueued, or whose message may have been
  lost (enqueued longer than ``REMINDERS_REENQUEUE_AFTER`` ago), after its transaction commits. If the broker is
  down the rows stay pending and the next sweep enqueues them.
- **Delivery** claims its row (pending → sending) in a short transaction, re-checks that the reminder is still due,
  sends the mail with a deterministic Message-ID, and marks it sent. A second message for the same row finds it no
  longer pending and does nothing.
- A row left in "sending" longer than ``REMINDERS_SENDING_TIMEOUT`` means a worker died mid-delivery. The mail
  server may or may not have accepted the message, so the row is flagged ``possible_duplicate`` (for a person to
  see in the admin) and sent again with the same Message-ID: losing a reminder is worse than a duplicate that
  mail clients can recognise. This is the only window for a duplicate.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from disputes import reminders_config, timezones
from disputes.errors import IllegalTransition
from disputes.models import (
    Assessment,
    DeliveryStatus,
    DemandLetter,
    Follow,
    LetterStatus,
    Reminder,
    ReminderKind,
    Response,
    SweepHeartbeat,
)

log = logging.getLogger(__name__)

INTERRUPTED_NOTE = (
    "Delivery was interrupted while sending (the worker stopped). The mail server may have accepted it, "
    "so it may arrive twice; it was sent again with the same Message-ID."
)


class ReminderDeliveryError(Exception):
    """A delivery failed for a reason that may pass (mail server unavailable, 4xx reply): retry later."""


# --- Recipients ---------------------------------------------------------------------------------------------


def fallback_recipient_ids() -> list[int]:
    """Active members of the fallback group (created on demand); if it has none, the active superusers.

    A reminder with nobody to tell would be a lost reminder, so the last resort is the site's administrators.
    """
    group, _created = Group.objects.get_or_create(name=settings.REMINDERS_FALLBACK_GROUP)
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    ids = list(users.filter(groups=group).values_list("pk", flat=True))
    if not ids:
        log.warning(
            "The reminder fallback group %r has no active members: telling the superusers instead.",
            settings.REMINDERS_FALLBACK_GROUP,
        )
        ids = list(users.filter(is_superuser=True).values_list("pk", flat=True))
    return ids


class _Fallback:
    """The fallback recipients, looked up once per sweep and only if some letter needs them."""

    def __init__(self) -> None:
        self._ids: list[int] | None = None

    def __call__(self) -> list[int]:
        if self._ids is None:
            self._ids = fallback_recipient_ids()
        return self._ids


def _recipients_by_letter(letters: list[dict], fallback: _Fallback) -> dict[int, list[int]]:
    """Who is told about each letter: followers of the letter or its dispute and the owner, else the fallback.

    ``letters`` are dicts with ``pk``, ``dispute_id``, ``owner_id`` and ``owner__is_active``. Two queries at most,
    whatever the number of letters.
    """
    letter_ids = [row["pk"] for row in letters]
    dispute_ids = {row["dispute_id"] for row in letters}
    by_letter: dict[int, set[int]] = defaultdict(set)
    by_dispute: dict[int, set[int]] = defaultdict(set)
    follows = Follow.objects.filter(
        Q(letter_id__in=letter_ids) | Q(dispute_id__in=dispute_ids), user__is_active=True
    ).values_list("user_id", "letter_id", "dispute_id")
    for user_id, letter_id, dispute_id in follows:
        if letter_id:
            by_letter[letter_id].add(user_id)
        else:
            by_dispute[dispute_id].add(user_id)
    result = {}
    for row in letters:
        ids = by_letter[row["pk"]] | by_dispute[row["dispute_id"]]
        if row["owner_id"] and row["owner__is_active"]:
            ids.add(row["owner_id"])
        result[row["pk"]] = sorted(ids) if ids else fallback()
    return result


def letter_recipient_ids(letter: DemandLetter) -> list[int]:
    """The user ids a reminder about ``letter`` goes to now."""
    owner_active = bool(letter.owner_id) and letter.owner.is_active
    row = {
        "pk": letter.pk,
        "dispute_id": letter.dispute_id,
        "owner_id": letter.owner_id,
        "owner__is_active": owner_active,
    }
    return _recipients_by_letter([row], _Fallback())[letter.pk]


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
    responses_due: int = 0
    interrupted: int = 0
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
            "responses_due": self.responses_due,
            "new": len(self.new),
            "again": len(self.again),
            "interrupted": self.interrupted,
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
    fallback = _Fallback()
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


def _record_deadline_reminders(report: SweepReport, fallback: _Fallback) -> None:
    now, ladder, batch = report.now, reminders_config.ladder(), settings.REMINDERS_SWEEP_BATCH
    # The latest step already recorded for the letter's current deadline: letters already at that step are
    # skipped without touching the ledger, so a sweep over a quiet database is one indexed query per batch.
    latest_due = (
        Reminder.objects.filter(
            letter=OuterRef("pk"), deadline_version=OuterRef("deadline_version"), kind=ReminderKind.DEADLINE
        )
        .order_by("-due_at")
        .values("due_at")[:1]
    )
    letters = (
        DemandLetter.objects.open()
        .unanswered()
        .filter(response_deadline_at__isnull=False, response_deadline_at__lte=now + ladder.lead_time)
        .annotate(latest_due=Subquery(latest_due))
        .order_by("pk")
    )
    fields = (
        "pk",
        "dispute_id",
        "owner_id",
        "owner__is_active",
        "deadline_version",
        "response_deadline_at",
        "latest_due",
    )
    for rows in _in_batches(letters, fields, batch):
        due = []
        for row in rows:
            step = ladder.step_at(row["response_deadline_at"], now)
            if step is None or (row["latest_due"] is not None and row["latest_due"] >= step.due_at):
                continue
            due.append((row, step))
        if due:
            with transaction.atomic():
                recipients = _recipients_by_letter([row for row, _step in due], fallback)
                Reminder.objects.bulk_create(
                    [
                        Reminder(
                            kind=ReminderKind.DEADLINE,
                            letter_id=row["pk"],
                            deadline_version=row["deadline_version"],
                            step=step.name,
                            due_at=step.due_at,
                            recipient_id=user_id,
                        )
                        for row, step in due
                        for user_id in recipients[row["pk"]]
                    ],
                    ignore_conflicts=True,
                )
            report.letters_due += len(due)


def _record_assessment_reminders(report: SweepReport, fallback: _Fallback) -> None:
    """A response that has waited unassessed ``REMINDERS_ASSESSMENT_DAYS`` gets one reminder to assess it.

    Its ledger row has ``deadline_version`` 0 (it does not depend on the deadline) and step ``assess-<response>``.
    """
    now, batch = report.now, settings.REMINDERS_SWEEP_BATCH
    waited = reminders_config.assessment_after()
    sincere = Response.objects.filter(letter=OuterRef("letter"), assessment=Assessment.SINCERE)
    responses = (
        Response.objects.filter(
            assessment=Assessment.NOT_ASSESSED, created_at__lte=now - waited, letter__status=LetterStatus.OPEN
        )
        .filter(~Exists(sincere), ~Exists(Reminder.objects.filter(response=OuterRef("pk"))))
        .order_by("pk")
    )
    fields = (
        "pk",
        "created_at",
        "letter_id",
        "letter__dispute_id",
        "letter__owner_id",
        "letter__owner__is_active",
    )
    for rows in _in_batches(responses, fields, batch):
        letters = {
            row["letter_id"]: {
                "pk": row["letter_id"],
                "dispute_id": row["letter__dispute_id"],
                "owner_id": row["letter__owner_id"],
                "owner__is_active": row["letter__owner__is_active"],
            }
            for row in rows
        }
        with transaction.atomic():
            recipients = _recipients_by_letter(list(letters.values()), fallback)
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        kind=ReminderKind.ASSESSMENT,
                        letter_id=row["letter_id"],
                        response_id=row["pk"],
                        deadline_version=0,
                        step=f"assess-{row['pk']}",
                        due_at=row["created_at"] + waited,
                        recipient_id=user_id,
                    )
                    for row in rows
                    for user_id in recipients[row["letter_id"]]
                ],
                ignore_conflicts=True,
            )
        report.responses_due += len(rows)


def _recover_interrupted(report: SweepReport) -> None:
    """Rows stuck in "sending": the worker died mid-delivery. Flag them and put them back in the queue."""
    cutoff = report.now - reminders_config.sending_timeout()
    with transaction.atomic():
        report.interrupted = Reminder.objects.filter(
            status=DeliveryStatus.SENDING, sending_started_at__lt=cutoff
        ).update(
            status=DeliveryStatus.PENDING,
            possible_duplicate=True,
            enqueued_at=None,
            last_error=INTERRUPTED_NOTE,
        )
    if report.interrupted:
        log.warning("%d reminder deliveries were interrupted; sending them again.", report.interrupted)


def _enqueue_pending(report: SweepReport) -> None:
    """Enqueue pending rows never enqueued, or enqueued so long ago that the message may have been lost."""
    now, batch = report.now, settings.REMINDERS_SWEEP_BATCH
    stale = now - reminders_config.reenqueue_after()
    pending = Reminder.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    )
    while True:
        with transaction.atomic():
            # SKIP LOCKED: a concurrent sweep takes other rows rather than waiting for these (PostgreSQL).
            rows = list(
                pending.select_for_update(skip_locked=True, of=("self",))
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
            if not rows:
                return
            ids = [row[0] for row in rows]
            Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
            transaction.on_commit(partial(_publish_deliveries, ids))
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
        if len(rows) < batch:
            return


def _publish_deliveries(reminder_ids: list[int]) -> None:
    """Send one delivery message per reminder (runs after commit). Never raises.

    This is ``delay_on_commit`` for a batch, with one addition: if the broker is unreachable the rows not yet
    published get their ``enqueued_at`` cleared, so the very next sweep enqueues them instead of waiting for them
    to look lost.
    """
    from disputes.tasks import deliver_reminder  # the tasks module imports this one

    published = 0
    try:
        for reminder_id in reminder_ids:
            deliver_reminder.delay(reminder_id)
            published += 1
    except Exception:  # noqa: BLE001 - whatever the broker raised, the ledger keeps the work
        left = reminder_ids[published:]
        log.exception(
            "Could not enqueue %d reminder deliveries (broker unavailable?); they stay pending for the next sweep.",
            len(left),
        )
        Reminder.objects.filter(pk__in=left, status=DeliveryStatus.PENDING).update(enqueued_at=None)


# --- Delivery -----------------------------------------------------------------------------------------------


class Outcome:
    SENT = "sent"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    FAILED = "failed"


def _message_id(reminder: Reminder) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return (
        f"<reminder-{reminder.pk}.letter-{reminder.letter_id}.v{reminder.deadline_version}"
        f".{reminder.step}@{domain}>"
    )


def _load_locked(reminder_id: int) -> Reminder | None:
    """The row, locked (SKIP LOCKED: None if another worker holds it), with all delivery needs. One query."""
    sincere = Response.objects.filter(letter=OuterRef("letter"), assessment=Assessment.SINCERE)
    return (
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related(
            "recipient",
            "letter__dispute",
            "letter__sender",
            "letter__recipient",
            "letter__owner",
            "response__responder",
        )
        .annotate(letter_answered=Exists(sincere))
        .filter(pk=reminder_id)
        .first()
    )


def reminder_why_not_due(reminder: Reminder, *, now: dt.datetime) -> str:
    """Why this reminder should no longer go out, or "" if it should."""
    letter = reminder.letter
    if not reminder.recipient.is_active:
        return _("the recipient's account is inactive")
    if letter.status != LetterStatus.OPEN:
        return _("the letter is %(status)s") % {"status": letter.get_status_display().lower()}
    answered = getattr(reminder, "letter_answered", None)
    if answered is None:
        answered = letter.responses.filter(assessment=Assessment.SINCERE).exists()
    if answered:
        return _("a response was assessed as sincere")
    if reminder.kind == ReminderKind.ASSESSMENT:
        if reminder.response is None or reminder.response.assessment != Assessment.NOT_ASSESSED:
            return _("the response has been assessed")
    else:
        if reminder.deadline_version != letter.deadline_version or letter.response_deadline_at is None:
            return _("the deadline changed")
        step = reminders_config.ladder().step_at(letter.response_deadline_at, now)
        if step is None:
            return _("the reminder is not due yet")
        if step.due_at > reminder.due_at:
            return _("superseded by the later step %(step)s") % {"step": step.name}
    if reminder.recipient_id not in letter_recipient_ids(letter):
        return _("the recipient no longer follows the letter")
    return ""


def _claim(reminder_id: int, now: dt.datetime) -> Reminder | str:
    """Move the row from pending (or an interrupted "sending") to "sending", or say why not."""
    with transaction.atomic():
        reminder = _load_locked(reminder_id)
        if reminder is None:
            return Outcome.SKIPPED  # deleted, or another worker holds it right now
        interrupted = (
            reminder.status == DeliveryStatus.SENDING
            and reminder.sending_started_at is not None
            and reminder.sending_started_at < now - reminders_config.sending_timeout()
        )
        if reminder.status != DeliveryStatus.PENDING and not interrupted:
            return Outcome.SKIPPED
        if reminder.due_at > now:
            # Not due by this worker's clock (a skewed clock): leave it pending for a later sweep to enqueue.
            return Outcome.SKIPPED
        status, attempts = reminder.status, reminder.attempts
        # The state check is repeated in the UPDATE so the claim is also safe where SELECT … FOR UPDATE is a
        # no-op (SQLite): only one worker can move the row out of the state it read.
        same_state = Reminder.objects.filter(pk=reminder.pk, status=status, attempts=attempts)
        reason = reminder_why_not_due(reminder, now=now)
        if reason:
            same_state.update(status=DeliveryStatus.CANCELLED, last_error=_("Cancelled: %s") % reason)
            return Outcome.CANCELLED
        reminder.message_id = _message_id(reminder)
        reminder.possible_duplicate = reminder.possible_duplicate or interrupted
        reminder.last_error = INTERRUPTED_NOTE if interrupted else reminder.last_error
        reminder.attempts = attempts + 1
        reminder.status = DeliveryStatus.SENDING
        reminder.sending_started_at = now
        claimed = same_state.update(
            status=reminder.status,
            sending_started_at=now,
            attempts=F("attempts") + 1,
            message_id=reminder.message_id,
            possible_duplicate=reminder.possible_duplicate,
            last_error=reminder.last_error,
        )
        return reminder if claimed else Outcome.SKIPPED


def _is_permanent(exc: Exception) -> bool:
    """Whether retrying cannot help: a 5xx refusal, or an error in our own code or data."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    if isinstance(exc, smtplib.SMTPException | OSError):
        return False  # disconnected, refused connection, timeout
    from celery.exceptions import SoftTimeLimitExceeded

    return not isinstance(exc, SoftTimeLimitExceeded)


def reminder_deliver(*, reminder_id: int) -> str:
    """Deliver one reminder by email, at most once unless interrupted mid-send. Returns the outcome.

    Raises ReminderDeliveryError for a failure worth retrying (the row goes back to pending). After
    ``REMINDERS_MAX_RETRIES`` retries, or on a permanent refusal, the row is marked failed and kept for the admin.
    A recipient with no email address still has the in-app reminder; the row is marked sent with a note.
    """
    now = timezone.now()
    claimed = _claim(reminder_id, now)
    if isinstance(claimed, str):
        return claimed
    reminder = claimed
    in_progress = Reminder.objects.filter(
        pk=reminder.pk, status=DeliveryStatus.SENDING, sending_started_at=now
    )
    try:
        sent_by_mail = _send_email(reminder, now=now)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row; the caller sees it below
        error = f"{type(exc).__name__}: {exc}"[:2000]
        final = _is_permanent(exc) or reminder.attempts > settings.REMINDERS_MAX_RETRIES
        if final:
            in_progress.update(status=DeliveryStatus.FAILED, last_error=error)
            log.error(
                "Reminder %s failed for good after %d attempts: %s", reminder.pk, reminder.attempts, error
            )
            return Outcome.FAILED
        in_progress.update(status=DeliveryStatus.PENDING, last_error=error, enqueued_at=timezone.now())
        raise ReminderDeliveryError(error) from exc
    note = {} if sent_by_mail else {"last_error": _("No email address: shown in the app only.")}
    if not in_progress.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), **note):
        # A sweep took the row back as interrupted while this send was still running: it may go out twice.
        log.warning("Reminder %s was re-queued while being sent; flagging a possible duplicate.", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).update(possible_duplicate=True)
        Reminder.objects.filter(pk=reminder.pk).exclude(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now()
        )
    return Outcome.SENT


def _send_email(reminder: Reminder, *, now: dt.datetime) -> bool:
    address = reminder.recipient.email
    if not address:
        return False
    reader_zone = timezones.for_user(reminder.recipient)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(reader_zone.tzinfo):
        context = reminder_email_context(reminder, now=now, viewer_tz=reader_zone.name)
        text = render_to_string("disputes/email/reminder.txt", context)
        html = render_to_string("disputes/email/reminder.html", context)
        message = EmailMultiAlternatives(
            subject=context["subject"],
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={
                "Message-ID": reminder.message_id,
                "Auto-Submitted": "auto-generated",
                "X-Auto-Response-Suppress": "All",
                "X-Disputes-Reminder": str(reminder.pk),
            },
        )
        message.attach_alternative(html, "text/html")
        message.send(fail_silently=False)
    return True


def _duration(delta: dt.timedelta) -> str:
    days, hours = delta.days, delta.seconds // 3600
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def reminder_email_context(reminder: Reminder, *, now: dt.datetime, viewer_tz: str | None = None) -> dict:
    """Everything the reminder email shows, computed here so the templates stay dumb.

    ``viewer_tz`` is the recipient's time zone (``disputes.timezones.for_user``); the deadline is also shown in
    it when its clock differs from the letter's.
    """
    letter = reminder.letter
    deadline = letter.response_deadline_at
    viewer_tz = viewer_tz or timezones.for_user(reminder.recipient).name
    overdue_by = due_in = ""
    if deadline is not None:
        if now > deadline:
            overdue_by = _duration(now - deadline)
        else:
            due_in = _duration(deadline - now)
    parties = f"{letter.sender.display_name} → {letter.recipient.display_name}"
    if reminder.kind == ReminderKind.ASSESSMENT:
        waited = _duration(now - reminder.response.created_at)
        subject = _("Assess the response to “%(title)s” (waiting %(waited)s)") % {
            "title": letter.title,
            "waited": waited,
        }
    elif overdue_by:
        waited = ""
        subject = _("Overdue %(overdue)s: %(parties)s, “%(title)s”") % {
            "overdue": overdue_by,
            "parties": parties,
            "title": letter.title,
        }
    else:
        waited = ""
        subject = _("Response due in %(due_in)s: %(parties)s, “%(title)s”") % {
            "due_in": due_in,
            "parties": parties,
            "title": letter.title,
        }
    return {
        "reminder": reminder,
        "recipient": reminder.recipient,
        "letter": letter,
        "dispute": letter.dispute,
        "demands": list(letter.demands.all()),
        "response": reminder.response,
        "is_assessment": reminder.kind == ReminderKind.ASSESSMENT,
        "subject": subject,
        "parties": parties,
        "deadline": deadline,
        "letter_timezone": letter.timezone,
        "viewer_timezone": viewer_tz,
        "show_viewer_time": timezones.differs(deadline, letter.timezone, viewer_tz),
        "overdue_by": overdue_by,
        "due_in": due_in,
        "waited": waited,
        "dispute_url": settings.SITE_URL + letter.dispute.get_absolute_url(),
        "site_url": settings.SITE_URL,
    }


# --- Cancelling, retrying, and what staff do with a reminder --------------------------------------------


def reminders_cancel(
    *,
    letter: DemandLetter,
    reason: str,
    kinds: Iterable[str] = (ReminderKind.DEADLINE, ReminderKind.ASSESSMENT),
    response: Response | None = None,
    below_version: int | None = None,
) -> int:
    """Cancel the letter's pending reminders (optionally only some kinds, one response's, or older versions).

    A delivery already under way is left alone: it re-checks the letter before sending and cancels itself.
    """
    pending = Reminder.objects.filter(letter=letter, status=DeliveryStatus.PENDING, kind__in=list(kinds))
    if response is not None:
        pending = pending.filter(response=response)
    if below_version is not None:
        pending = pending.filter(kind=ReminderKind.DEADLINE, deadline_version__lt=below_version)
    return pending.update(status=DeliveryStatus.CANCELLED, last_error=_("Cancelled: %s") % reason)


def letter_reminders_reconcile(*, letter: DemandLetter) -> int:
    """Cancel whatever pending reminders the letter's current state makes pointless. Idempotent.

    For callers that changed a letter or its responses without going through the letter services (the admin).
    """
    letter = DemandLetter.objects.with_sincere_response().get(pk=letter.pk)
    if letter.status != LetterStatus.OPEN:
        return reminders_cancel(letter=letter, reason=_("the letter is no longer open"))
    if letter.has_sincere_response:
        return reminders_cancel(letter=letter, reason=_("a response was assessed as sincere"))
    cancelled = reminders_cancel(
        letter=letter, reason=_("the deadline changed"), below_version=letter.deadline_version
    )
    assessed = Response.objects.filter(letter=letter).exclude(assessment=Assessment.NOT_ASSESSED)
    cancelled += (
        Reminder.objects.filter(letter=letter, status=DeliveryStatus.PENDING, response__in=assessed)
        .filter(kind=ReminderKind.ASSESSMENT)
        .update(status=DeliveryStatus.CANCELLED, last_error=_("Cancelled: the response has been assessed"))
    )
    return cancelled


def reminder_retry(*, reminder_id: int) -> Reminder:
    """Give a failed reminder a fresh set of attempts (from the admin, once the cause is fixed)."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder_id)
        if reminder.status != DeliveryStatus.FAILED:
            raise IllegalTransition(_("Only a failed reminder can be retried."))
        reminder.status = DeliveryStatus.PENDING
        reminder.attempts = 0
        reminder.enqueued_at = timezone.now()
        reminder.save(update_fields=["status", "attempts", "enqueued_at"])
        transaction.on_commit(partial(_publish_deliveries, [reminder.pk]))
    return reminder


def reminder_acknowledge(*, user, reminder_id: int, now: dt.datetime | None = None) -> Reminder:
    """The recipient has seen the in-app reminder: it leaves their inbox. Raises Reminder.DoesNotExist.

    Earlier steps about the same letter (or response) that were still unacknowledged go with it: the inbox shows
    only the newest, so acknowledging it means the person has seen the lot.
    """
    now = now or timezone.now()
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder_id, recipient=user)
        if reminder.acknowledged_at is None:
            reminder.acknowledged_at = now
            reminder.snoozed_until = None
            reminder.save(update_fields=["acknowledged_at", "snoozed_until"])
            Reminder.objects.filter(
                recipient=user,
                letter_id=reminder.letter_id,
                kind=reminder.kind,
                response_id=reminder.response_id,
                due_at__lte=reminder.due_at,
                acknowledged_at__isnull=True,
            ).update(acknowledged_at=now, snoozed_until=None)
    return reminder


MAX_SNOOZE = dt.timedelta(days=30)


def reminder_snooze(
    *, user, reminder_id: int, until: dt.datetime, now: dt.datetime | None = None
) -> Reminder:
    """Hide the in-app reminder until ``until`` (at most 30 days ahead). Raises Reminder.DoesNotExist."""
    now = now or timezone.now()
    if timezone.is_naive(until):
        raise IllegalTransition(_("A snooze needs a time with a time zone."))
    if not now < until <= now + MAX_SNOOZE:
        raise IllegalTransition(_("A reminder can be snoozed for up to 30 days."))
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder_id, recipient=user)
        if reminder.acknowledged_at is not None:
            raise IllegalTransition(_("This reminder was already acknowledged."))
        if reminder.status == DeliveryStatus.CANCELLED:
            raise IllegalTransition(_("This reminder was withdrawn: nothing to snooze."))
        reminder.snoozed_until = until
        reminder.save(update_fields=["snoozed_until"])
    return reminder
