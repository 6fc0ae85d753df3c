"""Personal names where a word introduces them, in the six languages of the forms.

Only introduced names are found: after kinship and self-introduction words ("my son Jacob",
"me llamo Ana", "pitit fi m Rose", "我叫李华", "اسمي سارة"), after a title or a role ("Ms. Lee",
"la maestra López"), or before one ("王老师", "Jacob's mom"). What counts as the name:
- Latin scripts: capitalised words (up to four, with particles such as "de la"); after the
  strong phrases of `pii_words.json` ("my name is", "me llamo") and "ms."/"mr." also a
  lower-case word. Listed words are refused (function words, "Haitian" after "I am"), and so
  are words in capitals after "I am" or kinship ("I am SO tired") unless the phrase is in
  capitals too ("MY SON JACOB", where "MY SON IS" is refused by the list).
- Chinese: a common surname (or 小/阿 + one character) and one or two more characters,
  never a listed word that starts like a surname (周末, 高兴, 马上), or a capitalised Latin name.
- Arabic (no capitals): a listed given name, one or two words; after "اسمي" or "أنا أم"
  any word that is not article-led, "and"-led, verb-like, or a listed common word.
"""

import re
import unicodedata
from typing import NamedTuple

from engagement.themes.pii.words import LATIN, NAME, WORDS, Draft, alternation

_L = WORDS["latin"]
_NOT_NAMES = frozenset(w.casefold() for w in WORDS["not_names"])
_DESCRIPTIVE = _NOT_NAMES | {w.casefold() for w in WORDS["descriptive"]}
_AFTER_TITLE = frozenset(_L["not_names_after_title"])  # "Ms. Li": li is also Haitian "he"
_PARTICLES = frozenset(_L["particles"])
# Searched in the lower-case twin of the text (`Draft.low`)...
_LATIN_TRIGGER_RE = re.compile(
    rf"(?<![{LATIN}'’])(?:(?P<strong>{alternation(_L['strong'])})"
    rf"|(?P<weak>{alternation(_L['weak'])}))(?![{LATIN}'’])"
)
# ... and, titles being capitalised ("Miss Rose", not "I miss Rose"), in the text as written.
_TITLE_RE = re.compile(
    rf"(?<![{LATIN}'’])(?:(?P<title>{alternation(_L['titles'])})"
    rf"|(?P<role>{alternation(_L['role_titles'])})"
    rf"|(?P<dotted>{alternation(_L['lower_titles_with_dot'])})(?=\.))(?![{LATIN}'’])\.?"
)
_WORD = rf"[{LATIN}]+(?:['’-][{LATIN}]+)*"
_FIRST_WORD_RE = re.compile(rf"[ \t]*[,:(]?\s*({_WORD})")
_NEXT_WORD_RE = re.compile(rf"[ \t\u00a0]+({_WORD})")
_POSSESSED_RE = re.compile(
    rf"(?<![{LATIN}'’-])({_WORD})['’]s\s+(?:{alternation(_L['possessed'])})(?![{LATIN}])"
)
_MAX_WORDS = 4


class _Rule(NamedTuple):
    """What may follow one kind of trigger word and still count as a name."""

    lower: bool  # a lower-case word ("my name is maria", "ms. lee")
    caps: bool  # a word in capitals, which after "I am" is mostly emphasis ("I am SO tired")
    stop: frozenset  # words that are never the name


_RULES = {
    "strong": _Rule(True, False, _DESCRIPTIVE),
    "weak": _Rule(False, False, _DESCRIPTIVE),
    "title": _Rule(False, True, _AFTER_TITLE),
    "role": _Rule(False, True, _NOT_NAMES),  # "la maestra Nos mandó": a stray capital
    "dotted": _Rule(True, True, _AFTER_TITLE),
}
_SHOUTED = _Rule(True, True, _DESCRIPTIVE)  # "MY SON JACOB": capitals are all there is


def _latin_spans(text: str, low: str) -> list[tuple[int, int]]:
    spans = []
    triggers = [*_LATIN_TRIGGER_RE.finditer(low), *_TITLE_RE.finditer(text)]
    for trigger in triggers:
        kind = trigger.lastgroup
        shouted = kind in ("strong", "weak") and text[trigger.start() : trigger.end()].isupper()
        if span := _name_run(text, trigger.end(), _SHOUTED if shouted else _RULES[kind]):
            spans.append(span)
    if "'s" in low or "’s" in low:
        weak = _RULES["weak"]
        for match in _POSSESSED_RE.finditer(low):
            if _is_name(text[match.start(1) : match.end(1)], weak):
                spans.append(match.span(1))
    return spans


def _is_name(word: str, rule: _Rule, lower: bool = False) -> bool:
    if not word[0].isupper():
        return lower and word.casefold() not in _DESCRIPTIVE
    if word.casefold() in rule.stop:
        return False
    return rule.caps or not (word.isupper() and len(word) > 1)


def _name_run(text: str, pos: int, rule: _Rule) -> tuple[int, int] | None:
    """The span of the name that starts at `pos`, if one does."""
    match = _FIRST_WORD_RE.match(text, pos)
    if not match:
        return None
    raw = match.group(1)
    word = _strip_possessive(raw)
    if not _is_name(word, rule, rule.lower):
        return None
    start = match.start(1)
    end, lower, count, particles = start + len(word), rule.lower and word[0].islower(), 1, 0
    while word == raw and count < _MAX_WORDS:  # a possessive ("Lee's") ends the name
        match = _NEXT_WORD_RE.match(text, match.end())
        if not match:
            break
        raw = match.group(1)
        word = _strip_possessive(raw)
        if word in _PARTICLES and particles < 2:
            particles += 1
            continue
        if not _is_name(word, rule, lower and count < 2 and not particles):
            break
        end, count, particles = match.start(1) + len(word), count + 1, 0
    return start, end


def _strip_possessive(word: str) -> str:
    return word[:-2] if len(word) > 3 and word[-2:] in ("'s", "’s") else word


# --- Chinese
_ZH = WORDS["zh"]
_SURNAMES = frozenset(_ZH["surnames"])
_COMPOUND = frozenset(_ZH["compound_surnames"])
_ZH_NOT_NAMES = frozenset(_ZH["not_names"])
_NICK = frozenset(_ZH["nickname_prefixes"])
_STOP = frozenset(_ZH["stop_chars"])
_ZH_TRIGGER_RE = re.compile(
    f"(?P<kin>{alternation(_ZH['kin'])})|(?P<intro>{alternation(_ZH['intro'])})"
    f"|(?P<surname>{alternation(_ZH['surname_only'])})"
)
_ZH_TITLE_RE = re.compile(alternation(_ZH["titles_after"]))
_ZH_GAP_RE = re.compile(r"[\s:：,，]*")
_LATIN_NAME_RE = re.compile(r"[ \t]*([A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)")
_LATIN_BEFORE_RE = re.compile(rf"(?<![{LATIN}])[A-Z][a-z]+\s*$")
_FULL_NAME_TITLES = frozenset(("同学", "小朋友", "妈妈", "爸爸"))


_HAN_RE = re.compile("[\u4e00-\u9fff]")


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _not_name_at(text: str, pos: int) -> bool:
    return any(text[pos : pos + k] in _ZH_NOT_NAMES for k in (2, 3, 4))


def _han_name_end(text: str, pos: int, surname_only: bool) -> int | None:
    """Where a Chinese name starting at `pos` ends, if one starts there."""
    head = text[pos : pos + 1]
    if text[pos : pos + 2] in _COMPOUND:
        end = pos + 2
    elif head and (head in _SURNAMES or (head in _NICK and not surname_only)):
        end = pos + 1
    else:
        return None
    if surname_only:
        return end
    if _not_name_at(text, pos):
        return None
    given = 0
    while given < 2 and end < len(text) and _han(text[end]) and text[end] not in _STOP:
        end, given = end + 1, given + 1
    return end if given else None


def _zh_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for trigger in _ZH_TRIGGER_RE.finditer(text):
        pos = _ZH_GAP_RE.match(text, trigger.end()).end()
        latin = _LATIN_NAME_RE.match(text, pos)
        if latin and latin.group(1).casefold() not in _DESCRIPTIVE:
            spans.append(latin.span(1))
        elif end := _han_name_end(text, pos, trigger.lastgroup == "surname"):
            spans.append((pos, end))
    for title in _ZH_TITLE_RE.finditer(text):
        if span := _name_before(text, title.start(), title.group(0) in _FULL_NAME_TITLES):
            spans.append(span)
    return spans


def _name_before(text: str, end: int, longest: bool) -> tuple[int, int] | None:
    """The span of a name right before a title at `end` ("王" in 王老师, "Lee" in Lee老师)."""
    latin = _LATIN_BEFORE_RE.search(text, max(0, end - 40), end)
    if latin:
        word = latin.group(0).rstrip()
        if word.casefold() in _DESCRIPTIVE:
            return None
        return latin.start(), latin.start() + len(word)
    if any(text[max(0, end - k) : end] in _ZH_NOT_NAMES for k in (2, 3, 4)):
        return None  # 历史老师, 班主任老师, 高年级同学
    for length in (3, 2, 1) if longest else (1, 2, 3):
        start = end - length
        candidate = text[max(0, start) : end]
        if start < 0 or not all(_han(c) and c not in _STOP for c in candidate):
            continue
        if _not_name_at(text, start):
            continue
        head = candidate[0]
        if head in _SURNAMES or candidate[:2] in _COMPOUND or (head in _NICK and length > 1):
            return start, end
    return None


# --- Arabic
_AR = WORDS["ar"]
_AR_LETTERS = "\u0621-\u064a\u0671-\u06d3"
_MARKS = "[\u064b-\u065f\u0640]*"  # vowel marks and tatweel, anywhere in a word


def _ar_words(*keys: str) -> str:
    return alternation([w for key in keys for w in _AR[key]], _MARKS)


_AR_TRIGGER_RE = re.compile(
    rf"(?<![{_AR_LETTERS}])(?:(?P<strong>{_ar_words('parent_intro')}"
    rf"|[وف]?(?:{_ar_words('intro')}))|(?P<kin>[وفلب]?(?:{_ar_words('kin')}))"
    rf"|(?P<title>[وفلب]?(?:{_ar_words('titles')}))"
    rf"|(?P<weak>[وف]?(?:{_ar_words('kunya', 'self')})))(?![{_AR_LETTERS}])"
)
_AR_WORD_RE = re.compile(rf"[ \t\u0640]*:?[ \t]*([{_AR_LETTERS}\u064b-\u065f\u0640]+|[A-Z][a-z]+)")
_AR_MARKS_RE = re.compile("[\u064b-\u065f\u0640]")
_AR_FOLD = str.maketrans("أإآةى", "اااهي")


def _ar_norm(word: str) -> str:
    return unicodedata.normalize("NFC", _AR_MARKS_RE.sub("", word)).translate(_AR_FOLD)


_AR_NAMES = frozenset(_ar_norm(w) for w in _AR["names"])
_AR_NOT_NAMES = frozenset(_ar_norm(w) for w in _AR["not_names"])


def _ar_is_name(word: str, strong: bool) -> bool:
    if word[0].isascii():
        return word.casefold() not in _DESCRIPTIVE
    norm = _ar_norm(word)
    if norm in _AR_NAMES:
        return True
    if not strong or norm in _AR_NOT_NAMES or norm.startswith(("ال", "و")):
        return False  # an article-led word, or "and …" (وأعمل, وعندما)
    return not (norm[0] in "يتن" or norm.endswith("ت"))  # a verb: يحب, تتواصل, كانت


def _ar_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for trigger in _AR_TRIGGER_RE.finditer(text):
        strong = trigger.lastgroup == "strong"
        first = _AR_WORD_RE.match(text, trigger.end())
        if not first or not _ar_is_name(first.group(1), strong):
            continue
        start, end = first.span(1)
        second = _AR_WORD_RE.match(text, first.end())
        if second and _ar_is_name(second.group(1), False):
            end = second.end(1)
        spans.append((start, end))
    return spans


_ARABIC_RE = re.compile(f"[{_AR_LETTERS}]")
_LATIN_RE = re.compile(f"[{LATIN}]")


def mask_names(draft: Draft) -> None:
    """Replace every introduced personal name in `draft` by [name]."""
    text, spans = draft.text, []
    if _LATIN_RE.search(text):
        spans += _latin_spans(text, draft.low)
    if _HAN_RE.search(text):
        spans += _zh_spans(text)
    if _ARABIC_RE.search(text):
        spans += _ar_spans(text)
    merged: list[tuple[int, int, str]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end), NAME)
        else:
            merged.append((start, end, NAME))
    draft.replace_spans(merged)
