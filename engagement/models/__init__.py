"""All models, importable from one place."""

from engagement.models.analysis import AnswerAnalysis, AnswerTheme, ThemeSource
from engagement.models.base import utcnow
from engagement.models.content import SOURCE_LOCALE, is_stale, pick_translation
from engagement.models.district import (
    GroupKind,
    School,
    SchoolLevel,
    StakeholderGroup,
    StrategicPriority,
)
from engagement.models.engagement import (
    SCALE_CODES,
    Engagement,
    EngagementKind,
    EngagementStatus,
    EngagementText,
    OptionText,
    PublicState,
    Question,
    QuestionKind,
    QuestionOption,
    QuestionText,
    engagement_priority,
)
from engagement.models.event import Event, EventAttendance
from engagement.models.loop import ActionStatus, LoopAction, LoopActionText
from engagement.models.proposal import Proposal, ProposalKind, ProposalState
from engagement.models.response import (
    FOCUS_SUBGROUPS,
    Answer,
    Channel,
    FollowUpContact,
    QuoteState,
    RaceEthnicity,
    Response,
    new_receipt_code,
    response_group,
)
from engagement.models.user import AuditLog, Role, StaffSession, User, user_council

__all__ = [
    "FOCUS_SUBGROUPS",
    "SCALE_CODES",
    "SOURCE_LOCALE",
    "ActionStatus",
    "Answer",
    "AnswerAnalysis",
    "AnswerTheme",
    "AuditLog",
    "Channel",
    "Engagement",
    "EngagementKind",
    "EngagementStatus",
    "EngagementText",
    "Event",
    "EventAttendance",
    "FollowUpContact",
    "GroupKind",
    "LoopAction",
    "LoopActionText",
    "OptionText",
    "Proposal",
    "ProposalKind",
    "ProposalState",
    "PublicState",
    "Question",
    "QuestionKind",
    "QuestionOption",
    "QuestionText",
    "QuoteState",
    "RaceEthnicity",
    "Response",
    "Role",
    "School",
    "SchoolLevel",
    "StaffSession",
    "StakeholderGroup",
    "StrategicPriority",
    "ThemeSource",
    "User",
    "engagement_priority",
    "is_stale",
    "new_receipt_code",
    "pick_translation",
    "response_group",
    "user_council",
    "utcnow",
]
