"""The demo content families see reads right in every language (issue 14's word list)."""

import json
import re

import pytest

from engagement.demo import DEMO_FILE
from tests.public.conftest import LOCALES, in_locale

DEMO = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
# Arabic second person singular that slipped into questions and hints ("you" is plural on
# every page): masculine imperatives and the -ka / -ki "your" endings after a word.
ARABIC_SINGULAR = re.compile(
    r"(?:^|\s)(?:اختر|فكّر|أخبرنا|يمكنك|تريد|تفضّل|تقيّم|استلمت)(?=[\s.،؟]|$)"
    r"|(?:طفلك|أسرتك|أسئلتك|يساعدك|سيساعدك|تصلك|لك|معك)(?=[\s.،؟]|$)"
)


def texts(kind):
    """(locale, text) of every question text or hint, or every "you said" note."""
    for engagement in DEMO["engagements"]:
        if kind == "question":
            for question in engagement["questions"]:
                for locale, row in question["texts"].items():
                    yield locale, row["text"]
                    if row.get("help"):
                        yield locale, row["help"]
        else:
            for action in engagement.get("actions", []):
                for locale, row in action["texts"].items():
                    yield locale, row["heard"]


def test_arabic_questions_say_plural_you():
    arabic = [t for locale, t in texts("question") if locale == "ar"]
    singular = [t for t in arabic if ARABIC_SINGULAR.search(t)]
    assert not singular


def test_the_arabic_check_finds_singular_you():
    assert ARABIC_SINGULAR.search("كيف تفضّل أن تصلك أخبار المدرسة؟")
    assert ARABIC_SINGULAR.search("اختر إجابة واحدة.")
    assert not ARABIC_SINGULAR.search("اختاروا إجابة واحدة.")


@pytest.mark.parametrize("locale", LOCALES)
def test_you_said_notes_do_not_repeat_the_label(app, locale):
    """The page already says "You said:" before each note."""
    from flask_babel import gettext

    with in_locale(app, locale):
        label = gettext("You said:").rstrip(":：").strip()
    starts = {
        "en": ("You said",),
        "es": ("Ustedes dijeron", "Usted dijo", label),
        "pt_BR": ("Vocês disseram", "Você disse", label),
        "zh_Hans": ("您说", "你们说", label),
        "ht": ("Ou te di", label),
        "ar": ("قلتم", label),
    }[locale]
    notes = [t for loc, t in texts("heard") if loc == locale]
    assert notes
    assert not [t for t in notes if t.startswith(starts)]


def test_no_doubled_words_in_haitian_creole():
    doubled = re.compile(r"\b(\w+) \1\b")
    found = [t for locale, t in texts("question") if locale == "ht" and doubled.search(t)]
    for engagement in DEMO["engagements"]:
        found += [v for k, v in engagement["texts"]["ht"].items() if doubled.search(v)]
    assert not found


@pytest.mark.parametrize("locale", LOCALES)
def test_rating_hint_names_the_same_words_as_the_scale(app, locale):
    from flask_babel import gettext

    with in_locale(app, locale):
        best = gettext("5 – Very good").split("–", 1)[1].strip().lower()
        worst = gettext("1 – Very poor").split("–", 1)[1].strip().lower()
    for engagement in DEMO["engagements"]:
        for question in engagement["questions"]:
            if question["kind"] == "rating" and locale in question["texts"]:
                hint = question["texts"][locale]["help"].lower()
                assert best in hint and worst in hint, (engagement["slug"], hint)


def test_open_engagements_promise_no_season_that_has_passed():
    """The demo runs any time of year: "this spring" in November reads wrong."""
    seasons = re.compile(r"\b(?:this|next) (?:spring|summer)\b", re.I)
    for engagement in DEMO["engagements"]:
        if engagement["status"] == "open":
            assert not seasons.search(engagement["texts"]["en"]["description"])
