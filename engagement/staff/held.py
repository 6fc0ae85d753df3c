"""The review queue of held answers (engagement.holds): staff and admins release them
(they count from then on) or set them aside (kept, never counted). Council leads have no
access: a held answer may be an attack on their council's numbers, and staff decide."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import ngettext

from engagement import holds, labels
from engagement.i18n import _, _l, localized
from engagement.models import HoldReason, HoldState, QuestionKind
from engagement.staff import bp
from engagement.staff.access import may_review_held, requires
from engagement.staff.forms import HeldDecisionForm
from engagement.themes.pii import mask_pii

REASONS = {
    HoldReason.DUPLICATE_TEXT: _l(
        "The same written answer was sent several times in a few minutes."
    ),
    HoldReason.MACHINE_SPEED: _l(
        "Sent a few seconds after the page opened, faster than anyone reads."
    ),
}


def answer_value(question, choice, text) -> str:
    """What the family answered, as staff read it: written text masked as summaries mask
    it, a choice by its label."""
    if text is not None:
        return mask_pii(text)
    if question.kind == QuestionKind.LIKERT5:
        return str(labels.LIKERT5.get(choice, choice))
    if question.kind == QuestionKind.RATING:
        return str(labels.RATING.get(choice, choice))
    option = next((o for o in question.options if o.code == choice), None)
    if option is None:
        return choice
    return localized(option, "label").text or choice


@bp.route("/held")
@requires(may_review_held)
def held():
    """Answers waiting for review, oldest first, grouped by engagement."""
    groups, total = holds.waiting_by_engagement()
    return render_template(
        "staff/held.html",
        groups=groups,
        total=total,
        shown=sum(len(g.responses) for g in groups),
        form=HeldDecisionForm(),
        reasons=REASONS,
        answer_value=answer_value,
    )


@bp.route("/held/decide", methods=["POST"])
@requires(may_review_held)
def held_decide():
    """Release or set aside one held answer, or the ones ticked; audited."""
    form = HeldDecisionForm()
    valid = form.validate_on_submit()
    if form.decision.errors:  # not one of the two buttons: a forged request
        abort(400)
    if not valid:
        flash(_("Tick at least one answer first."), "error")
        return redirect(url_for("staff.held"))
    state = HoldState(form.decision.data)
    changed = holds.decide(form.response_ids.data, state)
    if state == HoldState.RELEASED:
        message = ngettext(
            "%(num)s answer released: it counts from now on.",
            "%(num)s answers released: they count from now on.",
            changed,
        )
    else:
        message = ngettext(
            "%(num)s answer set aside: it is kept but not counted.",
            "%(num)s answers set aside: they are kept but not counted.",
            changed,
        )
    flash(message, "success")
    return redirect(url_for("staff.held"))
