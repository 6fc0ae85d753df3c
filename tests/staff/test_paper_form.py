"""The printable paper form (issue 16): every question and option of the family form, with
the web form's numbering, in each language, as a PDF staff can print."""

import re

import pytest

from engagement.exports.paper import render_paper_html
from engagement.i18n import localized
from tests.factories import make_engagement

LANGUAGES = ("en", "es", "pt_BR", "zh_Hans", "ht", "ar")


@pytest.fixture
def survey(seeded):
    return make_engagement(slug="family-survey-2026")


def test_paper_form_has_every_question_and_option_in_order(app, survey):
    with app.test_request_context():
        html = render_paper_html(survey, "es")
        questions = [q for q in survey.visible_questions]
        numbers = [int(n) for n in re.findall(r'<li class="question" value="(\d+)"', html)]
        assert numbers == list(range(1, len(questions) + 1))
        positions = [html.index(localized(q, "text", "es").text) for q in questions]
        assert positions == sorted(positions)
        for question in questions:
            for option in question.options:
                assert localized(option, "label", "es").text in html
    assert 'lang="es"' in html and "Responda antes del" in html
    assert "/i/" in html  # the short link to answer online instead


@pytest.mark.parametrize("lang", LANGUAGES)
def test_paper_form_pdf_in_every_language(staff_client, survey, lang):
    response = staff_client.get(f"/staff/engagements/family-survey-2026/paper.pdf?lang={lang}")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert f"family-survey-2026-paper-form-{lang}.pdf" in response.headers["Content-Disposition"]


def test_arabic_paper_form_is_right_to_left(app, survey):
    with app.test_request_context():
        html = render_paper_html(survey, "ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert "نرجو الإجابة قبل" in html


def test_unknown_language_is_not_found(staff_client, survey):
    assert (
        staff_client.get("/staff/engagements/family-survey-2026/paper.pdf?lang=xx").status_code
        == 404
    )
