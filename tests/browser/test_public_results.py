"""A family reads the public results ("What we heard") of a closed engagement on a 375 px
phone, in Arabic (right to left) and in Spanish: participation, themes with quotes, the
closed questions as charts without JavaScript, "you said, we did", nothing sideways, and no
accessibility violation found by axe-core."""

import pytest

from engagement.extensions import db
from engagement.models import ActionStatus, EngagementStatus, LoopAction, LoopActionText
from tests.browser.test_family_flow import check_axe
from tests.factories import group, make_engagement
from tests.summary.helpers import add_response

pytestmark = pytest.mark.browser

TITLES = {"en": "Spring family survey", "es": "Encuesta de primavera", "ar": "استطلاع الربيع"}


@pytest.fixture(scope="module")
def results_data(live_server):
    with live_server.app.app_context():
        survey = make_engagement(
            slug="spring-results", status=EngagementStatus.CLOSED, titles=TITLES
        )
        parents = group("parent_guardian")
        for i in range(36):
            add_response(
                survey,
                f"The late bus home takes too long for family {i}",
                ["transportation"] + (["communication"] if i % 3 == 0 else []),
                sentiment=-0.3,
                likert=2 + i % 4,
                locale=("en", "es", "ar")[i % 3],
                groups=[parents],
            )
        for i in range(3):  # three SEPAC families: a group too small to show
            add_response(survey, f"small group {i}", ["safety"], groups=[group("sepac")])
        action = LoopAction(engagement=survey, status=ActionStatus.IN_PROGRESS)
        for locale, heard, did in (
            ("en", "The late bus takes too long.", "A second late bus from January."),
            ("es", "El autobús tarde tarda mucho.", "Un segundo autobús tarde desde enero."),
            ("ar", "الحافلة المتأخرة تستغرق وقتًا طويلًا.", "حافلة متأخرة ثانية من يناير."),
        ):
            action.texts.append(LoopActionText(locale=locale, heard=heard, did=did))
        db.session.add(action)
        db.session.commit()
        db.session.remove()
    return live_server


@pytest.mark.parametrize("lang", ["ar", "es"])
def test_family_reads_the_results_on_a_phone(results_data, phone, screenshots, lang):
    phone.set_default_timeout(10000)
    response = phone.goto(f"{results_data.url}/e/spring-results/results?lang={lang}")
    assert response.status == 200
    assert phone.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert (
        phone.locator("h1")
        .text_content()
        .strip()
        .startswith({"ar": "ما سمعناه", "es": "Lo que escuchamos"}[lang])
    )
    assert phone.get_by_text(TITLES[lang]).first.is_visible()
    assert phone.locator("meter").count() >= 6  # groups, languages, themes, a question
    assert phone.locator("meter").first.bounding_box()["width"] > 200
    assert phone.locator("blockquote").count() >= 1
    content = phone.content()
    assert "small group" not in content
    assert {"ar": "حافلة متأخرة ثانية", "es": "Un segundo autobús"}[lang] in content
    assert phone.locator("script").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(screenshots / f"public-results-375-{lang}.png"), full_page=True)
    check_axe(phone, f"public results ({lang})")
