"""Staff decide on council leads' proposals: suggested theme re-codes, quotes to leave out
and draft "you said, we did" notes (engagement.staff.services.proposals)."""

from flask import abort, flash, redirect, render_template, url_for

from engagement import labels
from engagement.extensions import db
from engagement.i18n import _
from engagement.models import ActionStatus, Proposal
from engagement.staff import bp
from engagement.staff.access import may_approve_changes, requires
from engagement.staff.forms import ProposalDecisionForm
from engagement.staff.loop import theme_choices
from engagement.staff.services import proposals as service
from engagement.staff.services.texts import source_row
from engagement.themes.quoting import as_quoted


@bp.route("/proposals")
@requires(may_approve_changes)
def proposals():
    waiting = service.waiting()
    return render_template(
        "staff/proposals.html",
        proposals=waiting,
        form=ProposalDecisionForm(),
        themes=dict(theme_choices()),
        status_labels={s.value: labels.ACTION_STATUS[s] for s in ActionStatus},
        quotes={p.id: as_quoted(p.answer.text, p.answer.quote_text) for p in waiting if p.answer},
        current={p.id: source_row(p.loop_action.texts) for p in waiting if p.loop_action},
    )


@bp.route("/proposals/<int:proposal_id>", methods=["POST"])
@requires(may_approve_changes)
def proposal_decide(proposal_id):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    form = ProposalDecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose to approve or reject the suggestion."), "error")
    elif not service.decide(proposal, form.decision.data == "approve"):
        flash(_("Someone has already decided on this suggestion."), "error")
    elif form.decision.data == "approve":
        flash(_("Suggestion approved: the change is made."), "success")
    else:
        flash(_("Suggestion rejected: nothing changes."), "success")
    return redirect(url_for("staff.proposals"))
