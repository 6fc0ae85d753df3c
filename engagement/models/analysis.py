"""Stored text analyses of open answers and their theme codes (the theme-summary module)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow
from engagement.models.followup import UrgentKind
from engagement.models.response import Answer


class ThemeSource(enum.StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class AnswerAnalysis(db.Model):
    __tablename__ = "answer_analysis"

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(sa.String(16))
    # None where the project has no real sentiment method for the language.
    sentiment: Mapped[float | None] = mapped_column(sa.Float)
    phrases: Mapped[list] = mapped_column(sa.JSON, default=list)
    codebook_version: Mapped[str] = mapped_column(sa.String(40))
    analyzed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the urgent-comment rules found (engagement.themes.urgent); None for most comments.
    urgent_kind: Mapped[UrgentKind | None] = mapped_column(enum_column(UrgentKind, "urgent_kind"))
    # The comment asks to be contacted ("please call me back").
    asks_contact: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    answer: Mapped[Answer] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "sentiment IS NULL OR (sentiment >= -1 AND sentiment <= 1)", name="sentiment_range"
        ),
    )


class AnswerTheme(db.Model):
    """A theme code on an answer. Manual rows win over automatic ones and survive
    reanalysis; a manual row with removed=True keeps an automatic code off."""

    __tablename__ = "answer_theme"

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    theme_code: Mapped[str] = mapped_column(sa.String(60), primary_key=True, index=True)
    source: Mapped[ThemeSource] = mapped_column(enum_column(ThemeSource, "source"))
    removed: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        sa.CheckConstraint("source = 'manual' OR removed = false", name="only_manual_removes"),
    )
