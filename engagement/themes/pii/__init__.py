"""Mask personal details in quotes before they are shown to non-admins or exported, and strip
them before analysis.

Masked in every language at once (the language of a comment is a guess, and families mix
languages): e-mail addresses, also written out ("maria arroba gmail punto com"); phone numbers
with any separators, or spelled out in words or Chinese numerals; student ids; street
addresses; any other run of five or more digits; and personal names where a word introduces
them ("my son Jacob", "me llamo Ana", "我叫李华", "اسمي سارة", "Ms. Lee", "王老师"; see
`names`). It errs on the side of masking: a quote that loses a word is better than a child's
name or a family's phone number in a report. A name nothing introduces ("Jacob was bullied")
is not found: that needs a named-entity model, and staff review quotes before they go out.

The word lists are data (themes/data/pii_words.json). Every pattern is compiled once at import
and none can backtrack without bound, so the time is linear in the length of the text
(tests/themes/test_pii.py runs adversarial input).
"""

import re

from engagement.themes.pii.contacts import mask_contacts
from engagement.themes.pii.names import mask_names
from engagement.themes.pii.words import (
    ADDRESS,
    EMAIL,
    ID,
    NAME,
    NUMBER,
    PHONE,
    PLACEHOLDERS,
    Draft,
)

__all__ = ["ADDRESS", "EMAIL", "ID", "NAME", "NUMBER", "PHONE", "mask_pii", "strip_pii"]


def mask_pii(text: str) -> str:
    """`text` with e-mails, phone numbers, ids, addresses, long numbers and names masked."""
    if not text:
        return text
    draft = Draft(text)
    mask_contacts(draft)
    mask_names(draft)
    return draft.text


_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


def strip_pii(text: str) -> str:
    """`text` with personal details replaced by a clause break, for analysis: an e-mail
    address must not become the word "email" (a communication keyword) or a key phrase."""
    return _PLACEHOLDER_RE.sub(" ; ", mask_pii(text))
