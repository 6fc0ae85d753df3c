"""Corrections (staff): void, restore or correct a response; archive, unarchive or delete an
engagement. Every step is audited; voiding, archiving and deleting ask first."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import ngettext

from engagement import labels
from engagement.i18n import LANGUAGE_NAMES, _, localized, localized_name
from engagement.models import HoldState
from engagement.staff import bp, confirm
from engagement.staff.access import engagement_for, may_author, may_review_answers, requires
from engagement.staff.forms import ActionForm, VoidForm, as_choices, response_edit_form
from engagement.staff.services import archive as archive_service
from engagement.staff.services import corrections
from engagement.staff.services.events import card_groups
from engagement.themes.quoting import as_quoted


def _response_or_404(engagement, response_id):
    response = corrections.response_of(engagement, response_id)
    if response is None:
        abort(404)
    return response


def _answer_rows(response) -> list[tuple]:
    """(question, answer as shown, is written) per answered question, in question order.
    Written answers are shown as they would be quoted (masked)."""
    rows: dict[int, tuple] = {}
    for answer in sorted(response.answers, key=lambda a: (a.question.position, a.id)):
        question = answer.question
        if answer.text is not None:
            rows[answer.id] = (question, as_quoted(answer.text, answer.quote_text), True)
            continue
        option = next((o for o in question.options if o.code == answer.choice), None)
        shown = localized(option, "label").text if option is not None else answer.choice
        key = -question.id
        if key in rows:
            rows[key] = (question, f"{rows[key][1]}; {shown}", False)
        else:
            rows[key] = (question, shown, False)
    return list(rows.values())


def _state(response) -> str:
    if response.voided_at is not None:
        return _("Voided: not counted")
    if response.hold_state in (HoldState.HELD, HoldState.SET_ASIDE):
        return _("Held for review: not counted")
    if not response.counted:
        return _("Demo data: not counted")
    return _("Counted")


def _detail_page(engagement, response, void_form=None, status=200):
    return (
        render_template(
            "staff/response.html",
            engagement=engagement,
            response=response,
            answers=_answer_rows(response),
            state=_state(response),
            editable=corrections.is_staff_entered(response) and response.voided_at is None,
            void_form=void_form or VoidForm(formdata=None),
            action_form=ActionForm(),
            channel_labels=labels.CHANNEL,
            lang_names=LANGUAGE_NAMES,
        ),
        status,
    )


@bp.route("/engagements/<slug>/responses/<int:response_id>")
@requires(may_review_answers)
def response_detail(slug, response_id):
    """One response: its answers (masked), where it came from, whether it counts."""
    engagement = engagement_for(slug)
    return _detail_page(engagement, _response_or_404(engagement, response_id))


@bp.route("/engagements/<slug>/responses/<int:response_id>/void", methods=["POST"])
@requires(may_review_answers)
def response_void(slug, response_id):
    """Void a response (a reason is required, then a confirmation step)."""
    engagement = engagement_for(slug)
    response = _response_or_404(engagement, response_id)
    if response.voided_at is not None:
        flash(_("This response was already voided."), "error")
        return redirect(url_for("staff.response_detail", slug=slug, response_id=response.id))
    form = VoidForm()
    if not form.validate_on_submit():
        return _detail_page(engagement, response, form, 400)
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Void response %(code)s?", code=response.receipt_code),
            message=_(
                "It is kept, with your reason, but no longer counted in summaries, the "
                "report or exports. You can restore it later."
            ),
            button=_("Yes, void it"),
            back=url_for("staff.response_detail", slug=slug, response_id=response.id),
            keep_form=True,
        )
    corrections.void(response, form.reason.data)
    flash(_("Response %(code)s voided.", code=response.receipt_code), "success")
    return redirect(url_for("staff.response_detail", slug=slug, response_id=response.id))


@bp.route("/engagements/<slug>/responses/<int:response_id>/restore", methods=["POST"])
@requires(may_review_answers)
def response_restore(slug, response_id):
    """Count a voided response again."""
    engagement = engagement_for(slug)
    response = _response_or_404(engagement, response_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if response.voided_at is not None:
        corrections.restore(response)
        flash(_("Response %(code)s is counted again.", code=response.receipt_code), "success")
    return redirect(url_for("staff.response_detail", slug=slug, response_id=response.id))


@bp.route("/engagements/<slug>/responses/<int:response_id>/edit", methods=["GET", "POST"])
@requires(may_review_answers)
def response_edit(slug, response_id):
    """Correct a comment card or other staff-typed response (never a family's own)."""
    engagement = engagement_for(slug)
    response = _response_or_404(engagement, response_id)
    back = url_for("staff.response_detail", slug=slug, response_id=response.id)
    if not corrections.is_staff_entered(response):
        flash(_("A family's own answers are never edited. Void the response instead."), "error")
        return redirect(back)
    if response.voided_at is not None:
        flash(_("Restore this response before correcting it."), "error")
        return redirect(back)
    written = corrections.written_answers(response)
    data = {
        "locale": response.locale,
        "channel": response.channel.value,
        "group_id": response.groups[0].id if len(response.groups) == 1 else None,
    } | {f"text_{a.id}": a.text for a in written}
    form = response_edit_form(
        {a.id: localized(a.question, "text").text or a.question.code for a in written},
        data=data,
    )
    form.locale.choices = as_choices(
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
    )
    form.group_id.choices = as_choices(
        [("", _("Not known"))] + [(g.id, localized_name(g).text) for g in card_groups()]
    )
    if form.validate_on_submit():
        texts = {a.id: form[f"text_{a.id}"].data for a in written}
        changed = corrections.edit(
            response, form.locale.data, form.channel.data, form.group_id.data, texts
        )
        flash(_("Correction saved.") if changed else _("Nothing was changed."), "success")
        return redirect(back)
    return render_template(
        "staff/response_edit.html",
        engagement=engagement,
        response=response,
        form=form,
        text_fields=[form[f"text_{a.id}"] for a in written],
        back=back,
    )


# --- archive and delete engagements ------------------------------------------------------


@bp.route("/engagements/<slug>/archive", methods=["POST"])
@requires(may_author)
def engagement_archive(slug):
    engagement = engagement_for(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("staff.engagement_detail", slug=slug)
    if engagement.archived_at is not None:
        return redirect(back)
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Archive the engagement?"),
            message=_(
                "It leaves the lists of engagements and families see it as closed. Its "
                "responses, summary and exports are kept. You can unarchive it later."
            ),
            button=_("Yes, archive it"),
            back=back,
        )
    archive_service.archive(engagement)
    flash(_("The engagement is archived."), "success")
    return redirect(back)


@bp.route("/engagements/<slug>/unarchive", methods=["POST"])
@requires(may_author)
def engagement_unarchive(slug):
    engagement = engagement_for(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    if engagement.archived_at is not None:
        archive_service.unarchive(engagement)
        flash(
            _("The engagement is back in the lists. It stays closed until you open it."),
            "success",
        )
    return redirect(url_for("staff.engagement_detail", slug=slug))


@bp.route("/engagements/<slug>/delete", methods=["POST"])
@requires(may_author)
def engagement_delete(slug):
    engagement = engagement_for(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    blocking = archive_service.blocking_responses(engagement)
    if blocking:
        flash(
            ngettext(
                "This engagement has %(num)s response, so it cannot be deleted. Archive it "
                "instead: it leaves the lists and its answers are kept.",
                "This engagement has %(num)s responses, so it cannot be deleted. Archive it "
                "instead: it leaves the lists and its answers are kept.",
                blocking,
            ),
            "error",
        )
        return redirect(url_for("staff.engagement_detail", slug=slug))
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Delete the engagement?"),
            message=_(
                "It is deleted for good, with its questions, translations, events and notes. "
                "This cannot be undone."
            ),
            button=_("Yes, delete it"),
            back=url_for("staff.engagement_detail", slug=slug),
        )
    archive_service.delete(engagement)
    flash(_("The engagement was deleted."), "success")
    return redirect(url_for("staff.engagements"))
