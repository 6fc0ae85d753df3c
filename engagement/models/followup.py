"""Comments that need a person now, and families who asked to be contacted: the staff
"needs follow-up" queue (engagement.followup)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow
from engagement.models.response import Answer, Response
from engagement.models.user import User


class UrgentKind(enum.StrEnum):
    """What the urgent-comment rules found (engagement.themes.urgent), most serious first."""

    SELF_HARM = "self_harm"
    VIOLENCE_THREAT = "violence_threat"
    ABUSE_NEGLECT = "abuse_neglect"
    CRISIS = "crisis"
    BULLYING_HARM = "bullying_harm"
    HAZARD = "hazard"


class FollowUpReason(enum.StrEnum):
    """Why a response is in the queue: an urgent kind, or the family asked to be contacted."""

    SELF_HARM = "self_harm"
    VIOLENCE_THREAT = "violence_threat"
    ABUSE_NEGLECT = "abuse_neglect"
    CRISIS = "crisis"
    BULLYING_HARM = "bullying_harm"
    HAZARD = "hazard"
    CONTACT_REQUEST = "contact_request"


class FollowUpState(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class FollowUp(db.Model):
    """One response that needs a person: at most one row per response, with the most
    serious reason found in it."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), unique=True
    )
    # The written answer that was flagged; None when only a contact request brought it here.
    answer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[FollowUpReason] = mapped_column(enum_column(FollowUpReason, "reason"))
    state: Mapped[FollowUpState] = mapped_column(
        enum_column(FollowUpState, "follow_up_state"), default=FollowUpState.OPEN, index=True
    )
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    # When it entered the queue, to the minute like the response itself.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)
    # Staff's short note on what was done (never copied into the audit log).
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    response: Mapped[Response] = relationship()
    answer: Mapped[Answer | None] = relationship()
    owner: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<FollowUp {self.id} {self.reason} {self.state}>"
