"""The review queue of held answers: grouped by engagement, masked, released or set aside
one by one or in bulk, every decision audited; the dashboard says when answers wait."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import format_datetime

from engagement.extensions import db
from engagement.models import AuditLog, Channel, HoldReason, HoldState, Response, utcnow
from engagement.submissions import Submission, record_response
from tests.factories import make_engagement
from tests.staff.conftest import sign_in


def sent_at():
    """Two minutes ago at :41 seconds, taken when a test runs (the burst window is the last
    few minutes, and a long suite may reach this file well after importing it)."""
    return utcnow().replace(second=41, microsecond=0) - timedelta(minutes=2)


def add(engagement, text, held_reason=None, screened=False, likert="4", sent=None):
    q = {question.code: question.id for question in engagement.questions}
    return record_response(
        engagement,
        Submission(
            locale="en",
            channel=Channel.WEB,
            answers={q["informed"]: likert, q["news"]: "text", q["comments"]: text},
            submitted_at=sent or sent_at(),
            screened=screened,
            held_reason=held_reason,
        ),
    )


@pytest.fixture
def held(seeded):
    """Two engagements with held answers, and one counted answer."""
    survey = make_engagement(slug="spring-survey", titles={"en": "Spring survey"})
    forum = make_engagement(slug="bus-forum", titles={"en": "Bus forum"})
    sent = sent_at()
    counted = add(survey, "A real family's answer about homework.", sent=sent)
    fast = add(survey, "Call me at 617-555-0123 about it", HoldReason.MACHINE_SPEED, sent=sent)
    burst = [add(forum, "Cancel the bus contract now", screened=True, sent=sent) for _ in range(3)]
    return {"counted": counted, "fast": fast, "burst": burst, "sent": sent}


def ids(responses):
    return [r.id for r in responses]


def states():
    return dict(db.session.execute(sa.select(Response.id, Response.hold_state)).all())


def test_queue_groups_held_answers_by_engagement_with_reason_time_and_masked_text(
    app, client, staff_user, held
):
    sign_in(client, staff_user.email)
    response = client.get("/staff/held")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert body.index("Spring survey") < body.index("Bus forum")  # oldest hold first
    assert body.count('name="response_ids" value=') == 2 * 4  # a tick box and a button each
    assert "Sent a few seconds after the page opened" in body
    assert "The same written answer was sent several times" in body
    with app.test_request_context("/"):
        sent = format_datetime(held["sent"], "short")  # in the district's time zone, to the minute
    assert f"Sent {sent}" in body and sent.count(":") == 1  # hours and minutes, no seconds
    assert "617-555-0123" not in body and "Call me at [phone] about it" in body
    assert "Agree" in body and "Text message" in body  # choices by their labels
    assert "real family" not in body  # counted answers are not in the queue


def test_release_one_answer_counts_it_and_is_audited(client, staff_user, held):
    sign_in(client, staff_user.email)
    fast = held["fast"].id
    response = client.post(
        "/staff/held/decide", data={"response_ids": fast, "decision": "released"}
    )
    assert response.status_code == 302
    assert "1 answer released" in client.get("/staff/held").get_data(as_text=True)
    assert states()[fast] == HoldState.RELEASED
    assert db.session.get(Response, fast).counted
    row = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "held.release"))
    assert (row.target, row.details, row.row_count) == (
        "spring-survey",
        {"response_ids": [fast]},
        1,
    )
    assert row.actor == staff_user.email


def test_bulk_set_aside_keeps_them_out_and_audits_each_engagement(client, admin_user, held):
    sign_in(client, admin_user.email)
    chosen = [*ids(held["burst"]), held["fast"].id]
    response = client.post(
        "/staff/held/decide", data={"response_ids": chosen, "decision": "set_aside"}
    )
    assert response.status_code == 302
    assert all(states()[i] == HoldState.SET_ASIDE for i in chosen)
    assert len(db.session.scalars(sa.select(Response)).all()) == 5  # kept
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.counted)) == 1
    rows = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "held.set_aside").order_by(AuditLog.target)
    ).all()
    assert [(r.target, r.row_count) for r in rows] == [("bus-forum", 3), ("spring-survey", 1)]
    body = client.get("/staff/held").get_data(as_text=True)
    assert "No answers are waiting for review." in body


def test_decided_or_counted_answers_cannot_be_decided_again(client, staff_user, held):
    sign_in(client, staff_user.email)
    fast, counted = held["fast"].id, held["counted"].id
    client.post("/staff/held/decide", data={"response_ids": fast, "decision": "set_aside"})
    client.post(
        "/staff/held/decide", data={"response_ids": [fast, counted], "decision": "released"}
    )
    assert states()[fast] == HoldState.SET_ASIDE and states()[counted] is None
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditLog.id)).where(AuditLog.action.like("held.%"))
        )
        == 1
    )


@pytest.mark.parametrize(
    "data",
    [{"decision": "released"}, {"response_ids": "x", "decision": "released"}],
)
def test_nothing_ticked_changes_nothing(client, staff_user, held, data):
    sign_in(client, staff_user.email)
    before = states()
    response = client.post("/staff/held/decide", data=data)
    assert response.status_code == 302
    assert "Tick at least one answer first." in client.get("/staff/held").get_data(as_text=True)
    assert states() == before


def test_unknown_decision_is_refused(client, staff_user, held):
    sign_in(client, staff_user.email)
    before = states()
    data = {"response_ids": held["fast"].id, "decision": "delete"}
    assert client.post("/staff/held/decide", data=data).status_code == 400
    assert states() == before


def test_dashboard_says_how_many_answers_wait(client, staff_user, held):
    sign_in(client, staff_user.email)
    body = client.get("/staff/").get_data(as_text=True)
    assert "4 answers waiting for review" in body
    assert 'href="/staff/held"' in body
    # The engagement cards count only counted answers.
    assert "1 response" in body and "0 responses" in body


def test_council_leads_see_no_queue(client, lead_user, held):
    sign_in(client, lead_user.email)
    assert client.get("/staff/held").status_code == 403
    assert "waiting for review" not in client.get("/staff/").get_data(as_text=True)


def test_queue_in_spanish(client, staff_user, held):
    sign_in(client, staff_user.email)
    body = client.get("/staff/held?lang=es").get_data(as_text=True)
    assert "Answers waiting for review" not in body
    assert 'lang="es"' in body
