"""Queries behind the family pages."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from engagement.extensions import db
from engagement.models import Engagement, EngagementStatus, LoopAction, utcnow


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
        .options(selectinload(Engagement.texts))
        .order_by(Engagement.closes_at.desc().nulls_last(), Engagement.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
