"""Dockets followed on CourtListener, and the docket entries already brought into the record as events."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .common import choices_check
from .disputes import Dispute
from .events import Event


class SyncStatus(models.TextChoices):
    NEVER = "never", _("Not checked yet")
    OK = "ok", _("Up to date")
    UNREACHABLE = "unreachable", _("CourtListener unreachable")
    UNAUTHORISED = "unauthorised", _("API token missing or refused")
    NOT_FOUND = "not_found", _("Docket not found")
    ERROR = "error", _("Error")


class CourtListenerDocketQuerySet(models.QuerySet):
    def due(self) -> "CourtListenerDocketQuerySet":
        """Linked dockets, least recently checked first."""
        return self.filter(courtlistener_id__isnull=False).order_by(
            models.F("checked_at").asc(nulls_first=True), "id"
        )


class CourtListenerDocket(models.Model):
    """A court docket of a dispute, with the CourtListener docket id that keeps it fresh."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="courtlistener_dockets"
    )
    court = models.CharField(_("court"), max_length=300, blank=True)
    number = models.CharField(_("docket number"), max_length=100, blank=True)
    courtlistener_id = models.PositiveBigIntegerField(
        _("CourtListener docket id"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The number in courtlistener.com/docket/<id>/…; empty when the docket is elsewhere."),
    )
    url = models.URLField(_("link"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SyncStatus.choices, default=SyncStatus.NEVER
    )
    status_detail = models.CharField(_("detail"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_ok_at = models.DateTimeField(_("last up to date"), null=True, blank=True)
    date_modified = models.CharField(
        _("CourtListener's last change"),
        max_length=40,
        blank=True,
        help_text=_("date_modified as the API gave it."),
    )

    objects = CourtListenerDocketQuerySet.as_manager()

    class Meta:
        ordering = ["dispute__title", "number"]
        verbose_name = _("CourtListener docket")
        verbose_name_plural = _("CourtListener dockets")
        constraints = [
            choices_check("status", SyncStatus, "courtlistenerdocket_status_valid"),
            models.UniqueConstraint(fields=["dispute", "court", "number"], name="courtlistenerdocket_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.number}".strip() or str(self.courtlistener_id)


class CourtListenerEntry(models.Model):
    """A docket entry already turned into an event, so a refresh adds each entry once."""

    docket = models.ForeignKey(
        CourtListenerDocket, verbose_name=_("docket"), on_delete=models.CASCADE, related_name="entries"
    )
    entry_id = models.PositiveBigIntegerField(_("CourtListener entry id"), unique=True)
    entry_number = models.PositiveIntegerField(_("entry number"), null=True, blank=True)
    event = models.ForeignKey(
        Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["docket", "entry_number", "entry_id"]
        verbose_name = _("CourtListener docket entry")
        verbose_name_plural = _("CourtListener docket entries")

    def __str__(self) -> str:
        return f"{self.docket} #{self.entry_number or self.entry_id}"
