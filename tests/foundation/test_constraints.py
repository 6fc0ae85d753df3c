"""Constraints live in the database: rows that bypass Python validation are refused."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from engagement.models import Answer, Engagement, Event, Response
from tests.factories import make_engagement


def insert_raw(db, table, **values):
    with pytest.raises(IntegrityError):
        db.session.execute(sa.insert(table).values(**values))
        db.session.flush()
    db.session.rollback()


def test_enum_check_constraint_refuses_unknown_kind(db):
    # Raw SQL, so that only the database's CHECK constraint stands in the way.
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.text(
                "INSERT INTO engagement (slug, kind, status, is_demo, created_at, updated_at) "
                "VALUES ('x', 'party', 'open', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    db.session.rollback()


def test_python_enum_validation_refuses_unknown_status(db):
    with pytest.raises(StatementError):
        db.session.execute(
            sa.insert(Engagement.__table__).values(
                slug="y",
                kind="survey",
                status="maybe",
                is_demo=False,
                created_at=sa.func.now(),
                updated_at=sa.func.now(),
            )
        )
    db.session.rollback()


def test_unique_slug(db):
    make_engagement(slug="same")
    with pytest.raises(IntegrityError):
        make_engagement(slug="same")
    db.session.rollback()


def test_window_must_close_after_it_opens(db):
    engagement = make_engagement()
    engagement.closes_at = engagement.opens_at
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_answer_is_choice_or_text_not_both(db):
    engagement = make_engagement()
    response = Response(engagement=engagement, locale="en", channel="web")
    db.session.add(response)
    db.session.commit()
    question_id = engagement.questions[0].id
    insert_raw(
        db,
        Answer.__table__,
        response_id=response.id,
        question_id=question_id,
        choice="1",
        text="also text",
        quote_state="pending",
    )
    insert_raw(
        db,
        Answer.__table__,
        response_id=response.id,
        question_id=question_id,
        choice=None,
        text=None,
        quote_state="pending",
    )


def test_foreign_keys_are_enforced(db):
    insert_raw(
        db,
        Response.__table__,
        engagement_id=999,
        locale="en",
        channel="web",
        receipt_code="AAAA-AAAA",
        is_demo=False,
        submitted_at=sa.func.now(),
    )


def test_attendance_cannot_be_negative(db):
    engagement = make_engagement()
    insert_raw(
        db,
        Event.__table__,
        engagement_id=engagement.id,
        held_on=sa.func.current_date(),
        attendance=-3,
        languages=[],
        notes="",
        created_at=sa.func.now(),
    )


def test_not_null(db):
    insert_raw(
        db,
        Engagement.__table__,
        slug=None,
        kind="survey",
        status="open",
        is_demo=False,
        created_at=sa.func.now(),
        updated_at=sa.func.now(),
    )
