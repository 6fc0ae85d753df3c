"""Fixtures for the family pages: a seeded district and a survey in six languages."""

import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, get_translations, gettext
from markupsafe import Markup, escape

from engagement.models import Response
from engagement.public import tokens
from tests.factories import default_questions, make_engagement

LOCALES = ["en", "es", "pt_BR", "zh_Hans", "ht", "ar"]

TITLES = {
    "en": "Family survey",
    "es": "Encuesta para familias",
    "pt_BR": "Pesquisa com as famílias",
    "zh_Hans": "家庭调查",
    "ht": "Sondaj pou fanmi yo",
    "ar": "استطلاع العائلات",
}


def survey_questions():
    """The factory's one question of each kind, with the news and comments questions
    required and Arabic added to the first; the Haitian Creole texts are missing on purpose."""
    questions = {q["code"]: q for q in default_questions()}
    questions["informed"]["texts"]["ar"] = "أشعر بأنني على اطلاع."
    questions["news"]["required"] = True
    questions["comments"]["required"] = True
    questions["comments"]["texts"] = {
        "en": "What should we change?",
        "es": "¿Qué deberíamos cambiar?",
    }
    return list(questions.values())


@pytest.fixture
def survey(seeded):
    """An open survey with one question of each kind (two closed ones and the text required)."""
    return make_engagement(slug="family-survey", titles=TITLES, questions=survey_questions())


def qid(engagement, code):
    return next(q.id for q in engagement.questions if q.code == code)


def field(engagement, code):
    return f"q_{qid(engagement, code)}"


def form_token(engagement) -> str:
    """A fresh one-time token for `engagement`, made by the function that puts one in each
    form page (tests that read it from the page itself use `token_in`)."""
    return tokens.issue(engagement.id)


def token_in(body: str) -> str:
    """The form token of a form page."""
    return re.search(r'name="token" value="([^"]+)"', body).group(1)


def valid_data(engagement, **extra):
    """A complete, valid answer to the `survey` fixture, with a fresh form token."""
    data = {
        field(engagement, "informed"): "4",
        field(engagement, "news"): "email",
        field(engagement, "help"): ["childcare", "evening"],
        field(engagement, "rating"): "5",
        field(engagement, "comments"): "More evening meetings, please.",
        "token": form_token(engagement),
    }
    data.update(extra)
    return data


def responses(db):
    return list(db.session.scalars(sa.select(Response).order_by(Response.id)))


def html_attr(body: str, name: str) -> str:
    """The value of an attribute on the <html> element."""
    match = re.search(rf'<html[^>]*\s{name}="([^"]*)"', body)
    return match.group(1) if match else ""


def title(body: str) -> str:
    match = re.search(r"<title>(.*?)</title>", body, re.S)
    return match.group(1) if match else ""


@contextmanager
def in_locale(app, locale):
    """A request context whose Babel locale is `locale` (for gettext, format_date…)."""
    with app.test_request_context(), force_locale(locale):
        yield


def tr(app, locale, msgid, *, template=False, **params) -> Markup:
    """`msgid` in `locale`, as the page's HTML shows it.

    A message from Python code (`_()`/`_l()`: form errors, labels, error pages) is rendered
    through autoescaping, so the whole text is escaped. A template's `{{ _("...") }}`
    (`template=True`) is marked safe by Jinja's i18n extension: only its params are
    escaped. Outside English, a message missing from the compiled catalog is an error, so
    that a test using this cannot pass on a page that fell back to English.
    """
    with in_locale(app, locale):
        translations = get_translations()
        if locale != "en":
            assert msgid in translations._catalog, f"{msgid!r} is not translated into {locale}"
        if template:
            text = Markup(translations.ugettext(msgid))
            return text % params if params else text
        return escape(gettext(msgid, **params))
