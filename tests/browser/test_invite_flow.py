"""Real browser: the distribution kit and paper forms. Staff open the kit for one school's
families, download nothing, type in a returned Arabic paper form, and a family follows the
text message's short link; the database is checked after each step, and axe-core finds no
violation on the kit and paper-entry pages (at 1280 px and on a phone)."""

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import Channel, EngagementStatus, Response, Role, School
from tests.browser.conftest import serving
from tests.browser.test_council_snapshot import check_axe
from tests.factories import PASSWORD, make_engagement, make_user

pytestmark = pytest.mark.browser


def _world():
    from engagement.seed import seed_district

    seed_district()
    make_user("staff@example.org", Role.STAFF, password=PASSWORD)
    make_engagement(
        slug="family-survey-2026",
        status=EngagementStatus.OPEN,
        titles={"en": "Family survey 2026", "ar": "استبيان الأسر 2026"},
        languages="en,ar",
    )


@pytest.fixture
def kit_server(tmp_path):
    with serving(tmp_path / "live.sqlite", _world) as server:
        yield server.app, server.url


def check(app, query):
    with app.app_context():
        try:
            return query()
        finally:
            db.session.remove()


def test_kit_paper_entry_and_short_link(kit_server, browser):
    app, base = kit_server
    school = check(app, lambda: db.session.scalar(sa.select(School).order_by(School.id)))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10000)
    page.goto(f"{base}/staff/login")
    page.fill("input[name=email]", "staff@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_url(f"{base}/staff/")

    # The kit for one school's families: only the offered languages, links tagged.
    page.goto(f"{base}/staff/engagements/family-survey-2026/invite")
    page.select_option("#kit-school", school.code)
    page.click(".kit-options button")
    page.wait_for_url(f"**school={school.code}**")
    assert page.locator("section.kit").count() == 2
    sms = page.locator("#kit-ar .kit-text").first.inner_text()
    assert f"/s/ar/{school.id}" in sms
    assert page.locator("#kit-ar .hint").first.inner_text()  # "fits in one text message"
    check_axe(page, page.url)

    # A returned Arabic paper form, typed in.
    page.goto(f"{base}/staff/engagements/family-survey-2026/paper?paper=ar")
    page.locator(".paper-questions textarea").first.fill("نحتاج إلى مترجمين في الاجتماعات")
    page.click("form[method=post] .actions button")
    page.wait_for_selector(".flash-success")
    stored = check(app, lambda: db.session.scalars(sa.select(Response)).all())
    assert [(r.channel, r.locale) for r in stored] == [(Channel.PAPER, "ar")]
    check_axe(page, page.url)

    # A family follows the text message's short link on a phone.
    phone = browser.new_page(viewport={"width": 375, "height": 667})
    phone.goto(sms.split()[-1].replace("http://localhost", base))
    assert "channel=sms" in phone.url and f"school={school.code}" in phone.url
    assert phone.locator("input[name=source]").get_attribute("value") == school.code
    check_axe(phone, phone.url)
