"""The "you said, we did" notes: what the district heard and what it did, per engagement.

Staff may write and translate these for every engagement. Council leads write drafts for
their councils' engagements (engagement_for applies the scope): a lead's new or edited note
is a proposal and reaches families, leads and the report only once staff approve it.
Families see the notes once the engagement has closed.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from engagement import labels
from engagement.i18n import LANGUAGE_NAMES, _, current_locale
from engagement.models import LoopAction, ProposalKind
from engagement.staff import bp, confirm
from engagement.staff.access import (
    child_or_404,
    engagement_for,
    may_approve_changes,
    may_write_loop_actions,
    requires,
)
from engagement.staff.forms import ActionForm, LoopActionForm, as_choices
from engagement.staff.services import loop as loop_service
from engagement.staff.services import proposals, translation_io
from engagement.staff.services.texts import source_row
from engagement.staff.translating import check_locale, render_translation_page


def theme_choices() -> list[tuple[str, str]]:
    """("", none) plus every codebook theme, labelled in the current language."""
    locale = current_locale()
    choices = [("", _("No particular theme"))]
    for code, names in loop_service.codebook_themes():
        choices.append((code, names.get(locale) or names.get("en") or code))
    return choices


def action_form(data=None) -> LoopActionForm:
    form = LoopActionForm(data=data)
    form.theme_code.choices = as_choices(theme_choices())
    return form


def save_or_propose(engagement, action, data) -> bool:
    """Save the note (staff), or store it as a draft for staff to approve (council leads).
    True when it was saved."""
    if may_approve_changes(current_user):
        loop_service.save_action(engagement, action, data)
        return True
    payload = proposals.loop_payload(data)
    proposals.propose(ProposalKind.LOOP_ACTION, engagement, payload, action=action)
    flash(
        _("Your note was sent to district staff. It is published once they approve it."),
        "success",
    )
    return False


@bp.route("/engagements/<slug>/actions")
@requires(may_write_loop_actions)
def loop_action_list(slug):
    engagement = engagement_for(slug)
    actions = loop_service.ordered_loop_actions(engagement)
    themes = dict(theme_choices())
    return render_template(
        "staff/loop_actions.html",
        engagement=engagement,
        actions=actions,
        themes=themes,
        status_labels=labels.ACTION_STATUS,
        languages=[(c, n) for c, n in LANGUAGE_NAMES.items() if c != "en"],
        units={a.id: translation_io.action_unit(a) for a in actions},
        drafts=proposals.waiting([engagement.id], ProposalKind.LOOP_ACTION),
        action_form=ActionForm(),
    )


@bp.route("/engagements/<slug>/actions/new", methods=["GET", "POST"])
@requires(may_write_loop_actions)
def loop_action_new(slug):
    engagement = engagement_for(slug)
    form = action_form()
    if form.validate_on_submit():
        if save_or_propose(engagement, None, form.data):
            flash(_("Note saved. Translate it so every family can read it."), "success")
        return redirect(url_for("staff.loop_action_list", slug=slug))
    return render_template(
        "staff/loop_action_form.html", engagement=engagement, form=form, action=None
    )


@bp.route("/engagements/<slug>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@requires(may_write_loop_actions)
def loop_action_edit(slug, action_id):
    engagement = engagement_for(slug)
    action = child_or_404(LoopAction, engagement, action_id)
    english = source_row(action.texts)
    form = action_form(
        {
            "heard": english.heard if english else "",
            "did": english.did if english else "",
            "status": action.status.value,
            "theme_code": action.theme_code or "",
        }
    )
    if form.validate_on_submit():
        if save_or_propose(engagement, action, form.data):
            flash(_("Note saved."), "success")
        return redirect(url_for("staff.loop_action_list", slug=slug))
    return render_template(
        "staff/loop_action_form.html", engagement=engagement, form=form, action=action
    )


@bp.route("/engagements/<slug>/actions/<int:action_id>/delete", methods=["POST"])
@requires(may_approve_changes)
def loop_action_delete(slug, action_id):
    """Delete a note with its translations (staff; after a confirmation step)."""
    engagement = engagement_for(slug)
    action = child_or_404(LoopAction, engagement, action_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("staff.loop_action_list", slug=slug) + f"#note-{action.id}"
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Delete this note?"),
            message=_(
                "Families no longer see it, in any language, and its translations are "
                "deleted with it."
            ),
            button=_("Yes, delete the note"),
            back=back,
        )
    loop_service.delete_action(action)
    flash(_("Note deleted."), "success")
    return redirect(url_for("staff.loop_action_list", slug=slug))


@bp.route(
    "/engagements/<slug>/actions/<int:action_id>/translations/<locale>", methods=["GET", "POST"]
)
@requires(may_approve_changes)
def loop_action_translate(slug, action_id, locale):
    engagement = engagement_for(slug)
    action = child_or_404(LoopAction, engagement, action_id)
    check_locale(locale)
    return render_translation_page(
        [translation_io.action_unit(action)],
        locale,
        engagement.title("en"),
        url_for("staff.loop_action_list", slug=slug),
    )
