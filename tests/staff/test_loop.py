"""The "you said, we did" notes: staff everywhere, council leads on their councils only."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import ActionStatus, LoopAction, Role
from engagement.staff.services.translation_io import action_unit
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import sign_in


def test_council_lead_writes_and_translates_a_note_for_its_council(client, seeded):
    make_engagement(slug="sepac-survey", council=group("sepac"))
    make_engagement(slug="elpac-survey", council=group("elpac"))
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    sign_in(client, lead.email)
    data = {
        "heard": "IEP meetings are hard to follow.",
        "did": "Interpreters at every IEP.",
        "status": "in_progress",
        "theme_code": "special_education",
    }
    assert client.post("/staff/engagements/sepac-survey/actions/new", data=data).status_code == 302
    assert client.post("/staff/engagements/elpac-survey/actions/new", data=data).status_code == 404
    action = db.session.scalar(sa.select(LoopAction))
    assert action.status == ActionStatus.IN_PROGRESS and action.theme_code == "special_education"
    assert action.created_by_id == lead.id
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
    # Changing the English makes the Spanish out of date; the list page says so.
    data["did"] = "Interpreters at every IEP meeting, from January."
    client.post(f"/staff/engagements/sepac-survey/actions/{action.id}/edit", data=data)
    db.session.expire_all()
    assert action_unit(db.session.get(LoopAction, action.id)).is_stale("es")
    page = client.get("/staff/engagements/sepac-survey/actions").get_data(as_text=True)
    assert "out of date" in page
