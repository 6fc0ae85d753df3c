"""Which of the six project languages a comment is written in.

py3langid (its model ships in the wheel) restricted to our languages, with two cheap
shortcuts: the script (Han, Arabic) settles Chinese and Arabic, and the form's locale
breaks ties on short or uncertain texts, where a detector guesses.
"""

import re
from functools import cache

from engagement.themes.text import LOCALES

# langid codes -> project locale codes
_TO_LOCALE = {"en": "en", "es": "es", "pt": "pt_BR", "zh": "zh_Hans", "ht": "ht", "ar": "ar"}
_LATIN = ("en", "es", "pt", "ht")
_HINT_ALIASES = {
    "pt": "pt_BR",
    "pt-br": "pt_BR",
    "pt_br": "pt_BR",
    "zh": "zh_Hans",
    "zh-cn": "zh_Hans",
    "zh_cn": "zh_Hans",
    "zh-hans": "zh_Hans",
    "zh_hans": "zh_Hans",
    "kreyol": "ht",
}
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Frequent Haitian Creole words that are not French, English, Spanish or Portuguese words.
_HT_MARKERS = frozenset(
    [
        "mwen",
        "nou",
        "yo",
        "li",
        "pa",
        "ak",
        "nan",
        "pou",
        "se",
        "gen",
        "genyen",
        "ki",
        "sa",
        "yon",
        "lekòl",
        "lekol",
        "timoun",
        "pitit",
        "paske",
        "anpil",
        "tanpri",
        "kounye",
        "konsa",
        "kijan",
        "poukisa",
        "ap",
        "pral",
        "te",
        "ka",
        "dwe",
        "fè",
        "fe",
        "bay",
        "vle",
        "bezwen",
        "kontan",
        "mèsi",
        "mesi",
        "tout",
        "sou",
        "avèk",
        "avek",
        "epi",
        "lè",
        "kòm",
        "jan",
    ]
)

SHORT_WORDS = 4  # up to this many words, the form's locale wins unless clearly wrong


def normalize_locale(code: str | None) -> str | None:
    """'pt-BR', 'pt' -> 'pt_BR'; 'zh' -> 'zh_Hans'; unknown codes -> None."""
    if not code:
        return None
    if code in LOCALES:
        return code
    code = code.strip()
    return _HINT_ALIASES.get(code.lower()) or (code.lower() if code.lower() in LOCALES else None)


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # Our own instance: restricting the package's shared identifier would change it for
    # anything else in the process that uses py3langid.
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(_LATIN))
    return ident


def detect(text: str, hint: str | None = None) -> str:
    """The project locale of `text`; `hint` is the locale of the form it was written on."""
    hint = normalize_locale(hint)
    han = len(_HAN.findall(text))
    arabic = len(_ARABIC.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if han and han * 2 >= latin:
        return "zh_Hans"
    if arabic and arabic >= latin:
        return "ar"
    if not latin:
        return hint or "en"
    latin_hint = hint if hint in ("en", "es", "pt_BR", "ht") else None
    words = [w.lower() for w in _WORD.findall(text)]
    ranked = dict(_identifier().rank(text))
    best = max(ranked, key=ranked.get)
    best_p = ranked[best]
    ht_share = sum(w in _HT_MARKERS for w in words) / max(len(words), 1)
    if best != "ht" and ht_share >= 0.3 and len(words) >= 3 and best_p < 0.99:
        best, best_p = "ht", ranked["ht"]
    if latin_hint:
        hint_p = ranked[{"pt_BR": "pt"}.get(latin_hint, latin_hint)]
        # A few words say little about their language; the form's locale is the better bet
        # unless the detector clearly prefers another language.
        if len(words) <= SHORT_WORDS and hint_p >= 0.25 * best_p:
            return latin_hint
        if hint_p >= 0.5 * best_p:
            return latin_hint
    return _TO_LOCALE[best]
