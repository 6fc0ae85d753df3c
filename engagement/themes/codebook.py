"""The theme codebook: a JSON data file staff can edit, loaded, checked and compiled here.

`Codebook.version` is a hash of the file's bytes, stored with every analysis so that a
changed codebook can be re-applied (`themes reanalyze`) to exactly the answers it affects.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from engagement.themes import text as txt

SEED_CODES = (
    "communication",
    "language_access",
    "academics",
    "equity_inclusion",
    "belonging_wellbeing",
    "special_education",
    "safety",
    "transportation",
    "facilities",
    "staffing",
    "family_involvement",
    "scheduling",
)
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")


class CodebookError(ValueError):
    """The codebook file is malformed; the message lists every problem found."""


@dataclass(frozen=True)
class Theme:
    code: str
    label: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, tuple[str, ...]]

    def label_for(self, locale: str) -> str:
        """The label in `locale`, or in English when that locale is missing."""
        return self.label.get(locale) or self.label["en"]

    def description_for(self, locale: str) -> str:
        """The one-line description in `locale`, or in English."""
        return self.description.get(locale) or self.description["en"]


class Codebook:
    """Themes with labels, descriptions and per-language keywords, ready for matching."""

    def __init__(self, raw: bytes):
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CodebookError(f"codebook is not valid UTF-8 JSON: {exc}") from exc
        validate(data)
        self.version = hashlib.sha1(raw, usedforsecurity=False).hexdigest()
        self.themes: dict[str, Theme] = {
            t["code"]: Theme(
                code=t["code"],
                label=dict(t["label"]),
                description=dict(t["description"]),
                keywords={loc: tuple(kws) for loc, kws in t["keywords"].items()},
            )
            for t in data["themes"]
        }
        self._order = {code: i for i, code in enumerate(self.themes)}
        self._matchers: dict[str, object] = {}

    @classmethod
    def from_path(cls, path: str | Path) -> "Codebook":
        """Load and validate a codebook file."""
        return cls(Path(path).read_bytes())

    @property
    def codes(self) -> list[str]:
        """Theme codes in file order."""
        return list(self.themes)

    def match(self, locale: str, text: str, tokens: list[str] | None = None) -> list[str]:
        """Theme codes whose keywords occur in `text` (already-computed raw tokens optional)."""
        matcher = self._matcher(locale)
        if locale == "zh_Hans":
            squeezed = re.sub(r"\s+", "", text.lower())
            found = {code for kw, code in matcher if kw in squeezed}
        else:
            if tokens is None:
                tokens = txt.raw_tokens(locale, text)
            found = matcher.find(locale, tokens)
        return sorted(found, key=self._order.__getitem__)

    def _matcher(self, locale: str):
        matcher = self._matchers.get(locale)
        if matcher is None:
            if locale == "zh_Hans":
                pairs = [
                    (kw.lower(), t.code) for t in self.themes.values() for kw in t.keywords[locale]
                ]
                txt.add_chinese_words(kw for kw, _ in pairs)
                matcher = pairs
            else:
                matcher = _PhraseMatcher(locale, self.themes.values())
            self._matchers[locale] = matcher
        return matcher


class _PhraseMatcher:
    """Keyword phrases of one language as sequences of normal forms, indexed by first form.
    A keyword word ending in '*' matches any word starting with it."""

    def __init__(self, locale: str, themes):
        self.stops = txt.stop_words(locale)
        self.index: dict[str, list] = {}
        self.prefixes: list[tuple[str, str]] = []
        for theme in themes:
            for kw in theme.keywords[locale]:
                if kw.endswith("*") and " " not in kw:
                    self.prefixes.append((txt.surface_form(locale, kw[:-1]), theme.code))
                    continue
                forms = tuple(txt.normal_forms(locale, txt.raw_tokens(locale, kw)))
                if forms:
                    self.index.setdefault(forms[0], []).append((forms, theme.code))

    def find(self, locale: str, tokens: list[str]) -> set[str]:
        forms = txt.normal_forms(locale, tokens)
        found = set()
        for i, form in enumerate(forms):
            for phrase, code in self.index.get(form, ()):
                if len(phrase) == 1:
                    # A stop word can stem like a keyword ("como" and "comida" -> "com").
                    if tokens[i] not in self.stops:
                        found.add(code)
                elif tuple(forms[i : i + len(phrase)]) == phrase:
                    found.add(code)
        for prefix, code in self.prefixes:
            if any(t.startswith(prefix) for t in tokens):
                found.add(code)
        return found


def validate(data) -> None:
    """Raise CodebookError listing every problem: missing locales, labels, keywords, codes."""
    problems = []
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise CodebookError("codebook must be an object with a 'themes' list")
    seen = set()
    for n, theme in enumerate(data["themes"]):
        code = theme.get("code") if isinstance(theme, dict) else None
        where = f"theme {code or n}"
        if not isinstance(code, str) or not _CODE_RE.match(code):
            problems.append(f"{where}: code must be lower_snake_case, 2-60 characters")
            continue
        if code in seen:
            problems.append(f"{where}: duplicate code")
        seen.add(code)
        for field in ("label", "description"):
            values = theme.get(field)
            if not isinstance(values, dict):
                problems.append(f"{where}: '{field}' must be an object keyed by locale")
                continue
            for loc in txt.LOCALES:
                if not isinstance(values.get(loc), str) or not values[loc].strip():
                    problems.append(f"{where}: {field} missing for locale {loc}")
        keywords = theme.get("keywords")
        if not isinstance(keywords, dict):
            problems.append(f"{where}: 'keywords' must be an object keyed by locale")
            continue
        for loc in txt.LOCALES:
            kws = keywords.get(loc)
            if not isinstance(kws, list) or not kws:
                problems.append(f"{where}: no keywords for locale {loc}")
            elif not all(isinstance(k, str) and k.strip() for k in kws):
                problems.append(f"{where}: empty or non-text keyword for locale {loc}")
        extra = set(keywords) - set(txt.LOCALES)
        if extra:
            problems.append(f"{where}: keywords for unknown locales {sorted(extra)}")
    missing = [c for c in SEED_CODES if c not in seen]
    if missing:
        problems.append(f"seed theme codes missing: {', '.join(missing)}")
    if problems:
        raise CodebookError("invalid codebook:\n  " + "\n  ".join(problems))


def default_path():
    """Where the project's codebook lives (inside the package, editable by staff)."""
    return resources.files("engagement.themes").joinpath("data", "codebook.json")


@cache
def get_codebook() -> Codebook:
    """The project's codebook, loaded and validated once per process."""
    return Codebook(default_path().read_bytes())
