"""English: the project's tokenizer, noun-phrase extractor and sentiment analyzer.

They plug into TextBlob (subclasses of its base classes) and use only files on disk: the
pattern part-of-speech and sentiment lexicons inside the TextBlob wheel, and two lexicons in
engagement/themes/data (AFINN-165, ODbL, see AFINN-README.md; the project's en_sentiment.tsv),
so nothing ever needs the NLTK corpora or a download. The pipeline calls them directly rather
than through a TextBlob object, which would redo work on every call.
"""

import gc
import math
import re
import warnings
from functools import cache
from importlib import resources

from textblob.base import CONTINUOUS, BaseNPExtractor, BaseSentimentAnalyzer, BaseTokenizer

from engagement.themes.text import stop_words

_EMOTICONS = {
    ":)": 0.6,
    ":-)": 0.6,
    ":]": 0.5,
    "=)": 0.5,
    ":d": 0.7,
    ":-d": 0.7,
    ";)": 0.4,
    ";-)": 0.4,
    ":p": 0.3,
    ":-p": 0.3,
    "<3": 0.7,
    "(:": 0.5,
    "xd": 0.5,
    ":')": 0.4,
    "^_^": 0.5,
    ":(": -0.6,
    ":-(": -0.6,
    ":[": -0.5,
    "=(": -0.5,
    ":'(": -0.7,
    ":/": -0.3,
    ":-/": -0.3,
    ":|": -0.2,
    "</3": -0.7,
    "):": -0.5,
    ">:(": -0.8,
    "d:": -0.5,
}
_EMOJI = {
    "😀": 0.6,
    "😃": 0.6,
    "😄": 0.6,
    "😁": 0.6,
    "😊": 0.6,
    "🙂": 0.4,
    "😍": 0.8,
    "🥰": 0.8,
    "😘": 0.6,
    "👍": 0.5,
    "👏": 0.6,
    "🎉": 0.6,
    "❤": 0.7,
    "❤️": 0.7,
    "💕": 0.7,
    "💯": 0.5,
    "🙏": 0.4,
    "😂": 0.4,
    "🤣": 0.4,
    "😞": -0.6,
    "😢": -0.6,
    "😭": -0.7,
    "😡": -0.8,
    "😠": -0.7,
    "🤬": -0.9,
    "👎": -0.6,
    "💔": -0.7,
    "😤": -0.5,
    "😩": -0.6,
    "😫": -0.6,
    "😒": -0.4,
    "🙁": -0.4,
    "☹": -0.5,
    "😔": -0.5,
    "😟": -0.5,
}
_TOKEN_RE = re.compile(
    r"(?:[<>]?[:;=8][\-o*']?[)\](\[dDpP/|]|[)(][\-']?[:;=]|</?3|\^_\^)(?!\w)"
    r"|[^\W_]+(?:['’\-][^\W_]+)*"
    r"|!+|\?+|[^\w\s]"
)
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "cannot",
        "cant",
        "without",
        "hardly",
        "barely",
        "scarcely",
        "lack",
        "lacks",
        "lacking",
        "nowhere",
    ]
)
_BOOSTERS = {
    "very": 0.3,
    "really": 0.3,
    "so": 0.25,
    "extremely": 0.45,
    "incredibly": 0.4,
    "totally": 0.3,
    "absolutely": 0.35,
    "completely": 0.3,
    "super": 0.3,
    "too": 0.2,
    "truly": 0.3,
    "highly": 0.3,
    "deeply": 0.3,
    "especially": 0.2,
    "particularly": 0.2,
    "utterly": 0.45,
    "terribly": 0.4,
    "awfully": 0.35,
    "seriously": 0.3,
    "most": 0.3,
    "such": 0.2,
    "quite": 0.1,
    "always": 0.15,
    "slightly": -0.4,
    "somewhat": -0.35,
    "fairly": -0.15,
    "almost": -0.25,
    "partly": -0.35,
    "marginally": -0.4,
    "little": -0.2,
    "bit": -0.3,
    "kinda": -0.3,
    "sorta": -0.3,
    "mostly": -0.1,
    # informal intensifiers (project list)
    "freaking": 0.4,
    "freakin": 0.4,
    "fucking": 0.5,
    "friggin": 0.4,
    "frigging": 0.4,
    "hella": 0.4,
    "soo": 0.3,
    "sooo": 0.35,
    "soooo": 0.4,
}
# Quantifiers and plain descriptive words the pattern lexicon scores, which carry no
# opinion in feedback ("more buses", "the new principal", "the first week").
_NEUTRAL = frozenset(
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
# Verbs that turn what they act on around: "reduce the risk of disease" is good news,
# "less support" bad news (valence shifters, Polanyi & Zaenen 2006).
_SHIFTERS = frozenset(
    [
        "reduce",
        "reduces",
        "reduced",
        "reducing",
        "reduction",
        "decrease",
        "decreases",
        "decreased",
        "decreasing",
        "lower",
        "lowers",
        "lowering",
        "prevent",
        "prevents",
        "prevented",
        "preventing",
        "prevention",
        "avoid",
        "avoids",
        "avoided",
        "avoiding",
        "curb",
        "curbs",
        "curbed",
        "curbing",
        "eliminate",
        "eliminates",
        "eliminated",
        "eliminating",
        "elimination",
        "eradicate",
        "eradicated",
        "alleviate",
        "alleviates",
        "alleviated",
        "overcome",
        "overcomes",
        "overcame",
        "overcoming",
        "combat",
        "combats",
        "combating",
        "combatting",
        "tackle",
        "tackles",
        "tackled",
        "tackling",
        "fewer",
        "less",
    ]
)
SHIFT_FACTOR = -0.8
SHIFT_SCOPE = 4  # words before a scored word where a shifter acts (negation: SCOPE)
_CONTRAST = frozenset(("but", "however"))
_CLAUSE_END = frozenset(".;!?")
NEGATION_FACTOR = -0.55
SCOPE = 3
BEFORE_CONTRAST, AFTER_CONTRAST = 0.5, 1.2  # "nice but late": the part after "but" leads
LENGTH_POWER = 0.5  # the sum is divided by sqrt(number of scored words)
ALPHA = 1.5  # squashes the summed valence into (-1, 1)


class ProjectTokenizer(BaseTokenizer):
    """Words (with inner apostrophes), emoticons and punctuation; no NLTK data needed."""

    def tokenize(self, text: str) -> list[str]:
        return _TOKEN_RE.findall(text)


@cache
def _tagger():
    """The pattern tagger with its lexicons loaded now, once.

    pattern's lazy loaders open the lexicon files without closing them; loading them here,
    with that ResourceWarning silenced, keeps it out of every later call (and out of tests
    that turn warnings into errors).
    """
    from textblob.en import parser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        lexicon = parser.lexicon
        for part in (lexicon, lexicon.morphology, lexicon.context, lexicon.entities):
            len(part)
        parser.find_tags(["warm", "up"])
        gc.collect()
    return parser


class ProjectNPExtractor(BaseNPExtractor):
    """Noun phrases from the bundled pattern tagger: adjectives and nouns ending in a noun,
    kept when at least one word is more than a stop word ("school bus", not "school")."""

    def extract(self, text: str) -> list[str]:
        tokens = _TOKEN_RE.findall(text)
        if not tokens:
            return []
        stops = stop_words("en")
        phrases, run = [], []
        for word, tag in _tagger().find_tags(tokens):
            low = word.lower()
            if tag.startswith(("NN", "JJ")) and low.isalpha() and low not in _NP_FILLER:
                run.append((low, tag))
                continue
            _close(run, phrases, stops)
            run = []
        _close(run, phrases, stops)
        return phrases


# Words that may be tagged as nouns or adjectives but never start a useful phrase.
_NP_FILLER = frozenset(
    [
        "lot",
        "lots",
        "kind",
        "sort",
        "bit",
        "thing",
        "things",
        "way",
        "anything",
        "nothing",
        "something",
        "everything",
        "anyone",
        "everyone",
        "someone",
        "nobody",
        "everybody",
        "somebody",
    ]
)


def _close(run, phrases, stops):
    while run and not run[-1][1].startswith("NN"):
        run.pop()
    while run and (run[0][0] in _NEUTRAL or run[0][0] in stops and len(run) > 2):
        run.pop(0)
    words = [w for w, _ in run]
    if not words or all(w in stops for w in words):
        return
    if len(words) > 1 or len(words[0]) > 3:
        phrases.append(" ".join(words))


PATTERN_WEIGHT = 0.5  # share of the pattern value where AFINN also knows the word
AFINN_SCALE = 0.2  # AFINN's -5..+5 integers onto the -1..1 scale of the other two


def _data_lines(name: str):
    path = resources.files("engagement.themes").joinpath("data", name)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@cache
def _lexicon() -> tuple[dict[str, float], dict[str, list]]:
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
        if " " not in word and abs(polarity) >= 0.1 and word not in _NEUTRAL:
            # Objective senses ("a full day") count for less than opinions ("a great day").
            words[word] = polarity * (0.6 + 0.4 * subjectivity)
    phrases: dict[str, dict] = {}
    for term, value in _data_lines("AFINN-en-165.txt"):
        parts = tuple(_TOKEN_RE.findall(term.lower()))
        general = float(value) * AFINN_SCALE
        if len(parts) > 1:
            phrases.setdefault(parts[0], {})[parts] = general
        elif parts[0] not in _NEUTRAL:
            known = words.get(parts[0])
            words[parts[0]] = (
                general
                if known is None
                else PATTERN_WEIGHT * known + (1 - PATTERN_WEIGHT) * general
            )
    for term, value in _data_lines("en_sentiment.tsv"):
        parts = tuple(_TOKEN_RE.findall(term.lower()))
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


def _valence(word: str, words: dict[str, float]) -> float | None:
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


def polarity(text: str) -> float:
    """Sentiment of an English text in [-1, 1]: 0.0 when nothing in it carries an opinion."""
    words, phrases = _lexicon()
    tokens = _TOKEN_RE.findall(text)
    lower = [t.lower() for t in tokens]
    shouting_ok = not text.isupper()
    items: list[list] = []  # [position, valence]
    contrast_at = None
    exclaim = 0
    i, n = 0, len(tokens)
    while i < n:
        tok = lower[i]
        if tok in _CONTRAST and contrast_at is None:
            contrast_at = i
        if tok[0] == "!":
            exclaim += len(tok)
        value, width = None, 1
        for parts, v in phrases.get(tok, ()):
            if tuple(lower[i : i + len(parts)]) == parts:
                value, width = v, len(parts)
                break
        if value is None:
            if tok in _EMOTICONS:
                value = _EMOTICONS[tok]
            elif tok in _EMOJI or tokens[i] in _EMOJI:
                value = _EMOJI.get(tokens[i], _EMOJI.get(tok))
            elif (
                tok not in _BOOSTERS
                and tok not in _NEGATORS
                and tok not in _SHIFTERS
                and tok.isalpha()
            ):
                value = _valence(tok, words)
        if value:
            value *= _modifiers(lower, i)
            if shouting_ok and tokens[i].isupper() and len(tokens[i]) > 1 and tok.isalpha():
                value *= 1.3
            items.append([i, value])
        i += width
    if not items:
        return 0.0
    total = 0.0
    for pos, value in items:
        if contrast_at is not None:
            value *= BEFORE_CONTRAST if pos < contrast_at else AFTER_CONTRAST
        total += value
    total /= len(items) ** LENGTH_POWER
    if total and exclaim:
        total += math.copysign(0.08 * min(exclaim, 4), total)
    return max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA)))


def _modifiers(lower: list[str], i: int) -> float:
    """Boosters, negation and shifters in the few words before position i, within the clause."""
    scale, negated = 1.0, False
    for dist, j in enumerate(range(i - 1, max(i - SHIFT_SCOPE, 0) - 1, -1)):
        tok = lower[j]
        if tok in _CLAUSE_END or tok == "," or tok in _CONTRAST:
            break
        if tok in _SHIFTERS:
            scale *= SHIFT_FACTOR
        elif dist >= SCOPE:
            continue
        elif tok in _NEGATORS or tok.endswith(("n't", "n’t")):
            negated = True
        elif tok in _BOOSTERS:
            scale *= 1 + _BOOSTERS[tok] * (1 - 0.1 * dist)
    # "not only good but ..." is not a negation
    if negated and i + 1 < len(lower) and lower[i - 1] == "only":
        negated = False
    return scale * (NEGATION_FACTOR if negated else 1.0)


class ProjectSentimentAnalyzer(BaseSentimentAnalyzer):
    """The project's rule-based English analyzer as a TextBlob analyzer (polarity only)."""

    kind = CONTINUOUS

    def analyze(self, text: str) -> float:
        return polarity(text)
