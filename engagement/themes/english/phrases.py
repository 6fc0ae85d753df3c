"""English noun phrases from the pattern part-of-speech tagger bundled with TextBlob."""

import gc
import warnings
from functools import cache

from textblob.base import BaseNPExtractor

from engagement.themes.english.lexicon import NEUTRAL
from engagement.themes.english.tokens import TOKEN_RE
from engagement.themes.text import stop_words


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
        """The noun phrases of a text, lower-cased, in order of appearance."""
        tokens = TOKEN_RE.findall(text)
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
    while run and (run[0][0] in NEUTRAL or run[0][0] in stops and len(run) > 2):
        run.pop(0)
    words = [w for w, _ in run]
    if not words or all(w in stops for w in words):
        return
    if len(words) > 1 or len(words[0]) > 3:
        phrases.append(" ".join(words))
