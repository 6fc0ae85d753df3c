"""Demo data stays apart: a banner while it is there, and one command removes all of it."""

import json

import sqlalchemy as sa

from engagement.demo import DEMO_FILE, demo_counts, load_demo, remove_demo
from engagement.extensions import db
from engagement.models import AuditLog, Engagement, Response
from engagement.submissions import Submission, record_response
from tests.factories import make_engagement


def small_demo(tmp_path):
    """The demo file with a few responses per engagement (the whole set takes a minute)."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    for item in data["engagements"]:
        item["responses"] = min(item.get("responses", 0), 6)
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_demo_remove_deletes_every_demo_row_and_keeps_real_ones(app, seeded, tmp_path):
    real = make_engagement(slug="real-survey")
    news = next(q for q in real.questions if q.code == "news")
    informed = next(q for q in real.questions if q.code == "informed")
    answers = {news.id: "email", informed.id: "4"}
    record_response(real, Submission(locale="en", channel="web", answers=answers))
    added = load_demo(small_demo(tmp_path))
    assert added["responses"] > 0
    # A demo response inside a real engagement (as `make run` data mixed with real use).
    record_response(
        real,
        Submission(locale="es", channel="web", answers=answers, is_demo=True),
    )
    before = demo_counts()
    assert before["engagements"] == added["engagements"]
    assert before["responses"] == added["responses"] + 1

    result = app.test_cli_runner().invoke(args=["demo", "--remove"])
    assert result.exit_code == 0, result.output
    assert f"{before['responses']} responses" in result.output
    assert demo_counts() == {"engagements": 0, "responses": 0}
    assert db.session.scalars(sa.select(Engagement.slug)).all() == ["real-survey"]
    kept = db.session.scalars(sa.select(Response)).all()
    assert [(r.engagement_id, r.is_demo) for r in kept] == [(real.id, False)]
    row = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "demo.remove"))
    assert row.details == before
    # Nothing left: a second removal does nothing and says so.
    assert remove_demo() == {"engagements": 0, "responses": 0}


def test_demo_responses_count_only_where_the_config_says_so(app, seeded, tmp_path):
    from engagement import aggregates
    from engagement.summary import summary_for

    load_demo(small_demo(tmp_path))
    survey = db.session.scalar(sa.select(Engagement).where(Engagement.slug == "family-survey-2026"))
    stored = db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(Response.engagement_id == survey.id)
    )
    assert stored == 6
    with app.test_request_context("/"):
        assert summary_for(survey).responses.n == 0  # the default: demo data left out
        app.config["COUNT_DEMO_DATA"] = True  # the one-machine trial
        aggregates.rebuild(survey.id)
        assert summary_for(survey).responses.n == 6
        assert remove_demo()["responses"] > 0
        app.config["COUNT_DEMO_DATA"] = False
