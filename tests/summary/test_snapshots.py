"""Published snapshots: when they are made, what they keep, and how leads read them."""

import csv
import io

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.i18n import reset_locale
from engagement.models import AuditLog, EngagementStatus, Role, SummarySnapshot
from engagement.summary import (
    council_snapshot,
    engagement_snapshot,
    published_responses,
    snapshot_summary,
)
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import sign_in
from tests.summary.helpers import add_response


@pytest.fixture
def ctx(app, seeded):
    with app.test_request_context("/"):
        yield app


def answers(engagement, n, start=0, **fields):
    for i in range(start, start + n):
        fields.setdefault("themes", ["safety"])
        add_response(engagement, fields.pop("text", None) or f"answer {i}", **fields)


def snapshots_of(engagement):
    return db.session.scalars(
        sa.select(SummarySnapshot).where(SummarySnapshot.engagement_id == engagement.id)
    ).all()


def test_first_snapshot_waits_for_k_answers_or_the_close(ctx):
    open_one = make_engagement(slug="open-one")
    answers(open_one, 4)
    assert engagement_snapshot(open_one) is None
    count, snapshot = published_responses(open_one)
    assert count.suppressed and snapshot is None  # "fewer than 5", never "4"
    answers(open_one, 1, start=4)
    first = engagement_snapshot(open_one)
    assert first.response_count == 5 and first.data["values"]["responses"] == 5

    closed = make_engagement(slug="closed-one", status=EngagementStatus.CLOSED)
    answers(closed, 2)
    small = engagement_snapshot(closed)
    assert small is not None and small.data["values"]["responses"] is None
    assert snapshot_summary(small).too_small


def test_a_snapshot_moves_only_by_k_even_after_the_close(ctx):
    e = make_engagement()
    answers(e, 10)
    first = engagement_snapshot(e)
    answers(e, 4, start=10)
    assert engagement_snapshot(e).id == first.id  # 4 new: the same snapshot
    e.status = EngagementStatus.CLOSED
    db.session.commit()
    assert engagement_snapshot(e).id == first.id  # closed, 4 new: the last one stays final
    answers(e, 1, start=14)
    second = engagement_snapshot(e)
    assert second.id != first.id and second.data["values"]["responses"] == 15
    assert len(snapshots_of(e)) == 2


def test_a_count_that_moves_by_less_than_k_is_hidden_with_a_complement(ctx):
    e = make_engagement()
    answers(e, 8, locale="en")
    answers(e, 6, start=8, locale="es")
    first = engagement_snapshot(e).data["values"]
    assert first["language/en"] == 8 and first["language/es"] == 6
    answers(e, 5, start=14, locale="en")  # English moves by 5 ...
    answers(e, 3, start=19, locale="es")  # ... Spanish by 3
    second = engagement_snapshot(e).data["values"]
    assert second["responses"] == 22 and second.get("language/es") is None
    # English moved by k, but showing it would give the 3 new Spanish answers back
    # (22 - 14 new, minus 5 new English): the difference table needs a complement.
    # (Both hidden: the table is left out whole.)
    assert second.get("language/en") is None


def test_quotes_stay_while_the_theme_count_stays(ctx):
    from engagement.models import AnswerTheme, ThemeSource

    e = make_engagement()
    old = [add_response(e, f"answer {i}", ["safety"], sentiment=0.1)[1] for i in range(6)]
    first = snapshot_summary(engagement_snapshot(e)).themes[0]
    assert first.count.n == 6 and len(first.quotes) == 3
    # A reviewer takes one old answer out of the theme and a strong new one comes in:
    # still 6, and the new one would be the first quote if quotes were chosen again.
    db.session.delete(db.session.get(AnswerTheme, (old[5].id, "safety")))
    db.session.add(
        AnswerTheme(
            answer_id=old[5].id, theme_code="safety", source=ThemeSource.MANUAL, removed=True
        )
    )
    db.session.commit()
    add_response(e, "A very strong new comment", ["safety"], sentiment=-0.99)
    answers(e, 4, start=10, themes=["transportation"])
    again = snapshot_summary(engagement_snapshot(e))
    safety = next(t for t in again.themes if t.code == "safety")
    assert again.responses.n == 11 and safety.count.n == 6
    assert [q.text for q in safety.quotes] == [q.text for q in first.quotes]
    answers(e, 5, start=20, themes=["safety"], sentiment=0.5)
    latest = snapshot_summary(engagement_snapshot(e))
    safety = next(t for t in latest.themes if t.code == "safety")
    assert safety.count.n == 11 and safety.quotes[0].text == "A very strong new comment"


def test_a_quote_staff_reject_later_leaves_the_published_snapshot(ctx):
    from engagement.models import Answer, QuoteState

    e = make_engagement()
    answers(e, 6, sentiment=0.5)
    snapshot = engagement_snapshot(e)
    quoted = snapshot_summary(snapshot).themes[0].quotes
    first, second = (db.session.get(Answer, q.answer_id) for q in quoted[:2])
    first.quote_state = QuoteState.REJECTED
    second.quote_text = "answer [name]"  # masked by hand since
    db.session.commit()
    texts = [q.text for q in snapshot_summary(snapshot).themes[0].quotes]
    assert quoted[0].text not in texts and "answer [name]" in texts


def test_council_snapshot_adds_up_whole_engagements_only(ctx):
    sepac = group("sepac")
    big = make_engagement(slug="big", council=sepac)
    other = make_engagement(slug="other", kind="forum", council=sepac)
    small = make_engagement(slug="small", kind="forum", council=sepac)
    answers(big, 12, locale="en")
    answers(other, 7, locale="es")
    answers(small, 3, locale="ar")
    council = council_snapshot(sepac)
    values = council.data["values"]
    assert values["responses"] == 19 and "language/ar" not in values
    assert council.data["engagements"] == [big.id, other.id]
    assert council_snapshot(sepac).id == council.id  # nothing new: the same snapshot
    answers(small, 2, start=3, locale="ar")  # the small one reaches 5: counted from now on
    assert council_snapshot(sepac).data["values"]["responses"] == 24


def test_labels_follow_the_readers_language(app, seeded):
    e = make_engagement()
    with app.test_request_context("/"):
        answers(e, 6, locale="es")
        snapshot = engagement_snapshot(e)
    with app.test_request_context("/?lang=es"):
        reset_locale()  # the tests' app context outlives a request: choose afresh
        summary = snapshot_summary(snapshot)
        language = next(b for b in summary.breakdowns if b.dimension == "language")
        assert language.title == "Idioma del formulario" and language.cells[0].label == "Español"
        assert summary.responses.label == "Respuestas"


def test_lead_summary_export_is_the_published_snapshot(app, seeded):
    sepac = group("sepac")
    e = make_engagement(slug="sepac-survey", council=sepac)
    with app.test_request_context("/"):
        answers(e, 7)
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    client = app.test_client()
    sign_in(client, lead.email)
    assert "7 responses (as of" in client.get("/staff/").get_data(as_text=True)  # published
    page = client.get("/staff/exports").get_data(as_text=True)
    assert 'value="council:sepac"' in page and "All engagements of my councils" not in page
    with app.test_request_context("/"):
        answers(e, 1, start=7)  # not published yet: the export must not show 8
    result = client.post(
        "/staff/exports/summary", data={"engagement": "council:sepac", "format": "csv"}
    )
    assert result.status_code == 200
    text = result.get_data(as_text=True)
    result.close()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["responses", "Responses", "7", "", ""] in rows
    log = db.session.scalars(sa.select(AuditLog).where(AuditLog.action.like("export%"))).all()
    assert log and log[-1].details["council"] == "sepac" and log[-1].details["published"]
