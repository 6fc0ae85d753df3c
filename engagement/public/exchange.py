"""The exchange's family pages (issue 18): one address for the QR code that leads to Share
or Rate by phase, the Share form, the Rate form and their thank-you pages. No JavaScript.

A participant is a random key in the family's own signed session cookie (PARTICIPANTS),
never in a URL or a log line."""

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

from engagement import exchanges, labels
from engagement.extensions import csrf, limiter
from engagement.i18n import LANGUAGE_NAMES, current_locale
from engagement.models import Channel, ExchangePhase, HoldReason, PublicState, utcnow
from engagement.public import bp, services, tokens
from engagement.public.exchange_forms import ShareForm, rate_form, stars_of
from engagement.public.routes import accepted, submit_rate_limit
from engagement.submissions import SubmissionError

PARTICIPANTS = "exchange"
PARTICIPANTS_KEPT = 5


def _load(slug):
    """(engagement, exchange) for a family page, or 404."""
    engagement = services.form_engagement(slug, current_locale())
    if engagement is None:
        abort(404)
    exchange = exchanges.exchange_of(engagement.id)
    if exchange is None:
        abort(404)
    return engagement, exchange


def _closed_page(engagement, exchange):
    """The engagement or its exchange is not taking ideas or ratings now."""
    status = 410 if request.method == "POST" else 200
    page = render_template(
        "public/exchange_closed.html",
        engagement=engagement,
        exchange=exchange,
        kind_labels=labels.KIND,
        not_yet=engagement.public_state(utcnow()) == PublicState.NOT_YET_OPEN,
    )
    return page, status


def _participant(exchange, create=False):
    """This browser's participant in `exchange` (made on first need when `create`)."""
    kept = session.get(PARTICIPANTS)
    kept = kept if isinstance(kept, dict) else {}
    key = kept.get(str(exchange.id))
    participant = exchanges.participant_for(exchange, key if isinstance(key, str) else None)
    if participant is None and create:
        participant = exchanges.new_participant(exchange, current_locale())
        kept = {k: v for k, v in kept.items() if k != str(exchange.id)}
        kept[str(exchange.id)] = participant.key
        session[PARTICIPANTS] = dict(list(kept.items())[-PARTICIPANTS_KEPT:])
    return participant


def _page(template, **context):
    """A family page of the exchange: never kept by a shared cache (it holds a token or a
    participant's own sample)."""
    page = make_response(render_template(template, kind_labels=labels.KIND, **context))
    page.headers["Cache-Control"] = "private, no-store"
    return page


def _open(engagement, exchange, phase) -> bool:
    return engagement.is_accepting(utcnow()) and exchange.phase == phase


@bp.route("/e/<slug>/exchange")
def exchange(slug):
    """The address on the event's QR code: Share during the first part, Rate after staff
    switch the phase."""
    engagement, exchange = _load(slug)
    if not engagement.is_accepting(utcnow()) or exchange.phase == ExchangePhase.CLOSED:
        return _closed_page(engagement, exchange)
    target = (
        "public.exchange_share" if exchange.phase == ExchangePhase.SHARE else "public.exchange_rate"
    )
    args = {"slug": slug, "lang": current_locale()}
    if request.args.get("channel") == Channel.QR.value:
        args["channel"] = Channel.QR.value
    return redirect(url_for(target, **args), code=303)


@bp.route("/e/<slug>/exchange/share", methods=["GET", "POST"])
@csrf.exempt  # checked by the form, which gives the idea back instead of an error page
@limiter.limit(submit_rate_limit, methods=["POST"], deduct_when=accepted)
def exchange_share(slug):
    """Share one idea (POST/redirect/GET); it waits for staff approval before anyone rates."""
    engagement, exchange = _load(slug)
    if not _open(engagement, exchange, ExchangePhase.SHARE):
        if engagement.is_accepting(utcnow()) and exchange.phase == ExchangePhase.RATE:
            return redirect(url_for("public.exchange_rate", slug=slug, lang=current_locale()))
        return _closed_page(engagement, exchange)
    form = ShareForm(groups=services.form_groups(), channel=request.args.get("channel"))
    question = exchange.question
    if request.method == "GET":
        form.token.data = tokens.issue(engagement.id)
        return _share_page(engagement, question, form)
    if form.honeypot_filled:
        current_app.logger.info("honeypot filled on %s exchange; nothing stored", slug)
        return redirect(url_for("public.exchange_shared", slug=slug, lang=current_locale()), 303)
    token = tokens.read(form.token.data, engagement.id)
    valid = form.validate()
    if token.problem:
        current_app.logger.info("form token %s on %s exchange; nothing stored", token.problem, slug)
        form.token.data = tokens.issue(engagement.id)
        return _share_page(engagement, question, form, problem="stale"), 400
    if not valid:
        return _share_page(engagement, question, form), 400 if form.csrf_failed else 422
    fast = token.seconds_open() < float(current_app.config["FORM_MIN_SECONDS"])
    participant = _participant(exchange, create=True)
    try:
        exchanges.share_idea(
            exchange,
            participant,
            form.idea.data,
            current_locale(),
            token.nonce,
            channel=Channel(form.channel.data),
            group_ids=form.group_ids(),
            held_reason=HoldReason.MACHINE_SPEED if fast else None,
        )
    except (SubmissionError, exchanges.ExchangeError):
        current_app.logger.warning("idea refused for %s", slug)
        return _share_page(engagement, question, form, problem="changed"), 409
    current_app.logger.info("idea stored for %s", slug)
    return redirect(url_for("public.exchange_shared", slug=slug, lang=current_locale()), 303)


def _share_page(engagement, question, form, problem=None):
    return _page(
        "public/exchange_share.html",
        engagement=engagement,
        question=question,
        form=form,
        problem=problem,
        max_length=current_app.config["OPEN_TEXT_MAX_LENGTH"],
    )


@bp.route("/e/<slug>/exchange/shared")
def exchange_shared(slug):
    """Thanks for an idea: what happens to it next, and a way to share another."""
    engagement, exchange = _load(slug)
    return _page("public/exchange_shared.html", engagement=engagement, exchange=exchange)


@bp.route("/e/<slug>/exchange/rate", methods=["GET", "POST"])
@limiter.limit(submit_rate_limit, methods=["POST"], deduct_when=accepted)
def exchange_rate(slug):
    """Rate a balanced sample of other families' approved ideas (never one's own)."""
    engagement, exchange = _load(slug)
    if not _open(engagement, exchange, ExchangePhase.RATE):
        if engagement.is_accepting(utcnow()) and exchange.phase == ExchangePhase.SHARE:
            return redirect(url_for("public.exchange_share", slug=slug, lang=current_locale()))
        return _closed_page(engagement, exchange)
    locale = current_locale()
    if request.method == "POST":
        participant = _participant(exchange)
        if participant is None:  # no cookie: nothing of theirs was shown; start afresh
            return redirect(url_for("public.exchange_rate", slug=slug, lang=locale), 303)
        # Only the ideas this form showed: a form sent again after a newer sample was
        # drawn must not answer (skip) the newer one.
        shown = set(_ids(request.form.getlist("shown")))
        ideas = [idea for idea in exchanges.pending_sample(participant) if idea.id in shown]
        if not ideas:
            return redirect(url_for("public.exchange_rated", slug=slug, lang=locale), 303)
        form = rate_form(ideas, services.form_groups())
        if not form.validate():
            views = exchanges.sample_views(ideas, locale)
            return _rate_page(engagement, form, views), 400 if form.csrf_failed else 422
        exchanges.record_ratings(participant, stars_of(form), locale, form.group_ids(), only=shown)
        current_app.logger.info("ratings stored for %s", slug)
        return redirect(url_for("public.exchange_rated", slug=slug, lang=locale), 303)
    participant = _participant(exchange, create=True)
    ideas = exchanges.draw_sample(exchange, participant)
    # The groups are read after the writes above: a commit expires what was loaded before.
    form = rate_form(ideas, services.form_groups(), channel=request.args.get("channel"))
    form.roles.data = [str(g.id) for g in participant.groups if g.kind != "council"]
    form.councils.data = [str(g.id) for g in participant.groups if g.kind == "council"]
    return _rate_page(engagement, form, exchanges.sample_views(ideas, locale))


def _ids(values) -> list[int]:
    """Idea ids from form values; anything that is not one is dropped."""
    return [int(v) for v in values if v.isdigit() and len(v) < 10]


def _rate_page(engagement, form, views):
    return _page(
        "public/exchange_rate.html",
        engagement=engagement,
        form=form,
        views=views,
        lang_names=LANGUAGE_NAMES,
    )


@bp.route("/e/<slug>/exchange/rated")
def exchange_rated(slug):
    """Thanks for rating; more ideas to rate if any are left."""
    engagement, exchange = _load(slug)
    return _page("public/exchange_rated.html", engagement=engagement, exchange=exchange)
