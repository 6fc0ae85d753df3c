"""Event mode: forums, council meetings and coffee conversations with their attendance, and
their written comment cards, each stored as a response of the event."""

import sqlalchemy as sa
from flask_login import current_user

from engagement import audit
from engagement.extensions import db
from engagement.models import (
    Channel,
    Event,
    EventAttendance,
    GroupKind,
    Response,
    StakeholderGroup,
)
from engagement.submissions import Submission, record_response


def attendance_groups(engagement) -> list[StakeholderGroup]:
    """Groups attendance can be counted by: roles, communities and the engagement's council."""
    query = sa.select(StakeholderGroup).where(
        sa.or_(
            StakeholderGroup.kind != GroupKind.COUNCIL,
            StakeholderGroup.id == (engagement.council_id or -1),
        )
    )
    return list(db.session.scalars(query.order_by(StakeholderGroup.position)))


def card_groups() -> list[StakeholderGroup]:
    """Every stakeholder group a comment card's writer may belong to, in order."""
    query = sa.select(StakeholderGroup).order_by(StakeholderGroup.position)
    return list(db.session.scalars(query))


def create_event(engagement, held_on, attendance, languages, notes, by_group) -> Event:
    """Store an event with its attendance (total and by group id); audited."""
    event = Event(
        engagement_id=engagement.id,
        held_on=held_on,
        attendance=attendance,
        languages=list(languages),
        notes=(notes or "").strip(),
        created_by_id=current_user.id if current_user.is_authenticated else None,
    )
    for group_id, count in by_group.items():
        if count:
            event.attendance_by_group.append(EventAttendance(group_id=group_id, count=count))
    db.session.add(event)
    db.session.flush()
    audit.record(
        "event.create",
        target=engagement.slug,
        details={"event_id": event.id, "held_on": held_on.isoformat(), "attendance": attendance},
        commit=False,
    )
    db.session.commit()
    return event


def events_with_card_counts(engagement) -> tuple[list[Event], dict[int, int]]:
    """The engagement's events, newest first, and the number of cards of each event id."""
    rows = list(
        db.session.scalars(
            sa.select(Event)
            .where(Event.engagement_id == engagement.id)
            .order_by(Event.held_on.desc(), Event.id.desc())
        )
    )
    counted = db.session.execute(
        sa.select(Response.event_id, sa.func.count(Response.id))
        .where(Response.event_id.in_([e.id for e in rows] or [-1]))
        .group_by(Response.event_id)
    )
    return rows, {event_id: count for event_id, count in counted}


def card_count(event_id: int) -> int:
    """How many comment cards (responses) the event has."""
    return db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(Response.event_id == event_id)
    )


def record_card(engagement, event, question_id, text, locale, group_id, channel, token) -> int:
    """Store one comment card as a response of the event; returns the event's card count."""
    submission = Submission(
        locale=locale,
        channel=Channel(channel),
        answers={question_id: text.strip()},
        group_ids=[group_id] if group_id else [],
        idempotency_key=f"card-{event.id}-{token}" if token else None,
        event_id=event.id,
        partial=True,
    )
    response = record_response(engagement, submission)
    count = card_count(event.id)
    audit.record(
        "event.card",
        target=engagement.slug,
        details={"event_id": event.id, "response_id": response.id, "channel": channel},
    )
    return count
