"""What families need to reach someone and trust the site: contacts, privacy notice, banner,
confirmation panel, language notice, translated district name, status tags."""

import re

import pytest

from engagement.extensions import db
from engagement.i18n import LANG_COOKIE, LANG_OFFERED_COOKIE
from engagement.models import ActionStatus, EngagementStatus, LoopAction, LoopActionText
from tests.factories import make_engagement
from tests.public.conftest import LOCALES, TITLES, in_locale, tr


@pytest.mark.parametrize("locale", LOCALES)
def test_privacy_notice_in_every_language(app, client, seeded, locale):
    response = client.get(f"/privacy?lang={locale}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for heading in (
        "What we ask",
        "Who reads your answers",
        "Small groups stay hidden",
        "How long we keep your answers",
    ):
        assert tr(app, locale, heading, template=True) in body
    with in_locale(app, locale):
        from flask_babel import format_number

        assert format_number(app.config["REPORT_MIN_GROUP_SIZE"]) in body


def test_privacy_notice_says_how_long_answers_are_kept(app, client, seeded):
    body = client.get("/privacy").get_data(as_text=True)
    assert "We keep answers until the district deletes them." in body
    app.config["RETENTION_DAYS"] = 365
    body = client.get("/privacy").get_data(as_text=True)
    assert "We delete each answer 365 days after it was sent." in body
    body = client.get("/privacy?lang=ar").get_data(as_text=True)
    assert "365" in body and "We delete each answer" not in body


def test_every_family_page_links_the_privacy_notice_and_the_contacts(client, survey):
    for path in ("/", "/e/family-survey", "/e/family-survey/thanks", "/privacy", "/nowhere"):
        body = client.get(path).get_data(as_text=True)
        assert 'href="/privacy"' in body, path
        assert 'href="tel:6175550100"' in body and "617-555-0100" in body, path
        assert 'href="mailto:family-voice@district.example.org"' in body, path
        assert "617-555-0199" in body, path
        assert "An official website of Belmont Public Schools" in body, path


def test_contact_lines_follow_the_config(app, client, seeded):
    app.config.update(DISTRICT_CONTACT_PHONE=None, INTERPRETER_PHONE=None)
    body = client.get("/").get_data(as_text=True)
    assert "tel:" not in body and "mailto:family-voice@district.example.org" in body
    app.config["DISTRICT_CONTACT_EMAIL"] = None
    assert 'id="district-contact-heading"' not in client.get("/").get_data(as_text=True)


def test_print_stylesheet_keeps_the_footer(app):
    css = (app.root_path + "/static/app.css").replace("\\", "/")
    with open(css, encoding="utf-8") as handle:
        print_rules = handle.read().split("@media print", 1)[1].split("\n}\n", 1)[0]
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", print_rules).group(1)
    assert ".site-footer" not in hidden
    assert ".site-footer { display: block; }" in print_rules


@pytest.mark.parametrize(
    ("locale", "name"),
    [
        ("es", "Escuelas Públicas de Belmont"),
        ("pt_BR", "Escolas Públicas de Belmont"),
        ("zh_Hans", "贝尔蒙特公立学校"),
        ("ht", "Lekòl Piblik Belmont"),
        ("ar", "مدارس بلمونت العامة"),
    ],
)
def test_district_name_is_translated(client, seeded, locale, name):
    body = client.get(f"/?lang={locale}").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", body).group(1)
    assert name in heading and "Belmont Public Schools" not in body


def test_another_districts_name_is_never_shown_with_belmonts_translations(app, client, seeded):
    app.config["DISTRICT_NAME"] = "Springfield Public Schools"
    body = client.get("/?lang=es").get_data(as_text=True)
    assert "Springfield Public Schools" in body and "Belmont" not in body


def test_language_notice_on_a_guessed_language_only(app, client, seeded):
    body = client.get("/", headers={"Accept-Language": "fr-HT"}).get_data(as_text=True)
    client.delete_cookie(LANG_OFFERED_COOKIE)
    assert 'lang="ht"' in body and tr(app, "ht", "Not your language?", template=True) in body
    notice = body.split('class="language-notice"', 1)[1].split("</aside>", 1)[0]
    assert 'lang="fr"' not in notice and ">English</a>" in notice and ">العربية</a>" in notice
    assert ">Kreyòl ayisyen</a>" not in notice  # the current one is not offered again
    chosen = client.get("/?lang=ht").get_data(as_text=True)
    assert "language-notice" not in chosen
    client.set_cookie(LANG_COOKIE, "ht")
    assert "language-notice" not in client.get("/").get_data(as_text=True)


def test_language_notice_on_the_first_visit_only(client, survey):
    first = client.get("/e/family-survey", headers={"Accept-Language": "fr"})
    assert "language-notice" in first.get_data(as_text=True)
    cookie = first.headers["Set-Cookie"]
    assert f"{LANG_OFFERED_COOKIE}=1" in cookie and "HttpOnly" in cookie
    assert "ht" not in cookie.split(";")[0]  # a flag: it names no language
    again = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="ht"' in again and "language-notice" not in again
    assert LANG_OFFERED_COOKIE not in again


def test_no_flag_cookie_where_the_language_was_chosen(client, seeded):
    response = client.get("/?lang=es")
    assert LANG_OFFERED_COOKIE not in response.headers.get("Set-Cookie", "")


def test_traditional_chinese_gets_simplified_with_a_note(app, client, seeded):
    note = "This site has no Traditional Chinese version yet, so it is shown in Simplified Chinese."
    for header in ("zh-TW", "zh-HK,en;q=0.5", "zh-Hant"):
        client.delete_cookie(LANG_OFFERED_COOKIE)
        body = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
        assert 'lang="zh-Hans"' in body
        assert tr(app, "zh_Hans", note, template=True) in body, header
    body = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert tr(app, "zh_Hans", note, template=True) not in body


def test_staff_pages_carry_no_family_notice(client, seeded):
    body = client.get("/staff/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "language-notice" not in body


@pytest.mark.parametrize("locale", LOCALES)
def test_thank_you_page_has_a_confirmation_panel_and_links_the_results(app, client, survey, locale):
    body = client.get(f"/e/family-survey/thanks?lang={locale}").get_data(as_text=True)
    panel = body.split('<div class="confirmation">', 1)[1].split("</div>", 1)[0]
    assert tr(app, locale, "Thank you. Your answers were sent.", template=True) in panel
    what_we_heard = tr(app, locale, "What we heard", template=True)
    assert f'<a href="/e/family-survey/results">{what_we_heard}</a>' in body


def test_draft_page_gives_the_opening_date(app, client, seeded):
    draft = make_engagement(slug="draft", titles=TITLES, status=EngagementStatus.DRAFT)
    body = client.get("/e/draft?lang=es").get_data(as_text=True)
    from engagement.i18n import format_date

    with in_locale(app, "es"):
        assert format_date(draft.opens_at, "long") in body
    draft.opens_at = None
    db.session.commit()
    body = client.get("/e/draft?lang=es").get_data(as_text=True)
    msgid = "The district is still preparing it. Please come back later, or see what is open now."
    assert tr(app, "es", msgid, template=True) in body


def test_status_tags_differ_by_status(client, seeded):
    forum = make_engagement(slug="forum", kind="forum", titles=TITLES, questions=[])
    forum.status = EngagementStatus.CLOSED
    for status in ActionStatus:
        action = LoopAction(engagement=forum, status=status)
        action.texts.append(LoopActionText(locale="en", heard="Heard.", did="Did."))
        db.session.add(action)
    db.session.commit()
    body = client.get("/e/forum").get_data(as_text=True)
    for status, label in (("done", "Done"), ("in_progress", "In progress"), ("planned", "Planned")):
        assert f'<span class="tag status-{status}">{label}</span>' in body


def test_words_on_the_family_pages(client, survey):
    """Issue 14's word list, on the pages where families met it."""
    home_ht = client.get("/?lang=ht").get_data(as_text=True)
    assert not re.search(r"\b(\w+) \1\b", visible(home_ht))
    draft = make_engagement(slug="draft", titles=TITLES, status=EngagementStatus.DRAFT)
    draft.opens_at = None
    db.session.commit()
    draft_es = client.get("/e/draft?lang=es").get_data(as_text=True)
    assert "lo está preparando" in draft_es and "la está preparando" not in draft_es
    assert "Todavía no está abierto" in draft_es
    form_ar = client.get("/e/family-survey?lang=ar").get_data(as_text=True)
    assert "2,000" in form_ar and not re.search(r"2,000\s*حرفًا", form_ar)
    form_zh = client.get("/e/family-survey?lang=zh_Hans").get_data(as_text=True)
    assert "（必填）" in form_zh and ' <span class="required">' not in form_zh


def visible(body: str) -> str:
    return re.sub(r"<[^>]+>", " ", body)
