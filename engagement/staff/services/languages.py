"""The languages an engagement is offered in, and what is still missing in each of them.

An engagement offers English (the authoring language) and any of the other languages staff
choose. Opening it needs every string families see in each offered language; a question
added while it is open waits, hidden from families, until every offered language has it.
"""

from dataclasses import dataclass

from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _
from engagement.models import SOURCE_LOCALE, Engagement, EngagementStatus, Question
from engagement.staff.services.texts import FIELD_LABELS
from engagement.staff.services.translation_io import StringState, string_states, units


@dataclass
class MissingStrings:
    """The strings of an engagement not yet translated into one offered language."""

    locale: str
    strings: list[StringState]

    @property
    def language(self) -> str:
        return LANGUAGE_NAMES.get(self.locale, self.locale)

    def descriptions(self) -> list[str]:
        return [describe(state) for state in self.strings]

    def __str__(self) -> str:
        return _(
            "%(language)s is missing: %(strings)s.",
            language=self.language,
            strings="; ".join(self.descriptions()),
        )


def describe(state: StringState) -> str:
    """Where a string appears, in the reader's language: "question news: Help text"."""
    field = str(FIELD_LABELS.get(state.name, state.name))
    parts = state.unit.key.split(":")
    if parts[0] == "question":
        return _("question %(code)s, %(field)s", code=parts[1], field=field.lower())
    if parts[0] == "option":
        return _("option %(option)s of question %(code)s", option=parts[2], code=parts[1])
    return field


def target_languages(engagement: Engagement) -> list[str]:
    """The offered languages other than English."""
    return [code for code in engagement.offered_languages if code != SOURCE_LOCALE]


def missing_strings(engagement: Engagement, locales=None) -> list[MissingStrings]:
    """Per offered language (or per language of `locales`), the strings families would see
    in English because they are not translated; languages with none are left out."""
    result = []
    unit_list = units(engagement, include_actions=False)
    for locale in target_languages(engagement) if locales is None else locales:
        missing = [s for s in string_states(unit_list, locale) if s.state == "missing"]
        if missing:
            result.append(MissingStrings(locale, missing))
    return result


def question_missing_languages(question: Question) -> list[str]:
    """The offered languages that lack any string of `question` (its text, help or the
    labels of its options)."""
    engagement = question.engagement
    unit_list = [
        unit
        for unit in units(engagement, include_actions=False)
        if unit.owner is question or getattr(unit.owner, "question", None) is question
    ]
    return [
        locale
        for locale in target_languages(engagement)
        if any(s.state == "missing" for s in string_states(unit_list, locale))
    ]


def waiting_questions(engagement: Engagement) -> list[tuple[Question, list[str]]]:
    """Questions hidden from families until translated, with the languages they miss."""
    return [
        (question, question_missing_languages(question))
        for question in engagement.visible_questions
        if question.awaiting_translation
    ]


def hold_until_translated(question: Question) -> None:
    """A question added to an engagement that has opened waits for its translations."""
    engagement = question.engagement
    if engagement.status != EngagementStatus.DRAFT:
        question.awaiting_translation = bool(question_missing_languages(question))


def release_translated(engagement: Engagement) -> list[Question]:
    """Show families the waiting questions that every offered language now has (inside the
    caller's transaction); returns them."""
    released = []
    for question, missing in waiting_questions(engagement):
        if not missing:
            question.awaiting_translation = False
            released.append(question)
    return released


def set_offered(engagement: Engagement, codes) -> None:
    """Offer `engagement` in English and `codes`; the waiting questions are checked again
    (one may wait for a language no longer offered)."""
    engagement.offered_languages = codes
    release_translated(engagement)
    db.session.flush()
