"""The "needs follow-up" queue: responses with a comment that needs a person now (threats,
self-harm, abuse or neglect, bullying with ongoing harm, hazards, a family in crisis; see
engagement.themes.urgent) and responses whose family asked to be contacted.

A response enters the queue when it is stored (engagement.submissions), in the same
transaction, with one insert, and only when it needs one: ordinary comments cost no
statement. `flask reanalyze` queues older answers the rules now flag
(engagement.themes.store). Staff take an item (it becomes theirs), move it from open to in
progress to done with a short note, and see its age; an item not done
FOLLOW_UP_SCHOOL_DAYS school days (Monday to Friday in the district's time zone; holidays
are not known) after it came in is overdue. Every step is audited; the note itself never
goes into the audit log (it may repeat what the family wrote).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from engagement import audit
from engagement.extensions import db
from engagement.models import (
    Answer,
    Engagement,
    FollowUp,
    FollowUpContact,
    FollowUpState,
    Response,
    User,
    utcnow,
)

NOTE_MAX_LENGTH = 500
NOT_DONE = (FollowUpState.OPEN, FollowUpState.IN_PROGRESS)


# --------------------------------------------------------------------------------------
# Age and overdue
# --------------------------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("DISTRICT_TIMEZONE", "UTC"))


def due_at(created_at: datetime, school_days: int, zone: ZoneInfo) -> datetime:
    """When an item that came in at `created_at` becomes overdue: `school_days` weekdays
    (Monday to Friday, in `zone`) later, at the same time of day."""
    local = created_at.astimezone(zone)
    day = local.date()
    counted = 0
    while counted < school_days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    due = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone)
    return due


def school_days() -> int:
    """FOLLOW_UP_SCHOOL_DAYS from the configuration (at least 1)."""
    return max(1, int(current_app.config.get("FOLLOW_UP_SCHOOL_DAYS", 2)))


def is_overdue(item_created_at: datetime, state: FollowUpState, now: datetime | None = None):
    """True for an item not done after FOLLOW_UP_SCHOOL_DAYS school days."""
    if state == FollowUpState.DONE:
        return False
    return (now or utcnow()) >= due_at(item_created_at, school_days(), _zone())


def waiting_counts(now: datetime | None = None) -> tuple[int, int]:
    """(items not done, of which overdue), for the staff dashboard. One query."""
    created = list(
        db.session.scalars(sa.select(FollowUp.created_at).where(FollowUp.state.in_(NOT_DONE)))
    )
    now = now or utcnow()
    days, zone = school_days(), _zone()
    overdue = sum(1 for c in created if now >= due_at(c, days, zone))
    return len(created), overdue


# --------------------------------------------------------------------------------------
# The queue
# --------------------------------------------------------------------------------------


@dataclass
class QueueItem:
    item: FollowUp
    engagement: Engagement
    text: str | None
    contact: FollowUpContact | None
    overdue: bool
    age: timedelta


def queue(include_done: bool = False, limit: int = 500) -> tuple[list[QueueItem], int]:
    """Items oldest first (not done ones only, unless `include_done`), with their engagement,
    flagged comment and contact details; and how many match in all."""
    where = [] if include_done else [FollowUp.state.in_(NOT_DONE)]
    total = db.session.scalar(sa.select(sa.func.count(FollowUp.id)).where(*where)) or 0
    items = list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(*where)
            .order_by(FollowUp.created_at, FollowUp.id)
            .limit(limit)
            .options(selectinload(FollowUp.owner))
        )
    )
    if not items:
        return [], total
    response_ids = [i.response_id for i in items]
    engagement_of = dict(
        db.session.execute(
            sa.select(Response.id, Response.engagement_id).where(Response.id.in_(response_ids))
        ).all()
    )
    engagements = {
        e.id: e
        for e in db.session.scalars(
            sa.select(Engagement)
            .where(Engagement.id.in_(set(engagement_of.values())))
            .options(selectinload(Engagement.texts))
        )
    }
    answer_ids = [i.answer_id for i in items if i.answer_id is not None]
    texts = dict(
        db.session.execute(sa.select(Answer.id, Answer.text).where(Answer.id.in_(answer_ids))).all()
    )
    contacts = {
        c.response_id: c
        for c in db.session.scalars(
            sa.select(FollowUpContact).where(FollowUpContact.response_id.in_(response_ids))
        )
    }
    now = utcnow()
    days, zone = school_days(), _zone()
    rows = [
        QueueItem(
            item=i,
            engagement=engagements[engagement_of[i.response_id]],
            text=texts.get(i.answer_id),
            contact=contacts.get(i.response_id),
            overdue=i.state != FollowUpState.DONE and now >= due_at(i.created_at, days, zone),
            age=now - i.created_at,
        )
        for i in items
    ]
    return rows, total


def get(item_id: int) -> FollowUp | None:
    """The queue item `item_id`, or None."""
    return db.session.get(FollowUp, item_id)


def _audit(action: str, item: FollowUp, **details) -> None:
    audit.record(
        action,
        target=f"follow-up {item.id}",
        details={"follow_up_id": item.id, "reason": item.reason.value, **details},
        commit=False,
    )


def assign(item: FollowUp, owner: User | None) -> None:
    """Make `owner` the item's owner (None: nobody); audited."""
    item.owner_id = owner.id if owner is not None else None
    _audit("follow_up.assign", item, owner=owner.email if owner is not None else None)
    db.session.commit()


def update(item: FollowUp, state: FollowUpState, note: str, actor: User) -> None:
    """Set the item's state and note; an item moved on without an owner becomes the actor's.
    Audited with the new state and whether a note was written, never the note itself."""
    note = (note or "").strip()[:NOTE_MAX_LENGTH]
    previous = item.state
    item.state = FollowUpState(state)
    note_changed = note != item.note
    item.note = note
    if item.owner_id is None and item.state != FollowUpState.OPEN:
        item.owner_id = actor.id
    _audit(
        "follow_up.update",
        item,
        state_from=previous.value,
        state=item.state.value,
        note_changed=note_changed,
    )
    db.session.commit()
