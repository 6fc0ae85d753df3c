"""Rows like the demo's: responses with answers, groups, contacts, analyses and themes."""

from datetime import timedelta

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AnswerAnalysis, AnswerTheme, Channel, ThemeSource, utcnow
from engagement.submissions import Submission, record_response
from tests.factories import group, make_engagement


def add_responses(
    ages_in_days,
    slug="test-survey",
    contact_every=2,
    comment="Respuesta número {n}: más autobuses, por favor.",
    contact_name="Family {n}",
):
    """One response per age (days before now), each fully answered; returns the responses.

    `comment` and `contact_name` are formatted with the response's number `n`."""
    engagement = make_engagement(slug=slug)
    ids = {q.code: q.id for q in engagement.questions}
    parent = group("parent_guardian")
    responses = []
    for n, age in enumerate(ages_in_days):
        submission = Submission(
            locale=["en", "es", "zh_Hans", "ar"][n % 4],
            channel=Channel.WEB,
            answers={
                ids["informed"]: str(1 + n % 5),
                ids["news"]: "email",
                ids["help"]: ["childcare", "interpreter"],
                ids["rating"]: "4",
                ids["comments"]: comment.format(n=n),
            },
            group_ids=[parent.id] if parent else [],
            idempotency_key=f"{slug}-key-{n:04d}-abcdefgh",
            submitted_at=utcnow() - timedelta(days=age),
            contact={"name": contact_name.format(n=n), "email": f"f{n}@example.org", "phone": ""}
            if n % contact_every == 0
            else None,
        )
        response = record_response(engagement, submission)
        # record_response analyses open text itself; make sure every response also has a
        # reviewer's manual theme, so a purge has analyses and themes to remove.
        text_answer = next(a for a in response.answers if a.text)
        if db.session.get(AnswerAnalysis, text_answer.id) is None:
            db.session.add(
                AnswerAnalysis(
                    answer_id=text_answer.id,
                    lang="es",
                    sentiment=0.2,
                    phrases=["autobuses"],
                    codebook_version="test",
                )
            )
        db.session.add(
            AnswerTheme(
                answer_id=text_answer.id, theme_code="reviewed_by_test", source=ThemeSource.MANUAL
            )
        )
        db.session.commit()
        responses.append(response)
    return responses


def row_counts(connection):
    """Rows per table of the app's schema (plus Alembic's version table when present)."""
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = connection.execute(
            sa.select(sa.func.count()).select_from(table)
        ).scalar()
    return counts
