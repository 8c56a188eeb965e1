"""Django admin: where admins enter and correct the whole dispute record.

Every model keeps its change history (django-simple-history); relations use autocomplete; letters carry their
demands, responses, disputed dates and deadline history inline.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from disputes import models as m
from disputes.admin.base import (
    CappedTextMixin,
    GenericTabularInline,
    ModelAdmin,
    RecordAdmin,
    StackedInline,
    TabularInline,
)
from disputes.admin.reminders import LetterRemindersAdminMixin, ResponseRemindersAdminMixin
from disputes.core.errors import DisputeError
from disputes.record import services as letter_services

admin.site.site_header = _("AI Disputes Tracker — administration")
admin.site.site_title = _("AI Disputes Tracker")
admin.site.index_title = _("The dispute record")
admin.site.site_url = "/"


class ReportedDateInline(GenericTabularInline):
    model = m.ReportedDate
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["field", "date", "precision", "source", "note"]
    # The note's default 40-character input pushed the table past the width of a laptop screen.
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 22})}}
    verbose_name = _("date as a source reports it")
    verbose_name_plural = _("dates as sources report them (two different dates mark the date as disputed)")


class MembershipInline(TabularInline):
    model = m.Membership
    fk_name = "association"
    extra = 0
    autocomplete_fields = ["member", "sources"]
    fields = ["member", "joined_on", "left_on", "reported_on", "reported_precision", "note", "sources"]
    verbose_name = _("member")
    verbose_name_plural = _("members (membership over time)")


@admin.register(m.Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title_or_url", "publisher", "language", "published_on", "reliability"]
    list_filter = ["reliability", "language", "publisher"]
    search_fields = ["url", "title", "publisher", "notes"]
    date_hierarchy = "published_on"

    @admin.display(description=_("title"), ordering="title")
    def title_or_url(self, obj: m.Source) -> str:
        return obj.title or obj.url


@admin.register(m.Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ["name", "name_original", "short_name", "kind", "country", "member_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_original", "short_name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships", distinct=True))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj) -> int:
        return obj._member_count


@admin.register(m.Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "name_original", "position", "organization"]
    search_fields = ["name", "name_original", "aliases", "position"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]


@admin.register(m.Membership)
class MembershipAdmin(RecordAdmin):
    list_display = ["member", "association", "joined_on", "left_on", "reported_on", "note"]
    list_filter = ["association"]
    search_fields = ["member__name", "member__name_original", "association__name", "association__short_name"]
    autocomplete_fields = ["association", "member", "sources"]
    list_select_related = ["member", "association"]
    date_hierarchy = "reported_on"


@admin.register(m.AIProduct)
class AIProductAdmin(RecordAdmin):
    list_display = ["name", "developer", "modality", "launched_on"]
    list_filter = ["modality"]
    search_fields = ["name", "developer__name", "notes"]
    autocomplete_fields = ["developer"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["developer"]
    date_hierarchy = "launched_on"


@admin.register(m.Jurisdiction)
class JurisdictionAdmin(ModelAdmin):
    list_display = ["code", "name", "name_ja"]
    search_fields = ["code", "name", "name_ja"]


class DisputePartyInline(TabularInline):
    model = m.DisputeParty
    extra = 0
    autocomplete_fields = ["organization"]


class LetterInline(TabularInline):
    model = m.DemandLetter
    extra = 0
    fields = ["title", "sender", "recipient", "sent_on", "response_deadline_on", "status"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name_plural = _("letters (open one to edit its demands and responses)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.Dispute)
class DisputeAdmin(RecordAdmin):
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
    inlines = [DisputePartyInline, LetterInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_letter_count=Count("letters", distinct=True))

    @admin.display(description=_("letters"), ordering="_letter_count")
    def letter_count(self, obj) -> int:
        return obj._letter_count


class DemandInline(TabularInline):
    model = m.Demand
    extra = 0
    fields = ["number", "text_original", "original_language", "text_en", "status", "status_note"]
    # Django's default textareas (40 columns, 10 rows) made this table about 2,500 px wide.
    widgets = {
        "number": forms.NumberInput(attrs={"class": "number-narrow"}),
        "text_original": forms.Textarea(attrs={"rows": 4, "cols": 26}),
        "original_language": forms.TextInput(attrs={"size": 4}),
        "text_en": forms.Textarea(attrs={"rows": 4, "cols": 26}),
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


class ResponseInline(StackedInline):
    model = m.Response
    form = ResponseAdminForm
    extra = 0
    autocomplete_fields = ["responder", "sources"]
    fields = [
        ("responder", "responded_on", "date_precision", "channel"),
        "title",
        "summary",
        "quote",
        "url",
        ("assessment", "assessment_reason"),
        ("assessed_by", "assessed_at"),
        "sources",
    ]
    readonly_fields = ["assessed_by", "assessed_at"]
    show_change_link = True


class DeadlineChangeInline(TabularInline):
    model = m.DeadlineChange
    extra = 0
    fields = ["version", "previous_on", "new_on", "source", "reason", "changed_by", "changed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


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
class DemandLetterAdmin(LetterRemindersAdminMixin, RecordAdmin):
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
    autocomplete_fields = ["dispute", "sender", "recipient", "on_behalf_of", "products", "sources", "owner"]
    list_select_related = ["sender", "recipient"]
    date_hierarchy = "sent_on"
    readonly_fields = ["response_deadline_at", "deadline_version"]
    inlines = [DemandInline, ResponseInline, ReportedDateInline, DeadlineChangeInline]
    fieldsets = [
        (None, {"fields": ["dispute", "kind", ("title", "title_original"), "summary", "url"]}),
        (_("Parties"), {"fields": [("sender", "recipient"), "on_behalf_of", "on_behalf_note", "products"]}),
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
        (_("Follow-up"), {"fields": [("status", "status_note"), "owner", "sources"]}),
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
class DemandAdmin(RecordAdmin):
    list_display = ["__str__", "letter", "status"]
    list_filter = ["status"]
    search_fields = ["text_en", "text_original", "letter__title"]
    autocomplete_fields = ["letter"]
    list_select_related = ["letter__sender", "letter__recipient"]


@admin.register(m.Response)
class ResponseAdmin(ResponseRemindersAdminMixin, RecordAdmin):
    form = ResponseAdminForm
    list_display = ["__str__", "letter", "channel", "responded_on", "assessment", "assessed_by"]
    list_filter = ["assessment", "channel"]
    search_fields = ["title", "summary", "quote", "responder__name", "letter__title"]
    autocomplete_fields = ["letter", "responder", "demands", "sources"]
    readonly_fields = ["assessed_by", "assessed_at"]
    list_select_related = ["responder", "letter__sender", "letter__recipient", "assessed_by"]
    date_hierarchy = "responded_on"
    inlines = [ReportedDateInline]


@admin.register(m.Event)
class EventAdmin(RecordAdmin):
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
    autocomplete_fields = ["disputes", "actor", "actor_person", "products", "sources"]
    list_select_related = ["actor", "actor_person"]
    date_hierarchy = "date"
    inlines = [ReportedDateInline]

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, obj: m.Event) -> str:
        return obj.display_date


@admin.register(m.ReportedDate)
class ReportedDateAdmin(RecordAdmin):
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


class UserProfileInline(StackedInline):
    model = m.UserProfile
    can_delete = False
    fields = ["timezone", "detected_timezone"]
    readonly_fields = ["detected_timezone"]
    verbose_name_plural = _("time zone")


class DigestPreferenceInline(StackedInline):
    model = m.DigestPreference
    can_delete = False
    fields = ["frequency", "last_sent_at"]
    readonly_fields = ["last_sent_at"]
    verbose_name_plural = _("follow digest")


class AccessTokenInline(TabularInline):
    """The user's feed and API tokens: only their names, hints and use are shown; deleting one revokes it."""

    model = m.AccessToken
    fields = ["name", "hint", "created_at", "last_used_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0  # issued by the user on their settings page, never typed in here
    verbose_name_plural = _("feed and API tokens (delete one to revoke it)")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(CappedTextMixin, BaseUserAdmin):
    inlines = [UserProfileInline, DigestPreferenceInline, AccessTokenInline]
