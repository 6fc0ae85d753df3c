"""A council lead reads their council's published snapshot on a 375 px phone: the date it
is as of, charts and tables that fit without sideways scrolling, and no accessibility
violation found by axe-core, in English and in Arabic (right to left)."""

import pytest

from engagement.extensions import db
from engagement.models import Role
from tests.factories import PASSWORD, group, make_engagement, make_user
from tests.summary.helpers import add_response

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def snapshot_data(live_server):
    with live_server.app.app_context():
        metco = group("metco")
        spring = make_engagement(
            slug="metco-spring-council",
            kind="advisory_council",
            council=metco,
            titles={"en": "METCO spring council", "ar": "مجلس ميتكو الربيعي"},
        )
        fall = make_engagement(slug="metco-fall-forum", kind="forum", council=metco)
        for i in range(14):
            add_response(
                spring,
                f"The late bus home from Belmont takes too long, family {i}",
                ["transportation"] + (["communication"] if i % 3 == 0 else []),
                sentiment=-0.3,
                likert=2 + i % 4,
                race="black" if i % 2 else "hispanic_latinx",
                locale="en" if i % 4 else "ht",
                groups=[group("parent_guardian")],
            )
        for i in range(2):  # too small to count anywhere
            add_response(fall, f"small forum {i}", ["safety"])
        make_user("metco-lead@example.org", Role.COUNCIL_LEAD, councils=["metco"])
        db.session.remove()
    return live_server


def check_axe(page, what: str):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_council_lead_reads_the_council_snapshot_on_a_phone(
    snapshot_data, phone, screenshots, lang
):
    base = snapshot_data.url
    phone.set_default_timeout(10000)
    phone.goto(f"{base}/staff/login")
    phone.fill("input[name=email]", "metco-lead@example.org")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("form:has(input[name=password]) [type=submit]")
    response = phone.goto(f"{base}/staff/summary/council/metco?lang={lang}")
    assert response.status == 200
    assert phone.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    as_of = phone.locator("p.as-of")
    assert as_of.is_visible() and as_of.text_content().strip()
    if lang == "en":
        assert as_of.text_content().startswith("As of")
        assert phone.get_by_text("Transportation").first.is_visible()
    assert phone.locator(".chart[role=img]").count() >= 2
    assert "small forum" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(screenshots / f"council-snapshot-375-{lang}.png"), full_page=True)
    check_axe(phone, f"council snapshot ({lang})")
