"""The form page: structure, labels, languages and fallbacks."""

import re

import pytest

from tests.factories import make_engagement
from tests.public.conftest import LOCALES, TITLES, field, html_attr, title, tr


@pytest.mark.parametrize("locale", LOCALES)
def test_form_renders_in_each_language(client, survey, locale):
    response = client.get(f"/e/family-survey?lang={locale}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_attr(body, "lang") == locale.replace("_", "-")
    assert html_attr(body, "dir") == ("rtl" if locale == "ar" else "ltr")
    assert TITLES[locale] in title(body)
    assert "Error" not in title(body)
    # The language switcher sends this form back, to be shown in the other language.
    assert 'form="answers" formaction="?lang=ar" name="change_language"' in body


def test_question_kinds_use_the_right_controls(client, survey):
    body = client.get("/e/family-survey").get_data(as_text=True)
    informed, news, helps = (field(survey, c) for c in ("informed", "news", "help"))
    rating, comments = field(survey, "rating"), field(survey, "comments")
    assert body.count("<fieldset") == 4 + 3  # four closed questions; roles, councils, race
    assert body.count(f'type="radio" name="{informed}"') == 5
    assert body.count(f'type="radio" name="{rating}"') == 5
    assert body.count(f'type="radio" name="{news}"') == 2
    assert body.count(f'type="checkbox" name="{helps}"') == 3
    assert f'<textarea id="{comments}" name="{comments}"' in body
    assert "Up to 2,000 characters" in body
    assert f'aria-describedby="{comments}-count"' in body
    # Required is said in words.
    assert body.count("(required)") == 3
    assert "Strongly agree" in body and "5 – Very good" in body


def test_every_control_has_a_label(client, survey):
    body = client.get("/e/family-survey").get_data(as_text=True)
    controls = re.findall(r"(<label>)?(<(?:input|select|textarea)\b[^>]*>)", body)
    visible = [(wrapped, tag) for wrapped, tag in controls if 'type="hidden"' not in tag]
    assert len(visible) > 30
    for wrapped, tag in visible:
        control_id = re.search(r'\sid="([^"]+)"', tag)
        labelled_by_for = control_id and f'for="{control_id.group(1)}"' in body
        assert wrapped or labelled_by_for, tag
    # Ids are unique.
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids))


def test_content_falls_back_to_english_marked_with_lang(client, survey):
    body = client.get("/e/family-survey?lang=ar").get_data(as_text=True)
    assert "أشعر بأنني على اطلاع." in body  # translated question
    assert '<span lang="en">How do you get news?</span>' in body  # fallback, marked
    assert '<span lang="en">E-mail</span>' in body
    es = client.get("/e/family-survey?lang=es").get_data(as_text=True)
    assert 'value="email">Correo electrónico</label>' in es


ABOUT_YOU_INTRO = (
    "We ask this to check that we hear from every group of families, especially families of "
    "color and families who speak a language other than English. Every question in this part "
    "is optional, and we never show answers in a way that could identify you."
)


def test_about_you_part(app, client, survey):
    body = client.get("/e/family-survey?lang=es").get_data(as_text=True)
    assert tr(app, "es", "About you (optional)", template=True) in body
    assert "Madre, padre o tutor" in body  # role names from the seed, in Spanish
    assert "Consejo Asesor de Padres de Educación Especial (SEPAC)" in body
    assert "Butler" in body  # schools in a select
    assert 'name="race_ethnicity" value="prefer_not_to_say"' in body
    assert tr(app, "es", "I prefer not to say") in body
    assert tr(app, "es", ABOUT_YOU_INTRO, template=True) in body
    assert 'name="contact_consent"' in body


def test_hidden_fields_channel_token_and_honeypot(client, survey):
    body = client.get("/e/family-survey?channel=qr").get_data(as_text=True)
    assert '<input type="hidden" name="channel" value="qr">' in body
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    assert len(token) >= 40
    other = client.get("/e/family-survey").get_data(as_text=True)
    assert '<input type="hidden" name="channel" value="web">' in other
    assert token not in other  # a fresh one-time token per page view
    assert 'name="homepage" value="" tabindex="-1" autocomplete="off"' in body
    assert "Leave this field empty" in body
    weird = client.get("/e/family-survey?channel=<b>").get_data(as_text=True)
    assert 'name="channel" value="web"' in weird


def test_hidden_question_and_option_are_not_shown(client, seeded, db):
    engagement = make_engagement()
    engagement.questions[0].hidden = True
    engagement.questions[1].options[0].hidden = True
    db.session.commit()
    body = client.get("/e/test-survey").get_data(as_text=True)
    assert "I feel informed." not in body
    assert 'value="email">' not in body and 'value="text">Text message</label>' in body
