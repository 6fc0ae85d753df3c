"""Corrections: void and restore a response, correct a comment card; every step audited,
voiding asks first and needs a reason, and a voided response counts nowhere."""

import re
from datetime import timedelta

import sqlalchemy as sa

from engagement.exports import report
from engagement.exports.responses import build_plan, iter_rows
from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerTheme,
    AuditLog,
    Channel,
    Event,
    QuoteState,
    Response,
)
from engagement.staff.services.responses import response_counts
from engagement.submissions import Submission, record_response
from engagement.summary.build import summary_for
from tests.factories import group, make_engagement


def _web_responses(app, engagement, texts):
    q = {question.code: question.id for question in engagement.questions}
    ids = []
    with app.test_request_context("/"):
        for n, text in enumerate(texts):
            answers = {q["informed"]: str(n % 5 + 1), q["comments"]: text}
            response = record_response(
                engagement, Submission(locale="en", channel=Channel.WEB, answers=answers)
            )
            ids.append(response.id)
    return ids


def _audit(action):
    return list(db.session.scalars(sa.select(AuditLog).where(AuditLog.action == action)))


def _raw_rows(engagement):
    plan = build_plan(engagement)
    column = plan.headers.index("voided")
    return {row[0]: row[column] for batch in iter_rows(plan) for row in batch}


def test_void_asks_for_a_reason_then_confirmation_and_counts_nowhere(
    app, staff_client, seeded, runner
):
    engagement = make_engagement()
    ids = _web_responses(app, engagement, [f"Comment {n} about the buses" for n in range(12)])
    today = report.district_today()
    period = (today - timedelta(days=1), today + timedelta(days=1))
    assert report.build_report(*period).response_count == 12
    test_id = ids[0]
    url = f"/staff/engagements/test-survey/responses/{test_id}"
    page = staff_client.get(url).get_data(as_text=True)
    assert "never edited" in page and "Correct this card" not in page

    # No reason: refused with a message, nothing voided.
    page = staff_client.post(url + "/void", data={"reason": "  "})
    assert page.status_code == 400
    assert "Say why this response is voided." in page.get_data(as_text=True)
    assert db.session.get(Response, test_id).voided_at is None

    # A reason: the confirmation page keeps it, and nothing is voided yet.
    page = staff_client.post(url + "/void", data={"reason": "My test answer"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="confirm" value="yes"' in body
    assert 'name="reason" value="My test answer"' in body
    db.session.expire_all()
    assert db.session.get(Response, test_id).voided_at is None
    assert summary_for(engagement, k=1).responses.n == 12

    response = staff_client.post(url + "/void", data={"reason": "My test answer", "confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    voided = db.session.get(Response, test_id)
    assert voided.voided_at is not None and voided.void_reason == "My test answer"
    assert voided.voided_by.email == "staff@example.org"
    # Kept, but counted nowhere: counts, summary, review page, aggregates.
    assert db.session.get(Response, test_id).answers
    assert response_counts([engagement.id]) == {engagement.id: 11}
    assert summary_for(engagement, k=1).responses.n == 11
    assert report.build_report(*period).response_count == 11
    assert runner.invoke(args=["aggregates", "check"]).exit_code == 0
    review = staff_client.get("/staff/summary/test-survey/review").get_data(as_text=True)
    assert "Comment 0 about" not in review and "Comment 1 about" in review
    # The raw export keeps it, flagged.
    rows = _raw_rows(engagement)
    assert rows[test_id] == 1 and sorted(v for k, v in rows.items() if k != test_id) == [0] * 11
    (entry,) = _audit("response.void")
    assert entry.details["reason"] == {"before": None, "after": "My test answer"}
    assert entry.details["voided"] == {"before": False, "after": True}
    page = staff_client.get(url).get_data(as_text=True)
    assert "Voided: not counted" in page and "My test answer" in page

    # Restored: counted again, audited.
    assert staff_client.post(url + "/restore").status_code == 302
    db.session.expire_all()
    assert db.session.get(Response, test_id).voided_at is None
    assert summary_for(engagement, k=1).responses.n == 12
    assert runner.invoke(args=["aggregates", "check"]).exit_code == 0
    (entry,) = _audit("response.restore")
    assert entry.details["voided"] == {"before": True, "after": False}


def test_the_review_page_links_each_comment_to_its_response(app, staff_client, seeded):
    engagement = make_engagement()
    (rid,) = _web_responses(app, engagement, ["We need more bus routes please"])
    page = staff_client.get("/staff/summary/test-survey/review").get_data(as_text=True)
    assert f"/staff/engagements/test-survey/responses/{rid}" in page


def test_a_familys_response_is_never_edited(app, staff_client, seeded):
    engagement = make_engagement()
    (rid,) = _web_responses(app, engagement, ["The family's own words here"])
    url = f"/staff/engagements/test-survey/responses/{rid}/edit"
    response = staff_client.get(url)
    assert response.status_code == 302
    answer = db.session.scalar(sa.select(Answer).where(Answer.text.is_not(None)))
    staff_client.post(url, data={f"text_{answer.id}": "changed", "locale": "en"})
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).text == "The family's own words here"
    assert not _audit("response.edit")


def _card(staff_client, text="Need more interpreters at meetings", locale="en"):
    staff_client.post(
        "/staff/engagements/forum/events", data={"held_on": "2030-10-02", "attendance": "5"}
    )
    event = db.session.scalar(sa.select(Event))
    comments = next(q for q in event.engagement.questions if q.code == "comments")
    url = f"/staff/engagements/forum/events/{event.id}/cards"
    page = staff_client.get(url).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', page).group(1)
    staff_client.post(
        url,
        data={
            "token": token,
            "text": text,
            "locale": locale,
            "group_id": "",
            "channel": "paper",
            "question_id": str(comments.id),
        },
    )
    return event, db.session.scalar(sa.select(Response).where(Response.event_id == event.id))


def test_correct_a_card_reanalyses_it_and_audits_without_the_words(
    app, staff_client, seeded, runner
):
    make_engagement(slug="forum", kind="forum")
    event, card = _card(staff_client, "Need more interpreters at meetings")
    answer = card.answers[0]
    answer.quote_state = QuoteState.APPROVED
    db.session.commit()
    before_themes = set(
        db.session.scalars(
            sa.select(AnswerTheme.theme_code).where(AnswerTheme.answer_id == answer.id)
        )
    )
    # The cards page lists the card with a way to correct it.
    page = staff_client.get(f"/staff/engagements/forum/events/{event.id}/cards")
    assert f"/staff/engagements/forum/responses/{card.id}" in page.get_data(as_text=True)
    url = f"/staff/engagements/forum/responses/{card.id}/edit"
    form = staff_client.get(url).get_data(as_text=True)
    assert "Need more interpreters at meetings" in form
    parents = group("parent_guardian")

    # An empty text is refused and what was typed elsewhere is kept.
    page = staff_client.post(
        url,
        data={
            f"text_{answer.id}": " ",
            "locale": "es",
            "group_id": str(parents.id),
            "channel": "staff_entry",
        },
    ).get_data(as_text=True)
    assert "Type the comment from the card." in page
    assert re.search(r'<option selected value="es">|value="es" selected', page)
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).text == "Need more interpreters at meetings"

    new_text = "The bus is always late and my child misses breakfast"
    response = staff_client.post(
        url,
        data={
            f"text_{answer.id}": new_text,
            "locale": "en",
            "group_id": str(parents.id),
            "channel": "staff_entry",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    card = db.session.get(Response, card.id)
    answer = db.session.get(Answer, answer.id)
    assert answer.text == new_text and answer.quote_state == QuoteState.PENDING
    assert card.channel == Channel.STAFF_ENTRY and [g.id for g in card.groups] == [parents.id]
    after_themes = set(
        db.session.scalars(
            sa.select(AnswerTheme.theme_code).where(AnswerTheme.answer_id == answer.id)
        )
    )
    assert "transportation" in after_themes and after_themes != before_themes
    assert runner.invoke(args=["aggregates", "check"]).exit_code == 0
    (entry,) = _audit("response.edit")
    assert entry.details["channel"] == {"before": "paper", "after": "staff_entry"}
    assert entry.details["groups"] == {"before": [], "after": ["parent_guardian"]}
    assert entry.details[f"answer_{answer.id}"]["after"].startswith(f"{len(new_text)} chars")
    details = repr(entry.details)
    assert "bus" not in details and "interpreters" not in details


def test_a_voided_card_must_be_restored_before_correcting(app, staff_client, seeded):
    make_engagement(slug="forum", kind="forum")
    _event, card = _card(staff_client)
    url = f"/staff/engagements/forum/responses/{card.id}"
    staff_client.post(url + "/void", data={"reason": "Typed twice", "confirm": "yes"})
    response = staff_client.get(url + "/edit")
    assert response.status_code == 302
    page = staff_client.get(url).get_data(as_text=True)
    assert "Correct this card" not in page and "Restore" in page


def test_saved_notice_is_not_shown_beside_a_card_error(staff_client, seeded):
    make_engagement(slug="forum", kind="forum")
    event, _card_row = _card(staff_client)
    url = f"/staff/engagements/forum/events/{event.id}/cards?saved=15&locale=en"
    assert "Saved card 15" in staff_client.get(url).get_data(as_text=True)
    page = staff_client.post(
        url, data={"text": "  ", "locale": "en", "group_id": "", "channel": "paper"}
    ).get_data(as_text=True)
    assert "Type the comment from the card." in page
    assert "Saved card 15" not in page


def test_a_council_lead_cannot_void(app, client, seeded, lead_user):
    from tests.staff.conftest import sign_in

    engagement = make_engagement(council=group("sepac"))
    (rid,) = _web_responses(app, engagement, ["A comment"])
    sign_in(client, lead_user.email)
    url = f"/staff/engagements/test-survey/responses/{rid}/void"
    response = client.post(url, data={"reason": "x", "confirm": "yes"})
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Response, rid).voided_at is None
