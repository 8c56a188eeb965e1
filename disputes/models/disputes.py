"""A dispute between rights holders and AI companies, and who takes part in it with which role."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import DatePrecision, Timestamped, choices_check
from .fields import belongs_to, japanese, party_links, sources_cited
from .organizations import AIProduct, Jurisdiction
from .search import Searchable, SearchKind


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


class Dispute(Searchable, Timestamped):
    search_kind = SearchKind.DISPUTE

    title = models.CharField(_("title"), max_length=300)
    title_ja = japanese(title, _("title (Japanese)"))
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("In our own words; quotes go on events.")
    )
    summary_ja = japanese(
        summary,
        _("summary (Japanese)"),
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
    status_note_ja = japanese(
        status_note,
        _("status note (Japanese)"),
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
    sources = sources_cited("disputes")
    # The latest event, letter or response on it, kept up to date when they are saved (models/activity.py).
    last_activity_sort = models.BigIntegerField(_("latest activity (sort key)"), null=True, editable=False)
    last_activity_on = models.DateField(_("latest activity"), null=True, blank=True, editable=False)
    last_activity_precision = models.CharField(
        _("latest activity: precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        editable=False,
    )
    # The earliest deadline among its open letters with no sincere response, kept up to date the same way.
    next_deadline_at = models.DateTimeField(_("next deadline"), null=True, blank=True, editable=False)

    objects = DisputeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[jurisdictions, products])

    class Meta:
        ordering = ["title"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [choices_check("stage", Stage, "dispute_stage_valid")]
        # The list's "latest activity" order has its index in migration 0016 (PostgreSQL needs NULLS LAST in
        # it, which SQLite's CREATE INDEX does not accept).

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.path_for(self.slug)

    @staticmethod
    def path_for(slug: str) -> str:
        """A dispute's page from its slug alone (exports build links from rows, not instances)."""
        return reverse("disputes:dispute-detail", kwargs={"slug": slug})


def one_party_check(name: str) -> models.CheckConstraint:
    """Exactly one of organization, person or class description: who a party is."""
    org, person, group = Q(organization__isnull=False), Q(person__isnull=False), ~Q(class_description="")
    return models.CheckConstraint(
        condition=(org & ~person & ~group) | (~org & person & ~group) | (~org & ~person & group),
        name=name,
        violation_error_message=_("A party is an organization, a person or a class: exactly one of them."),
    )


class PartyFields(models.Model):
    """Who a party is: an organization, a person (a songwriter, an author) or a class (“authors of …”)."""

    organization, person = party_links("+")
    class_description = models.CharField(
        _("class"),
        max_length=300,
        blank=True,
        help_text=_("For a class: who it is, e.g. “authors of books in LibGen and PiLiMi”."),
    )
    class_description_ja = japanese(class_description, _("class (Japanese)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    note_ja = japanese(note, _("note (Japanese)"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.who} — {self.get_role_display()}"  # the role is declared by each kind of party

    @property
    def who(self) -> str:
        if self.organization_id:
            return self.organization.display_name
        if self.person_id:
            return self.person.name
        return self.class_description

    def who_for(self, language: str | None) -> str:
        """The party's name as a reader of ``language`` reads it."""
        japanese = bool(language and language.startswith("ja"))
        if self.organization_id:
            # A Japanese reader reads the organization's full Japanese name; an English one its short name.
            return self.organization.name_in(language or "en", short=not japanese)
        if self.person_id:
            return (
                self.person.name_original if japanese and self.person.name_original else ""
            ) or self.person.name
        return (self.class_description_ja if japanese else "") or self.class_description

    def clean(self) -> None:
        given = sum(bool(x) for x in (self.organization_id, self.person_id, self.class_description))
        if given != 1:
            raise ValidationError(
                _("A party is an organization, a person or a class: give exactly one of them.")
            )


class DisputeParty(PartyFields):
    dispute = belongs_to(Dispute, _("dispute"), related_name="parties")
    organization, person = party_links("party_roles")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organization__name", "person__name", "class_description"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            choices_check("role", PartyRole, "disputeparty_role_valid"),
            models.UniqueConstraint(fields=["dispute", "organization", "role"], name="disputeparty_unique"),
            models.UniqueConstraint(fields=["dispute", "person", "role"], name="disputeparty_unique_person"),
            one_party_check("disputeparty_one_party"),
        ]
