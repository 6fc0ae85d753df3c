"""The home page: open engagements, what happens with feedback, "you said, we did"."""

from datetime import timedelta

import pytest

from engagement.models import (
    ActionStatus,
    EngagementStatus,
    LoopAction,
    LoopActionText,
    utcnow,
)
from tests.factories import group, make_engagement
from tests.public.conftest import LOCALES, TITLES, html_attr, title


def add_action(db, engagement, heard, did, status=ActionStatus.DONE):
    action = LoopAction(engagement=engagement, status=status)
    for locale, (h, d) in {"en": (heard, did)}.items():
        action.texts.append(LoopActionText(locale=locale, heard=h, did=d))
    db.session.add(action)
    db.session.commit()
    return action


@pytest.mark.parametrize("locale", LOCALES)
def test_home_lists_open_engagements_in_the_visitors_language(client, survey, locale):
    response = client.get(f"/?lang={locale}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_attr(body, "lang") == locale.replace("_", "-")
    assert html_attr(body, "dir") == ("rtl" if locale == "ar" else "ltr")
    assert TITLES[locale] in body
    assert 'href="/e/family-survey"' in body
    # Every page has the switcher with each language in its own name.
    for name in (
        "English",
        "Español",
        "Português (Brasil)",
        "简体中文",
        "Kreyòl ayisyen",
        "العربية",
    ):
        assert name in body
    assert title(body).strip()


def test_home_shows_kind_council_and_babel_formatted_dates(client, seeded, db):
    closes = utcnow() + timedelta(days=40)
    make_engagement(
        slug="sepac-feedback",
        kind="advisory_council",
        council=group("sepac"),
        titles={"en": "SEPAC feedback"},
    )
    engagement = make_engagement(slug="dated", titles={"en": "Dated"})
    engagement.closes_at = closes
    db.session.commit()
    en = client.get("/?lang=en").get_data(as_text=True)
    es = client.get("/?lang=es").get_data(as_text=True)
    assert "Advisory council" in en
    assert "Special Education Parent Advisory Council (SEPAC)" in en
    assert "Consejo Asesor de Padres de Educación Especial (SEPAC)" in es
    assert "Whole district" in en
    from babel.dates import format_date

    local = closes.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York")).date()
    assert format_date(local, "long", locale="en") in en
    assert format_date(local, "long", locale="es") in es
    # Untranslated titles fall back to English and say so to screen readers.
    assert 'lang="en">Dated</a>' in es


def test_home_hides_drafts_and_lists_closed_with_you_said_we_did(client, seeded, db):
    make_engagement(slug="draft-one", status=EngagementStatus.DRAFT, titles={"en": "Secret draft"})
    closed = make_engagement(
        slug="old", status=EngagementStatus.CLOSED, titles={"en": "Old survey"}
    )
    make_engagement(
        slug="closed-quiet", status=EngagementStatus.CLOSED, titles={"en": "Quiet closed"}
    )
    add_action(db, closed, "Meetings are too early.", "We moved them to 6:30 pm.")
    body = client.get("/").get_data(as_text=True)
    assert "Secret draft" not in body
    assert "Quiet closed" not in body  # closed without notes yet: nothing to show
    assert "Old survey" in body
    assert "We moved them to 6:30 pm." in body
    assert "Meetings are too early." in body
    assert "There is nothing open right now" in body


def test_home_escapes_content(client, seeded):
    make_engagement(slug="x", titles={"en": "<script>alert(1)</script>"})
    body = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_home_fits_a_phone(client, survey):
    body = client.get("/").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    assert body.count('rel="stylesheet"') == 1
    assert "<script" not in body
    assert "http://" not in body and "https://" not in body  # no third-party requests
