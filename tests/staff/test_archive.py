"""Archive, unarchive and delete an engagement; delete "you said, we did" notes; the
confirmation steps of deactivating an account; all audited with before/after."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    AuditLog,
    Channel,
    Engagement,
    EngagementStatus,
    LoopAction,
    LoopActionText,
    PublicState,
    Question,
    Response,
    User,
    utcnow,
)
from engagement.submissions import Submission, record_response
from tests.factories import make_engagement


def _audit(action):
    return list(db.session.scalars(sa.select(AuditLog).where(AuditLog.action == action)))


def _answer(app, engagement):
    q = {question.code: question.id for question in engagement.questions}
    with app.test_request_context("/"):
        return record_response(
            engagement, Submission(locale="en", channel=Channel.WEB, answers={q["informed"]: "4"})
        ).id


def test_archive_leaves_lists_closes_to_families_and_refuses_opening(app, staff_client, seeded):
    engagement = make_engagement(slug="blank-test", titles={"en": "Blank test"}, languages="en")
    make_engagement(slug="kept", titles={"en": "Fall survey"})
    _answer(app, engagement)
    assert "Blank test" in app.test_client().get("/").get_data(as_text=True)
    detail = staff_client.get("/staff/engagements/blank-test").get_data(as_text=True)
    assert "cannot be deleted" in detail
    # Asks first; nothing changes before the confirmation.
    page = staff_client.post("/staff/engagements/blank-test/archive")
    assert 'name="confirm" value="yes"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).archived_at is None

    staff_client.post("/staff/engagements/blank-test/archive", data={"confirm": "yes"})
    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    assert engagement.archived_at is not None and engagement.status == EngagementStatus.CLOSED
    (entry,) = _audit("engagement.archive")
    assert entry.details["archived"] == {"before": False, "after": True}
    assert entry.details["status"] == {"before": "open", "after": "closed"}

    for url in ("/staff/engagements", "/staff/"):
        page = staff_client.get(url).get_data(as_text=True)
        assert "Blank test" not in page and "Fall survey" in page
        shown = staff_client.get(url + "?archived=1").get_data(as_text=True)
        assert "Blank test" in shown and "Archived" in shown

    # Families see it as closed.
    assert engagement.public_state() == PublicState.CLOSED
    family = app.test_client().get("/e/blank-test")
    assert "This is closed and no longer takes answers." in family.get_data(as_text=True)
    posted = app.test_client().post("/e/blank-test", data={"token": "x"})
    assert posted.status_code == 410
    assert "Blank test" not in app.test_client().get("/").get_data(as_text=True)

    # It cannot be opened without unarchiving.
    staff_client.post("/staff/engagements/blank-test/open")
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).status == EngagementStatus.CLOSED
    staff_client.post("/staff/engagements/blank-test/unarchive")
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).archived_at is None
    assert _audit("engagement.unarchive")[0].details["archived"] == {
        "before": True,
        "after": False,
    }
    staff_client.post("/staff/engagements/blank-test/open")
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).status == EngagementStatus.OPEN


def test_archived_state_is_the_same_in_python_and_sql(app, seeded):
    now = utcnow()
    for status in EngagementStatus:
        make_engagement(slug=f"a-{status.value}", status=status, archived_at=now)
    for engagement in db.session.scalars(sa.select(Engagement)):
        in_sql = db.session.scalar(
            sa.select(Engagement.public_state(now)).where(Engagement.id == engagement.id)
        )
        assert in_sql == engagement.public_state(now)
        expected = (
            PublicState.DRAFT if engagement.status == EngagementStatus.DRAFT else PublicState.CLOSED
        )
        assert engagement.public_state(now) == expected
        assert not engagement.is_accepting(now + timedelta(minutes=1))


def test_delete_is_refused_with_responses_and_explains_archive(app, staff_client, seeded):
    engagement = make_engagement()
    _answer(app, engagement)
    response = staff_client.post("/staff/engagements/test-survey/delete", data={"confirm": "yes"})
    assert response.status_code == 302
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "cannot be deleted. Archive it instead" in page
    assert db.session.get(Engagement, engagement.id) is not None
    assert not _audit("engagement.delete")


def test_delete_with_only_voided_responses_after_confirmation(app, staff_client, seeded):
    engagement = make_engagement(slug="trial")
    rid = _answer(app, engagement)
    staff_client.post(
        f"/staff/engagements/trial/responses/{rid}/void",
        data={"reason": "test answer", "confirm": "yes"},
    )
    detail = staff_client.get("/staff/engagements/trial").get_data(as_text=True)
    assert "/staff/engagements/trial/delete" in detail
    page = staff_client.post("/staff/engagements/trial/delete").get_data(as_text=True)
    assert "cannot be undone" in page
    assert db.session.get(Engagement, engagement.id) is not None
    response = staff_client.post("/staff/engagements/trial/delete", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Engagement.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0
    (entry,) = _audit("engagement.delete")
    assert entry.target == "trial" and entry.details["voided_responses_deleted"] == 1


def _note(staff_client):
    staff_client.post(
        "/staff/engagements/test-survey/actions/new",
        data={
            "heard": "Buses are late",
            "did": "New routes",
            "status": "planned",
            "theme_code": "",
        },
    )
    return db.session.scalar(sa.select(LoopAction))


def test_note_edit_is_audited_before_after_and_delete_asks_first(staff_client, seeded):
    make_engagement()
    note = _note(staff_client)
    staff_client.post(
        f"/staff/engagements/test-survey/actions/{note.id}/edit",
        data={
            "heard": "Buses are late",
            "did": "Two new routes",
            "status": "done",
            "theme_code": "",
        },
    )
    saves = _audit("loop_action.save")
    assert len(saves) == 2
    assert saves[1].details["did"] == {"before": "New routes", "after": "Two new routes"}
    assert saves[1].details["status"] == {"before": "planned", "after": "done"}
    assert "heard" not in saves[1].details
    url = f"/staff/engagements/test-survey/actions/{note.id}/delete"
    page = staff_client.post(url).get_data(as_text=True)
    assert 'name="confirm" value="yes"' in page
    assert db.session.scalar(sa.select(sa.func.count(LoopAction.id))) == 1
    staff_client.post(url, data={"confirm": "yes"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(LoopAction.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(LoopActionText.id))) == 0
    (entry,) = _audit("loop_action.delete")
    assert entry.details["heard"] == "Buses are late"


def test_a_council_lead_cannot_delete_a_note(staff_client, client, seeded, lead_user):
    from tests.factories import group
    from tests.staff.conftest import sign_in

    make_engagement(council=group("sepac"))
    note = _note(staff_client)
    staff_client.post("/staff/logout")
    sign_in(client, lead_user.email)
    url = f"/staff/engagements/test-survey/actions/{note.id}/delete"
    assert client.post(url, data={"confirm": "yes"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(LoopAction.id))) == 1


@pytest.fixture
def other_staff(seeded):
    from engagement.models import Role
    from tests.factories import make_user

    return make_user("other@example.org", Role.STAFF)


def test_deactivate_asks_first_and_keeps_the_form(admin_client, other_staff):
    url = f"/staff/users/{other_staff.id}/edit"
    data = {"email": "other@example.org", "role": "staff"}  # "active" unticked
    page = admin_client.post(url, data=data).get_data(as_text=True)
    assert "Deactivate other@example.org?" in page
    assert 'name="email" value="other@example.org"' in page
    db.session.expire_all()
    assert db.session.get(User, other_staff.id).active
    response = admin_client.post(url, data=data | {"confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, other_staff.id).active
    assert _audit("user.deactivate")
    # Other changes need no confirmation.
    page = admin_client.post(url, data=data | {"active": "y", "role": "council_lead"})
    assert page.status_code in (200, 302)
    assert "Deactivate" not in page.get_data(as_text=True)
