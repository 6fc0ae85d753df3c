"""One open-text answer in, one analysis out: language, sentiment, themes, key phrases, and
whether it needs a person now (engagement.themes.urgent).

Plain Python with no Flask import, so the CLI, a worker or a test can run it. Models and
lexicons load on first use and stay cached for the life of the process.
"""

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from engagement.themes import english, text, urgent
from engagement.themes.codebook import Codebook, get_codebook
from engagement.themes.langdetect import detect
from engagement.themes.pii import strip_pii

if TYPE_CHECKING:
    from engagement.themes.learned import Example, ThemeModel


@dataclass
class Analysis:
    lang: str
    sentiment: float | None
    themes: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    # An urgent kind (engagement.themes.urgent.KINDS) or None; and whether the comment asks
    # to be contacted. Both send the response to the staff follow-up queue.
    urgent: str | None = None
    asks_contact: bool = False

    def to_json_dict(self) -> dict:
        """{"lang", "sentiment", "themes", "phrases"} for `analyze-text` and storage."""
        data = asdict(self)
        return {key: data[key] for key in ("lang", "sentiment", "themes", "phrases")}


def analyze(
    text_in: str,
    lang_hint: str | None = None,
    codebook: Codebook | None = None,
    model: "ThemeModel | None" = None,
) -> Analysis:
    """Analyse one comment; `lang_hint` is the locale of the form it was written on.

    With a trained `model` (engagement.themes.learned) the themes are the model's combined
    with the codebook's; without one, the codebook's alone."""
    codebook = codebook or get_codebook()
    raw = (text_in or "").strip()
    lang = detect(raw, lang_hint) if raw else (detect("", lang_hint))
    if not raw:
        return Analysis(lang=lang, sentiment=None)
    clean = strip_pii(raw)
    tokens = None if lang == "zh_Hans" else text.raw_tokens(lang, clean)
    themes = codebook.match(lang, clean, tokens)
    if model is not None:
        themes = model.combine(clean, lang, themes)
    # Sentiment only where the project has a real method with a named source: English (the
    # TextBlob/pattern lexicon plus the project lexicon). Elsewhere it is None, shown as
    # "not available" — never a made-up neutral.
    if lang == "en":
        sentiment = round(english.polarity(clean), 4)
        phrases = english.ProjectNPExtractor().extract(clean)[: text.MAX_PHRASES]
        if not phrases:
            phrases = text.key_phrases(lang, clean)
    else:
        sentiment = None
        phrases = text.key_phrases(lang, clean)
    # Read on the raw text: masking could hide the words that matter ("call me at ...").
    flag = urgent.detect(raw, lang_hint, lang)
    return Analysis(
        lang=lang,
        sentiment=sentiment,
        themes=themes,
        phrases=_dedupe(phrases),
        urgent=flag.kind,
        asks_contact=flag.asks_contact,
    )


def training_example(
    text_in: str, lang_hint: str | None, themes, codebook: Codebook | None = None
) -> "Example":
    """A reviewed comment as the classifier sees it: PII stripped, language detected,
    with the codebook's matches; `themes` are the reviewer-confirmed codes."""
    from engagement.themes.learned import Example

    codebook = codebook or get_codebook()
    raw = (text_in or "").strip()
    lang = detect(raw, lang_hint)
    clean = strip_pii(raw)
    found = codebook.match(lang, clean) if clean else []
    return Example(clean, lang, tuple(found), tuple(themes))


def _dedupe(phrases: list[str]) -> list[str]:
    return list(dict.fromkeys(phrases))


def warm_up() -> None:
    """Load every model and lexicon now (e.g. before timing, or at worker start)."""
    for sample, lang in (
        ("The bus was late.", "en"),
        ("El autobús llegó tarde.", "es"),
        ("O ônibus atrasou.", "pt_BR"),
        ("校车迟到了。", "zh_Hans"),
        ("Bis la te an reta.", "ht"),
        ("تأخرت الحافلة.", "ar"),
    ):
        analyze(sample, lang)
