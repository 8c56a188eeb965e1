"""Who follows what, and the reminder ledger: one row per (letter, deadline version, step, recipient)."""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import DeadlineSource
from .common import choices_check
from .disputes import Dispute
from .fields import belongs_to, optional_link
from .letters import DemandLetter, Response


class Follow(models.Model):
    """A staff member following a dispute (and so all its letters) or one letter."""

    user = belongs_to(settings.AUTH_USER_MODEL, _("user"), related_name="follows")
    dispute = optional_link(Dispute, _("dispute"), on_delete=models.CASCADE, related_name="follows")
    letter = optional_link(DemandLetter, _("letter"), on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(Q(dispute__isnull=False) & Q(letter__isnull=True))
                | (Q(dispute__isnull=True) & Q(letter__isnull=False)),
                name="follow_one_target",
                violation_error_message=_("Follow either a dispute or a letter."),
            ),
            models.UniqueConstraint(fields=["user", "dispute"], name="follow_unique_dispute"),
            models.UniqueConstraint(fields=["user", "letter"], name="follow_unique_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.dispute or self.letter}"


class ReminderKind(models.TextChoices):
    DEADLINE = "deadline", _("Response deadline")
    ASSESSMENT = "assessment", _("Response awaiting assessment")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # refused for good by the mail server, or retried for longer than allowed
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    """A reminder owed to one person for one step of one deadline version.

    The unique constraint is the arbiter between concurrent or repeated sweeps: a row is written before any
    delivery, and a second sweep's insert of the same row is ignored.
    """

    kind = models.CharField(
        _("kind"), max_length=20, choices=ReminderKind.choices, default=ReminderKind.DEADLINE
    )
    letter = belongs_to(DemandLetter, _("letter"), related_name="reminders")
    response = optional_link(
        Response,
        _("response"),
        on_delete=models.CASCADE,
        related_name="reminders",
        help_text=_("For a reminder to assess a response."),
    )
    deadline_version = models.PositiveIntegerField(_("deadline version"))
    step = models.CharField(
        _("step"), max_length=40, help_text=_("e.g. before-3d, due, after-7d; assess-12 for response 12.")
    )
    due_at = models.DateTimeField(_("due at"), help_text=_("When this step fell due."))
    recipient = belongs_to(settings.AUTH_USER_MODEL, _("recipient"), related_name="reminders")
    status = models.CharField(
        _("delivery"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("last enqueued"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt"),
        null=True,
        blank=True,
        help_text=_("After a temporary failure, when a sweep sends it again (empty: as soon as possible)."),
    )
    failing_since = models.DateTimeField(
        _("failing since"),
        null=True,
        blank=True,
        help_text=_(
            "The first temporary failure of the current series: retries stop REMINDERS_RETRY_FOR after it."
        ),
    )
    sending_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    claimed_by = models.CharField(
        _("claimed by"), max_length=100, blank=True, help_text=_("The delivery run that holds the row.")
    )
    handed_at = models.DateTimeField(
        _("handed to the mail server"),
        null=True,
        blank=True,
        help_text=_(
            "When the current attempt started transmitting the message. An attempt interrupted after this may "
            "have been accepted; one interrupted before it certainly was not."
        ),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    possible_duplicate = models.BooleanField(
        _("possible duplicate"),
        default=False,
        help_text=_("A delivery was interrupted after the mail server may have accepted it."),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)

    class Meta:
        ordering = ["-due_at", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="reminder_status_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="reminder_next_attempt_idx"),
            models.Index(fields=["recipient", "acknowledged_at"], name="reminder_inbox_idx"),
        ]
        constraints = [
            choices_check("kind", ReminderKind, "reminder_kind_valid"),
            choices_check("status", DeliveryStatus, "reminder_status_valid"),
            models.UniqueConstraint(
                fields=["letter", "deadline_version", "step", "recipient"], name="reminder_unique_per_step"
            ),
            models.CheckConstraint(
                condition=Q(status="sent") | Q(sent_at__isnull=True),
                name="reminder_sent_at_only_when_sent",
                violation_error_message=_("Only a sent reminder has a sent time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id}/v{self.deadline_version}/{self.step} → {self.recipient} ({self.status})"


class SweepHeartbeat(models.Model):
    """When a periodic sweep last ran to its end, and what it did.

    The dashboard and ``/healthz/reminders/`` read it to tell staff and operators when reminders stop being worked
    out (beat or the workers down), rather than letting deadlines pass in silence.
    """

    DEADLINES = "deadlines"

    name = models.CharField(_("sweep"), max_length=40, primary_key=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_report = models.JSONField(_("last report"), default=dict, blank=True)
    runs = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("sweep heartbeat")
        verbose_name_plural = _("sweep heartbeats")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_finished_at or '-'}"


class ReminderSettingsQuerySet(models.QuerySet):
    def current(self) -> "ReminderSettings":
        """The settings in force: the one row, or the defaults (unsaved) before anyone has saved it. One query."""
        return self.filter(pk=ReminderSettings.SINGLETON_ID).first() or ReminderSettings(
            pk=ReminderSettings.SINGLETON_ID
        )


class ReminderSettings(models.Model):
    """How reminders behave, as staff choose in the admin: one row (id 1), written by ``reminder_settings_update``.

    ``policy_deadlines_remind`` decides whether a deadline our default policy derived (the letter states none,
    ``DeadlineSource.POLICY``) brings reminders. Off, such a letter is still shown as past *our* deadline, labelled
    as ours, but the sweep records no reminder for it, delivery drops any still waiting, and the pages that talk
    about reminders say they are off.
    """

    SINGLETON_ID = 1

    policy_deadlines_remind = models.BooleanField(
        _("remind about policy deadlines"),
        default=True,
        help_text=_(
            "A policy deadline is one our default policy derives for a letter that states none. Off: such letters "
            "still show as past our deadline, but nobody is reminded of them (email or in-app) and reminders not "
            "yet sent are cancelled. Deadlines stated in a letter or set by staff always remind."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReminderSettingsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="remindersettings_singleton",
                violation_error_message=_("There is one set of reminder settings."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Reminder settings"))

    def reminds(self, deadline_source: str) -> bool:
        """Whether a letter whose deadline comes from ``deadline_source`` brings reminders."""
        return self.policy_deadlines_remind or deadline_source != DeadlineSource.POLICY

    @classmethod
    def silenced_q(cls, prefix: str = "") -> Q:
        """Letters (``prefix`` leads to one, e.g. ``letter__``) that bring no reminder under the settings in force:
        a policy deadline while policy deadlines do not remind. One SQL condition: it costs no query of its own,
        and without a saved row the defaults apply (everything reminds)."""
        off = cls.objects.filter(pk=cls.SINGLETON_ID, policy_deadlines_remind=False)
        return Q(**{f"{prefix}deadline_source": DeadlineSource.POLICY}) & Q(Exists(off))

    @classmethod
    def with_silenced(cls, letters: models.QuerySet) -> models.QuerySet:
        """``letters`` annotated with ``silenced``: whether the settings in force keep each from reminding (the
        letter still shows as past our deadline; the pages, the calendar and delivery say or do no reminder)."""
        return letters.annotate(silenced=ExpressionWrapper(cls.silenced_q(), output_field=BooleanField()))
