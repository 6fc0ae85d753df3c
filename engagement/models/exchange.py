"""Exchange mode (issue 18): families share ideas, staff approve them, families rate a
balanced sample of each other's ideas, and the district sees what each group values.

A participant is a random key kept in the family's own signed session cookie: it ties a
browser's ideas, the ideas it was shown and its ratings together ("never their own"),
and nothing else. No name, address or user agent is stored with it.
"""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow, utcnow_minute
from engagement.models.content import TranslationMixin, pick_translation
from engagement.models.district import StakeholderGroup
from engagement.models.engagement import Engagement, Question
from engagement.models.response import Answer

# Ideas shown to each participant, unless staff choose another number.
DEFAULT_SAMPLE_SIZE = 8
MAX_SAMPLE_SIZE = 20
STARS = (1, 2, 3, 4, 5)
# The code of the open question whose answers are an exchange's ideas. It is kept off the
# ordinary form (engagement.public.forms): families answer it on the Share page only.
IDEA_QUESTION_CODE = "exchange_idea"


class ExchangePhase(enum.StrEnum):
    """What the exchange's QR code leads to: sharing ideas, rating them, or a closed note."""

    SHARE = "share"
    RATE = "rate"
    CLOSED = "closed"


class IdeaState(enum.StrEnum):
    """Staff moderation: only approved ideas are ever shown to anyone else or rated."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def new_participant_key() -> str:
    """A random participant key for the family's session cookie."""
    return secrets.token_urlsafe(24)


class Exchange(db.Model):
    """The exchange of one forum, council or coffee engagement; its ideas are the answers
    to `question`, an open question of the engagement kept off the ordinary form."""

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), unique=True
    )
    # Deleting the Share question (staff can, while it has no answers) turns exchange off.
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    phase: Mapped[ExchangePhase] = mapped_column(
        enum_column(ExchangePhase, "phase"), default=ExchangePhase.SHARE
    )
    sample_size: Mapped[int] = mapped_column(default=DEFAULT_SAMPLE_SIZE)
    # Bumped by every sample drawn: the write takes the row (PostgreSQL) or database
    # (SQLite) lock first, so concurrent raters see each other's exposures.
    samples_drawn: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    engagement: Mapped[Engagement] = relationship()
    question: Mapped[Question] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            f"sample_size >= 1 AND sample_size <= {MAX_SAMPLE_SIZE}", name="sample_size_range"
        ),
    )

    def __repr__(self):
        return f"<Exchange {self.engagement_id} {self.phase}>"


exchange_participant_group = sa.Table(
    "exchange_participant_group",
    db.metadata,
    sa.Column(
        "participant_id",
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "group_id", sa.ForeignKey("stakeholder_group.id", ondelete="RESTRICT"), primary_key=True
    ),
)


class ExchangeParticipant(db.Model):
    __tablename__ = "exchange_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_participant_key)
    # The language the participant rated in (for each language's average).
    locale: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_minute)

    groups: Mapped[list[StakeholderGroup]] = relationship(secondary=exchange_participant_group)

    def __repr__(self):
        return f"<ExchangeParticipant {self.id}>"


class ExchangeIdea(db.Model):
    """A shared idea: one answer (stored, screened and analysed like any other) awaiting,
    passing or failing staff moderation."""

    __tablename__ = "exchange_idea"

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), unique=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="SET NULL"), index=True
    )
    locale: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[IdeaState] = mapped_column(
        enum_column(IdeaState, "state"), default=IdeaState.PENDING, index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answer: Mapped[Answer] = relationship()
    texts: Mapped[list["ExchangeIdeaText"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan"
    )

    def text(self, locale: str):
        """(staff translation row, locale used), English rendering as the fallback."""
        return pick_translation(self.texts, locale)

    def __repr__(self):
        return f"<ExchangeIdea {self.id} {self.state}>"


class ExchangeIdeaText(TranslationMixin, db.Model):
    """A rendering of an idea that staff wrote: English, or another family language."""

    __tablename__ = "exchange_idea_text"
    TEXT_FIELDS = ("text",)

    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_idea.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)

    idea: Mapped[ExchangeIdea] = relationship(back_populates="texts")

    __table_args__ = (sa.UniqueConstraint("idea_id", "locale"),)


class ExchangeExposure(db.Model):
    """An idea put on a participant's rating page: counted for balance from the moment the
    page is served, rated or not."""

    __tablename__ = "exchange_exposure"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_idea.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE"), index=True
    )
    served_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_minute)

    __table_args__ = (sa.UniqueConstraint("idea_id", "participant_id"),)


class ExchangeRating(db.Model):
    """One participant's answer to one idea of their sample: 1-5 stars, or NULL for a
    skipped idea (it then leaves their pending sample but counts in no average)."""

    __tablename__ = "exchange_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_idea.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE"), index=True
    )
    stars: Mapped[int | None]

    __table_args__ = (
        sa.UniqueConstraint("idea_id", "participant_id"),
        sa.CheckConstraint("stars IS NULL OR (stars >= 1 AND stars <= 5)", name="stars_range"),
    )
