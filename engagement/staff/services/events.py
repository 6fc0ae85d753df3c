"""Event mode: forums, council meetings and coffee conversations with their attendance, and
their written comment cards, each stored as a response of the event."""

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import selectinload

from engagement import audit
from engagement.extensions import db
from engagement.models import (
    Channel,
    Event,
    EventAttendance,
    GroupKind,
    Response,
    School,
    StakeholderGroup,
)
from engagement.submissions import Submission, record_response


def attendance_groups(engagement) -> list[StakeholderGroup]:
    """Groups attendance can be counted by: roles, communities and every council (SEPAC,
    ELPAC, METCO and the school councils), the engagement's own council first among them.
    A group left empty is "not counted", never zero."""
    own = StakeholderGroup.id == (engagement.council_id or -1)
    query = sa.select(StakeholderGroup).order_by(
        StakeholderGroup.kind == GroupKind.COUNCIL, ~own, StakeholderGroup.position
    )
    return list(db.session.scalars(query))


def event_schools() -> list[School]:
    return list(db.session.scalars(sa.select(School).order_by(School.position)))


def card_groups() -> list[StakeholderGroup]:
    """Every stakeholder group a comment card's writer may belong to, in order."""
    query = sa.select(StakeholderGroup).order_by(StakeholderGroup.position)
    return list(db.session.scalars(query))


def create_event(
    engagement, held_on, attendance, languages, notes, by_group, school_id=None
) -> Event:
    """Store an event with its attendance (total and by group id); audited."""
    event = Event(
        engagement_id=engagement.id,
        held_on=held_on,
        school_id=school_id,
        attendance=attendance,
        languages=list(languages),
        notes=(notes or "").strip(),
        created_by_id=current_user.id if current_user.is_authenticated else None,
    )
    _set_attendance(event, by_group)
    db.session.add(event)
    db.session.flush()
    audit.record(
        "event.create",
        target=engagement.slug,
        details={"event_id": event.id} | _event_fields(event),
        commit=False,
    )
    db.session.commit()
    return event


def _set_attendance(event: Event, by_group: dict[int, int]) -> None:
    kept = {row.group_id: row for row in event.attendance_by_group}
    for group_id, count in by_group.items():
        if count:
            if group_id in kept:
                kept[group_id].count = count
            else:
                event.attendance_by_group.append(EventAttendance(group_id=group_id, count=count))
        elif group_id in kept:
            event.attendance_by_group.remove(kept[group_id])


def _event_fields(event: Event) -> dict:
    """An event's details as plain values, for the audit log."""
    return {
        "held_on": event.held_on.isoformat(),
        "school_id": event.school_id,
        "attendance": event.attendance,
        "languages": sorted(event.languages or []),
        "by_group": {
            str(row.group_id): row.count
            for row in sorted(event.attendance_by_group, key=lambda r: r.group_id)
        },
    }


def update_event(event, held_on, attendance, languages, notes, by_group, school_id=None):
    """Correct an event (a wrong date or headcount); audited with what changed."""
    before = _event_fields(event)
    event.held_on = held_on
    event.school_id = school_id
    event.attendance = attendance
    event.languages = list(languages)
    event.notes = (notes or "").strip()
    _set_attendance(event, by_group)
    db.session.flush()
    after = _event_fields(event)
    changes = {
        name: {"before": before[name], "after": value}
        for name, value in after.items()
        if before[name] != value
    }
    if changes:
        audit.record(
            "event.edit",
            target=event.engagement.slug,
            details={"event_id": event.id} | changes,
            commit=False,
        )
    db.session.commit()


def delete_event(event) -> int:
    """Delete an event and its attendance; its comment cards stay as responses of the
    engagement (no longer tied to the event). Returns how many cards it had; audited."""
    cards = card_count(event.id)
    slug = event.engagement.slug
    details = {"event_id": event.id, "cards_kept": cards} | _event_fields(event)
    db.session.execute(
        sa.update(Response).where(Response.event_id == event.id).values(event_id=None)
    )
    db.session.delete(event)
    audit.record("event.delete", target=slug, details=details, commit=False)
    db.session.commit()
    return cards


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


def cards_of(event_id: int) -> list[Response]:
    """The event's comment cards with their answers, in the order they were typed."""
    return list(
        db.session.scalars(
            sa.select(Response)
            .options(selectinload(Response.answers))
            .where(Response.event_id == event_id)
            .order_by(Response.id)
        )
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
        school_id=event.school_id or engagement.school_id,
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
