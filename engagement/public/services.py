"""Queries and actions behind the family pages (no request objects here)."""

import threading
from collections import OrderedDict

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, selectinload

from engagement.extensions import db
from engagement.models import (
    SOURCE_LOCALE,
    Channel,
    Engagement,
    EngagementText,
    GroupKind,
    HoldReason,
    LoopAction,
    OptionText,
    PublicState,
    Question,
    QuestionOption,
    QuestionText,
    Response,
    School,
    StakeholderGroup,
    utcnow,
)
from engagement.submissions import Submission, record_response


def open_engagements() -> list[Engagement]:
    """Engagements families can answer now, soonest closing first."""
    query = (
        sa.select(Engagement)
        .where(Engagement.is_accepting(utcnow()))
        .options(
            selectinload(Engagement.texts),
            selectinload(Engagement.school),
            selectinload(Engagement.council),
        )
        .order_by(Engagement.closes_at.is_(None), Engagement.closes_at, Engagement.id)
    )
    return list(db.session.scalars(query))


def closed_with_actions(limit: int = 10) -> list[Engagement]:
    """Closed engagements (by staff or at their end date) that have "you said, we did"
    notes, newest first."""
    has_actions = sa.exists().where(LoopAction.engagement_id == Engagement.id)
    query = (
        sa.select(Engagement)
        .where(Engagement.public_state(utcnow()) == PublicState.CLOSED, has_actions)
        .options(
            selectinload(Engagement.texts),
            selectinload(Engagement.school),
            selectinload(Engagement.council),
        )
        .order_by(Engagement.closes_at.desc().nulls_last(), Engagement.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def published_loop_actions(engagement_ids) -> dict[int, list[LoopAction]]:
    """The "you said, we did" notes of each engagement as families see them, in order."""
    ids = list(engagement_ids)
    result: dict[int, list[LoopAction]] = {i: [] for i in ids}
    if not ids:
        return result
    query = (
        sa.select(LoopAction)
        .where(LoopAction.engagement_id.in_(ids))
        .options(selectinload(LoopAction.texts))
        .order_by(LoopAction.position, LoopAction.id)
    )
    for action in db.session.scalars(query):
        result[action.engagement_id].append(action)
    return result


def engagement_by_slug(slug: str, locale: str, session=None) -> Engagement | None:
    """The engagement with its questions and options, and only the texts a page in `locale`
    can show: that locale's and the English fallback."""
    shown = (locale, SOURCE_LOCALE)
    questions = selectinload(Engagement.questions)
    options = [
        selectinload(Engagement.texts.and_(EngagementText.locale.in_(shown))),
        selectinload(Engagement.school),
        selectinload(Engagement.council),
        questions.selectinload(Question.texts.and_(QuestionText.locale.in_(shown))),
        questions.selectinload(Question.options).selectinload(
            QuestionOption.texts.and_(OptionText.locale.in_(shown))
        ),
    ]
    # populate_existing: the same session may hold a fully loaded copy (tests, CLI).
    query = sa.select(Engagement).where(Engagement.slug == slug).options(*options)
    return (session or db.session).scalar(query.execution_options(populate_existing=True))


class FormCache:
    """Engagements as the family pages show them, kept per process.

    Keyed by (engagement id, updated_at, locale): one small query per request checks the
    key, and any change to the engagement or its texts, questions or options moves
    updated_at (see engagement.models.engagement), so an edited, closed or reopened
    engagement is never served from an old copy. Cached graphs are detached from every
    session: read-only, safe to share between a worker's threads.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, slug: str, locale: str) -> Engagement | None:
        """The engagement `slug` with the texts for `locale`, from the cache when current."""
        row = db.session.execute(
            sa.select(Engagement.id, Engagement.updated_at).where(Engagement.slug == slug)
        ).first()
        if row is None:
            return None
        key = (row.id, row.updated_at, locale)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        # Loaded in a session of its own, closed at once: the graph is detached and fully
        # loaded, and the request's session (and anything it holds) is left alone. It runs on
        # the request's own connection, so a request never holds two of the pool's
        # connections (with pool = threads, a cold cache in every thread would wait forever).
        with Session(bind=db.session.connection()) as session:
            engagement = engagement_by_slug(slug, locale, session)
        if engagement is None:
            return None
        if (engagement.id, engagement.updated_at) == (row.id, row.updated_at):
            with self._lock:
                self._entries[key] = engagement
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return engagement


def form_engagement(slug: str, locale: str) -> Engagement | None:
    """The engagement for a family page, through this app's cache."""
    cache = current_app.extensions.setdefault("engagement.form_cache", FormCache())
    return cache.get(slug, locale)


def form_groups() -> list[StakeholderGroup]:
    """Stakeholder groups a family can say it belongs to: roles, community, councils."""
    query = sa.select(StakeholderGroup).order_by(
        sa.case((StakeholderGroup.kind == GroupKind.COUNCIL, 1), else_=0),
        StakeholderGroup.position,
        StakeholderGroup.id,
    )
    return list(db.session.scalars(query))


def form_schools() -> list[School]:
    """The district's schools in their usual order."""
    return list(db.session.scalars(sa.select(School).order_by(School.position, School.id)))


def submit(
    engagement: Engagement,
    form,
    locale: str,
    nonce: str,
    held_reason: HoldReason | None = None,
) -> Response:
    """Store a validated family form through the one submission service, once per form
    token (`nonce`, see engagement.public.tokens); screened for repeated text."""
    submission = Submission(
        locale=locale,
        channel=Channel(form.channel.data),
        answers=form.answers(),
        group_ids=form.group_ids(),
        school_id=form.school_id(),
        race_ethnicity=form.race(),
        idempotency_key=nonce,
        contact=form.contact(),
        screened=True,
        held_reason=held_reason,
    )
    return record_response(engagement, submission)
