"""English sentiment: rules over the merged lexicon (negation, boosters, shifters, contrast).

`polarity` is what the pipeline calls; `ProjectSentimentAnalyzer` wraps it for TextBlob.
"""

import math

from textblob.base import CONTINUOUS, BaseSentimentAnalyzer

from engagement.themes.english.lexicon import lexicon, valence
from engagement.themes.english.tokens import TOKEN_RE

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


def polarity(text: str) -> float:
    """Sentiment of an English text in [-1, 1]: 0.0 when nothing in it carries an opinion."""
    words, phrases = lexicon()
    tokens = TOKEN_RE.findall(text)
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
                value = valence(tok, words)
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
        """The polarity of a text in [-1, 1] (see `polarity`)."""
        return polarity(text)
