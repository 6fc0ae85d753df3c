"""Held responses: suspicious family answers are stored, but kept out of every count until
staff release them. Nothing is dropped and a family is never refused.

Two patterns hold a response sent through the family form:

- the same written text (normalised: case, spaces, punctuation) sent DUPLICATE_TEXT_LIMIT
  or more times to one engagement within DUPLICATE_TEXT_MINUTES, from any address, for a
  text of at least MIN_FINGERPRINT_LENGTH characters. Every copy in the window is held,
  the earlier ones too (unless staff already decided on them);
- a form sent less than FORM_MIN_SECONDS after its page was served (machine speed; the
  view decides this from the form token, see engagement.public.tokens).

A held response keeps its reason and time. Staff release it (it counts from then on) or
set it aside (it stays out, kept). `Response.counted` is the one SQL condition that every
count shown to people applies.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from engagement import aggregates, audit
from engagement.extensions import db
from engagement.models import (
    Answer,
    Engagement,
    HoldReason,
    HoldState,
    Question,
    QuestionOption,
    Response,
)

# Short answers ("No", "Nothing to add", "n/a") repeat by nature; they are never compared.
MIN_FINGERPRINT_LENGTH = 15

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """`text` compared loosely: compatibility forms folded, case folded, punctuation and
    symbols dropped, runs of spaces made one."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def text_fingerprint(text: str | None) -> str | None:
    """A short hash of the normalised text, or None for a text too short to compare."""
    if not text:
        return None
    normal = normalise(text)
    if len(normal) < MIN_FINGERPRINT_LENGTH:
        return None
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:32]


def _copies(engagement_id: int, fingerprints: list[str], since: datetime):
    """The responses of the engagement since `since` with one of these texts (a subquery)."""
    return (
        sa.select(Answer.response_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.text_fingerprint.in_(fingerprints),
            Response.engagement_id == engagement_id,
            Response.submitted_at >= since,
        )
    )


def duplicate_window(now: datetime) -> datetime:
    """The start of the window in which repeated texts are counted."""
    return now - timedelta(minutes=int(current_app.config["DUPLICATE_TEXT_MINUTES"]))


def is_duplicate_burst(engagement_id: int, fingerprints: list[str], now: datetime) -> bool:
    """True when this submission would be at least the DUPLICATE_TEXT_LIMIT-th copy of one
    of its texts in the window. One indexed query (answer.text_fingerprint)."""
    if not fingerprints:
        return False
    copies = _copies(engagement_id, fingerprints, duplicate_window(now)).distinct().subquery()
    earlier = db.session.scalar(sa.select(sa.func.count()).select_from(copies)) or 0
    return earlier + 1 >= int(current_app.config["DUPLICATE_TEXT_LIMIT"])


def burst_condition(engagement_id, fingerprints, since, limit):
    """is_duplicate_burst as a SQL condition, for the response's own INSERT to decide
    (engagement.submissions) without a query of its own. Takes SQL values (bound
    parameters), so that the statement is built once: `fingerprints` an expanding one,
    `since` the window's start (duplicate_window), `limit` DUPLICATE_TEXT_LIMIT."""
    copies = _copies(engagement_id, fingerprints, since).distinct().subquery()
    earlier = sa.select(sa.func.count()).select_from(copies).scalar_subquery()
    return earlier + 1 >= limit


def hold_earlier_copies(engagement_id: int, fingerprints: list[str], now: datetime) -> None:
    """Hold the earlier copies in the window that were counted and never reviewed (inside
    the caller's transaction)."""
    copies = _copies(engagement_id, fingerprints, duplicate_window(now))
    waiting = (Response.id.in_(copies), Response.hold_state.is_(None))
    # Held answers count nowhere: out of the engagement's counts first (engagement.aggregates).
    aggregates.remove_where(*waiting)
    db.session.execute(
        sa.update(Response)
        .where(*waiting)
        .values(held_reason=HoldReason.DUPLICATE_TEXT, held_at=now, hold_state=HoldState.HELD)
        .execution_options(synchronize_session=False)
    )


# --------------------------------------------------------------------------------------
# Staff review
# --------------------------------------------------------------------------------------


def waiting_count() -> int:
    """How many responses wait for staff review."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(Response.hold_state == HoldState.HELD)
        )
        or 0
    )


@dataclass
class HeldResponse:
    id: int
    held_reason: HoldReason
    held_at: datetime
    submitted_at: datetime
    locale: str
    # (question, choice code or None, text or None), in question order
    answers: list[tuple] = field(default_factory=list)


@dataclass
class HeldGroup:
    engagement: Engagement
    responses: list[HeldResponse] = field(default_factory=list)


def waiting_by_engagement(limit: int = 500) -> tuple[list[HeldGroup], int]:
    """The oldest `limit` responses waiting for review, grouped by engagement, with their
    answers; and how many wait in all. A few queries, whatever the number shown."""
    total = waiting_count()
    rows = db.session.execute(
        sa.select(
            Response.id,
            Response.engagement_id,
            Response.held_reason,
            Response.held_at,
            Response.submitted_at,
            Response.locale,
        )
        .where(Response.hold_state == HoldState.HELD)
        .order_by(Response.held_at, Response.id)
        .limit(limit)
    ).all()
    if not rows:
        return [], total
    held = {row.id: HeldResponse(row.id, *row[2:]) for row in rows}
    engagement_of = {row.id: row.engagement_id for row in rows}
    answers = db.session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.choice, Answer.text)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_(list(held)))
        .order_by(Answer.response_id, Question.position, Answer.id)
    ).all()
    engagements = {
        e.id: e
        for e in db.session.scalars(
            sa.select(Engagement)
            .where(Engagement.id.in_(set(engagement_of.values())))
            .options(
                selectinload(Engagement.texts),
                selectinload(Engagement.questions).selectinload(Question.texts),
                selectinload(Engagement.questions)
                .selectinload(Question.options)
                .selectinload(QuestionOption.texts),
            )
        )
    }
    questions = {q.id: q for e in engagements.values() for q in e.questions}
    for response_id, question_id, choice, text in answers:
        held[response_id].answers.append((questions[question_id], choice, text))
    groups: dict[int, HeldGroup] = {}
    for response_id, item in held.items():
        engagement = engagements[engagement_of[response_id]]
        groups.setdefault(engagement.id, HeldGroup(engagement)).responses.append(item)
    return list(groups.values()), total


def decide(response_ids, state: HoldState) -> int:
    """Release or set aside the given responses that wait for review; audited, one row per
    engagement. Returns how many changed (ids not waiting are left alone)."""
    if state not in (HoldState.RELEASED, HoldState.SET_ASIDE):
        raise ValueError(f"not a decision: {state}")
    ids = sorted({int(i) for i in response_ids})
    if not ids:
        return 0
    rows = db.session.execute(
        sa.select(Response.id, Engagement.slug)
        .join(Engagement, Engagement.id == Response.engagement_id)
        .where(Response.id.in_(ids), Response.hold_state == HoldState.HELD)
        .with_for_update(of=Response)
    ).all()
    if not rows:
        return 0
    changed = [row.id for row in rows]
    with aggregates.tracked(changed):
        db.session.execute(
            sa.update(Response)
            .where(Response.id.in_(changed), Response.hold_state == HoldState.HELD)
            .values(hold_state=state)
            .execution_options(synchronize_session=False)
        )
    by_engagement: dict[str, list[int]] = {}
    for response_id, slug in rows:
        by_engagement.setdefault(slug, []).append(response_id)
    action = "held.release" if state == HoldState.RELEASED else "held.set_aside"
    for slug, response_ids_of in by_engagement.items():
        audit.record(
            action,
            target=slug,
            details={"response_ids": response_ids_of},
            row_count=len(response_ids_of),
            commit=False,
        )
    db.session.commit()
    return len(changed)
