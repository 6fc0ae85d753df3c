"""Human in the loop: reviewers re-code answers and hide quotes; emerging topics.

A manual row (source='manual') replaces the automatic row for the same answer and code
(one row per answer and code): removed=False adds the code, removed=True keeps it off.
The pipeline's store never touches manual rows, so re-coding survives reanalysis.
Every change is written to the audit log (never with the answer's text).
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
    Response,
    ThemeSource,
)
from engagement.themes.pii import mask_pii

PAGE_SIZE = 20


@dataclass(frozen=True)
class ReviewItem:
    answer_id: int
    text: str
    lang: str | None
    themes: list[str]  # effective codes
    manual: dict[str, bool]  # code -> removed?, for codes a reviewer set
    quote_hidden: bool


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


def set_theme(answer: Answer, code: str, present: bool, engagement_slug: str = "") -> None:
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
    db.session.commit()


def set_quote_hidden(answer: Answer, hidden: bool, engagement_slug: str = "") -> None:
    """Keep an answer out of (or put it back into) the quotes of summaries; audited."""
    answer.quote_hidden = hidden
    audit.record(
        "quote_hidden" if hidden else "quote_shown",
        f"answer:{answer.id}",
        {"engagement": engagement_slug},
        commit=False,
    )
    db.session.commit()


def page_count(total: int) -> int:
    """The number of review pages for `total` answers (at least one)."""
    return max(1, -(-total // PAGE_SIZE))


def review_page(
    engagement_id: int, theme: str | None = None, page: int = 1, unmasked: bool = False
) -> tuple[list[ReviewItem], int]:
    """One page of written answers with their codes, newest first; and the total count."""
    query = (
        sa.select(Answer.id, Answer.text, Answer.quote_hidden, AnswerAnalysis.lang)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(
            Response.engagement_id == engagement_id,
            Answer.text.is_not(None),
            Question.kind == QuestionKind.OPEN_TEXT,
        )
    )
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
            r.text if unmasked else mask_pii(r.text),
            r.lang,
            sorted(codes[r.id]),
            manual[r.id],
            r.quote_hidden,
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
        .where(Response.engagement_id.in_(list(engagement_ids) or [-1]))
        .group_by(phrase, AnswerAnalysis.lang)
        .having(sa.func.count(sa.distinct(AnswerAnalysis.answer_id)) >= min_answers)
        .order_by(sa.desc("n"), phrase)
    )
    try:
        from engagement.themes.codebook import get_codebook

        codebook = get_codebook()
    except ImportError:
        codebook = None
    out = []
    for phrase, lang, n in db.session.execute(query):
        # One check per distinct recurring phrase (a few dozen), not per answer.
        if codebook is not None and codebook.match(lang, phrase):
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
