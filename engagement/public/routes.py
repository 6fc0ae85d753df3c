"""Views of the family-facing blueprint: home, the engagement form, thank-you page."""

from flask import (
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from engagement import errors, labels
from engagement.extensions import csrf, limiter
from engagement.i18n import current_locale
from engagement.models import HoldReason, PublicState, QuestionKind, new_receipt_code, utcnow
from engagement.public import bp, services, tokens
from engagement.public.forms import clean_text, field_name, make_form
from engagement.submissions import SubmissionError


def submit_rate_limit() -> str:
    """The per-client limit on sending forms, from the config (read per request)."""
    return current_app.config["SUBMIT_RATE_LIMIT"]


def accepted(response) -> bool:
    """Only an accepted form counts toward the per-address limit: a page sent back to be
    corrected (400, 409, 422) or refused (429) never uses up anyone's tries."""
    return response.status_code < 400


@bp.route("/")
def home():
    """Open engagements, what happens with feedback, and recent "you said, we did" notes."""
    closed = services.closed_with_actions()
    return render_template(
        "public/home.html",
        engagements=services.open_engagements(),
        closed=closed,
        actions=services.published_loop_actions(e.id for e in closed),
        kind_labels=labels.KIND,
        action_labels=labels.ACTION_STATUS,
    )


@bp.route("/privacy")
def privacy():
    """The privacy notice: what is asked, who reads it, how long it is kept, small groups."""
    return render_template(
        "public/privacy.html",
        retention_days=current_app.config["RETENTION_DAYS"],
        min_group=current_app.config["MIN_GROUP_SIZE"],
        report_min_group=current_app.config["REPORT_MIN_GROUP_SIZE"],
    )


# CSRF is checked by the form itself (see ResponseForm), so that a missing or expired token
# re-renders the family's answers instead of an error page.
@bp.route("/e/<slug>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(submit_rate_limit, methods=["POST"], deduct_when=accepted)
def engagement(slug):
    """Show the form of one engagement, and store a valid answer (POST/redirect/GET)."""
    engagement = services.form_engagement(slug, current_locale())
    if engagement is None:
        abort(404)
    now = utcnow()
    state = engagement.public_state(now)
    if state != PublicState.OPEN:
        return unavailable(engagement, state, now)

    form = make_form(
        engagement,
        services.form_groups(),
        services.form_schools(),
        channel=request.args.get("channel"),
    )
    if request.method == "GET":
        form.token.data = tokens.issue(engagement.id)
        return render_form(engagement, form)
    if form.honeypot_filled:
        # Pretend to accept, store nothing, and give a bot no signal to adapt to.
        current_app.logger.info("honeypot filled on %s; nothing stored", engagement.slug)
        return render_template(
            "public/thanks.html", engagement=engagement, receipt=new_receipt_code()
        )
    token = tokens.read(form.token.data, engagement.id)
    valid = form.validate()
    if token.problem:
        # Not sent from a form we served, or served too long ago: store nothing, and give
        # the answers back with a fresh token (and any other errors at the same time).
        current_app.logger.info("form token %s on %s; nothing stored", token.problem, slug)
        form.token.data = tokens.issue(engagement.id)
        return render_form(engagement, form, problem="stale"), 400
    if not valid:
        status = 400 if form.csrf_failed else 422
        return render_form(engagement, form), status
    fast = token.seconds_open() < float(current_app.config["FORM_MIN_SECONDS"])
    held = HoldReason.MACHINE_SPEED if fast else None
    try:
        response = services.submit(engagement, form, current_locale(), token.nonce, held)
    except SubmissionError:
        # The engagement changed between showing and sending the form.
        current_app.logger.warning("submission refused for %s", engagement.slug)
        return render_form(engagement, form, problem="changed"), 409
    current_app.logger.info(
        "response stored for %s (%d answers)", engagement.slug, len(response.answers)
    )
    remember_receipt(engagement.slug, response.receipt_code)
    return redirect(url_for("public.thanks", slug=engagement.slug, lang=response.locale), code=303)


# The receipt code travels in the family's own signed session cookie, never in a URL: a
# URL lands in proxy and access logs, where an address and a time would tie it to one answer.
RECEIPTS = "receipts"
RECEIPTS_KEPT = 5


def remember_receipt(slug: str, receipt: str) -> None:
    """Keep the receipt of this browser's latest answer to `slug` for the thank-you page."""
    kept = {k: v for k, v in (session.get(RECEIPTS) or {}).items() if k != slug}
    kept[slug] = receipt
    session[RECEIPTS] = dict(list(kept.items())[-RECEIPTS_KEPT:])


@bp.route("/e/<slug>/thanks")
def thanks(slug):
    """The thank-you page with this browser's receipt code; nothing of the answers is shown.
    Without one (another browser, a lost cookie) the page thanks without a code."""
    engagement = services.form_engagement(slug, current_locale())
    if engagement is None:
        abort(404)
    receipts = session.get(RECEIPTS)
    receipt = receipts.get(slug) if isinstance(receipts, dict) else None
    page = make_response(
        render_template("public/thanks.html", engagement=engagement, receipt=receipt)
    )
    page.headers["Cache-Control"] = "private, no-store"
    return page


@bp.errorhandler(429)
def too_many_sent(error):
    """Over the per-address limit: a form sent back with every answer, in the family's
    language, asking to wait a minute; anything else gets the usual page."""
    engagement = None
    if request.endpoint == "public.engagement" and request.method == "POST":
        engagement = services.form_engagement(request.view_args["slug"], current_locale())
    if engagement is None or not engagement.is_accepting(utcnow()):
        return errors.render_error(429)
    form = make_form(
        engagement,
        services.form_groups(),
        services.form_schools(),
        channel=request.args.get("channel"),
    )
    if tokens.read(form.token.data, engagement.id).problem:
        form.token.data = tokens.issue(engagement.id)
    current_app.logger.info("submit limit reached on %s; answers sent back", engagement.slug)
    page = render_form(engagement, form, problem="busy")
    return page, 429, {"Retry-After": "60"}


def render_form(engagement, form, problem=None):
    """The form page, with any errors and everything the family gave. `problem` explains a
    page sent back for another reason than the answers: "changed" (the form changed),
    "stale" (no valid form token) or "busy" (too many forms from one address).

    The page carries a one-time token: no shared cache (proxy, CDN) may keep it and hand
    the same token to many families, whose answers would then look like replays."""
    page = make_response(
        render_template(
            "public/engagement.html",
            engagement=engagement,
            form=form,
            problem=problem,
            kind_labels=labels.KIND,
            max_length=current_app.config["OPEN_TEXT_MAX_LENGTH"],
        )
    )
    page.headers["Cache-Control"] = "private, no-cache"
    return page


def unavailable(engagement, state, now):
    """Closed, draft or not yet open: say so clearly; closed ones show what was done."""
    written = []
    if request.method == "POST":
        # Give back what the family wrote, so that nothing typed is lost.
        open_fields = [
            field_name(q) for q in engagement.visible_questions if q.kind == QuestionKind.OPEN_TEXT
        ]
        written = [clean_text(request.form.get(name, "")) for name in open_fields]
        written = [text for text in written if text]
    closed = state == PublicState.CLOSED
    actions = services.published_loop_actions([engagement.id])[engagement.id] if closed else []
    status = 410 if request.method == "POST" else 200
    return (
        render_template(
            "public/unavailable.html",
            engagement=engagement,
            state=state,
            PublicState=PublicState,
            closed_on=engagement.ended_at(now),  # None for an engagement closed early
            actions=actions,
            written=written,
            kind_labels=labels.KIND,
            action_labels=labels.ACTION_STATUS,
        ),
        status,
    )
