"""Tokens, normalised forms, stop words and key phrases for the six project languages.

Everything heavy (stemmers, stop-word lists, the jieba dictionary) is built once, on first
use, and cached for the life of the process.
"""

import logging
import re
import threading
import unicodedata
from functools import cache, lru_cache
from importlib import resources

LOCALES = ("en", "es", "pt_BR", "zh_Hans", "ht", "ar")

# Letters and digits, keeping inner apostrophes and hyphens ("don't", "m'ap", "e-mail").
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W_]+")
# Sentence and clause boundaries stop a key phrase.
_BOUNDARY_RE = re.compile(r"[.,;:!?()\[\]\"“”«»。，、；：！？（）…\n]|\s[-–—]\s")
_AR_DIACRITICS_RE = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
# Haitian Creole short forms: "m ap" / "m'ap" -> "mwen ap", "l" -> "li", and so on.
_HT_SHORT = {
    "m": "mwen",
    "n": "nou",
    "l": "li",
    "y": "yo",
    "w": "ou",
    "k": "ki",
    "t": "te",
    "p": "pa",
    "mw": "mwen",
}
_SNOWBALL = {"en": "english", "es": "spanish", "pt_BR": "portuguese", "ar": "arabic"}

MAX_PHRASES = 5


def fold_accents(word: str) -> str:
    """'comunicación' -> 'comunicacion': families often type without accents."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_arabic(text: str) -> str:
    """Drop diacritics and tatweel and unify alef, ya and ta marbuta forms."""
    return _AR_DIACRITICS_RE.sub("", text).translate(_AR_FOLD)


_local = threading.local()


def _stemmer(locale: str):
    """This thread's Snowball stemmer for `locale`: stemmers keep state while stemming, so
    sharing one between threads (gunicorn gthread workers) gives wrong stems."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if locale not in stemmers:
        import snowballstemmer

        stemmers[locale] = snowballstemmer.stemmer(_SNOWBALL[locale])
    return stemmers[locale]


@cache
def stop_words(locale: str) -> frozenset[str]:
    """The project's stop-word list for a locale, normalised like the tokens."""
    path = resources.files("engagement.themes").joinpath("data", "stopwords", f"{locale}.txt")
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        words.update(surface_form(locale, w) for w in line.split())
    return frozenset(words)


@cache
def _jieba():
    import jieba

    # jieba logs its dictionary loading at INFO level; keep the CLI output clean.
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def add_chinese_words(words) -> None:
    """Teach the Chinese segmenter the codebook's multi-character keywords."""
    seg = _jieba()
    for word in words:
        if len(word) > 1 and not seg.FREQ.get(word):
            seg.add_word(word, freq=2000)


def surface_form(locale: str, word: str) -> str:
    """The lower-cased, script-normalised form of a word, before stemming."""
    word = word.lower().replace("’", "'")
    if locale == "ar":
        return normalize_arabic(word)
    if locale in ("es", "pt_BR", "ht"):
        return fold_accents(word)
    return word


def raw_tokens(locale: str, text: str) -> list[str]:
    """Words in reading order, lower-cased and script-normalised (not stemmed)."""
    if locale == "zh_Hans":
        seg = _jieba()
        out = []
        for run in _HAN_RUN_RE.findall(text.lower()):
            if _HAN_RE.match(run):
                out.extend(w for w in seg.lcut(run, HMM=True) if w.strip())
            else:
                out.append(run)
        return out
    text = unicodedata.normalize("NFC", text)
    if locale == "ar":
        # Diacritics are combining marks, which would otherwise split words apart.
        text = normalize_arabic(text)
    words = [surface_form(locale, w) for w in _WORD_RE.findall(text)]
    if locale == "ht":
        words = _expand_haitian(words)
    return words


def _expand_haitian(words: list[str]) -> list[str]:
    out = []
    for w in words:
        if "'" in w:
            head, _, tail = w.partition("'")
            out.append(_HT_SHORT.get(head, head))
            if tail:
                out.append(tail)
        else:
            out.append(_HT_SHORT.get(w, w))
    return out


@lru_cache(maxsize=50_000)
def normal_form(locale: str, word: str) -> str:
    """The form used to match keywords: a Snowball stem where there is one, else the word."""
    if locale == "ar" and word.startswith(("وال", "فال")) and len(word) > 5:
        word = word[1:]  # the conjunctions wa-/fa- before the article: "and the ..."
    if locale in _SNOWBALL:
        stem = _stemmer(locale).stemWord(word)
        # A stem shorter than three letters matches too much ("un", "la").
        return stem if len(stem) >= 3 or len(word) < 3 else word
    return word


def normal_forms(locale: str, tokens: list[str]) -> list[str]:
    """normal_form() for each token."""
    return [normal_form(locale, t) for t in tokens]


def key_phrases(locale: str, text: str, limit: int = MAX_PHRASES) -> list[str]:
    """Candidate key phrases: runs of non-stop words between stop words and punctuation,
    as n-grams of up to three words, longest and most frequent first."""
    stops = stop_words(locale)
    joiner = "" if locale == "zh_Hans" else " "
    scores: dict[str, list] = {}
    position = 0
    for clause in _BOUNDARY_RE.split(text):
        run: list[str] = []
        for tok in [*raw_tokens(locale, clause), None]:
            if tok is None or tok in stops or tok.isdigit() or len(tok) < 2 and locale != "zh_Hans":
                _score_run(run, joiner, scores, position)
                position += len(run) + 1
                run = []
            else:
                run.append(tok)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    phrases, seen = [], set()
    for phrase, _ in ranked:
        if phrase in seen or any(phrase in p for p in phrases):
            continue
        seen.add(phrase)
        phrases.append(phrase)
        if len(phrases) == limit:
            break
    return phrases


def _score_run(run, joiner, scores, position):
    if locale_single_char_only(run):
        return
    for n in (3, 2, 1):
        for i in range(len(run) - n + 1):
            gram = run[i : i + n]
            if n == 1 and len(gram[0]) < 2:
                continue
            phrase = joiner.join(gram)
            entry = scores.setdefault(phrase, [0.0, position + i])
            entry[0] += n  # longer phrases carry more meaning than single words


def locale_single_char_only(run: list[str]) -> bool:
    """True for runs that are only one-character words (Chinese particles, initials)."""
    return all(len(t) < 2 for t in run)
