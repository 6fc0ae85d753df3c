"""The English (source) row among an owner's translation rows, and the translatable fields."""

from engagement.i18n import _l
from engagement.models import SOURCE_LOCALE

# What each translatable field is called on the translation pages.
FIELD_LABELS = {
    "title": _l("Title"),
    "description": _l("Description"),
    "text": _l("Question"),
    "help": _l("Help text"),
    "label": _l("Option"),
    "heard": _l("What we heard"),
    "did": _l("What we will do or did"),
    "place": _l("Place"),
    "childcare": _l("Childcare"),
    "interpreters": _l("Interpreters"),
}

# The longest text of each translatable field, the same in the authoring forms, on the
# translation page and in a translator's .po file (title and label are VARCHAR(300)).
MAX_LENGTHS = {
    "title": 300,
    "description": 5000,
    "text": 2000,
    "help": 2000,
    "label": 300,
    "heard": 3000,
    "did": 3000,
    "place": 1000,
    "childcare": 1000,
    "interpreters": 1000,
}


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
