"""Event mode: record a forum, council meeting or coffee conversation, then type its written
comment cards one after another (keyboard only), each stored as a response."""

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext

from engagement import labels
from engagement.i18n import LANGUAGE_NAMES, _, localized, localized_name
from engagement.models import Channel, Event, QuestionKind
from engagement.staff import bp, confirm
from engagement.staff.access import child_or_404, engagement_for, may_record_events, requires
from engagement.staff.forms import ActionForm, CardForm, as_choices, event_form
from engagement.staff.services import events as events_service
from engagement.submissions import SubmissionError
from engagement.themes.quoting import as_quoted


def _event_form(engagement, groups, event=None):
    """The event form: filled in from `event` (or the engagement's school) on GET only, so a
    POST holds exactly what was sent."""
    data = None
    if request.method != "GET":
        pass
    elif event is not None:
        data = {
            "held_on": event.held_on,
            "school_id": event.school_id,
            "attendance": event.attendance,
            "languages": list(event.languages or []),
            "notes": event.notes,
        } | {f"group_{row.group_id}": row.count for row in event.attendance_by_group}
    elif engagement.school_id:
        data = {"school_id": engagement.school_id}
    return event_form(
        groups, current_app.config["LANGUAGES"], events_service.event_schools(), data=data
    )


def _attendance_fits(form, groups) -> dict | None:
    """The counts by group, or None (with the error on the form) when they add up to more
    than the headcount."""
    by_group = form.counts_by_group(groups)
    if sum(by_group.values()) > form.attendance.data:
        form.attendance.errors.append(
            _("The counts by group add up to more than the number who attended.")
        )
        return None
    return by_group


def _event_values(form, by_group):
    return (
        form.held_on.data,
        form.attendance.data,
        form.languages.data,
        form.notes.data,
        by_group,
        form.school_id.data,
    )


@bp.route("/engagements/<slug>/events", methods=["GET", "POST"])
@requires(may_record_events)
def events(slug):
    engagement = engagement_for(slug)
    groups = events_service.attendance_groups(engagement)
    form = _event_form(engagement, groups)
    if form.validate_on_submit():
        by_group = _attendance_fits(form, groups)
        if by_group is not None:
            event = events_service.create_event(engagement, *_event_values(form, by_group))
            flash(_("Event saved. Now enter its comment cards."), "success")
            return redirect(url_for("staff.event_cards", slug=slug, event_id=event.id))
    rows, counts = events_service.events_with_card_counts(engagement)
    return render_template(
        "staff/events.html",
        engagement=engagement,
        form=form,
        groups=groups,
        events=rows,
        counts=counts,
        lang_names=LANGUAGE_NAMES,
        action_form=ActionForm(),
    )


@bp.route("/engagements/<slug>/events/<int:event_id>/edit", methods=["GET", "POST"])
@requires(may_record_events)
def event_edit(slug, event_id):
    """Correct an event's date, school, headcount, groups, languages or notes."""
    engagement = engagement_for(slug)
    event = child_or_404(Event, engagement, event_id)
    groups = events_service.attendance_groups(engagement)
    form = _event_form(engagement, groups, event)
    if form.validate_on_submit():
        by_group = _attendance_fits(form, groups)
        if by_group is not None:
            events_service.update_event(event, *_event_values(form, by_group))
            flash(_("Event corrected."), "success")
            return redirect(url_for("staff.events", slug=slug) + f"#event-{event.id}")
    return render_template(
        "staff/event_form.html", engagement=engagement, event=event, form=form, groups=groups
    )


@bp.route("/engagements/<slug>/events/<int:event_id>/delete", methods=["POST"])
@requires(may_record_events)
def event_delete(slug, event_id):
    """Delete an event recorded by mistake (after a confirmation step)."""
    engagement = engagement_for(slug)
    event = child_or_404(Event, engagement, event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not confirm.is_confirmed():
        cards = events_service.card_count(event.id)
        return confirm.ask(
            title=_("Delete the event of %(date)s?", date=format_date(event.held_on, "long")),
            message=ngettext(
                "Its attendance is deleted. Its %(num)s comment card stays as a response "
                "of the engagement.",
                "Its attendance is deleted. Its %(num)s comment cards stay as responses of "
                "the engagement.",
                cards,
            )
            if cards
            else _("Its attendance is deleted. It has no comment cards."),
            button=_("Yes, delete the event"),
            back=url_for("staff.events", slug=slug) + f"#event-{event.id}",
        )
    events_service.delete_event(event)
    flash(_("Event deleted."), "success")
    return redirect(url_for("staff.events", slug=slug))


def card_form(engagement):
    """The card form with the engagement's open questions, languages and groups to choose."""
    form = CardForm()
    questions = [q for q in engagement.visible_questions if q.kind == QuestionKind.OPEN_TEXT]
    form.question_id.choices = as_choices(
        (q.id, localized(q, "text").text or q.code) for q in questions
    )
    form.locale.choices = as_choices(
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
    )
    form.group_id.choices = as_choices(
        [("", _("Not known"))]
        + [(g.id, localized_name(g).text) for g in events_service.card_groups()]
    )
    return form, questions


@bp.route("/engagements/<slug>/events/<int:event_id>/cards", methods=["GET", "POST"])
@requires(may_record_events)
def event_cards(slug, event_id):
    engagement = engagement_for(slug)
    event = child_or_404(Event, engagement, event_id)
    form, questions = card_form(engagement)
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
            number = events_service.record_card(
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
        total=events_service.card_count(event.id),
        cards=events_service.cards_of(event.id),
        as_quoted=as_quoted,
        channel_labels=labels.CHANNEL,
    )
