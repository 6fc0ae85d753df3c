"""The data dictionary of a raw export: what each question, option and theme column means.

One row per question, per option and per theme, in the order of the export's columns:
- column: the raw export's column it describes (a "choose all that apply" question has one
  column per option, so its own row names none);
- engagement (slug), question (code), kind (the question kind's code, or "theme"), option
  (the answer's code as it appears in the export's cells, or the 0/1 column's option);
- text_<locale>: the question text or option label in each offered language, exactly as
  families read it; empty where no translation was written (the form showed English).

It is the "dictionary" sheet of the XLSX export, and a companion CSV of its own.
"""

import csv
import io
from collections.abc import Iterator

from flask import current_app
from flask_babel import force_locale

from engagement import labels
from engagement.exports.safe import neutralise_row
from engagement.models import QuestionKind
from engagement.themes.codebook import get_codebook

BASE_HEADERS = ["column", "engagement", "question", "kind", "option"]
THEME_KIND = "theme"
SCALE_LABELS = {QuestionKind.LIKERT5: labels.LIKERT5, QuestionKind.RATING: labels.RATING}


def offered_locales(engagements) -> list[str]:
    """The languages the engagements are offered in, in the workspace's order.

    Hook: every engagement is offered in every workspace language until engagements have
    their own offered languages (issue 13); then return the union of theirs here."""
    return list(current_app.config["LANGUAGES"])


def headers(locales: list[str]) -> list[str]:
    """The dictionary's header row."""
    return BASE_HEADERS + [f"text_{locale}" for locale in locales]


def _scale_labels(locales: list[str]) -> dict:
    """{kind: {code: {locale: label}}} for the scales whose labels are catalog strings."""
    found = {kind: {code: {} for code in scale} for kind, scale in SCALE_LABELS.items()}
    for locale in locales:
        with force_locale(locale):
            for kind, scale in SCALE_LABELS.items():
                for code, label in scale.items():
                    found[kind][code][locale] = str(label)
    return found


def rows(plan) -> Iterator[list[str]]:
    """The dictionary rows of the raw export `plan` (exports.responses.ResponsePlan)."""
    locales = offered_locales(plan.engagements)
    scales = _scale_labels(locales)

    def texts(by_locale: dict) -> list[str]:
        return [by_locale.get(locale, "") for locale in locales]

    for engagement in plan.engagements:
        for question in engagement.questions:
            slot = plan.slots.get(question.id)
            if slot is None:
                continue
            start, options = slot
            column = "" if options is not None else plan.headers[start]
            yield [
                column,
                engagement.slug,
                question.code,
                question.kind.value,
                "",
                *texts({t.locale: t.text for t in question.texts}),
            ]
            if question.kind in scales:
                for code, by_locale in scales[question.kind].items():
                    kind = question.kind.value
                    yield [column, engagement.slug, question.code, kind, code, *texts(by_locale)]
                continue
            for offset, option in enumerate(question.options):
                yield [
                    plan.headers[start + offset] if options is not None else column,
                    engagement.slug,
                    question.code,
                    question.kind.value,
                    option.code,
                    *texts({t.locale: t.label for t in option.texts}),
                ]
    codebook = get_codebook().themes
    for code, index in plan.themes.items():
        theme = codebook.get(code)
        label = theme.label if theme is not None else {}
        yield [plan.headers[index], "", "", THEME_KIND, code, *texts(label)]


def write_csv(plan, out) -> int:
    """The dictionary as a UTF-8 CSV (with byte-order mark) to the binary file `out`;
    returns the number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(offered_locales(plan.engagements)))
    count = 0
    for row in rows(plan):
        writer.writerow(neutralise_row(row))
        count += 1
    out.write(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return count
