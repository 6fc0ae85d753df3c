"""Staff preview of a family form in each offered language, and its test answers: stored
flagged, counted nowhere (summary, aggregates, exports, staff counts), removable, audited."""

import re

import sqlalchemy as sa

from engagement import aggregates
from engagement.exports.responses import build_plan, count_responses, iter_rows
from engagement.extensions import db
from engagement.models import (
    AuditLog,
    Channel,
    Engagement,
    EngagementStatus,
    FollowUp,
    Response,
    ResponseAggregate,
)
from engagement.staff.services.authoring import address_is_fixed
from engagement.staff.services.responses import response_counts
from engagement.submissions import Submission, record_response
from engagement.summary import summary_for
from tests.factories import make_engagement


def token_in(body: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', body).group(1)


def three_languages(status=EngagementStatus.DRAFT):
    engagement = make_engagement(slug="preview-me", status=status)
    engagement.offered_languages = ["es", "ar"]
    db.session.commit()
    return engagement


def send_test_answer(client, engagement, locale="es", comment="Más reuniones por la tarde."):
    url = f"/staff/engagements/{engagement.slug}/preview/{locale}"
    body = client.get(url).get_data(as_text=True)
    q = {question.code: question.id for question in engagement.questions}
    return client.post(
        url,
        data={
            f"q_{q['informed']}": "4",
            f"q_{q['comments']}": comment,
            "token": token_in(body),
        },
    )


def test_preview_in_each_offered_language(staff_client, seeded):
    engagement = three_languages()
    for code, lang in (("en", "en"), ("es", "es"), ("ar", "ar")):
        page = staff_client.get(f"/staff/engagements/preview-me/preview/{code}")
        body = page.get_data(as_text=True)
        assert page.status_code == 200
        assert f'<html lang="{lang}"' in body
        assert '<meta name="robots" content="noindex, nofollow">' in body
        assert 'class="preview-banner"' in body
        assert "no-store" in page.headers["Cache-Control"]
        assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert f'action="/staff/engagements/preview-me/preview/{code}"' in body
    assert 'dir="rtl"' in body
    # A language not offered has no preview; a draft is still not shown to families.
    assert staff_client.get("/staff/engagements/preview-me/preview/ht").status_code == 404
    assert staff_client.get("/e/preview-me").status_code == 200
    assert "Preview" not in staff_client.get("/e/preview-me").get_data(as_text=True)
    assert engagement.status == EngagementStatus.DRAFT


def test_preview_of_an_open_engagement_is_never_the_families_cached_page(staff_client, seeded):
    three_languages(status=EngagementStatus.OPEN)
    family = staff_client.get("/e/preview-me?lang=es").get_data(as_text=True)
    preview = staff_client.get("/staff/engagements/preview-me/preview/es").get_data(as_text=True)
    again = staff_client.get("/e/preview-me?lang=es").get_data(as_text=True)
    assert "preview-banner" in preview
    assert "preview-banner" not in family and "preview-banner" not in again


def test_preview_shows_a_question_still_waiting_for_translations(staff_client, seeded):
    engagement = three_languages(status=EngagementStatus.OPEN)
    late = engagement.questions[-1]
    late.awaiting_translation = True
    db.session.commit()
    preview = staff_client.get("/staff/engagements/preview-me/preview/en").get_data(as_text=True)
    family = staff_client.get("/e/preview-me?lang=en").get_data(as_text=True)
    assert f'name="q_{late.id}"' in preview
    assert f'name="q_{late.id}"' not in family


def test_a_test_answer_is_stored_flagged_and_counted_nowhere(app, staff_client, seeded, runner):
    engagement = three_languages()
    sent = send_test_answer(staff_client, engagement, comment="I want to hurt myself")
    assert sent.status_code == 303
    stored = db.session.scalar(sa.select(Response))
    assert stored.is_test and stored.locale == "es" and not stored.counted
    assert len(stored.answers) == 2
    # Never queued for follow-up, even with words that would be.
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0
    # Nowhere counted: staff counts, the per-engagement counts, the summary, the raw export.
    assert response_counts([engagement.id]) == {}
    cells = db.session.scalars(
        sa.select(ResponseAggregate.dimension).where(
            ResponseAggregate.engagement_id == engagement.id
        )
    ).all()
    assert set(cells) <= {aggregates.LAST}
    with app.test_request_context("/"):
        assert summary_for(engagement, k=1).responses.n == 0
        plan = build_plan(engagement)
        assert count_responses(plan) == 0
        assert [row for batch in iter_rows(plan) for row in batch] == []
    assert runner.invoke(args=["aggregates", "check"]).exit_code == 0
    # A real answer beside it counts alone.
    with app.test_request_context("/"):
        q = {question.code: question.id for question in engagement.questions}
        record_response(
            engagement, Submission(locale="en", channel=Channel.WEB, answers={q["informed"]: "2"})
        )
        assert summary_for(engagement, k=1).responses.n == 1
    assert response_counts([engagement.id]) == {engagement.id: 1}
    assert runner.invoke(args=["aggregates", "check"]).exit_code == 0
    # Audited, and the address of a draft stays free to change.
    assert db.session.scalar(
        sa.select(AuditLog).where(AuditLog.action == "responses.test_answer")
    ).details == {"receipt": stored.receipt_code, "locale": "es"}


def test_a_test_answer_does_not_fix_the_address(staff_client, seeded):
    engagement = three_languages()
    send_test_answer(staff_client, engagement)
    assert not address_is_fixed(db.session.get(Engagement, engagement.id))


def test_staff_see_test_answers_and_remove_them_after_confirming(staff_client, seeded, runner):
    engagement = three_languages()
    send_test_answer(staff_client, engagement)
    send_test_answer(staff_client, engagement, locale="ar")
    receipts = db.session.scalars(sa.select(Response.receipt_code)).all()
    detail = staff_client.get("/staff/engagements/preview-me?lang=en").get_data(as_text=True)
    assert "2 test answers, counted nowhere." in detail
    for receipt in receipts:
        assert receipt in detail
    assert "0 responses" in detail
    # The first press asks; nothing is deleted yet.
    ask = staff_client.post("/staff/engagements/preview-me/test-answers/remove")
    assert ask.status_code == 200 and "Remove the test answers?" in ask.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 2
    done = staff_client.post(
        "/staff/engagements/preview-me/test-answers/remove",
        data={"confirm": "yes"},
        follow_redirects=True,
    )
    assert "2 test answers removed." in done.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
    entry = db.session.scalar(
        sa.select(AuditLog).where(AuditLog.action == "responses.remove_tests")
    )
    assert entry.target == "preview-me" and entry.row_count == 2
    assert entry.details == {"test_answers": {"before": 2, "after": 0}}
    assert runner.invoke(args=["aggregates", "check"]).exit_code == 0


def test_removing_test_answers_keeps_real_ones(app, staff_client, seeded):
    engagement = three_languages(status=EngagementStatus.OPEN)
    send_test_answer(staff_client, engagement)
    with app.test_request_context("/"):
        q = {question.code: question.id for question in engagement.questions}
        record_response(
            engagement, Submission(locale="en", channel=Channel.WEB, answers={q["informed"]: "5"})
        )
    staff_client.post("/staff/engagements/preview-me/test-answers/remove", data={"confirm": "yes"})
    left = db.session.scalars(sa.select(Response.is_test)).all()
    assert left == [False]
