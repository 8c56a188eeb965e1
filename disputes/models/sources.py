"""Where every fact comes from, and the dates that sources disagree on."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import DatePrecision, Timestamped, choices_check, format_partial_date, normalise_partial_date


class Reliability(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    ANALYSIS = "analysis", _("Law-firm or expert analysis")
    SECONDARY = "secondary", _("Secondary")
    LOW = "low", _("Low confidence")


class Source(Timestamped):
    """A public document that a fact in the record relies on."""

    url = models.URLField(_("URL"), max_length=1000, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True, help_text=_("Site or outlet."))
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("ISO 639-1 code of the text, e.g. ja or en.")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    reliability = models.CharField(
        _("reliability"),
        max_length=20,
        choices=Reliability.choices,
        default=Reliability.SECONDARY,
        help_text=_(
            "Primary: the party itself, a court or a government. Analysis: a law firm's or a scholar's reading "
            "of the documents. Secondary: a news outlet. "
            "Low confidence: an aggregator, a forum or an AI-written site."
        ),
    )
    archive_url = models.URLField(_("archive URL"), max_length=1000, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["publisher", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [choices_check("reliability", Reliability, "source_reliability_valid")]

    def __str__(self) -> str:
        label = self.title or self.url
        return f"{self.publisher}: {label}" if self.publisher else label


class RecordDateField(models.TextChoices):
    """The date fields of the record's models that a source can report (``ReportedDate.field``)."""

    DATE = "date", _("Date")
    DATE_END = "date_end", _("End of the period")
    DATED_ON = "dated_on", _("Dated (written on the letter)")
    SENT_ON = "sent_on", _("Sent")
    ANNOUNCED_ON = "announced_on", _("Announced")
    RESPONDED_ON = "responded_on", _("Responded")
    LAUNCHED_ON = "launched_on", _("Launched")
    FILED_ON = "filed_on", _("Filed")
    CLOSED_ON = "closed_on", _("Closed")
    DECIDED_ON = "decided_on", _("Decided")
    PERIOD_START = "period_start", _("Start of the period")
    PERIOD_END = "period_end", _("End of the period")


def date_fields_of(model: type[models.Model]) -> list[str]:
    """The names in ``RecordDateField`` that are real date fields of ``model``."""
    names = []
    for name in RecordDateField.values:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
            names.append(name)
    return names


class ReportedDate(Timestamped):
    """One source's date for one date field of a record (a letter's sent date, an event's date, ...).

    A record whose field has reported dates with more than one distinct value has a disputed date; the record's
    own field holds the date the editors judged best.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        _("field"),
        max_length=40,
        choices=RecordDateField.choices,
        default=RecordDateField.DATE,
        help_text=_("Which date of the record the source gives: an event's date, a letter's sent date, ..."),
    )
    date = models.DateField(_("date"))
    precision = models.CharField(
        _("precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="reported_dates"
    )
    note = models.CharField(
        _("note"), max_length=500, blank=True, help_text=_("e.g. “says ‘on Wednesday’; inferred”.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("reported date")
        verbose_name_plural = _("reported dates")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            choices_check("precision", DatePrecision, "reporteddate_precision_valid"),
            choices_check("field", RecordDateField, "reporteddate_field_valid"),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "date", "source"], name="reporteddate_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{format_partial_date(self.date, self.precision)} ({self.source})"

    @property
    def display_date(self) -> str:
        return format_partial_date(self.date, self.precision)

    def clean(self) -> None:
        self.date = normalise_partial_date(self.date, self.precision)
        if self.content_type_id and self.field:
            model = self.content_type.model_class()
            allowed = date_fields_of(model) if model else []
            if self.field not in allowed:
                raise ValidationError(
                    {
                        "field": _("A %(model)s has no date “%(field)s”; choose one of: %(allowed)s.")
                        % {
                            "model": model._meta.verbose_name if model else "?",
                            "field": self.field,
                            "allowed": ", ".join(str(RecordDateField(name).label) for name in allowed),
                        }
                    }
                )

    def save(self, *args, **kwargs) -> None:
        self.date = normalise_partial_date(self.date, self.precision)
        super().save(*args, **kwargs)


def disputed_fields(reported_dates) -> dict[str, list[ReportedDate]]:
    """Group a record's reported dates by field, keeping only the fields whose sources disagree."""
    by_field: dict[str, list[ReportedDate]] = {}
    for reported in reported_dates:
        by_field.setdefault(reported.field, []).append(reported)
    return {f: rows for f, rows in by_field.items() if len({r.date for r in rows}) > 1}
