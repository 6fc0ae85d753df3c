"""The "needs follow-up" queue (engagement.followup): comments that need a person now and
families who asked to be contacted, oldest first, with age, reason, owner and state. Staff
and admins only; council leads never see it. Contact details show only to accounts that
may see them (`may_see_contacts`)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engagement import followup
from engagement.i18n import _, _l
from engagement.models import FollowUpReason, FollowUpState
from engagement.staff import bp
from engagement.staff.access import may_follow_up, may_see_contacts, requires
from engagement.staff.forms import FollowUpTakeForm, FollowUpUpdateForm
from engagement.themes.pii import mask_pii

REASONS = {
    FollowUpReason.SELF_HARM: _l("Self-harm or suicide"),
    FollowUpReason.VIOLENCE_THREAT: _l("Threat of violence"),
    FollowUpReason.ABUSE_NEGLECT: _l("Abuse or neglect"),
    FollowUpReason.CRISIS: _l("A family or student in crisis"),
    FollowUpReason.BULLYING_HARM: _l("Bullying with ongoing harm"),
    FollowUpReason.HAZARD: _l("Safety hazard"),
    FollowUpReason.CONTACT_REQUEST: _l("Asked to be contacted"),
}
STATES = {
    FollowUpState.OPEN: _l("Open"),
    FollowUpState.IN_PROGRESS: _l("In progress"),
    FollowUpState.DONE: _l("Done"),
}


def _item_or_404(item_id: int):
    item = followup.get(item_id)
    if item is None:
        abort(404)
    return item


@bp.route("/follow-up")
@requires(may_follow_up)
def follow_up():
    """Items that need a person, oldest first (with `?all=1`, the done ones too)."""
    include_done = request.args.get("all") == "1"
    items, total = followup.queue(include_done=include_done)
    show_contacts = may_see_contacts(current_user)
    return render_template(
        "staff/follow_up.html",
        items=items,
        total=total,
        include_done=include_done,
        school_days=followup.school_days(),
        show_contacts=show_contacts,
        shown_text=lambda text: text if show_contacts else mask_pii(text),
        reasons=REASONS,
        states=STATES,
        take_form=FollowUpTakeForm(),
        update_form=FollowUpUpdateForm,
    )


@bp.route("/follow-up/<int:item_id>/take", methods=["POST"])
@requires(may_follow_up)
def follow_up_take(item_id):
    """Take an item: you become its owner; audited."""
    item = _item_or_404(item_id)
    if FollowUpTakeForm().validate_on_submit():
        followup.assign(item, current_user)
        flash(_("You now own this follow-up."), "success")
    return redirect(url_for("staff.follow_up", _anchor=f"follow-up-{item.id}"))


@bp.route("/follow-up/<int:item_id>/update", methods=["POST"])
@requires(may_follow_up)
def follow_up_update(item_id):
    """Change an item's state and note; audited (without the note)."""
    item = _item_or_404(item_id)
    form = FollowUpUpdateForm()
    if not form.validate_on_submit():
        flash(_("The follow-up was not changed: check the state and keep the note short."), "error")
    else:
        followup.update(item, FollowUpState(form.state.data), form.note.data, current_user)
        flash(_("Follow-up saved."), "success")
    return redirect(url_for("staff.follow_up", _anchor=f"follow-up-{item.id}"))
