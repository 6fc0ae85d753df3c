"""Real browser: the first step of a coordinator's year. Staff keep two questions of last
fall's survey in the question bank, then start this year's survey from the bank page by
ticking them, and duplicate it; the database is checked after each step, and axe-core finds
no violation on the bank pages."""

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AuditLog, BankQuestion, Engagement, EngagementStatus, Role
from tests.browser.conftest import serving
from tests.browser.test_council_snapshot import check_axe
from tests.factories import PASSWORD, make_engagement, make_user

pytestmark = pytest.mark.browser


def _last_fall():
    from engagement.seed import seed_district

    seed_district()
    make_user("staff@example.org", Role.STAFF, password=PASSWORD)
    make_engagement(
        slug="fall-2025",
        series="climate",
        status=EngagementStatus.CLOSED,
        titles={"en": "Fall climate survey 2025", "es": "Encuesta de clima, otoño 2025"},
    )


@pytest.fixture
def bank_server(tmp_path):
    with serving(tmp_path / "live.sqlite", _last_fall) as server:
        yield server.app, server.url


def check(app, query):
    with app.app_context():
        try:
            return query()
        finally:
            db.session.remove()


def test_year_starts_from_the_question_bank(bank_server, browser):
    app, base = bank_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10000)
    page.goto(f"{base}/staff/login")
    page.fill("input[name=email]", "staff@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_url(f"{base}/staff/")

    # Keep two of last fall's questions in the bank.
    for code in ("news", "comments"):
        page.goto(f"{base}/staff/engagements/fall-2025")
        page.click(f"form[action$='/to-bank'] button:has-text('Save to the bank {code}')")
        page.wait_for_selector(".flash-success")
    codes = check(app, lambda: sorted(db.session.scalars(sa.select(BankQuestion.code))))
    assert codes == ["comments", "news"]

    # The bank page: tick both, start a new engagement with them.
    page.goto(f"{base}/staff/engagements")
    page.click("text=Question bank")
    check_axe(page, "question bank")
    page.check("input[aria-label='Choose news']")
    page.check("input[aria-label='Choose comments']")
    page.click("text=New engagement with the chosen questions")
    assert page.is_checked("#from-bank input[type=checkbox] >> nth=0")
    assert page.locator("#from-bank input[type=checkbox]:checked").count() == 2
    page.select_option("#kind", "survey")
    page.fill("#title", "Fall climate survey 2026")
    page.fill("#slug", "fall-2026")
    page.fill("#series", "climate")
    page.click("form [type=submit]:has-text('Save engagement')")
    page.wait_for_url(f"{base}/staff/engagements/fall-2026")
    assert page.locator(".question-list .tag:text('From the question bank')").count() == 2

    def new_survey():
        survey = db.session.scalar(sa.select(Engagement).where(Engagement.slug == "fall-2026"))
        news = next(q for q in survey.questions if q.code == "news")
        return (
            survey.status,
            sorted(q.code for q in survey.questions),
            news.text("es")[0].text,
            [o.code for o in news.options],
        )

    status, question_codes, spanish, options = check(app, new_survey)
    assert status == EngagementStatus.DRAFT and question_codes == ["comments", "news"]
    assert spanish == "¿Cómo recibe noticias?" and options == ["email", "text"]

    # More from the bank later: nothing left to add that is not already there.
    page.click("text=Add questions from the bank")
    check_axe(page, "add from the bank")
    assert page.is_visible("text=There is no bank question left to add.")

    # Duplicate it for a spring edition.
    page.goto(f"{base}/staff/engagements/fall-2026")
    page.click("text=Duplicate")
    check_axe(page, "duplicate")
    page.fill("#title", "Spring climate survey 2027")
    page.fill("#slug", "spring-2027")
    page.click("text=Make the copy")
    page.wait_for_url(f"{base}/staff/engagements/spring-2027")

    def spring():
        copy = db.session.scalar(sa.select(Engagement).where(Engagement.slug == "spring-2027"))
        actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id))
        return copy.status, sorted(q.code for q in copy.questions), copy.series, list(actions)

    status, question_codes, series, actions = check(app, spring)
    assert status == EngagementStatus.DRAFT and question_codes == ["comments", "news"]
    assert series == "climate"
    for action in ("bank.save", "engagement.create", "bank.use", "engagement.duplicate"):
        assert action in actions
    page.close()
