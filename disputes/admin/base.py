"""The admin's base classes: text fields with a length cap, and change history that is read-only.

Every ModelAdmin and inline of the project derives from these (``RecordAdmin`` for models with history), so a
new admin page gets the same limits without thinking about them. The permission matrix test checks that every
registered history admin refuses a revert.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline as BaseGenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


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
