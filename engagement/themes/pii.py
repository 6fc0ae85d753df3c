"""Mask personal details in quotes before they are shown to non-admins or exported.

Masks e-mail addresses, phone numbers (US and international), street addresses and any
other run of five or more digits. It errs on the side of masking: a quote that loses a
number is better than a family's phone number in a report.
"""

import re

EMAIL = "[email]"
PHONE = "[phone]"
NUMBER = "[number]"
ADDRESS = "[address]"

_EMAIL_RE = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A phone candidate: optional +country code, optional (area code), then 2-5 groups of digits
# separated by a space, dot or dash. Checked afterwards for a plausible digit count.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?!\w)"
)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_DIGITS_RE = re.compile(r"(?<!\d)\d{5,}(?!\d)")
_STREET_TYPES = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|row|path|alley|hill"
)
_NOT_NAME = (
    r"(?!(?:the|a|an|of|on|in|to|at|down|up|my|our|your|this|that|from|across|near|"
    r"by|and|or|blocks?|minutes?|miles?|houses?|doors?|kids?|times?|days?)\b)"
)
_US_ADDRESS_RE = re.compile(
    rf"(?<!\w)\d{{1,6}}[A-Za-z]?\s+(?:{_NOT_NAME}[^\W\d_][\w'.-]*\s+){{1,3}}"
    rf"(?:{_STREET_TYPES})\b\.?(?:,?\s*(?:apt|apartment|unit|suite|#)\.?\s*#?\w+)?",
    re.IGNORECASE,
)
# "Rua das Flores, 123", "Calle Olmo 45", "Avenida Brasil nº 1000"
_LATIN_ADDRESS_RE = re.compile(
    r"\b(?:rua|avenida|av\.|calle|travessa|alameda|estrada|rodovia|praça|plaza|camino|ri)\s+"
    r"(?:[^\W\d_][\w'.-]*\s+){0,4}?[^\W\d_][\w'.-]*,?\s*(?:n[º°o.]\s*)?\d{1,6}\b",
    re.IGNORECASE,
)


def _phone(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(c.isdigit() for c in text)
    if _ISO_DATE_RE.match(text) or not 7 <= digits <= 15:
        return text
    return PHONE


def mask_pii(text: str) -> str:
    """`text` with e-mails, phone numbers, street addresses and long digit runs masked."""
    if not text:
        return text
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _US_ADDRESS_RE.sub(ADDRESS, text)
    text = _LATIN_ADDRESS_RE.sub(ADDRESS, text)
    text = _PHONE_RE.sub(_phone, text)
    return _DIGITS_RE.sub(NUMBER, text)


_PLACEHOLDER_RE = re.compile(r"\[(?:email|phone|number|address)\]")


def strip_pii(text: str) -> str:
    """`text` with personal details replaced by a clause break, for analysis: an e-mail
    address must not become the word "email" (a communication keyword) or a key phrase."""
    return _PLACEHOLDER_RE.sub(" ; ", mask_pii(text))
