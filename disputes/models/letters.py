"""Demand letters (the "requests"), their numbered demands, the responses to them, and deadline changes."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import DatePrecision, Timestamped, choices_check, format_partial_date, validate_timezone
from .derived import TimelineRecord
from .disputes import Dispute
from .organizations import AIProduct, Organization
from .search import SearchDocument, SearchKind
from .sources import ReportedDate, Source


class LetterKind(models.TextChoices):
    REQUEST = "request", _("Written request")
    CEASE_AND_DESIST = "cease_and_desist", _("Cease and desist")
    LETTER_BEFORE_ACTION = "letter_before_action", _("Letter before action")
    GOVERNMENT_REQUEST = "government_request", _("Government request")
    APPROACH = "approach", _("Approach or negotiation")
    OTHER = "other", _("Other")


class LetterChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    CALL = "call", _("Call or online meeting")
    MEETING = "meeting", _("Meeting")
    PUBLIC = "public", _("Public notice")
    OTHER = "other", _("Other")


class LetterStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeadlineSource(models.TextChoices):
    NONE = "none", _("No deadline")
    STATED = "stated", _("Stated in the letter")
    POLICY = "policy", _("Policy default")
    STAFF = "staff", _("Set by staff")


class Assessment(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    SINCERE = "sincere", _("Sincere")
    PARTIAL = "partial", _("Partial")
    EVASIVE = "evasive", _("Evasive or boilerplate")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement only")
    REFUSAL = "refusal", _("Refusal")
    NO_REPLY = "no_reply", _("No reply")


class ResponseChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    PUBLIC_STATEMENT = "public_statement", _("Public statement")
    BLOG_POST = "blog_post", _("Blog post")
    PRESS_COMMENT = "press_comment", _("Press comment")
    MEETING = "meeting", _("Meeting")
    COURT_FILING = "court_filing", _("Court filing")
    NONE = "none", _("None (no reply reported)")


class DemandStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    COMPLIED = "complied", _("Complied")
    PARTLY_COMPLIED = "partly_complied", _("Partly complied")
    REFUSED = "refused", _("Refused")
    IGNORED = "ignored", _("Ignored")
    SUPERSEDED = "superseded", _("Superseded")


def end_of_day(day: dt.date, tz_name: str) -> dt.datetime:
    """“By 26 November” means the last instant of that day where the sender is, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zoneinfo.ZoneInfo(tz_name))


class DemandLetterQuerySet(models.QuerySet):
    def open(self) -> "DemandLetterQuerySet":
        return self.filter(status=LetterStatus.OPEN)

    def with_sincere_response(self) -> "DemandLetterQuerySet":
        sincere = Response.objects.filter(letter=OuterRef("pk"), assessment=Assessment.SINCERE)
        return self.annotate(has_sincere_response=Exists(sincere))

    def answered(self) -> "DemandLetterQuerySet":
        return self.with_sincere_response().filter(has_sincere_response=True)

    def unanswered(self) -> "DemandLetterQuerySet":
        return self.with_sincere_response().filter(has_sincere_response=False)

    def overdue(self, *, at: dt.datetime | None = None) -> "DemandLetterQuerySet":
        """Open letters whose deadline has passed with no response assessed as sincere."""
        at = at or timezone.now()
        return self.open().unanswered().filter(response_deadline_at__lt=at)

    def due_between(self, start: dt.datetime, end: dt.datetime) -> "DemandLetterQuerySet":
        return self.open().unanswered().filter(response_deadline_at__gte=start, response_deadline_at__lt=end)

    def for_organization(self, organization: Organization) -> "DemandLetterQuerySet":
        return self.filter(
            Q(sender=organization) | Q(recipient=organization) | Q(on_behalf_of=organization)
        ).distinct()


class DemandLetter(TimelineRecord, Timestamped):
    search_kind = SearchKind.LETTER

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=LetterKind.choices, default=LetterKind.REQUEST)
    title = models.CharField(_("title"), max_length=300)
    title_original = models.CharField(
        _("title (original)"), max_length=300, blank=True, help_text=_("e.g. 要望書 as the sender names it.")
    )
    sender = models.ForeignKey(
        Organization, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="letters_sent"
    )
    recipient = models.ForeignKey(
        Organization, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="letters_received"
    )
    on_behalf_of = models.ManyToManyField(
        Organization,
        verbose_name=_("on behalf of"),
        related_name="letters_on_behalf",
        blank=True,
        help_text=_("The members or clients the sender acted for, where named."),
    )
    on_behalf_note = models.CharField(
        _("on whose behalf (as stated)"),
        max_length=500,
        blank=True,
        help_text=_("The sender's own words, e.g. “at the request of its member companies”."),
    )
    products = models.ManyToManyField(
        AIProduct, verbose_name=_("AI products concerned"), related_name="letters", blank=True
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=LetterChannel.choices, default=LetterChannel.LETTER
    )
    dated_on = models.DateField(
        _("dated"), null=True, blank=True, help_text=_("The date written on the letter.")
    )
    sent_on = models.DateField(_("sent"), null=True, blank=True)
    announced_on = models.DateField(
        _("announced"), null=True, blank=True, help_text=_("When it was made public.")
    )
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    timezone = models.CharField(
        _("sender's time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("A deadline “by 26 November” ends at midnight here, e.g. Asia/Tokyo."),
    )
    response_deadline_on = models.DateField(_("respond by"), null=True, blank=True)
    response_deadline_at = models.DateTimeField(
        _("deadline (instant)"), null=True, blank=True, editable=False, db_index=True
    )
    deadline_source = models.CharField(
        _("deadline source"), max_length=10, choices=DeadlineSource.choices, default=DeadlineSource.NONE
    )
    deadline_version = models.PositiveIntegerField(
        _("deadline version"),
        default=1,
        editable=False,
        help_text=_("Goes up each time the deadline changes."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.OPEN
    )
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("text of the letter"), max_length=1000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters_owned",
        help_text=_("The staff member responsible for following it up."),
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="letters", blank=True)
    reported_dates = GenericRelation(ReportedDate)

    objects = DemandLetterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-dated_on", "id"]
        verbose_name = _("demand letter")
        verbose_name_plural = _("demand letters")
        indexes = [
            models.Index(fields=["status", "response_deadline_at"], name="letter_status_deadline_idx"),
            # The timelines sort letters on the date they stand at (sent, else dated, else announced).
            models.Index(
                Coalesce("sent_on", "dated_on", "announced_on"), F("id"), name="letter_timeline_date_idx"
            ),
            # Feeds list the newest records first.
            models.Index(fields=["created_at", "id"], name="letter_created_idx"),
            models.Index(fields=["response_deadline_at", "id"], name="letter_deadline_id_idx"),
        ]
        constraints = [
            choices_check("kind", LetterKind, "letter_kind_valid"),
            choices_check("channel", LetterChannel, "letter_channel_valid"),
            choices_check("status", LetterStatus, "letter_status_valid"),
            choices_check("deadline_source", DeadlineSource, "letter_deadline_source_valid"),
            choices_check("date_precision", DatePrecision, "letter_precision_valid"),
            models.CheckConstraint(
                condition=Q(dated_on__isnull=False) | Q(sent_on__isnull=False),
                name="letter_has_a_date",
                violation_error_message=_("Give the date the letter was sent, or the date written on it."),
            ),
            models.CheckConstraint(
                condition=~Q(sender=F("recipient")),
                name="letter_not_to_self",
                violation_error_message=_("A letter cannot be sent to its own sender."),
            ),
            models.CheckConstraint(
                condition=Q(response_deadline_on__isnull=True)
                | Q(dated_on__isnull=True)
                | Q(response_deadline_on__gte=F("dated_on")),
                name="letter_deadline_not_before_dated",
                violation_error_message=_(
                    "The response deadline cannot be before the date written on the letter."
                ),
            ),
            models.CheckConstraint(
                condition=Q(response_deadline_on__isnull=True)
                | Q(sent_on__isnull=True)
                | Q(response_deadline_on__gte=F("sent_on")),
                name="letter_deadline_not_before_sent",
                violation_error_message=_(
                    "The response deadline cannot be before the date the letter was sent."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(response_deadline_on__isnull=True) & Q(deadline_source="none"))
                | (Q(response_deadline_on__isnull=False) & ~Q(deadline_source="none")),
                name="letter_deadline_has_source",
                violation_error_message=_(
                    "A deadline needs a source, and “No deadline” needs an empty deadline."
                ),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.sender.display_name} → {self.recipient.display_name}: {self.title} ({self.display_date})"
        )

    @property
    def date(self) -> dt.date | None:
        """The date the letter stands at on a timeline: sent, else dated, else announced."""
        return self.sent_on or self.dated_on or self.announced_on

    @property
    def display_date(self) -> str:
        return format_partial_date(self.date, self.date_precision)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.dated_on and not self.sent_on:
            errors["sent_on"] = _("Give the date the letter was sent, or the date written on it.")
        if self.sender_id and self.sender_id == self.recipient_id:
            errors["recipient"] = _("A letter cannot be sent to its own sender.")
        if self.response_deadline_on:
            for field in ("dated_on", "sent_on"):
                value = getattr(self, field)
                if value and self.response_deadline_on < value:
                    errors["response_deadline_on"] = _(
                        "The response deadline (%(deadline)s) cannot be before the letter's date (%(date)s)."
                    ) % {"deadline": self.response_deadline_on, "date": value}
            if self.deadline_source == DeadlineSource.NONE:
                errors["deadline_source"] = _("Say where the deadline comes from.")
        elif self.deadline_source != DeadlineSource.NONE:
            errors["response_deadline_on"] = _("Give the deadline, or set its source to “No deadline”.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        # The instant is derived from the day and the sender's time zone; keeping it stored lets the
        # overdue query use an index.
        self.response_deadline_at = (
            end_of_day(self.response_deadline_on, self.timezone) if self.response_deadline_on else None
        )
        if kwargs.get("update_fields") is not None and "response_deadline_on" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "response_deadline_at"}
        super().save(*args, **kwargs)

    def dispute_ids(self) -> list[int]:
        return [self.dispute_id]

    def is_overdue(self, *, at: dt.datetime | None = None, has_sincere_response: bool | None = None) -> bool:
        at = at or timezone.now()
        if (
            self.status != LetterStatus.OPEN
            or not self.response_deadline_at
            or self.response_deadline_at >= at
        ):
            return False
        if has_sincere_response is None:
            has_sincere_response = self.responses.filter(assessment=Assessment.SINCERE).exists()
        return not has_sincere_response

    def overdue_days(self, *, at: dt.datetime | None = None, has_sincere_response: bool | None = None) -> int:
        """Whole days since the deadline passed (0 on the first day, and 0 if the letter is not overdue).

        The one rule for the dashboard, reminders' calendars, the API and the exports.
        """
        at = at or timezone.now()
        if not self.is_overdue(at=at, has_sincere_response=has_sincere_response):
            return 0
        return days_past(self.response_deadline_at, at=at)


def days_past(deadline_at: dt.datetime, *, at: dt.datetime) -> int:
    """Whole days from a deadline that has passed to ``at``: 0 on the first day (see ``overdue_days``)."""
    return (at - deadline_at).days


class Demand(models.Model):
    letter = models.ForeignKey(
        DemandLetter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="demands"
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("As numbered in the letter: 1, 2, …"))
    text_original = models.TextField(_("text (original language)"), blank=True)
    original_language = models.CharField(_("original language"), max_length=10, blank=True, default="")
    text_en = models.TextField(_("text (English)"))
    status = models.CharField(
        _("status"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.PENDING
    )
    status_note = models.CharField(_("status note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["letter", "number"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        constraints = [
            choices_check("status", DemandStatus, "demand_status_valid"),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="demand_number_positive",
                violation_error_message=_("Demands are numbered from 1."),
            ),
            models.UniqueConstraint(fields=["letter", "number"], name="demand_unique_number"),
        ]

    def __str__(self) -> str:
        text = self.text_en if len(self.text_en) <= 80 else self.text_en[:79] + "…"
        return f"{self.number}. {text}"

    def save(self, *args, **kwargs) -> None:
        # A letter's search document holds its demands' text.
        with transaction.atomic():
            super().save(*args, **kwargs)
            SearchDocument.objects.refresh(SearchKind.LETTER, [self.letter_id])
            SearchDocument.objects.refresh_disputes(
                DemandLetter.objects.filter(pk=self.letter_id).values_list("dispute_id", flat=True)
            )


class ResponseQuerySet(models.QuerySet):
    def awaiting_assessment(self) -> "ResponseQuerySet":
        return self.filter(assessment=Assessment.NOT_ASSESSED)

    def sincere(self) -> "ResponseQuerySet":
        return self.filter(assessment=Assessment.SINCERE)


class Response(TimelineRecord, Timestamped):
    """A reply to a letter, in whatever form it came, and staff's judgement of it.

    Only a response assessed as sincere answers a letter; anything else leaves the clock running.
    """

    search_kind = SearchKind.RESPONSE

    letter = models.ForeignKey(
        DemandLetter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="responses"
    )
    demands = models.ManyToManyField(
        Demand,
        verbose_name=_("demands answered"),
        related_name="responses",
        blank=True,
        help_text=_("Leave empty if it answers the letter as a whole."),
    )
    responder = models.ForeignKey(
        Organization, verbose_name=_("from"), on_delete=models.PROTECT, related_name="responses_given"
    )
    responded_on = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ResponseChannel.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    quote = models.TextField(_("quote"), blank=True, help_text=_("Verbatim, in the language it was given."))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    assessment = models.CharField(
        _("assessment"), max_length=20, choices=Assessment.choices, default=Assessment.NOT_ASSESSED
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessment_reason = models.TextField(_("why"), blank=True, help_text=_("Why staff judged it so."))
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="responses", blank=True)
    reported_dates = GenericRelation(ReportedDate)

    objects = ResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["responded_on", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["assessment", "responded_on"], name="response_assessment_idx"),
            models.Index(fields=["responded_on", "id"], name="response_date_idx"),
            models.Index(fields=["created_at", "id"], name="response_created_idx"),
        ]
        constraints = [
            choices_check("channel", ResponseChannel, "response_channel_valid"),
            choices_check("assessment", Assessment, "response_assessment_valid"),
            choices_check("date_precision", DatePrecision, "response_precision_valid"),
            models.CheckConstraint(
                condition=Q(assessment="not_assessed") | Q(assessed_at__isnull=False),
                name="response_assessed_has_time",
                violation_error_message=_("An assessed response needs the time it was assessed."),
            ),
            models.CheckConstraint(
                condition=(Q(channel="none") & Q(assessment="no_reply"))
                | (~Q(channel="none") & ~Q(assessment="no_reply")),
                name="response_no_reply_iff_no_channel",
                violation_error_message=_("“No reply” goes with the channel “None”, and only with it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.responder.display_name}, {self.display_date}: {self.get_assessment_display()}"

    @property
    def display_date(self) -> str:
        return format_partial_date(self.responded_on, self.date_precision)

    def dispute_ids(self) -> list[int]:
        return list(DemandLetter.objects.filter(pk=self.letter_id).values_list("dispute_id", flat=True))

    @property
    def answers_letter(self) -> bool:
        return self.assessment == Assessment.SINCERE

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            letter = self.letter
        except DemandLetter.DoesNotExist:
            letter = None
        if letter and self.responded_on:
            earliest = min(d for d in (letter.dated_on, letter.sent_on) if d) if letter.date else None
            both_to_the_day = self.date_precision == letter.date_precision == DatePrecision.DAY
            if earliest and self.responded_on < earliest and both_to_the_day:
                errors["responded_on"] = _(
                    "A response cannot be dated before the letter it answers (%(date)s)."
                ) % {"date": earliest}
        if (self.channel == ResponseChannel.NONE) != (self.assessment == Assessment.NO_REPLY):
            errors["assessment"] = _("“No reply” goes with the channel “None”, and only with it.")
        if errors:
            raise ValidationError(errors)


class DeadlineChange(models.Model):
    """A record of each change to a letter's deadline: an extension, a correction, a first deadline."""

    letter = models.ForeignKey(
        DemandLetter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="deadline_changes"
    )
    version = models.PositiveIntegerField(_("version"))
    previous_on = models.DateField(_("previous deadline"), null=True, blank=True)
    new_on = models.DateField(_("new deadline"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=DeadlineSource.choices)
    reason = models.CharField(_("reason"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["letter", "version"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        constraints = [
            choices_check("source", DeadlineSource, "deadlinechange_source_valid"),
            models.UniqueConstraint(fields=["letter", "version"], name="deadlinechange_unique_version"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}: {self.previous_on or '—'} → {self.new_on or '—'} ({self.reason})"
