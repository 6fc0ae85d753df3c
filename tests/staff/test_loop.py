"""The "you said, we did" notes: staff everywhere, council leads on their councils only."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    ActionStatus,
    AuditLog,
    EngagementStatus,
    LoopAction,
    Proposal,
    ProposalKind,
    ProposalState,
    Role,
)
from engagement.staff.services.translation_io import action_unit
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import sign_in


def test_council_lead_drafts_a_note_staff_publish_and_translate_it(app, client, seeded):
    make_engagement(slug="sepac-survey", council=group("sepac"), status=EngagementStatus.CLOSED)
    make_engagement(slug="elpac-survey", council=group("elpac"))
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    staff = make_user("staff@example.org", Role.STAFF)
    sign_in(client, lead.email)
    data = {
        "heard": "IEP meetings are hard to follow.",
        "did": "Interpreters at every IEP.",
        "status": "in_progress",
        "theme_code": "special_education",
    }
    assert client.post("/staff/engagements/sepac-survey/actions/new", data=data).status_code == 302
    assert client.post("/staff/engagements/elpac-survey/actions/new", data=data).status_code == 404
    # A draft: nothing is published, the lead sees it waiting, and may not translate.
    assert db.session.scalar(sa.select(sa.func.count(LoopAction.id))) == 0
    page = client.get("/staff/engagements/sepac-survey/actions").get_data(as_text=True)
    assert "Waiting for staff approval" in page and "Interpreters at every IEP." in page
    assert "IEP meetings are hard" not in client.get("/e/sepac-survey").get_data(as_text=True)
    proposal = db.session.scalar(sa.select(Proposal))
    assert proposal.kind == ProposalKind.LOOP_ACTION and proposal.proposed_by_id == lead.id

    client.post("/staff/logout")
    sign_in(client, staff.email)
    assert "Interpreters at every IEP." in client.get("/staff/proposals").get_data(as_text=True)
    response = client.post(f"/staff/proposals/{proposal.id}", data={"decision": "approve"})
    assert response.status_code == 302
    action = db.session.scalar(sa.select(LoopAction))
    assert action.status == ActionStatus.IN_PROGRESS and action.theme_code == "special_education"
    assert action.created_by_id == lead.id  # the lead wrote it, staff published it
    assert "IEP meetings are hard" in client.get("/e/sepac-survey").get_data(as_text=True)
    url = f"/staff/engagements/sepac-survey/actions/{action.id}/translations/es"
    response = client.post(
        url,
        data={
            "u0_heard": "Las reuniones del IEP son difíciles.",
            "u0_did": "Intérpretes en cada reunión del IEP.",
        },
    )
    assert response.status_code == 302
    unit = action_unit(action)
    assert unit.value("es", "did") == "Intérpretes en cada reunión del IEP."
    assert not unit.is_stale("es")

    # The lead's edit of the published note changes nothing until staff approve it.
    client.post("/staff/logout")
    sign_in(client, lead.email)
    assert client.get(url).status_code == 403
    data["did"] = "Interpreters at every IEP meeting, from January."
    client.post(f"/staff/engagements/sepac-survey/actions/{action.id}/edit", data=data)
    db.session.expire_all()
    assert action_unit(db.session.get(LoopAction, action.id)).value("en", "did") == (
        "Interpreters at every IEP."
    )
    assert "from January" not in client.get("/e/sepac-survey").get_data(as_text=True)
    edit = db.session.scalar(sa.select(Proposal).where(Proposal.loop_action_id == action.id))
    client.post("/staff/logout")
    sign_in(client, staff.email)
    client.post(f"/staff/proposals/{edit.id}", data={"decision": "approve"})
    db.session.expire_all()
    # Changing the English makes the Spanish out of date; the list page says so.
    assert action_unit(db.session.get(LoopAction, action.id)).is_stale("es")
    page = client.get("/staff/engagements/sepac-survey/actions").get_data(as_text=True)
    assert "out of date" in page and "from January" in page
    actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert [a for a in actions if a.startswith(("proposal.", "loop_action."))] == [
        "proposal.made",
        "proposal.approved",
        "loop_action.save",
        "proposal.made",
        "proposal.approved",
        "loop_action.save",
    ]


def test_a_rejected_draft_never_reaches_families(app, client, seeded):
    make_engagement(slug="sepac-survey", council=group("sepac"), status=EngagementStatus.CLOSED)
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    staff = make_user("staff@example.org", Role.STAFF)
    sign_in(client, lead.email)
    data = {"heard": "Too few buses.", "did": "Nothing yet.", "status": "planned", "theme_code": ""}
    client.post("/staff/engagements/sepac-survey/actions/new", data=data)
    proposal = db.session.scalar(sa.select(Proposal))
    client.post("/staff/logout")
    sign_in(client, staff.email)
    client.post(f"/staff/proposals/{proposal.id}", data={"decision": "reject"})
    db.session.expire_all()
    assert proposal.state == ProposalState.REJECTED and proposal.decided_by_id == staff.id
    assert db.session.scalar(sa.select(sa.func.count(LoopAction.id))) == 0
    assert "Too few buses" not in client.get("/e/sepac-survey").get_data(as_text=True)
    assert "Too few buses" not in client.get("/staff/proposals").get_data(as_text=True)
    # Deciding twice changes nothing.
    client.post(f"/staff/proposals/{proposal.id}", data={"decision": "approve"})
    assert db.session.scalar(sa.select(sa.func.count(LoopAction.id))) == 0
