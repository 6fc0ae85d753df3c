"""Responses and their answers. No IP address or user agent is ever stored here."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, to_minute, utcnow_minute
from engagement.models.district import School, StakeholderGroup
from engagement.models.engagement import Engagement, Question
from engagement.models.event import Event


class Channel(enum.StrEnum):
    WEB = "web"
    QR = "qr"
    PAPER = "paper"
    STAFF_ENTRY = "staff_entry"
    # Links sent in an invitation (the distribution kit, engagement.invitations).
    SMS = "sms"
    EMAIL = "email"
    NEWSLETTER = "newsletter"


class RaceEthnicity(enum.StrEnum):
    """Self-identified, optional. The first five are the plan's Commitment 1 focus subgroups."""

    BLACK = "black"
    HISPANIC_LATINX = "hispanic_latinx"
    MULTIRACIAL = "multiracial"
    AMERICAN_INDIAN_ALASKA_NATIVE = "american_indian_alaska_native"
    NATIVE_HAWAIIAN_PACIFIC_ISLANDER = "native_hawaiian_pacific_islander"
    ASIAN = "asian"
    WHITE = "white"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class HoldReason(enum.StrEnum):
    """Why a family form's response waits for staff review (see engagement.holds)."""

    DUPLICATE_TEXT = "duplicate_text"
    MACHINE_SPEED = "machine_speed"


def demo_data_counts() -> bool:
    """Whether demo responses count (COUNT_DEMO_DATA; off outside an app, and by default).
    The per-engagement counts (engagement.aggregates) follow it as they are written: after
    changing it, run `flask --app wsgi aggregates rebuild`."""
    return has_app_context() and bool(current_app.config.get("COUNT_DEMO_DATA"))


class HoldState(enum.StrEnum):
    """A held response: waiting for review, released by staff (counted), or set aside
    (kept, never counted)."""

    HELD = "held"
    RELEASED = "released"
    SET_ASIDE = "set_aside"


FOCUS_SUBGROUPS = (
    RaceEthnicity.BLACK,
    RaceEthnicity.HISPANIC_LATINX,
    RaceEthnicity.MULTIRACIAL,
    RaceEthnicity.AMERICAN_INDIAN_ALASKA_NATIVE,
    RaceEthnicity.NATIVE_HAWAIIAN_PACIFIC_ISLANDER,
)

# Unambiguous characters only, so a code read aloud or copied by hand still matches.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_receipt_code() -> str:
    """A random public receipt code like 'K7QP-M3XA'."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


response_group = sa.Table(
    "response_group",
    db.metadata,
    sa.Column("response_id", sa.ForeignKey("response.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "group_id", sa.ForeignKey("stakeholder_group.id", ondelete="RESTRICT"), primary_key=True
    ),
    sa.Index("ix_response_group_group_id", "group_id"),
)


class Response(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    # Stored to the minute, whoever sets it (see base.to_minute).
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_minute, index=True)
    locale: Mapped[str] = mapped_column(sa.String(16))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="RESTRICT"))
    # The school whose invitation link the family followed (`?school=` on a tracked link):
    # where the invitation went out, never who answered. The school the family chose is
    # school_id.
    source_school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("school.id", ondelete="RESTRICT")
    )
    race_ethnicity: Mapped[RaceEthnicity | None] = mapped_column(
        enum_column(RaceEthnicity, "race_ethnicity")
    )
    receipt_code: Mapped[str] = mapped_column(sa.String(12), unique=True, default=new_receipt_code)
    # The form's one-time token: a retried or double-clicked POST stores one response.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Suspicious answers are stored but held out of every count until staff release them.
    # All three are NULL for a response that was never held.
    held_reason: Mapped[HoldReason | None] = mapped_column(enum_column(HoldReason, "held_reason"))
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_state: Mapped[HoldState | None] = mapped_column(
        enum_column(HoldState, "hold_state"), index=True
    )

    engagement: Mapped[Engagement] = relationship()
    school: Mapped[School | None] = relationship(foreign_keys=[school_id])
    source_school: Mapped[School | None] = relationship(foreign_keys=[source_school_id])
    groups: Mapped[list[StakeholderGroup]] = relationship(secondary=response_group)
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    event: Mapped[Event | None] = relationship()

    @validates("submitted_at")
    def _submitted_to_the_minute(self, key, value):
        return None if value is None else to_minute(value)

    __table_args__ = (
        sa.CheckConstraint(
            "(held_reason IS NULL) = (hold_state IS NULL) "
            "AND (held_reason IS NULL) = (held_at IS NULL)",
            name="hold_complete",
        ),
    )

    @hybrid_property
    def counted(self) -> bool:
        """Counts in summaries, exports and reports: never held, or released by staff; and
        not demo data, unless COUNT_DEMO_DATA is on (the one-machine trial of `make run`).

        On the class, the SQL condition every query that counts responses for people to
        see applies (`.where(Response.counted)`)."""
        released = self.hold_state is None or self.hold_state == HoldState.RELEASED
        return released and (not self.is_demo or demo_data_counts())

    @counted.inplace.expression
    @classmethod
    def _counted_expression(cls):
        released = sa.or_(cls.hold_state.is_(None), cls.hold_state == HoldState.RELEASED)
        if demo_data_counts():
            return released
        return sa.and_(released, cls.is_demo.is_(False))

    def __repr__(self):
        return f"<Response {self.receipt_code} {self.engagement_id}>"


class QuoteState(enum.StrEnum):
    """Whether staff judged a written answer safe to quote. Masking is a first line; only an
    approved answer is ever quoted in a summary, an export or the report."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Answer(db.Model):
    """One answer: an option code for closed questions (one row per chosen option for
    multi-choice), or the text as written for open ones."""

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="RESTRICT"), index=True
    )
    choice: Mapped[str | None] = mapped_column(sa.String(60))
    text: Mapped[str | None] = mapped_column(sa.Text)
    # Quoted in summaries only once staff approve it (engagement.themes.review).
    quote_state: Mapped[QuoteState] = mapped_column(
        enum_column(QuoteState, "quote_state"), default=QuoteState.PENDING
    )
    # The quote as staff masked it by hand, shown instead of the automatic masking; `text`,
    # the family's own words, never changes.
    quote_text: Mapped[str | None] = mapped_column(sa.Text)
    # A hash of the normalised text (engagement.holds.text_fingerprint), for finding the
    # same text sent many times; NULL for choices and for short texts.
    text_fingerprint: Mapped[str | None] = mapped_column(sa.String(32), index=True)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(choice IS NULL) <> (text IS NULL)", name="choice_xor_text"),
        sa.UniqueConstraint("response_id", "question_id", "choice"),
        # Quotes are chosen among approved answers only: a few among many (issue 17).
        sa.Index(
            "ix_answer_approved_response_id",
            "response_id",
            sqlite_where=sa.text("quote_state = 'approved'"),
            postgresql_where=sa.text("quote_state = 'approved'"),
        ),
    )

    def __repr__(self):
        return f"<Answer q={self.question_id} {self.choice or '(text)'}>"


class FollowUpContact(db.Model):
    """Contact details a family chose to give for a follow-up. Kept apart from the response
    so that exports and summaries leave it out unless an admin explicitly asks."""

    __tablename__ = "follow_up_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    preferred_locale: Mapped[str] = mapped_column(sa.String(16))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime)

    response: Mapped[Response] = relationship()

    __table_args__ = (sa.CheckConstraint("email <> '' OR phone <> ''", name="has_contact"),)
