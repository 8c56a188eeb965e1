"""The controlled vocabularies of letters, demands and responses (each backed by a CheckConstraint)."""

from django.db import models
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
    NONE = "none", _("None (no reply reported)")


class DemandStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    COMPLIED = "complied", _("Complied")
    PARTLY_COMPLIED = "partly_complied", _("Partly complied")
    REFUSED = "refused", _("Refused")
    IGNORED = "ignored", _("Ignored")
    SUPERSEDED = "superseded", _("Superseded")
