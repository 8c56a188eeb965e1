"""Admin for the reminder ledger and follows, and a mixin that shows a letter's reminders on its admin page.

Wire it from disputes/admin.py::

    import disputes.admin.reminders  # noqa: F401  (registers Reminder and Follow)
    from disputes.admin.reminders import LetterRemindersAdminMixin, ResponseRemindersAdminMixin

    class DemandLetterAdmin(LetterRemindersAdminMixin, RecordAdmin): ...
    class ResponseAdmin(ResponseRemindersAdminMixin, RecordAdmin): ...
"""

import datetime as dt
import zoneinfo

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from disputes import models as m
from disputes.admin.base import ModelAdmin, RecordAdmin, ServiceSaveMixin
from disputes.core import timezones
from disputes.core.errors import DisputeError
from disputes.record import services as letter_services
from disputes.reminders import services as reminder_services
from disputes.reminders.selectors import letter_reminder_state
from disputes.templatetags.disputes_extras import ldatetime
from disputes.templatetags.disputes_extras import reminder_step as reminder_step_label


@admin.register(m.Reminder)
class ReminderAdmin(ModelAdmin):
    """The ledger, read-only: every reminder owed, its delivery state, attempts and last error."""

    list_display = [
        "id",
        "letter",
        "kind",
        "step_label",
        "deadline_version",
        "recipient",
        "status",
        "attempts",
        "possible_duplicate",
        "short_error",
        "due_at",
        "next_attempt_at",
        "sent_at",
        "acknowledged_at",
    ]
    list_filter = ["status", "possible_duplicate", "kind", "step", "due_at"]
    search_fields = ["letter__title", "recipient__username", "recipient__email", "message_id", "last_error"]
    list_select_related = ["letter__sender", "letter__recipient", "recipient"]
    date_hierarchy = "due_at"
    actions = ["retry_failed"]
    fields = [
        ("kind", "step", "deadline_version", "due_at"),
        ("letter", "response"),
        "recipient",
        ("status", "attempts", "possible_duplicate"),
        "last_error",
        ("created_at", "enqueued_at", "failing_since", "next_attempt_at"),
        ("sending_started_at", "handed_at", "claimed_by", "sent_at"),
        "message_id",
        ("acknowledged_at", "snoozed_until"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in m.Reminder._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # rows are written by the sweep only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the ledger is the record of what was owed and sent

    @admin.display(description=_("step"), ordering="step")
    def step_label(self, obj: m.Reminder) -> str:
        return capfirst(reminder_step_label(obj.step))

    @admin.display(description=_("last error"))
    def short_error(self, obj: m.Reminder) -> str:
        return Truncator(obj.last_error).chars(80)

    # Retrying changes the ledger: it needs the permission to change reminders, which no group has by default.
    @admin.action(description=_("Retry the selected failed deliveries"), permissions=["change"])
    def retry_failed(self, request, queryset):
        retried = 0
        for reminder_id in queryset.filter(status=m.DeliveryStatus.FAILED).values_list("pk", flat=True):
            reminder_services.reminder_retry(reminder_id=reminder_id)
            retried += 1
        self.message_user(request, _("%(n)d failed reminder(s) queued again.") % {"n": retried})


@admin.register(m.Follow)
class FollowAdmin(ModelAdmin):
    list_display = ["user", "dispute", "letter", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "user__email", "dispute__title", "letter__title"]
    autocomplete_fields = ["user", "dispute", "letter"]
    list_select_related = ["user", "dispute", "letter__sender", "letter__recipient"]


@admin.register(m.SweepHeartbeat)
class SweepHeartbeatAdmin(ModelAdmin):
    """When each periodic sweep last finished and what it did (written by the sweep; read-only here)."""

    list_display = ["name", "last_finished_at", "runs", "last_report"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in m.SweepHeartbeat._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.ReminderSettings)
class ReminderSettingsAdmin(RecordAdmin):
    """The one row of reminder settings. Saved through ``reminder_settings_update`` (turning policy deadlines off
    cancels their pending reminders); it can be added only while none exists, and never deleted."""

    list_display = ["__str__", "policy_deadlines_remind", "updated_at", "updated_by"]
    fields = ["policy_deadlines_remind", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not m.ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # without the row the defaults apply; a delete would only hide who changed what

    def save_model(self, request, obj, form, change):
        try:
            saved = reminder_services.reminder_settings_update(
                policy_deadlines_remind=obj.policy_deadlines_remind, changed_by=request.user
            )
        except DisputeError as exc:
            self.message_user(request, str(exc), level=messages.ERROR)
            return
        # The admin goes on with the object it holds (its change message, its redirect): make it the saved row.
        obj.pk, obj.updated_at, obj.updated_by = saved.pk, saved.updated_at, saved.updated_by
        obj._state.adding = False
        if not saved.policy_deadlines_remind:
            self.message_user(
                request,
                _(
                    "Reminders for policy deadlines are off: letters whose deadline our policy derived still show "
                    "as past our deadline, but nobody is reminded of them."
                ),
                level=messages.WARNING,
            )


READONLY = ["reminder_deadline", "reminder_step", "reminder_next", "reminder_history"]


class LetterRemindersAdminMixin(ServiceSaveMixin):
    """For the DemandLetter admin: the letter's deadline, ladder step, next reminder and delivery history.

    Also routes the admin's saves through the letter services where they affect reminders: a changed deadline
    becomes a new deadline version with a DeadlineChange row (so reminders follow the new date), and closing,
    withdrawing or a sincere response cancels the pending reminders.
    """

    reminder_fieldset_title = _("Reminders")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *READONLY]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append((self.reminder_fieldset_title, {"fields": READONLY}))
        return fieldsets

    @staticmethod
    def _state(obj):
        # Kept on the letter being shown (one object per request), never on the admin, which all requests share.
        if getattr(obj, "_reminder_state", None) is None:
            obj._reminder_state = letter_reminder_state(obj, timezone.now())
        return obj._reminder_state

    @admin.display(description=_("deadline"))
    def reminder_deadline(self, obj) -> str:
        if not obj.response_deadline_at:
            return _("No deadline")
        deadline = obj.response_deadline_at
        try:
            local = deadline.astimezone(zoneinfo.ZoneInfo(obj.timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            # The form being corrected holds an unknown time zone; its own error message says so.
            local = deadline.astimezone(dt.UTC)
        viewer = timezone.get_current_timezone_name()
        yours = ""
        # Worth a line of its own only where the admin's clock differs from both lines shown anyway.
        if timezones.differs(deadline, obj.timezone, viewer) and timezones.differs(deadline, "UTC", viewer):
            yours = _("%(when)s in your time zone (%(zone)s)") % {"when": ldatetime(deadline), "zone": viewer}
        return format_html(
            "{} ({}){}<br>{} UTC · {} · {}",
            local.strftime("%Y-%m-%d %H:%M"),
            obj.timezone,
            format_html("<br>{}", yours) if yours else "",
            deadline.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
            obj.get_deadline_source_display(),
            _("version %(n)s") % {"n": obj.deadline_version},
        )

    @admin.display(description=_("current step"))
    def reminder_step(self, obj) -> str:
        state = self._state(obj)
        if state.answered:
            return _("Answered (a sincere response): no reminders.")
        if obj.status != m.LetterStatus.OPEN:
            return _("Not open: no reminders.")
        if state.policy_reminders_off:
            return format_html(
                "{} <a href='{}'>{}</a>",
                _("Reminders for policy deadlines are off: this letter states no deadline, so none is sent."),
                reverse("admin:disputes_remindersettings_changelist"),
                _("Reminder settings"),
            )
        if state.step is None:
            return _("Not yet at a reminder step.")
        return format_html(
            "{} <span class='quiet'>({}, {})</span>",
            capfirst(reminder_step_label(state.step.name)),
            _("due %(when)s") % {"when": ldatetime(state.step.due_at)},
            state.step.name,
        )

    @admin.display(description=_("next reminder"))
    def reminder_next(self, obj) -> str:
        state = self._state(obj)
        if state.policy_reminders_off and obj.status == m.LetterStatus.OPEN and not state.answered:
            return _("None: reminders for policy deadlines are off.")
        if state.next_step is None:
            return "—"
        return format_html(
            "{} <span class='quiet'>({})</span>",
            ldatetime(state.next_step.due_at),
            reminder_step_label(state.next_step.name),
        )

    @admin.display(description=_("delivery history"))
    def reminder_history(self, obj) -> str:
        rows = self._state(obj).history
        if not rows:
            return _("No reminders yet.")
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>v{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    capfirst(reminder_step_label(r.step)),
                    r.deadline_version,
                    r.recipient,
                    r.get_status_display(),
                    r.attempts,
                    ldatetime(r.sent_at) if r.sent_at else "—",
                    _("possible duplicate") if r.possible_duplicate else "",
                    Truncator(r.last_error).chars(120),
                )
                for r in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th>"
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("step"),
            _("deadline"),
            _("recipient"),
            _("delivery"),
            _("attempts"),
            _("sent"),
            _("note"),
            body,
        )

    def save_model(self, request, obj, form, change):
        """Through ``letter_save``: a new deadline version, closing, withdrawing and reopening all have their
        effects on reminders there. The form has already checked the same rules (``letter_check``)."""
        self.save_by_service(
            request,
            obj,
            lambda: letter_services.letter_save(
                letter=obj,
                deadline_reason=getattr(form, "cleaned_data", {}).get("deadline_change_reason")
                or (_("Changed in the admin by %(user)s") % {"user": request.user} if change else ""),
                changed_by=request.user,
            ),
        )


class ResponseRemindersAdminMixin(ServiceSaveMixin):
    """For the Response admin: saves go through ``response_save``, which stamps the assessment and cancels the
    reminders it makes pointless."""

    def save_model(self, request, obj, form, change):
        self.save_by_service(
            request, obj, lambda: letter_services.response_save(response=obj, changed_by=request.user)
        )
