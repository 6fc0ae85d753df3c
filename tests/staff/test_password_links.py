"""One-time set-password links: administrators never type passwords for others."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AuditLog, Role, StaffSession, User
from engagement.staff.services import accounts
from tests.factories import PASSWORD, make_user
from tests.staff.conftest import sign_in

NEW_PASSWORD = "plinth crayon tuba heron"


def audit_rows(action):
    query = sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
    return list(db.session.scalars(query))


def link_on(page: str) -> str:
    return re.search(r'id="password-link" value="([^"]+)"', page).group(1)


def everything_stored() -> str:
    """Every value of every row of every table, as text."""
    rows = []
    for table in db.metadata.sorted_tables:
        rows.extend(db.session.execute(sa.select(table)).all())
    return repr(rows)


def choose(client, address, password=NEW_PASSWORD, confirm=None):
    path = address.split("://", 1)[-1].split("/", 1)[-1]
    return client.post("/" + path, data={"password": password, "confirm": confirm or password})


def test_a_new_account_gets_a_link_shown_once_and_stored_as_a_hash(app, admin_client):
    page = admin_client.post(
        "/staff/users/new", data={"email": "New@Example.org", "role": "staff"}
    ).get_data(as_text=True)
    address = link_on(page)
    assert address.startswith("http://localhost/staff/set-password/")
    token = address.rsplit("/", 1)[1]
    assert len(token) >= 43
    person = db.session.scalar(sa.select(User).where(User.email == "new@example.org"))
    assert person.password_link_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in everything_stored()
    users_page = admin_client.get("/staff/users").get_data(as_text=True)
    assert token not in users_page and "password link not used yet" in users_page
    assert audit_rows("user.password_link")[0].target == "new@example.org"
    # Nobody knows the account's password until the link is used.
    assert sign_in(app.test_client(), "new@example.org").status_code == 200


def test_the_person_chooses_a_password_once_then_signs_in(app, seeded):
    person = make_user("person@example.org", Role.STAFF)
    link = accounts.issue_password_link(person)
    address = accounts.password_link_address(link.token)
    assert address == f"http://localhost/staff/set-password/{link.token}"
    client = app.test_client()
    page = client.get(address).get_data(as_text=True)
    assert "person@example.org" in page and 'autocomplete="new-password"' in page

    page = choose(client, address, confirm="something else").get_data(as_text=True)
    assert "The two passwords are not the same." in page
    response = choose(client, address)
    assert response.status_code == 302 and response.location.endswith("/staff/login")
    assert "Your password is set. Please sign in with it." in client.get("/staff/login").get_data(
        as_text=True
    )
    assert audit_rows("user.password_set")[0].target == "person@example.org"

    used = client.get(address)
    assert used.status_code == 404 and "This link does not work" in used.get_data(as_text=True)
    assert choose(client, address, password="another fine passphrase").status_code == 404
    assert sign_in(client, person.email, password=NEW_PASSWORD).status_code == 302


def test_links_expire_after_set_password_link_hours(app, seeded, monkeypatch):
    person = make_user("person@example.org", Role.STAFF)
    issued = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(accounts, "utcnow", lambda: issued)
    link = accounts.issue_password_link(person)
    assert link.expires_at == issued + timedelta(hours=72)
    monkeypatch.setattr(accounts, "utcnow", lambda: issued + timedelta(hours=71, minutes=59))
    assert accounts.account_for_link(link.token) == person
    monkeypatch.setattr(accounts, "utcnow", lambda: issued + timedelta(hours=72))
    assert accounts.account_for_link(link.token) is None

    app.config["SET_PASSWORD_LINK_HOURS"] = 2
    monkeypatch.setattr(accounts, "utcnow", lambda: issued)
    assert accounts.issue_password_link(person).expires_at == issued + timedelta(hours=2)


def test_an_expired_or_made_up_or_turned_off_link_does_not_work(app, seeded):
    person = make_user("person@example.org", Role.STAFF)
    link = accounts.issue_password_link(person)
    client = app.test_client()
    assert client.get("/staff/set-password/made-up-token").status_code == 404
    assert client.get("/staff/set-password/" + "x" * 300).status_code == 404
    person.password_link_expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/staff/set-password/{link.token}").status_code == 404
    link = accounts.issue_password_link(person)
    person.active = False
    db.session.commit()
    assert client.get(f"/staff/set-password/{link.token}").status_code == 404


def test_reset_password_ends_the_old_password_and_sessions(app, admin_client, seeded):
    person = make_user("person@example.org", Role.STAFF)
    browser = app.test_client()
    sign_in(browser, person.email)
    first = accounts.issue_password_link(person)
    page = admin_client.post(f"/staff/users/{person.id}/password-link").get_data(as_text=True)
    assert "The old password no longer works" in page
    address = link_on(page)
    assert browser.get("/staff/").status_code == 302  # signed out
    assert sign_in(app.test_client(), person.email).status_code == 200  # old password
    assert accounts.account_for_link(first.token) is None  # the newer link replaces it
    assert choose(app.test_client(), address).status_code == 302
    assert audit_rows("user.password_link")[-1].details == {"reset": True, "hours": 72}


def test_an_admin_does_not_reset_their_own_password(admin_client, admin_user):
    page = admin_client.get(f"/staff/users/{admin_user.id}/edit").get_data(as_text=True)
    assert "Reset the password" not in page
    response = admin_client.post(f"/staff/users/{admin_user.id}/password-link")
    assert response.location.endswith("/staff/account")
    db.session.refresh(admin_user)
    assert admin_user.password_link_hash is None and admin_user.check_password(PASSWORD)


def test_a_new_admin_sets_a_password_then_sets_up_two_step(app, admin_client):
    page = admin_client.post(
        "/staff/users/new", data={"email": "second-admin@example.org", "role": "admin"}
    ).get_data(as_text=True)
    client = app.test_client()
    assert choose(client, link_on(page)).status_code == 302
    response = sign_in(client, "second-admin@example.org", password=NEW_PASSWORD)
    assert response.status_code == 302
    assert client.get("/staff/").location.endswith("/staff/account/two-step")


def test_cli_prints_a_link(app, runner, seeded):
    person = make_user("person@example.org", Role.STAFF)
    result = runner.invoke(args=["users", "link", "Person@Example.org"])
    assert result.exit_code == 0, result.output
    path = result.stdout.strip()
    assert path.startswith("http://localhost/staff/set-password/")
    assert "It works once, for 72 hours." in result.stderr
    assert accounts.account_for_link(path.rsplit("/", 1)[1]) == person
    assert audit_rows("user.password_link")[0].actor == "cli"

    app.config["PUBLIC_BASE_URL"] = "https://engage.example.org/"
    address = runner.invoke(args=["users", "link", "person@example.org"]).stdout.strip()
    assert address.startswith("https://engage.example.org/staff/set-password/")
    assert accounts.account_for_link(path.rsplit("/", 1)[1]) is None  # replaced
    assert choose(app.test_client(), address).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 0

    assert "No account" in runner.invoke(args=["users", "link", "nobody@example.org"]).output
