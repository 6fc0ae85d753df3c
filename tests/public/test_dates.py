"""Dates in every language: every format the family pages use, on every page that shows one.

Babel has no date data for Haitian Creole and falls back to patterns like "2026 M12 28";
engagement.i18n writes those dates by hand. These tests fail on any such fallback.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from engagement import i18n
from engagement.extensions import db
from engagement.models import ActionStatus, EngagementStatus, LoopAction, LoopActionText, utcnow
from tests.factories import make_engagement
from tests.public.conftest import LOCALES, TITLES, in_locale

# A Monday, and every format the family pages (and event details) use.
DAY = date(2026, 12, 28)
EXPECTED = {
    "en": {
        "short": "12/28/26",
        "medium": "Dec 28, 2026",
        "long": "December 28, 2026",
        "full": "Monday, December 28, 2026",
    },
    "es": {
        "short": "28/12/26",
        "medium": "28 dic 2026",
        "long": "28 de diciembre de 2026",
        "full": "lunes, 28 de diciembre de 2026",
    },
    "pt_BR": {
        "short": "28/12/2026",
        "medium": "28 de dez. de 2026",
        "long": "28 de dezembro de 2026",
        "full": "segunda-feira, 28 de dezembro de 2026",
    },
    "zh_Hans": {
        "short": "2026/12/28",
        "medium": "2026年12月28日",
        "long": "2026年12月28日",
        "full": "2026年12月28日星期一",
    },
    "ht": {
        "short": "28/12/2026",
        "medium": "28 desanm 2026",
        "long": "28 desanm 2026",
        "full": "lendi 28 desanm 2026",
    },
    "ar": {
        "short": "28\u200f/12\u200f/2026",
        "medium": "28\u200f/12\u200f/2026",
        "long": "28 ديسمبر 2026",
        "full": "الاثنين، 28 ديسمبر 2026",
    },
}
# Babel's fallbacks where a language has no data: "M12" months, ISO dates, English weekdays.
FALLBACK = re.compile(r"\bM\d{1,2}\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")


def visible_text(body: str) -> str:
    """The page's text without tags (a <time datetime="..."> attribute is ISO on purpose)."""
    return re.sub(r"<[^>]+>", " ", body)


def assert_no_fallback(body: str, where: str):
    found = FALLBACK.findall(visible_text(body))
    assert not found, f"{where}: Babel fallback date pattern {found}"


def test_the_fallback_check_catches_babels_haitian_dates():
    from babel.dates import format_date

    with pytest.raises(AssertionError):
        assert_no_fallback(format_date(DAY, "long", locale="ht"), "Babel")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("format", ["short", "medium", "long", "full"])
def test_every_date_format_in_every_language(app, locale, format):
    with in_locale(app, locale):
        text = i18n.format_date(DAY, format)
    assert text == EXPECTED[locale][format]
    assert_no_fallback(text, f"{locale} {format}")


@pytest.mark.parametrize(
    ("month", "name"), [(1, "janvye"), (2, "fevriye"), (7, "jiyè"), (8, "out"), (10, "oktòb")]
)
def test_haitian_month_names(app, month, name):
    with in_locale(app, "ht"):
        assert i18n.format_date(date(2027, month, 3), "long") == f"3 {name} 2027"


def test_haitian_dates_are_in_the_district_time_zone(app):
    """A datetime stored in UTC is shown on its day in Massachusetts, as Babel does."""
    late_evening = datetime(2026, 11, 9, 3, 30, tzinfo=UTC)  # 10:30 pm on the 8th in Boston
    with in_locale(app, "ht"):
        assert i18n.format_date(late_evening, "long") == "8 novanm 2026"
        assert i18n.format_time(late_evening) == "22:30"
    with in_locale(app, "es"):
        assert i18n.format_date(late_evening, "long") == "8 de noviembre de 2026"


@pytest.mark.parametrize("locale", LOCALES)
def test_times_in_every_language(app, locale):
    with in_locale(app, locale):
        text = i18n.format_time(time(18, 30))
    assert "18" in text or "6" in text
    assert_no_fallback(text, locale)


@pytest.fixture
def dated(seeded):
    """An open survey, one not yet open, a draft with an opening date, a closed forum."""
    now = utcnow()
    opened = make_engagement(slug="family-survey", titles=TITLES)
    soon = make_engagement(slug="soon", titles=TITLES)
    soon.opens_at, soon.closes_at = now + timedelta(days=3), now + timedelta(days=40)
    draft = make_engagement(slug="draft", titles=TITLES, status=EngagementStatus.DRAFT)
    draft.opens_at = now + timedelta(days=9)
    closed = make_engagement(slug="forum", kind="forum", titles=TITLES, questions=[])
    closed.opens_at, closed.closes_at = now - timedelta(days=60), now - timedelta(days=20)
    action = LoopAction(engagement=closed, status=ActionStatus.DONE)
    action.texts.append(LoopActionText(locale="en", heard="Late buses.", did="A new route."))
    db.session.add(action)
    db.session.commit()
    return {"open": opened, "soon": soon, "draft": draft, "closed": closed}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_with_a_date_in_every_language(app, client, dated, locale):
    pages = {
        "home": "/",
        "form": "/e/family-survey",
        "thank-you page": "/e/family-survey/thanks",
        "not yet open": "/e/soon",
        "draft": "/e/draft",
        "closed": "/e/forum",
    }
    shown = {
        "home": [dated["open"].opens_at, dated["open"].closes_at, dated["closed"].closes_at],
        "form": [dated["open"].closes_at],
        "thank-you page": [dated["open"].closes_at],
        "not yet open": [dated["soon"].opens_at],
        "draft": [dated["draft"].opens_at],
        "closed": [dated["closed"].closes_at],
    }
    for name, path in pages.items():
        body = client.get(f"{path}?lang={locale}").get_data(as_text=True)
        assert_no_fallback(body, f"{name} ({locale})")
        for value in shown[name]:
            with in_locale(app, locale):
                expected = i18n.format_date(value, "long")
            assert expected in body, f"{name} ({locale}) does not show {expected}"
        if locale == "ht":
            assert re.search(rf"\d{{1,2}} (?:{'|'.join(i18n.HT_MONTHS)}) \d{{4}}", body), name
