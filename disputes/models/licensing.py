"""Who licensed what to whom, who asked an AI company to stop, and how an AI product lets rights holders opt out."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import DatePrecision, Timestamped, choices_check, format_partial_date
from .constraints import dates_in_order_check, different_check
from .fields import belongs_to, optional_link, sources_cited
from .organizations import AIProduct, Organization


class LicenceKind(models.TextChoices):
    AI_LICENCE = "ai_licence", _("AI licence")
    TDM_LICENCE = "tdm_licence", _("Text and data mining licence")
    PUBLISHERS_PROGRAM = "publishers_program", _("Publishers' programme")
    PARTNERSHIP = "partnership", _("Partnership")
    OTHER = "other", _("Other")


class WorkType(models.TextChoices):
    LITERARY = "literary", _("Literary")
    VISUAL = "visual", _("Visual")
    AUDIO = "audio", _("Audio")
    AUDIOVISUAL = "audiovisual", _("Audiovisual")
    MIXED = "mixed", _("Mixed")
    OTHER = "other", _("Other")


class LicenceQuerySet(models.QuerySet):
    def between(self, rights_holder: Organization, ai_developer: Organization) -> "LicenceQuerySet":
        return self.filter(rights_holder=rights_holder, ai_developer=ai_developer)


class Licence(Timestamped):
    """A publicly reported licence from a rights holder to an AI developer (or to licensees it does not name)."""

    rights_holder = models.ForeignKey(
        Organization,
        verbose_name=_("rights holder"),
        on_delete=models.PROTECT,
        related_name="licences_granted",
    )
    ai_developer = optional_link(
        Organization,
        _("AI developer"),
        on_delete=models.PROTECT,
        related_name="licences_taken",
        help_text=_("Leave empty when the rights holder does not name its licensees."),
    )
    licensees_undisclosed = models.BooleanField(
        _("licensees undisclosed"),
        default=False,
        help_text=_("The rights holder licenses to AI companies it does not name."),
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=LicenceKind.choices, default=LicenceKind.AI_LICENCE
    )
    work_type = models.CharField(
        _("work type"), max_length=20, choices=WorkType.choices, default=WorkType.OTHER
    )
    content_type = models.CharField(
        _("content type"), max_length=100, blank=True, help_text=_("e.g. News, Academic, Stock images.")
    )
    products = models.ManyToManyField(
        AIProduct, verbose_name=_("AI products"), related_name="licences", blank=True
    )
    announced_on = models.DateField(
        _("announced on"), null=True, blank=True, help_text=_("Leave empty if unknown.")
    )
    announced_precision = models.CharField(
        _("precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.TextField(_("note"), blank=True)
    sources = sources_cited("licences")

    objects = LicenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rights_holder__name", "ai_developer__name"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            choices_check("kind", LicenceKind, "licence_kind_valid"),
            choices_check("work_type", WorkType, "licence_work_type_valid"),
            choices_check("announced_precision", DatePrecision, "licence_precision_valid"),
            models.CheckConstraint(
                condition=Q(ai_developer__isnull=False) | Q(licensees_undisclosed=True),
                name="licence_names_licensee_or_says_undisclosed",
                violation_error_message=_("Name the AI developer, or mark the licensees as undisclosed."),
            ),
            different_check(
                "rights_holder",
                "ai_developer",
                "licence_not_to_itself",
                _("A rights holder does not license to itself."),
            ),
            models.UniqueConstraint(
                fields=["rights_holder", "ai_developer", "kind", "content_type"], name="licence_unique"
            ),
            models.UniqueConstraint(
                fields=["rights_holder", "kind", "content_type"],
                condition=Q(ai_developer__isnull=True),
                name="licence_unique_undisclosed",
            ),
        ]

    def __str__(self) -> str:
        licensee = self.ai_developer.display_name if self.ai_developer else _("undisclosed licensees")
        return f"{self.rights_holder.display_name} → {licensee} ({self.get_kind_display()})"

    def clean(self) -> None:
        if not self.ai_developer_id and not self.licensees_undisclosed:
            raise ValidationError(
                {"ai_developer": _("Name the AI developer, or mark the licensees as undisclosed.")}
            )
        if self.ai_developer_id and self.ai_developer_id == self.rights_holder_id:
            raise ValidationError({"ai_developer": _("A rights holder does not license to itself.")})

    @property
    def display_date(self) -> str:
        return format_partial_date(self.announced_on, self.announced_precision)


class OptOutRequest(Timestamped):
    """A rights holder's request that an AI developer (or one of its products) not use its works."""

    requester = models.ForeignKey(
        Organization,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="opt_out_requests",
    )
    ai_developer = models.ForeignKey(
        Organization,
        verbose_name=_("AI developer"),
        on_delete=models.PROTECT,
        related_name="opt_out_requests_received",
    )
    product = optional_link(
        AIProduct, _("AI product"), on_delete=models.SET_NULL, related_name="opt_out_requests"
    )
    mechanism = optional_link(
        "OptOutMechanism",
        _("through"),
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text=_("The product's opt-out mechanism the request used, if any."),
    )
    made_on = models.DateField(_("made on"), null=True, blank=True, help_text=_("Leave empty if unknown."))
    made_precision = models.CharField(
        _("precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    summary = models.TextField(_("summary"), blank=True)
    sources = sources_cited("opt_out_requests")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "id"]
        verbose_name = _("opt-out request")
        verbose_name_plural = _("opt-out requests")
        constraints = [
            choices_check("made_precision", DatePrecision, "optoutrequest_precision_valid"),
            different_check(
                "requester",
                "ai_developer",
                "optoutrequest_not_to_itself",
                _("An organization does not opt out from itself."),
            ),
        ]

    def __str__(self) -> str:
        target = self.product.name if self.product else self.ai_developer.display_name
        return f"{self.requester.display_name} ⊘ {target}"

    @property
    def display_date(self) -> str:
        return format_partial_date(self.made_on, self.made_precision)


class OptOutMechanismKind(models.TextChoices):
    FORM = "form", _("Web form")
    ROBOTS_TXT = "robots_txt", _("robots.txt or crawler directive")
    EMAIL = "email", _("Email")
    ACCOUNT_SETTING = "account_setting", _("Account setting")
    REGISTRY = "registry", _("Registry or metadata")
    NONE = "none", _("None offered")
    OTHER = "other", _("Other")


class OptOutMechanism(Timestamped):
    """How an AI product lets rights holders keep their works out (of training or of outputs)."""

    product = belongs_to(AIProduct, _("AI product"), related_name="opt_out_mechanisms")
    kind = models.CharField(_("kind"), max_length=20, choices=OptOutMechanismKind.choices)
    covers_training = models.BooleanField(_("covers training"), default=True)
    covers_outputs = models.BooleanField(_("covers outputs"), default=False)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(
        _("available until"), null=True, blank=True, help_text=_("Empty if still offered.")
    )
    description = models.TextField(_("description"), blank=True)
    sources = sources_cited("opt_out_mechanisms")

    history = HistoricalRecords()

    class Meta:
        ordering = ["product__name", "kind"]
        verbose_name = _("opt-out mechanism")
        verbose_name_plural = _("opt-out mechanisms")
        constraints = [
            choices_check("kind", OptOutMechanismKind, "optoutmechanism_kind_valid"),
            dates_in_order_check(
                "available_from",
                "available_until",
                "optoutmechanism_until_after_from",
                _("It cannot end before it started."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name}: {self.get_kind_display()}"

    def clean(self) -> None:
        if self.available_from and self.available_until and self.available_until < self.available_from:
            raise ValidationError({"available_until": _("It cannot end before it started.")})
