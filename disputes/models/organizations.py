"""Who takes part: organizations, people who speak for them, memberships over time, AI products."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import DatePrecision, Timestamped, choices_check, format_partial_date, validate_timezone
from .constraints import dates_in_order_check, different_check
from .fields import belongs_to, japanese, optional_link, sources_cited


class OrganizationKind(models.TextChoices):
    TRADE_ASSOCIATION = "trade_association", _("Trade association")
    COLLECTING_SOCIETY = "collecting_society", _("Collecting society")
    RIGHTS_HOLDER = "rights_holder", _("Rights holder")
    AI_DEVELOPER = "ai_developer", _("AI developer")
    GOVERNMENT = "government", _("Government body")
    UNION = "union", _("Union or guild")
    AGENCY = "agency", _("Agency")
    COURT = "court", _("Court")
    REGULATOR = "regulator", _("Regulator")
    LAW_FIRM = "law_firm", _("Law firm")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class CourtLevel(models.TextChoices):
    TRIAL = "trial", _("Trial or first instance")
    APPELLATE = "appellate", _("Appellate")
    SUPREME = "supreme", _("Supreme or final")
    PANEL = "panel", _("Panel (e.g. JPML)")
    OTHER = "other", _("Other")


def named_q(text: str) -> Q:
    """Organizations with ``text`` in any of their names: English, original, Japanese, short, or an alias. The one
    rule for finding an organization by name (search, filter suggestions, the matrix, the API)."""
    return (
        Q(name__icontains=text)
        | Q(name_original__icontains=text)
        | Q(name_ja__icontains=text)
        | Q(short_name__icontains=text)
        | Q(short_name_ja__icontains=text)
        | Q(aliases__icontains=text)
    )


class OrganizationQuerySet(models.QuerySet):
    def search(self, text: str) -> "OrganizationQuerySet":
        return self.filter(named_q(text))


class Organization(Timestamped):
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    name = models.CharField(_("name (English)"), max_length=300)
    name_original = models.CharField(
        _("name (original)"),
        max_length=300,
        blank=True,
        help_text=_("The name in its own language, e.g. 一般社団法人コンテンツ海外流通促進機構."),
    )
    short_name = models.CharField(_("short name"), max_length=60, blank=True, help_text=_("e.g. CODA, MPA."))
    name_ja = models.CharField(
        _("name (Japanese)"),
        max_length=300,
        blank=True,
        help_text=_(
            "The name Japanese readers see, e.g. コンテンツ海外流通促進機構 or 日本経済新聞社. Empty: the original name, "
            "or else the English one."
        ),
    )
    short_name_ja = models.CharField(
        _("short name (Japanese)"),
        max_length=60,
        blank=True,
        help_text=_(
            "For Japanese readers where space is short, e.g. 自民党, or CODA where Japanese uses the acronym. "
            "Empty: the Japanese name."
        ),
    )
    aliases = models.TextField(
        _("other names"), blank=True, help_text=_("Other spellings and former names, one per line; searched.")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code, e.g. JP, US, GB.")
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("Where its deadlines fall due, e.g. Asia/Tokyo."),
    )
    parent = optional_link(
        "self", _("parent company"), on_delete=models.SET_NULL, related_name="subsidiaries"
    )
    jurisdiction = optional_link(
        "Jurisdiction",
        _("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text=_("For a court or a regulator: the legal system it belongs to."),
    )
    court_level = models.CharField(
        _("court level"),
        max_length=20,
        choices=CourtLevel.choices,
        blank=True,
        help_text=_("Courts only: trial, appellate or supreme."),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    notes_ja = japanese(
        notes, _("notes (Japanese)"), help_text=_("Shown to Japanese readers; the English notes otherwise.")
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            choices_check("kind", OrganizationKind, "organization_kind_valid"),
            models.CheckConstraint(
                condition=Q(court_level="") | Q(court_level__in=CourtLevel.values, kind="court"),
                name="organization_court_level_for_courts",
                violation_error_message=_("Only a court has a court level."),
            ),
            different_check(
                "parent", "id", "organization_not_own_parent", _("An organization cannot be its own parent.")
            ),
        ]

    # What ``__str__`` and ``name_in`` read: enough for a list that only names organizations (``only()``).
    NAME_FIELDS = ("name", "name_original", "name_ja", "short_name", "short_name_ja")

    def __str__(self) -> str:
        if self.name_original and self.name_original != self.name:
            return f"{self.name} ({self.name_original})"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("disputes:organization-detail", kwargs={"slug": self.slug})

    def name_in(self, language: str | None = None, *, short: bool = False) -> str:
        """The name a reader of ``language`` (the active language when None) sees. Every page, email, filter and
        party label gets an organization's name from here.

        A Japanese reader gets the Japanese name (``short``: the short Japanese name first), else the name in the
        organization's own language, else what an English reader gets: the English name (``short``: the short
        name first, e.g. CODA).
        """
        language = language if language is not None else get_language()
        english = (self.short_name if short else "") or self.name
        if language and language.startswith("ja"):
            japanese = (self.short_name_ja if short else "") or self.name_ja
            if japanese:
                return japanese
            # As before Japanese names existed: a short name where space is short, else the original name.
            return (self.short_name if short else "") or self.name_original or self.name
        return english

    @property
    def display_name(self) -> str:
        """The short name in the active language (``name_in(short=True)``)."""
        return self.name_in(short=True)

    def clean(self) -> None:
        if self.court_level and self.kind != OrganizationKind.COURT:
            raise ValidationError({"court_level": _("Only a court has a court level.")})


class Person(Timestamped):
    """Someone who acts or speaks in a dispute: a minister, a chief executive, a lawmaker."""

    name = models.CharField(_("name (English)"), max_length=200)
    name_original = models.CharField(
        _("name (original)"), max_length=200, blank=True, help_text=_("e.g. 城内実.")
    )
    aliases = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_("Other spellings found in sources, one per line (e.g. Minoru Jouchi); searched."),
    )
    position = models.CharField(_("position"), max_length=300, blank=True)
    position_ja = japanese(position, _("position (Japanese)"), help_text=_("Shown to Japanese readers."))
    organization = optional_link(
        Organization, _("organization"), on_delete=models.SET_NULL, related_name="people"
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_ja = japanese(notes, _("notes (Japanese)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.name} ({self.name_original})" if self.name_original else self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> "MembershipQuerySet":
        """Memberships not known to have ended (by ``on``, if given)."""
        if on is None:
            return self.filter(left_on__isnull=True)
        return self.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=on)).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=on)
        )


class Membership(Timestamped):
    """A company's membership of an association, over time, as a source reports it."""

    association = belongs_to(Organization, _("association"), related_name="memberships")
    member = belongs_to(Organization, _("member"), related_name="member_of")
    joined_on = models.DateField(
        _("joined on"), null=True, blank=True, help_text=_("Leave empty if unknown.")
    )
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("Leave empty if still a member.")
    )
    reported_on = models.DateField(
        _("reported as member on"),
        null=True,
        blank=True,
        help_text=_("The date a source shows the company as a member (e.g. a roster dated 2010-11-01)."),
    )
    reported_precision = models.CharField(
        _("precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    sources = sources_cited("memberships")

    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["association__name", "member__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            different_check(
                "association",
                "member",
                "membership_not_self",
                _("An organization cannot be a member of itself."),
            ),
            dates_in_order_check(
                "joined_on",
                "left_on",
                "membership_left_after_joined",
                _("The date it left cannot be before the date it joined."),
            ),
            choices_check("reported_precision", DatePrecision, "membership_precision_valid"),
            models.UniqueConstraint(
                fields=["association", "member", "reported_on"], name="membership_unique_per_report"
            ),
            models.UniqueConstraint(
                fields=["association", "member"],
                condition=Q(reported_on__isnull=True),
                name="membership_unique_undated",
            ),
        ]

    def __str__(self) -> str:
        span = ""
        if self.joined_on or self.left_on:
            span = f" [{self.joined_on or '…'} – {self.left_on or ''}]"
        elif self.reported_on:
            span = f" [{format_partial_date(self.reported_on, self.reported_precision)}]"
        return f"{self.member.name} ∈ {self.association.display_name}{span}"

    def clean(self) -> None:
        errors = {}
        if self.association_id and self.association_id == self.member_id:
            errors["member"] = _("An organization cannot be a member of itself.")
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = _("The date it left cannot be before the date it joined.")
        if errors:
            raise ValidationError(errors)


class Modality(models.TextChoices):
    VIDEO = "video", _("Video")
    IMAGE = "image", _("Image")
    TEXT = "text", _("Text")
    MUSIC = "music", _("Music")
    AUDIO = "audio", _("Audio and voice")
    CHAT = "chat", _("Chatbot")
    SEARCH = "search", _("Search")
    MULTIMODAL = "multimodal", _("Multimodal")
    OTHER = "other", _("Other")


class AIProduct(Timestamped):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    developer = models.ForeignKey(
        Organization, verbose_name=_("developer"), on_delete=models.PROTECT, related_name="products"
    )
    modality = models.CharField(_("modality"), max_length=20, choices=Modality.choices)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    launch_precision = models.CharField(
        _("precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("AI product")
        verbose_name_plural = _("AI products")
        constraints = [
            choices_check("modality", Modality, "aiproduct_modality_valid"),
            choices_check("launch_precision", DatePrecision, "aiproduct_precision_valid"),
            models.UniqueConstraint(fields=["developer", "name"], name="aiproduct_unique_name_per_developer"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.developer.display_name})"

    def get_absolute_url(self) -> str:
        return reverse("disputes:product-detail", kwargs={"slug": self.slug})


class Jurisdiction(models.Model):
    code = models.CharField(
        _("code"),
        max_length=10,
        primary_key=True,
        help_text=_("ISO country code, or a court system: JP, US, GB."),
    )
    name = models.CharField(_("name (English)"), max_length=100)
    name_ja = japanese(name, _("name (Japanese)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self) -> str:
        return self.name
