"""Queries and actions behind the family pages (no request objects here)."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from engagement.extensions import db
from engagement.models import (
    SOURCE_LOCALE,
    Channel,
    Engagement,
    EngagementStatus,
    EngagementText,
    GroupKind,
    LoopAction,
    OptionText,
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
    now = utcnow()
    query = (
        sa.select(Engagement)
        .where(
            Engagement.status == EngagementStatus.OPEN,
            sa.or_(Engagement.opens_at.is_(None), Engagement.opens_at <= now),
            sa.or_(Engagement.closes_at.is_(None), Engagement.closes_at > now),
        )
        .options(
            selectinload(Engagement.texts),
            selectinload(Engagement.school),
            selectinload(Engagement.council),
        )
        .order_by(Engagement.closes_at.is_(None), Engagement.closes_at, Engagement.id)
    )
    return list(db.session.scalars(query))


def closed_with_actions(limit: int = 10) -> list[Engagement]:
    """Closed engagements that have "you said, we did" notes, newest first."""
    has_actions = sa.exists().where(LoopAction.engagement_id == Engagement.id)
    query = (
        sa.select(Engagement)
        .where(Engagement.status == EngagementStatus.CLOSED, has_actions)
        .options(
            selectinload(Engagement.texts),
            selectinload(Engagement.school),
            selectinload(Engagement.council),
        )
        .order_by(Engagement.closes_at.desc().nulls_last(), Engagement.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def loop_actions(engagement_ids) -> dict[int, list[LoopAction]]:
    """The "you said, we did" notes of each engagement, in their order."""
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


def engagement_by_slug(slug: str, locale: str, with_questions: bool = True) -> Engagement | None:
    """The engagement, with its questions and options when asked, and only the texts a page
    in `locale` can show: that locale's and the English fallback."""
    shown = (locale, SOURCE_LOCALE)
    options = [
        selectinload(Engagement.texts.and_(EngagementText.locale.in_(shown))),
        selectinload(Engagement.school),
        selectinload(Engagement.council),
    ]
    if with_questions:
        questions = selectinload(Engagement.questions)
        options += [
            questions.selectinload(Question.texts.and_(QuestionText.locale.in_(shown))),
            questions.selectinload(Question.options).selectinload(
                QuestionOption.texts.and_(OptionText.locale.in_(shown))
            ),
        ]
    # populate_existing: the same session may hold a fully loaded copy (tests, CLI).
    query = sa.select(Engagement).where(Engagement.slug == slug).options(*options)
    return db.session.scalar(query.execution_options(populate_existing=True))


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


def response_by_receipt(engagement: Engagement, code: str) -> Response | None:
    """The response of `engagement` with this receipt code, if any."""
    query = sa.select(Response).where(
        Response.engagement_id == engagement.id, Response.receipt_code == code.upper()
    )
    return db.session.scalar(query)


def submit(engagement: Engagement, form, locale: str) -> Response:
    """Store a validated family form through the one submission service."""
    submission = Submission(
        locale=locale,
        channel=Channel(form.channel.data),
        answers=form.answers(),
        group_ids=form.group_ids(),
        school_id=form.school_id(),
        race_ethnicity=form.race(),
        idempotency_key=form.token.data,
        contact=form.contact(),
    )
    return record_response(engagement, submission)
