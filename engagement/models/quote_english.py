"""A staff member's English rendering of a comment quoted in another language."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, utcnow
from engagement.models.response import Answer
from engagement.models.user import User


class QuoteEnglish(db.Model):
    """The English rendering of one comment's quote, who wrote it and when.

    It renders the quote as it read when it was written (masked automatically or by hand):
    `quote_fingerprint` is that text's SHA-256 (engagement.themes.quoting.fingerprint). When
    the quote's masking changes, the fingerprints differ and the rendering is shown only on
    the review page, marked to be checked again, until staff save it again."""

    __tablename__ = "quote_english"

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    quote_fingerprint: Mapped[str] = mapped_column(sa.String(64))
    written_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A draft from the district's own translation server (engagement.machine_translation):
    # shown only on the review pages, marked "machine draft", until a person saves it.
    machine_draft: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    answer: Mapped[Answer] = relationship()
    written_by: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<QuoteEnglish answer={self.answer_id}>"
