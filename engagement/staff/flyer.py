"""Printable flyer: the engagement's title in chosen languages and a QR code to its form."""

from urllib.parse import urlencode

import segno
from flask import current_app, render_template, request
from flask_babel import force_locale
from markupsafe import Markup

from engagement.i18n import LANGUAGE_NAMES, _, format_date, html_lang, localized, text_direction
from engagement.staff import bp
from engagement.staff.access import engagement_for, may_author, requires
from engagement.urls import public_base_url, public_url

FORM_PATH = "/e/<slug>"


def form_url(slug: str, lang: str | None = None) -> str:
    """Absolute URL of the family form at PUBLIC_BASE_URL, tagged channel=qr (and lang= when
    given). Never from the request's Host header: a printed code cannot be corrected."""
    # The public blueprint owns the form view; find it by its path, so a rename there does
    # not break flyers already printed or this page.
    endpoint = next(
        (r.endpoint for r in current_app.url_map.iter_rules() if r.rule == FORM_PATH), None
    )
    args = {"channel": "qr"}
    if lang:
        args["lang"] = lang
    if endpoint:
        return public_url(endpoint, slug=slug, **args)
    return public_base_url() + FORM_PATH.replace("<slug>", slug) + "?" + urlencode(args)


def qr_code(url: str) -> segno.QRCode:
    """A regular (not micro) QR code with medium error correction."""
    return segno.make_qr(url, error="m")


def qr_svg(url: str, title: str) -> Markup:
    """Inline SVG of the QR code, scalable with CSS (viewBox, no fixed size)."""
    svg = qr_code(url).svg_inline(scale=1, omitsize=True, title=title, svgclass="qr-code")
    # segno SVG of our own URL; segno escapes the title (bandit B704)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # nosec B704


def flyer_lines(engagement, code: str) -> dict:
    """What a flyer says around the title, in the language `code`: how to answer, until
    when, that answers are private, and whom to ask (DISTRICT_CONTACT_PHONE/EMAIL)."""
    config = current_app.config
    with force_locale(code):
        return {
            "scan": _("Scan the code with your phone to answer."),
            "until": _("Open until %(date)s", date=format_date(engagement.closes_at, "long"))
            if engagement.closes_at
            else "",
            "privacy": _(
                "Your answers are private. We do not record who you are unless you choose "
                "to leave contact details."
            ),
            "contact": _("Questions? Contact the district")
            if config["DISTRICT_CONTACT_PHONE"] or config["DISTRICT_CONTACT_EMAIL"]
            else "",
            "phone": _("Phone:"),
            "email": _("E-mail:"),
        }


@bp.route("/engagements/<slug>/flyer")
@requires(may_author)
def flyer(slug):
    engagement = engagement_for(slug)
    languages = current_app.config["LANGUAGES"]
    chosen = [code for code in languages if code in request.args.getlist("show")]
    if chosen:
        # One language chosen on purpose: the code opens the form in that language.
        url = form_url(slug, chosen[0] if len(chosen) == 1 else None)
    else:
        # By default, every language the title is translated into; the form then follows
        # the phone's language.
        translated = {row.locale for row in engagement.texts if row.is_filled()}
        chosen = [code for code in languages if code in translated] or languages[:1]
        url = form_url(slug)
    titles = [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "lang": html_lang(code),
            "dir": text_direction(code),
            "title": localized(engagement, "title", code),
            "description": localized(engagement, "description", code),
            **flyer_lines(engagement, code),
        }
        for code in chosen
    ]
    return render_template(
        "staff/flyer.html",
        engagement=engagement,
        titles=titles,
        chosen=chosen,
        languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
        url=url,
        qr=qr_svg(url, _("QR code that opens the form: %(url)s", url=url)),
    )
