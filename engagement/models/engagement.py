"""Engagements (surveys, forums, councils, coffee conversations) and their questions."""

import enum
import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow
from engagement.models.content import TranslationMixin, pick_translation
from engagement.models.district import School, StakeholderGroup, StrategicPriority


class EngagementKind(enum.StrEnum):
    SURVEY = "survey"
    FORUM = "forum"
    ADVISORY_COUNCIL = "advisory_council"
    COFFEE_CONVERSATION = "coffee_conversation"


class EngagementStatus(enum.StrEnum):
    """What staff decided. Families see the public state, which also depends on the dates."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class PublicState(enum.StrEnum):
    """What families see of an engagement at a given moment (`Engagement.public_state`).

    Worked out from the staff status and the engagement's window: the status is the
    staff's word (a draft is never shown, a closed one stays closed whatever its dates),
    and the dates decide the rest. When engagements come to open and close by themselves,
    only `Engagement.public_state` (and its SQL twin beside it) changes.
    """

    DRAFT = "draft"  # being prepared: nothing of it is shown
    NOT_YET_OPEN = "not_yet_open"  # ready, but its window has not started
    OPEN = "open"  # takes answers
    CLOSED = "closed"  # closed by staff, or its window has ended


# How a public state comes back from SQL: a plain string in, the enum out (never stored).
_PUBLIC_STATE_TYPE = sa.Enum(
    PublicState,
    native_enum=False,
    create_constraint=False,
    values_callable=lambda cls: [m.value for m in cls],
    validate_strings=True,
)


class QuestionKind(enum.StrEnum):
    LIKERT5 = "likert5"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    OPEN_TEXT = "open_text"
    RATING = "rating"


# Closed questions whose options are fixed by the kind (labels come from the UI catalog).
SCALE_CODES = {
    QuestionKind.LIKERT5: ["1", "2", "3", "4", "5"],
    QuestionKind.RATING: ["1", "2", "3", "4", "5"],
}

engagement_priority = sa.Table(
    "engagement_priority",
    db.metadata,
    sa.Column(
        "engagement_id", sa.ForeignKey("engagement.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "priority_id",
        sa.ForeignKey("strategic_priority.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
)


class Engagement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[EngagementKind] = mapped_column(enum_column(EngagementKind, "kind"))
    status: Mapped[EngagementStatus] = mapped_column(
        enum_column(EngagementStatus, "status"), default=EngagementStatus.DRAFT
    )
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a forum, council meeting or coffee takes place in person (its place, childcare
    # and interpreters are text in each language, on EngagementText).
    event_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="RESTRICT"))
    council_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stakeholder_group.id", ondelete="RESTRICT"), index=True
    )
    # Engagements repeated over time (e.g. the fall climate survey) share a series name, so
    # summaries can compare a theme with the previous engagement of the same series.
    series: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    school: Mapped[School | None] = relationship()
    council: Mapped[StakeholderGroup | None] = relationship()
    priorities: Mapped[list[StrategicPriority]] = relationship(secondary=engagement_priority)
    texts: Mapped[list["EngagementText"]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan"
    )
    questions: Mapped[list["Question"]] = relationship(
        back_populates="engagement",
        cascade="all, delete-orphan",
        order_by="Question.position",
    )

    __table_args__ = (
        sa.CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="window"
        ),
        sa.CheckConstraint("slug <> ''", name="slug_not_empty"),
        sa.CheckConstraint(
            "event_ends_at IS NULL OR (event_starts_at IS NOT NULL"
            " AND event_ends_at > event_starts_at)",
            name="event_window",
        ),
    )

    def text(self, locale: str):
        """(EngagementText, locale used) with English fallback."""
        return pick_translation(self.texts, locale)

    def title(self, locale: str = "en") -> str:
        row, _ = self.text(locale)
        return row.title if row else self.slug

    @property
    def visible_questions(self):
        return [q for q in self.questions if not q.hidden]

    def ended_at(self, now: datetime | None = None) -> datetime | None:
        """When the window closed, if it has; None while it runs or when closed early."""
        now = now or utcnow()
        return self.closes_at if self.closes_at and self.closes_at <= now else None

    # The one definition of what families see. The Python body and the SQL expression
    # below say the same thing, rule for rule, in the same order; tests/foundation/
    # test_engagement_state.py checks that they agree for every status and window.
    @hybrid_method
    def public_state(self, now: datetime | None = None) -> PublicState:
        """The engagement's public state at `now` (default: the current time)."""
        now = now or utcnow()
        if self.status == EngagementStatus.DRAFT:
            return PublicState.DRAFT
        if self.status == EngagementStatus.CLOSED:
            return PublicState.CLOSED
        if self.opens_at is not None and now < self.opens_at:
            return PublicState.NOT_YET_OPEN
        if self.closes_at is not None and now >= self.closes_at:
            return PublicState.CLOSED
        return PublicState.OPEN

    @public_state.inplace.expression
    @classmethod
    def _public_state_expression(cls, now: datetime | None = None):
        """The same state as a SQL CASE, for filtering and sorting in queries."""
        now = now or utcnow()
        state = sa.case(
            (cls.status == EngagementStatus.DRAFT, PublicState.DRAFT.value),
            (cls.status == EngagementStatus.CLOSED, PublicState.CLOSED.value),
            (
                sa.and_(cls.opens_at.is_not(None), cls.opens_at > now),
                PublicState.NOT_YET_OPEN.value,
            ),
            (
                sa.and_(cls.closes_at.is_not(None), cls.closes_at <= now),
                PublicState.CLOSED.value,
            ),
            else_=PublicState.OPEN.value,
        )
        return sa.type_coerce(state, _PUBLIC_STATE_TYPE)

    @hybrid_method
    def is_accepting(self, now: datetime | None = None):
        """Takes answers at `now`: a bool on an engagement, a SQL condition on the class."""
        return self.public_state(now) == PublicState.OPEN

    def __repr__(self):
        return f"<Engagement {self.slug} {self.kind} {self.status}>"


class EngagementAddress(db.Model):
    """A web address name an engagement used before its current one.

    Links already shared (a draft's preview link, a flyer printed before a rename) keep
    working: the family pages answer an earlier address with a permanent redirect to the
    current one. An address is never taken by another engagement while it is kept here.
    """

    __tablename__ = "engagement_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    engagement: Mapped[Engagement] = relationship()

    def __repr__(self):
        return f"<EngagementAddress {self.slug} -> {self.engagement_id}>"


class EngagementText(TranslationMixin, db.Model):
    __tablename__ = "engagement_text"
    # The event details come last and count in the hash only when written, so that rows
    # translated before they existed stay current.
    EVENT_FIELDS = ("place", "childcare", "interpreters")
    TEXT_FIELDS = ("title", "description", *EVENT_FIELDS)

    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    place: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    childcare: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    interpreters: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    engagement: Mapped[Engagement] = relationship(back_populates="texts")

    def content_hash(self) -> str:
        fields = self.TEXT_FIELDS
        if not any((getattr(self, f) or "").strip() for f in self.EVENT_FIELDS):
            fields = ("title", "description")
        joined = "\x1f".join((getattr(self, f) or "").strip() for f in fields)
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    __table_args__ = (sa.UniqueConstraint("engagement_id", "locale"),)


class Question(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    # Stable machine name: export column names and option codes never change once answered.
    code: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "kind"))
    position: Mapped[int] = mapped_column(default=0)
    required: Mapped[bool] = mapped_column(default=False)
    # A question that has answers is hidden, never deleted.
    hidden: Mapped[bool] = mapped_column(default=False)
    # The bank question this one was copied from (a copy: editing the bank changes nothing
    # here); while any question points at a bank entry, the entry's code is fixed.
    bank_question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("bank_question.id", ondelete="SET NULL"), index=True
    )

    engagement: Mapped[Engagement] = relationship(back_populates="questions")
    texts: Mapped[list["QuestionText"]] = relationship(
        back_populates="question", cascade="all, delete-orphan"
    )
    options: Mapped[list["QuestionOption"]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="QuestionOption.position",
    )

    __table_args__ = (
        sa.UniqueConstraint("engagement_id", "code"),
        sa.CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    def text(self, locale: str):
        return pick_translation(self.texts, locale)

    @property
    def has_options(self) -> bool:
        return self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE)

    @property
    def choice_codes(self) -> list[str]:
        if self.kind in SCALE_CODES:
            return SCALE_CODES[self.kind]
        return [o.code for o in self.options if not o.hidden]

    def __repr__(self):
        return f"<Question {self.code} {self.kind}>"


class QuestionText(TranslationMixin, db.Model):
    __tablename__ = "question_text"
    TEXT_FIELDS = ("text", "help")

    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    help: Mapped[str] = mapped_column(sa.Text, default="")

    question: Mapped[Question] = relationship(back_populates="texts")

    __table_args__ = (sa.UniqueConstraint("question_id", "locale"),)


class QuestionOption(db.Model):
    __tablename__ = "question_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(60))
    position: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(back_populates="options")
    texts: Mapped[list["OptionText"]] = relationship(
        back_populates="option", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.UniqueConstraint("question_id", "code"),)

    def text(self, locale: str):
        return pick_translation(self.texts, locale)

    def __repr__(self):
        return f"<QuestionOption {self.code}>"


class OptionText(TranslationMixin, db.Model):
    __tablename__ = "option_text"
    TEXT_FIELDS = ("label",)

    option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_option.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(300))

    option: Mapped[QuestionOption] = relationship(back_populates="texts")

    __table_args__ = (sa.UniqueConstraint("option_id", "locale"),)


# Content that families see: a change to any of it marks its engagement as updated, so that
# caches keyed on (engagement id, updated_at) never serve an old form.
_CONTENT = (EngagementText, Question, QuestionText, QuestionOption, OptionText)


def _parent(session, loaded, model, key):
    if loaded is not None or key is None:
        return loaded
    return session.get(model, key)


def _owner(obj, session) -> Engagement | None:
    """The engagement a content row belongs to (loading parents by key if needed)."""
    if isinstance(obj, EngagementText | Question):
        return _parent(session, obj.engagement, Engagement, obj.engagement_id)
    if isinstance(obj, QuestionText | QuestionOption):
        parent = _parent(session, obj.question, Question, obj.question_id)
    else:
        parent = _parent(session, obj.option, QuestionOption, obj.option_id)
    return _owner(parent, session) if parent is not None else None


@sa.event.listens_for(Session, "before_flush")
def _touch_engagements(session, flush_context, instances):
    touched = set()
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, _CONTENT):
                engagement = _owner(obj, session)
                if engagement is not None and id(engagement) not in touched:
                    touched.add(id(engagement))
                    engagement.updated_at = utcnow()
