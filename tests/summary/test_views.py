"""Staff summary pages and reviewer re-coding over HTTP."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    AnswerTheme,
    AuditLog,
    FollowUpContact,
    QuoteState,
    Role,
    ThemeSource,
    utcnow,
)
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import sign_in
from tests.summary.helpers import add_response


def setup_two_councils():
    a = make_engagement(slug="sepac-survey", council=group("sepac"))
    b = make_engagement(slug="elpac-survey", council=group("elpac"))
    answers = []
    for i in range(6):
        response, answer = add_response(
            a, f"Please call 617-555-01{i}9 about the bus", ["transportation"], likert=5
        )
        answers.append(answer)
        db.session.add(
            FollowUpContact(
                response_id=response.id,
                email=f"p{i}@example.org",
                preferred_locale="en",
                consented_at=utcnow(),
            )
        )
        add_response(b, f"b {i}", ["safety"])
    db.session.commit()
    return a, b, answers


def test_council_lead_sees_own_summary_with_charts_and_no_contacts(app, seeded, client):
    a, b, _answers = setup_two_councils()
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    assert sign_in(client, lead.email).status_code == 302
    page = client.get("/staff/summary/sepac-survey")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'class="chart bar-chart" role="img"' in html and "chart-track" in html
    assert "617-555" not in html and "[phone]" in html  # masked quotes
    assert "p0@example.org" not in html and "p5@example.org" not in html
    assert client.get("/staff/summary/elpac-survey").status_code == 404
    assert client.get("/staff/summary/elpac-survey/review").status_code in (403, 404)
    assert client.get("/staff/summary/sepac-survey/review").status_code == 403  # staff only
    # No live filters for leads: their council-wide snapshot instead.
    assert client.get("/staff/summary/all").status_code == 403
    council = client.get("/staff/summary/council/sepac").get_data(as_text=True)
    assert "b 0" not in council and "Transportation" in council and "As of" in council
    assert client.get("/staff/summary/council/elpac").status_code == 404
    index = client.get("/staff/summary").get_data(as_text=True)
    assert "sepac-survey" in index and "elpac-survey" not in index


def test_admin_may_unmask_on_screen_only_when_asked(app, seeded, client):
    setup_two_councils()
    admin = make_user("admin@example.org", Role.ADMIN)
    sign_in(client, admin.email)
    assert "617-555" not in client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    shown = client.get("/staff/summary/sepac-survey?pii=show").get_data(as_text=True)
    assert "617-555" in shown


def test_staff_reviewer_recodes_and_rejects_quotes_audited(app, seeded, client):
    a, _b, answers = setup_two_councils()
    reviewer = make_user("staff@example.org", Role.STAFF)
    sign_in(client, reviewer.email)
    target = answers[0]
    r = client.post(
        "/staff/summary/sepac-survey/review/codes",
        data={"answer_id": target.id, "theme": "transportation", "action": "remove"},
    )
    assert r.status_code == 302
    row = db.session.get(AnswerTheme, (target.id, "transportation"))
    assert row.source == ThemeSource.MANUAL and row.removed
    client.post(
        "/staff/summary/sepac-survey/review/codes",
        data={"answer_id": target.id, "theme": "safety", "action": "add"},
    )
    client.post(
        "/staff/summary/sepac-survey/review/quotes",
        data={"answer_ids": [answers[1].id], "decision": "reject"},
    )
    db.session.expire_all()
    assert answers[1].quote_state == QuoteState.REJECTED
    actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-3:] == ["theme_removed", "theme_added", "quote.rejected"]
    log = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "theme_added")).one()
    assert "617" not in str(log.details)  # never the answer's text
    # An answer of another council's engagement cannot be touched through this one.
    other = make_engagement(slug="other", council=group("elpac"))
    _r, foreign = add_response(other, "x", ["safety"])
    assert (
        client.post(
            "/staff/summary/sepac-survey/review/quotes",
            data={"answer_ids": [foreign.id], "decision": "reject"},
        ).status_code
        == 404
    )
    page = client.get("/staff/summary/sepac-survey/review").get_data(as_text=True)
    assert "removed by a reviewer" in page


def test_manual_codes_survive_reanalysis(app, seeded):
    from engagement.themes.review import set_theme
    from engagement.themes.store import reanalyze

    e = make_engagement()
    _r, answer = add_response(
        e, "The bus is always late and the driver is rude", ["transportation"]
    )
    with app.test_request_context("/"):
        set_theme(answer, "transportation", present=False)
        set_theme(answer, "staffing", present=True)
    list(reanalyze(force=True))
    rows = {
        r.theme_code: (r.source, r.removed)
        for r in db.session.scalars(
            sa.select(AnswerTheme).where(AnswerTheme.answer_id == answer.id)
        )
    }
    assert rows["transportation"] == (ThemeSource.MANUAL, True)
    assert rows["staffing"] == (ThemeSource.MANUAL, False)


def test_emerging_topics_list_recurring_unmatched_phrases(app, seeded):
    from engagement.themes.review import emerging_topics

    e = make_engagement()
    for i in range(5):
        add_response(e, f"robotics club {i}", [], phrases=["robotics club", f"one-off {i}"])
    topics = emerging_topics([e.id], 5)
    assert [(t.phrase, t.answers) for t in topics] == [("robotics club", 5)]


def test_filter_form_rejects_reversed_dates(app, seeded, client):
    staff = make_user("s@example.org", Role.STAFF)
    sign_in(client, staff.email)
    page = client.get("/staff/summary/all?date_from=2024-05-01&date_to=2024-04-01")
    assert page.status_code == 200
    assert "The end date must be on or after the start date." in page.get_data(as_text=True)
