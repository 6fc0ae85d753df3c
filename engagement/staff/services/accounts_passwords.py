"""The password rule of every account, wherever a password is chosen: `flask users create`,
a set-password link and the Account page.

A password must have at least MIN_PASSWORD_LENGTH characters and must not be guessable:
zxcvbn (Dropbox's estimator: common-password lists, words, names, keyboard rows, repeats,
sequences, dates) must score it 3 or more out of 4. The account's e-mail address and the
district's name are passed as words an attacker would try first, so "belmont2026!" fails.

The reasons shown are our own translated sentences, chosen from the kinds of pattern zxcvbn
found (its own feedback is English only).
"""

import re
import threading

from flask import current_app
from zxcvbn import zxcvbn

from engagement.i18n import _

MIN_PASSWORD_LENGTH = 12
MIN_SCORE = 3
# zxcvbn's work grows with the square of the length; it looks at this many characters (its
# own limit). A longer password is judged by its beginning.
CHECKED_LENGTH = 72
MAX_REASONS = 2

# zxcvbn keeps the user inputs in a module-level dictionary while it runs; a lock keeps two
# threads of a worker from checking one password against the other's inputs.
_ZXCVBN_LOCK = threading.Lock()


class PasswordRefused(ValueError):
    """A password that breaks the rule; `reason` is "password_too_short" or
    "password_guessable", str() the explanation in the user's language."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def personal_words(email: str = "") -> list[str]:
    """The words an attacker tries first: the e-mail address and its parts, the district's
    name and its words."""
    words = []
    for text in (email or "", current_app.config.get("DISTRICT_NAME") or ""):
        text = text.strip().lower()
        if text:
            words.append(text)
            words.extend(part for part in re.split(r"[^\w]+", text) if len(part) >= 3)
    return list(dict.fromkeys(words))


def _category(match) -> str | None:
    pattern = match["pattern"]
    if pattern == "dictionary":
        return {
            "passwords": "common",
            "user_inputs": "personal",
            "male_names": "name",
            "female_names": "name",
            "surnames": "name",
        }.get(match.get("dictionary_name"), "word")
    if pattern == "regex":
        return "date" if match.get("regex_name") == "recent_year" else None
    return {"spatial": "keyboard", "repeat": "repeat", "sequence": "sequence", "date": "date"}.get(
        pattern
    )


def _reason_text(category: str) -> str:
    return {
        "common": _("It is one of the passwords people use most, or close to one."),
        "personal": _("It contains your e-mail address or the district's name."),
        "name": _("Names are easy to guess."),
        "word": _("A common word or phrase on its own is easy to guess."),
        "keyboard": _("Keys next to each other, like qwerty, are easy to guess."),
        "repeat": _("Repeated letters or patterns, like aaa or abcabc, are easy to guess."),
        "sequence": _("Sequences like abc or 1234 are easy to guess."),
        "date": _("Dates and years are easy to guess."),
        "substitution": _("Swapping letters for look-alike symbols, like @ for a, does not help."),
    }[category]


def weaknesses(result) -> list[str]:
    """The kinds of pattern behind a low zxcvbn score, the longest matches first."""
    found = []
    for match in sorted(result["sequence"], key=lambda m: len(m["token"]), reverse=True):
        category = _category(match)
        if category:
            found.append(category)
        if match.get("l33t"):
            found.append("substitution")
    return list(dict.fromkeys(found))


def check_password(password: str, email: str = "") -> None:
    """Refuse a short or guessable password with PasswordRefused, saying why."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRefused(
            "password_too_short",
            _("The password must be at least %(n)s characters long.", n=MIN_PASSWORD_LENGTH),
        )
    with _ZXCVBN_LOCK:
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=personal_words(email))
    if result["score"] >= MIN_SCORE:
        return
    sentences = [_("This password is too easy to guess.")]
    sentences += [_reason_text(category) for category in weaknesses(result)[:MAX_REASONS]]
    sentences.append(_("Try three or four unrelated words, or a sentence only you would think of."))
    raise PasswordRefused("password_guessable", " ".join(sentences))
