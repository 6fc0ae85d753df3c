"""Staff pages of exchange mode (issue 18): turn it on and switch its phase, moderate shared
ideas and write their translations, read the results (Discover), and a projector view that
shows counts only."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from werkzeug.exceptions import BadRequest

from engagement import exchanges
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, current_locale, localized_name
from engagement.models import ExchangeIdea, ExchangePhase, IdeaState, StakeholderGroup
from engagement.staff import bp
from engagement.staff.access import (
    engagement_for,
    may_moderate_ideas,
    may_read_live_summaries,
    may_run_exchange,
    requires,
)
from engagement.staff.exchange_forms import (
    ExchangePhaseForm,
    ExchangeSettingsForm,
    IdeaDecisionForm,
    renderings_form,
)
from engagement.staff.flyer import qr_svg
from engagement.summary import min_group_size
from engagement.summary.exchange import results as exchange_results
from engagement.themes.codebook import get_codebook
from engagement.urls import public_url


def _exchange_or_redirect(engagement):
    exchange = exchanges.exchange_of(engagement.id)
    if exchange is None:
        return None, redirect(url_for("staff.exchange", slug=engagement.slug))
    return exchange, None


@bp.route("/engagements/<slug>/exchange", methods=["GET", "POST"])
@requires(may_run_exchange)
def exchange(slug):
    """Exchange mode of one engagement: turn it on, sample size, phase, links and counts."""
    engagement = engagement_for(slug)
    exchange = exchanges.exchange_of(engagement.id)
    form = ExchangeSettingsForm(
        data={"sample_size": exchange.sample_size if exchange else exchanges.DEFAULT_SAMPLE_SIZE}
    )
    if request.method == "POST":
        form = ExchangeSettingsForm()
        if not exchanges.can_run_exchange(engagement):
            abort(400)
        if form.validate():
            exchanges.enable(engagement, form.sample_size.data)
            flash(_("Exchange mode is on."), "success")
            return redirect(url_for("staff.exchange", slug=slug))
    url = public_url("public.exchange", slug=slug, channel="qr")
    return render_template(
        "staff/exchange.html",
        engagement=engagement,
        exchange=exchange,
        allowed=exchanges.can_run_exchange(engagement),
        form=form,
        phase_form=ExchangePhaseForm(),
        counts=exchanges.counts(exchange) if exchange else None,
        url=url,
        qr=qr_svg(url, _("QR code that opens the exchange: %(url)s", url=url)),
        Phase=ExchangePhase,
    )


@bp.route("/engagements/<slug>/exchange/phase", methods=["POST"])
@requires(may_run_exchange)
def exchange_phase(slug):
    """Switch to Share, Rate or Closed: the same QR code leads to the new phase."""
    engagement = engagement_for(slug)
    exchange, back = _exchange_or_redirect(engagement)
    if exchange is None:
        return back
    form = ExchangePhaseForm()
    if not form.validate():
        abort(400)
    exchanges.set_phase(exchange, ExchangePhase(form.phase.data))
    flash(_("The phase is changed. The QR code now leads there."), "success")
    return redirect(url_for("staff.exchange", slug=slug))


@bp.route("/engagements/<slug>/exchange/ideas")
@requires(may_moderate_ideas)
def exchange_ideas(slug):
    """The moderation queue: ideas as masked, pending first."""
    engagement = engagement_for(slug)
    exchange, back = _exchange_or_redirect(engagement)
    if exchange is None:
        return back
    return render_template(
        "staff/exchange_ideas.html",
        engagement=engagement,
        exchange=exchange,
        rows=[
            (idea, exchanges.idea_view(idea, answer, idea.locale), counted)
            for idea, answer, counted in exchanges.ideas_for_moderation(exchange)
        ],
        form=IdeaDecisionForm(),
        lang_names=LANGUAGE_NAMES,
        State=IdeaState,
    )


@bp.route("/engagements/<slug>/exchange/ideas/decide", methods=["POST"])
@requires(may_moderate_ideas)
def exchange_decide(slug):
    """Approve or reject one idea; audited."""
    engagement = engagement_for(slug)
    exchange, back = _exchange_or_redirect(engagement)
    if exchange is None:
        return back
    form = IdeaDecisionForm()
    if not form.validate():
        abort(400)
    try:
        idea = exchanges.decide(exchange, form.idea_id.data, IdeaState(form.decision.data))
    except exchanges.ExchangeError:
        flash(_("This answer is held for review. Release it on the held answers page first."))
        return redirect(url_for("staff.exchange_ideas", slug=slug))
    if idea is None:
        abort(404)
    if idea.state == IdeaState.APPROVED:
        flash(_("Idea approved: families can rate it now."), "success")
    else:
        flash(_("Idea rejected: nobody will be asked to rate it."), "success")
    return redirect(url_for("staff.exchange_ideas", slug=slug, _anchor=f"idea-{idea.id}"))


def _idea_arg(exchange) -> ExchangeIdea | None:
    try:
        idea_id = int(request.values.get("idea", ""))
    except (ValueError, BadRequest):
        return None
    if not 0 < idea_id < 2**31:
        return None
    idea = db.session.get(ExchangeIdea, idea_id)
    return idea if idea is not None and idea.exchange_id == exchange.id else None


@bp.route("/engagements/<slug>/exchange/translate", methods=["GET", "POST"])
@requires(may_moderate_ideas)
def exchange_translate(slug):
    """An idea's English rendering and its translations into the family languages."""
    engagement = engagement_for(slug)
    exchange, back = _exchange_or_redirect(engagement)
    if exchange is None:
        return back
    idea = _idea_arg(exchange)
    if idea is None:
        return redirect(url_for("staff.exchange_ideas", slug=slug))
    locales = [code for code in current_app.config["LANGUAGES"] if code != idea.locale]
    form = renderings_form(locales)()
    if request.method == "POST" and form.validate():
        exchanges.save_renderings(idea, {code: form[f"text_{code}"].data for code in locales})
        flash(_("Translations saved."), "success")
        return redirect(url_for("staff.exchange_ideas", slug=slug, _anchor=f"idea-{idea.id}"))
    if request.method == "GET":
        existing = {row.locale: row.text for row in idea.texts}
        for code in locales:
            form[f"text_{code}"].data = existing.get(code, "")
    return render_template(
        "staff/exchange_translate.html",
        engagement=engagement,
        idea=idea,
        view=exchanges.idea_view(idea, idea.answer, idea.locale),
        form=form,
        locales=locales,
        lang_names=LANGUAGE_NAMES,
    )


@bp.route("/engagements/<slug>/exchange/results")
@requires(may_read_live_summaries)
def exchange_results_page(slug):
    """Discover: ideas ranked by shrunk mean, group averages of k raters or more, common
    ground and what divides groups, themes."""
    engagement = engagement_for(slug)
    exchange, back = _exchange_or_redirect(engagement)
    if exchange is None:
        return back
    result = exchange_results(exchange.id, min_group_size())
    ideas = {
        idea.id: idea
        for idea in db.session.scalars(
            sa.select(ExchangeIdea).where(ExchangeIdea.exchange_id == exchange.id)
        )
    }
    locale = current_locale()
    views = {i: exchanges.idea_view(idea, idea.answer, locale) for i, idea in ideas.items()}
    groups = {g.id: localized_name(g).text for g in db.session.scalars(sa.select(StakeholderGroup))}
    codebook = get_codebook()
    return render_template(
        "staff/exchange_results.html",
        engagement=engagement,
        result=result,
        views=views,
        group_names=groups,
        lang_names=LANGUAGE_NAMES,
        stars=lambda value: format_decimal(float(value), "0.00"),
        theme_label=lambda code: (
            codebook.themes[code].label_for(locale) if code in codebook.themes else code
        ),
    )


@bp.route("/engagements/<slug>/exchange/projector")
@requires(may_run_exchange)
def exchange_projector(slug):
    """For the room's screen: the phase and counts, refreshed every 15 seconds; never an
    idea's text (unapproved ideas must not reach a screen)."""
    engagement = engagement_for(slug)
    exchange, back = _exchange_or_redirect(engagement)
    if exchange is None:
        return back
    url = public_url("public.exchange", slug=slug, channel="qr")
    return render_template(
        "staff/exchange_projector.html",
        engagement=engagement,
        exchange=exchange,
        counts=exchanges.counts(exchange),
        qr=qr_svg(url, _("QR code that opens the exchange: %(url)s", url=url)),
        url=url,
        Phase=ExchangePhase,
    )


def published_view(snapshot) -> dict | None:
    """A snapshot's exchange results for its page (council leads read only these): ideas
    still approved now, in the reader's language, with group names."""
    part = (snapshot.data or {}).get("exchange") if snapshot is not None else None
    if not part:
        return None
    ids = [i["id"] for i in part["ideas"]]
    ideas = {
        idea.id: idea
        for idea in db.session.scalars(
            sa.select(ExchangeIdea).where(
                ExchangeIdea.id.in_(ids or [-1]), ExchangeIdea.state == IdeaState.APPROVED
            )
        )
    }
    locale = current_locale()
    texts = {i: exchanges.idea_view(idea, idea.answer, locale) for i, idea in ideas.items()}
    names = {
        f"group:{g.id}": localized_name(g).text
        for g in db.session.scalars(sa.select(StakeholderGroup))
    }
    names.update(
        (f"lang:{code}", _("Rated in %(language)s", language=name))
        for code, name in LANGUAGE_NAMES.items()
    )
    codebook = get_codebook()
    return {
        "part": part,
        "ideas": [i for i in part["ideas"] if i["id"] in texts],
        "texts": texts,
        "names": names,
        "common_ground": [i for i in part["common_ground"] if i in texts],
        "divides": [i for i in part["divides"] if i in texts],
        "theme_label": lambda code: (
            codebook.themes[code].label_for(locale) if code in codebook.themes else code
        ),
    }
