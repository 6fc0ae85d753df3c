"""The English (source) row among an owner's translation rows."""

from engagement.models import SOURCE_LOCALE


def source_row(rows):
    """The English row among translation rows, or None."""
    return next((row for row in rows if row.locale == SOURCE_LOCALE), None)


def set_source_text(owner, row_cls, **fields):
    """Create or update the English translation row of `owner` with `fields`."""
    row = source_row(owner.texts)
    if row is None:
        row = row_cls(locale=SOURCE_LOCALE)
        owner.texts.append(row)
    for name, value in fields.items():
        setattr(row, name, (value or "").strip())
    return row
