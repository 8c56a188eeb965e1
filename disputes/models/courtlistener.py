"""How each docket linked to CourtListener was last refreshed, and the docket entries already made events."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .common import choices_check
from .events import Event
from .fields import belongs_to, optional_link
from .proceedings import DocketNumber


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
        return self.filter(docket__courtlistener_id__isnull=False).order_by(
            models.F("checked_at").asc(nulls_first=True), "id"
        )


class CourtListenerDocket(models.Model):
    """The refresh state of a docket number that has a CourtListener docket id: what happened last, and when."""

    docket = models.OneToOneField(
        DocketNumber, verbose_name=_("docket"), on_delete=models.CASCADE, related_name="courtlistener_sync"
    )
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
        ordering = ["docket__proceeding__title", "docket__number"]
        verbose_name = _("CourtListener refresh")
        verbose_name_plural = _("CourtListener refreshes")
        constraints = [choices_check("status", SyncStatus, "courtlistenerdocket_status_valid")]

    def __str__(self) -> str:
        return f"{self.docket} ({self.get_status_display()})"

    @property
    def courtlistener_id(self) -> int | None:
        return self.docket.courtlistener_id


class CourtListenerEntry(models.Model):
    """A docket entry already turned into an event, so a refresh adds each entry once."""

    docket = belongs_to(CourtListenerDocket, _("docket"), related_name="entries")
    entry_id = models.PositiveBigIntegerField(_("CourtListener entry id"), unique=True)
    entry_number = models.PositiveIntegerField(_("entry number"), null=True, blank=True)
    event = optional_link(Event, _("event"), on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["docket", "entry_number", "entry_id"]
        verbose_name = _("CourtListener docket entry")
        verbose_name_plural = _("CourtListener docket entries")

    def __str__(self) -> str:
        return f"{self.docket} #{self.entry_number or self.entry_id}"
