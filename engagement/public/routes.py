"""Views of the family-facing blueprint: home, the engagement form, thank-you page."""

import secrets

from babel.numbers import get_group_symbol
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
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from engagement import errors, labels
from engagement.extensions import csrf, limiter
from engagement.i18n import current_locale, supported
from engagement.models import (
    Channel,
    HoldReason,
    PublicState,
    QuestionKind,
    new_receipt_code,
    utcnow,
)
from engagement.public import bp, services, tokens
from engagement.public.forms import FORM_CHANNELS, clean_text, field_name, make_form
from engagement.submissions import SubmissionError


def submit_rate_limit() -> str:
    """The per-client limit on sending forms, from the config (read per request)."""
    return current_app.config["SUBMIT_RATE_LIMIT"]


def accepted(response) -> bool:
    """Only an accepted form counts toward the per-address limit: a page sent back to be
    corrected (400, 409, 422) or refused (429) never uses up anyone's tries."""
    return response.status_code < 400


def is_language_change() -> bool:
    """A form sent with a language button of the header: shown again, never stored, so it
    is not limited like sending (no more than loading the page is)."""
    return request.method == "POST" and "change_language" in request.form


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
@limiter.limit(
    submit_rate_limit, methods=["POST"], deduct_when=accepted, exempt_when=is_language_change
)
def engagement(slug):
    """Show the form of one engagement, and store a valid answer (POST/redirect/GET)."""
    locale = current_locale()
    if request.method == "POST" and not is_language_change():
        # A language change is shown again, never stored (see below).
        latest = services.latest_form(slug, locale)
        stored = store_quickly(latest) if latest is not None else None
        if stored is not None:
            return stored
    entry = services.current_form(slug, locale)
    if entry is None:
        abort(404)
    engagement = entry.engagement
    now = utcnow()
    state = engagement.public_state(now)
    if state != PublicState.OPEN:
        return unavailable(engagement, state, now)

    district = services.district()
    if request.method == "GET":
        return blank_form(entry, district)
    form = family_form(entry, district)
    if is_language_change():
        # The page's language comes from the button's ?lang=; the answers come back as they
        # were, unchecked, with the form token kept (a fresh one if it is no good).
        if tokens.read(form.token.data, engagement.id).problem:
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
    try:
        return store(entry, form, token)
    except SubmissionError:
        # The engagement changed between showing and sending the form.
        current_app.logger.warning("submission refused for %s", engagement.slug)
        return render_form(engagement, form, problem="changed"), 409


def store_quickly(entry):
    """Store a valid form sent to the copy of the engagement this process last checked,
    without reading the engagement again: the INSERT stores nothing unless that copy is
    still current. None when anything else than storing is to be done (closed, a bot, a
    bad token or answer, a changed engagement): the view then starts again on a checked
    copy, and explains."""
    if entry.engagement.public_state(utcnow()) != PublicState.OPEN:
        return None
    form = family_form(entry, services.district())
    if form.honeypot_filled:
        return None
    token = tokens.read(form.token.data, entry.engagement.id)
    if token.problem or not form.validate():
        return None
    try:
        return store(entry, form, token)
    except SubmissionError:
        return None


def family_form(entry, district):
    """The family form of `entry`, filled from the request; its class and choices are
    kept with the cached engagement."""
    return make_form(
        entry.engagement,
        district.groups,
        district.schools,
        memo=entry.memo_for(district),
        channel=request.args.get("channel"),
        source=request.args.get("school"),
    )


def store(entry, form, token):
    """Store a validated form, remember its receipt and redirect to the thank-you page."""
    engagement = entry.engagement
    fast = token.seconds_open() < float(current_app.config["FORM_MIN_SECONDS"])
    held = HoldReason.MACHINE_SPEED if fast else None
    locale = current_locale()
    response = services.submit(engagement, form, locale, token.nonce, held, entry.version)
    current_app.logger.info(
        "response stored for %s (%d answers)", engagement.slug, len(form.answers())
    )
    remember_receipt(engagement.slug, response.receipt_code, entry.version)
    return redirect(url_for("public.thanks", slug=engagement.slug, lang=response.locale), code=303)


# The receipt code travels in the family's own signed session cookie, never in a URL: a
# URL lands in proxy and access logs, where an address and a time would tie it to one answer.
# With it, the version of the form it answered, so that the thank-you page can use the
# cached engagement without reading it again.
RECEIPTS = "receipts"
RECEIPT_VERSIONS = "receipt_versions"
RECEIPTS_KEPT = 5


def remember_receipt(slug: str, receipt: str, version=None) -> None:
    """Keep the receipt of this browser's latest answer to `slug` for the thank-you page."""
    for key, value in ((RECEIPTS, receipt), (RECEIPT_VERSIONS, version)):
        kept = {k: v for k, v in (session.get(key) or {}).items() if k != slug}
        if value is not None:
            kept[slug] = value.isoformat() if key == RECEIPT_VERSIONS else value
        session[key] = dict(list(kept.items())[-RECEIPTS_KEPT:])


def remembered(key: str, slug: str):
    kept = session.get(key)
    return kept.get(slug) if isinstance(kept, dict) else None


@bp.route("/e/<slug>/thanks")
def thanks(slug):
    """The thank-you page with this browser's receipt code; nothing of the answers is shown.
    Without one (another browser, a lost cookie) the page thanks without a code."""
    locale = current_locale()
    receipt = remembered(RECEIPTS, slug)
    # Right after sending, this process has the engagement as it was answered: no query.
    entry = services.latest_form(slug, locale) if receipt else None
    if entry is None or entry.version.isoformat() != remembered(RECEIPT_VERSIONS, slug):
        entry = services.current_form(slug, locale)
    if entry is None:
        abort(404)
    html = cached_page(
        entry,
        ("thanks", bool(receipt)),
        lambda: render_template(
            "public/thanks.html",
            engagement=entry.engagement,
            receipt=RECEIPT_MARK if receipt else None,
        ),
    )
    page = make_response(html.replace(RECEIPT_MARK, receipt or ""))
    page.headers["Cache-Control"] = "private, no-store"
    return page


@bp.errorhandler(429)
def too_many_sent(error):
    """Over the per-address limit: a form sent back with every answer, in the family's
    language, asking to wait a minute; anything else gets the usual page."""
    entry = None
    if request.endpoint == "public.engagement" and request.method == "POST":
        entry = services.current_form(request.view_args["slug"], current_locale())
    if entry is None or not entry.engagement.is_accepting(utcnow()):
        return errors.render_error(429)
    engagement = entry.engagement
    form = family_form(entry, services.district())
    if tokens.read(form.token.data, engagement.id).problem:
        form.token.data = tokens.issue(engagement.id)
    current_app.logger.info("submit limit reached on %s; answers sent back", engagement.slug)
    page = render_form(engagement, form, problem="busy")
    return page, 429, {"Retry-After": "60"}


# Marks rendered in the place of each request's own values in a page kept for many
# requests; random per process, so that no engagement text can contain one.
TOKEN_MARK = "m" + secrets.token_hex(16)
CSRF_MARK = "m" + secrets.token_hex(16)
RECEIPT_MARK = "m" + secrets.token_hex(16)
SHAREABLE_ARGS = {"lang", "channel", "school"}
PAGES_KEPT = 24


def cached_page(entry, name, render) -> str:
    """The page `render()` makes for `entry`, kept with it for the next requests with the
    same query string. A request whose page may differ otherwise (other query
    arguments, messages flashed for it) gets its own render."""
    args = list(request.args.items(multi=True))
    shareable = (
        "_flashes" not in session
        and len(args) == len({key for key, _value in args})
        and all(key in SHAREABLE_ARGS for key, _value in args)
        and request.args.get("lang", current_locale()) in supported()
        and request.args.get("channel", Channel.WEB.value) in FORM_CHANNELS
        and ("school" not in request.args or services.school_by_code(request.args["school"]))
    )
    if not shareable:
        return render()
    memo = entry.memo_for(services.district())
    key = (name, request.query_string)
    html = memo.get(key)
    if html is None:
        html = render()
        if sum(isinstance(k, tuple) for k in memo) < PAGES_KEPT:
            memo[key] = html
    return html


def blank_form(entry, district):
    """The form page as first served: the template's blank render, kept per engagement
    version, locale and query string, with this request's form and CSRF tokens filled in."""

    def render():
        form = family_form(entry, district)
        form.token.data = TOKEN_MARK
        if getattr(form, "csrf_token", None) is not None:
            form.csrf_token.current_token = CSRF_MARK
        return render_form_html(entry.engagement, form)

    html = cached_page(entry, "form", render)
    html = html.replace(TOKEN_MARK, tokens.issue(entry.engagement.id))
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, generate_csrf())
    page = make_response(html)
    page.headers["Cache-Control"] = "private, no-cache"
    return page


def render_form(engagement, form, problem=None):
    """The form page, with any errors and everything the family gave. `problem` explains a
    page sent back for another reason than the answers: "changed" (the form changed),
    "stale" (no valid form token) or "busy" (too many forms from one address).

    The page carries a one-time token: no shared cache (proxy, CDN) may keep it and hand
    the same token to many families, whose answers would then look like replays."""
    page = make_response(render_form_html(engagement, form, problem))
    page.headers["Cache-Control"] = "private, no-cache"
    return page


def render_form_html(engagement, form, problem=None) -> str:
    return render_template(
        "public/engagement.html",
        engagement=engagement,
        form=form,
        problem=problem,
        kind_labels=labels.KIND,
        max_length=current_app.config["OPEN_TEXT_MAX_LENGTH"],
        # For the character counter, to write numbers as format_number does.
        number_group=get_group_symbol(get_locale()),
    )


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
