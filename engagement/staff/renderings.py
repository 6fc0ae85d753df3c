"""English beside every quote: staff write the English rendering of a comment quoted in
another language, from the review page or from the report's list of quotes still without
one. The rendering is checked like the quote's masking before it is saved
(engagement.themes.quoting.rendering_problems) and audited without its words.

Where the district runs its own LibreTranslate server (LIBRETRANSLATE_URL), staff may ask
for a machine draft of one quote (the quote as masked is sent, nothing else); it stays a
"machine draft", shown on these pages only, until a person checks and saves it."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engagement.extensions import db
from engagement.i18n import _
from engagement.machine_translation import MachineTranslationError, translate_to_english
from engagement.models import AnswerAnalysis, QuoteEnglish
from engagement.staff import bp
from engagement.staff.access import engagement_for, may_write_renderings, requires
from engagement.staff.forms import EnglishRenderingForm, MachineDraftForm
from engagement.staff.summary import review_args
from engagement.themes import quoting, review


def _problem_messages(problems: list[str]) -> list[str]:
    messages = {
        quoting.DETAILS: _(
            "The English rendering holds a detail that is masked in quotes (a name, a phone "
            "number, an e-mail or a street address). Write it as in the quote, for example "
            "[name] or […]."
        ),
        quoting.MASKS: _(
            "The quote has masked details ([…], [name], [phone] …). Keep each of them in the "
            "English rendering, where it falls in the sentence."
        ),
    }
    return [messages[p] for p in problems]


def _report_period() -> dict[str, str] | None:
    """The report's period when the page was opened from the report's list, else None."""
    if request.args.get("back") != "report":
        return None
    period = {}
    for name in ("start", "end"):
        try:
            period[name] = date.fromisoformat(request.args.get(name, "")).isoformat()
        except ValueError:
            continue
    return period


def kept_args() -> dict[str, str]:
    """What this page was opened with and keeps through its forms: the review page's
    filters, or the report's period (back=report)."""
    kept = review_args()
    kept.update({k: request.args[k] for k in ("back", "start", "end") if request.args.get(k)})
    return kept


def machine_drafts_on() -> bool:
    """True when the district has configured its own translation server."""
    return bool(current_app.config.get("LIBRETRANSLATE_URL"))


def _back_url(slug: str, answer_id: int) -> str:
    period = _report_period()
    if period is not None:
        return url_for("staff.export_report", **period)
    return url_for(
        "staff.review_answers", slug=slug, _anchor=f"answer-{answer_id}", **review_args()
    )


@bp.route("/summary/<slug>/review/<int:answer_id>/english", methods=["GET", "POST"])
@requires(may_write_renderings)
def review_english(slug, answer_id):
    """Write or correct the English rendering of one quote."""
    engagement = engagement_for(slug)
    answer = review.answer_in(engagement.id, answer_id)
    if answer is None:
        abort(404)
    quote = quoting.as_quoted(answer.text, answer.quote_text)
    current = db.session.get(QuoteEnglish, answer.id)
    form = EnglishRenderingForm()
    if request.method == "GET" and current is not None:
        form.text.data = current.text
    if form.validate_on_submit():
        problems = review.set_english(answer, form.text.data, current_user, engagement.slug)
        if not problems:
            flash(_("English rendering saved."), "success")
            return redirect(_back_url(slug, answer.id))
        form.text.errors = _problem_messages(problems)
    rendering = review.english_of([answer.id], {answer.id: quote}).get(answer.id)
    analysis = db.session.get(AnswerAnalysis, answer.id)
    status = 400 if form.errors else 200
    return render_template(
        "staff/review_english.html",
        engagement=engagement,
        answer=answer,
        lang=analysis.lang if analysis else None,
        quote=quote,
        rendering=rendering,
        form=form,
        draft_form=MachineDraftForm() if machine_drafts_on() else None,
        keep=kept_args(),
        back=_back_url(slug, answer.id),
    ), status


@bp.route("/summary/<slug>/review/<int:answer_id>/english/draft", methods=["POST"])
@requires(may_write_renderings)
def review_english_draft(slug, answer_id):
    """Ask the district's translation server for a machine draft of one quote's English
    rendering (404 when none is configured: nothing is sent anywhere)."""
    engagement = engagement_for(slug)
    answer = review.answer_in(engagement.id, answer_id)
    if answer is None or not machine_drafts_on():
        abort(404)
    again = redirect(url_for("staff.review_english", slug=slug, answer_id=answer.id, **kept_args()))
    # The CSRF token is checked for every POST by CSRFProtect (engagement.extensions).
    analysis = db.session.get(AnswerAnalysis, answer.id)
    config = current_app.config
    try:
        draft = translate_to_english(
            quoting.as_quoted(answer.text, answer.quote_text),
            analysis.lang if analysis else None,
            config["LIBRETRANSLATE_URL"],
            config.get("LIBRETRANSLATE_API_KEY"),
        )
    except MachineTranslationError:
        flash(
            _(
                "The translation server did not answer. Write the rendering yourself, "
                "or try again later."
            ),
            "error",
        )
        return again
    if review.store_machine_draft(answer, draft, current_user, engagement.slug):
        flash(
            _("Machine draft ready. Check every word against the quote, then save it."), "success"
        )
    else:
        flash(_("This quote already has an English rendering written by a person."), "error")
    return again
