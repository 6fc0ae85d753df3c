"""Event mode: record a forum, council meeting or coffee conversation, then type its written
comment cards one after another (keyboard only), each stored as a response."""

import uuid

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from engagement import audit, labels
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, localized, localized_name
from engagement.models import (
    Channel,
    Event,
    EventAttendance,
    GroupKind,
    QuestionKind,
    Response,
    StakeholderGroup,
)
from engagement.staff import bp
from engagement.staff.access import STAFF_ROLES, engagement_for, roles_required
from engagement.staff.forms import CardForm, EventForm, as_choices
from engagement.submissions import Submission, SubmissionError, record_response

# --- services ------------------------------------------------------------------------------


def attendance_groups(engagement) -> list[StakeholderGroup]:
    """Groups attendance can be counted by: roles, communities and the engagement's council."""
    query = sa.select(StakeholderGroup).where(
        sa.or_(
            StakeholderGroup.kind != GroupKind.COUNCIL,
            StakeholderGroup.id == (engagement.council_id or -1),
        )
    )
    return list(db.session.scalars(query.order_by(StakeholderGroup.position)))


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


def card_count(event_id: int) -> int:
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


# --- views ---------------------------------------------------------------------------------


def event_for(engagement, event_id) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.engagement_id != engagement.id:
        abort(404)
    return event


def event_form(engagement):
    """The event form with one optional count per stakeholder group."""
    groups = attendance_groups(engagement)

    class Form(EventForm):
        pass

    for group in groups:
        setattr(
            Form,
            f"group_{group.id}",
            IntegerField(
                localized_name(group).text,
                validators=[Optional(), NumberRange(min=0, max=100000)],
            ),
        )
    form = Form()
    form.languages.choices = as_choices(
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
    )
    return form, groups


@bp.route("/engagements/<slug>/events", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def events(slug):
    engagement = engagement_for(slug)
    form, groups = event_form(engagement)
    if form.validate_on_submit():
        by_group = {g.id: form[f"group_{g.id}"].data or 0 for g in groups}
        if sum(by_group.values()) > form.attendance.data:
            form.attendance.errors.append(
                _("The counts by group add up to more than the number who attended.")
            )
        else:
            event = create_event(
                engagement,
                form.held_on.data,
                form.attendance.data,
                form.languages.data,
                form.notes.data,
                by_group,
            )
            flash(_("Event saved. Now enter its comment cards."), "success")
            return redirect(url_for("staff.event_cards", slug=slug, event_id=event.id))
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
    counts = {event_id: count for event_id, count in counted}
    return render_template(
        "staff/events.html",
        engagement=engagement,
        form=form,
        groups=groups,
        events=rows,
        counts=counts,
        lang_names=LANGUAGE_NAMES,
    )


def card_form(engagement, event):
    form = CardForm()
    questions = [q for q in engagement.visible_questions if q.kind == QuestionKind.OPEN_TEXT]
    form.question_id.choices = as_choices(
        (q.id, localized(q, "text").text or q.code) for q in questions
    )
    form.locale.choices = as_choices(
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
    )
    groups = db.session.scalars(sa.select(StakeholderGroup).order_by(StakeholderGroup.position))
    form.group_id.choices = as_choices(
        [("", _("Not known"))] + [(g.id, localized_name(g).text) for g in groups]
    )
    return form, questions


@bp.route("/engagements/<slug>/events/<int:event_id>/cards", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def event_cards(slug, event_id):
    engagement = engagement_for(slug)
    event = event_for(engagement, event_id)
    form, questions = card_form(engagement, event)
    if request.method == "GET":
        # Keep the last card's language, group, channel and question: cards from one table
        # at an event are often alike, so only the text needs typing.
        args = request.args
        form.locale.data = args.get("locale") or (event.languages or ["en"])[0]
        form.group_id.data = args.get("group", type=int)
        form.channel.data = args.get("channel") or Channel.PAPER.value
        form.question_id.data = args.get("question", type=int) or (
            questions[0].id if questions else None
        )
    if questions and form.validate_on_submit():
        try:
            number = record_card(
                engagement,
                event,
                form.question_id.data,
                form.text.data,
                form.locale.data,
                form.group_id.data,
                form.channel.data,
                form.token.data,
            )
        except SubmissionError:
            form.text.errors.append(_("This card could not be saved. Please check it."))
        else:
            return redirect(
                url_for(
                    "staff.event_cards",
                    slug=slug,
                    event_id=event.id,
                    saved=number,
                    locale=form.locale.data,
                    group=form.group_id.data or "",
                    channel=form.channel.data,
                    question=form.question_id.data,
                )
            )
    form.token.data = uuid.uuid4().hex
    return render_template(
        "staff/event_cards.html",
        engagement=engagement,
        event=event,
        form=form,
        questions=questions,
        saved=request.args.get("saved", type=int),
        total=card_count(event.id),
        channel_labels=labels.CHANNEL,
    )
