"""Signing in and out: audit rows, generic errors, safe redirects, session endings."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engagement import create_app
from engagement.extensions import db
from engagement.models import AuditLog, Role, StaffSession, utcnow
from engagement.staff.auth import is_safe_next
from tests.factories import PASSWORD, make_user
from tests.staff.conftest import sign_in


def audit_rows(action):
    return list(db.session.scalars(sa.select(AuditLog).where(AuditLog.action == action)))


def test_sign_in_redirects_to_dashboard_and_is_audited(client, staff_user):
    response = sign_in(client, staff_user.email)
    assert response.status_code == 302 and response.location.endswith("/staff/")
    assert client.get("/staff/").status_code == 200
    rows = audit_rows("auth.login")
    assert len(rows) == 1 and rows[0].user_id == staff_user.id
    with client.session_transaction() as session:
        assert session.permanent


@pytest.mark.parametrize("email", ["staff@example.org", "nobody@example.org"])
def test_failed_sign_in_is_generic_and_audited_without_password(client, staff_user, email):
    response = sign_in(client, email, password="wrong password 123")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The e-mail address or password is not right." in page
    assert "wrong password 123" not in page
    rows = audit_rows("auth.login_failed")
    assert len(rows) == 1
    assert rows[0].actor == email and rows[0].user_id is None
    assert "wrong password" not in repr(rows[0].details)
    assert client.get("/staff/").status_code == 302


def test_inactive_account_is_told_so_only_after_the_right_password(client, staff_user):
    staff_user.active = False
    db.session.commit()
    turned_off = "This account is turned off. Ask a district administrator."
    wrong = sign_in(client, staff_user.email, password="not the password 42").get_data(as_text=True)
    assert turned_off not in wrong and "The e-mail address or password is not right." in wrong
    response = sign_in(client, staff_user.email)
    assert response.status_code == 200 and turned_off in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    assert [row.details for row in audit_rows("auth.login_failed")] == [{}, {"inactive": True}]


@pytest.mark.parametrize(
    "target, safe",
    [
        ("/staff/engagements", True),
        ("/staff/users?x=1", True),
        ("//evil.example/", False),
        ("https://evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_next_must_be_a_same_site_path(target, safe):
    assert is_safe_next(target) is safe


def test_next_redirect(client, staff_user):
    response = sign_in(client, staff_user.email, next_url="/staff/engagements")
    assert response.location.endswith("/staff/engagements")
    client.post("/staff/logout")
    response = sign_in(client, staff_user.email, next_url="https://evil.example/")
    assert response.location.endswith("/staff/")


def test_anonymous_is_sent_to_sign_in_with_next(client, seeded):
    response = client.get("/staff/engagements")
    assert response.status_code == 302
    assert "/staff/login?next=/staff/engagements" in response.location


def test_logout_needs_post(staff_client):
    assert staff_client.get("/staff/logout").status_code == 405
    response = staff_client.post("/staff/logout")
    assert response.status_code == 302
    assert staff_client.get("/staff/").status_code == 302


def _age_session(minutes_since_sign_in, minutes_idle):
    row = db.session.scalars(sa.select(StaffSession)).one()
    now = utcnow()
    row.created_at = now - timedelta(minutes=minutes_since_sign_in)
    row.last_seen_at = now - timedelta(minutes=minutes_idle)
    db.session.commit()


def test_session_expires_after_session_minutes(app, staff_client):
    assert staff_client.get("/staff/").status_code == 200
    _age_session(app.config["SESSION_MINUTES"] + 1, minutes_idle=0)
    assert staff_client.get("/staff/").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 0


def test_session_ends_after_idle_minutes_but_not_while_in_use(app, staff_client):
    idle = app.config["SESSION_IDLE_MINUTES"]
    assert idle == 30
    _age_session(60, minutes_idle=idle - 1)
    assert staff_client.get("/staff/").status_code == 200  # in use: the idle clock restarts
    row = db.session.scalars(sa.select(StaffSession)).one()
    db.session.refresh(row)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    _age_session(60, minutes_idle=idle + 1)
    assert staff_client.get("/staff/").status_code == 302


def test_a_cookie_replayed_after_sign_out_is_refused(staff_client, app):
    assert staff_client.get("/staff/").status_code == 200
    cookie = staff_client.get_cookie("session").value
    staff_client.post("/staff/logout")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffSession)) == 0
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    response = thief.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.location


def test_signing_out_one_browser_keeps_the_other(app, staff_user):
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, staff_user.email)
    sign_in(laptop, staff_user.email)
    phone.post("/staff/logout")
    assert phone.get("/staff/").status_code == 302
    assert laptop.get("/staff/").status_code == 200


def test_a_forged_cookie_with_the_right_user_id_is_refused(app, staff_client, staff_user):
    """Even with the signing key, a cookie without a live server-side token is no session."""
    with staff_client.session_transaction() as session:
        session["sid"] = "guessed-token"
    assert staff_client.get("/staff/").status_code == 302


def test_the_cookie_holds_nothing_derived_from_the_address(app, staff_user):
    client = app.test_client()
    sign_in(client, staff_user.email)
    with client.session_transaction() as session:
        assert "_id" not in session
        assert set(session) <= {"_user_id", "_fresh", "_permanent", "sid", "_flashes", "csrf_token"}


def test_password_change_ends_other_sessions(staff_client, staff_user):
    staff_user.set_password("another long password")
    db.session.commit()
    assert staff_client.get("/staff/").status_code == 302


def test_role_change_by_admin_ends_sessions(app, seeded, staff_user, admin_user):
    staff = app.test_client()
    admin = app.test_client()
    sign_in(staff, staff_user.email)
    sign_in(admin, admin_user.email)
    assert staff.get("/staff/engagements").status_code == 200
    response = admin.post(
        f"/staff/users/{staff_user.id}/edit",
        data={"email": staff_user.email, "role": "admin", "active": "y"},
    )
    assert response.status_code == 302
    assert staff.get("/staff/").status_code == 302
    rows = audit_rows("user.role_change")
    assert rows and rows[0].target == staff_user.email
    assert rows[0].details["from"]["role"] == "staff" and rows[0].details["to"]["role"] == "admin"
    assert sign_in(staff, staff_user.email).status_code == 302
    # A new administrator sets up two-step sign-in before anything else.
    response = staff.get("/staff/users")
    assert response.status_code == 302 and response.location.endswith("/staff/account/two-step")


def test_deactivation_is_audited_and_ends_sessions(app, seeded, staff_user, admin_user):
    staff, admin = app.test_client(), app.test_client()
    sign_in(staff, staff_user.email)
    sign_in(admin, admin_user.email)
    url, data = f"/staff/users/{staff_user.id}/edit", {"email": staff_user.email, "role": "staff"}
    admin.post(url, data=data)  # asks first: nothing changes yet
    assert not audit_rows("user.deactivate")
    assert staff.get("/staff/").status_code == 200
    admin.post(url, data=data | {"confirm": "yes"})
    assert audit_rows("user.deactivate")
    assert staff.get("/staff/").status_code == 302


def test_admin_creates_a_council_lead(admin_client, seeded):
    from tests.factories import group

    response = admin_client.post(
        "/staff/users/new",
        data={
            "email": "Lead2@Example.org",
            "role": "council_lead",
            "councils": [str(group("elpac").id)],
        },
    )
    assert response.status_code == 200
    assert "/staff/set-password/" in response.get_data(as_text=True)
    created = audit_rows("user.create")
    assert created[0].target == "lead2@example.org"
    assert created[0].details["councils"] == ["elpac"]
    page = admin_client.post(
        "/staff/users/new", data={"email": "x@example.org", "role": "council_lead"}
    ).get_data(as_text=True)
    assert "Choose at least one council for a council lead." in page


@pytest.fixture
def strict_app(database_url, backend):
    app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        if backend == "sqlite":
            db.create_all()
        yield app
        db.session.remove()
        if backend == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def test_login_is_rate_limited_and_csrf_protected(strict_app):
    make_user("staff@example.org", Role.STAFF)
    client = strict_app.test_client()
    assert client.get("/staff/login").status_code == 200
    # No CSRF token: refused before the password is even checked.
    response = client.post(
        "/staff/login", data={"email": "staff@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": "a@b.org", "password": "wrong", "csrf_token": token}
    codes = [client.post("/staff/login", data=data).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_admin_cannot_remove_own_admin_access(admin_client, admin_user):
    page = admin_client.post(
        f"/staff/users/{admin_user.id}/edit",
        data={"email": admin_user.email, "role": "staff", "active": "y"},
    ).get_data(as_text=True)
    assert "You cannot remove your own administrator access." in page
    db.session.expire_all()
    assert admin_user.role == Role.ADMIN


def test_audit_log_filters_by_action_and_pages(admin_client, admin_user):
    for n in range(60):
        db.session.add(AuditLog(action="auth.login_failed", actor=f"x{n}@example.org"))
    db.session.commit()
    page = admin_client.get("/staff/audit?action=auth.login_failed").get_data(as_text=True)
    assert ">x59@example.org</td>" in page and "Page 1 of 2" in page
    assert ">Signed in</td>" not in page and ">Sign-in failed</td>" in page
    page2 = admin_client.get("/staff/audit?action=auth.login_failed&page=2").get_data(as_text=True)
    assert ">x0@example.org</td>" in page2
    # Unfiltered, newest first: the admin's own sign-in is the oldest row, on page 2.
    everything = admin_client.get("/staff/audit?page=2").get_data(as_text=True)
    assert ">Signed in</td>" in everything


@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/login", "/staff/summary", "/staff/users", "/staff/audit"]
)
def test_staff_pages_are_never_cached(admin_client, path):
    response = admin_client.get(path, follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
