"""The public results of an engagement ("What we heard"): a published snapshot only.

The page reads nothing but the engagement's public snapshot (engagement.summary.results):
no live count, no filter, no date window, so nobody can set two views side by side to
single out a small group. Before results are published (a draft, an open engagement, or
results staff withdrew) the page says so, with the closing date when there is one.
"""

from flask import abort, make_response, render_template

from engagement import labels
from engagement.i18n import current_locale
from engagement.models import PublicState, utcnow
from engagement.public import bp, services
from engagement.summary import display, percent, results

# What the public page shows of who took part (schools, channels and race or ethnicity stay
# in the staff and council views and the Commitment 4 report).
PUBLIC_BREAKDOWNS = ("group", "language")
# Quotes shown per theme: two keep a page of a dozen themes light on a phone.
PUBLIC_QUOTES = 2


@bp.route("/e/<slug>/results")
def results_page(slug):
    """What we heard: participation, themes with quotes, closed questions, and notes."""
    locale = current_locale()
    engagement = services.engagement_by_slug(slug, locale)
    if engagement is None:
        abort(404)
    state = engagement.public_state(utcnow())
    snapshot = None if state == PublicState.DRAFT else results.public_snapshot(engagement)
    closed = state == PublicState.CLOSED
    actions = services.published_loop_actions([engagement.id])[engagement.id] if closed else []
    context = {
        "engagement": engagement,
        "state": state,
        "PublicState": PublicState,
        "closes_at": engagement.closes_at if state != PublicState.DRAFT else None,
        "actions": actions,
        "kind_labels": labels.KIND,
        "action_labels": labels.ACTION_STATUS,
        "display": display,
        "percent": percent,
    }
    if snapshot is None:
        page = make_response(render_template("public/results_pending.html", **context))
    else:
        summary = results.public_summary(snapshot)
        # A question nobody answered has nothing to tell.
        summary.questions = [q for q in summary.questions if q.answered.n != 0]
        k = summary.min_group_size

        def shown(cell, _k=None):
            """ "fewer than 10": the group size the results were protected with."""
            return display(cell, k)

        def counted(cell):
            """A count with its share: "36 (92%)", or "fewer than 10"."""
            share = percent(cell)
            return f"{shown(cell)} ({share})" if share and not cell.suppressed else shown(cell)

        page = make_response(
            render_template(
                "public/results.html",
                snapshot=snapshot,
                summary=summary,
                k=k,
                breakdowns=[b for b in summary.breakdowns if b.dimension in PUBLIC_BREAKDOWNS],
                counted=counted,
                quotes_per_theme=PUBLIC_QUOTES,
                **(context | {"display": shown}),
            )
        )
    # The same for everyone, but it changes when staff publish or withdraw results.
    page.headers["Cache-Control"] = "no-cache"
    return page
