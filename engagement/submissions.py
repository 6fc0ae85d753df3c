"""Storing a response: every answer in one transaction, each submission at most once.

Used by the family form, the staff event mode (comment cards) and the demo data, so that
all channels validate and store answers the same way. Family-form submissions are screened
(engagement.holds): a suspicious one is stored, but held out of every count for review.
"""

import functools
import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import make_transient_to_detached

from engagement import aggregates, holds
from engagement.extensions import db
from engagement.models import (
    Answer,
    Channel,
    Engagement,
    FollowUpContact,
    FollowUpReason,
    HoldReason,
    HoldState,
    QuestionKind,
    QuoteState,
    RaceEthnicity,
    Response,
    StakeholderGroup,
    new_receipt_code,
    response_group,
    utcnow,
    utcnow_minute,
)
from engagement.models.base import to_minute
from engagement.models.response import demo_data_counts
from engagement.themes.codebook import get_codebook
from engagement.themes.pipeline import Analysis, analyze
from engagement.themes.store import active_model, enqueue_follow_up, insert_analyses
from engagement.themes.urgent import queue_reason

# SQLite allows one writer at a time; busy_timeout covers most waits, this covers the rest.
LOCK_RETRIES = 5


class SubmissionError(ValueError):
    """The submission does not fit the engagement (unknown question, invalid choice, ...)."""


@dataclass
class Submission:
    locale: str
    channel: Channel
    # question id -> option code (single, likert, rating), list of codes (multi) or text (open)
    answers: dict[int, str | list[str]]
    group_ids: list[int] = field(default_factory=list)
    school_id: int | None = None
    # The school of the tracked invitation link the family followed (never who answered).
    source_school_id: int | None = None
    race_ethnicity: RaceEthnicity | None = None
    idempotency_key: str | None = None
    event_id: int | None = None
    is_demo: bool = False
    submitted_at: datetime | None = None
    contact: dict | None = None
    # Comment cards from events answer one question: the form's required questions don't apply.
    partial: bool = False
    # Family-form submissions are checked for repeated text (engagement.holds); cards typed
    # by staff and demo data are not.
    screened: bool = False
    # Held for review from the start (e.g. a form sent at machine speed); None to count.
    held_reason: HoldReason | None = None
    # The engagement's updated_at that the answers were checked against (the family form's
    # cached copy): nothing is stored if it changed since (EngagementChanged).
    engagement_version: datetime | None = None
    # group_ids are known groups already (the family form checked them against its
    # choices): no lookup.
    groups_checked: bool = False


def is_blank(value) -> bool:
    """True for no answer: nothing, an empty list, or text that is empty or only spaces."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def build_answers(engagement: Engagement, answers: dict, check_required=True) -> list[dict]:
    """Answer rows (dicts of question_id, choice, text) for `answers`, refusing questions of
    other engagements, unknown codes, and required questions left blank."""
    questions = {q.id: q for q in engagement.questions if not q.hidden}
    rows = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise SubmissionError(f"question {question_id} is not part of {engagement.slug}")
        if is_blank(value):
            continue
        if question.kind == QuestionKind.OPEN_TEXT:
            if not isinstance(value, str):
                raise SubmissionError(f"question {question.code} takes text")
            rows.append({"question_id": question.id, "choice": None, "text": value})
            continue
        codes = value if isinstance(value, list) else [value]
        if question.kind != QuestionKind.MULTI_CHOICE and len(codes) > 1:
            raise SubmissionError(f"question {question.code} takes one choice")
        allowed = set(question.choice_codes)
        for code in dict.fromkeys(codes):
            if code not in allowed:
                raise SubmissionError(f"{code!r} is not a choice of {question.code}")
            rows.append({"question_id": question.id, "choice": code, "text": None})
    # Answered means a row was made: a blank answer counts as no answer.
    answered = {row["question_id"] for row in rows}
    missing = [q.code for q in questions.values() if q.required and q.id not in answered]
    if missing and check_required:
        raise SubmissionError(f"required questions unanswered: {', '.join(missing)}")
    return rows


def find_by_idempotency_key(key: str | None) -> Response | None:
    if not key:
        return None
    return db.session.scalar(sa.select(Response).where(Response.idempotency_key == key))


class EngagementChanged(SubmissionError):
    """The engagement is no longer the version the answers were checked against (edited,
    closed or deleted since): nothing was stored."""


def record_response(engagement: Engagement, submission: Submission) -> Response:
    """Store `submission` in one transaction and return the response.

    A second call with the same idempotency key returns the first response unchanged: the
    unique key refuses the second copy, and only then is the first one looked up, so that a
    first submission costs no lookup. The returned response is attached to the session
    without being read back; what it was stored with is set on it, anything else (its
    answers, groups) loads on first use.
    """
    engagement_id = engagement.id
    version = submission.engagement_version
    # Text analysis is CPU work: do it before the write transaction, not while holding
    # SQLite's write lock.
    analyses = analyze_texts(engagement, submission)
    fingerprints = {
        question_id: holds.text_fingerprint(value)
        for question_id, value in submission.answers.items()
        if question_id in analyses
    }
    fingerprints = {qid: fp for qid, fp in fingerprints.items() if fp}
    now = utcnow()
    # The repeated-text check is part of the response's INSERT (see _insert); a response
    # already held for another reason needs the answer on its own.
    burst = None
    if submission.screened and fingerprints and submission.held_reason is not None:
        burst = holds.is_duplicate_burst(engagement_id, sorted(set(fingerprints.values())), now)
    elif not (submission.screened and fingerprints):
        burst = False
    for attempt in range(LOCK_RETRIES):
        try:
            stored = _insert(engagement, submission, analyses, fingerprints, burst, now, version)
            db.session.commit()
            return _attached(stored)
        except IntegrityError:
            db.session.rollback()
            existing = find_by_idempotency_key(submission.idempotency_key)
            if existing is not None:
                return existing
            # Otherwise a receipt-code collision (1 in 10^11): try again with a new code.
        except SubmissionError:
            db.session.rollback()
            # A form sent again after it changed: the first copy, if stored, still stands.
            existing = find_by_idempotency_key(submission.idempotency_key)
            if existing is not None:
                return existing
            raise
        except OperationalError as error:
            db.session.rollback()
            # SQLite's write lock, or PostgreSQL breaking a deadlock between two bursts
            # holding each other's earlier copies: both are worth another try.
            message = str(error.orig).lower()
            transient = "locked" in message or "deadlock" in message
            if not transient or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(0.05 * (2**attempt))
        engagement = db.session.get(Engagement, engagement_id)
        if engagement is None:
            raise EngagementChanged(f"engagement {engagement_id} is gone")
        # The retry checks the answers against the engagement as it is now.
        version = engagement.updated_at if version is not None else None
    raise RuntimeError("could not store the response")


def analyze_texts(engagement: Engagement, submission: Submission) -> dict[int, Analysis]:
    """{question id: analysis} for the open-text answers of `submission`."""
    open_ids = {q.id for q in engagement.questions if q.kind == QuestionKind.OPEN_TEXT}
    codebook = get_codebook()
    model = active_model()
    return {
        question_id: analyze(value, submission.locale, codebook, model)
        for question_id, value in submission.answers.items()
        if question_id in open_ids and isinstance(value, str) and value.strip()
    }


def _insert(
    engagement: Engagement,
    submission: Submission,
    analyses: dict,
    fingerprints: dict | None = None,
    burst: bool | None = False,
    now=None,
    version: datetime | None = None,
) -> dict:
    """Write the response, its groups, answers and text analyses (inside the caller's
    transaction), one statement per table; return the response's stored values.

    `fingerprints` ({question id: text fingerprint}) are stored with the written answers.
    `burst` holds this response and the earlier copies of its text (engagement.holds);
    None lets the response's INSERT count the earlier copies itself. With `version`, the
    INSERT stores nothing unless the engagement's updated_at is still `version`
    (EngagementChanged)."""
    fingerprints = fingerprints or {}
    now = now or utcnow()
    answers = build_answers(engagement, submission.answers, not submission.partial)
    group_ids = list(dict.fromkeys(submission.group_ids))
    if group_ids and not submission.groups_checked:
        group_ids = list(
            db.session.scalars(
                sa.select(StakeholderGroup.id).where(StakeholderGroup.id.in_(group_ids))
            )
        )
    values = {
        "engagement_id": engagement.id,
        "locale": submission.locale,
        "channel": submission.channel,
        "school_id": submission.school_id,
        "source_school_id": submission.source_school_id,
        "race_ethnicity": submission.race_ethnicity,
        "idempotency_key": submission.idempotency_key,
        "event_id": submission.event_id,
        "is_demo": submission.is_demo,
        "submitted_at": to_minute(submission.submitted_at or now),
        "receipt_code": new_receipt_code(),
    }
    held_reason = submission.held_reason or (HoldReason.DUPLICATE_TEXT if burst else None)
    screen = burst is None and held_reason is None
    params = {f"r_{name}": value for name, value in values.items()}
    params.update(r_now=now, r_version=version, r_reason=held_reason)
    if screen:
        params.update(
            r_fingerprints=sorted(set(fingerprints.values())),
            r_since=holds.duplicate_window(now),
            r_limit=int(current_app.config["DUPLICATE_TEXT_LIMIT"]),
        )
    row = db.session.execute(_response_insert(screen, version is not None), params).one_or_none()
    if row is None:
        raise EngagementChanged(f"{engagement.slug} changed since the form was checked")
    values["id"], values["held_reason"] = row.id, row.held_reason
    held = values["held_reason"] is not None
    values["held_at"] = now if held else None
    values["hold_state"] = HoldState.HELD if held else None
    if burst or (burst is None and held):
        holds.hold_earlier_copies(engagement.id, sorted(set(fingerprints.values())), now)
    response_id = values["id"]
    if submission.contact:
        db.session.execute(
            sa.insert(FollowUpContact.__table__).values(
                response_id=response_id,
                preferred_locale=submission.locale,
                consented_at=utcnow_minute(),
                **submission.contact,
            )
        )
    if group_ids:
        db.session.execute(
            sa.insert(response_group),
            [{"response_id": response_id, "group_id": g} for g in group_ids],
        )
    _count(values, answers, analyses, group_ids)
    if not answers:
        if submission.contact:
            enqueue_follow_up(response_id, FollowUpReason.CONTACT_REQUEST, None, now)
        return values
    # Written answers are one row per question, so RETURNING's question_id names each id
    # whatever order the rows come back in (no per-row ordering needed: one statement).
    inserted = db.session.execute(
        sa.insert(Answer.__table__).returning(Answer.id, Answer.question_id),
        [
            {
                "response_id": response_id,
                "question_id": row["question_id"],
                "choice": row["choice"],
                "text": row["text"],
                "quote_state": QuoteState.PENDING,
                "text_fingerprint": fingerprints.get(row["question_id"]) if row["text"] else None,
            }
            for row in answers
        ],
    ).all()
    written = {row["question_id"] for row in answers if row["text"] is not None}
    # Stored in the same transaction, so a summary never misses an accepted answer.
    by_answer = {
        answer_id: analyses[qid]
        for answer_id, qid in inserted
        if qid in written and qid in analyses
    }
    insert_analyses(by_answer, get_codebook().version)
    # A comment that needs a person, or contact details given: one insert; else none.
    reason, flagged = queue_reason(by_answer, bool(submission.contact))
    if reason is not None:
        enqueue_follow_up(response_id, reason, flagged, now)
    return values


RESPONSE_VALUES = (
    "engagement_id",
    "locale",
    "channel",
    "school_id",
    "source_school_id",
    "race_ethnicity",
    "idempotency_key",
    "event_id",
    "is_demo",
    "submitted_at",
    "receipt_code",
)


@functools.cache
def _response_insert(screen: bool, versioned: bool):
    """INSERT INTO response ... SELECT ... FROM engagement, built once per shape (its values
    are bound parameters named r_<column>). It stores the row only while the engagement
    exists (and is still at r_version, when `versioned`); with `screen`, it counts the
    earlier copies of the texts itself (engagement.holds) and holds the row when this one
    is one too many, else it stores r_reason. Returns (id, held_reason)."""
    table = Response.__table__

    def param(name, column):
        return sa.bindparam(f"r_{name}", type_=table.c[column].type)

    columns = {name: param(name, name) for name in RESPONSE_VALUES}
    now = param("now", "held_at")
    if screen:
        repeated = holds.burst_condition(
            columns["engagement_id"],
            sa.bindparam("r_fingerprints", expanding=True),
            param("since", "submitted_at"),
            sa.bindparam("r_limit", type_=sa.Integer()),
        )
        reason = sa.literal(HoldReason.DUPLICATE_TEXT, table.c.held_reason.type)
        state = sa.literal(HoldState.HELD, table.c.hold_state.type)
        columns["held_reason"] = sa.case((repeated, reason), else_=sa.null())
        columns["held_at"] = sa.case((repeated, now), else_=sa.null())
        columns["hold_state"] = sa.case((repeated, state), else_=sa.null())
    else:
        # Cast: PostgreSQL cannot type a parameter that is only tested for NULL.
        reason = sa.cast(param("reason", "held_reason"), table.c.held_reason.type)
        state = sa.literal(HoldState.HELD, table.c.hold_state.type)
        columns["held_reason"] = reason
        columns["held_at"] = sa.case((reason.is_not(None), now), else_=sa.null())
        columns["hold_state"] = sa.case((reason.is_not(None), state), else_=sa.null())
    engagement = Engagement.__table__
    source = (
        sa.select(*(expression.label(name) for name, expression in columns.items()))
        .select_from(engagement)
        .where(engagement.c.id == columns["engagement_id"])
    )
    if versioned:
        source = source.where(engagement.c.updated_at == param("version", "submitted_at"))
    return (
        sa.insert(table)
        .from_select(list(columns), source)
        .returning(table.c.id, table.c.held_reason)
    )


def _attached(values: dict) -> Response:
    """The stored response as a session object, built from what was written (no SELECT)."""
    response = Response(**values)
    make_transient_to_detached(response)
    db.session.add(response)
    return response


def _count(values: dict, answers, analyses, group_ids) -> None:
    """Add the stored response to its engagement's counts (engagement.aggregates): one
    statement. A held response counts nothing until staff release it."""
    facts = None
    if values["hold_state"] is None and (not values["is_demo"] or demo_data_counts()):
        race = values["race_ethnicity"]
        facts = aggregates.Facts(
            values["engagement_id"],
            values["locale"],
            str(values["channel"]),
            values["school_id"],
            None if race is None else str(race),
            values["event_id"] is not None,
            list(group_ids),
        )
        for row in answers:
            if row["choice"] is not None:
                facts.choices.append((row["question_id"], row["choice"]))
            elif row["text"] is not None:
                analysis = analyses.get(row["question_id"])
                facts.written.append(
                    aggregates.Written(
                        True,
                        analysis.lang if analysis else None,
                        analysis.sentiment if analysis else None,
                        list(dict.fromkeys(analysis.themes)) if analysis else [],
                    )
                )
    aggregates.record(values["id"], facts, values["engagement_id"])
