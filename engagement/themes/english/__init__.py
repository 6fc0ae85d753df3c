"""English: the project's tokenizer, noun-phrase extractor and sentiment analyzer.

They plug into TextBlob (subclasses of its base classes) and use only files on disk: the
pattern part-of-speech and sentiment lexicons inside the TextBlob wheel, and two lexicons in
engagement/themes/data (AFINN-165, ODbL, see AFINN-README.md; the project's en_sentiment.tsv),
so nothing ever needs the NLTK corpora or a download. The pipeline calls them directly rather
than through a TextBlob object, which would redo work on every call.

This package is the one place callers import from; the work is split by responsibility:
tokens (tokenizer), phrases (noun phrases), lexicon (loading and merging the three lexicons,
word lookup) and sentiment (the polarity rules).
"""

from engagement.themes.english.lexicon import AFINN_SCALE, LAUGHTER, PATTERN_WEIGHT
from engagement.themes.english.lexicon import lexicon as _lexicon  # noqa: F401  (tests read it)
from engagement.themes.english.phrases import ProjectNPExtractor
from engagement.themes.english.sentiment import (
    AFTER_CONTRAST,
    ALPHA,
    BEFORE_CONTRAST,
    LENGTH_POWER,
    NEGATION_FACTOR,
    SCOPE,
    SHIFT_FACTOR,
    SHIFT_SCOPE,
    ProjectSentimentAnalyzer,
    polarity,
)
from engagement.themes.english.tokens import ProjectTokenizer

__all__ = [
    "AFINN_SCALE",
    "AFTER_CONTRAST",
    "ALPHA",
    "BEFORE_CONTRAST",
    "LAUGHTER",
    "LENGTH_POWER",
    "NEGATION_FACTOR",
    "PATTERN_WEIGHT",
    "SCOPE",
    "SHIFT_FACTOR",
    "SHIFT_SCOPE",
    "ProjectNPExtractor",
    "ProjectSentimentAnalyzer",
    "ProjectTokenizer",
    "polarity",
]
