"""Lawsuits, arbitrations and complaints to regulators within a dispute: forum, dockets, parties, claims, rulings.

A proceeding is heard by a forum (a court is an ``Organization`` of kind court, with its jurisdiction and level),
has docket numbers, judges, parties with their procedural roles (organizations, people or a class), claims drawn
from a controlled list of causes of action, rulings with an outcome per claim, and appeals (a proceeding whose
``appeal_of`` is the one appealed). Amounts (claimed, awarded, settled, licence fees) hang off a dispute and,
where they belong, a proceeding, a ruling or an event.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .common import (
    DatePrecision,
    Timestamped,
    choices_check,
    compare_partial_dates,
    date_sort_key,
    format_partial_date,
    normalise_partial_date,
    validate_currency,
)
from .constraints import dates_in_order_check, different_check
from .disputes import Dispute, PartyFields, one_party_check
from .events import Event
from .fields import belongs_to, japanese, optional_link, party_links, sources_cited
from .organizations import Jurisdiction, Organization, Person
from .sources import ReportedDate


class ProceedingKind(models.TextChoices):
    LAWSUIT = "lawsuit", _("Lawsuit")
    CLASS_ACTION = "class_action", _("Class action")
    APPEAL = "appeal", _("Appeal")
    MDL = "mdl", _("Consolidated or multidistrict litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    MEDIATION = "mediation", _("Mediation")
    REGULATOR_COMPLAINT = "regulator_complaint", _("Complaint to a regulator")
    CRIMINAL_COMPLAINT = "criminal_complaint", _("Criminal complaint")
    OTHER = "other", _("Other")


class ProceedingStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced or reported, not confirmed filed")
    PENDING = "pending", pgettext_lazy("proceeding status", "Pending")
    STAYED = "stayed", _("Stayed")
    ON_APPEAL = "on_appeal", _("Decided, on appeal")
    CLOSED = "closed", _("Closed")


class Disposition(models.TextChoices):
    NONE = "", _("Not yet disposed of")
    FOR_CLAIMANT = "for_claimant", _("Judgment for the claimant")
    FOR_RESPONDENT = "for_respondent", _("Judgment for the respondent")
    MIXED = "mixed", _("Mixed judgment")
    SETTLED = "settled", _("Settled")
    DISMISSED = "dismissed", _("Dismissed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONSOLIDATED = "consolidated", _("Consolidated into another proceeding")
    OTHER = "other", _("Other")


class ProceedingRole(models.TextChoices):
    PLAINTIFF = "plaintiff", _("Plaintiff or claimant")
    DEFENDANT = "defendant", _("Defendant or respondent")
    CLASS_REPRESENTATIVE = "class_representative", _("Class representative")
    CLASS = "class", _("Class")
    INTERVENOR = "intervenor", _("Intervenor")
    AMICUS = "amicus", _("Amicus curiae")
    APPELLANT = "appellant", _("Appellant")
    APPELLEE = "appellee", _("Appellee or respondent on appeal")
    COMPLAINANT = "complainant", _("Complainant")
    COUNSEL = "counsel", _("Counsel")
    THIRD_PARTY = "third_party", _("Third party")


class JudgeRole(models.TextChoices):
    PRESIDING = "presiding", _("Presiding judge")
    JUDGE = "judge", _("Judge")
    MAGISTRATE = "magistrate", _("Magistrate judge")
    PANEL = "panel", _("Panel member")
    ARBITRATOR = "arbitrator", _("Arbitrator")
    MEDIATOR = "mediator", _("Mediator")


class RulingKind(models.TextChoices):
    MOTION_TO_DISMISS = "motion_to_dismiss", _("Motion to dismiss or strike out")
    SUMMARY_JUDGMENT = "summary_judgment", _("Summary judgment")
    JUDGMENT = "judgment", _("Judgment after trial")
    INJUNCTION = "injunction", _("Injunction")
    DISCOVERY = "discovery", _("Discovery or preservation order")
    PROCEDURAL = "procedural", _("Procedural order")
    CLASS_CERTIFICATION = "class_certification", _("Class certification")
    SETTLEMENT_APPROVAL = "settlement_approval", _("Settlement approval")
    APPEAL_DECISION = "appeal_decision", _("Decision on appeal")
    OTHER = "other", _("Other")


class ClaimOutcome(models.TextChoices):
    SURVIVES = "survives", _("Survives (goes ahead)")
    DISMISSED_WITH_LEAVE = "dismissed_with_leave", _("Dismissed with leave to amend")
    DISMISSED = "dismissed", _("Dismissed")
    UPHELD = "upheld", _("Upheld (for the claimant)")
    REJECTED = "rejected", _("Rejected (for the respondent)")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn or dropped")
    SETTLED = "settled", _("Settled")
    REVERSED = "reversed", _("Reversed on appeal")
    AFFIRMED = "affirmed", _("Affirmed on appeal")


class CauseOfAction(models.Model):
    """A cause of action from the controlled list (copyright infringement, DMCA § 1202, ...); admins extend it."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name (English)"), max_length=200, unique=True)
    name_ja = japanese(name, _("name (Japanese)"))
    statute = models.CharField(
        _("statute"), max_length=200, blank=True, help_text=_("e.g. 17 U.S.C. § 1202, 著作権法第30条の4.")
    )
    jurisdiction = optional_link(
        Jurisdiction,
        _("jurisdiction"),
        on_delete=models.PROTECT,
        help_text=_("Leave empty when it exists in many legal systems."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cause of action")
        verbose_name_plural = _("causes of action")

    def __str__(self) -> str:
        return self.name


class ProceedingQuerySet(models.QuerySet):
    def for_dispute_page(self) -> ProceedingQuerySet:
        return self.select_related("forum", "forum__jurisdiction", "appeal_of").order_by("filed_sort", "id")

    def open(self) -> ProceedingQuerySet:
        return self.exclude(status=ProceedingStatus.CLOSED)


class Proceeding(Timestamped):
    dispute = belongs_to(Dispute, _("dispute"), related_name="proceedings")
    kind = models.CharField(
        _("kind"), max_length=30, choices=ProceedingKind.choices, default=ProceedingKind.LAWSUIT
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("As the case is cited, e.g. “Bartz v. Anthropic PBC”.")
    )
    title_ja = japanese(title, _("title (Japanese)"))
    forum = optional_link(
        Organization,
        _("court or forum"),
        on_delete=models.PROTECT,
        related_name="proceedings_heard",
        help_text=_("A court (an organization of kind “court”), a regulator or an arbitral body."),
    )
    appeal_of = optional_link(
        "self",
        _("appeal of"),
        on_delete=models.PROTECT,
        related_name="appeals",
        help_text=_("For an appeal: the proceeding whose decision is appealed."),
    )
    consolidated_into = optional_link(
        "self", _("consolidated into"), on_delete=models.SET_NULL, related_name="consolidated"
    )
    filed_on = models.DateField(_("filed"), null=True, blank=True)
    filed_precision = models.CharField(
        _("filed: precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closed_precision = models.CharField(
        _("closed: precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    filed_sort = models.BigIntegerField(_("sort key"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ProceedingStatus.choices, default=ProceedingStatus.PENDING
    )
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition.choices, default=Disposition.NONE, blank=True
    )
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    status_note_ja = japanese(status_note, _("status note (Japanese)"))
    summary = models.TextField(_("summary"), blank=True)
    summary_ja = japanese(summary, _("summary (Japanese)"))
    judges = models.ManyToManyField(
        Person,
        verbose_name=_("judges"),
        through="ProceedingJudge",
        related_name="proceedings_judged",
        blank=True,
    )
    causes = models.ManyToManyField(
        CauseOfAction, verbose_name=_("claims"), through="Claim", related_name="proceedings", blank=True
    )
    sources = sources_cited("proceedings")
    reported_dates = GenericRelation(ReportedDate)

    objects = ProceedingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["dispute", "filed_sort", "id"]
        verbose_name = _("proceeding")
        verbose_name_plural = _("proceedings")
        constraints = [
            choices_check("kind", ProceedingKind, "proceeding_kind_valid"),
            choices_check("status", ProceedingStatus, "proceeding_status_valid"),
            choices_check("disposition", Disposition, "proceeding_disposition_valid"),
            choices_check("filed_precision", DatePrecision, "proceeding_filed_precision_valid"),
            choices_check("closed_precision", DatePrecision, "proceeding_closed_precision_valid"),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(disposition=""),
                name="proceeding_closed_has_disposition",
                violation_error_message=_("A closed proceeding needs its disposition (how it ended)."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["announced", "pending", "stayed"])
                | Q(disposition__in=["", "consolidated"]),
                name="proceeding_open_has_no_disposition",
                violation_error_message=_(
                    "A proceeding still pending has no disposition; set the status to closed or on appeal."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(status="closed"),
                name="proceeding_closed_on_only_when_closed",
                violation_error_message=_("Only a closed proceeding has a closing date."),
            ),
            dates_in_order_check(
                "filed_on",
                "closed_on",
                "proceeding_closed_not_before_filed",
                _("A proceeding cannot close before it was filed."),
            ),
            different_check(
                "appeal_of",
                "id",
                "proceeding_not_own_appeal",
                _("A proceeding cannot be an appeal of itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_filed(self) -> str:
        return format_partial_date(self.filed_on, self.filed_precision)

    @property
    def display_closed(self) -> str:
        return format_partial_date(self.closed_on, self.closed_precision)

    def normalise_dates(self) -> None:
        self.filed_on = normalise_partial_date(self.filed_on, self.filed_precision)
        self.closed_on = normalise_partial_date(self.closed_on, self.closed_precision)
        self.filed_sort = date_sort_key(self.filed_on, self.filed_precision)

    def clean(self) -> None:
        self.normalise_dates()
        errors: dict[str, str] = {}
        if self.status == ProceedingStatus.CLOSED and not self.disposition:
            errors["disposition"] = _("A closed proceeding needs its disposition (how it ended).")
        if self.status in (
            ProceedingStatus.ANNOUNCED,
            ProceedingStatus.PENDING,
            ProceedingStatus.STAYED,
        ) and (self.disposition not in (Disposition.NONE, Disposition.CONSOLIDATED)):
            errors["disposition"] = _(
                "A proceeding still pending has no disposition; set the status to closed or on appeal."
            )
        if self.closed_on and self.status != ProceedingStatus.CLOSED:
            errors["closed_on"] = _("Only a closed proceeding has a closing date.")
        if self.closed_on and self.filed_on:
            order = compare_partial_dates(
                self.closed_on, self.closed_precision, self.filed_on, self.filed_precision
            )
            if order == -1:
                errors["closed_on"] = _("It cannot close (%(closed)s) before it was filed (%(filed)s).") % {
                    "closed": self.display_closed,
                    "filed": self.display_filed,
                }
        if self.appeal_of_id and self.pk and self.appeal_of_id == self.pk:
            errors["appeal_of"] = _("A proceeding cannot be an appeal of itself.")
        appealed = self.appeal_of if self.appeal_of_id else None
        if appealed is not None and appealed.filed_on and self.filed_on:
            order = compare_partial_dates(
                self.filed_on, self.filed_precision, appealed.filed_on, appealed.filed_precision
            )
            if order == -1:
                errors["filed_on"] = _(
                    "An appeal (%(appeal)s) cannot be filed before the proceeding it appeals (%(appealed)s)."
                ) % {"appeal": self.display_filed, "appealed": appealed.display_filed}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.normalise_dates()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "filed_on", "closed_on", "filed_sort"}
        super().save(*args, **kwargs)


class DocketNumber(models.Model):
    """A docket or case number under which a court hears a proceeding (a case can have several, e.g. after MDL)."""

    proceeding = belongs_to(Proceeding, _("proceeding"), related_name="dockets")
    number = models.CharField(
        _("number"), max_length=100, help_text=_("As the court writes it, e.g. 3:24-cv-05417-WHA.")
    )
    court = optional_link(
        Organization,
        _("court"),
        on_delete=models.PROTECT,
        related_name="dockets",
        help_text=_("Leave empty for the proceeding's own court."),
    )
    courtlistener_id = models.PositiveBigIntegerField(
        _("CourtListener docket id"),
        null=True,
        blank=True,
        help_text=_("The number in courtlistener.com/docket/<id>/."),
    )
    url = models.URLField(_("docket URL"), max_length=1000, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proceeding", "id"]
        verbose_name = _("docket number")
        verbose_name_plural = _("docket numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding", "number"], name="docketnumber_unique_per_proceeding"
            ),
            models.UniqueConstraint(
                fields=["courtlistener_id"],
                condition=Q(courtlistener_id__isnull=False),
                name="docketnumber_unique_courtlistener",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def courtlistener_url(self) -> str:
        if self.url:
            return self.url
        return (
            f"https://www.courtlistener.com/docket/{self.courtlistener_id}/" if self.courtlistener_id else ""
        )


class ProceedingJudge(models.Model):
    proceeding = belongs_to(Proceeding, _("proceeding"), related_name="judge_links")
    person = models.ForeignKey(Person, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=JudgeRole.choices, default=JudgeRole.PRESIDING)

    class Meta:
        ordering = ["proceeding", "role", "id"]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            choices_check("role", JudgeRole, "proceedingjudge_role_valid"),
            models.UniqueConstraint(fields=["proceeding", "person"], name="proceedingjudge_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class ProceedingParty(PartyFields):
    """A party to a proceeding with its procedural role: an organization, a person or a class."""

    proceeding = belongs_to(Proceeding, _("proceeding"), related_name="parties")
    organization, person = party_links("proceeding_roles")
    role = models.CharField(_("role"), max_length=30, choices=ProceedingRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proceeding", "role", "id"]
        verbose_name = _("party to the proceeding")
        verbose_name_plural = _("parties to the proceeding")
        constraints = [
            choices_check("role", ProceedingRole, "proceedingparty_role_valid"),
            one_party_check("proceedingparty_one_party"),
            models.UniqueConstraint(
                fields=["proceeding", "organization", "role"], name="proceedingparty_unique_organization"
            ),
            models.UniqueConstraint(
                fields=["proceeding", "person", "role"], name="proceedingparty_unique_person"
            ),
        ]


class Claim(models.Model):
    """A cause of action pleaded in a proceeding."""

    proceeding = belongs_to(Proceeding, _("proceeding"), related_name="claims")
    cause = models.ForeignKey(
        CauseOfAction, verbose_name=_("cause of action"), on_delete=models.PROTECT, related_name="claims"
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("e.g. “against OpenAI only”."))
    note_ja = japanese(note, _("note (Japanese)"))

    class Meta:
        ordering = ["proceeding", "id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "cause"], name="claim_unique_per_proceeding")
        ]

    def __str__(self) -> str:
        return f"{self.cause}" + (f" ({self.note})" if self.note else "")


class Ruling(Timestamped):
    """A court's decision in a proceeding, with its outcome for each claim it decides."""

    proceeding = belongs_to(Proceeding, _("proceeding"), related_name="rulings")
    kind = models.CharField(_("kind"), max_length=30, choices=RulingKind.choices)
    decided_on = models.DateField(_("decided"))
    decided_precision = models.CharField(
        _("decided: precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    title = models.CharField(_("title"), max_length=300)
    title_ja = japanese(title, _("title (Japanese)"))
    citation = models.CharField(
        _("citation"), max_length=200, blank=True, help_text=_("e.g. [2025] EWHC 2863 (Ch).")
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_ja = japanese(summary, _("summary (Japanese)"))
    judges = models.ManyToManyField(Person, verbose_name=_("judges"), related_name="rulings", blank=True)
    event = models.OneToOneField(
        Event,
        verbose_name=_("event on the timeline"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ruling",
        help_text=_("The timeline's event for this ruling, if there is one."),
    )
    sources = sources_cited("rulings")
    reported_dates = GenericRelation(ReportedDate)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proceeding", "decided_on", "id"]
        verbose_name = _("ruling")
        verbose_name_plural = _("rulings")
        constraints = [
            choices_check("kind", RulingKind, "ruling_kind_valid"),
            choices_check("decided_precision", DatePrecision, "ruling_precision_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.display_date} {self.title}"

    @property
    def display_date(self) -> str:
        return format_partial_date(self.decided_on, self.decided_precision)

    @property
    def date_sort(self) -> int:
        return date_sort_key(self.decided_on, self.decided_precision)

    def clean(self) -> None:
        self.decided_on = normalise_partial_date(self.decided_on, self.decided_precision)
        try:
            proceeding = self.proceeding
        except Proceeding.DoesNotExist:
            return
        if proceeding.filed_on and self.decided_on:
            order = compare_partial_dates(
                self.decided_on, self.decided_precision, proceeding.filed_on, proceeding.filed_precision
            )
            if order == -1:
                raise ValidationError(
                    {
                        "decided_on": _(
                            "A ruling (%(ruling)s) cannot come before the proceeding was filed (%(filed)s)."
                        )
                        % {"ruling": self.display_date, "filed": proceeding.display_filed}
                    }
                )

    def save(self, *args, **kwargs) -> None:
        self.decided_on = normalise_partial_date(self.decided_on, self.decided_precision)
        super().save(*args, **kwargs)


class ClaimRuling(models.Model):
    """What a ruling decided about one claim."""

    ruling = belongs_to(Ruling, _("ruling"), related_name="outcomes")
    claim = belongs_to(Claim, _("claim"), related_name="outcomes")
    outcome = models.CharField(_("outcome"), max_length=30, choices=ClaimOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    note_ja = japanese(note, _("note (Japanese)"))

    class Meta:
        ordering = ["ruling", "id"]
        verbose_name = _("outcome for a claim")
        verbose_name_plural = _("outcomes per claim")
        constraints = [
            choices_check("outcome", ClaimOutcome, "claimruling_outcome_valid"),
            models.UniqueConstraint(fields=["ruling", "claim"], name="claimruling_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.claim.cause}: {self.get_outcome_display()}"

    def clean(self) -> None:
        if self.ruling_id and self.claim_id and self.claim.proceeding_id != self.ruling.proceeding_id:
            raise ValidationError({"claim": _("Choose a claim of the ruling's own proceeding.")})


class AmountKind(models.TextChoices):
    CLAIMED = "claimed", _("Claimed (damages sought)")
    AWARDED = "awarded", _("Awarded")
    SETTLED = "settled", _("Settlement")
    LICENCE_FEE = "licence_fee", _("Licence fee")
    INVESTMENT = "investment", _("Investment")
    OTHER = "other", _("Other")


class AmountStatus(models.TextChoices):
    CLAIMED = "claimed", _("As claimed or reported")
    CONFIRMED = "confirmed", _("Confirmed by a primary source")


class Amount(Timestamped):
    """A sum of money in a dispute: claimed, awarded, settled, a licence fee; with its currency and basis."""

    dispute = belongs_to(Dispute, _("dispute"), related_name="amounts")
    proceeding = optional_link(Proceeding, _("proceeding"), on_delete=models.CASCADE, related_name="amounts")
    ruling = optional_link(Ruling, _("ruling"), on_delete=models.CASCADE, related_name="amounts")
    event = optional_link(Event, _("event"), on_delete=models.SET_NULL, related_name="amounts")
    kind = models.CharField(_("kind"), max_length=20, choices=AmountKind.choices)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[validate_currency],
        help_text=_("ISO 4217: JPY, USD, EUR, GBP."),
    )
    value = models.DecimalField(
        _("amount"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty when only described (“billions”); say so in the basis."),
    )
    basis = models.CharField(
        _("basis"),
        max_length=500,
        blank=True,
        help_text=_("How it is reckoned, e.g. “¥ per article × articles”."),
    )
    basis_ja = japanese(basis, _("basis (Japanese)"))
    status = models.CharField(
        _("status"), max_length=10, choices=AmountStatus.choices, default=AmountStatus.CLAIMED
    )
    payer = optional_link(Organization, _("paid by"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(
        _("period from"), null=True, blank=True, help_text=_("The period the amount covers.")
    )
    period_start_precision = models.CharField(
        _("from: precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    period_end = models.DateField(_("period until"), null=True, blank=True)
    period_end_precision = models.CharField(
        _("until: precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    sources = sources_cited("amounts")
    reported_dates = GenericRelation(ReportedDate)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dispute", "kind", "id"]
        verbose_name = _("amount")
        verbose_name_plural = _("amounts")
        constraints = [
            choices_check("kind", AmountKind, "amount_kind_valid"),
            choices_check("status", AmountStatus, "amount_status_valid"),
            choices_check("period_start_precision", DatePrecision, "amount_start_precision_valid"),
            choices_check("period_end_precision", DatePrecision, "amount_end_precision_valid"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(basis=""),
                name="amount_value_or_basis",
                violation_error_message=_("Give the amount, or describe it in the basis."),
            ),
            dates_in_order_check(
                "period_start",
                "period_end",
                "amount_period_in_order",
                _("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        value = f"{self.currency} {self.value:,.0f}" if self.value is not None else self.currency
        return f"{self.get_kind_display()}: {value}" + (f" ({self.basis})" if self.basis else "")

    @property
    def display_period(self) -> str:
        start = format_partial_date(self.period_start, self.period_start_precision)
        end = format_partial_date(self.period_end, self.period_end_precision)
        return f"{start} – {end}" if start and end else start or end

    def normalise_dates(self) -> None:
        self.period_start = normalise_partial_date(self.period_start, self.period_start_precision)
        self.period_end = normalise_partial_date(self.period_end, self.period_end_precision)

    def clean(self) -> None:
        self.normalise_dates()
        errors: dict[str, str] = {}
        if self.value is None and not self.basis:
            errors["value"] = _("Give the amount, or describe it in the basis.")
        if self.period_start and self.period_end:
            order = compare_partial_dates(
                self.period_end, self.period_end_precision, self.period_start, self.period_start_precision
            )
            if order == -1:
                errors["period_end"] = _("The period cannot end before it starts.")
        for name in ("proceeding", "ruling"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            owner = getattr(related, "dispute_id", None) if name == "proceeding" else None
            if name == "ruling" and related is not None:
                owner = related.proceeding.dispute_id
            if related is not None and self.dispute_id and owner != self.dispute_id:
                errors[name] = _("It belongs to another dispute.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.normalise_dates()
        super().save(*args, **kwargs)
