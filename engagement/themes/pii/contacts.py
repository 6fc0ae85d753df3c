"""E-mail addresses, student ids, street addresses, phone numbers and long numbers.

Each rule runs on the whole text in every language, in the order of `mask_contacts`: an
e-mail before a phone (digits in the address), an id before a phone (a ten-digit SASID). The
patterns are lower case: they search the lower-case twin of the text (`Draft`).
"""

import re

from engagement.themes.pii.words import (
    ADDRESS,
    EMAIL,
    ID,
    LATIN,
    NUMBER,
    PHONE,
    WORDS,
    Draft,
    alternation,
    always,
)

# --- e-mail: plain, and written out ("maria dot lopez at gmail dot com", "maria(at)gmail.com")
_EMAIL_RE = re.compile(
    rf"(?<![{LATIN}0-9_.+%-])[{LATIN}0-9_.+%-]+@[{LATIN}0-9-]+(?:\.[{LATIN}0-9-]+)+"
)
_MAIL = WORDS["email"]
_AT = (
    rf"(?:\s*(?:{alternation(_MAIL['at_tight'])})\s*"
    rf"|\s+(?P<word>{alternation(_MAIL['at_spaced'])})\s+)"
)
_DOT = (
    rf"(?:\s*(?:{alternation(_MAIL['dot_tight'])})\s*"
    rf"|\s+(?:{alternation(_MAIL['dot_spaced'])})\s+|\.)"
)
_PART = rf"[{LATIN}0-9_%+-]+"
_LABEL = rf"[{LATIN}0-9-]+"
# A part holds no dot or space and every dot is punctuation or a word set off by spaces, so a
# text splits one way only; the bounded repeats keep a long "a dot b dot …" from being re-read
# from every word.
_SPELLED_EMAIL_RE = re.compile(
    rf"(?<![{LATIN}0-9_.%+-])(?P<local>{_PART}(?:{_DOT}{_PART}){{0,4}}){_AT}"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{0,5}})"
)
_DOT_SPLIT_RE = re.compile(_DOT)
# Most comments hold no "at" of any kind: one quick look spares them the full pattern.
_AT_HINT_RE = re.compile(
    rf"{alternation(_MAIL['at_tight'])}|\s(?:{alternation(_MAIL['at_spaced'])})\s"
)
_TLDS = frozenset(_MAIL["tlds"])
_PROVIDERS = frozenset(_MAIL["providers"])
_PLAIN_WORD_RE = re.compile(rf"[{LATIN}]+")


def _spelled_email(match: re.Match, text: str) -> str | None:
    domain = match.group("domain")
    labels = _DOT_SPLIT_RE.split(domain)
    if labels[0] in _PROVIDERS:
        return EMAIL
    if len(labels) < 2 or labels[-1] not in _TLDS:
        return None
    # "sign up at parentsquare.com" is a web site: after the English "at", a plain word and a
    # domain with real dots is not taken for an address; "jo.lee at bps.org" or "dot com" is.
    if (
        match.group("word") == "at"
        and _PLAIN_WORD_RE.fullmatch(match.group("local"))
        and _DOT_SPLIT_RE.sub(".", domain) == domain
    ):
        return None
    return EMAIL


# --- student ids: "student ID 123456", "ID# 44-1234", "número de estudiante 1234567", "学号…"
_IDS = WORDS["ids"]
_CASED_IDS = frozenset(_IDS["cased"])  # "RA" (registro do aluno), not the syllable "ra"
_ID_RE = re.compile(
    rf"(?:(?<![{LATIN}])(?P<key>{alternation(w.lower() for w in _IDS['latin'] + _IDS['cased'])})"
    rf"(?![{LATIN}])|{alternation(w.lower() for w in _IDS['other'])})"
    r"(?:\s*(?:number|num|no\.?|nr\.?|n[º°]|#|:|：|=|is|was|es|era|é|est|se|li|his|her|su|seu"
    r"|هو|是|为)){0,4}\s*"
    r"(?P<id>(?:[a-z]{1,3}-?)?\d(?:[\d-]*\d)?)(?![a-z\d-])"
)


def _student_id(match: re.Match, text: str) -> str | None:
    key = text[match.start("key") : match.end("key")] if match.group("key") else ""
    if key.upper() in _CASED_IDS and key not in _CASED_IDS:
        return None
    if sum(c.isdigit() for c in match.group("id")) < 4:
        return None
    return text[match.start() : match.start("id")] + ID


# --- street addresses: "12 Oak Street", "45 Main St. Apt 3", "Rua das Flores, 123"
_STREET_TYPES = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|row|path|alley|hill"
)
_NOT_NAME = (
    r"(?!(?:the|a|an|of|on|in|to|at|down|up|my|our|your|this|that|from|across|near|"
    r"by|and|or|blocks?|minutes?|miles?|houses?|doors?|kids?|times?|days?|"
    r"million|billion|thousand|hundred|percent|dollars?|students?|people|feet|yards?)\b)"
)
_US_ADDRESS_RE = re.compile(
    rf"(?<!\w)\d{{1,6}}[A-Za-z]?\s+(?:{_NOT_NAME}[^\W\d_][\w'.-]*\s+){{1,3}}"
    rf"(?:{_STREET_TYPES})\b\.?(?:,?\s*(?:apt|apartment|unit|suite|#)\.?\s*#?\w+)?"
)
_LATIN_ADDRESS_RE = re.compile(
    r"\b(?:rua|avenida|av\.|calle|travessa|alameda|estrada|rodovia|praça|plaza|camino|ri)\s+"
    r"(?:[^\W\d_][\w'.-]*\s+){0,4}?[^\W\d_][\w'.-]*,?\s*(?:n[º°o.]\s*)?\d{1,6}\b"
)

# --- phone numbers spelled out: seven or more digit words in a row, in any of the languages
_DIGIT_WORD = rf"(?:{alternation(WORDS['digit_words'])})(?![{LATIN}])"
_SPELLED_PHONE_RE = re.compile(rf"(?<![{LATIN}]){_DIGIT_WORD}(?:[\s,.-]+{_DIGIT_WORD}){{6,}}")
_AR_DIGIT = rf"(?:{alternation(WORDS['ar']['digits'])})(?!\w)"
_AR_SPELLED_PHONE_RE = re.compile(rf"(?<!\w){_AR_DIGIT}(?:[\s،,-]+{_AR_DIGIT}){{6,}}")
_ZH_DIGIT = f"[{WORDS['zh']['digits']}]"
_ZH_SPELLED_PHONE_RE = re.compile(rf"{_ZH_DIGIT}(?:[\s-]?{_ZH_DIGIT}){{6,}}")
_SPACED_DIGITS_RE = re.compile(r"(?<![\d+])\d(?:[ .-]\d){6,14}(?!\d)")

# --- phone numbers in digits. Groups of 1-5 digits joined by any of - – — . / _ · (spaces
# around them allowed), or by spaces alone between groups of two or more digits, so that
# "grade 3 2024-2025" does not join the 3. `\d` takes Arabic-Indic and full-width digits too.
_PUNCT = r"\s*[-–—./_·・]\s*"
_SEP = rf"(?:{_PUNCT}|(?<=\d\d)\s+(?=\d\d))"
_PHONE_RE = re.compile(
    rf"(?<![\d+])(?:\+\s?\d{{1,3}}(?:{_PUNCT}|\s+)?)?"
    rf"(?:\(\s*\d{{1,4}}\s*\)(?:{_PUNCT}|\s*)\d{{2,8}}(?:{_SEP}\d{{1,5}}){{0,5}}"
    rf"|\d{{1,5}}(?:{_SEP}\d{{1,5}}){{1,6}})"
    r"(?:\s*,?\s*(?:ext|extension|extensión|ramal|x)\.?\s*#?\s*\d{1,6})?(?!\d)"
)
# Shaped like a phone number but not one: years and school years, dates, 1.500.000 (money).
_YEAR = r"(?:19|20)\d\d"
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d\d)|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})"
_NOT_PHONE_RE = re.compile(
    rf"{_YEAR}(?:\s*[-–—/_.]\s*(?:{_YEAR}|\d\d)|\s+{_YEAR})+"
    rf"|{_DATE}(?:\s*[-–—]\s*{_DATE}|\s+\d{{1,2}})?"  # a range, or a date and an hour
    r"|\d{1,3}(?:\.\d{3}){2,}"
)
_DIGITS_RE = re.compile(r"(?<!\d)\d{5,}(?!\d)")
_ANY_DIGIT_RE = re.compile(r"\d")


# Arabic-Indic, Persian and full-width digits, read as 0-9 to tell a year from a phone number.
_ASCII_DIGITS = str.maketrans(
    {chr(base + i): str(i) for base in (0x0660, 0x06F0, 0xFF10) for i in range(10)}
)


def _phone(match: re.Match, text: str) -> str | None:
    found = match.group(0)
    if not 7 <= sum(c.isdigit() for c in found) <= 18:
        return None
    if _NOT_PHONE_RE.fullmatch(found.strip().translate(_ASCII_DIGITS)):
        return None
    return PHONE


def mask_contacts(draft: Draft) -> None:
    """Mask e-mails, student ids, addresses, phone numbers and long numbers in `draft`."""
    if _AT_HINT_RE.search(draft.low):
        draft.replace(_EMAIL_RE, always(EMAIL))
        draft.replace(_SPELLED_EMAIL_RE, _spelled_email)
    for spelled in (_SPELLED_PHONE_RE, _AR_SPELLED_PHONE_RE, _ZH_SPELLED_PHONE_RE):
        draft.replace(spelled, always(PHONE))
    digits = len(_ANY_DIGIT_RE.findall(draft.low))
    if not digits:
        return  # most comments: no id, address or phone number can be left
    if digits >= 4:
        draft.replace(_ID_RE, _student_id)
    draft.replace(_US_ADDRESS_RE, always(ADDRESS))
    draft.replace(_LATIN_ADDRESS_RE, always(ADDRESS))
    if digits >= 7:
        draft.replace(_SPACED_DIGITS_RE, always(PHONE))
        draft.replace(_PHONE_RE, _phone)
    if digits >= 5:
        draft.replace(_DIGITS_RE, always(NUMBER))
