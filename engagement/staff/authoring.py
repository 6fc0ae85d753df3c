"""Authoring views (staff and admins): engagements, questions and options."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from engagement import labels
from engagement.extensions import db
from engagement.i18n import _, localized_name
from engagement.models import (
    Engagement,
    EngagementStatus,
    EngagementText,
    GroupKind,
    Question,
    QuestionOption,
    School,
    StakeholderGroup,
    StrategicPriority,
)
from engagement.staff import bp, confirm
from engagement.staff.access import child_or_404, engagement_for, may_author, requires
from engagement.staff.forms import ActionForm, EngagementForm, OptionForm, QuestionForm, as_choices
from engagement.staff.reuse_forms import NewEngagementForm, bank_choices
from engagement.staff.services import authoring as authoring_service
from engagement.staff.services import reuse as reuse_service
from engagement.staff.services.responses import response_counts
from engagement.staff.services.texts import source_row


def fill_engagement_choices(form: EngagementForm) -> None:
    schools = db.session.scalars(sa.select(School).order_by(School.position))
    councils = db.session.scalars(
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind == GroupKind.COUNCIL)
        .order_by(StakeholderGroup.position)
    )
    priorities = db.session.scalars(
        sa.select(StrategicPriority).order_by(StrategicPriority.position)
    )
    form.school_id.choices = as_choices(
        [("", _("Whole district"))] + [(s.id, s.name) for s in schools]
    )
    form.council_id.choices = as_choices(
        [("", _("No council"))] + [(c.id, localized_name(c).text) for c in councils]
    )
    form.priorities.choices = as_choices((p.id, localized_name(p).text) for p in priorities)


def done_or_errors(form) -> None:
    """Flash the form-level outcome of a POST action form (CSRF failures included)."""
    if not form.validate_on_submit():
        abort(400)


@bp.route("/engagements")
@requires(may_author)
def engagements():
    rows = list(
        db.session.scalars(
            sa.select(Engagement)
            .options(selectinload(Engagement.texts))
            .order_by(Engagement.created_at.desc(), Engagement.id.desc())
        )
    )
    counts = response_counts([e.id for e in rows])
    return render_template(
        "staff/engagements.html",
        engagements=rows,
        counts=counts,
        kind_labels=labels.KIND,
        status_labels=labels.STATUS,
    )


@bp.route("/engagements/new", methods=["GET", "POST"])
@requires(may_author)
def engagement_new():
    # Questions ticked on the question bank page arrive as ?bank=1&bank=5, already chosen.
    form = NewEngagementForm(
        data={"bank_questions": request.args.getlist("bank", type=int)}
        if request.method == "GET"
        else None
    )
    fill_engagement_choices(form)
    entries = reuse_service.bank_questions()
    form.bank_questions.choices = bank_choices(entries)
    if form.validate_on_submit():
        try:
            engagement = authoring_service.save_engagement(None, form.data)
        except authoring_service.AuthoringError as error:
            form.slug.errors.append(str(error))
        else:
            chosen = reuse_service.bank_questions(form.bank_questions.data)
            # A new engagement has no questions, so no bank code can clash with one.
            reuse_service.add_from_bank(engagement, chosen)
            if chosen:
                flash(
                    ngettext(
                        "Engagement created with %(num)s question from the bank.",
                        "Engagement created with %(num)s questions from the bank.",
                        len(chosen),
                    ),
                    "success",
                )
            else:
                flash(_("Engagement created. Now add its questions."), "success")
            return redirect(url_for("staff.engagement_detail", slug=engagement.slug))
    return render_template("staff/engagement_form.html", form=form, engagement=None)


@bp.route("/engagements/<slug>")
@requires(may_author)
def engagement_detail(slug):
    engagement = engagement_for(slug)
    return render_template(
        "staff/engagement_detail.html",
        engagement=engagement,
        problems=authoring_service.open_problems(engagement),
        count=response_counts([engagement.id]).get(engagement.id, 0),
        action_form=ActionForm(),
        kind_labels=labels.KIND,
        status_labels=labels.STATUS,
        question_kinds=labels.QUESTION_KIND,
    )


@bp.route("/engagements/<slug>/edit", methods=["GET", "POST"])
@requires(may_author)
def engagement_edit(slug):
    engagement = engagement_for(slug)
    english = source_row(engagement.texts)
    form = EngagementForm(
        data={
            "kind": engagement.kind.value,
            "slug": engagement.slug,
            "title": english.title if english else "",
            "description": english.description if english else "",
            "school_id": engagement.school_id,
            "council_id": engagement.council_id,
            "opens_at": authoring_service.to_local(engagement.opens_at),
            "closes_at": authoring_service.to_local(engagement.closes_at),
            "priorities": [p.id for p in engagement.priorities],
            "series": engagement.series or "",
            "event_starts_at": authoring_service.to_local(engagement.event_starts_at),
            "event_ends_at": authoring_service.to_local(engagement.event_ends_at),
            **{
                name: getattr(english, name) if english else ""
                for name in EngagementText.EVENT_FIELDS
            },
        }
    )
    fill_engagement_choices(form)
    if form.validate_on_submit():
        try:
            authoring_service.save_engagement(engagement, form.data)
        except authoring_service.AuthoringError as error:
            form.slug.errors.append(str(error))
        else:
            flash(_("Engagement saved."), "success")
            return redirect(url_for("staff.engagement_detail", slug=engagement.slug))
    return render_template("staff/engagement_form.html", form=form, engagement=engagement)


def _set_status(slug, status):
    engagement = engagement_for(slug)
    done_or_errors(ActionForm())
    try:
        authoring_service.set_status(engagement, status)
    except authoring_service.AuthoringError as error:
        flash(_("The engagement cannot be opened yet: %(why)s", why=str(error)), "error")
    else:
        flash(
            _("The engagement is open.")
            if status == EngagementStatus.OPEN
            else _("The engagement is closed."),
            "success",
        )
    return redirect(url_for("staff.engagement_detail", slug=slug))


@bp.route("/engagements/<slug>/open", methods=["POST"])
@requires(may_author)
def engagement_open(slug):
    return _set_status(slug, EngagementStatus.OPEN)


@bp.route("/engagements/<slug>/close", methods=["POST"])
@requires(may_author)
def engagement_close(slug):
    engagement = engagement_for(slug)
    if not confirm.is_confirmed():
        done_or_errors(ActionForm())
        return confirm.ask(
            title=_("Close the engagement?"),
            message=_(
                "Families will no longer be able to answer. You can reopen it later if its "
                "closing date has not passed."
            ),
            button=_("Yes, close it"),
            back=url_for("staff.engagement_detail", slug=engagement.slug),
        )
    return _set_status(slug, EngagementStatus.CLOSED)


# --- questions -------------------------------------------------------------------------


@bp.route("/engagements/<slug>/questions/new", methods=["GET", "POST"])
@requires(may_author)
def question_new(slug):
    engagement = engagement_for(slug)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = authoring_service.save_question(engagement, None, form.data)
        except authoring_service.AuthoringError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Question added."), "success")
            if question.has_options:
                return redirect(url_for("staff.option_new", slug=slug, question_id=question.id))
            return redirect(url_for("staff.engagement_detail", slug=slug))
    return render_template(
        "staff/question_form.html", form=form, engagement=engagement, question=None
    )


@bp.route("/engagements/<slug>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@requires(may_author)
def question_edit(slug, question_id):
    engagement = engagement_for(slug)
    question = child_or_404(Question, engagement, question_id)
    english = source_row(question.texts)
    form = QuestionForm(
        data={
            "kind": question.kind.value,
            "code": question.code,
            "text": english.text if english else "",
            "help": english.help if english else "",
            "required": question.required,
        }
    )
    if form.validate_on_submit():
        try:
            authoring_service.save_question(engagement, question, form.data)
        except authoring_service.AuthoringError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Question saved."), "success")
            return redirect(url_for("staff.engagement_detail", slug=slug))
    return render_template(
        "staff/question_form.html",
        form=form,
        engagement=engagement,
        question=question,
        frozen=authoring_service.question_has_answers(question),
        question_kinds=labels.QUESTION_KIND,
        option_form=OptionForm(formdata=None),
        action_form=ActionForm(),
    )


@bp.route(
    "/engagements/<slug>/questions/<int:question_id>/move/<any(up, down):direction>",
    methods=["POST"],
)
@requires(may_author)
def question_move(slug, question_id, direction):
    engagement = engagement_for(slug)
    question = child_or_404(Question, engagement, question_id)
    done_or_errors(ActionForm())
    authoring_service.move(question, engagement.questions, -1 if direction == "up" else 1)
    return redirect(url_for("staff.engagement_detail", slug=slug) + f"#q-{question.id}")


@bp.route("/engagements/<slug>/questions/<int:question_id>/remove", methods=["POST"])
@requires(may_author)
def question_remove(slug, question_id):
    engagement = engagement_for(slug)
    question = child_or_404(Question, engagement, question_id)
    done_or_errors(ActionForm())
    code = question.code
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Remove question %(code)s?", code=code),
            message=_(
                "A question that has answers is hidden from families, and its answers are "
                "kept. A question without answers is deleted with its translations."
            ),
            button=_("Yes, remove it"),
            back=url_for("staff.engagement_detail", slug=slug) + f"#q-{question.id}",
        )
    if authoring_service.remove_or_hide(question) == "hidden":
        flash(
            _("Question %(code)s has answers, so it was hidden, not deleted.", code=code), "success"
        )
    else:
        flash(_("Question %(code)s deleted.", code=code), "success")
    return redirect(url_for("staff.engagement_detail", slug=slug))


@bp.route("/engagements/<slug>/questions/<int:question_id>/show", methods=["POST"])
@requires(may_author)
def question_show(slug, question_id):
    engagement = engagement_for(slug)
    question = child_or_404(Question, engagement, question_id)
    done_or_errors(ActionForm())
    authoring_service.set_hidden(question, False)
    flash(_("Question %(code)s is shown again.", code=question.code), "success")
    return redirect(url_for("staff.engagement_detail", slug=slug))


# --- options ---------------------------------------------------------------------------


@bp.route("/engagements/<slug>/questions/<int:question_id>/options/new", methods=["GET", "POST"])
@requires(may_author)
def option_new(slug, question_id):
    engagement = engagement_for(slug)
    question = child_or_404(Question, engagement, question_id)
    if not question.has_options:
        abort(404)
    form = OptionForm()
    if form.validate_on_submit():
        try:
            authoring_service.save_option(question, None, form.data)
        except authoring_service.AuthoringError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Option added. Add another, or go back to the engagement."), "success")
            return redirect(url_for("staff.option_new", slug=slug, question_id=question.id))
    return render_template(
        "staff/option_form.html",
        form=form,
        engagement=engagement,
        question=question,
        option=None,
        action_form=ActionForm(),
    )


@bp.route("/engagements/<slug>/options/<int:option_id>/edit", methods=["GET", "POST"])
@requires(may_author)
def option_edit(slug, option_id):
    engagement = engagement_for(slug)
    option = child_or_404(QuestionOption, engagement, option_id)
    english = source_row(option.texts)
    form = OptionForm(data={"code": option.code, "label": english.label if english else ""})
    if form.validate_on_submit():
        try:
            authoring_service.save_option(option.question, option, form.data)
        except authoring_service.AuthoringError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Option saved."), "success")
            return redirect(url_for("staff.option_new", slug=slug, question_id=option.question_id))
    return render_template(
        "staff/option_form.html",
        form=form,
        engagement=engagement,
        question=option.question,
        option=option,
        frozen=authoring_service.option_has_answers(option),
        action_form=ActionForm(),
    )


@bp.route(
    "/engagements/<slug>/options/<int:option_id>/move/<any(up, down):direction>",
    methods=["POST"],
)
@requires(may_author)
def option_move(slug, option_id, direction):
    engagement = engagement_for(slug)
    option = child_or_404(QuestionOption, engagement, option_id)
    done_or_errors(ActionForm())
    authoring_service.move(option, option.question.options, -1 if direction == "up" else 1)
    return redirect(url_for("staff.option_new", slug=slug, question_id=option.question_id))


@bp.route("/engagements/<slug>/options/<int:option_id>/remove", methods=["POST"])
@requires(may_author)
def option_remove(slug, option_id):
    engagement = engagement_for(slug)
    option = child_or_404(QuestionOption, engagement, option_id)
    done_or_errors(ActionForm())
    question_id, code = option.question_id, option.code
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Remove option %(code)s?", code=code),
            message=_(
                "An option that has answers is hidden from families, and its answers are "
                "kept. An option without answers is deleted with its translations."
            ),
            button=_("Yes, remove it"),
            back=url_for("staff.option_new", slug=slug, question_id=question_id),
        )
    if authoring_service.remove_or_hide(option) == "hidden":
        flash(
            _("Option %(code)s has answers, so it was hidden, not deleted.", code=code), "success"
        )
    else:
        flash(_("Option %(code)s deleted.", code=code), "success")
    return redirect(url_for("staff.option_new", slug=slug, question_id=question_id))


@bp.route("/engagements/<slug>/options/<int:option_id>/show", methods=["POST"])
@requires(may_author)
def option_show(slug, option_id):
    engagement = engagement_for(slug)
    option = child_or_404(QuestionOption, engagement, option_id)
    done_or_errors(ActionForm())
    authoring_service.set_hidden(option, False)
    return redirect(url_for("staff.option_new", slug=slug, question_id=option.question_id))
