"""The form on phones, server side: switching language keeps every answer (no script needed),
progress, clearable questions, the honeypot out of the accessibility tree."""

import re

import pytest
import sqlalchemy as sa

from engagement import create_app
from engagement.extensions import db as _db
from engagement.models import EngagementStatus, Response
from tests.public.conftest import (
    LOCALES,
    TITLES,
    field,
    html_attr,
    responses,
    title,
    token_in,
    tr,
    valid_data,
)


def change_language(client, to, data):
    """What a language button of the header sends: the whole form, plus its own name."""
    return client.post(f"/e/family-survey?lang={to}", data={**data, "change_language": to})


@pytest.mark.parametrize("to", LOCALES)
def test_changing_language_shows_the_answers_again_in_that_language(app, client, survey, db, to):
    comments, news, helps = (field(survey, c) for c in ("comments", "news", "help"))
    page = client.get("/e/family-survey?lang=es&channel=qr").get_data(as_text=True)
    data = valid_data(survey, token=token_in(page), channel="qr")
    data[comments] = "Más reuniones por la noche, s'il vous plaît — 谢谢 <b>"
    data["race_ethnicity"] = "asian"
    data["contact_name"] = "Zoë"
    del data[field(survey, "informed")]  # a required question left for later
    response = change_language(client, to, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_attr(body, "lang") == to.replace("_", "-")
    assert TITLES[to] in title(body)
    # Not checked yet: no error summary, no error title, nothing stored.
    assert "error-summary" not in body and "has-error" not in body
    assert responses(db) == []
    # Every answer is back, with the same unused token and channel.
    assert ">Más reuniones por la noche, s&#39;il vous plaît — 谢谢 &lt;b&gt;</textarea>" in body
    assert f'name="{news}" id="{news}-0" value="email" checked' in body
    assert f'id="{helps}-0" value="childcare" checked' in body
    assert f'name="{helps}" value="evening" checked' in body
    assert 'value="asian" checked' in body
    assert 'value="Zoë"' in body
    assert f'name="token" value="{data["token"]}"' in body
    assert '<input type="hidden" name="channel" value="qr">' in body
    # The language is remembered, and the form then sends as usual.
    data[field(survey, "informed")] = "4"
    del data["contact_name"]
    assert client.post("/e/family-survey", data=data).status_code == 303
    [stored] = responses(db)
    assert stored.locale == to


def test_changing_language_with_a_stale_token_gets_a_fresh_one(client, survey, db):
    data = valid_data(survey, token="t" * 43)
    body = change_language(client, "ar", data).get_data(as_text=True)
    token = token_in(body)
    assert token != "t" * 43
    assert "error-summary" not in body
    assert client.post("/e/family-survey", data={**data, "token": token}).status_code == 303


def test_changing_language_needs_no_csrf_token_and_stores_nothing(app, survey, db):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    data = valid_data(survey, homepage="http://spam.example")
    response = change_language(client, "ht", data)
    assert response.status_code == 200
    assert 'name="homepage" value=""' in response.get_data(as_text=True)
    assert responses(db) == []


def test_changing_language_is_not_limited_like_sending(app, database_url, survey):
    limited = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "SUBMIT_RATE_LIMIT": "2 per minute",
        }
    )
    # Each request in an app context of its own, closed with it (as in production), so that
    # no connection of the second app outlives the test.
    data, second, third = valid_data(survey), valid_data(survey), valid_data(survey)
    try:
        client = limited.test_client()
        for to in ("es", "ar", "ht", "en"):
            assert change_language(client, to, data).status_code == 200
        assert client.post("/e/family-survey", data=data).status_code == 303
        assert client.post("/e/family-survey", data=second).status_code == 303
        assert client.post("/e/family-survey", data=third).status_code == 429
        with limited.app_context():
            assert _db.session.scalar(sa.select(sa.func.count(Response.id))) == 2
            _db.session.remove()
    finally:
        with limited.app_context():
            _db.engine.dispose()


def test_changing_language_on_a_closed_engagement_keeps_what_was_written(client, survey, db):
    survey.status = EngagementStatus.CLOSED
    db.session.commit()
    data = valid_data(survey, **{field(survey, "comments"): "Lo que escribí."})
    response = change_language(client, "es", data)
    assert response.status_code == 410
    assert "Lo que escribí." in response.get_data(as_text=True)


def test_enter_in_a_text_box_sends_rather_than_changes_language(client, survey):
    """A form's first button is the one Enter presses: a hidden Send before the header."""
    body = client.get("/e/family-survey").get_data(as_text=True)
    buttons = re.findall(r"<button[^>]*>", body)
    assert 'form="answers"' in buttons[0] and "name=" not in buttons[0]
    assert 'tabindex="-1" aria-hidden="true"' in buttons[0]
    assert body.index(buttons[0]) < body.index('<header class="site-header">')
    assert all('name="change_language"' in b for b in buttons[1:7])
    # Elsewhere the switcher is plain links.
    home = client.get("/").get_data(as_text=True)
    assert "change_language" not in home and 'hreflang="ar"' in home


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_language_control_is_named_in_the_language_and_in_english(app, client, survey, locale):
    body = client.get(f"/e/family-survey?lang={locale}").get_data(as_text=True)
    summary = re.search(r"<summary>(.*?)</summary>", body).group(1)
    name = tr(app, locale, "Language")
    expected = (
        f'<span>{name} <span lang="en">Language</span></span>'
        if locale != "en"
        else f"<span>{name}</span>"
    )
    assert summary == expected


@pytest.mark.parametrize(("locale", "first"), [("en", "Question 1 of 5"), ("ar", None)])
def test_each_question_says_where_it_is(app, client, survey, locale, first):
    body = client.get(f"/e/family-survey?lang={locale}").get_data(as_text=True)
    numbers = re.findall(r"<(?:legend|label)[^>]*><small>([^<]+)</small>", body)
    expected = [
        tr(app, locale, "Question %(number)s of %(total)s", number=n, total=5) for n in range(1, 6)
    ]
    assert numbers == expected
    if first:
        assert numbers[0] == first
    # The about-you questions are not counted.
    assert body.count("<small>") == 5


def test_optional_single_choice_questions_can_be_cleared(client, survey):
    """Marked for form.js, which adds the button (a button without it could do nothing)."""
    body = client.get("/e/family-survey?lang=es").get_data(as_text=True)
    clearable = re.findall(r'<fieldset[^>]* id="([^"]+)"[^>]* data-clear>', body)
    # Not a required one, nor a group of checkboxes.
    assert clearable == [field(survey, "rating"), "race_ethnicity"]
    assert 'data-clear="Borrar mi respuesta"' in body
    assert "<button" not in body.split('id="race_ethnicity"')[1].split("</fieldset>")[0]


def test_honeypot_is_hidden_from_assistive_technology(client, survey):
    body = client.get("/e/family-survey?lang=es").get_data(as_text=True)
    honeypot = re.search(r'<div class="honeypot"([^>]*)>(.*?)</div>', body, re.S)
    assert honeypot.group(1) == ' aria-hidden="true"'
    assert 'tabindex="-1" autocomplete="off"' in honeypot.group(2)


@pytest.mark.parametrize(("locale", "group"), [("en", ","), ("es", "."), ("ht", "\xa0")])
def test_counter_writes_numbers_as_the_server_does(app, client, survey, locale, group):
    body = client.get(f"/e/family-survey?lang={locale}").get_data(as_text=True)
    form = re.search(r'<form method="post" id="answers"[^>]*>', body).group(0)
    assert f'data-max="2000" data-group="{group}"' in form
    live = tr(app, locale, "%(count)s of %(max)s characters")
    assert f'data-live="{live}"' in form
    assert 'data-over="' in form
