"""Publishing an engagement's public results ("What we heard") and taking them down.

Staff publish the results as of the engagement's latest snapshot (engagement.summary.results
decides what they show); a closed engagement publishes its own when a family first asks,
unless staff took them down. Both actions ask for confirmation and are audited.
"""

from flask import flash, redirect, url_for

from engagement import audit
from engagement.i18n import _
from engagement.staff import bp, confirm
from engagement.staff.access import engagement_for, may_author, requires
from engagement.staff.authoring import done_or_errors
from engagement.staff.forms import ActionForm
from engagement.summary import results


def _back(engagement):
    return redirect(url_for("staff.engagement_detail", slug=engagement.slug) + "#results")


@bp.route("/engagements/<slug>/results/publish", methods=["POST"])
@requires(may_author)
def results_publish(slug):
    engagement = engagement_for(slug)
    done_or_errors(ActionForm())
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Publish the results?"),
            message=_(
                "Anyone will be able to read what families said, by theme, with approved "
                "quotes and the answers to the closed questions, as of the latest summary. "
                "Groups of fewer than %(k)s people are never shown.",
                k=results.report_min_group_size(),
            ),
            button=_("Yes, publish the results"),
            back=url_for("staff.engagement_detail", slug=engagement.slug),
        )
    previous = results.latest_public(engagement)
    before = results.is_shown(previous)
    snapshot = results.publish(engagement)
    if snapshot is None:
        flash(
            _("There are not enough answers yet to publish results. Please try again later."),
            "error",
        )
        return _back(engagement)
    if before and snapshot.id == previous.id:
        flash(
            _(
                "Fewer than %(k)s new answers were counted since the results were published, "
                "so the published results stay as they are.",
                k=results.report_min_group_size(),
            ),
            "success",
        )
        return _back(engagement)
    audit.record(
        "results.publish",
        target=engagement.slug,
        details={
            "published": {"before": before, "after": True},
            "as_of": {"before": None, "after": snapshot.made_at.isoformat()},
        },
    )
    flash(_("The results are published."), "success")
    return _back(engagement)


@bp.route("/engagements/<slug>/results/unpublish", methods=["POST"])
@requires(may_author)
def results_unpublish(slug):
    engagement = engagement_for(slug)
    done_or_errors(ActionForm())
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Take the results down?"),
            message=_(
                "Families will no longer see the results page; it will say that the results "
                "are not published yet. They stay down, even after the engagement closes, "
                "until you publish them again."
            ),
            button=_("Yes, take them down"),
            back=url_for("staff.engagement_detail", slug=engagement.slug),
        )
    if results.withdraw(engagement):
        audit.record(
            "results.unpublish",
            target=engagement.slug,
            details={"published": {"before": True, "after": False}},
        )
        flash(_("The results were taken down."), "success")
    else:
        flash(_("The results were not published."), "error")
    return _back(engagement)
