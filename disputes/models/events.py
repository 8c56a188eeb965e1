"""Every other dated happening on a dispute's timeline."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import m2m_changed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import (
    DatePrecision,
    DateQualifier,
    Timestamped,
    choices_check,
    compare_partial_dates,
    date_sort_key,
    format_partial_date,
    normalise_partial_date,
)
from .derived import TimelineRecord, disputes_changed
from .disputes import Dispute
from .fields import belongs_to, japanese, optional_link, party_links, sources_cited
from .organizations import AIProduct, Organization, Person
from .search import SearchKind
from .sources import ReportedDate
from .translations import Quoted


class EventKind(models.TextChoices):
    LAUNCH = "launch", _("Launch")
    STATEMENT = "statement", _("Statement")
    GOVERNMENT = "government", _("Government action")
    LAWSUIT = "lawsuit", _("Lawsuit")
    FILING = "filing", _("Court filing")
    HEARING = "hearing", _("Hearing or trial")
    RULING = "ruling", _("Ruling")
    APPEAL = "appeal", _("Appeal")
    SETTLEMENT = "settlement", _("Settlement")
    LICENSE = "license", _("Licence")
    LAW = "law", _("Law or policy")
    RESPONSE = "response", _("Response")
    OTHER = "other", _("Other")


class EventQuerySet(models.QuerySet):
    def for_timeline(self) -> "EventQuerySet":
        return self.select_related("actor", "actor_person", "proceeding").order_by("date_sort", "id")

    def newest_first(self) -> "EventQuerySet":
        return self.order_by("-date_sort", "-id")


class PartialDateFields(models.Model):
    """A date known to the day, month or year, perhaps "around" or "before" it, perhaps a range.

    ``date_sort`` is kept for SQL ordering and paging (see ``date_sort_key``); save() normalises a month-only or
    year-only date to its first day so "2025-11-19 with month precision" is stored and shown as November 2025.
    """

    date = models.DateField(
        _("date"),
        help_text=_("For a month or a year, any day in it: it is stored as the first day at that precision."),
    )
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_qualifier = models.CharField(
        _("qualifier"),
        max_length=10,
        choices=DateQualifier.choices,
        default=DateQualifier.EXACT,
        help_text=_("“Around” or “before” when the sources say so."),
    )
    date_end = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For a period (“February to June 2025”): its end.")
    )
    date_end_precision = models.CharField(
        _("until: precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_sort = models.BigIntegerField(_("sort key"), default=0, editable=False, db_index=True)

    class Meta:
        abstract = True

    def normalise_dates(self) -> None:
        self.date = normalise_partial_date(self.date, self.date_precision)
        self.date_end = normalise_partial_date(self.date_end, self.date_end_precision)
        self.date_sort = date_sort_key(
            self.date, self.date_precision, end=self.date_end, end_precision=self.date_end_precision
        )

    def clean_dates(self) -> dict[str, str]:
        errors = {}
        if self.date and self.date_end:
            order = compare_partial_dates(
                self.date_end, self.date_end_precision, self.date, self.date_precision
            )
            if order == -1:
                errors["date_end"] = _("The end of the period (%(end)s) is before its start (%(start)s).") % {
                    "end": format_partial_date(self.date_end, self.date_end_precision),
                    "start": format_partial_date(self.date, self.date_precision),
                }
        return errors

    @property
    def display_date(self) -> str:
        text = format_partial_date(self.date, self.date_precision)
        if self.date_end:
            text = f"{text} – {format_partial_date(self.date_end, self.date_end_precision)}"
        if self.date_qualifier and self.date_qualifier != DateQualifier.EXACT:
            text = f"{self.get_date_qualifier_display()} {text}"
        return text


class Event(TimelineRecord, PartialDateFields, Quoted, Timestamped):
    search_kind = SearchKind.EVENT

    disputes = models.ManyToManyField(Dispute, verbose_name=_("disputes"), related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    proceeding = optional_link(
        "Proceeding",
        _("proceeding"),
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("The lawsuit or other proceeding it happened in, if any."),
    )
    title = models.CharField(_("title"), max_length=300)
    title_ja = japanese(title, _("title (Japanese)"))
    title_original = models.CharField(_("title (original)"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_ja = japanese(summary, _("summary (Japanese)"))
    actor = optional_link(Organization, _("actor"), on_delete=models.SET_NULL, related_name="events")
    actor_person = optional_link(Person, _("person"), on_delete=models.SET_NULL, related_name="events")
    products = models.ManyToManyField(
        AIProduct, verbose_name=_("AI products"), related_name="events", blank=True
    )
    low_confidence = models.BooleanField(
        _("low confidence"), default=False, help_text=_("Only aggregators or forums report it.")
    )
    sources = sources_cited("events")
    reported_dates = GenericRelation(ReportedDate)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date_sort", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["date", "id"], name="event_date_idx"),
            models.Index(fields=["kind", "date"]),
            # Feeds list the newest records first.
            models.Index(fields=["created_at", "id"], name="event_created_idx"),
        ]
        constraints = [
            choices_check("kind", EventKind, "event_kind_valid"),
            choices_check("date_precision", DatePrecision, "event_precision_valid"),
            choices_check("date_end_precision", DatePrecision, "event_end_precision_valid"),
            choices_check("date_qualifier", DateQualifier, "event_qualifier_valid"),
            models.CheckConstraint(
                condition=models.Q(date_end__isnull=True) | models.Q(date_end__gte=models.F("date")),
                name="event_period_ends_after_start",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_date} {self.get_kind_display()}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.normalise_dates()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "date", "date_end", "date_sort"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The event on the page of its first dispute (the one added first), or on the timeline if it belongs
        to none. Reads prefetched disputes when there are some, so a list of events costs no query per event.
        """
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("disputes")
        if prefetched is not None:
            first = min(prefetched, key=lambda d: d.pk, default=None)
        else:
            first = self.disputes.order_by("pk").only("slug").first()
        return self.path_for(self.pk, first.slug if first else None)

    @staticmethod
    def path_for(event_id: int, first_dispute_slug: str | None) -> str:
        """An event's place on its first dispute's page, or on the timeline; from ids alone (for exports)."""
        if first_dispute_slug is None:
            return f"{reverse('disputes:timeline')}#event-{event_id}"
        return f"{Dispute.path_for(first_dispute_slug)}#event-{event_id}"

    def dispute_ids(self) -> list[int]:
        # A new event has no disputes yet; linking it to some refreshes them (``_links_changed`` below).
        if self.pk is None:
            return []
        return list(self.disputes.values_list("pk", flat=True))

    def clean(self) -> None:
        self.normalise_dates()
        errors = self.clean_dates()
        errors.update(self.clean_quote())
        if errors:
            raise ValidationError(errors)

    @property
    def actors(self) -> list:
        """The primary actor (organization or person) first, then the other actors (prefetch ``other_actors``)."""
        names = [a for a in (self.actor, self.actor_person) if a is not None]
        names.extend(extra.organization or extra.person for extra in self.other_actors.all())
        return names


class EventActor(models.Model):
    """Another organization or person acting in an event, besides its primary actor."""

    event = belongs_to(Event, _("event"), related_name="other_actors")
    organization, person = party_links("events_also")
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("e.g. “co-signatory”."))
    role_ja = japanese(role, _("role (Japanese)"))

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("other actor")
        verbose_name_plural = _("other actors")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(organization__isnull=False) & models.Q(person__isnull=True))
                | (models.Q(organization__isnull=True) & models.Q(person__isnull=False)),
                name="eventactor_one_actor",
                violation_error_message=_("An actor is an organization or a person: exactly one of them."),
            ),
            models.UniqueConstraint(fields=["event", "organization"], name="eventactor_unique_organization"),
            models.UniqueConstraint(fields=["event", "person"], name="eventactor_unique_person"),
        ]

    def __str__(self) -> str:
        return str(self.organization or self.person)

    def clean(self) -> None:
        if bool(self.organization_id) == bool(self.person_id):
            raise ValidationError(_("An actor is an organization or a person: give exactly one of them."))


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """An event joined or left disputes: their search documents and latest activity follow.

    The one signal receiver of the record, because links are written by ``event.disputes.add/set/remove``
    from the admin's form, the demo loader, importers and tests alike, after the event is saved; there is no
    single save path to call from. ``pre_clear`` remembers which disputes a ``clear()`` is about to drop.
    """
    if action == "pre_clear":
        ids = {instance.pk} if reverse else set(instance.disputes.values_list("pk", flat=True))
        instance._activity_cleared = (reverse, ids)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        reverse, pk_set = getattr(instance, "_activity_cleared", (reverse, set()))
    # dispute.events.add(event, …) has the dispute as the instance; event.disputes.add(…) the disputes' ids.
    disputes_changed([instance.pk] if reverse else (pk_set or ()))


m2m_changed.connect(_links_changed, sender=Event.disputes.through, dispatch_uid="event_disputes_activity")
