"""The Account page: changing one's own password ends the other sessions, not this one."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AuditLog, Role, StaffSession
from tests.factories import PASSWORD, make_user
from tests.staff.conftest import sign_in

NEW_PASSWORD = "plinth crayon tuba heron"


def change(client, current=PASSWORD, password=NEW_PASSWORD, confirm=None):
    return client.post(
        "/staff/account",
        data={"current": current, "password": password, "confirm": confirm or password},
    )


def test_every_role_has_an_account_page(app, seeded):
    for n, role in enumerate(Role):
        user = make_user(f"u{n}@example.org", role, councils=["sepac"] * (role == "council_lead"))
        client = app.test_client()
        sign_in(client, user.email)
        page = client.get("/staff/account").get_data(as_text=True)
        assert "Change your password" in page and 'href="/staff/account"' in page


def test_change_needs_the_current_password_and_the_rule(staff_client, staff_user):
    page = change(staff_client, current="not my password").get_data(as_text=True)
    assert "Your current password is not right." in page
    page = change(staff_client, confirm="plinth crayon tuba herons").get_data(as_text=True)
    assert "The two passwords are not the same." in page
    page = change(staff_client, password="password1234").get_data(as_text=True)
    assert "This password is too easy to guess." in page
    db.session.refresh(staff_user)
    assert staff_user.check_password(PASSWORD)
    assert not db.session.scalars(sa.select(AuditLog).where(AuditLog.action.like("user.%"))).all()


def test_changing_it_ends_the_other_sessions_but_keeps_this_one(app, staff_user):
    here, phone, laptop = app.test_client(), app.test_client(), app.test_client()
    for client in (here, phone, laptop):
        sign_in(client, staff_user.email)
    response = change(here)
    assert response.status_code == 302 and response.location.endswith("/staff/account")
    assert here.get("/staff/").status_code == 200
    assert phone.get("/staff/").status_code == 302
    assert laptop.get("/staff/").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 1
    row = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "user.password_change"))
    assert row.details == {"other_sessions_ended": 2} and row.user_id == staff_user.id
    here.post("/staff/logout")
    assert sign_in(here, staff_user.email).status_code == 200
    assert sign_in(here, staff_user.email, password=NEW_PASSWORD).status_code == 302
