"""Archiving and deleting engagements.

Archiving keeps everything and takes the engagement out of the default lists; families see
it as closed (`Engagement.public_state`), and it cannot be opened again until staff
unarchive it.

Deleting is for an engagement made by mistake or as a trial: allowed only while it has no
response that is, or could come to be, counted. Held responses (perhaps a family's words
waiting for review), demo responses (removed with `flask demo --remove`) and any other
response block it. Voided responses do not: staff already said they were not real answers
(a test answer), and the audit entry records how many went with it.
"""

import sqlalchemy as sa
from flask_login import current_user

from engagement import aggregates, audit
from engagement.extensions import db
from engagement.models import Engagement, EngagementStatus, Response, utcnow


class ArchiveError(ValueError):
    """The engagement cannot be archived, unarchived or deleted as asked."""


def blocking_responses(engagement: Engagement) -> int:
    """How many of its responses keep the engagement from being deleted (all but voided ones
    and staff's test answers from the preview)."""
    return db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(
            Response.engagement_id == engagement.id,
            Response.voided_at.is_(None),
            Response.is_test.is_(False),
        )
    )


def may_delete(engagement: Engagement) -> bool:
    return blocking_responses(engagement) == 0


def archive(engagement: Engagement) -> None:
    """Archive the engagement (closing it first if it was open); audited."""
    if engagement.archived_at is not None:
        raise ArchiveError("already archived")
    details = {"archived": {"before": False, "after": True}}
    if engagement.status == EngagementStatus.OPEN:
        engagement.status = EngagementStatus.CLOSED
        details["status"] = {"before": "open", "after": "closed"}
    engagement.archived_at = utcnow()
    engagement.archived_by_id = current_user.id if current_user.is_authenticated else None
    audit.record("engagement.archive", target=engagement.slug, details=details, commit=False)
    db.session.commit()


def unarchive(engagement: Engagement) -> None:
    """Bring the engagement back to the lists (it stays closed until opened); audited."""
    if engagement.archived_at is None:
        raise ArchiveError("not archived")
    engagement.archived_at = None
    engagement.archived_by_id = None
    audit.record(
        "engagement.unarchive",
        target=engagement.slug,
        details={"archived": {"before": True, "after": False}},
        commit=False,
    )
    db.session.commit()


def delete(engagement: Engagement) -> None:
    """Delete an engagement without counted or countable responses, with its questions,
    translations, events and notes; audited."""
    if not may_delete(engagement):
        raise ArchiveError("it has responses")
    voided = Response.engagement_id == engagement.id
    details = {
        "engagement_id": engagement.id,
        "title": engagement.title("en"),
        "status": engagement.status.value,
        "voided_responses_deleted": db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(voided)
        ),
    }
    slug = engagement.slug
    # The answers go before the questions they point at (answer.question_id is RESTRICT).
    aggregates.remove_where(voided)
    db.session.execute(sa.delete(Response).where(voided))
    db.session.delete(engagement)
    audit.record("engagement.delete", target=slug, details=details, commit=False)
    db.session.commit()
