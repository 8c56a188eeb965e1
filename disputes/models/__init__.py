"""The dispute record. Each module holds one part of it; import models from here."""

from .access import AccessToken, DigestFrequency, DigestPreference, UserProfile
from .common import DatePrecision, format_partial_date
from .disputes import Dispute, DisputeParty, DisputeQuerySet, PartyRole, Stage
from .events import Event, EventKind
from .letters import (
    Assessment,
    DeadlineChange,
    DeadlineSource,
    Demand,
    DemandLetter,
    DemandStatus,
    LetterChannel,
    LetterKind,
    LetterStatus,
    Response,
    ResponseChannel,
    end_of_day,
)
from .organizations import (
    AIProduct,
    Jurisdiction,
    Membership,
    Modality,
    Organization,
    OrganizationKind,
    Person,
)
from .reminders import DeliveryStatus, Follow, Reminder, ReminderKind, SweepHeartbeat
from .search import SearchDocument, SearchKind
from .sources import Reliability, ReportedDate, Source, disputed_fields

__all__ = [
    "AccessToken",
    "DigestFrequency",
    "DigestPreference",
    "UserProfile",
    "AIProduct",
    "Assessment",
    "DatePrecision",
    "DeliveryStatus",
    "Follow",
    "Reminder",
    "ReminderKind",
    "SweepHeartbeat",
    "SearchDocument",
    "SearchKind",
    "DeadlineChange",
    "DeadlineSource",
    "Demand",
    "DemandLetter",
    "DemandStatus",
    "Dispute",
    "DisputeParty",
    "DisputeQuerySet",
    "Event",
    "EventKind",
    "Jurisdiction",
    "LetterChannel",
    "LetterKind",
    "LetterStatus",
    "Membership",
    "Modality",
    "Organization",
    "OrganizationKind",
    "PartyRole",
    "Person",
    "Reliability",
    "ReportedDate",
    "Response",
    "ResponseChannel",
    "Source",
    "Stage",
    "disputed_fields",
    "end_of_day",
    "format_partial_date",
]
