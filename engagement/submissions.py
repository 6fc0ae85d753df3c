"""Storing a response: every answer in one transaction, each submission at most once.

Used by the family form, the staff event mode (comment cards) and the demo data, so that
all channels validate and store answers the same way. Family-form submissions are screened
(engagement.holds): a suspicious one is stored, but held out of every count for review.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from engagement import holds
from engagement.extensions import db
from engagement.models import (
    Answer,
    Channel,
    Engagement,
    FollowUpContact,
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
from engagement.themes.codebook import get_codebook
from engagement.themes.pipeline import Analysis, analyze
from engagement.themes.store import active_model, insert_analyses

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


def record_response(engagement: Engagement, submission: Submission) -> Response:
    """Store `submission` in one transaction and return the response.

    A second call with the same idempotency key returns the first response unchanged.
    """
    existing = find_by_idempotency_key(submission.idempotency_key)
    if existing is not None:
        return existing
    engagement_id = engagement.id
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
    burst = submission.screened and holds.is_duplicate_burst(
        engagement_id, sorted(set(fingerprints.values())), now
    )
    for attempt in range(LOCK_RETRIES):
        try:
            response = _insert(engagement, submission, analyses, fingerprints, burst, now)
            db.session.commit()
            return response
        except IntegrityError:
            db.session.rollback()
            existing = find_by_idempotency_key(submission.idempotency_key)
            if existing is not None:
                return existing
            # Otherwise a receipt-code collision (1 in 10^11): try again with a new code.
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
    burst: bool = False,
    now=None,
) -> Response:
    """Write the response, its groups, answers and text analyses (inside the caller's
    transaction). Child rows go in as multi-row Core inserts: one statement per table.

    `fingerprints` ({question id: text fingerprint}) are stored with the written answers;
    `burst` holds this response and the earlier copies of its text (engagement.holds)."""
    fingerprints = fingerprints or {}
    now = now or utcnow()
    answers = build_answers(engagement, submission.answers, not submission.partial)
    held_reason = submission.held_reason or (HoldReason.DUPLICATE_TEXT if burst else None)
    group_ids = []
    if submission.group_ids:
        group_ids = list(
            db.session.scalars(
                sa.select(StakeholderGroup.id).where(StakeholderGroup.id.in_(submission.group_ids))
            )
        )
    response = Response(
        engagement_id=engagement.id,
        locale=submission.locale,
        channel=submission.channel,
        school_id=submission.school_id,
        race_ethnicity=submission.race_ethnicity,
        idempotency_key=submission.idempotency_key,
        event_id=submission.event_id,
        is_demo=submission.is_demo,
        submitted_at=submission.submitted_at or now,
        receipt_code=new_receipt_code(),
        held_reason=held_reason,
        held_at=now if held_reason else None,
        hold_state=HoldState.HELD if held_reason else None,
    )
    db.session.add(response)
    if submission.contact:
        db.session.add(
            FollowUpContact(
                response=response,
                preferred_locale=submission.locale,
                consented_at=utcnow_minute(),
                **submission.contact,
            )
        )
    db.session.flush()
    if burst:
        holds.hold_earlier_copies(engagement.id, sorted(set(fingerprints.values())), now)
    if group_ids:
        db.session.execute(
            sa.insert(response_group),
            [{"response_id": response.id, "group_id": g} for g in group_ids],
        )
    if not answers:
        return response
    inserted = db.session.execute(
        sa.insert(Answer).returning(Answer.id, Answer.question_id, sort_by_parameter_order=True),
        [
            {
                "response_id": response.id,
                "quote_state": QuoteState.PENDING,
                "text_fingerprint": fingerprints.get(row["question_id"]) if row["text"] else None,
                **row,
            }
            for row in answers
        ],
    ).all()
    # Stored in the same transaction, so a summary never misses an accepted answer.
    insert_analyses(
        {answer_id: analyses[qid] for answer_id, qid in inserted if qid in analyses},
        get_codebook().version,
    )
    return response
