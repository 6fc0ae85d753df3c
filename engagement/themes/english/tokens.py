"""English tokens: words (with inner apostrophes and hyphens), emoticons and punctuation.

One regular expression shared by the noun-phrase extractor, the lexicon loader and the
sentiment rules, so all three cut a text the same way.
"""

import re

from textblob.base import BaseTokenizer

TOKEN_RE = re.compile(
    r"(?:[<>]?[:;=8][\-o*']?[)\](\[dDpP/|]|[)(][\-']?[:;=]|</?3|\^_\^)(?!\w)"
    r"|[^\W_]+(?:['’\-][^\W_]+)*"
    r"|!+|\?+|[^\w\s]"
)


class ProjectTokenizer(BaseTokenizer):
    """Words (with inner apostrophes), emoticons and punctuation; no NLTK data needed."""

    def tokenize(self, text: str) -> list[str]:
        """The tokens of a text, in order."""
        return TOKEN_RE.findall(text)
