"""Real browser, CSRF on, no JavaScript needed: staff void a test answer from the review page
(reason, then a confirmation page) and restore it, correct a mistyped comment card, and
archive an engagement after confirming. axe finds no violations on the response, the
confirmation and the correction pages."""

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import Answer, Channel, Engagement, Event, Response, Role, utcnow
from tests.browser.test_family_flow import check_axe
from tests.browser.test_quote_review import sign_in
from tests.factories import make_engagement, make_user
from tests.summary.helpers import add_response

pytestmark = pytest.mark.browser

SLUG = "fix-forum"


@pytest.fixture(scope="module")
def corrections_data(live_server):
    with live_server.app.app_context():
        engagement = make_engagement(slug=SLUG, kind="forum", titles={"en": "Fall forum"})
        add_response(engagement, "This is only my test answer, please ignore it")
        event = Event(engagement_id=engagement.id, held_on=utcnow().date(), attendance=12)
        db.session.add(event)
        db.session.commit()
        add_response(engagement, "We need more intrepreters", channel=Channel.PAPER, event=event)
        make_user("fix-staff@example.org", Role.STAFF)
        db.session.remove()
    return live_server


def _query(server, statement):
    with server.app.app_context():
        value = db.session.scalar(statement)
        db.session.remove()
    return value


def test_void_restore_correct_and_archive(corrections_data, browser):
    server, base = corrections_data, corrections_data.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, base, "fix-staff@example.org")

    # Void the test answer from the review page: a reason, then the confirmation page.
    page.goto(f"{base}/staff/summary/{SLUG}/review")
    card = page.locator(".card", has_text="only my test answer")
    card.get_by_text("Void or correct the response").click()
    check_axe(page, "response page")
    page.get_by_role("button", name="Void this response").click()
    assert page.get_by_text("Say why this response is voided.").first.is_visible()
    page.get_by_label("Why void it?").fill("My own test answer")
    page.get_by_role("button", name="Void this response").click()
    check_axe(page, "confirmation page")
    page.get_by_role("button", name="Yes, void it").click()
    assert page.get_by_text("Voided: not counted").is_visible()
    voided = sa.select(Response.void_reason).where(Response.channel == Channel.WEB)
    assert _query(server, voided) == "My own test answer"
    page.get_by_role("button", name="Restore: count it again").click()
    assert page.get_by_text("is counted again").is_visible()
    assert _query(server, voided) is None

    # Correct the mistyped card from the event's card list.
    event_id = _query(server, sa.select(Event.id))
    page.goto(f"{base}/staff/engagements/{SLUG}/events/{event_id}/cards")
    page.locator(".card-list a").first.click()
    page.get_by_text("Correct this card").click()
    check_axe(page, "correction page")
    page.get_by_label("Anything else?").fill("We need more interpreters")
    page.get_by_role("button", name="Save the correction").click()
    assert page.get_by_text("Correction saved.").is_visible()
    text = sa.select(Answer.text).join(Response).where(Response.channel == Channel.PAPER)
    assert _query(server, text) == "We need more interpreters"

    # Archive after confirming: out of the list, shown again with "Show archived".
    page.goto(f"{base}/staff/engagements/{SLUG}")
    page.get_by_role("button", name="Archive", exact=True).click()
    page.get_by_role("button", name="Yes, archive it").click()
    assert page.get_by_text("The engagement is archived.").first.is_visible()
    archived = sa.select(Engagement.archived_at).where(Engagement.slug == SLUG)
    assert _query(server, archived) is not None
    page.goto(f"{base}/staff/engagements")
    assert page.get_by_text("Fall forum").count() == 0
    page.get_by_text("Show archived engagements").click()
    assert page.get_by_text("Fall forum").is_visible()
    context.close()
