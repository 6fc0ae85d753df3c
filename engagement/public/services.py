"""Queries and actions behind the family pages (no request objects here)."""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass(eq=False)
class CachedForm:
    """One engagement as the family pages show it in one locale, at one version."""

    engagement: Engagement
    version: datetime  # the engagement's updated_at when it was loaded
    # What the views derive from it for one District (form class, blank pages).
    memo: dict = field(default_factory=dict)
    district: object = None

    def memo_for(self, district: "District") -> dict:
        """The views' memo for this copy with `district`'s groups and schools; emptied when
        those change."""
        if self.district is not district.signature:
            self.memo, self.district = {}, district.signature
        return self.memo


# Built once: this runs on every family page.
CURRENT_VERSION = sa.select(Engagement.id, Engagement.updated_at).where(
    Engagement.slug == sa.bindparam("slug")
)


class FormCache:
    """Engagements as the family pages show them, kept per process.

    Keyed by (engagement id, updated_at, locale): one small query per request checks the
    key, and any change to the engagement or its texts, questions or options moves
    updated_at (see engagement.models.engagement), so an edited, closed or reopened
    engagement is never served from an old copy. Cached graphs are detached from every
    session: read-only, safe to share between a worker's threads.

    `latest` gives the copy this process last checked, with no query at all: for a form
    being sent, whose INSERT itself checks that the version is still current
    (engagement.submissions), and for the thank-you page that follows it.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._latest: dict = {}
        self._lock = threading.Lock()

    def get(self, slug: str, locale: str) -> Engagement | None:
        """The engagement `slug` with the texts for `locale`, from the cache when current."""
        entry = self.current(slug, locale)
        return entry.engagement if entry is not None else None

    def current(self, slug: str, locale: str) -> CachedForm | None:
        """The cached form of `slug` in `locale`, checked against the database (one query)."""
        row = db.session.execute(CURRENT_VERSION, {"slug": slug}).first()
        if row is None:
            return None
        key = (row.id, row.updated_at, locale)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self._latest[(slug, locale)] = key
                return self._entries[key]
        # Loaded in a session of its own, closed at once: the graph is detached and fully
        # loaded, and the request's session (and anything it holds) is left alone. It runs on
        # the request's own connection, so a request never holds two of the pool's
        # connections (with pool = threads, a cold cache in every thread would wait forever).
        with Session(bind=db.session.connection()) as session:
            engagement = engagement_by_slug(slug, locale, session)
        if engagement is None:
            return None
        entry = CachedForm(engagement, engagement.updated_at)
        if (engagement.id, engagement.updated_at) == (row.id, row.updated_at):
            with self._lock:
                self._entries[key] = entry
                self._latest[(slug, locale)] = key
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return entry

    def latest(self, slug: str, locale: str) -> CachedForm | None:
        """The copy of `slug` in `locale` this process last checked, without a query; None
        if it has none. Only for callers that check its `version` themselves."""
        with self._lock:
            key = self._latest.get((slug, locale))
            return self._entries.get(key) if key is not None else None


def _form_cache() -> FormCache:
    return current_app.extensions.setdefault("engagement.form_cache", FormCache())


def form_engagement(slug: str, locale: str) -> Engagement | None:
    """The engagement for a family page, through this app's cache."""
    return _form_cache().get(slug, locale)


def current_form(slug: str, locale: str) -> CachedForm | None:
    """The cached form of `slug` in `locale`, checked to be current (one query)."""
    return _form_cache().current(slug, locale)


def latest_form(slug: str, locale: str) -> CachedForm | None:
    """The copy of the form this process last checked, with no query (see FormCache)."""
    return _form_cache().latest(slug, locale)


# Schools and stakeholder groups change only when `flask seed` runs (a deploy): each process
# reads them again after this many seconds, instead of on every family page.
DISTRICT_SECONDS = 60


@dataclass(frozen=True, eq=False)
class District:
    """The district's groups and schools as the family form offers them (detached rows)."""

    groups: list[StakeholderGroup]
    schools: list[School]
    loaded_at: float
    # What the form shows of them: unchanged content keeps the same object across reloads.
    signature: tuple


def district() -> District:
    """Groups and schools for the family form, read at most every DISTRICT_SECONDS."""
    cached = current_app.extensions.get("engagement.district")
    now = time.monotonic()
    if cached is not None and now - cached.loaded_at < DISTRICT_SECONDS:
        return cached
    group_query = sa.select(StakeholderGroup).order_by(
        sa.case((StakeholderGroup.kind == GroupKind.COUNCIL, 1), else_=0),
        StakeholderGroup.position,
        StakeholderGroup.id,
    )
    school_query = sa.select(School).order_by(School.position, School.id)
    # Its own session, closed at once: detached, fully loaded rows shared by all threads. It
    # runs on the request's own connection, like the form cache: a second connection from the
    # pool (pool = threads) would leave two threads each holding one and waiting for another.
    with Session(bind=db.session.connection()) as session:
        groups = list(session.scalars(group_query))
        schools = list(session.scalars(school_query))
    signature = (
        tuple((g.id, g.kind, g.position, sorted((g.names or {}).items())) for g in groups),
        tuple((s.id, s.name, s.position) for s in schools),
    )
    if cached is not None and cached.signature == signature:
        signature = cached.signature  # the same object: memos keyed on it stay valid
    fresh = District(groups, schools, now, signature)
    current_app.extensions["engagement.district"] = fresh
    return fresh


def form_groups() -> list[StakeholderGroup]:
    """Stakeholder groups a family can say it belongs to: roles, community, councils."""
    return district().groups


def form_schools() -> list[School]:
    """The district's schools in their usual order."""
    return district().schools


def school_by_code(code: str | None) -> School | None:
    """The district's school with this code (a tracked link's `school=`), or None."""
    if not code:
        return None
    return next((school for school in district().schools if school.code == code), None)


def submit(
    engagement: Engagement,
    form,
    locale: str,
    nonce: str,
    held_reason: HoldReason | None = None,
    version: datetime | None = None,
) -> Response:
    """Store a validated family form through the one submission service, once per form
    token (`nonce`, see engagement.public.tokens); screened for repeated text. With
    `version`, only while the engagement is still at that updated_at (else
    EngagementChanged). The form checked the groups against the district's."""
    source = school_by_code(form.source.data)
    submission = Submission(
        locale=locale,
        channel=Channel(form.channel.data),
        answers=form.answers(),
        group_ids=form.group_ids(),
        school_id=form.school_id(),
        source_school_id=source.id if source is not None else None,
        race_ethnicity=form.race(),
        idempotency_key=nonce,
        contact=form.contact(),
        screened=True,
        held_reason=held_reason,
        engagement_version=version,
        groups_checked=True,
    )
    return record_response(engagement, submission)
