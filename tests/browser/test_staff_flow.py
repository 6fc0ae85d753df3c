"""Real browser: a staff member signs in, creates a bilingual survey, prints its flyer, opens
it, types 20 comment cards from a forum with the keyboard only, and closes it."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from engagement.models import Role
from tests.browser.conftest import serving
from tests.factories import PASSWORD, make_user

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "staff"


pytestmark = pytest.mark.browser


def _staff_account():
    from engagement.seed import seed_district

    seed_district()
    make_user("staff@example.org", Role.STAFF, password=PASSWORD)


@pytest.fixture
def staff_live_server(tmp_path):
    """The app with a seeded district and one staff account."""
    with serving(tmp_path / "live.sqlite", _staff_account) as server:
        yield server.app, server.url


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_staff_flow(staff_live_server, browser):
    app, base = staff_live_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10000)

    # Sign in with the keyboard.
    page.goto(f"{base}/staff/login")
    page.keyboard.type("staff@example.org")  # the e-mail field has autofocus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/staff/")

    # A bilingual survey with two questions.
    page.goto(f"{base}/staff/engagements/new")
    page.select_option("#kind", "survey")
    page.fill("#title", "Family climate survey")
    page.fill("#description", "Tell us how welcome you feel.")
    page.fill("#slug", "climate-2030")
    # Offered in English and Spanish only: every language is ticked at first.
    for code in ("pt_BR", "zh_Hans", "ht", "ar"):
        page.uncheck(f"input[name=languages][value={code}]")
    page.click("button[type=submit]:has-text('Save engagement'), input[type=submit]")
    page.wait_for_url(f"{base}/staff/engagements/climate-2030")
    for kind, code, text in [
        ("likert5", "welcome", "I feel welcome at my child's school."),
        ("open_text", "comments", "What should we do better?"),
    ]:
        page.goto(f"{base}/staff/engagements/climate-2030/questions/new")
        page.fill("#text", text)
        page.select_option("#kind", kind)
        page.fill("#code", code)
        if code == "welcome":
            page.check("#required")
        page.click("#submit")
        page.wait_for_url(f"{base}/staff/engagements/climate-2030")
    page.goto(f"{base}/staff/engagements/climate-2030/translations/es")
    assert "es: 0/4 strings" in page.content()
    spanish = [
        "Encuesta de clima familiar",
        "Díganos qué tan bienvenido se siente.",
        "Me siento bienvenido en la escuela de mi hijo.",
        "¿Qué deberíamos mejorar?",
    ]
    for field, text in zip(
        page.locator("form.translate-form textarea").all(), spanish, strict=True
    ):
        field.fill(text)
    page.click("form.translate-form #submit")
    page.wait_for_load_state()
    assert "es: 4/4 strings" in page.content()
    shot(page, "translate-es")

    # The flyer with its QR code, in both languages.
    page.goto(f"{base}/staff/engagements/climate-2030/flyer")
    assert page.locator("figure.flyer-qr svg path").count() == 1
    assert "Encuesta de clima familiar" in page.inner_text("article.flyer")
    assert f"{base}/e/climate-2030?channel=qr" in page.inner_text("article.flyer")
    shot(page, "flyer")

    # Open it.
    page.goto(f"{base}/staff/engagements/climate-2030")
    page.click("button:has-text('Open the engagement')")
    page.wait_for_load_state()
    assert "The engagement is open." in page.content()

    # A forum event, then 20 cards typed with the keyboard only.
    page.goto(f"{base}/staff/engagements/climate-2030/events")
    page.fill("#held_on", "2030-10-02")
    page.fill("#attendance", "35")
    page.check("input[name=languages][value=es]")
    page.click("#submit")
    page.wait_for_url("**/cards")
    for n in range(1, 21):
        # The browser applies autofocus just after the page loads; give it that moment.
        try:
            page.wait_for_function(
                "document.activeElement && document.activeElement.name === 'text'", timeout=5000
            )
        except PlaywrightTimeout:
            focused = page.evaluate("document.activeElement && document.activeElement.name")
            pytest.fail(f"card {n}: focus is on {focused!r}, not the card's text box")
        if n == 1:
            page.select_option("#locale", "es")
            page.focus("#text")
        page.keyboard.type(f"Tarjeta {n}: necesitamos más intérpretes.")
        if n % 2:
            page.keyboard.press("Tab")  # to the save button
            page.keyboard.press("Enter")
        else:
            page.keyboard.press("Control+Enter")
        page.wait_for_selector(f"[role=status] >> text=Saved card {n}")
    shot(page, "cards")

    # Close it.
    page.goto(f"{base}/staff/engagements/climate-2030")
    page.click("button:has-text('Close the engagement')")
    page.wait_for_load_state()
    assert "Families will no longer be able to answer." in page.content()  # asked first
    page.click("button:has-text('Yes, close it')")
    page.wait_for_load_state()
    assert "The engagement is closed." in page.content()

    # Phone width: the workspace pages fit without sideways scrolling.
    phone = browser.new_page(viewport={"width": 375, "height": 667})
    phone.context.add_cookies(page.context.cookies())
    for path in (
        "/staff/",
        "/staff/engagements/climate-2030",
        "/staff/engagements/climate-2030/translations/es",
        "/staff/engagements/climate-2030/flyer",
    ):
        phone.goto(base + path)
        assert no_horizontal_scroll(phone), path
    shot(phone, "dashboard-375")

    from engagement.extensions import db
    from engagement.models import (
        AuditLog,
        Channel,
        Engagement,
        EngagementStatus,
        Event,
        Response,
    )

    with app.app_context():
        engagement = db.session.scalar(sa.select(Engagement))
        assert engagement.slug == "climate-2030" and engagement.status == EngagementStatus.CLOSED
        assert engagement.title("es") == "Encuesta de clima familiar"
        event = db.session.scalar(sa.select(Event))
        assert event.attendance == 35 and event.languages == ["es"]
        responses = list(db.session.scalars(sa.select(Response)))
        assert len(responses) == 20
        assert {(r.channel, r.locale, r.event_id) for r in responses} == {
            (Channel.PAPER, "es", event.id)
        }
        texts = sorted(a.text for r in responses for a in r.answers)
        assert texts == sorted(f"Tarjeta {n}: necesitamos más intérpretes." for n in range(1, 21))
        actions = set(db.session.scalars(sa.select(AuditLog.action)))
        assert {"auth.login", "engagement.open", "engagement.close", "event.create"} <= actions
