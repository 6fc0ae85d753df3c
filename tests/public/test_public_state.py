"""The family pages follow Engagement.public_state: the home page's lists and the page of one
engagement always agree on whether it is open, not open yet, closed or a draft."""

from datetime import timedelta

import pytest

from engagement.models import EngagementStatus, PublicState, utcnow
from tests.factories import make_engagement
from tests.public.conftest import title, valid_data
from tests.public.test_home import add_action

DAY = timedelta(days=1)


def main(body: str) -> str:
    return body.split("<main")[1]


def window(kind):
    """(opens_at, closes_at) for a window that is running, ended or still to come."""
    now = utcnow()
    return {
        "running": (now - DAY, now + DAY),
        "ended": (now - 10 * DAY, now - DAY),
        "to_come": (now + DAY, now + 10 * DAY),
    }[kind]


CASES = [
    # status, window, state, on the home page as
    (EngagementStatus.OPEN, "running", PublicState.OPEN, "open"),
    (EngagementStatus.OPEN, "ended", PublicState.CLOSED, "closed"),
    (EngagementStatus.OPEN, "to_come", PublicState.NOT_YET_OPEN, None),
    (EngagementStatus.CLOSED, "running", PublicState.CLOSED, "closed"),
    (EngagementStatus.CLOSED, "to_come", PublicState.CLOSED, "closed"),
    (EngagementStatus.DRAFT, "running", PublicState.DRAFT, None),
    (EngagementStatus.DRAFT, "ended", PublicState.DRAFT, None),
]


@pytest.mark.parametrize("status, when, state, listed", CASES)
def test_home_and_engagement_page_agree(client, seeded, db, status, when, state, listed):
    engagement = make_engagement(slug="one", status=status, titles={"en": "Bus survey"})
    engagement.opens_at, engagement.closes_at = window(when)
    add_action(db, engagement, "Buses are late.", "We changed the routes.")
    assert engagement.public_state() is state

    home = main(client.get("/").get_data(as_text=True))
    open_part, _, closed_part = home.partition('id="closed-heading"')
    assert ("Bus survey" in open_part) is (listed == "open")
    assert ("Bus survey" in closed_part) is (listed == "closed")
    assert ("We changed the routes." in closed_part) is (listed == "closed")

    page = client.get("/e/one")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ("<form" in main(body)) is (state is PublicState.OPEN)
    assert ("Bus survey" in main(body)) is (state is not PublicState.DRAFT)
    assert title(body).startswith("Closed – ") is (state is PublicState.CLOSED)
    assert ("We changed the routes." in body) is (state is PublicState.CLOSED)
    assert ("This opens on" in body) is (state is PublicState.NOT_YET_OPEN)
    assert ("This form is not open yet" in body) is (state is PublicState.DRAFT)
    expected_post = 303 if state is PublicState.OPEN else 410
    assert client.post("/e/one", data=valid_data(engagement)).status_code == expected_post


def test_a_draft_whose_dates_have_passed_stays_hidden(client, seeded, db):
    """Staff may prepare a draft for a window already over (entering an old paper survey):
    its title and notes stay private until it is published."""
    draft = make_engagement(
        slug="old-paper", status=EngagementStatus.DRAFT, titles={"en": "Old paper survey"}
    )
    draft.opens_at, draft.closes_at = window("ended")
    add_action(db, draft, "Too few buses.", "We asked for more.")
    assert draft.public_state() is PublicState.DRAFT
    body = client.get("/e/old-paper").get_data(as_text=True)
    assert "This form is not open yet" in body
    assert "Old paper survey" not in main(body)
    home = client.get("/").get_data(as_text=True)
    assert "Old paper survey" not in home and "We asked for more." not in home
