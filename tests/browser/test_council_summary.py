"""A council lead reads its council's summary on a 375 px phone: charts, no sideways
scrolling, and another council's summary is not found."""

import pytest

from engagement.extensions import db
from engagement.models import Role
from tests.factories import PASSWORD, group, make_engagement, make_user
from tests.summary.helpers import add_response

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def council_data(live_server):
    with live_server.app.app_context():
        own = make_engagement(
            slug="sepac-listening", council=group("sepac"), titles={"en": "SEPAC listening session"}
        )
        other = make_engagement(slug="elpac-listening", council=group("elpac"))
        for i in range(12):
            add_response(
                own,
                f"The IEP meeting was helpful, thank you {i}",
                ["special_education"] + (["communication"] if i % 2 else []),
                sentiment=0.4,
                likert=4 + i % 2,
            )
            add_response(other, f"other {i}", ["safety"])
        make_user("sepac-lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
        db.session.remove()
    return live_server


def test_council_lead_summary_on_a_phone(council_data, phone, screenshots):
    base = council_data.url
    phone.goto(f"{base}/staff/login")
    phone.fill("input[name=email]", "sepac-lead@example.org")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("form:has(input[name=password]) [type=submit]")
    response = phone.goto(f"{base}/staff/summary/sepac-listening")
    assert response.status == 200
    charts = phone.locator(".chart[role=img]")
    assert charts.count() >= 2
    assert phone.locator(".chart svg.chart-track").count() >= 2
    assert phone.locator(".chart .chart-label").first.text_content()
    assert phone.get_by_text("Special education").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(screenshots / "council-summary-375.png"), full_page=True)
    assert phone.goto(f"{base}/staff/summary/elpac-listening").status == 404
