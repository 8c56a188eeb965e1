"""Every other dated happening on a dispute's timeline."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import DatePrecision, Timestamped, choices_check, format_partial_date
from .derived import TimelineRecord, disputes_changed
from .disputes import Dispute
from .organizations import AIProduct, Organization, Person
from .search import SearchKind
from .sources import ReportedDate, Source


class EventKind(models.TextChoices):
    LAUNCH = "launch", _("Launch")
    STATEMENT = "statement", _("Statement")
    GOVERNMENT = "government", _("Government action")
    LAWSUIT = "lawsuit", _("Lawsuit")
    FILING = "filing", _("Court filing")
    RULING = "ruling", _("Ruling")
    SETTLEMENT = "settlement", _("Settlement")
    LICENSE = "license", _("Licence")
    LAW = "law", _("Law or policy")
    RESPONSE = "response", _("Response")
    OTHER = "other", _("Other")


class EventQuerySet(models.QuerySet):
    def for_timeline(self) -> "EventQuerySet":
        return self.select_related("actor", "actor_person").order_by("date", "id")


class Event(TimelineRecord, Timestamped):
    search_kind = SearchKind.EVENT

    disputes = models.ManyToManyField(Dispute, verbose_name=_("disputes"), related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    date = models.DateField(
        _("date"), help_text=_("For a month or a year, give its first day and set the precision.")
    )
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    title = models.CharField(_("title"), max_length=300)
    title_original = models.CharField(_("title (original)"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    quote = models.TextField(_("quote"), blank=True, help_text=_("Verbatim, in the language it was given."))
    actor = models.ForeignKey(
        Organization,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    actor_person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    products = models.ManyToManyField(
        AIProduct, verbose_name=_("AI products"), related_name="events", blank=True
    )
    low_confidence = models.BooleanField(
        _("low confidence"), default=False, help_text=_("Only aggregators or forums report it.")
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="events", blank=True)
    reported_dates = GenericRelation(ReportedDate)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["date", "id"], name="event_date_idx"),
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["created_at", "id"], name="event_created_idx"),
        ]
        constraints = [
            choices_check("kind", EventKind, "event_kind_valid"),
            choices_check("date_precision", DatePrecision, "event_precision_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.display_date} {self.get_kind_display()}: {self.title}"

    def dispute_ids(self) -> list[int]:
        # A new event has no disputes yet; linking it to some refreshes them (``_links_changed`` below).
        return list(self.disputes.values_list("pk", flat=True))

    @property
    def display_date(self) -> str:
        return format_partial_date(self.date, self.date_precision)


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
