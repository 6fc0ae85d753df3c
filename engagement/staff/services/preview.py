"""Test answers sent from the staff preview of a form: stored flagged (`Response.is_test`),
counted nowhere (Response.counted), listed for staff and removable (audited)."""

import sqlalchemy as sa

from engagement import aggregates, audit
from engagement.extensions import db
from engagement.models import Channel, Engagement, Response
from engagement.submissions import Submission, record_response

TEST_ANSWERS_LISTED = 20


def store_test_answer(engagement: Engagement, form, locale: str, nonce: str) -> Response:
    """Store the preview form's answers as a test answer, once per form token. Not screened
    for repeated text and never queued for follow-up: no family sent it."""
    submission = Submission(
        locale=locale,
        channel=Channel.WEB,
        answers=form.answers(),
        group_ids=form.group_ids(),
        school_id=form.school_id(),
        race_ethnicity=form.race(),
        idempotency_key=nonce,
        contact=form.contact(),
        is_test=True,
        groups_checked=True,
    )
    response = record_response(engagement, submission)
    audit.record(
        "responses.test_answer",
        target=engagement.slug,
        details={"receipt": response.receipt_code, "locale": locale},
    )
    return response


def _of(engagement: Engagement):
    return (Response.engagement_id == engagement.id, Response.is_test.is_(True))


def test_answer_count(engagement: Engagement) -> int:
    return db.session.scalar(sa.select(sa.func.count(Response.id)).where(*_of(engagement))) or 0


def latest_test_answers(engagement: Engagement, limit: int = TEST_ANSWERS_LISTED):
    """The latest test answers (receipt code, time, language), newest first."""
    return db.session.execute(
        sa.select(Response.id, Response.receipt_code, Response.submitted_at, Response.locale)
        .where(*_of(engagement))
        .order_by(Response.id.desc())
        .limit(limit)
    ).all()


def remove_test_answers(engagement: Engagement) -> int:
    """Delete the engagement's test answers (their answers, analyses and contacts follow by
    ON DELETE CASCADE); audited; commits. Returns how many were deleted."""
    ids = list(db.session.scalars(sa.select(Response.id).where(*_of(engagement))))
    if not ids:
        return 0
    # Test answers count nowhere; tracked all the same, as every bulk change of responses is.
    with aggregates.tracked(ids):
        db.session.execute(
            sa.delete(Response).where(Response.id.in_(ids), Response.is_test.is_(True)),
            execution_options={"synchronize_session": False},
        )
    audit.record(
        "responses.remove_tests",
        target=engagement.slug,
        details={"test_answers": {"before": len(ids), "after": 0}},
        row_count=len(ids),
        commit=False,
    )
    db.session.commit()
    db.session.expire_all()
    return len(ids)
