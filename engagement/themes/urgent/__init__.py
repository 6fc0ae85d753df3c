"""Comments that need a person now: threats of violence, self-harm or suicide, abuse or
neglect disclosures, bullying with ongoing harm, immediate safety hazards, and a family in
crisis; and comments whose writer asks to be contacted.

Rules per language (`en`, `es`, `pt_BR`, `zh_Hans`, `ht`, `ar` modules here), written for
recall first: a missed disclosure costs far more than a coordinator reading one ordinary
comment. Plain Python with no Flask import, like the rest of the pipeline.

How a comment is read:

1. Normalised: compatibility forms and case folded, accents dropped (families type "suicidio"
   and "suicídio" alike), Arabic alef/ya/ta-marbuta forms unified, curly apostrophes made
   straight.
2. Idioms are blanked out first ("this homework is killing me", "me muero de risa",
   "笑死", fire drills), so that their words cannot fire a rule.
3. Each sentence is matched against the rules of the form's language, the detected language
   and English (families mix languages); the most serious kind found wins (`KINDS` order).
4. A comment that says the matter was resolved ("it was handled", "ya se resolvió") and does
   not say it goes on ("still", "todavía", "每天") is not flagged: past, resolved incidents
   are not urgent.

Every pattern is a bounded window (`.{0,40}`), so the time is linear in the text's length.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from engagement.themes.text import fold_accents, normalize_arabic

# Most serious first: when several kinds match, the first one is reported.
KINDS = (
    "self_harm",
    "violence_threat",
    "abuse_neglect",
    "crisis",
    "bullying_harm",
    "hazard",
)
LOCALES = ("en", "es", "pt_BR", "zh_Hans", "ht", "ar")
# The follow-up queue's reason for a response whose family asked to be contacted.
CONTACT_REQUEST = "contact_request"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_SENTENCE = re.compile(r"[.!?;\n。！？；؟]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Urgency:
    """What the rules found in one comment: the most serious urgent kind (or None) and
    whether the writer asks to be contacted."""

    kind: str | None = None
    asks_contact: bool = False


@dataclass(frozen=True)
class LanguageRules:
    rules: tuple[tuple[str, re.Pattern], ...]
    idioms: re.Pattern | None
    resolved: re.Pattern | None
    ongoing: re.Pattern | None
    contact: re.Pattern | None


def normalise(text: str) -> str:
    """`text` as the rules read it: NFKC, case-folded, without accents, Arabic letter forms
    unified, straight apostrophes, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_APOSTROPHES)
    text = normalize_arabic(fold_accents(text))
    return _SPACES.sub(" ", text)


def _compile(patterns) -> re.Pattern | None:
    if not patterns:
        return None
    # Patterns are written with accents and Arabic letter forms; fold them as the text is.
    source = "|".join(f"(?:{normalize_arabic(fold_accents(p))})" for p in patterns)
    return re.compile(source)


@cache
def rules_for(locale: str) -> LanguageRules:
    """The compiled rules of one language (built once per process)."""
    module = import_module(f"engagement.themes.urgent.{locale}")
    grouped: dict[str, list[str]] = {}
    for kind, pattern in module.RULES:
        if kind not in KINDS:
            raise ValueError(f"unknown urgent kind {kind!r} in {locale}")
        grouped.setdefault(kind, []).append(pattern)
    return LanguageRules(
        rules=tuple((kind, _compile(grouped[kind])) for kind in KINDS if kind in grouped),
        idioms=_compile(getattr(module, "IDIOMS", ())),
        resolved=_compile(getattr(module, "RESOLVED", ())),
        ongoing=_compile(getattr(module, "ONGOING", ())),
        contact=_compile(getattr(module, "CONTACT", ())),
    )


def _languages(*locales: str | None) -> list[str]:
    wanted = [loc for loc in (*locales, "en") if loc in LOCALES]
    return list(dict.fromkeys(wanted))


def detect(text: str, *locales: str | None) -> Urgency:
    """The urgency of `text`, read with the rules of `locales` (the form's locale, the
    detected language) and of English."""
    normal = normalise(text)
    if not normal.strip():
        return Urgency()
    languages = [rules_for(loc) for loc in _languages(*locales)]
    cleaned = [
        (lang, lang.idioms.sub(" ", normal) if lang.idioms else normal) for lang in languages
    ]
    asks_contact = any(lang.contact and lang.contact.search(t) for lang, t in cleaned)
    resolved = any(lang.resolved and lang.resolved.search(t) for lang, t in cleaned)
    ongoing = any(lang.ongoing and lang.ongoing.search(t) for lang, t in cleaned)
    if resolved and not ongoing:
        return Urgency(asks_contact=asks_contact)
    found: set[str] = set()
    for lang, text_of_lang in cleaned:
        for sentence in _SENTENCE.split(text_of_lang):
            for kind, pattern in lang.rules:
                if kind not in found and pattern.search(sentence):
                    found.add(kind)
    kind = next((k for k in KINDS if k in found), None)
    return Urgency(kind=kind, asks_contact=asks_contact)


def queue_reason(analyses: dict, contact_given: bool) -> tuple[str | None, int | None]:
    """Why a response goes to the follow-up queue, from {answer id: analysis} (anything with
    `urgent` and `asks_contact`) and whether the family left contact details: (the most
    serious urgent kind, or CONTACT_REQUEST; the answer that says so), or (None, None)."""
    best: tuple[int, int] | None = None
    for answer_id, analysis in analyses.items():
        if analysis.urgent:
            rank = KINDS.index(analysis.urgent)
        elif analysis.asks_contact:
            rank = len(KINDS)
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, answer_id)
    if best is None:
        return (CONTACT_REQUEST, None) if contact_given else (None, None)
    rank, answer_id = best
    return (KINDS[rank] if rank < len(KINDS) else CONTACT_REQUEST), answer_id
