"""The staff preview of a family form, in each offered language, and its test answers.

A preview is the family page as families will see it (draft, scheduled or open), with a
banner saying it is a preview, `noindex`, and never kept in the family pages' cache. What
is sent from it is stored as a test answer: flagged, counted nowhere, removable.
"""

from babel.numbers import get_group_symbol
from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext, refresh

from engagement import labels
from engagement.i18n import LANGUAGE_NAMES, _, current_locale, supported
from engagement.public import tokens
from engagement.public.forms import make_form
from engagement.public.services import district
from engagement.staff import bp, confirm
from engagement.staff.access import engagement_for, may_author, requires
from engagement.staff.authoring import done_or_errors
from engagement.staff.forms import ActionForm
from engagement.staff.services import preview as preview_service
from engagement.submissions import SubmissionError


def preview_url(slug: str):
    """lang_url for the preview's language control: the same preview in another language."""
    # query_only (the family page's relative "?lang=" form) does not apply: the preview's
    # language is in its path.
    return lambda code, query_only=False: url_for("staff.preview", slug=slug, locale=code)


def render_preview(engagement, form, locale, status=200):
    offered = engagement.offered_languages
    page = make_response(
        render_template(
            "public/engagement.html",
            engagement=engagement,
            form=form,
            problem=None,
            kind_labels=labels.KIND,
            max_length=current_app.config["OPEN_TEXT_MAX_LENGTH"],
            number_group=get_group_symbol(get_locale()),
            language_names=[
                (code, LANGUAGE_NAMES.get(code, code)) for code in supported() if code in offered
            ],
            lang_url=preview_url(engagement.slug),
            offered_notice=None,
            requested_locale=None,
            preview=True,
            form_action=url_for("staff.preview", slug=engagement.slug, locale=locale),
            back_url=url_for("staff.engagement_detail", slug=engagement.slug),
        ),
        status,
    )
    # A staff page with a one-time token: never stored by a browser or a shared cache.
    page.headers["Cache-Control"] = "private, no-store"
    page.headers["X-Robots-Tag"] = "noindex, nofollow"
    return page


@bp.route("/engagements/<slug>/preview/<locale>", methods=["GET", "POST"])
@requires(may_author)
def preview(slug, locale):
    """The family form of `slug` in `locale`, as families will see it; what is sent from it
    is stored as a test answer."""
    engagement = engagement_for(slug)
    if locale not in engagement.offered_languages or locale not in supported():
        abort(404)
    g.locale = locale
    refresh()
    groups = district()
    form = make_form(engagement, groups.groups, groups.schools, preview=True)
    if request.method == "GET":
        form.token.data = tokens.issue(engagement.id)
        return render_preview(engagement, form, locale)
    if "change_language" in request.form:
        # The header's language buttons send the answers back, shown in that language.
        if tokens.read(form.token.data, engagement.id).problem:
            form.token.data = tokens.issue(engagement.id)
        return render_preview(engagement, form, locale)
    token = tokens.read(form.token.data, engagement.id)
    if token.problem:
        form.token.data = tokens.issue(engagement.id)
    if token.problem or not form.validate():
        return render_preview(engagement, form, locale, 422)
    try:
        response = preview_service.store_test_answer(engagement, form, locale, token.nonce)
    except SubmissionError:
        form.token.data = tokens.issue(engagement.id)
        return render_preview(engagement, form, locale, 409)
    with_staff_locale()
    flash(
        _(
            "Test answer %(receipt)s stored. It is marked as a test and counted nowhere.",
            receipt=response.receipt_code,
        ),
        "success",
    )
    return redirect(url_for("staff.preview", slug=slug, locale=locale), code=303)


def with_staff_locale() -> None:
    """Back to the staff member's own language (the preview switched to the form's)."""
    g.pop("locale", None)
    refresh()
    current_locale()


@bp.route("/engagements/<slug>/test-answers/remove", methods=["POST"])
@requires(may_author)
def test_answers_remove(slug):
    """Delete the engagement's test answers, after a confirmation (audited)."""
    engagement = engagement_for(slug)
    done_or_errors(ActionForm())
    back = url_for("staff.engagement_detail", slug=slug) + "#test-answers"
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Remove the test answers?"),
            message=_(
                "The answers sent from the preview of this engagement are deleted. They were "
                "never counted, so no summary, report or export changes."
            ),
            button=_("Yes, remove them"),
            back=back,
        )
    removed = preview_service.remove_test_answers(engagement)
    flash(
        ngettext("%(num)s test answer removed.", "%(num)s test answers removed.", removed),
        "success",
    )
    return redirect(back)
