"""The content strings of an engagement, their translation state, and the translator round
trip as a gettext .po file per language.

Why .po: translation vendors' tools (memoQ, Trados, Phrase, Crowdin, Poedit, Weblate) all
open gettext files; each entry carries a stable key (msgctxt), the English source (msgid),
the translation (msgstr), a comment describing where the text appears, and a standard
"fuzzy" flag that we use for translations whose English has changed. Unlike a spreadsheet,
nothing is lost to cell formatting or auto-correct, and the file is plain UTF-8 text.

Keys: "engagement:title", "question:<code>:text", "option:<question>:<option>:label",
"action:<id>:heard". A translation row stores the hash of the English row it was made from;
when English changes the row is out of date until it is rewritten or confirmed.

An import keeps the web forms' rules: a translation longer than its field allows is left
out (the rest is imported), as are plural entries (msgid_plural; nothing here has plural
forms). A file that is too large, has too many entries or is for another language changes
nothing, and says why.
"""

import io
import re
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from engagement.extensions import db
from engagement.i18n import match_locale
from engagement.models import (
    SOURCE_LOCALE,
    EngagementText,
    LoopAction,
    LoopActionText,
    OptionText,
    QuestionText,
)
from engagement.staff.services.loop import ordered_loop_actions
from engagement.staff.services.texts import MAX_LENGTHS
from engagement.themes.langdetect import detect as detect_language

# Far above any engagement's strings (a .po entry is a few hundred bytes), and below the
# default request limit (MAX_CONTENT_LENGTH) so that the page can say what is wrong.
MAX_PO_BYTES = 200 * 1024
MAX_PO_ENTRIES = 2000


@dataclass
class Unit:
    """One translatable thing (engagement, question, option, action): a row per locale."""

    key: str
    owner: object
    row_cls: type
    label: str
    fields: tuple[str, ...]

    def row(self, locale: str):
        return next((r for r in self.owner.texts if r.locale == locale), None)

    @property
    def english(self):
        return self.row(SOURCE_LOCALE)

    def source(self, name: str) -> str:
        row = self.english
        return (getattr(row, name, "") or "").strip() if row is not None else ""

    def value(self, locale: str, name: str) -> str:
        row = self.row(locale)
        return (getattr(row, name, "") or "") if row is not None else ""

    def is_stale(self, locale: str) -> bool:
        """Translated from an English text that has changed since."""
        row, english = self.row(locale), self.english
        if row is None or english is None:
            return False
        filled = any((getattr(row, name) or "").strip() for name in self.fields)
        return filled and row.source_hash != english.content_hash()

    def key_of(self, name: str) -> str:
        return f"{self.key}:{name}"

    def ensure_row(self, locale: str):
        row = self.row(locale)
        if row is None:
            row = self.row_cls(locale=locale, **{name: "" for name in self.row_cls.TEXT_FIELDS})
            self.owner.texts.append(row)
        return row

    def mark_current(self, locale: str) -> None:
        """Record that the `locale` row matches today's English (written or confirmed)."""
        row, english = self.row(locale), self.english
        if row is not None and english is not None:
            row.source_hash = english.content_hash()


@dataclass
class StringState:
    unit: Unit
    name: str
    english: str
    value: str
    state: str  # "done", "missing" or "stale"

    @property
    def key(self) -> str:
        return self.unit.key_of(self.name)


@dataclass
class Completeness:
    locale: str
    strings: list[StringState]

    @property
    def total(self) -> int:
        return len(self.strings)

    @property
    def done(self) -> int:
        return sum(s.state == "done" for s in self.strings)

    @property
    def missing(self) -> list[StringState]:
        return [s for s in self.strings if s.state == "missing"]

    @property
    def stale(self) -> list[StringState]:
        return [s for s in self.strings if s.state == "stale"]


def units(engagement, include_actions: bool = True) -> list[Unit]:
    """Every translatable thing that families can see, in page order."""
    result = [
        Unit(
            "engagement",
            engagement,
            EngagementText,
            "Engagement",
            EngagementText.TEXT_FIELDS,
        )
    ]
    for question in engagement.visible_questions:
        result.append(
            Unit(
                f"question:{question.code}",
                question,
                QuestionText,
                f"Question {question.code}",
                QuestionText.TEXT_FIELDS,
            )
        )
        if question.has_options:
            for option in question.options:
                if not option.hidden:
                    result.append(
                        Unit(
                            f"option:{question.code}:{option.code}",
                            option,
                            OptionText,
                            f"Option {option.code} of {question.code}",
                            OptionText.TEXT_FIELDS,
                        )
                    )
    if include_actions:
        result.extend(action_unit(action) for action in ordered_loop_actions(engagement))
    return result


def action_unit(action: LoopAction) -> Unit:
    """The translatable unit of one "you said, we did" note."""
    return Unit(
        f"action:{action.id}",
        action,
        LoopActionText,
        f"You said, we did #{action.id}",
        LoopActionText.TEXT_FIELDS,
    )


def string_states(unit_list: list[Unit], locale: str) -> list[StringState]:
    """One entry per field with English text, with its state in `locale`."""
    states = []
    for unit in unit_list:
        stale = unit.is_stale(locale)
        for name in unit.fields:
            english = unit.source(name)
            if not english:
                continue
            value = unit.value(locale, name)
            state = "missing" if not value.strip() else ("stale" if stale else "done")
            states.append(StringState(unit, name, english, value, state))
    return states


def completeness(engagement, locale: str) -> Completeness:
    """How many of the engagement's strings are translated and current in `locale`."""
    return Completeness(locale, string_states(units(engagement), locale))


def save_unit(unit: Unit, locale: str, values: dict[str, str], confirm: bool = False) -> bool:
    """Write `values` (field -> text) for `unit` in `locale`; returns True when changed.

    The row becomes current (not out of date) when its text changed or `confirm` is set.
    """
    changed = any(values.get(n, "").strip() != unit.value(locale, n).strip() for n in values)
    if not changed and not confirm:
        return False
    if changed:
        row = unit.ensure_row(locale)
        for name, text in values.items():
            setattr(row, name, text.strip())
    unit.mark_current(locale)
    return True


@dataclass
class SaveReport:
    """What one save of the translation page did, counted in strings like the page's
    counter (a question with help text is two strings)."""

    saved: int = 0  # strings whose text was written or changed
    confirmed: int = 0  # out-of-date strings confirmed still correct, text unchanged


def save_translations(entries, locale: str) -> SaveReport:
    """Write (unit, values, confirm) entries posted from the translation page; commits."""
    report = SaveReport()
    for unit, values, confirm in entries:
        changed = [n for n in values if values[n].strip() != unit.value(locale, n).strip()]
        if save_unit(unit, locale, values, confirm=confirm):
            report.saved += len(changed)
            if not changed:
                report.confirmed += sum(bool(unit.value(locale, n).strip()) for n in values)
    db.session.commit()
    return report


# --- the .po round trip ------------------------------------------------------------------


def export_po(engagement, locale: str, project: str = "engagement") -> bytes:
    """A .po file of the engagement's strings for translators into `locale`."""
    catalog = Catalog(
        locale=locale,
        project=f"{project}: {engagement.slug}",
        version="1",
        charset="utf-8",
        fuzzy=False,
    )
    for state in string_states(units(engagement), locale):
        catalog.add(
            state.english,
            state.value if state.state != "missing" else "",
            context=state.key,
            auto_comments=[f"{state.unit.label} ({state.name})"],
            flags=("fuzzy",) if state.state == "stale" else (),
        )
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, include_previous=False)
    return out.getvalue()


@dataclass
class ImportReport:
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # (key, reason code): "unknown", "english_changed", "fuzzy", "empty", "too_long",
    # "plural"
    ignored: list[tuple[str, str]] = field(default_factory=list)


class ImportFileError(ValueError):
    """The uploaded file cannot be imported; nothing was changed.

    `reason` is "unreadable", "too_large" (over MAX_PO_BYTES), "too_many_entries" (over
    MAX_PO_ENTRIES), "other_language" (then `file_locale` is the file's Language header) or
    "looks_other_language" (no Language header, but the file's name or text is in the
    language `file_locale`).
    """

    def __init__(self, reason: str, file_locale: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.file_locale = file_locale


def _language_header(data: bytes) -> str:
    """The file's own Language header ("" when missing or empty).

    Read from the text, not from the parsed catalog: Babel fills in the locale it was
    given when the header is missing, which would hide that the file never said."""
    match = re.search(rb'^"Language: *([^"\\]*?) *(?:\\n)?"', data, re.MULTILINE)
    return match.group(1).decode("utf-8", "replace").strip() if match else ""


def _locale_of_name(filename: str | None) -> str | None:
    """The language in a file name made by export ("fall-survey.es.po" -> "es")."""
    match = re.search(r"\.([A-Za-z]{2,3}(?:[_-][A-Za-z]{2,4})?)\.po$", filename or "")
    return match_locale(match.group(1)) if match else None


# Enough letters for the language detector to tell Spanish from Haitian Creole.
MIN_DETECT_LETTERS = 60


def _locale_of_text(catalog: Catalog, locale: str) -> str | None:
    """The language the file's translations are written in, when there is enough text to
    tell (the page's language wins any doubt); None when there is too little."""
    text = " ".join(m.string for m in catalog if m.id and isinstance(m.string, str) and m.string)
    if sum(ch.isalpha() for ch in text) < MIN_DETECT_LETTERS:
        return None
    detected = detect_language(text, hint=locale)
    # English text in a translation file is untranslated copy, not another language.
    return None if detected == SOURCE_LOCALE else detected


def read_catalog(data: bytes, locale: str, filename: str | None = None) -> Catalog:
    """The catalog in `data`, if it is a .po file for `locale` of a sensible size."""
    if len(data) > MAX_PO_BYTES:
        raise ImportFileError("too_large")
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except Exception as error:  # Babel raises several types on malformed files
        raise ImportFileError("unreadable") from error
    # The Language header, when the file has one ("pt-BR", "zh_CN" and "ht_HT" are fine).
    header = _language_header(data)
    if header and header != locale and match_locale(header) != locale:
        raise ImportFileError("other_language", file_locale=header)
    if not header:
        # No header (some tools drop it): the file's name as we export it
        # ("survey.es.po"), then the language its translations are written in.
        guess = _locale_of_name(filename) or _locale_of_text(catalog, locale)
        if guess and guess != locale:
            raise ImportFileError("looks_other_language", file_locale=guess)
    if len(catalog) > MAX_PO_ENTRIES:
        raise ImportFileError("too_many_entries")
    return catalog


def field_of(key: str) -> str:
    """The field name at the end of a key ("question:news:text" -> "text")."""
    return key.rsplit(":", 1)[-1]


def import_po(engagement, locale: str, data: bytes, filename: str | None = None) -> ImportReport:
    """Apply a translator's .po file for `locale`; commits and returns what happened."""
    catalog = read_catalog(data, locale, filename)
    by_key = {}
    for unit in units(engagement):
        for name in unit.fields:
            by_key[unit.key_of(name)] = (unit, name)
    report = ImportReport()
    accepted: dict[str, tuple[Unit, dict[str, str]]] = {}
    for message in catalog:
        if message.pluralizable:
            # msgid/msgid_plural with msgstr[n]: nothing here has plural forms.
            report.ignored.append((message.context or message.id[0], "plural"))
            continue
        if not message.id or not message.context:
            continue
        key = message.context
        target = by_key.get(key)
        if target is None:
            report.ignored.append((key, "unknown"))
            continue
        unit, name = target
        text = (message.string or "").replace("\x00", "")
        if message.id.strip() != unit.source(name):
            report.ignored.append((key, "english_changed"))
        elif message.fuzzy:
            report.ignored.append((key, "fuzzy"))
        elif not text.strip():
            report.ignored.append((key, "empty"))
        elif len(text.strip()) > MAX_LENGTHS[name]:
            report.ignored.append((key, "too_long"))
        else:
            accepted.setdefault(unit.key, (unit, {}))[1][name] = text
    for unit, values in accepted.values():
        needed = {n for n in unit.fields if unit.source(n)}
        was_stale = unit.is_stale(locale)
        changed = save_unit(unit, locale, values, confirm=was_stale and needed <= set(values))
        if was_stale and not needed <= set(values):
            # Part of an out-of-date row was translated: the rest still needs review.
            row = unit.row(locale)
            row.source_hash = None
        for name in values:
            (report.updated if changed else report.unchanged).append(unit.key_of(name))
    db.session.commit()
    return report
