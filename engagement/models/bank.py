"""The question bank: questions kept for reuse, with their options and translations.

A bank question is copied into an engagement, never linked live: editing the bank changes
no engagement's question, so answers already given keep the wording they were given to.
The copy keeps the bank's code, so the same question asked across a series (the fall
climate survey each year) has the same code every time and its answers line up.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow
from engagement.models.content import TranslationMixin, pick_translation
from engagement.models.engagement import QuestionKind


class BankQuestion(db.Model):
    __tablename__ = "bank_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique in the bank: the code an engagement's copy takes, the same across a series.
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "kind"))
    required: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    texts: Mapped[list["BankQuestionText"]] = relationship(
        back_populates="question", cascade="all, delete-orphan"
    )
    options: Mapped[list["BankOption"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="BankOption.position"
    )

    def text(self, locale: str):
        return pick_translation(self.texts, locale)

    @property
    def has_options(self) -> bool:
        return self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE)

    def __repr__(self):
        return f"<BankQuestion {self.code} {self.kind}>"


class BankQuestionText(TranslationMixin, db.Model):
    __tablename__ = "bank_question_text"
    # The same fields as QuestionText, so a translation's source hash stays valid both ways.
    TEXT_FIELDS = ("text", "help")

    bank_question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bank_question.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    help: Mapped[str] = mapped_column(sa.Text, default="")

    question: Mapped[BankQuestion] = relationship(back_populates="texts")

    __table_args__ = (sa.UniqueConstraint("bank_question_id", "locale"),)


class BankOption(db.Model):
    __tablename__ = "bank_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bank_question.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(60))
    position: Mapped[int] = mapped_column(default=0)

    question: Mapped[BankQuestion] = relationship(back_populates="options")
    texts: Mapped[list["BankOptionText"]] = relationship(
        back_populates="option", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.UniqueConstraint("bank_question_id", "code"),)

    def text(self, locale: str):
        return pick_translation(self.texts, locale)

    def __repr__(self):
        return f"<BankOption {self.code}>"


class BankOptionText(TranslationMixin, db.Model):
    __tablename__ = "bank_option_text"
    TEXT_FIELDS = ("label",)

    bank_option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("bank_option.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(300))

    option: Mapped[BankOption] = relationship(back_populates="texts")

    __table_args__ = (sa.UniqueConstraint("bank_option_id", "locale"),)
