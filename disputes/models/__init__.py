"""The dispute record. Each module holds one part of it; import models from here."""

from .access import AccessToken, DigestFrequency, DigestPreference, UserProfile
from .common import DatePrecision, format_partial_date
from .courtlistener import CourtListenerDocket, CourtListenerEntry, SyncStatus
from .disputes import Dispute, DisputeParty, DisputeQuerySet, PartyRole, Stage
from .events import Event, EventKind
from .imports import ImportedRecord, ImportRun, ImportSource, ImportStatus
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
from .licensing import (
    Licence,
    LicenceKind,
    OptOutMechanism,
    OptOutMechanismKind,
    OptOutRequest,
    WorkType,
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
from .sources import Reliability, ReportedDate, Source, disputed_fields

__all__ = [
    "CourtListenerDocket",
    "CourtListenerEntry",
    "SyncStatus",
    "ImportedRecord",
    "ImportRun",
    "ImportSource",
    "ImportStatus",
    "Licence",
    "LicenceKind",
    "OptOutMechanism",
    "OptOutMechanismKind",
    "OptOutRequest",
    "WorkType",
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
