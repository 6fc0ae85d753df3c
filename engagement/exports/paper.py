"""The printable paper form of an engagement, one PDF per language (WeasyPrint).

For families without a phone or who prefer paper: every question and option of the family
form in the same order and with the same numbers ("1.", "2.", ...) as the web form and the
paper-entry screen, so a volunteer typing a stack of returned forms follows the page. The
first page carries a QR code and a short link to answer online instead, the closing date,
the privacy promise and where to return the form. Fonts: Noto (Chinese, Arabic) from the
system, as for the report; WeasyPrint fetches nothing (RefusingFetcher).
"""

from functools import cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from engagement.i18n import (
    district_name,
    format_date,
    html_lang,
    localized,
    text_direction,
)
from engagement.invitations import short_url
from engagement.models import Channel, Engagement
from engagement.public.forms import make_form
from engagement.public.services import form_groups, form_schools
from engagement.staff.flyer import qr_svg
from engagement.urls import public_url

CSS_FILE = Path(__file__).resolve().parent.parent.parent / "templates" / "reports" / "paper.css"


@cache
def paper_css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


def paper_questions(engagement: Engagement, lang: str):
    """(number, question, field) for each question of the family form, in its order, and the
    form (for the "About you" fields), in `lang`."""
    form = make_form(engagement, form_groups(), form_schools(), meta={"csrf": False})
    return [
        (number, question, field)
        for number, (question, field) in enumerate(form.question_fields(), start=1)
    ], form


def render_paper_html(engagement: Engagement, lang: str) -> str:
    with force_locale(lang):
        questions, form = paper_questions(engagement, lang)
        online = short_url(engagement, Channel.QR, lang, None)
        return render_template(
            "reports/paper_form.html",
            engagement=engagement,
            lang=lang,
            paper_lang=html_lang(lang),
            paper_dir=text_direction(lang),
            district=district_name(lang),
            title=localized(engagement, "title", lang),
            description=localized(engagement, "description", lang),
            closes=format_date(engagement.closes_at, "long") if engagement.closes_at else None,
            questions=questions,
            form=form,
            online=online,
            qr=qr_svg(online, online),
            privacy_url=public_url("public.privacy", lang=lang),
            contact_phone=current_app.config.get("DISTRICT_CONTACT_PHONE"),
            contact_email=current_app.config.get("DISTRICT_CONTACT_EMAIL"),
            interpreter_phone=current_app.config.get("INTERPRETER_PHONE"),
        )


def render_paper_pdf(engagement: Engagement, lang: str) -> bytes:
    import weasyprint

    from engagement.exports.pdf_fetcher import RefusingFetcher

    html = render_paper_html(engagement, lang)
    document = weasyprint.HTML(string=html, url_fetcher=RefusingFetcher())
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=paper_css())])
