"""Real browser, CSRF on: staff tick comments and approve them as quotes in one go, mask a
name by hand, and a council lead on a 375 px phone then reads only those quotes, masked, and
sends a suggestion that changes nothing until staff decide. axe finds no violations on the
review and mask pages."""

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import Answer, Engagement, Proposal, QuoteState, Response, Role
from tests.browser.test_family_flow import check_axe
from tests.factories import PASSWORD, group, make_engagement, make_user
from tests.summary.helpers import add_response

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def review_data(live_server):
    with live_server.app.app_context():
        engagement = make_engagement(
            slug="sepac-review", council=group("sepac"), titles={"en": "SEPAC review session"}
        )
        for i in range(8):
            add_response(
                engagement,
                f"Jacob waits for the late bus every day {i}, with my son",
                ["transportation"],
                quote=QuoteState.PENDING,
            )
        make_user("review-staff@example.org", Role.STAFF)
        make_user("review-lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
        db.session.remove()
    return live_server


def sign_in(page, base, email):
    page.goto(f"{base}/staff/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")


def states(server) -> list[QuoteState]:
    """Quote states of this module's comments (the live server's database is shared)."""
    with server.app.app_context():
        rows = db.session.scalars(
            sa.select(Answer.quote_state)
            .join(Response, Response.id == Answer.response_id)
            .join(Engagement, Engagement.id == Response.engagement_id)
            .where(Answer.text.is_not(None), Engagement.slug == "sepac-review")
        )
        result = sorted(rows)
        db.session.remove()
    return result


def test_staff_approve_and_mask_then_a_lead_reads_approved_quotes_on_a_phone(
    review_data, browser, phone, screenshots
):
    base = review_data.url
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-US")
    page = context.new_page()
    sign_in(page, base, "review-staff@example.org")
    page.goto(f"{base}/staff/summary/sepac-review/review")
    check_axe(page, "review page")
    boxes = page.locator("input[type=checkbox][form=bulk-quotes]")
    assert boxes.count() == 8
    for i in range(3):
        boxes.nth(i).check()
    page.click("#bulk-quotes button[value=approve]")
    assert page.get_by_text("3 comments may now be quoted.").is_visible()
    assert states(review_data).count(QuoteState.APPROVED) == 3
    page.screenshot(path=str(screenshots / "staff-review.png"), full_page=True)

    # Mask a name automatic masking cannot find (nobody introduces it) in the newest comment
    # (the first card), one of the approved ones.
    page.locator(".card").first.get_by_text("Mask words in this quote").click()
    check_axe(page, "mask page")
    page.get_by_label("Jacob").check()
    page.get_by_role("button", name="Mask the ticked words").click()
    assert page.get_by_text("[…] waits for the late bus every day 7, with my son").is_visible()
    page.locator(".card").first.screenshot(path=str(screenshots / "staff-review-masked.png"))
    context.close()

    sign_in(phone, base, "review-lead@example.org")
    assert phone.goto(f"{base}/staff/summary/sepac-review").status == 200
    quotes = [q.strip() for q in phone.locator("blockquote").all_text_contents()]
    assert len(quotes) == 3 and "[…] waits for the late bus every day 7, with my son" in quotes
    assert sum("Jacob" in q for q in quotes) == 2  # the other two, as staff approved them
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_text("Suggest a change to this quote").first.click()
    phone.screenshot(path=str(screenshots / "lead-approved-quotes-375.png"), full_page=True)
    phone.locator("details[open] select[name=change]").select_option("no_quote")
    phone.locator("details[open] button[type=submit]").click()
    assert phone.get_by_text("nothing changes until they approve it").first.is_visible()
    assert len(phone.locator("blockquote").all_text_contents()) == 3
    assert phone.goto(f"{base}/staff/summary/sepac-review/review").status == 403
    with review_data.app.app_context():
        proposals = sa.select(sa.func.count(Proposal.id)).join(Engagement)
        assert db.session.scalar(proposals.where(Engagement.slug == "sepac-review")) == 1
        db.session.remove()
