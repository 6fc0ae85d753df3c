"""Human in the loop: staff re-code answers, decide which comments may be quoted and mask
words by hand; emerging topics.

A manual row (source='manual') replaces the automatic row for the same answer and code
(one row per answer and code): removed=False adds the code, removed=True keeps it off.
The pipeline's store never touches manual rows, so re-coding survives reanalysis.

A comment is quoted only once staff approve it (`Answer.quote_state`), as it reads after
masking (`engagement.themes.quoting.as_quoted`): staff approve what readers will see.
Bilingual staff write an English rendering of a quote in another language (`set_english`),
checked like the quote's masking (`quoting.rendering_problems`) and tied to the quote as it
reads now (`quoting.fingerprint`).
Every change is written to the audit log: who, when, which answer, never the answer's text.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from engagement import audit
from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Question,
    QuestionKind,
    QuoteEnglish,
    QuoteState,
    Response,
    ThemeSource,
    response_group,
    utcnow,
)
from engagement.themes.codebook import get_codebook
from engagement.themes.quoting import as_quoted, fingerprint, mask_tokens, rendering_problems

PAGE_SIZE = 20
PAGE_SIZES = (20, 50, 100)


@dataclass(frozen=True)
class ReviewItem:
    answer_id: int
    quote: str  # exactly as it would be quoted
    original: str | None  # the family's words as written: only for an admin's unmasked view
    lang: str | None
    themes: list[str]  # effective codes
    manual: dict[str, bool]  # code -> removed?, for codes a reviewer set
    quote_state: QuoteState
    hand_masked: bool  # staff masked words of this quote by hand
    response_id: int | None = None  # its response, to void (or correct, if staff typed it)
    english: "EnglishRendering | None" = None


@dataclass(frozen=True)
class EnglishRendering:
    """A quote's English rendering as the review page shows it."""

    text: str
    written_by: str | None  # the account's e-mail; None once the account is removed
    written_at: datetime
    current: bool  # written from the quote as it reads now (else: to be checked again)
    machine_draft: bool  # from the translation server, not yet checked by a person


def english_of(answer_ids, quotes: dict[int, str]) -> dict[int, EnglishRendering]:
    """The English renderings of the answers, by id; `quotes` gives each quote as it reads
    now, to tell whether a rendering was written from it."""
    ids = sorted(set(answer_ids))
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(QuoteEnglish).where(QuoteEnglish.answer_id.in_(ids)))
    return {
        row.answer_id: EnglishRendering(
            row.text,
            row.written_by.email if row.written_by else None,
            row.written_at,
            row.quote_fingerprint == fingerprint(quotes.get(row.answer_id, "")),
            row.machine_draft,
        )
        for row in rows
    }


def answer_in(engagement_id: int, answer_id: int) -> Answer | None:
    """The written answer `answer_id` if it belongs to the engagement, else None."""
    return db.session.scalar(
        sa.select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.id == answer_id,
            Response.engagement_id == engagement_id,
            Answer.text.is_not(None),
        )
    )


def answers_in(engagement_id: int, answer_ids) -> list[Answer]:
    """The written answers among `answer_ids` that belong to the engagement, by id."""
    ids = sorted({int(i) for i in answer_ids})
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Answer)
            .join(Response, Response.id == Answer.response_id)
            .where(
                Answer.id.in_(ids),
                Response.engagement_id == engagement_id,
                Answer.text.is_not(None),
            )
            .order_by(Answer.id)
        )
    )


def set_theme(
    answer: Answer, code: str, present: bool, engagement_slug: str = "", commit: bool = True
) -> None:
    """Add (present=True) or remove a theme code on an answer as a manual code; audited."""
    row = db.session.get(AnswerTheme, (answer.id, code))
    if row is None:
        row = AnswerTheme(answer_id=answer.id, theme_code=code)
        db.session.add(row)
    row.source = ThemeSource.MANUAL
    row.removed = not present
    audit.record(
        "theme_added" if present else "theme_removed",
        f"answer:{answer.id}",
        {"theme": code, "engagement": engagement_slug},
        commit=False,
    )
    if commit:
        db.session.commit()


QUOTE_ACTIONS = {QuoteState.APPROVED: "quote.approved", QuoteState.REJECTED: "quote.rejected"}


def set_quote_state(
    answers: list[Answer], state: QuoteState, engagement_slug: str = "", commit: bool = True
) -> None:
    """Approve answers as safe to quote, or reject them; one audit row per answer."""
    for answer in answers:
        answer.quote_state = state
        audit.record(
            QUOTE_ACTIONS[state],
            f"answer:{answer.id}",
            {"engagement": engagement_slug},
            commit=False,
        )
    if commit:
        db.session.commit()


def mask_words(answer: Answer, indexes, engagement_slug: str = "") -> bool:
    """Mask the words at `indexes` of the answer's quote as it reads now (see
    engagement.themes.quoting.tokens); the family's text stays as written. Audited with the
    number of words, never the words. False when nothing changed."""
    quote = as_quoted(answer.text, answer.quote_text)
    masked = mask_tokens(quote, indexes)
    if masked == quote:
        return False
    answer.quote_text = masked
    audit.record(
        "quote.masked",
        f"answer:{answer.id}",
        {"engagement": engagement_slug, "words": len(set(indexes))},
        commit=False,
    )
    db.session.commit()
    return True


def clear_mask(answer: Answer, engagement_slug: str = "") -> None:
    """Go back to the automatic masking. An approved quote waits for approval again: what
    was approved was the hand-masked text."""
    if answer.quote_text is None:
        return
    answer.quote_text = None
    if answer.quote_state == QuoteState.APPROVED:
        answer.quote_state = QuoteState.PENDING
    audit.record(
        "quote.mask_cleared",
        f"answer:{answer.id}",
        {"engagement": engagement_slug, "state": answer.quote_state.value},
        commit=False,
    )
    db.session.commit()


def set_english(answer: Answer, text: str, user, engagement_slug: str = "") -> list[str]:
    """Write or correct the English rendering of the answer's quote as it reads now, as
    `user`; audited with lengths only, never the words. Returns the problems found by
    `quoting.rendering_problems` instead of saving when there are any."""
    quote = as_quoted(answer.text, answer.quote_text)
    text = text.strip()
    problems = rendering_problems(quote, text)
    if problems:
        return problems
    row = db.session.get(QuoteEnglish, answer.id)
    before = len(row.text) if row is not None else 0
    was_draft = row is not None and row.machine_draft
    if row is None:
        row = QuoteEnglish(answer_id=answer.id)
        db.session.add(row)
    row.text = text
    row.quote_fingerprint = fingerprint(quote)
    row.written_by_id = user.id
    row.written_at = utcnow()
    row.machine_draft = False
    details = {"engagement": engagement_slug, "characters": {"before": before, "after": len(text)}}
    if was_draft:
        details["machine_draft"] = {"before": True, "after": False}
    audit.record("quote.english_written", f"answer:{answer.id}", details, commit=False)
    db.session.commit()
    return []


def store_machine_draft(answer: Answer, draft: str, user, engagement_slug: str = "") -> bool:
    """Keep `draft` (from the district's translation server) as the quote's English
    rendering marked "machine draft": shown on the review pages only, until a person saves
    it (`set_english`). Never replaces a rendering a person wrote: False then."""
    row = db.session.get(QuoteEnglish, answer.id)
    if row is not None and not row.machine_draft:
        return False
    if row is None:
        row = QuoteEnglish(answer_id=answer.id)
        db.session.add(row)
    row.text = draft
    row.quote_fingerprint = fingerprint(as_quoted(answer.text, answer.quote_text))
    row.written_by_id = user.id
    row.written_at = utcnow()
    row.machine_draft = True
    audit.record(
        "quote.english_machine_draft",
        f"answer:{answer.id}",
        {"engagement": engagement_slug, "characters": len(draft)},
        commit=False,
    )
    db.session.commit()
    return True


def page_count(total: int, per_page: int = PAGE_SIZE) -> int:
    """The number of review pages for `total` answers (at least one)."""
    return max(1, -(-total // per_page))


def quotes_waiting(engagement_ids=None) -> int:
    """Written answers still waiting for a quote decision (in the engagements, or all)."""
    query = (
        sa.select(sa.func.count(Answer.id))
        .join(Question, Question.id == Answer.question_id)
        .where(
            Answer.text.is_not(None),
            Answer.quote_state == QuoteState.PENDING,
            Question.kind == QuestionKind.OPEN_TEXT,
        )
    )
    if engagement_ids is not None:
        query = query.where(Question.engagement_id.in_(list(engagement_ids) or [-1]))
    return db.session.scalar(query) or 0


@dataclass(frozen=True)
class ReviewFilters:
    """What the review page is narrowed to (every field optional)."""

    theme: str | None = None
    state: QuoteState | None = None
    search: str | None = None  # words in the comment, any case (LIKE on the text)
    lang: str | None = None  # language the comment was written in (its analysis)
    school_id: int | None = None
    group_id: int | None = None
    channel: str | None = None
    date_from: datetime | None = None  # submitted at or after (aware)
    date_to: datetime | None = None  # submitted before (aware)
    no_theme: bool = False  # only comments without any theme


# Search ignores case and these accents, the same way on both engines (families and
# reviewers often type "autobus" for "autobús", "ecole" for "école", "kreyol" for "kreyòl").
ACCENTED = "áàâãäåéèêëíìîïóòôõöúùûüçñýÿ"
PLAIN = "aaaaaaeeeeiiiiooooouuuucnyy"
_FOLD = str.maketrans(ACCENTED, PLAIN)


def fold(text: str) -> str:
    """`text` in lowercase without the accents of ACCENTED (the search's normal form)."""
    return text.lower().translate(_FOLD)


def _folded(column):
    """The SQL twin of `fold` for `column` (SQLite: the `fold` function each connection
    registers, see engagement.extensions; PostgreSQL: lower() and translate())."""
    if db.session.get_bind().dialect.name == "sqlite":
        return sa.func.fold(column)
    return sa.func.translate(sa.func.lower(column), ACCENTED, PLAIN)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _open_question_ids(engagement_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Question.id).where(
                Question.engagement_id == engagement_id, Question.kind == QuestionKind.OPEN_TEXT
            )
        )
    )


def _filtered(engagement_id: int, filters: ReviewFilters, columns=None):
    """The written answers of the engagement that `filters` keep: a select of `columns`
    (default: what the page shows). The engagement's written answers are found through its
    open questions (answer.question_id is indexed), joining the analysis only when a
    language is asked for or shown."""
    show = columns is None
    if show:
        columns = (
            Answer.id, Answer.text, Answer.quote_text, Answer.quote_state, AnswerAnalysis.lang,
            Answer.response_id,
        )  # fmt: skip
    query = (
        sa.select(*columns)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id.in_(_open_question_ids(engagement_id) or [-1]),
            Response.counted,
            Answer.text.is_not(None),
        )
    )
    if show or filters.lang:
        query = query.outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
    if filters.state is not None:
        query = query.where(Answer.quote_state == filters.state)
    live_theme = sa.and_(AnswerTheme.answer_id == Answer.id, AnswerTheme.removed.is_(False))
    if filters.theme:
        query = query.where(sa.exists().where(live_theme, AnswerTheme.theme_code == filters.theme))
    if filters.no_theme:
        query = query.where(~sa.exists().where(live_theme))
    if filters.search:
        # Case- and accent-insensitive, the same on both engines; wildcards typed by the
        # reviewer are literal.
        pattern = _like_pattern(fold(filters.search))
        query = query.where(_folded(Answer.text).like(pattern, escape="\\"))
    if filters.lang:
        query = query.where(AnswerAnalysis.lang == filters.lang)
    if filters.school_id is not None:
        query = query.where(Response.school_id == filters.school_id)
    if filters.group_id is not None:
        query = query.where(
            sa.exists().where(
                response_group.c.response_id == Response.id,
                response_group.c.group_id == filters.group_id,
            )
        )
    if filters.channel:
        query = query.where(Response.channel == filters.channel)
    if filters.date_from is not None:
        query = query.where(Response.submitted_at >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(Response.submitted_at < filters.date_to)
    return query


def matching_ids(engagement_id: int, filters: ReviewFilters, limit: int) -> list[int]:
    """Ids of the answers the filters keep, newest first, at most `limit` (bulk actions on
    "every comment shown by these filters")."""
    query = _filtered(engagement_id, filters, columns=(Answer.id,))
    return list(db.session.scalars(query.order_by(Answer.id.desc()).limit(limit)))


def review_page(
    engagement_id: int,
    theme: str | None = None,
    page: int = 1,
    unmasked: bool = False,
    state: QuoteState | None = None,
    filters: ReviewFilters | None = None,
    per_page: int = PAGE_SIZE,
) -> tuple[list[ReviewItem], int]:
    """One page of written answers with their codes and quote decision, newest first (only
    those the filters keep); and the total count."""
    filters = filters or ReviewFilters(theme=theme, state=state)
    query = _filtered(engagement_id, filters)
    total = db.session.scalar(_filtered(engagement_id, filters, (sa.func.count(Answer.id),)))
    page = min(max(page, 1), page_count(total, per_page))  # past the end: the last page
    rows = db.session.execute(
        query.order_by(Answer.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    ids = [r.id for r in rows]
    codes: dict[int, list] = {i: [] for i in ids}
    manual: dict[int, dict] = {i: {} for i in ids}
    for answer_id, code, source, removed in db.session.execute(
        sa.select(
            AnswerTheme.answer_id, AnswerTheme.theme_code, AnswerTheme.source, AnswerTheme.removed
        ).where(AnswerTheme.answer_id.in_(ids))
    ):
        if not removed:
            codes[answer_id].append(code)
        if source == ThemeSource.MANUAL:
            manual[answer_id][code] = removed
    quotes = {r.id: as_quoted(r.text, r.quote_text) for r in rows}
    english = english_of(ids, quotes)
    items = [
        ReviewItem(
            r.id,
            as_quoted(r.text, r.quote_text),
            r.text if unmasked else None,
            r.lang,
            sorted(codes[r.id]),
            manual[r.id],
            r.quote_state,
            r.quote_text is not None,
            r.response_id,
            english.get(r.id),
        )
        for r in rows
    ]
    return items, total


@dataclass(frozen=True)
class EmergingTopic:
    phrase: str
    lang: str
    answers: int


def emerging_topics(engagement_ids, min_answers: int, limit: int = 20) -> list[EmergingTopic]:
    """Key phrases that match no codebook theme and recur in at least `min_answers` answers
    (counted in SQL over the stored phrase lists), most frequent first."""
    element, phrase = _phrase_elements()
    query = (
        sa.select(
            phrase,
            AnswerAnalysis.lang,
            sa.func.count(sa.distinct(AnswerAnalysis.answer_id)).label("n"),
        )
        .select_from(AnswerAnalysis)
        .join(element, sa.true())
        .join(Answer, Answer.id == AnswerAnalysis.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.engagement_id.in_(list(engagement_ids) or [-1]), Response.counted)
        .group_by(phrase, AnswerAnalysis.lang)
        .having(sa.func.count(sa.distinct(AnswerAnalysis.answer_id)) >= min_answers)
        .order_by(sa.desc("n"), phrase)
    )
    codebook = get_codebook()
    out = []
    for phrase, lang, n in db.session.execute(query):
        # One check per distinct recurring phrase (a few dozen), not per answer.
        if codebook.match(lang, phrase):
            continue
        out.append(EmergingTopic(phrase, lang, n))
        if len(out) >= limit:
            break
    return out


def _phrase_elements():
    """(table-valued function over AnswerAnalysis.phrases, its phrase column)."""
    if db.engine.dialect.name == "postgresql":
        fn = sa.func.json_array_elements_text(AnswerAnalysis.phrases)
    else:
        fn = sa.func.json_each(AnswerAnalysis.phrases)
    element = fn.table_valued(sa.column("value", sa.String)).alias("element")
    return element, element.c.value
