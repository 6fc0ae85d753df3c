"""Representative quotes for the summary's themes: two or three per theme, in the original
language, deterministic.

Only answers staff APPROVED as safe to quote are ever picked (masking is a first line,
approval the guarantee), for every reader of a summary, its exports and the report; the
staff review page (engagement.themes.review) is the one place pending comments are read.
A quote shows the text staff masked by hand when there is one, else the PII-masked text,
and staff's English rendering beside it when one was written from the quote as it reads now
(a quote masked again after its rendering was written stands alone until staff check the
rendering again, and a machine draft until a person saves it); the rendering passes through
the same automatic masking.

Sentiment exists only for English, so "strongest feeling first" alone would show only
English quotes. Quotes are therefore picked from two lists per theme and alternated:
English comments by strength of feeling (|sentiment|), then key phrases; comments in other
languages by number of key phrases, then strength of feeling. The larger of the two groups
in the theme leads (ties: the other languages). A group contributes quotes only when at
least k of the theme's responses are in it, like every other figure, and a comment in
language L only when at least k people of the whole view wrote in L: a Spanish quote never
stands beside a Spanish count that is suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    QuoteEnglish,
    QuoteState,
    Response,
    User,
)
from engagement.summary import queries
from engagement.summary.model import Quote
from engagement.themes.pii import mask_pii
from engagement.themes.quoting import as_quoted, fingerprint

QUOTES_PER_THEME = 3

# One top-N query per language group gives candidates in quote order; a theme's best
# three among them are its best three overall. Only a theme with fewer than three
# candidates in a group gets its own top-3 query.
QUOTE_CANDIDATES = 400


@dataclass(frozen=True)
class QuoteRequest:
    """Which language groups of a theme may be quoted, and which leads."""

    code: str
    english: bool
    other: bool
    other_first: bool


def _phrase_count():
    """Number of key phrases stored for an answer (JSON array length on both databases)."""
    return sa.func.coalesce(sa.func.json_array_length(AnswerAnalysis.phrases), 0)


def _order(english: bool) -> tuple:
    strength = sa.func.coalesce(sa.func.abs(AnswerAnalysis.sentiment), -1)
    if english:
        return strength.desc(), _phrase_count().desc(), Answer.id
    return _phrase_count().desc(), strength.desc(), Answer.id


def _quotable(where, english: bool, languages: frozenset[str]):
    group = AnswerAnalysis.lang == "en" if english else AnswerAnalysis.lang != "en"
    return (
        sa.select(
            Answer.id,
            Answer.text,
            Answer.quote_text,
            AnswerAnalysis.lang,
            AnswerAnalysis.sentiment,
        )
        .join(Response, Response.id == Answer.response_id)
        .join(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(
            *where,
            Answer.text.is_not(None),
            Answer.quote_state == QuoteState.APPROVED,
            group,
            AnswerAnalysis.lang.in_(sorted(languages)),
        )
    )


def _best(where, codes: list[str], english: bool, languages: frozenset[str]) -> dict[str, list]:
    """Up to three quotable answers per theme code from one language group, best first."""
    if not codes or not languages:
        return {code: [] for code in codes}
    order = _order(english)
    candidates = db.session.scalars(
        _quotable(where, english, languages)
        .with_only_columns(Answer.id)
        .order_by(*order)
        .limit(QUOTE_CANDIDATES)
    ).all()
    # Fewer candidates than asked for: they are every quotable answer, nothing to fall back on.
    complete = len(candidates) < QUOTE_CANDIDATES
    found: dict[str, list] = {code: [] for code in codes}
    if candidates:
        rows = db.session.execute(
            _quotable(where, english, languages)
            .add_columns(AnswerTheme.theme_code)
            .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
            .where(
                Answer.id.in_(candidates),
                AnswerTheme.theme_code.in_(codes),
                AnswerTheme.removed.is_(False),
            )
            .order_by(*order)
        ).all()
        for *quote, code in rows:
            if len(found[code]) < QUOTES_PER_THEME:
                found[code].append(tuple(quote))
    for code in codes:
        if len(found[code]) < QUOTES_PER_THEME and not complete:
            found[code] = db.session.execute(
                _quotable(where, english, languages)
                .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
                .where(AnswerTheme.theme_code == code, AnswerTheme.removed.is_(False))
                .order_by(*order)
                .limit(QUOTES_PER_THEME)
            ).all()
    return found


def _alternate(first: list, second: list, n: int) -> list:
    """first[0], second[0], first[1], ...; when one list runs out the other fills in."""
    out, i, j = [], 0, 0
    while len(out) < n and (i < len(first) or j < len(second)):
        if j >= len(second) or (i < len(first) and len(out) % 2 == 0):
            out.append(first[i])
            i += 1
        else:
            out.append(second[j])
            j += 1
    return out


def quotable_languages(where, k: int, counts=None) -> frozenset[str]:
    """Languages at least k people of the view (`where`) wrote a comment in; `counts`
    ({language: responses}) when the caller has them already."""
    counts = queries.written_languages(where) if counts is None else counts
    return frozenset(lang for lang, n in counts.items() if n >= k)


def select_quotes(
    where, requests: list[QuoteRequest], unmasked: bool, k: int, written_languages=None
) -> dict[str, list[Quote]]:
    """Up to three approved quotes per requested theme, mixing English and other languages,
    only in languages at least k people of the view wrote in (`written_languages()`, when
    given, returns the view's {language: responses})."""
    if not requests:
        return {}
    languages = quotable_languages(
        where, k, None if written_languages is None else written_languages()
    )
    english = _best(where, [r.code for r in requests if r.english], True, languages)
    other = _best(where, [r.code for r in requests if r.other], False, languages)
    chosen = {}
    for request in requests:
        lists = [english.get(request.code, []), other.get(request.code, [])]
        if request.other_first:
            lists.reverse()
        chosen[request.code] = _alternate(*lists, QUOTES_PER_THEME)
    renderings = english_renderings(
        {i: as_quoted(text, qt) for rows in chosen.values() for i, text, qt, *_ in rows}
    )
    return {
        code: [
            Quote(
                i,
                text if unmasked else as_quoted(text, quote_text),
                lang,
                sentiment,
                not unmasked,
                *renderings.get(i, (None, None)),
            )
            for i, text, quote_text, lang, sentiment in rows
        ]
        for code, rows in chosen.items()
    }


def english_renderings(quotes: dict[int, str]) -> dict[int, tuple[str, str | None]]:
    """{answer id: (English rendering, e-mail of who wrote it)} for the quotes ({answer id:
    quote as it reads now}) whose rendering was written from that very quote."""
    if not quotes:
        return {}
    rows = db.session.execute(
        sa.select(QuoteEnglish.answer_id, QuoteEnglish.text, QuoteEnglish.quote_fingerprint)
        .add_columns(User.email)
        .outerjoin(User, User.id == QuoteEnglish.written_by_id)
        .where(QuoteEnglish.answer_id.in_(sorted(quotes)), QuoteEnglish.machine_draft.is_(False))
    )
    return {
        answer_id: (mask_pii(text), email)
        for answer_id, text, mark, email in rows
        if mark == fingerprint(quotes[answer_id])
    }


def approved_quotes(answer_ids) -> dict[int, Quote]:
    """The answers among `answer_ids` staff still approve as quotes, as quoted now (masked;
    a purged answer is simply gone): for published results, which keep only the ids."""
    ids = sorted(set(answer_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Answer.id,
            Answer.text,
            Answer.quote_text,
            AnswerAnalysis.lang,
            AnswerAnalysis.sentiment,
        )
        .join(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(
            Answer.id.in_(ids),
            Answer.text.is_not(None),
            Answer.quote_state == QuoteState.APPROVED,
        )
    ).all()
    return {
        i: Quote(i, as_quoted(text, quote_text), lang, sentiment, True)
        for i, text, quote_text, lang, sentiment in rows
    }
