"""The English valence lexicon: TextBlob's pattern lexicon, AFINN-165 and the project list.

All three are files on disk (pattern's inside the TextBlob wheel, the other two in
engagement/themes/data: AFINN-165 under the ODbL, see AFINN-README.md, and the project's
en_sentiment.tsv), merged once per process. `valence` looks a word up, falling back on plain
inflections, elongations, negative prefixes and laughter.
"""

import re
from functools import cache
from importlib import resources

from engagement.themes.english.tokens import TOKEN_RE

# Quantifiers and plain descriptive words the pattern lexicon scores, which carry no
# opinion in feedback ("more buses", "the new principal", "the first week").
NEUTRAL = frozenset(
    [
        "more",
        "most",
        "many",
        "much",
        "own",
        "other",
        "same",
        "new",
        "old",
        "first",
        "last",
        "only",
        "few",
        "little",
        "least",
        "less",
        "full",
        "high",
        "low",
        "long",
        "short",
        "big",
        "large",
        "small",
        "real",
        "next",
        "such",
        "certain",
        "whole",
        "main",
        "general",
        "common",
        "recent",
        "early",
        "public",
        "open",
        "different",
        "black",
        "white",
        "social",
        "political",
        "american",
        "left",
        "right",
        "just",
        "even",
        "please",
    ]
)

PATTERN_WEIGHT = 0.5  # share of the pattern value where AFINN also knows the word
AFINN_SCALE = 0.2  # AFINN's -5..+5 integers onto the -1..1 scale of the other two


def _data_lines(name: str):
    path = resources.files("engagement.themes").joinpath("data", name)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@cache
def lexicon() -> tuple[dict[str, float], dict[str, list]]:
    """Word -> valence, and phrases by first word, from three lexicons.

    The project's own list (en_sentiment.tsv) wins; otherwise a word known to both TextBlob's
    pattern lexicon and AFINN-165 gets a weighted mean of the two, a word known to one of
    them that one's value.
    """
    from textblob.en import sentiment as pattern

    pattern.load()
    words = {}
    for word, senses in dict.items(pattern):
        polarity, subjectivity, _ = senses[None]
        if " " not in word and abs(polarity) >= 0.1 and word not in NEUTRAL:
            # Objective senses ("a full day") count for less than opinions ("a great day").
            words[word] = polarity * (0.6 + 0.4 * subjectivity)
    phrases: dict[str, dict] = {}
    for term, value in _data_lines("AFINN-en-165.txt"):
        parts = tuple(TOKEN_RE.findall(term.lower()))
        general = float(value) * AFINN_SCALE
        if len(parts) > 1:
            phrases.setdefault(parts[0], {})[parts] = general
        elif parts[0] not in NEUTRAL:
            known = words.get(parts[0])
            words[parts[0]] = (
                general
                if known is None
                else PATTERN_WEIGHT * known + (1 - PATTERN_WEIGHT) * general
            )
    for term, value in _data_lines("en_sentiment.tsv"):
        parts = tuple(TOKEN_RE.findall(term.lower()))
        if len(parts) == 1:
            words[parts[0]] = float(value)
        else:
            phrases.setdefault(parts[0], {})[parts] = float(value)
    by_first = {
        first: sorted(options.items(), key=lambda p: -len(p[0]))
        for first, options in phrases.items()
    }
    return words, by_first


_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("ier", "y"),
    ("iest", "y"),
    ("ily", "y"),
    ("ally", ""),
    ("bly", "ble"),
    ("ly", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("er", "e"),
    ("est", ""),
    ("est", "e"),
)
_NEGATIVE_PREFIXES = ("un", "dis", "in", "im", "ir", "il", "non")
_morph_cache: dict[str, float | None] = {}


_ELONGATED = re.compile(r"(\w)\1{2,}")
_LAUGHTER = re.compile(r"a?(?:h+[aeiou]+){2,}h*|(?:lo+)+l+|l+m+f*a+o+|ro+fl+")
LAUGHTER = 0.4


def valence(word: str, words: dict[str, float]) -> float | None:
    """A word's valence, trying plain inflections ("hated" -> "hate") and squeezed
    elongations ("sooo goood" -> "good") when the word itself is not listed."""
    value = words.get(word)
    if value is not None or len(word) < 4:
        return value
    if word in _morph_cache:
        return _morph_cache[word]
    found = None
    if _ELONGATED.search(word):
        for repl in (r"\1\1", r"\1"):
            found = words.get(_ELONGATED.sub(repl, word))
            if found is not None:
                break
    for suffix, repl in _SUFFIXES if found is None else ():
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            found = words.get(base + repl)
            if found is None and not repl and len(base) > 2 and base[-1] == base[-2]:
                found = words.get(base[:-1])  # "stopped" -> "stop", "biggest" -> "big"
            if found is not None:
                break
    if found is None and word.endswith("ness") and len(word) > 7:
        base = word[:-4]  # "sadness" -> "sad", "happiness" -> "happy"
        found = words.get(base[:-1] + "y" if base.endswith("i") else base)
    if found is None and len(word) > 6:
        for prefix in _NEGATIVE_PREFIXES:
            if word.startswith(prefix):
                base = words.get(word[len(prefix) :].lstrip("-"))
                if base is not None and base > 0:
                    found = -0.8 * base  # "unhelpful", "dishonest", "irresponsible"
                    break
    if found is None and _LAUGHTER.fullmatch(word):
        found = LAUGHTER  # "ahahahaha", "lolll", "lmaoooo"
    if len(_morph_cache) < 100_000:
        _morph_cache[word] = found
    return found
