"""`flask purge`: retention deletes old responses and everything hanging off them."""

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    AuditLog,
    Engagement,
    FollowUpContact,
    Question,
    Response,
    response_group,
)
from tests.reliability.helpers import add_responses


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def rows_of_old_responses(days=30):
    """Analyses and themes hanging off responses older than `days` (set by the pipeline)."""
    from engagement.maintenance import count_purgeable, purge_cutoff

    counts = count_purgeable(purge_cutoff(days))
    assert counts.analyses >= 3 and counts.themes >= 3
    return counts


def table_counts():
    return {
        "responses": count(Response),
        "answers": count(Answer),
        "analyses": count(AnswerAnalysis),
        "themes": count(AnswerTheme),
        "contacts": count(FollowUpContact),
        "group_links": count(response_group),
    }


@pytest.fixture
def old_and_new(seeded):
    """Three responses 40-60 days old and two from the last week."""
    responses = add_responses([60, 45, 40, 5, 1])
    return [r.receipt_code for r in responses[3:]]


def test_dry_run_counts_and_deletes_nothing(runner, old_and_new):
    before = table_counts()
    old = rows_of_old_responses()
    result = runner.invoke(args=["purge", "--older-than", "30", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert (
        f"3 responses, 18 answers, {old.analyses} analyses, {old.themes} themes, 2 contacts, "
        "3 group links" in result.output
    )
    assert "Dry run" in result.output
    assert table_counts() == before
    assert count(AuditLog) == 0


def test_purge_deletes_old_responses_with_their_rows_and_audits(runner, old_and_new):
    before = table_counts()
    old = rows_of_old_responses()
    result = runner.invoke(args=["purge", "--older-than", "30", "--yes"])
    assert result.exit_code == 0, result.output
    assert (
        f"Deleted: 3 responses, 18 answers, {old.analyses} analyses, {old.themes} themes, "
        "2 contacts" in result.output
    )
    db.session.expire_all()
    assert table_counts() == {
        "responses": 2,
        "answers": 12,
        "analyses": before["analyses"] - old.analyses,
        "themes": before["themes"] - old.themes,
        "contacts": 1,
        "group_links": 2,
    }
    assert count(AnswerAnalysis) >= 2 and count(AnswerTheme) >= 2
    kept = set(db.session.scalars(sa.select(Response.receipt_code)))
    assert kept == set(old_and_new)
    # The engagement and its questions stay: only families' answers age out.
    assert count(Engagement) == 1 and count(Question) == 5
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "responses.purge"))
    assert entry.row_count == 3 and entry.actor == "cli"
    assert entry.details["answers"] == 18 and "cutoff" in entry.details
    assert "Respuesta" not in str(entry.details)


def test_default_comes_from_retention_days(app, runner, old_and_new):
    app.config["RETENTION_DAYS"] = 50
    result = runner.invoke(args=["purge", "--yes"])
    assert result.exit_code == 0, result.output
    assert "(50 days ago)" in result.output
    assert count(Response) == 4


def test_refuses_without_a_retention_period(app, runner, old_and_new):
    app.config["RETENTION_DAYS"] = 0
    result = runner.invoke(args=["purge", "--yes"])
    assert result.exit_code != 0
    assert "RETENTION_DAYS is 0" in result.output
    assert count(Response) == 5


def test_zero_days_is_refused(runner, old_and_new):
    result = runner.invoke(args=["purge", "--older-than", "0", "--yes"])
    assert result.exit_code != 0
    assert count(Response) == 5


def test_asks_before_deleting(runner, old_and_new):
    result = runner.invoke(args=["purge", "--older-than", "30"], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
    assert count(Response) == 5
    result = runner.invoke(args=["purge", "--older-than", "30"], input="y\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert count(Response) == 2


def test_nothing_to_delete(runner, old_and_new):
    result = runner.invoke(args=["purge", "--older-than", "365", "--yes"])
    assert result.exit_code == 0 and "Nothing to delete" in result.output
    assert count(AuditLog) == 0
