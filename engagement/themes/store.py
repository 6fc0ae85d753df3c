"""Stored analyses: run the pipeline over open-text answers and keep the results.

Manual theme rows (source='manual', set by a reviewer) always win: they are never deleted or
changed here, and an automatic code is never added where a reviewer removed it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    FollowUp,
    FollowUpReason,
    FollowUpState,
    Response,
    ThemeSource,
    utcnow,
    utcnow_minute,
)
from engagement.models.base import to_minute
from engagement.themes import learned
from engagement.themes.codebook import Codebook, get_codebook
from engagement.themes.pipeline import Analysis, analyze, training_example
from engagement.themes.urgent import queue_reason

MIN_REVIEWED = 20  # fewer reviewed comments than this teach a classifier nothing useful


def active_model() -> learned.ThemeModel | None:
    """The district's trained theme classifier, if one has been trained (loaded once per
    process, again only after `themes train` replaces the file)."""
    return learned.cached_model(current_app.config.get("THEME_MODEL_PATH"))


def reviewed_examples(codebook: Codebook | None = None) -> list[learned.Example]:
    """Answers a reviewer has coded (at least one manual row), with their effective codes:
    codes a reviewer added, plus automatic codes the reviewer left on."""
    codebook = codebook or get_codebook()
    reviewed = sa.select(AnswerTheme.answer_id).where(AnswerTheme.source == ThemeSource.MANUAL)
    rows = db.session.execute(
        sa.select(Answer.id, Answer.text, Response.locale)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.id.in_(reviewed), Answer.text.is_not(None))
        .order_by(Answer.id)
    ).all()
    codes: dict[int, dict[str, AnswerTheme]] = {row.id: {} for row in rows}
    for theme in db.session.scalars(
        sa.select(AnswerTheme).where(AnswerTheme.answer_id.in_(reviewed))
    ):
        current = codes.get(theme.answer_id)
        if current is not None and (
            theme.theme_code not in current or theme.source == ThemeSource.MANUAL
        ):
            current[theme.theme_code] = theme  # a manual row wins over an automatic one
    return [
        training_example(
            row.text,
            row.locale,
            [c for c, t in codes[row.id].items() if not t.removed and c in codebook.themes],
            codebook,
        )
        for row in rows
    ]


def train_model(min_reviewed: int = MIN_REVIEWED) -> learned.ThemeModel:
    """Train the district's classifier from reviewed answers and save it where
    THEME_MODEL_PATH points. Raises ValueError when there are too few reviewed answers."""
    path = current_app.config.get("THEME_MODEL_PATH")
    if not path:
        raise ValueError("THEME_MODEL_PATH is empty: no place to keep a theme model")
    codebook = get_codebook()
    examples = reviewed_examples(codebook)
    if len(examples) < min_reviewed:
        raise ValueError(
            f"{len(examples)} reviewed comments; at least {min_reviewed} are needed to train"
        )
    model = learned.train(examples, codebook.codes)
    model.meta["codebook_version"] = codebook.version
    model.save(path)
    return model


@dataclass(frozen=True)
class BatchProgress:
    analyzed: int  # answers analysed in this batch (for progressbar.update)
    last_id: int  # resume with after_id=last_id
    done: int  # answers analysed so far in this run


def analyze_answers(
    answers: list[Answer], locale_hint: str | None = None, codebook: Codebook | None = None
) -> int:
    """Analyse the open-text answers among `answers` and upsert their analyses and
    automatic theme codes. `locale_hint` is the form's locale; when None, each answer's
    response locale is used. The caller commits. Returns how many answers were analysed."""
    codebook = codebook or get_codebook()
    answers = [a for a in answers if a.text is not None and a.id is not None]
    if not answers:
        return 0
    ids = [a.id for a in answers]
    hints = {a.id: locale_hint for a in answers}
    if locale_hint is None:
        rows = db.session.execute(
            sa.select(Answer.id, Response.locale)
            .join(Response, Answer.response_id == Response.id)
            .where(Answer.id.in_(ids))
        )
        hints.update((answer_id, locale) for answer_id, locale in rows)
    model = active_model()
    results = {a.id: analyze(a.text, hints[a.id], codebook, model) for a in answers}
    write_analyses(results, codebook.version)
    return len(results)


def insert_analyses(results: dict[int, Analysis], version: str) -> None:
    """Analyses and automatic theme codes of answers that have none yet (new answers):
    two multi-row inserts, no lookups."""
    if not results:
        return
    now = utcnow_minute()  # written with the response: no finer than its time
    db.session.execute(
        sa.insert(AnswerAnalysis),
        [
            {
                "answer_id": answer_id,
                "lang": r.lang,
                "sentiment": r.sentiment,
                "phrases": list(r.phrases),
                "codebook_version": version,
                "analyzed_at": now,
                "urgent_kind": r.urgent,
                "asks_contact": r.asks_contact,
            }
            for answer_id, r in results.items()
        ],
    )
    themes = [
        {"answer_id": answer_id, "theme_code": code, "source": ThemeSource.AUTO, "removed": False}
        for answer_id, r in results.items()
        for code in dict.fromkeys(r.themes)
    ]
    if themes:
        db.session.execute(sa.insert(AnswerTheme), themes)


def write_analyses(results: dict[int, Analysis], version: str) -> None:
    """Upsert analyses and automatic theme codes for {answer id: Analysis}; keeps manual codes."""
    ids = list(results)
    existing = {
        row.answer_id: row
        for row in db.session.scalars(
            sa.select(AnswerAnalysis).where(AnswerAnalysis.answer_id.in_(ids))
        )
    }
    themes: dict[int, dict[str, AnswerTheme]] = {i: {} for i in ids}
    for row in db.session.scalars(sa.select(AnswerTheme).where(AnswerTheme.answer_id.in_(ids))):
        themes[row.answer_id][row.theme_code] = row
    now = utcnow()
    for answer_id, result in results.items():
        analysis = existing.get(answer_id)
        if analysis is None:
            analysis = AnswerAnalysis(answer_id=answer_id)
            db.session.add(analysis)
        analysis.lang = result.lang
        analysis.sentiment = result.sentiment
        analysis.phrases = list(result.phrases)
        analysis.codebook_version = version
        analysis.analyzed_at = now
        analysis.urgent_kind = result.urgent
        analysis.asks_contact = result.asks_contact
        current = themes[answer_id]
        wanted = set(result.themes)
        for code, row in current.items():
            if row.source == ThemeSource.AUTO and code not in wanted:
                db.session.delete(row)
        for code in wanted - set(current):
            db.session.add(
                AnswerTheme(
                    answer_id=answer_id, theme_code=code, source=ThemeSource.AUTO, removed=False
                )
            )
    db.session.flush()
    _enqueue_new_flags(results)


def _enqueue_new_flags(results: dict[int, Analysis]) -> None:
    """Put in the follow-up queue the responses whose answers the rules now flag and that
    are not in it yet (answers stored before the rules existed, or before a rule change).
    Items already in the queue, open or done, are left as they are."""
    flagged = {i: r for i, r in results.items() if r.urgent or r.asks_contact}
    if not flagged:
        return
    rows = db.session.execute(
        sa.select(Answer.id, Answer.response_id)
        .outerjoin(FollowUp, FollowUp.response_id == Answer.response_id)
        .where(Answer.id.in_(list(flagged)), FollowUp.id.is_(None))
    ).all()
    by_response: dict[int, dict[int, Analysis]] = {}
    for answer_id, response_id in rows:
        by_response.setdefault(response_id, {})[answer_id] = flagged[answer_id]
    now = utcnow()
    for response_id, analyses in by_response.items():
        reason, answer_id = queue_reason(analyses, False)
        enqueue_follow_up(response_id, reason, answer_id, now)


def enqueue_follow_up(response_id: int, reason: str, answer_id: int | None, now) -> None:
    """Put a stored response in the follow-up queue (engagement.followup), inside the
    caller's transaction: one insert."""
    db.session.execute(
        sa.insert(FollowUp).values(
            response_id=response_id,
            answer_id=answer_id,
            reason=FollowUpReason(reason),
            state=FollowUpState.OPEN,
            created_at=to_minute(now),
            note="",
        )
    )


def _pending(version: str, after_id: int, force: bool):
    query = (
        sa.select(Answer, Response.locale)
        .join(Response, Answer.response_id == Response.id)
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(Answer.text.is_not(None), Answer.id > after_id)
    )
    if not force:
        query = query.where(
            sa.or_(AnswerAnalysis.answer_id.is_(None), AnswerAnalysis.codebook_version != version)
        )
    return query


def pending_count(after_id: int = 0, force: bool = False, codebook: Codebook | None = None) -> int:
    """How many open-text answers `reanalyze` would process (the progress bar's length)."""
    version = (codebook or get_codebook()).version
    query = _pending(version, after_id, force).with_only_columns(sa.func.count(Answer.id))
    return db.session.scalar(query.order_by(None))


def reanalyze(
    batch_size: int = 500, after_id: int = 0, force: bool = False, codebook: Codebook | None = None
) -> Iterator[BatchProgress]:
    """Re-run the pipeline over stored open-text answers in id order, committing per batch.

    Answers already analysed with the current codebook version are skipped (unless `force`),
    so an interrupted run can simply be started again, or resumed from `after_id`."""
    codebook = codebook or get_codebook()
    model = active_model()
    done = 0
    while True:
        batch = db.session.execute(
            _pending(codebook.version, after_id, force).order_by(Answer.id).limit(batch_size)
        ).all()
        if not batch:
            return
        results = {
            answer.id: analyze(answer.text, locale, codebook, model) for answer, locale in batch
        }
        write_analyses(results, codebook.version)
        db.session.commit()
        after_id = batch[-1][0].id
        done += len(batch)
        yield BatchProgress(analyzed=len(batch), last_id=after_id, done=done)
