"""Delivery of reminders: claim a batch of ledger rows, check each is still due, send the emails (over one SMTP
connection per lane of the run), record each outcome.

What a failure does to a row:

- a permanent refusal (a 5xx reply for that address, or an error in our own data) marks it ``failed``, for a
  person to see in the admin and the health check;
- anything else (a 4xx reply, no connection, a timeout, a dropped connection) puts it back to ``pending`` with a
  ``next_attempt_at`` after an exponential back-off; the sweep sends it again then, for up to
  ``REMINDERS_RETRY_FOR`` seconds after its first failure (``failing_since``);
- if the message had already been handed to the mail server (``handed_at``, written just before DATA) and no
  clear answer came back (timeout, dropped connection, killed worker), the server may have stored it, so the row
  is flagged ``possible_duplicate``: every retry after an uncertain send is flagged, and only those.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import smtplib
import socket
import threading
import time
import uuid
import zoneinfo
from collections import deque
from collections.abc import Callable
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import BooleanField, Case, F, OuterRef, Q, TextField, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from disputes.core import timezones
from disputes.core.site import absolute_url, site_host
from disputes.models import (
    Assessment,
    DeliveryStatus,
    LetterStatus,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Response,
    UserProfile,
)
from disputes.models.deadline_state import duration_text
from disputes.models.letters import answered_sincerely
from disputes.reminders import steps as reminders_config
from disputes.reminders.mime import wire_bytes
from disputes.reminders.pg import server_bound_cursor
from disputes.reminders.recipients import Fallback, letter_recipient_ids, recipients_by_letter

log = logging.getLogger(__name__)

INTERRUPTED_NOTE = (
    "Delivery was interrupted after the message was handed to the mail server (the worker stopped or the "
    "connection dropped). The server may have accepted it, so it may arrive twice; it is sent again with the "
    "same Message-ID."
)
UNCERTAIN_NOTE = "no answer from the mail server after the message was handed over: it may have been accepted"


# --- Delivery -----------------------------------------------------------------------------------------------


class Outcome:
    SENT = "sent"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    FAILED = "failed"
    RETRY = "retry"  # a temporary failure: pending again, with a next attempt time


class DeliveryFailure(Exception):
    """Sending one message failed. ``permanent``: retrying cannot help; ``uncertain``: it may have arrived."""

    def __init__(self, error: Exception, *, permanent: bool, uncertain: bool = False) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.permanent, self.uncertain = permanent, uncertain


class _NotHanded(Exception):
    """The row was taken back (by a sweep) before the message was handed over: it is not ours to send."""


def _message_id(reminder: Reminder) -> str:
    domain = site_host()
    return (
        f"<reminder-{reminder.pk}.letter-{reminder.letter_id}.v{reminder.deadline_version}"
        f".{reminder.step}@{domain}>"
    )


def reminder_why_not_due(
    reminder: Reminder,
    *,
    now: dt.datetime,
    recipient_ids: list[int] | None = None,
    reminder_settings: ReminderSettings | None = None,
) -> str:
    """Why this reminder should no longer go out, or "" if it should.

    ``recipient_ids``: who is told about the letter now, if the caller already knows (a batch); else looked up.
    ``reminder_settings``: the settings in force, if the caller already read them; else read.
    """
    letter = reminder.letter
    if not reminder.recipient.is_active:
        return _("the recipient's account is inactive")
    if letter.status != LetterStatus.OPEN:
        return _("the letter is %(status)s") % {"status": letter.get_status_display().lower()}
    answered = getattr(reminder, "letter_answered", None)
    if answered if answered is not None else letter.answered_sincerely():
        return _("a response was assessed as sincere")
    if reminder.kind == ReminderKind.ASSESSMENT:
        if reminder.response is None or reminder.response.assessment != Assessment.NOT_ASSESSED:
            return _("the response has been assessed")
    else:
        if reminder.deadline_version != letter.deadline_version or letter.response_deadline_at is None:
            return _("the deadline changed")
        reminder_settings = reminder_settings or ReminderSettings.objects.current()
        if not reminder_settings.reminds(letter.deadline_source):
            return _("reminders for policy deadlines are off")
        step = reminders_config.ladder().step_at(letter.response_deadline_at, now)
        if step is None:
            return _("the reminder is not due yet")
        if step.due_at > reminder.due_at:
            return _("superseded by the later step %(step)s") % {"step": step.name}
    if recipient_ids is None:
        recipient_ids = letter_recipient_ids(letter)
    if reminder.recipient_id not in recipient_ids:
        return _("the recipient no longer follows the letter")
    return ""


def _claimable(now: dt.datetime) -> Q:
    """Rows a delivery may take: pending and due, or "sending" so long that their worker must have died."""
    cutoff = now - reminders_config.sending_timeout()
    return Q(
        Q(status=DeliveryStatus.PENDING, due_at__lte=now)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ) | Q(status=DeliveryStatus.SENDING, sending_started_at__lt=cutoff)


def _claim(reminder_ids: list[int], now: dt.datetime, token: str) -> list[Reminder]:
    """Move the claimable rows among ``reminder_ids`` to "sending" under ``token``, and load them. Four queries.

    The claim is one UPDATE whose WHERE repeats the state check, so two workers (or a worker and a redelivered
    message) cannot both take a row, with SKIP LOCKED (PostgreSQL) so they do not wait for each other either.
    A row taken over from a dead worker that had handed the message to the mail server is a possible duplicate.
    """
    with transaction.atomic():
        rows = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_claimable(now), pk__in=reminder_ids)
            .values_list("pk", "status")
        )
        if not rows:
            return []
        takeover = any(status == DeliveryStatus.SENDING for _pk, status in rows)
        ids = [pk for pk, _status in rows]
        handed_before = Q(status=DeliveryStatus.SENDING) & maybe_handed(
            database_started_at() if takeover else None
        )
        Reminder.objects.filter(_claimable(now), pk__in=ids).update(
            possible_duplicate=Case(
                When(handed_before, then=Value(True)),
                default=F("possible_duplicate"),
                output_field=BooleanField(),
            ),
            last_error=Case(
                When(handed_before, then=Value(INTERRUPTED_NOTE)),
                default=F("last_error"),
                output_field=TextField(),
            ),
            status=DeliveryStatus.SENDING,
            attempts=F("attempts") + 1,
            sending_started_at=now,
            claimed_by=token,
            handed_at=None,
        )
    return list(
        Reminder.objects.filter(pk__in=ids, claimed_by=token, status=DeliveryStatus.SENDING)
        .select_related(
            "recipient",
            "recipient__profile",
            "letter__dispute",
            "letter__sender",
            "letter__recipient",
            "response__responder",
        )
        .prefetch_related("letter__demands")
        .annotate(letter_answered=answered_sincerely(OuterRef("letter")))
        .order_by("pk")
    )


def _zone_of(user) -> timezones.ViewerZone:
    """``UserProfile.objects.zone_for`` without a query, from the profile loaded with the row."""
    try:
        profile = user.profile
    except UserProfile.DoesNotExist:
        return timezones.resolve()
    return timezones.resolve(chosen=profile.timezone, browser=profile.detected_timezone)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait before attempt ``attempts + 1``: exponential from REMINDERS_RETRY_BACKOFF, capped, half jittered."""
    base = settings.REMINDERS_RETRY_BACKOFF * 2 ** min(max(attempts - 1, 0), 30)
    ceiling = min(base, settings.REMINDERS_RETRY_BACKOFF_MAX)
    return dt.timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))  # noqa: S311 - jitter, not security


@contextmanager
def _marks_without_waiting_for_disk():
    """For the block, let this connection's commits return without waiting for their WAL flush (PostgreSQL): the
    per-email marks ("handed over", "sent") then cost no disk flush each, which is what lets a worker send
    hundreds a second.

    A worker that dies loses nothing by it: the database has the marks. Only a crash of the database itself can
    lose the last fraction of a second of them, and ``maybe_handed`` then counts every row claimed before the
    database (re)started as possibly handed over: a false alarm at worst, never an unflagged duplicate.
    https://www.postgresql.org/docs/current/wal-async-commit.html
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO DEFAULT")
        except DatabaseError:  # the connection is gone, and the setting with it
            log.debug("Could not reset synchronous_commit", exc_info=True)


def database_started_at() -> dt.datetime | None:
    """When the PostgreSQL server last started (None with SQLite, whose commits are all durable)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return cursor.fetchone()[0]


def maybe_handed(database_started: dt.datetime | None) -> Q:
    """Rows "sending" whose message may have reached the mail server: handed over, or claimed before the database
    restarted (a "handed over" mark committed without a disk flush may have been lost in the crash)."""
    handed = Q(handed_at__isnull=False)
    if database_started is not None:
        handed |= Q(sending_started_at__lt=database_started)
    return handed


HAND_SQL = """
UPDATE {table} SET
    status = CASE WHEN id = %s THEN %s ELSE status END,
    sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,
    claimed_by = CASE WHEN id = %s THEN '' ELSE claimed_by END,
    handed_at = CASE WHEN id = %s THEN %s ELSE handed_at END,
    sending_started_at = CASE WHEN id = %s THEN %s ELSE sending_started_at END,
    message_id = CASE WHEN id = %s THEN %s ELSE message_id END
WHERE id IN (%s, %s) AND claimed_by = %s AND status = %s
RETURNING id
"""


@dataclass
class _Run:
    """One delivery run: its claim token, and the rows it has not settled yet."""

    token: str
    now: dt.datetime
    unmarked: Reminder | None = None  # sent, its mark to be written with the next hand-over

    def mine(self, reminder: Reminder):
        return Reminder.objects.filter(pk=reminder.pk, claimed_by=self.token, status=DeliveryStatus.SENDING)

    def hand(self, reminder: Reminder) -> None:
        """Record that the message is about to be handed to the mail server, if the row is still ours.

        The same statement marks the previous message sent (one round trip per email): its "sent" mark waits
        only for this message to be rendered.
        """
        previous, self.unmarked = self.unmarked, None
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sent, handed = (previous.pk if previous else -1), reminder.pk
        # Server-side binding on PostgreSQL: the parameters are not quoted into the text in Python for each email.
        with server_bound_cursor() if connection.vendor == "postgresql" else connection.cursor() as cursor:
            cursor.execute(
                HAND_SQL.format(table=connection.ops.quote_name(Reminder._meta.db_table)),
                [
                    *(sent, DeliveryStatus.SENT, sent, now, sent),
                    *(handed, now, handed, now, handed, reminder.message_id),
                    *(sent, handed, self.token, DeliveryStatus.SENDING),
                ],
            )
            updated = {row[0] for row in cursor.fetchall()}
        if previous is not None and previous.pk not in updated:
            self._taken_back(previous)
        if handed not in updated:
            raise _NotHanded

    def sent(self, reminder: Reminder, *, note: str = "") -> None:
        """Mark ``reminder`` sent: at once with a note, else together with the next message's hand-over."""
        self.flush()
        if not note:
            self.unmarked = reminder
            return
        if not self.mine(reminder).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_by="", last_error=note
        ):
            self._taken_back(reminder)

    def flush(self) -> None:
        """Write the "sent" mark still waiting for a next message."""
        reminder, self.unmarked = self.unmarked, None
        if reminder is not None and not self.mine(reminder).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_by=""
        ):
            self._taken_back(reminder)

    def _taken_back(self, reminder: Reminder) -> None:
        # A sweep took the row back as interrupted while this send was still running: it may go out twice.
        log.warning(
            "Reminder %s was taken back while being sent; flagging a possible duplicate.", reminder.pk
        )
        Reminder.objects.filter(pk=reminder.pk).update(possible_duplicate=True)
        Reminder.objects.filter(pk=reminder.pk).exclude(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_by=""
        )

    def failed(self, reminder: Reminder, failure: DeliveryFailure) -> str:
        self.flush()
        error = str(failure)[:2000]
        now = timezone.now()
        failing_since = reminder.failing_since or now
        gave_up = now - failing_since > dt.timedelta(seconds=settings.REMINDERS_RETRY_FOR)
        if failure.permanent or gave_up:
            if gave_up and not failure.permanent:
                error = _("Gave up after %(n)d attempts: %(error)s") % {
                    "n": reminder.attempts,
                    "error": error,
                }
            self.mine(reminder).update(status=DeliveryStatus.FAILED, last_error=error, claimed_by="")
            log.error(
                "Reminder %s failed for good after %d attempts: %s", reminder.pk, reminder.attempts, error
            )
            return Outcome.FAILED
        if failure.uncertain:
            error = f"{error} ({UNCERTAIN_NOTE})"
        self.mine(reminder).update(
            status=DeliveryStatus.PENDING,
            last_error=error,
            next_attempt_at=now + retry_delay(reminder.attempts),
            failing_since=failing_since,
            enqueued_at=None,
            claimed_by="",
            possible_duplicate=Value(True) if failure.uncertain else F("possible_duplicate"),
        )
        log.warning("Reminder %s will be retried (attempt %d): %s", reminder.pk, reminder.attempts, error)
        return Outcome.RETRY

    def release_unsettled(self, reminder_ids: set[int]) -> int:
        """Rows of this run not sent, failed or cancelled go back to pending for the next sweep.

        One that had been handed over (a soft time limit struck mid-DATA) is a possible duplicate.
        """
        handed = Q(handed_at__isnull=False)
        mine = Reminder.objects.filter(
            pk__in=reminder_ids, claimed_by=self.token, status=DeliveryStatus.SENDING
        )
        return mine.update(
            status=DeliveryStatus.PENDING,
            claimed_by="",
            enqueued_at=None,
            handed_at=None,
            attempts=Case(When(handed, then=F("attempts")), default=F("attempts") - 1),
            possible_duplicate=Case(
                When(handed, then=Value(True)), default=F("possible_duplicate"), output_field=BooleanField()
            ),
            last_error=Case(
                When(handed, then=Value(INTERRUPTED_NOTE)), default=F("last_error"), output_field=TextField()
            ),
        )


def reminders_deliver(*, reminder_ids: list[int]) -> dict[int, str]:
    """Deliver the due reminders among ``reminder_ids``; returns each one's outcome (SKIPPED if not claimable).

    Never sends a row twice unless a send was interrupted after the message was handed over (then the row is
    flagged). Rows the run could not finish within ``REMINDERS_DELIVERY_BUDGET`` seconds, or when it is
    interrupted by an exception, are released for the next sweep.

    Over SMTP with PostgreSQL the claimed rows are shared out between ``REMINDERS_DELIVERY_LANES`` lanes, each a
    thread with its own SMTP connection and database connection, so that one message's wait for the mail
    server's replies (four per message) and for its "handed over" mark overlaps the others' work. Each row is
    in one lane only, and every lane writes its marks exactly as a single run does.
    """
    now = timezone.now()
    outcomes = dict.fromkeys(reminder_ids, Outcome.SKIPPED)
    token = f"{uuid.uuid4().hex[:12]}@{socket.gethostname()[:60]}:{os.getpid()}"
    claimed = _claim(list(reminder_ids), now, token)
    if not claimed:
        return outcomes
    reminder_settings = ReminderSettings.objects.current()
    letters = {r.letter_id: r.letter for r in claimed}
    recipients = recipients_by_letter(
        [
            {"pk": letter.pk, "dispute_id": letter.dispute_id, "owner_id": letter.owner_id}
            for letter in letters.values()
        ],
        Fallback(),
    )
    work = _Work(
        token=token,
        now=now,
        queue=deque(claimed),
        recipients=recipients,
        stop_at=time.monotonic() + settings.REMINDERS_DELIVERY_BUDGET,
        outcomes=outcomes,
        unsettled={r.pk for r in claimed},
        reminder_settings=reminder_settings,
    )
    helpers = [_lane_pool().submit(work.lane, helper=True) for _n in range(1, _lanes(len(claimed)))]
    try:
        work.lane()
    except BaseException:
        work.stop.set()  # the other lanes finish the message in hand, then stop
        raise
    finally:
        futures.wait(helpers, timeout=3 * settings.EMAIL_TIMEOUT + 5)
        if work.unsettled:
            _Run(token=token, now=now).release_unsettled(work.unsettled)
            outcomes.update(dict.fromkeys(work.unsettled, Outcome.RETRY))
    if work.errors:
        raise work.errors[0]  # e.g. a DatabaseError: the task retries the batch soon
    return outcomes


_pool: tuple[int, futures.ThreadPoolExecutor] | None = None


def _lane_pool() -> futures.ThreadPoolExecutor:
    """This process's helper lanes: threads that outlive a run, so their database connections are reused as
    Django reuses a request thread's (``CONN_MAX_AGE``). Made afresh in a forked child."""
    global _pool  # noqa: PLW0603 - one pool per process
    if _pool is None or _pool[0] != os.getpid():
        size = max(1, settings.REMINDERS_DELIVERY_LANES - 1)
        _pool = (
            os.getpid(),
            futures.ThreadPoolExecutor(max_workers=size, thread_name_prefix="reminder-lane"),
        )
    return _pool[1]


def _lanes(rows: int) -> int:
    """How many lanes a run of ``rows`` messages uses: one unless it talks SMTP to a PostgreSQL-backed ledger."""
    smtp = issubclass(import_string(settings.EMAIL_BACKEND), SmtpBackend)
    if not smtp or connection.vendor != "postgresql":
        return 1
    return max(1, min(settings.REMINDERS_DELIVERY_LANES, rows))


@dataclass
class _Work:
    """A delivery run's claimed rows, shared by its lanes: each takes the next row from ``queue``."""

    token: str
    now: dt.datetime
    queue: deque[Reminder]
    recipients: dict[int, list[int]]
    stop_at: float
    outcomes: dict[int, str]
    unsettled: set[int]
    reminder_settings: ReminderSettings
    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[BaseException] = field(default_factory=list)

    def lane(self, *, helper: bool = False) -> None:
        """Send rows from the queue over one SMTP connection until none is left, time is up, or ``stop``.

        ``helper``: the lane runs in a pool thread; it records an exception for the run (which raises it after
        releasing the rows no lane finished), and treats its database connection as Django treats a request's:
        closed if broken or older than ``CONN_MAX_AGE``, else kept for the next run.
        """
        if helper:
            close_old_connections()
        run = _Run(token=self.token, now=self.now)
        transport = _Transport()
        try:
            with _marks_without_waiting_for_disk():
                try:
                    while not self.stop.is_set():
                        try:
                            reminder = self.queue.popleft()
                        except IndexError:
                            break
                        if time.monotonic() > self.stop_at:
                            log.warning(
                                "Delivery run out of time; leaving the rest of its batch to the next sweep."
                            )
                            self.stop.set()
                            break
                        self.outcomes[reminder.pk] = _deliver_one(
                            reminder,
                            run,
                            transport,
                            self.recipients[reminder.letter_id],
                            self.reminder_settings,
                        )
                        self.unsettled.discard(reminder.pk)
                finally:
                    transport.close()
                    run.flush()
        except BaseException as exc:
            if not helper:
                raise
            self.errors.append(exc)
            self.stop.set()
            log.warning("A delivery lane stopped: %s", exc)
        finally:
            if helper:
                close_old_connections()


def _deliver_one(
    reminder: Reminder,
    run: _Run,
    transport: _Transport,
    recipient_ids: list[int],
    reminder_settings: ReminderSettings,
) -> str:
    now = timezone.now()
    reason = reminder_why_not_due(
        reminder, now=now, recipient_ids=recipient_ids, reminder_settings=reminder_settings
    )
    if reason:
        run.flush()
        run.mine(reminder).update(
            status=DeliveryStatus.CANCELLED, last_error=_("Cancelled: %s") % reason, claimed_by=""
        )
        return Outcome.CANCELLED
    if not reminder.recipient.email:
        run.sent(reminder, note=_("No email address: shown in the app only."))
        return Outcome.SENT
    reminder.message_id = _message_id(reminder)
    try:
        message = _build_message(reminder, now=now)
    except DatabaseError:
        raise  # passes: the run releases the row for the next sweep
    except Exception as exc:  # noqa: BLE001 - our own template or data is wrong: retrying cannot help
        log.exception("Reminder %s could not be rendered.", reminder.pk)
        return run.failed(reminder, DeliveryFailure(exc, permanent=True))
    try:
        transport.send(message, hand=lambda: run.hand(reminder))
    except _NotHanded:
        return Outcome.SKIPPED
    except DeliveryFailure as failure:
        return run.failed(reminder, failure)
    run.sent(reminder)
    return Outcome.SENT


def reminder_deliver(*, reminder_id: int) -> str:
    """Deliver one reminder by email (``reminders_deliver`` for a batch of one). Returns the outcome."""
    return reminders_deliver(reminder_ids=[reminder_id])[reminder_id]


def _is_permanent(exc: Exception) -> bool:
    """Whether retrying cannot help: a 5xx refusal. Connection trouble, timeouts and 4xx replies pass."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


class _Transport:
    """The mail backend for one run: with SMTP, one connection for the whole batch, reopened after a drop.

    Over SMTP the conversation is driven step by step so that ``hand()`` runs between RCPT and DATA: a failure
    before it certainly delivered nothing; after it, only a clear reply from the server is certain.
    """

    def __init__(self) -> None:
        # Any: Django's backends share no typed interface for the SMTP connection this class reuses.
        self.backend: Any = get_connection(fail_silently=False)
        self.smtp = isinstance(self.backend, SmtpBackend)
        self.unreachable: DeliveryFailure | None = None
        self._addresses: dict[tuple[str, str], tuple[str, str]] = {}

    def close(self) -> None:
        try:
            self.backend.close()
        except Exception:  # noqa: BLE001, S110 - closing a broken connection
            pass

    def send(self, message: EmailMultiAlternatives, *, hand: Callable[[], None]) -> None:
        if not self.smtp:
            hand()
            try:
                message.connection = self.backend
                message.send(fail_silently=False)
            except Exception as exc:  # noqa: BLE001 - classified for the ledger
                uncertain = isinstance(exc, smtplib.SMTPServerDisconnected | TimeoutError)
                raise DeliveryFailure(exc, permanent=_is_permanent(exc), uncertain=uncertain) from exc
            return
        if self.unreachable is not None:
            raise self.unreachable  # the server refused a connection a moment ago: do not wait again per message
        if self.backend.connection is None:
            try:
                self.backend.open()
            except Exception as exc:  # noqa: BLE001 - no connection: nothing was sent
                self.unreachable = DeliveryFailure(exc, permanent=False)
                raise self.unreachable from exc
        try:
            self._send_smtp(message, hand)
        except DeliveryFailure:
            raise
        except _NotHanded:
            self._reset()
            raise
        except Exception as exc:  # noqa: BLE001 - before DATA: nothing was accepted
            self._drop()
            raise DeliveryFailure(exc, permanent=_is_permanent(exc)) from exc

    def _send_smtp(self, message: EmailMultiAlternatives, hand: Callable[[], None]) -> None:
        conn = self.backend.connection
        encoding = message.encoding or settings.DEFAULT_CHARSET
        from_email, mail_from = self._envelope(message.from_email, encoding)
        recipients = [self._envelope(address, encoding) for address in message.recipients()]
        content = wire_bytes(message)
        conn.ehlo_or_helo_if_needed()
        # smtplib's mail() and rcpt() with the address already quoted (what they send, without parsing it again)
        code, reply = conn.docmd("mail", f"FROM:{mail_from}")
        if code != 250:
            self._reset()
            raise DeliveryFailure(smtplib.SMTPSenderRefused(code, reply, from_email), permanent=code >= 500)
        refused = {}
        for address, rcpt_to in recipients:
            code, reply = conn.docmd("rcpt", f"TO:{rcpt_to}")
            if code not in (250, 251):
                refused[address] = (code, reply)
        if refused:
            self._reset()
            refusal = smtplib.SMTPRecipientsRefused(refused)
            raise DeliveryFailure(refusal, permanent=_is_permanent(refusal))
        hand()
        try:
            code, reply = conn.data(content)
        except smtplib.SMTPDataError as exc:  # refused the DATA command itself: nothing was sent
            self._reset()
            raise DeliveryFailure(exc, permanent=_is_permanent(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - timeout or drop mid-DATA: the server may have stored it
            self._drop()
            raise DeliveryFailure(exc, permanent=False, uncertain=True) from exc
        if code != 250:
            self._reset()
            data_refused = smtplib.SMTPDataError(code, reply)
            raise DeliveryFailure(data_refused, permanent=_is_permanent(data_refused))

    def _envelope(self, address: str, encoding: str) -> tuple[str, str]:
        """An address as Django's SMTP backend sanitizes it, and as smtplib quotes it in MAIL FROM and RCPT TO;
        worked out once per address and run (the sender is the same for every message)."""
        key = (address, encoding)
        if key not in self._addresses:
            sanitized = sanitize_address(address, encoding)
            self._addresses[key] = (sanitized, smtplib.quoteaddr(sanitized))
        return self._addresses[key]

    def _reset(self) -> None:
        try:
            self.backend.connection.rset()
        except Exception:  # noqa: BLE001 - the connection is broken: open a new one for the next message
            self._drop()

    def _drop(self) -> None:
        try:
            self.backend.connection.close()
        except Exception:  # noqa: BLE001, S110
            pass
        self.backend.connection = None


def _build_message(reminder: Reminder, *, now: dt.datetime) -> EmailMultiAlternatives:
    address = reminder.recipient.email
    reader_zone = _zone_of(reminder.recipient)
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
    return message


STATE_SHOWN = ("overdue", "is_ours", "overdue_label", "due_label", "deadline_label", "unanswered_label")


def _clock(instant: dt.datetime | None, zone: str) -> str:
    """``instant`` as the reminder emails show a deadline in ``zone``: "26 November 2025, 23:59 JST"."""
    if instant is None:
        return ""
    return date_format(instant.astimezone(zoneinfo.ZoneInfo(zone)), "j F Y, H:i T")


def reminder_email_context(reminder: Reminder, *, now: dt.datetime, viewer_tz: str | None = None) -> dict:
    """Everything the reminder email shows, computed here so the templates stay dumb.

    ``viewer_tz`` is the recipient's time zone (``UserProfile.objects.zone_for``); the deadline is also shown in
    it when its clock differs from the letter's.
    """
    letter = reminder.letter
    deadline = letter.response_deadline_at
    viewer_tz = viewer_tz or UserProfile.objects.zone_for(reminder.recipient).name
    # A reminder goes out only while no response is judged sincere (reminder_why_not_due).
    state = letter.deadline_state(at=now, answered=False)
    # The state's facts and labels that the templates show, each worked out once (DeadlineState works a label out
    # afresh on every access, and the two templates read some of them several times).
    shown = {name: getattr(state, name) for name in STATE_SHOWN}
    overdue_by = duration_text(state.overdue_for) if state.overdue_for is not None else ""
    due_in = duration_text(state.due_in) if state.due_in is not None else ""
    parties = f"{letter.sender.display_name} → {letter.recipient.display_name}"
    show_viewer_time = timezones.differs(deadline, letter.timezone, viewer_tz)
    waited = ""
    if reminder.kind == ReminderKind.ASSESSMENT:
        waited = duration_text(now - cast(Response, reminder.response).created_at)
        subject = _("Assess the response to “%(title)s” (waiting %(waited)s)") % {
            "title": letter.title,
            "waited": waited,
        }
    else:
        subject = _("%(where)s: %(parties)s, “%(title)s”") % {
            "where": shown["overdue_label"] or shown["due_label"] or state.label,
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
        "show_viewer_time": show_viewer_time,
        # The deadline's clock time in the letter's and the reader's zone, written once for both templates.
        "deadline_in_letter_zone": _clock(deadline, letter.timezone),
        "deadline_in_viewer_zone": _clock(deadline, viewer_tz) if show_viewer_time else "",
        "state": shown,
        "overdue_by": overdue_by,
        "due_in": due_in,
        "waited": waited,
        "dispute_url": absolute_url(letter.dispute.get_absolute_url()),
        "site_url": absolute_url(""),
    }
