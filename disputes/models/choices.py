"""The controlled vocabularies of letters, demands and responses (each backed by a CheckConstraint)."""

import functools
from functools import partialmethod

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    REQUEST = "request", _("Written request")
    CEASE_AND_DESIST = "cease_and_desist", _("Cease and desist")
    LETTER_BEFORE_ACTION = "letter_before_action", _("Letter before action")
    GOVERNMENT_REQUEST = "government_request", _("Government request")
    APPROACH = "approach", _("Approach or negotiation")
    OTHER = "other", _("Other")


class LetterChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    CALL = "call", _("Call or online meeting")
    MEETING = "meeting", _("Meeting")
    PUBLIC = "public", _("Public notice")
    OTHER = "other", _("Other")


class LetterStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeadlineSource(models.TextChoices):
    NONE = "none", _("No deadline")
    STATED = "stated", _("Stated in the letter")
    POLICY = "policy", _("Policy default")
    STAFF = "staff", _("Set by staff")


class Assessment(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    SINCERE = "sincere", _("Sincere")
    PARTIAL = "partial", _("Partial")
    EVASIVE = "evasive", _("Evasive or boilerplate")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement only")
    REFUSAL = "refusal", _("Refusal")
    NO_REPLY = "no_reply", _("No reply")


class ResponseChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    PUBLIC_STATEMENT = "public_statement", _("Public statement")
    BLOG_POST = "blog_post", _("Blog post")
    PRESS_COMMENT = "press_comment", _("Press comment")
    MEETING = "meeting", _("Meeting")
    COURT_FILING = "court_filing", _("Court filing")
    NONE = "none", _("No reply reported")


class DemandStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    COMPLIED = "complied", _("Complied")
    PARTLY_COMPLIED = "partly_complied", _("Partly complied")
    REFUSED = "refused", _("Refused")
    IGNORED = "ignored", _("Ignored")
    SUPERSEDED = "superseded", _("Superseded")


# --- Choice labels -----------------------------------------------------------------------------------------
# Django's get_FOO_display() rebuilds a dict of every choice (hashing each lazy label, which translates it) on
# each call; a timeline page calls it hundreds of times. This one looks the value up in a dict built once per
# field and translates only the label it shows. Same result: the label in the active language, or the value
# itself when it is not one of the choices.


@functools.cache
def _labels(field: models.Field) -> dict:
    return dict(field.flatchoices)


def _choice_display(instance: models.Model, field: models.Field):
    value = getattr(instance, field.attname)
    try:
        label = _labels(field)[value]
    except (KeyError, TypeError):  # not one of the choices (shown as it is), or an unhashable value
        return models.Model._get_FIELD_display(instance, field)
    return force_str(label, strings_only=True)


def install_choice_display(app_models) -> None:
    """Point each choice field's ``get_FOO_display`` at the lookup above, unless the model defines its own."""
    for model in app_models:
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices is not None and not _defined_by_model(model, name):
                setattr(model, name, partialmethod(_choice_display, field=field))


def _defined_by_model(model, name: str) -> bool:
    attribute = next((klass.__dict__[name] for klass in model.__mro__ if name in klass.__dict__), None)
    return attribute is not None and not isinstance(attribute, partialmethod)
