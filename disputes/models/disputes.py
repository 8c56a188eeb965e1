"""A dispute between rights holders and AI companies, and who takes part in it with which role."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import Timestamped, choices_check
from .organizations import AIProduct, Jurisdiction, Organization
from .search import Searchable, SearchKind
from .sources import Source


class Stage(models.TextChoices):
    LETTER_SENT = "letter_sent", _("Letter sent")
    IN_DIALOGUE = "in_dialogue", _("In dialogue")
    ESCALATED = "escalated", _("Escalated")
    LITIGATION = "litigation", _("Litigation")
    SETTLED = "settled", _("Settled")
    LICENSED = "licensed", _("Licensed")
    CLOSED = "closed", _("Closed")


class PartyRole(models.TextChoices):
    CLAIMANT = "claimant", _("Claimant")
    RESPONDENT = "respondent", _("Respondent")
    ON_BEHALF_OF = "on_behalf_of", _("On whose behalf")
    GOVERNMENT = "government", _("Government")
    THIRD_PARTY = "third_party", _("Third party")


class DisputeQuerySet(models.QuerySet):
    def open(self) -> "DisputeQuerySet":
        return self.exclude(stage=Stage.CLOSED)

    def involving(self, organization: Organization) -> "DisputeQuerySet":
        """Disputes where the organization is a party, or a member of an association that is one."""
        member_of = organization.member_of.values("association_id")
        return self.filter(
            Q(parties__organization=organization) | Q(parties__organization__in=member_of)
        ).distinct()


class Dispute(Searchable, Timestamped):
    search_kind = SearchKind.DISPUTE

    title = models.CharField(_("title"), max_length=300)
    title_ja = models.CharField(_("title (Japanese)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("In our own words; quotes go on events.")
    )
    summary_ja = models.TextField(
        _("summary (Japanese)"),
        blank=True,
        help_text=_(
            "The same summary in Japanese, shown to Japanese readers; the English one is used when empty."
        ),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LETTER_SENT)
    status_note = models.CharField(
        _("status note"),
        max_length=300,
        blank=True,
        help_text=_("Where things stand, in a phrase, e.g. “awaiting response (no public reply found)”."),
    )
    status_note_ja = models.CharField(
        _("status note (Japanese)"),
        max_length=300,
        blank=True,
        help_text=_(
            "The same phrase in Japanese, shown to Japanese readers; the English one is used when empty."
        ),
    )
    jurisdictions = models.ManyToManyField(
        Jurisdiction, verbose_name=_("jurisdictions"), related_name="disputes", blank=True
    )
    products = models.ManyToManyField(
        AIProduct, verbose_name=_("AI products concerned"), related_name="disputes", blank=True
    )
    related = models.ManyToManyField("self", verbose_name=_("related disputes"), blank=True, symmetrical=True)
    case_numbers = models.CharField(
        _("case numbers"), max_length=300, blank=True, help_text=_("Court and docket numbers, if any.")
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="disputes", blank=True)
    last_activity_on = models.DateField(
        _("latest activity"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The date of its latest event, letter or response; kept up to date when they are saved."),
    )

    objects = DisputeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[jurisdictions, products])

    class Meta:
        ordering = ["title"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [choices_check("stage", Stage, "dispute_stage_valid")]
        indexes = [
            models.Index(
                F("last_activity_on").desc(nulls_last=True), "title", "id", name="dispute_activity_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disputes:dispute-detail", kwargs={"slug": self.slug})


class DisputeParty(models.Model):
    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="party_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organization__name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            choices_check("role", PartyRole, "disputeparty_role_valid"),
            models.UniqueConstraint(fields=["dispute", "organization", "role"], name="disputeparty_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.display_name} — {self.get_role_display()}"
