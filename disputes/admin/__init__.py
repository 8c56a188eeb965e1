"""Django admin: where admins enter and correct the whole dispute record.

Every model keeps its change history (django-simple-history); relations use autocomplete; letters carry their
demands, responses, disputed dates and deadline history inline.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from disputes import models as m
from disputes.admin import imports as imports_admin  # noqa: F401  (registers imports, dockets)
from disputes.admin import licensing as licensing_admin  # noqa: F401  (registers licences, opt-outs)
from disputes.admin.base import (
    RETURN_PARAM,
    CappedTextMixin,
    EntryMixin,
    GenericTabularInline,
    ModelAdmin,
    ReadOnlyRowsInline,
    RecordAdmin,
    RowsInline,
    StackedInline,
)
from disputes.admin.reminders import LetterRemindersAdminMixin, ResponseRemindersAdminMixin
from disputes.core.errors import DisputeError
from disputes.record import services as letter_services

admin.site.site_header = _("AI Disputes Tracker — administration")
admin.site.site_title = _("AI Disputes Tracker")
admin.site.index_title = _("The dispute record")
admin.site.site_url = "/"


def add_link(model, label, *, return_to: str, **initial) -> str:
    """An "add" link to ``model``'s admin page with fields filled in, coming back to ``return_to`` after saving."""
    from urllib.parse import urlencode

    url = reverse(f"admin:disputes_{model._meta.model_name}_add")
    query = urlencode({**{k: v for k, v in initial.items() if v is not None}, RETURN_PARAM: return_to})
    return format_html('<a class="addlink" href="{}?{}">{}</a>', url, query, label)


class ReportedDateFormSet(BaseGenericInlineFormSet):
    """Each reported date names a real date field of the record it is on (a letter's "sent", an amount's "start
    of the period"), checked before anything is saved."""

    def clean(self):
        super().clean()
        model = type(self.instance)
        allowed = m.date_fields_of(model)
        for form in self.forms:
            name = form.cleaned_data.get("field") if hasattr(form, "cleaned_data") else None
            if name and not form.cleaned_data.get("DELETE") and name not in allowed:
                form.add_error(
                    "field",
                    _("A %(model)s has no date “%(field)s”; choose one of: %(allowed)s.")
                    % {
                        "model": model._meta.verbose_name,
                        "field": name,
                        "allowed": ", ".join(str(m.RecordDateField(n).label) for n in allowed),
                    },
                )


class ReportedDateInline(EntryMixin, GenericTabularInline):
    model = m.ReportedDate
    formset = ReportedDateFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["field", "date", "precision", "source", "note"]
    # The note's default 40-character input pushed the table past the width of a laptop screen.
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 22})}}
    verbose_name = _("date as a source reports it")
    verbose_name_plural = _("dates as sources report them (two different dates mark the date as disputed)")


class MembershipInline(RowsInline):
    model = m.Membership
    fk_name = "association"
    autocomplete_fields = ["member", "sources"]
    fields = ["member", "joined_on", "left_on", "reported_on", "reported_precision", "note", "sources"]
    verbose_name = _("member")
    verbose_name_plural = _("members (membership over time)")


@admin.register(m.Source)
class SourceAdmin(EntryMixin, RecordAdmin):
    list_display = ["title_or_url", "publisher", "language", "published_on", "reliability"]
    list_filter = ["reliability", "language", "publisher"]
    search_fields = ["url", "title", "publisher", "notes"]
    date_hierarchy = "published_on"

    @admin.display(description=_("title"), ordering="title")
    def title_or_url(self, obj: m.Source) -> str:
        return obj.title or obj.url


@admin.register(m.Organization)
class OrganizationAdmin(EntryMixin, RecordAdmin):
    list_display = [
        "name",
        "name_original",
        "name_ja",
        "short_name",
        "kind",
        "country",
        "court_level",
        "member_count",
    ]
    list_filter = ["kind", "country", "court_level"]
    search_fields = ["name", "name_original", "name_ja", "short_name", "short_name_ja", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "jurisdiction"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships", distinct=True))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj) -> int:
        return obj._member_count


@admin.register(m.Person)
class PersonAdmin(EntryMixin, RecordAdmin):
    list_display = ["name", "name_original", "position", "organization"]
    search_fields = ["name", "name_original", "aliases", "position"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]


@admin.register(m.Membership)
class MembershipAdmin(EntryMixin, RecordAdmin):
    list_display = ["member", "association", "joined_on", "left_on", "reported_on", "note"]
    list_filter = ["association"]
    search_fields = ["member__name", "member__name_original", "association__name", "association__short_name"]
    autocomplete_fields = ["association", "member", "sources"]
    list_select_related = ["member", "association"]
    date_hierarchy = "reported_on"


@admin.register(m.AIProduct)
class AIProductAdmin(EntryMixin, RecordAdmin):
    list_display = ["name", "developer", "modality", "launched_on"]
    list_filter = ["modality"]
    search_fields = ["name", "developer__name", "notes"]
    autocomplete_fields = ["developer"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["developer"]
    date_hierarchy = "launched_on"


@admin.register(m.Jurisdiction)
class JurisdictionAdmin(EntryMixin, ModelAdmin):
    list_display = ["code", "name", "name_ja"]
    search_fields = ["code", "name", "name_ja"]


class PartyInline(RowsInline):
    """A party to a dispute or a proceeding: its role and who it is (an organization, a person or a class)."""

    autocomplete_fields = ["organization", "person"]
    fields = [
        "role",
        "organization",
        "person",
        "class_description",
        "class_description_ja",
        "note",
        "note_ja",
    ]
    verbose_name_plural = _("parties (an organization, a person or a class: one of the three per row)")


class DisputePartyInline(PartyInline):
    model = m.DisputeParty


class ProceedingInline(RowsInline):
    model = m.Proceeding
    fk_name = "dispute"
    fields = ["title", "kind", "forum", "filed_on", "filed_precision", "status", "disposition"]
    autocomplete_fields = ["forum"]
    show_change_link = True
    verbose_name_plural = _("proceedings (open one for its dockets, judges, parties, claims and rulings)")


class DisputeEventInline(ReadOnlyRowsInline):
    """The dispute's events, newest first, each a link to its page (events can belong to several disputes)."""

    model = m.Event.disputes.through
    fields = ["event_date", "event_kind", "event"]
    verbose_name = _("event")
    verbose_name_plural = _("events (newest first; use “Add an event” above)")
    max_num = 0

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("event").order_by("-event__date_sort", "-event_id")
        )

    @admin.display(description=_("date"))
    def event_date(self, obj) -> str:
        return obj.event.display_date

    @admin.display(description=_("kind"))
    def event_kind(self, obj) -> str:
        return obj.event.get_kind_display()


class AmountInline(RowsInline):
    model = m.Amount
    fields = ["kind", "currency", "value", "basis", "status", "proceeding"]
    autocomplete_fields = ["proceeding"]
    show_change_link = True
    verbose_name_plural = _("amounts (open one for its period, sources and disputed dates)")


class LetterInline(ReadOnlyRowsInline):
    model = m.DemandLetter
    fields = ["title", "sender", "recipient", "sent_on", "response_deadline_on", "status"]
    show_change_link = True
    verbose_name_plural = _("letters (open one to edit its demands and responses)")


@admin.register(m.Dispute)
class DisputeAdmin(EntryMixin, RecordAdmin):
    list_display = ["title", "stage", "status_note", "letter_count", "updated_at"]
    list_filter = ["stage", "jurisdictions"]
    search_fields = [
        "title",
        "title_ja",
        "summary",
        "summary_ja",
        "case_numbers",
        "parties__organization__name",
    ]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["jurisdictions", "products", "related", "sources"]
    inlines = [DisputePartyInline, ProceedingInline, LetterInline, AmountInline, DisputeEventInline]
    readonly_fields = ["add_to_dispute"]

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "add_to_dispute"]
        return ["add_to_dispute", *fields] if obj is not None else fields

    @admin.display(description=_("add to this dispute"))
    def add_to_dispute(self, obj) -> str:
        """Linked add buttons with the dispute filled in; saving comes back here."""
        if obj is None or obj.pk is None:
            return ""
        here = reverse("admin:disputes_dispute_change", args=[obj.pk])
        links = [
            add_link(m.DemandLetter, _("Add a letter"), return_to=here, dispute=obj.pk),
            add_link(m.Event, _("Add an event"), return_to=here, disputes=obj.pk),
            add_link(m.Proceeding, _("Add a proceeding"), return_to=here, dispute=obj.pk),
            add_link(m.Amount, _("Add an amount"), return_to=here, dispute=obj.pk),
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_letter_count=Count("letters", distinct=True))

    @admin.display(description=_("letters"), ordering="_letter_count")
    def letter_count(self, obj) -> int:
        return obj._letter_count


class LetterOrganizationInline(RowsInline):
    """Organizations a letter names besides its sender and main recipient."""

    autocomplete_fields = ["organization"]


class LetterRecipientInline(LetterOrganizationInline):
    model = m.LetterRecipient


class LetterOnBehalfInline(LetterOrganizationInline):
    model = m.LetterOnBehalf


class DemandInline(RowsInline):
    model = m.Demand
    fields = ["number", "text_original", "original_language", "text_en", "text_ja", "status", "status_note"]
    # Django's default textareas (40 columns, 10 rows) made this table about 2,500 px wide.
    widgets = {
        "number": forms.NumberInput(attrs={"class": "number-narrow"}),
        "text_original": forms.Textarea(attrs={"rows": 4, "cols": 26}),
        "original_language": forms.TextInput(attrs={"size": 4}),
        "text_en": forms.Textarea(attrs={"rows": 4, "cols": 26}),
        "text_ja": forms.Textarea(attrs={"rows": 4, "cols": 20}),
        "status_note": forms.Textarea(attrs={"rows": 2, "cols": 16}),
    }

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("widgets", self.widgets)
        return super().get_formset(request, obj, **kwargs)


class ResponseAdminForm(forms.ModelForm):
    """Shows the record's rules for responses (none on a withdrawn letter) as form errors, before saving."""

    class Meta:
        model = m.Response
        exclude: list[str] = []

    def _post_clean(self):
        super()._post_clean()
        # An inline on a letter being added has no saved letter yet: nothing in the record to check against.
        if self.errors or self.instance.letter_id is None and self.instance.__dict__.get("letter") is None:
            return
        try:
            letter_services.response_check(response=self.instance)
        except DisputeError as exc:
            self.add_error(None, str(exc))


class ResponseInline(EntryMixin, StackedInline):
    model = m.Response
    form = ResponseAdminForm
    extra = 0
    autocomplete_fields = ["responder", "sources"]
    fields = [
        ("responder", "responded_on", "date_precision", "channel"),
        ("title", "title_ja"),
        ("summary", "summary_ja"),
        ("quote", "quote_language"),
        ("quote_translation", "quote_translation_ja"),
        "url",
        ("assessment", "assessment_reason", "assessment_reason_ja"),
        ("assessed_by", "assessed_at"),
        "sources",
    ]
    readonly_fields = ["assessed_by", "assessed_at"]
    show_change_link = True


class DeadlineChangeInline(ReadOnlyRowsInline):
    model = m.DeadlineChange
    fields = ["version", "previous_on", "new_on", "source", "reason", "changed_by", "changed_at"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = m.DemandLetter.objects.overdue(at=timezone.now()).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


class DemandLetterAdminForm(forms.ModelForm):
    deadline_change_reason = forms.CharField(
        label=_("why the deadline changes"),
        required=False,
        max_length=500,
        help_text=_(
            "Required when you change the deadline of a saved letter, e.g. “extended at OpenAI's request”."
        ),
    )

    class Meta:
        model = m.DemandLetter
        exclude: list[str] = []  # the admin's fieldsets choose what is shown

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.errors:
            try:
                letter_services.letter_check(
                    letter=self.instance,
                    deadline_on=cleaned.get("response_deadline_on"),
                    source=cleaned.get("deadline_source"),
                    status=cleaned.get("status"),
                    deadline_reason=cleaned.get("deadline_change_reason", ""),
                )
            except DisputeError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, str(exc))
        return cleaned


@admin.register(m.DemandLetter)
class DemandLetterAdmin(EntryMixin, LetterRemindersAdminMixin, RecordAdmin):
    form = DemandLetterAdminForm
    list_display = [
        "title",
        "sender",
        "recipient",
        "sent_or_dated",
        "response_deadline_on",
        "status",
        "overdue",
    ]
    list_filter = [OverdueFilter, "status", "kind", "deadline_source", "channel"]
    search_fields = [
        "title",
        "title_original",
        "summary",
        "sender__name",
        "sender__name_original",
        "recipient__name",
        "demands__text_en",
        "demands__text_original",
    ]
    autocomplete_fields = ["dispute", "sender", "recipient", "products", "sources", "owner"]
    list_select_related = ["sender", "recipient"]
    date_hierarchy = "sent_on"
    readonly_fields = ["response_deadline_at", "deadline_version"]
    inlines = [
        LetterRecipientInline,
        LetterOnBehalfInline,
        DemandInline,
        ResponseInline,
        ReportedDateInline,
        DeadlineChangeInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "dispute",
                    "kind",
                    ("title", "title_ja", "title_original"),
                    ("summary", "summary_ja"),
                    "url",
                ]
            },
        ),
        (
            _("Parties"),
            {"fields": [("sender", "recipient"), ("on_behalf_note", "on_behalf_note_ja"), "products"]},
        ),
        (_("Dates"), {"fields": [("dated_on", "sent_on", "announced_on"), "date_precision", "channel"]}),
        (
            _("Response deadline"),
            {
                "fields": [
                    ("response_deadline_on", "deadline_source"),
                    "deadline_change_reason",
                    "timezone",
                    ("response_deadline_at", "deadline_version"),
                ]
            },
        ),
        (_("Follow-up"), {"fields": [("status", "status_note", "status_note_ja"), "owner", "sources"]}),
    ]

    @admin.display(description=_("date"), ordering="sent_on")
    def sent_or_dated(self, obj: m.DemandLetter) -> str:
        return obj.display_date

    def get_queryset(self, request):
        # "Answered sincerely" in the same query, so the overdue column costs no query per row.
        return super().get_queryset(request).with_sincere_response()

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: m.DemandLetter) -> bool:
        return obj.deadline_state().overdue

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, m.Response):
                # Stamps the assessment and cancels the reminders it makes pointless.
                letter_services.response_save(response=instance, changed_by=request.user)
            else:
                instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(m.Demand)
class DemandAdmin(EntryMixin, RecordAdmin):
    list_display = ["__str__", "letter", "status"]
    list_filter = ["status"]
    search_fields = ["text_en", "text_original", "letter__title"]
    autocomplete_fields = ["letter"]
    list_select_related = ["letter__sender", "letter__recipient"]


@admin.register(m.Response)
class ResponseAdmin(EntryMixin, ResponseRemindersAdminMixin, RecordAdmin):
    form = ResponseAdminForm
    list_display = ["__str__", "letter", "channel", "responded_on", "assessment", "assessed_by"]
    list_filter = ["assessment", "channel"]
    search_fields = ["title", "summary", "quote", "responder__name", "letter__title"]
    autocomplete_fields = ["letter", "responder", "demands", "sources"]
    readonly_fields = ["assessed_by", "assessed_at"]
    list_select_related = ["responder", "letter__sender", "letter__recipient", "assessed_by"]
    date_hierarchy = "responded_on"
    inlines = [ReportedDateInline]


class EventActorInline(RowsInline):
    model = m.EventActor
    autocomplete_fields = ["organization", "person"]
    verbose_name_plural = _("other actors (besides the main one above)")


@admin.register(m.Event)
class EventAdmin(EntryMixin, RecordAdmin):
    list_display = ["date_display", "kind", "title", "actor", "actor_person", "low_confidence"]
    list_filter = ["kind", "date_precision", "low_confidence", "disputes"]
    search_fields = [
        "title",
        "title_original",
        "summary",
        "quote",
        "actor__name",
        "actor__name_original",
        "actor_person__name",
        "actor_person__name_original",
        "actor_person__aliases",
    ]
    autocomplete_fields = ["disputes", "proceeding", "actor", "actor_person", "products", "sources"]
    list_select_related = ["actor", "actor_person"]
    date_hierarchy = "date"
    inlines = [EventActorInline, ReportedDateInline]
    fieldsets = [
        (None, {"fields": ["disputes", "proceeding", "kind", ("title", "title_ja"), "title_original"]}),
        (
            _("Date"),
            {
                "fields": [("date", "date_precision", "date_qualifier"), ("date_end", "date_end_precision")],
                "description": _(
                    "A date known to the month or the year is saved as its first day and shown as the month or "
                    "the year. For a period, give its end too."
                ),
            },
        ),
        (_("What happened"), {"fields": [("summary", "summary_ja"), ("actor", "actor_person"), "products"]}),
        (
            _("Quote"),
            {"fields": ["quote", "quote_language", ("quote_translation", "quote_translation_ja")]},
        ),
        (_("Sources"), {"fields": ["sources", "low_confidence"]}),
    ]

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, obj: m.Event) -> str:
        return obj.display_date


class DocketNumberInline(RowsInline):
    model = m.DocketNumber
    autocomplete_fields = ["court"]


class ProceedingJudgeInline(RowsInline):
    model = m.ProceedingJudge
    autocomplete_fields = ["person"]


class ProceedingPartyInline(PartyInline):
    model = m.ProceedingParty


class ClaimInline(RowsInline):
    model = m.Claim
    autocomplete_fields = ["cause"]
    verbose_name_plural = _("claims (causes of action; add a missing one with the + button)")


class RulingInline(ReadOnlyRowsInline):
    model = m.Ruling
    fields = ["decided_on", "kind", "title"]
    show_change_link = True
    verbose_name_plural = _("rulings (open one for its outcome per claim)")


class ProceedingAmountInline(AmountInline):
    fk_name = "proceeding"
    fields = ["kind", "currency", "value", "basis", "status"]
    autocomplete_fields: list[str] = []


@admin.register(m.Proceeding)
class ProceedingAdmin(EntryMixin, RecordAdmin):
    list_display = ["title", "kind", "forum", "filed_display", "status", "disposition", "dispute"]
    list_filter = ["kind", "status", "disposition"]
    search_fields = ["title", "title_ja", "dockets__number", "dispute__title", "forum__name"]
    autocomplete_fields = ["dispute", "forum", "appeal_of", "consolidated_into", "sources"]
    list_select_related = ["forum", "dispute"]
    readonly_fields = ["add_ruling"]
    inlines = [
        DocketNumberInline,
        ProceedingJudgeInline,
        ProceedingPartyInline,
        ClaimInline,
        RulingInline,
        ProceedingAmountInline,
        ReportedDateInline,
    ]
    fieldsets = [
        (
            None,
            {"fields": ["dispute", "kind", ("title", "title_ja"), "forum", "appeal_of", "consolidated_into"]},
        ),
        (
            _("Dates"),
            {"fields": [("filed_on", "filed_precision"), ("closed_on", "closed_precision")]},
        ),
        (
            _("Where it stands"),
            {"fields": [("status", "disposition"), ("status_note", "status_note_ja"), "add_ruling"]},
        ),
        (_("Summary and sources"), {"fields": [("summary", "summary_ja"), "sources"]}),
    ]

    @admin.display(description=_("filed"), ordering="filed_sort")
    def filed_display(self, obj: m.Proceeding) -> str:
        return obj.display_filed

    @admin.display(description=_("rulings"))
    def add_ruling(self, obj) -> str:
        if obj is None or obj.pk is None:
            return _("Save the proceeding first, then add its rulings.")
        here = reverse("admin:disputes_proceeding_change", args=[obj.pk])
        appeal = add_link(
            m.Proceeding,
            _("Add an appeal"),
            return_to=here,
            dispute=obj.dispute_id,
            appeal_of=obj.pk,
            kind=m.ProceedingKind.APPEAL,
        )
        return format_html(
            "{} · {}", add_link(m.Ruling, _("Add a ruling"), return_to=here, proceeding=obj.pk), appeal
        )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, m.Amount) and not instance.dispute_id:
                instance.dispute_id = form.instance.dispute_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class ClaimRulingInline(RowsInline):
    model = m.ClaimRuling
    fields = ["claim", "outcome", "note", "note_ja"]
    verbose_name_plural = _("outcome per claim")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the claims of the ruling's own proceeding (known once the ruling exists, or from ?proceeding=).
        if db_field.name == "claim":
            proceeding_id = getattr(request, "_ruling_proceeding_id", None)
            if proceeding_id:
                kwargs["queryset"] = m.Claim.objects.filter(proceeding_id=proceeding_id).select_related(
                    "cause"
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(m.Ruling)
class RulingAdmin(EntryMixin, RecordAdmin):
    list_display = ["display_date", "title", "kind", "proceeding"]
    list_filter = ["kind"]
    search_fields = ["title", "title_ja", "citation", "proceeding__title"]
    autocomplete_fields = ["proceeding", "judges", "event", "sources"]
    list_select_related = ["proceeding"]
    inlines = [ClaimRulingInline, ReportedDateInline]
    fields = [
        "proceeding",
        ("decided_on", "decided_precision", "kind"),
        ("title", "title_ja"),
        "citation",
        ("summary", "summary_ja"),
        "judges",
        "event",
        "sources",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._ruling_proceeding_id = obj.proceeding_id if obj else request.GET.get("proceeding")
        return super().get_form(request, obj, change, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "POST" and obj is not None and not obj.proceeding_id:
            request._ruling_proceeding_id = request.POST.get("proceeding")
        return kwargs


@admin.register(m.CauseOfAction)
class CauseOfActionAdmin(EntryMixin, ModelAdmin):
    list_display = ["name", "name_ja", "statute", "jurisdiction"]
    search_fields = ["name", "name_ja", "statute", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(m.Amount)
class AmountAdmin(EntryMixin, RecordAdmin):
    list_display = ["__str__", "status", "dispute", "proceeding"]
    list_filter = ["kind", "status", "currency"]
    search_fields = ["basis", "basis_ja", "dispute__title", "proceeding__title"]
    autocomplete_fields = ["dispute", "proceeding", "ruling", "event", "payer", "sources"]
    list_select_related = ["dispute", "proceeding"]
    inlines = [ReportedDateInline]
    fieldsets = [
        (None, {"fields": ["dispute", "proceeding", "ruling", "event"]}),
        (
            _("Amount"),
            {"fields": [("kind", "status"), ("currency", "value"), ("basis", "basis_ja"), "payer"]},
        ),
        (
            _("Period it covers"),
            {
                "fields": [
                    ("period_start", "period_start_precision"),
                    ("period_end", "period_end_precision"),
                ],
                "description": _(
                    "Where sources disagree on the period, add each source's dates below "
                    "(field “Start of the period” or “End of the period”)."
                ),
            },
        ),
        (_("Sources"), {"fields": ["sources"]}),
    ]


@admin.register(m.ReportedDate)
class ReportedDateAdmin(EntryMixin, RecordAdmin):
    list_display = ["record_link", "field", "display_date", "source", "note"]
    list_filter = ["content_type", "field"]
    search_fields = ["note", "source__title", "source__url"]
    autocomplete_fields = ["source"]
    list_select_related = ["source", "content_type"]

    @admin.display(description=_("record"))
    def record_link(self, obj: m.ReportedDate) -> str:
        return format_html("{} #{}", obj.content_type.name, obj.object_id)


@admin.register(m.DeadlineChange)
class DeadlineChangeAdmin(ModelAdmin):
    list_display = [
        "letter",
        "version",
        "previous_on",
        "new_on",
        "source",
        "reason",
        "changed_by",
        "changed_at",
    ]
    list_select_related = ["letter__sender", "letter__recipient", "changed_by"]
    search_fields = ["letter__title", "reason"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- Users: their time zone, digest and feed token, on the user's own admin page ------------------------


class UserProfileInline(EntryMixin, StackedInline):
    model = m.UserProfile
    can_delete = False
    fields = ["timezone", "detected_timezone"]
    readonly_fields = ["detected_timezone"]
    verbose_name_plural = _("time zone")


class DigestPreferenceInline(EntryMixin, StackedInline):
    model = m.DigestPreference
    can_delete = False
    fields = ["frequency", "last_sent_at"]
    readonly_fields = ["last_sent_at"]
    verbose_name_plural = _("follow digest")


class AccessTokenInline(RowsInline):
    """The user's feed and API tokens: only their names, hints and use are shown; deleting one revokes it."""

    model = m.AccessToken
    fields = ["name", "hint", "created_at", "last_used_at"]
    readonly_fields = fields
    max_num = 0  # issued by the user on their settings page, never typed in here
    verbose_name_plural = _("feed and API tokens (delete one to revoke it)")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(CappedTextMixin, BaseUserAdmin):
    inlines = [UserProfileInline, DigestPreferenceInline, AccessTokenInline]
