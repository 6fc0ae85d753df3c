"""Comments over HTTP: the review page is staff-only, a comment is quoted only once staff
approve it, council leads' suggestions change nothing until staff approve them, and every
step (and every unmasked view) is in the audit log without the comment's text."""

import io

import openpyxl
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    AnswerTheme,
    AuditLog,
    Proposal,
    ProposalKind,
    ProposalState,
    QuoteState,
    Role,
)
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import sign_in
from tests.summary.helpers import add_response

SECRET = "Please call Maria Gonzalez at 617-555-0199 about the late bus"


def survey(state=QuoteState.PENDING, n=6):
    """A SEPAC survey: six comments on transportation, in quote state `state`."""
    engagement = make_engagement(slug="sepac-survey", council=group("sepac"))
    answers = [
        add_response(engagement, f"{SECRET} {i}", ["transportation"], quote=state)[1]
        for i in range(n)
    ]
    return engagement, answers


def quoted(answer) -> str:
    """How the answer's quote ends in a page's HTML."""
    return f"about the late bus {answer.text[-1]}</blockquote>"


def lead_and_staff():
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    staff = make_user("staff@example.org", Role.STAFF)
    return lead, staff


def switch(client, user):
    client.post("/staff/logout")
    assert sign_in(client, user.email).status_code == 302


def audit_rows(prefix: str) -> list[AuditLog]:
    return list(
        db.session.scalars(
            sa.select(AuditLog).where(AuditLog.action.startswith(prefix)).order_by(AuditLog.id)
        )
    )


def lead_export(client) -> str:
    response = client.post(
        "/staff/exports/summary", data={"engagement": "sepac-survey", "format": "xlsx"}
    )
    with response:
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return " ".join(str(c) for row in book["quotes"].iter_rows(values_only=True) for c in row)


def test_the_review_page_is_for_staff_only(client, seeded):
    _e, answers = survey()
    lead, _staff = lead_and_staff()
    switch(client, lead)
    base = "/staff/summary/sepac-survey/review"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}?theme=transportation").status_code == 403
    assert client.get(f"{base}/{answers[0].id}/mask").status_code == 403
    data = {"answer_ids": [answers[0].id], "decision": "approve"}
    assert client.post(f"{base}/quotes", data=data).status_code == 403
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert base not in page and "Maria" not in page and "[phone]" not in page


def test_a_comment_reaches_a_lead_only_after_staff_approve_it(client, seeded):
    _e, answers = survey()
    lead, staff = lead_and_staff()
    switch(client, lead)
    assert "late bus" not in client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert "late bus" not in lead_export(client)

    switch(client, staff)
    review = client.get("/staff/summary/sepac-survey/review").get_data(as_text=True)
    # Staff see each comment exactly as it would be quoted, masked.
    assert "Please call Maria Gonzalez at [phone] about the late bus 5" in review
    assert "617-555" not in review
    bulk = {"answer_ids": [answers[1].id, answers[2].id], "decision": "approve"}
    assert client.post("/staff/summary/sepac-survey/review/quotes", data=bulk).status_code == 302
    one = {"answer_ids": [answers[3].id], "decision": "reject"}
    client.post("/staff/summary/sepac-survey/review/quotes", data=one)
    db.session.expire_all()
    assert [a.quote_state for a in answers] == [
        QuoteState.PENDING,
        QuoteState.APPROVED,
        QuoteState.APPROVED,
        QuoteState.REJECTED,
        QuoteState.PENDING,
        QuoteState.PENDING,
    ]
    rows = audit_rows("quote.")
    assert [(r.action, r.target, r.user_id) for r in rows] == [
        ("quote.approved", f"answer:{answers[1].id}", staff.id),
        ("quote.approved", f"answer:{answers[2].id}", staff.id),
        ("quote.rejected", f"answer:{answers[3].id}", staff.id),
    ]
    assert all(r.at is not None and "bus" not in str(r.details) for r in rows)

    switch(client, lead)
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    shown = {i for i in range(6) if f"about the late bus {i}</blockquote>" in page}
    assert shown == {1, 2}
    assert "Please call Maria Gonzalez at [phone]" in page and "617-555" not in page
    exported = lead_export(client)
    assert (
        "late bus 1" in exported and "late bus 0" not in exported and "late bus 3" not in exported
    )


def test_a_bulk_decision_cannot_reach_another_engagement(client, seeded):
    _e, answers = survey()
    other = make_engagement(slug="elpac-survey", council=group("elpac"))
    _r, foreign = add_response(other, "x", ["safety"], quote=QuoteState.PENDING)
    _lead, staff = lead_and_staff()
    switch(client, staff)
    data = {"answer_ids": [answers[0].id, foreign.id], "decision": "approve"}
    assert client.post("/staff/summary/sepac-survey/review/quotes", data=data).status_code == 404
    db.session.expire_all()
    assert answers[0].quote_state == QuoteState.PENDING
    assert foreign.quote_state == QuoteState.PENDING


def test_staff_mask_words_by_hand(client, seeded):
    _e, answers = survey(QuoteState.APPROVED)
    lead, staff = lead_and_staff()
    switch(client, staff)
    url = f"/staff/summary/sepac-survey/review/{answers[0].id}/mask"
    page = client.get(url).get_data(as_text=True)
    assert 'name="words" value="2"> Maria' in page  # "Please call Maria Gonzalez ..."
    assert client.post(url, data={"words": ["2", "3"], "action": "mask"}).status_code == 302
    db.session.expire_all()
    assert answers[0].text == f"{SECRET} 0"  # the family's words are never changed
    assert answers[0].quote_text == "Please call […] at [phone] about the late bus 0"
    (row,) = audit_rows("quote.masked")
    assert row.target == f"answer:{answers[0].id}" and row.details["words"] == 2
    assert "Maria" not in str(row.details)

    switch(client, lead)
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert "Please call […] at [phone] about the late bus 0" in page

    switch(client, staff)
    client.post(url, data={"action": "reset"})
    db.session.expire_all()
    assert answers[0].quote_text is None and answers[0].quote_state == QuoteState.PENDING
    assert [r.action for r in audit_rows("quote.mask")] == ["quote.masked", "quote.mask_cleared"]


def test_lead_suggestions_change_nothing_until_staff_approve(client, seeded):
    _e, answers = survey(QuoteState.APPROVED)
    lead, staff = lead_and_staff()
    switch(client, lead)
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert "Suggest a change to this quote" in page
    target = next(a for a in answers if quoted(a) in page)
    url = "/staff/summary/sepac-survey/suggest"
    no_quote = {"answer_id": target.id, "change": "no_quote", "theme": "transportation"}
    assert client.post(url, data=no_quote).status_code == 302
    recode = {"answer_id": target.id, "change": "remove", "theme": "transportation"}
    client.post(url, data=recode)
    client.post(url, data=recode)  # the same suggestion twice is stored once
    db.session.expire_all()
    assert target.quote_state == QuoteState.APPROVED
    assert db.session.get(AnswerTheme, (target.id, "transportation")).removed is False
    assert quoted(target) in client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    proposals = db.session.scalars(sa.select(Proposal).order_by(Proposal.id)).all()
    assert [p.kind for p in proposals] == [ProposalKind.NO_QUOTE, ProposalKind.THEME]
    # Only a quote the lead was shown can be the subject of a suggestion.
    answers[5].quote_state = QuoteState.PENDING
    db.session.commit()
    pending = {"answer_id": answers[5].id, "change": "no_quote", "theme": "transportation"}
    assert client.post(url, data=pending).status_code == 404
    assert client.get("/staff/proposals").status_code == 403

    switch(client, staff)
    home = client.get("/staff/").get_data(as_text=True)
    assert "2 suggestions from council leads wait for your decision" in home
    page = client.get("/staff/proposals").get_data(as_text=True)
    assert "Remove the theme “Transportation” from this comment" in page
    assert "Please call Maria Gonzalez at [phone]" in page
    client.post(f"/staff/proposals/{proposals[0].id}", data={"decision": "approve"})
    client.post(f"/staff/proposals/{proposals[1].id}", data={"decision": "reject"})
    db.session.expire_all()
    assert target.quote_state == QuoteState.REJECTED
    assert db.session.get(AnswerTheme, (target.id, "transportation")).removed is False
    assert [p.state for p in proposals] == [ProposalState.APPROVED, ProposalState.REJECTED]
    assert all(p.decided_by_id == staff.id and p.decided_at for p in proposals)
    actions = [(r.action, r.user_id) for r in audit_rows("")]
    assert [a for a in actions if a[0].startswith(("proposal.", "quote.", "theme_"))] == [
        ("proposal.made", lead.id),
        ("proposal.made", lead.id),
        ("proposal.approved", staff.id),
        ("quote.rejected", staff.id),
        ("proposal.rejected", staff.id),
    ]

    switch(client, lead)
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert quoted(target) not in page


def test_an_approved_recode_changes_the_summary(client, seeded):
    _e, answers = survey(QuoteState.APPROVED)
    lead, staff = lead_and_staff()
    switch(client, lead)
    add = {"answer_id": answers[0].id, "change": "add", "theme": "safety"}
    client.post("/staff/summary/sepac-survey/suggest", data=add)
    assert db.session.get(AnswerTheme, (answers[0].id, "safety")) is None
    switch(client, staff)
    proposal = db.session.scalar(sa.select(Proposal))
    client.post(f"/staff/proposals/{proposal.id}", data={"decision": "approve"})
    row = db.session.get(AnswerTheme, (answers[0].id, "safety"))
    assert row is not None and not row.removed
    assert [r.action for r in audit_rows("theme_")] == ["theme_added"]


def test_admins_unmasked_views_are_audited(client, seeded):
    survey(QuoteState.APPROVED)
    admin = make_user("admin@example.org", Role.ADMIN)
    switch(client, admin)
    assert "617-555" not in client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert audit_rows("quotes.") == []
    assert "617-555" in client.get("/staff/summary/sepac-survey?pii=show").get_data(as_text=True)
    review = client.get("/staff/summary/sepac-survey/review?pii=show").get_data(as_text=True)
    assert "617-555" in review
    rows = audit_rows("quotes.unmasked_view")
    assert [(r.target, r.details["page"], r.user_id) for r in rows] == [
        ("sepac-survey", "summary", admin.id),
        ("sepac-survey", "review_answers", admin.id),
    ]
    # Staff asking for it get the masked page, and nothing is logged as unmasked.
    staff = make_user("staff@example.org", Role.STAFF)
    switch(client, staff)
    assert "617-555" not in client.get("/staff/summary/sepac-survey?pii=show").get_data(
        as_text=True
    )
    assert len(audit_rows("quotes.unmasked_view")) == 2
