"""Council leads propose, staff approve: a lead's theme re-code, "don't quote this" and "you
said, we did" note wait here and change nothing until staff decide."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow
from engagement.models.engagement import Engagement
from engagement.models.loop import LoopAction
from engagement.models.response import Answer
from engagement.models.user import User


class ProposalKind(enum.StrEnum):
    THEME = "theme"  # add or remove a theme code on a written answer: {"theme", "present"}
    NO_QUOTE = "no_quote"  # leave a quoted answer out of the quotes: {}
    LOOP_ACTION = "loop_action"  # a new or edited note: {"heard", "did", "status", "theme_code"}


class ProposalState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Proposal(db.Model):
    """One suggested change and its decision. The payload never holds a family's words."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ProposalKind] = mapped_column(enum_column(ProposalKind, "kind"))
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    # The note an edit is for; None for a new note (and for the answer kinds).
    loop_action_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("loop_action.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[ProposalState] = mapped_column(
        enum_column(ProposalState, "state"), default=ProposalState.PENDING, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    engagement: Mapped[Engagement] = relationship()
    answer: Mapped[Answer | None] = relationship()
    loop_action: Mapped[LoopAction | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        sa.CheckConstraint(
            "kind = 'loop_action' OR answer_id IS NOT NULL", name="answer_kinds_have_answer"
        ),
        sa.CheckConstraint("(state = 'pending') = (decided_at IS NULL)", name="decided_when"),
    )

    def __repr__(self):
        return f"<Proposal {self.id} {self.kind} {self.state}>"
