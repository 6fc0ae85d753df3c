"""Closing the loop: "you said, we did" notes, translated per language."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow
from engagement.models.content import TranslationMixin, pick_translation
from engagement.models.engagement import Engagement


class ActionStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class LoopAction(db.Model):
    __tablename__ = "loop_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    # Optional: the theme (codebook code) this note answers.
    theme_code: Mapped[str | None] = mapped_column(sa.String(60))
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "status"), default=ActionStatus.PLANNED
    )
    position: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    engagement: Mapped[Engagement] = relationship()
    texts: Mapped[list["LoopActionText"]] = relationship(
        back_populates="action", cascade="all, delete-orphan"
    )

    def text(self, locale: str):
        return pick_translation(self.texts, locale)

    def __repr__(self):
        return f"<LoopAction {self.engagement_id} {self.theme_code}>"


class LoopActionText(TranslationMixin, db.Model):
    __tablename__ = "loop_action_text"
    TEXT_FIELDS = ("heard", "did")

    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("loop_action.id", ondelete="CASCADE"), index=True
    )
    heard: Mapped[str] = mapped_column(sa.Text)
    did: Mapped[str] = mapped_column(sa.Text)

    action: Mapped[LoopAction] = relationship(back_populates="texts")

    __table_args__ = (sa.UniqueConstraint("action_id", "locale"),)
