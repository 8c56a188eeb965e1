"""The admin's base classes: text fields with a length cap, forms an editor can trust, inlines, saves through the
record's services, and change history that is read-only.

Every ModelAdmin and inline of the project derives from these (``RecordAdmin`` for models with history,
``RowsInline`` for a record's rows), so a new admin page gets the same limits and behaviour without thinking
about them. The permission matrix test checks that every registered history admin refuses a revert.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline as BaseGenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from disputes.core.errors import DisputeError


class AdminMedia:
    css = {"all": ["css/admin.css"]}


class CappedTextMixin:
    """A text field without a length of its own accepts at most ``TEXT_FIELD_MAX_CHARS`` characters, with the
    form's usual "at most N characters" message (and a ``maxlength`` on the textarea)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.TextField) and field is not None and field.max_length is None:
            cap = settings.TEXT_FIELD_MAX_CHARS
            field.max_length = cap
            field.validators.append(MaxLengthValidator(cap))
            field.widget.attrs["maxlength"] = str(cap)
        return field


class ModelAdmin(CappedTextMixin, admin.ModelAdmin):
    Media = AdminMedia


class TabularInline(CappedTextMixin, admin.TabularInline):
    pass


class StackedInline(CappedTextMixin, admin.StackedInline):
    pass


class GenericTabularInline(CappedTextMixin, BaseGenericTabularInline):
    pass


RETURN_PARAM = "_return_to"


class EntryMixin:
    """What every admin form here does for an editor.

    - No silent truncation: text inputs lose their ``maxlength`` attribute, so a pasted value that is too long
      reaches the server and comes back with "Ensure this value has at most 300 characters (it has 412)" instead
      of being cut by the browser without a word.
    - Linked add buttons come back: an add page opened with ``?_return_to=<admin URL>`` (e.g. "Add a letter" on
      a dispute's page, which also fills in the dispute) returns there after saving.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and formfield.widget is not None:
            formfield.widget.attrs.pop("maxlength", None)
            inner = getattr(formfield.widget, "widget", None)  # the related-object wrapper
            if inner is not None:
                inner.attrs.pop("maxlength", None)
        return formfield

    def _return_to(self, request):
        target = request.GET.get(RETURN_PARAM, "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return target
        return None

    def response_add(self, request, obj, post_url_continue=None):
        target = self._return_to(request)
        if target and "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(request, _("“%(obj)s” was added.") % {"obj": obj})
            return HttpResponseRedirect(target)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        target = self._return_to(request)
        if target and "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(request, _("“%(obj)s” was changed.") % {"obj": obj})
            return HttpResponseRedirect(target)
        return super().response_change(request, obj)


class RowsInline(EntryMixin, TabularInline):
    """A record's rows (its parties, demands, other recipients), edited in a table on the record's page, with no
    empty row until the editor asks for one."""

    extra = 0


class ReadOnlyRowsInline(RowsInline):
    """A record's rows listed on its page for reference, each added and changed on its own page (or by the
    record's services), never here: every field shown is read-only."""

    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ServiceSaveMixin:
    """For an admin whose saves go through one of the record's services (``save_model`` calls
    ``save_by_service``): a domain error the form could not foresee (the record changed between the form's check
    and the save) becomes the admin's error message, never a 500, and the inlines are then not saved either."""

    def save_by_service(self, request, obj, save: Callable[[], object]) -> None:
        try:
            save()
        except DisputeError as exc:
            obj._save_failed = True
            self.message_user(request, str(exc), level=messages.ERROR)

    def save_related(self, request, form, formsets, change):
        if getattr(form.instance, "_save_failed", False):
            return
        super().save_related(request, form, formsets, change)


def _valid_pk(model, value) -> bool:
    try:
        model._meta.pk.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class RecordAdmin(CappedTextMixin, SimpleHistoryAdmin):
    """An admin with django-simple-history's change history, read-only.

    The history form ("revert") would save any POST, whatever the user may do, and a partial POST would clear
    many-to-many fields: it only ever shows a past version here (SIMPLE_HISTORY_REVERT_DISABLED hides its
    button; this refuses the POST). Ids that are not numbers are a 404, not a 500.
    """

    Media = AdminMedia

    def history_view(self, request, object_id, extra_context=None):
        if not _valid_pk(self.model, admin.utils.unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("change history is read-only")
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        if not _valid_pk(self.model, object_id) or not _valid_pk(history_model, version_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
