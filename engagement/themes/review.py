"""Human in the loop: staff re-code answers, decide which comments may be quoted and mask
words by hand; emerging topics.

A manual row (source='manual') replaces the automatic row for the same answer and code
(one row per answer and code): removed=False adds the code, removed=True keeps it off.
The pipeline's store never touches manual rows, so re-coding survives reanalysis.

A comment is quoted only once staff approve it (`Answer.quote_state`), as it reads after
masking (`engagement.themes.quoting.as_quoted`): staff approve what readers will see.
Every change is written to the audit log: who, when, which answer, never the answer's text.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from engagement import audit
from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Question,
    QuestionKind,
    QuoteState,
    Response,
    ThemeSource,
)
from engagement.themes.codebook import get_codebook
from engagement.themes.quoting import as_quoted, mask_tokens

PAGE_SIZE = 20


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


def page_count(total: int) -> int:
    """The number of review pages for `total` answers (at least one)."""
    return max(1, -(-total // PAGE_SIZE))


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


def review_page(
    engagement_id: int,
    theme: str | None = None,
    page: int = 1,
    unmasked: bool = False,
    state: QuoteState | None = None,
) -> tuple[list[ReviewItem], int]:
    """One page of written answers with their codes and quote decision, newest first (only
    those in `state` when given); and the total count."""
    query = (
        sa.select(
            Answer.id, Answer.text, Answer.quote_text, Answer.quote_state, AnswerAnalysis.lang
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(
            Response.engagement_id == engagement_id,
            Response.counted,
            Answer.text.is_not(None),
            Question.kind == QuestionKind.OPEN_TEXT,
        )
    )
    if state is not None:
        query = query.where(Answer.quote_state == state)
    if theme:
        query = query.where(
            sa.exists().where(
                AnswerTheme.answer_id == Answer.id,
                AnswerTheme.theme_code == theme,
                AnswerTheme.removed.is_(False),
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    page = min(max(page, 1), page_count(total))  # a page past the end shows the last one
    rows = db.session.execute(
        query.order_by(Answer.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
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
