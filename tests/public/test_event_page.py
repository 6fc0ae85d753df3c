"""Families see when and where a forum or coffee meets, in their language."""

import re
from datetime import UTC, datetime

import pytest

from engagement.extensions import db
from engagement.i18n import format_date, format_time
from tests.factories import make_engagement
from tests.public.conftest import LOCALES, TITLES, in_locale, tr
from tests.public.test_dates import assert_no_fallback

PLACES = {"en": "Chenery library", "es": "Biblioteca de Chenery", "ar": "مكتبة Chenery"}


@pytest.fixture
def coffee(seeded):
    coffee = make_engagement(slug="coffee", kind="coffee_conversation", titles=TITLES)
    coffee.event_starts_at = datetime(2030, 12, 9, 14, 0, tzinfo=UTC)  # 9 am in Boston
    coffee.event_ends_at = datetime(2030, 12, 9, 15, 30, tzinfo=UTC)
    for row in coffee.texts:
        row.place = PLACES.get(row.locale, "")
        if row.locale == "en":
            row.childcare = "Free childcare."
    db.session.commit()
    return coffee


@pytest.mark.parametrize("locale", LOCALES)
def test_event_details_on_the_form_page(app, client, coffee, locale):
    body = client.get(f"/e/coffee?lang={locale}").get_data(as_text=True)
    section = re.search(r'<section class="event".*?</section>', body, re.S).group(0)
    assert tr(app, locale, "Come in person", template=True) in section
    with in_locale(app, locale):
        day = format_date(coffee.event_starts_at, "full")
        start, end = format_time(coffee.event_starts_at), format_time(coffee.event_ends_at)
    assert day in section and start in section and end in section
    assert_no_fallback(section, locale)
    if locale in PLACES:
        assert f">{PLACES[locale]}</dd>" in section
    else:  # not translated yet: the English text, marked as English
        assert f' lang="en">{PLACES["en"]}</dd>' in section
    assert "Free childcare." in section  # only written in English
    assert tr(app, locale, "Interpreters", template=True) not in section  # none given


def test_haitian_event_dates_and_times(client, coffee):
    body = client.get("/e/coffee?lang=ht").get_data(as_text=True)
    assert "lendi 9 desanm 2030" in body and "Depi 9:00 rive 10:30" in body
    home = client.get("/?lang=ht").get_data(as_text=True)
    assert "An pèsòn: lendi 9 desanm 2030, 9:00" in home


def test_no_event_section_without_a_date(client, survey):
    assert 'class="event"' not in client.get("/e/family-survey").get_data(as_text=True)
