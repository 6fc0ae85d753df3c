"""Translated content: one row per (thing, locale), English is the source of every string.

A translation remembers a hash of the English text it was made from (`source_hash`); when
English changes, the translation is out of date until a translator confirms or rewrites it,
and families keep seeing the older translation meanwhile.
"""

import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

SOURCE_LOCALE = "en"


class TranslationMixin:
    """Columns and helpers shared by every *Text table."""

    TEXT_FIELDS: tuple[str, ...] = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(sa.String(16))
    source_hash: Mapped[str | None] = mapped_column(sa.String(16))

    def content_hash(self) -> str:
        joined = "\x1f".join((getattr(self, f) or "").strip() for f in self.TEXT_FIELDS)
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    def is_filled(self) -> bool:
        return bool((getattr(self, self.TEXT_FIELDS[0]) or "").strip())


def pick_translation(rows, locale: str):
    """The row for `locale` if it has text, else the English row; returns (row, locale used)."""
    by_locale = {row.locale: row for row in rows}
    row = by_locale.get(locale)
    if row is not None and row.is_filled():
        return row, locale
    return by_locale.get(SOURCE_LOCALE), SOURCE_LOCALE


def is_stale(row, source_row) -> bool:
    """True when `row` was translated from an English text that has since changed."""
    if row is None or source_row is None or row.locale == SOURCE_LOCALE or not row.is_filled():
        return False
    return row.source_hash != source_row.content_hash()
