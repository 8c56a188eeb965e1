"""Demand letters (the "requests"), their numbered demands, the responses to them, and deadline changes."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    Assessment,
    DeadlineSource,
    DemandStatus,
    LetterChannel,
    LetterKind,
    LetterStatus,
    ResponseChannel,
)
from .common import (
    DatePrecision,
    Timestamped,
    choices_check,
    compare_partial_dates,
    date_sort_key,
    format_partial_date,
    normalise_partial_date,
    validate_timezone,
)
from .constraints import dates_in_order_check, different_check
from .deadline_state import DeadlineState
from .derived import TimelineRecord
from .disputes import Dispute
from .fields import belongs_to, japanese, optional_link, sources_cited
from .organizations import AIProduct, Organization
from .search import SearchKind, documents_changed
from .sources import ReportedDate
from .translations import Quoted


def end_of_day(day: dt.date, tz_name: str) -> dt.datetime:
    """“By 26 November” means the last instant of that day where the sender is, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zoneinfo.ZoneInfo(tz_name))


def timeline_date() -> Coalesce:
    """A letter's date on a timeline, in SQL: sent, else dated, else announced (``DemandLetter.date`` in Python)."""
    return Coalesce("sent_on", "dated_on", "announced_on")


def answered_sincerely(letter_ref) -> Exists:
    """Whether the letter ``letter_ref`` (a pk or an ``OuterRef``) has a response judged sincere, in SQL."""
    return Exists(Response.objects.sincere().filter(letter=letter_ref))


class DemandLetterQuerySet(models.QuerySet):
    def open(self) -> "DemandLetterQuerySet":
        return self.filter(status=LetterStatus.OPEN)

    def with_sincere_response(self) -> "DemandLetterQuerySet":
        """Annotate ``has_sincere_response``, which ``DemandLetter.answered_sincerely`` then reads."""
        return self.annotate(has_sincere_response=answered_sincerely(OuterRef("pk")))

    def for_organization(self, organization: Organization) -> "DemandLetterQuerySet":
        """Letters the organization sent, received (first or among several), or was named in as on whose behalf."""
        return self.filter(
            Q(sender=organization)
            | Q(recipient=organization)
            | Q(on_behalf_of=organization)
            | Q(additional_recipients=organization)
        ).distinct()

    def with_timeline_date(self) -> "DemandLetterQuerySet":
        return self.annotate(timeline_date=timeline_date())

    def for_deadline_state(self) -> "DemandLetterQuerySet":
        """Only what ``DemandLetter.deadline_state`` reads: the letters' deadline columns and whether a response
        answers them (for pages that work out where letters stand without loading them whole)."""
        return self.with_sincere_response().only(*DemandLetter.DEADLINE_STATE_FIELDS)

    def unanswered(self) -> "DemandLetterQuerySet":
        return self.with_sincere_response().filter(has_sincere_response=False)

    def overdue(self, *, at: dt.datetime | None = None) -> "DemandLetterQuerySet":
        """Open letters whose deadline has passed with no response assessed as sincere."""
        at = at or timezone.now()
        return self.open().unanswered().filter(response_deadline_at__lt=at)

    def due_between(self, start: dt.datetime, end: dt.datetime) -> "DemandLetterQuerySet":
        return self.open().unanswered().filter(response_deadline_at__gte=start, response_deadline_at__lt=end)


class DemandLetter(TimelineRecord, Timestamped):
    search_kind = SearchKind.LETTER

    dispute = belongs_to(Dispute, _("dispute"), related_name="letters")
    kind = models.CharField(_("kind"), max_length=30, choices=LetterKind.choices, default=LetterKind.REQUEST)
    title = models.CharField(_("title"), max_length=300)
    title_ja = japanese(title, _("title (Japanese)"))
    title_original = models.CharField(
        _("title (original)"), max_length=300, blank=True, help_text=_("e.g. 要望書 as the sender names it.")
    )
    sender = models.ForeignKey(
        Organization, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="letters_sent"
    )
    recipient = models.ForeignKey(
        Organization,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="letters_received",
        help_text=_("The main recipient; add others under “Other recipients”."),
    )
    additional_recipients = models.ManyToManyField(
        Organization,
        verbose_name=_("other recipients"),
        through="LetterRecipient",
        related_name="letters_also_received",
        blank=True,
    )
    on_behalf_of = models.ManyToManyField(
        Organization,
        verbose_name=_("on behalf of"),
        through="LetterOnBehalf",
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
    on_behalf_note_ja = japanese(
        on_behalf_note, _("on whose behalf (Japanese)"), help_text=_("e.g. 会員社からの要請に基づき.")
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
    date_sort = models.BigIntegerField(
        _("sort key"),
        default=0,
        editable=False,
        help_text=_("Orders letters on timelines: a month-only date after the dated entries of its month."),
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
    status_note_ja = japanese(status_note, _("status note (Japanese)"))
    summary = models.TextField(_("summary"), blank=True)
    summary_ja = japanese(summary, _("summary (Japanese)"))
    url = models.URLField(_("text of the letter"), max_length=1000, blank=True)
    owner = optional_link(
        settings.AUTH_USER_MODEL,
        _("owner"),
        on_delete=models.SET_NULL,
        related_name="letters_owned",
        help_text=_("The staff member responsible for following it up."),
    )
    sources = sources_cited("letters")
    reported_dates = GenericRelation(ReportedDate)

    objects = DemandLetterQuerySet.as_manager()

    # Set by queries and selectors, not columns: the ``with_sincere_response`` annotation and, on pages, the
    # letter's DeadlineState at the page's instant.
    has_sincere_response: bool
    state: DeadlineState
    first_response: "Response | None"
    open_demands: list["Demand"]
    unresolved_demands: list["Demand"]
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-dated_on", "id"]
        verbose_name = _("demand letter")
        verbose_name_plural = _("demand letters")
        indexes = [
            models.Index(fields=["status", "response_deadline_at"], name="letter_status_deadline_idx"),
            # Timelines page letters by their place (``date_sort``); feeds list the newest records first.
            models.Index(fields=["date_sort", "id"], name="letter_date_sort_idx"),
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
            different_check(
                "sender", "recipient", "letter_not_to_self", _("A letter cannot be sent to its own sender.")
            ),
            dates_in_order_check(
                "dated_on",
                "response_deadline_on",
                "letter_deadline_not_before_dated",
                _("The response deadline cannot be before the date written on the letter."),
            ),
            dates_in_order_check(
                "sent_on",
                "response_deadline_on",
                "letter_deadline_not_before_sent",
                _("The response deadline cannot be before the date the letter was sent."),
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
        return self.date_of(sent_on=self.sent_on, dated_on=self.dated_on, announced_on=self.announced_on)

    @staticmethod
    def date_of(
        *, sent_on: dt.date | None, dated_on: dt.date | None, announced_on: dt.date | None
    ) -> dt.date | None:
        """``date`` from the plain column values (``timeline_date()`` is the same rule in SQL)."""
        return sent_on or dated_on or announced_on

    @property
    def display_date(self) -> str:
        return format_partial_date(self.date, self.date_precision)

    @property
    def recipients(self) -> list[Organization]:
        """The main recipient, then the others (prefetch ``additional_recipients``)."""
        return [self.recipient, *self.additional_recipients.all()]

    def normalise_dates(self) -> None:
        for name in ("dated_on", "sent_on", "announced_on"):
            setattr(self, name, normalise_partial_date(getattr(self, name), self.date_precision))

    def clean(self) -> None:
        self.normalise_dates()
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
        self.normalise_dates()
        # The instant is derived from the day and the sender's time zone; keeping it stored lets the
        # overdue query use an index.
        self.response_deadline_at = (
            end_of_day(self.response_deadline_on, self.timezone) if self.response_deadline_on else None
        )
        self.date_sort = date_sort_key(self.date, self.date_precision)
        fields = kwargs.get("update_fields")
        if fields is not None:
            fields = set(fields)
            if "response_deadline_on" in fields:
                fields.add("response_deadline_at")
            if fields & {"dated_on", "sent_on", "announced_on", "date_precision"}:
                fields.add("date_sort")
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def dispute_ids(self) -> list[int]:
        return [self.dispute_id]

    def get_absolute_url(self) -> str:
        return self.path_for(self.pk, self.dispute.slug)

    @staticmethod
    def path_for(letter_id: int, dispute_slug: str) -> str:
        """A letter's place on its dispute's page, from ids alone (for exports that read rows)."""
        return f"{Dispute.path_for(dispute_slug)}#letter-{letter_id}"

    def answered_sincerely(self) -> bool:
        """Whether a response to this letter was judged sincere: only that answers a letter.

        Reads, in order, the ``has_sincere_response`` annotation (``with_sincere_response``), prefetched
        responses, or the database (one query).
        """
        annotated = getattr(self, "has_sincere_response", None)
        if annotated is not None:
            return bool(annotated)
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("responses")
        if prefetched is not None:
            return any(response.answers_letter for response in prefetched)
        return Response.objects.sincere().filter(letter=self).exists()

    # The columns a letter's DeadlineState is made from, besides the instant and whether it was answered.
    DEADLINE_STATE_FIELDS = (
        "sent_on",
        "dated_on",
        "announced_on",
        "response_deadline_on",
        "response_deadline_at",
        "deadline_source",
        "timezone",
        "status",
    )

    def deadline_state(self, *, at: dt.datetime | None = None, answered: bool | None = None) -> DeadlineState:
        """Where the letter stands against its deadline at ``at`` (now by default): the one rule for every
        page, email, chart, feed, export and the API. ``answered`` saves a query when the caller knows it."""
        return self.deadline_state_of(
            at=at or timezone.now(),
            answered=self.answered_sincerely() if answered is None else answered,
            **{name: getattr(self, name) for name in self.DEADLINE_STATE_FIELDS},
        )

    @classmethod
    def deadline_state_of(
        cls,
        *,
        at: dt.datetime,
        answered: bool,
        sent_on: dt.date | None,
        dated_on: dt.date | None,
        announced_on: dt.date | None,
        response_deadline_on: dt.date | None,
        response_deadline_at: dt.datetime | None,
        deadline_source: str,
        timezone: str,
        status: str,
    ) -> DeadlineState:
        """A letter's DeadlineState from the plain values of its ``DEADLINE_STATE_FIELDS``: what
        ``deadline_state`` builds from an instance and the exports from a row read with ``values_list``."""
        return DeadlineState(
            at=at,
            letter_date=cls.date_of(sent_on=sent_on, dated_on=dated_on, announced_on=announced_on),
            deadline_on=response_deadline_on,
            deadline_at=response_deadline_at,
            source=deadline_source,
            timezone=timezone,
            status=status,
            answered=answered,
        )


class Demand(models.Model):
    letter = belongs_to(DemandLetter, _("letter"), related_name="demands")
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("As numbered in the letter: 1, 2, …"))
    text_original = models.TextField(_("text (original language)"), blank=True)
    original_language = models.CharField(_("original language"), max_length=10, blank=True, default="")
    text_en = models.TextField(_("text (English)"))
    text_ja = models.TextField(
        _("text (Japanese)"),
        blank=True,
        help_text=_("A translation for Japanese readers when the original is not Japanese."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.PENDING
    )
    status_note = models.CharField(_("status note"), max_length=500, blank=True)
    status_note_ja = japanese(status_note, _("status note (Japanese)"))

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
        # A letter's search document, and its dispute's, hold its demands' text.
        with transaction.atomic():
            super().save(*args, **kwargs)
            documents_changed(SearchKind.LETTER, [self.letter_id])
            documents_changed(
                SearchKind.DISPUTE,
                DemandLetter.objects.filter(pk=self.letter_id).values_list("dispute_id", flat=True),
            )

    def text_for(self, language: str | None) -> str:
        """The demand as a reader of ``language`` reads it: the original if in that language, else a translation."""
        if language and language.startswith("ja"):
            if self.original_language == "ja" and self.text_original:
                return self.text_original
            return self.text_ja or self.text_en
        if self.original_language == "en" and self.text_original:
            return self.text_original
        return self.text_en


class ResponseQuerySet(models.QuerySet):
    def awaiting_assessment(self) -> "ResponseQuerySet":
        return self.filter(assessment=Assessment.NOT_ASSESSED)

    def sincere(self) -> "ResponseQuerySet":
        """Responses judged sincere: the only ones that answer a letter."""
        return self.filter(assessment=Assessment.SINCERE)


class Response(TimelineRecord, Quoted, Timestamped):
    """A reply to a letter, in whatever form it came, and staff's judgement of it.

    Only a response assessed as sincere answers a letter; anything else leaves the clock running.
    """

    search_kind = SearchKind.RESPONSE

    letter = belongs_to(DemandLetter, _("letter"), related_name="responses")
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
    date_sort = models.BigIntegerField(
        _("sort key"),
        default=0,
        editable=False,
        help_text=_("Orders responses on timelines: a month-only date after the dated entries of its month."),
    )
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ResponseChannel.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    title_ja = japanese(title, _("title (Japanese)"))
    summary = models.TextField(_("summary"), blank=True)
    summary_ja = japanese(summary, _("summary (Japanese)"))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    assessment = models.CharField(
        _("assessment"), max_length=20, choices=Assessment.choices, default=Assessment.NOT_ASSESSED
    )
    assessed_by = optional_link(
        settings.AUTH_USER_MODEL, _("assessed by"), on_delete=models.SET_NULL, related_name="assessments"
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessment_reason = models.TextField(_("why"), blank=True, help_text=_("Why staff judged it so."))
    assessment_reason_ja = japanese(assessment_reason, _("why (Japanese)"))
    sources = sources_cited("responses")
    reported_dates = GenericRelation(ReportedDate)

    objects = ResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["responded_on", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["assessment", "responded_on"], name="response_assessment_idx"),
            models.Index(fields=["date_sort", "id"], name="response_date_sort_idx"),
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

    @property
    def answers_letter(self) -> bool:
        """Judged sincere: only such a response answers its letter (``ResponseQuerySet.sincere`` in SQL)."""
        return self.assessment == Assessment.SINCERE

    def get_absolute_url(self) -> str:
        return f"{self.letter.dispute.get_absolute_url()}#response-{self.pk}"

    def clean(self) -> None:
        self.responded_on = normalise_partial_date(self.responded_on, self.date_precision)
        errors: dict[str, str] = dict(self.clean_quote())
        try:
            letter = self.letter
        except DemandLetter.DoesNotExist:
            letter = None
        if letter and self.responded_on:
            # Decided at the coarsest precision that can decide it: a response known only to "2025-10" cannot be
            # said to be before a letter of 27 October 2025, but one of "2025-09" can.
            earliest = min(d for d in (letter.dated_on, letter.sent_on) if d) if letter.date else None
            if earliest and (
                compare_partial_dates(self.responded_on, self.date_precision, earliest, letter.date_precision)
                == -1
            ):
                errors["responded_on"] = _(
                    "A response cannot be dated before the letter it answers: %(response)s is before the "
                    "letter's %(letter)s."
                ) % {
                    "response": format_partial_date(self.responded_on, self.date_precision),
                    "letter": format_partial_date(earliest, letter.date_precision),
                }
        if (self.channel == ResponseChannel.NONE) != (self.assessment == Assessment.NO_REPLY):
            errors["assessment"] = _(
                "“No reply” goes with the channel “No reply reported”, and only with it."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.responded_on = normalise_partial_date(self.responded_on, self.date_precision)
        self.date_sort = date_sort_key(self.responded_on, self.date_precision)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "responded_on", "date_sort"}
        super().save(*args, **kwargs)

    def dispute_ids(self) -> list[int]:
        return list(DemandLetter.objects.filter(pk=self.letter_id).values_list("dispute_id", flat=True))


class DeadlineChange(models.Model):
    """A record of each change to a letter's deadline: an extension, a correction, a first deadline."""

    letter = belongs_to(DemandLetter, _("letter"), related_name="deadline_changes")
    version = models.PositiveIntegerField(_("version"))
    previous_on = models.DateField(_("previous deadline"), null=True, blank=True)
    new_on = models.DateField(_("new deadline"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=DeadlineSource.choices)
    reason = models.CharField(_("reason"), max_length=500)
    changed_by = optional_link(settings.AUTH_USER_MODEL, _("changed by"), on_delete=models.SET_NULL)
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


class LetterOrganization(models.Model):
    """An organization a letter names besides its sender and its main recipient (one row per organization)."""

    class Meta:
        abstract = True
        ordering = ["letter", "id"]
        constraints = [models.UniqueConstraint(fields=["letter", "organization"], name="%(class)s_unique")]

    def __str__(self) -> str:
        return str(self.organization)


class LetterRecipient(LetterOrganization):
    """A recipient of a letter besides its main one (a letter to OpenAI and Microsoft together)."""

    letter = belongs_to(DemandLetter, _("letter"), related_name="recipient_links")
    organization = models.ForeignKey(
        Organization, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("e.g. “copied”."))

    class Meta(LetterOrganization.Meta):
        verbose_name = _("other recipient")
        verbose_name_plural = _("other recipients")

    def clean(self) -> None:
        try:
            letter = self.letter
        except DemandLetter.DoesNotExist:
            return
        if self.organization_id and self.organization_id in (letter.recipient_id, letter.sender_id):
            raise ValidationError(
                {"organization": _("This is already the letter's main recipient or its sender.")}
            )


class LetterOnBehalf(LetterOrganization):
    """A member or client on whose behalf a letter was sent."""

    letter = belongs_to(DemandLetter, _("letter"), related_name="on_behalf_links")
    organization = models.ForeignKey(
        Organization, verbose_name=_("on behalf of"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(LetterOrganization.Meta):
        verbose_name = _("on behalf of")
        verbose_name_plural = _("on behalf of")
