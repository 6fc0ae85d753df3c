"""Locale choice: ?lang= (remembered in a cookie) > cookie > Accept-Language > English."""

import pytest

from engagement.i18n import LANG_COOKIE
from tests.public.conftest import html_attr, tr


def lang_of(response) -> str:
    return html_attr(response.get_data(as_text=True), "lang")


def test_default_is_english(client, seeded):
    response = client.get("/")
    assert lang_of(response) == "en"
    assert html_attr(response.get_data(as_text=True), "dir") == "ltr"
    assert LANG_COOKIE not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("pt-BR", "pt-BR"),
        ("pt", "pt-BR"),
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("ht", "ht"),
        ("ar-EG", "ar"),
        ("fr-CA, ht;q=0.8, en;q=0.5", "ht"),
        ("de, fr", "ht"),
        ("fr", "ht"),
        ("fr-HT,fr;q=0.9", "ht"),
        ("fr-FR, es;q=0.5", "ht"),
        ("de", "en"),
        ("zh-TW", "zh-Hans"),
        ("zh-Hant-HK, en;q=0.5", "zh-Hans"),
        ("en;q=0.1, es;q=0.9", "es"),
    ],
)
def test_accept_language(client, seeded, header, expected):
    response = client.get("/", headers={"Accept-Language": header})
    assert lang_of(response) == expected
    # Only an explicit choice is remembered.
    assert LANG_COOKIE not in response.headers.get("Set-Cookie", "")


def test_cookie_beats_accept_language(client, seeded):
    client.set_cookie(LANG_COOKIE, "ar")
    response = client.get("/", headers={"Accept-Language": "es"})
    assert lang_of(response) == "ar"
    assert html_attr(response.get_data(as_text=True), "dir") == "rtl"


def test_query_beats_cookie_and_is_remembered(client, seeded):
    client.set_cookie(LANG_COOKIE, "ar")
    response = client.get("/?lang=pt-BR", headers={"Accept-Language": "es"})
    assert lang_of(response) == "pt-BR"
    cookie = response.headers["Set-Cookie"]
    assert f"{LANG_COOKIE}=pt_BR" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The next visit, without ?lang=, stays in Portuguese.
    assert lang_of(client.get("/", headers={"Accept-Language": "es"})) == "pt-BR"


def test_unsupported_choices_fall_through(client, seeded):
    client.set_cookie(LANG_COOKIE, "klingon")
    response = client.get("/?lang=xx", headers={"Accept-Language": "es"})
    assert lang_of(response) == "es"
    assert LANG_COOKIE + "=xx" not in response.headers.get("Set-Cookie", "")
    client.set_cookie(LANG_COOKIE, "zh_Hans")
    assert lang_of(client.get("/?lang=<script>")) == "zh-Hans"


def test_switcher_marks_the_current_language_and_keeps_the_page(client, survey):
    body = client.get("/?lang=es&channel=qr").get_data(as_text=True)
    current = 'lang="es" hreflang="es" aria-current="true">Español</a>'
    assert f'<a href="/?lang=es&amp;channel=qr" {current}' in body
    assert 'href="/?lang=ar&amp;channel=qr" lang="ar"' in body
    assert 'lang="zh-Hans" hreflang="zh-Hans">简体中文</a>' in body
    # On the form, each language is a button that sends the answers back (see test_form_flow).
    body = client.get("/e/family-survey?lang=es&channel=qr").get_data(as_text=True)
    current = 'lang="es" aria-current="true">Español</button>'
    assert f'formaction="?lang=es&amp;channel=qr" name="change_language" {current}' in body
    assert 'formaction="?lang=ar&amp;channel=qr" name="change_language"' in body


def test_switcher_on_a_rerendered_form_sends_the_form(client, survey):
    body = client.post("/e/family-survey?lang=es", data={}).get_data(as_text=True)
    assert 'form="answers" formaction="?lang=ar"' in body


def test_each_request_chooses_its_own_locale(client, seeded):
    """The choice is not carried over from one request to the next (g is not per request
    in tests)."""
    assert lang_of(client.get("/?lang=ar")) == "ar"
    client.delete_cookie(LANG_COOKIE)
    assert lang_of(client.get("/", headers={"Accept-Language": "es"})) == "es"


def test_dates_and_numbers_follow_the_locale(app, client, survey):
    en = client.get("/e/family-survey?lang=en").get_data(as_text=True)
    ar = client.get("/e/family-survey?lang=ar").get_data(as_text=True)
    es = client.get("/e/family-survey?lang=es").get_data(as_text=True)
    assert "Up to 2,000 characters" in en
    assert tr(app, "es", "Up to %(max)s characters", template=True, max="2.000") in es
    from zoneinfo import ZoneInfo

    from babel.dates import format_date

    closes = survey.closes_at.astimezone(ZoneInfo("America/New_York")).date()
    for locale, body in (("en", en), ("es", es), ("ar", ar)):
        assert format_date(closes, "long", locale=locale) in body
