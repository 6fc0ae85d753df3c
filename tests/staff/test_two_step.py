"""Two-step sign-in: setup with a QR code and the key, recovery codes shown once and stored
hashed, sign-in in two steps, codes that work once, and administrators who cannot do without."""

import hashlib
import re
import time

import pyotp
import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from engagement.extensions import db
from engagement.models import AuditLog, RecoveryCode, Role
from engagement.staff.services import accounts_totp
from tests.factories import PASSWORD, TOTP_SECRET, make_user, totp_code
from tests.staff.conftest import sign_in

CODE_PAGE = "/staff/login/code"
SETUP_PAGE = "/staff/account/two-step"


def audit_rows(action):
    query = sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
    return list(db.session.scalars(query))


def password_step(client, email, password=PASSWORD):
    return client.post("/staff/login", data={"email": email, "password": password})


def key_on_page(page: str) -> str:
    return re.search(r'class="two-step-key"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def set_up(client):
    """Set up two-step sign-in through the pages; returns (secret, recovery codes)."""
    page = client.get(SETUP_PAGE).get_data(as_text=True)
    secret = key_on_page(page)
    code = pyotp.TOTP(secret).now()
    page = client.post(SETUP_PAGE, data={"code": code}).get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)
    return secret, codes


def test_setup_shows_a_local_qr_code_and_the_key_then_recovery_codes_once(app, staff_client):
    page = staff_client.get(SETUP_PAGE).get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", page, flags=re.S).group(0)
    assert 'role="img"' in svg and 'class="qr-code"' in svg and "http" not in svg
    assert "<img" not in page
    secret = key_on_page(page)
    assert len(secret) == 32
    # Reloading the page keeps the key (a code already scanned still works).
    assert key_on_page(staff_client.get(SETUP_PAGE).get_data(as_text=True)) == secret

    wrong = staff_client.post(SETUP_PAGE, data={"code": "000000"}).get_data(as_text=True)
    assert "This code is not right." in wrong
    assert audit_rows("auth.totp_failed")[0].details == {"setup": True}

    response = staff_client.post(SETUP_PAGE, data={"code": pyotp.TOTP(secret).now()})
    page = response.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", c) for c in codes)
    stored = set(db.session.scalars(sa.select(RecoveryCode.code_hash)))
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    assert audit_rows("auth.totp_enabled")
    # Shown once: the setup page now leads to the Account page, which shows no code.
    assert staff_client.get(SETUP_PAGE).location.endswith("/staff/account")
    account = staff_client.get("/staff/account").get_data(as_text=True)
    assert "10 recovery codes left." in account
    assert not any(code in account for code in codes)


def test_sign_in_takes_two_steps_and_a_code_works_once(app, staff_user):
    client = app.test_client()
    sign_in(client, staff_user.email)
    set_up(client)
    client.post("/staff/logout")

    response = password_step(client, staff_user.email)
    assert response.location.endswith(CODE_PAGE)
    assert client.get("/staff/").status_code == 302  # not signed in between the steps
    code = totp_code(staff_user.email)  # the code setup used is spent already
    response = client.post(CODE_PAGE, data={"code": code})
    assert response.status_code == 302 and response.location.endswith("/staff/")
    assert client.get("/staff/").status_code == 200
    client.post("/staff/logout")

    password_step(client, staff_user.email)
    page = client.post(CODE_PAGE, data={"code": code}).get_data(as_text=True)
    assert "This code is not right or was used already." in page
    assert client.get("/staff/").status_code == 302
    assert len(audit_rows("auth.totp_failed")) == 1


def test_a_recovery_code_works_once(app, staff_user):
    client = app.test_client()
    sign_in(client, staff_user.email)
    _secret, codes = set_up(client)
    client.post("/staff/logout")

    password_step(client, staff_user.email)
    response = client.post(CODE_PAGE, data={"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302
    assert "9 are left" in client.get("/staff/").get_data(as_text=True)
    assert audit_rows("auth.recovery_code_used")[0].details == {"remaining": 9}
    client.post("/staff/logout")

    password_step(client, staff_user.email)
    assert client.post(CODE_PAGE, data={"code": codes[3]}).status_code == 200
    assert client.get("/staff/").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(RecoveryCode.id))) == 9


def test_codes_of_the_neighbouring_steps_count_once_each(app, staff_user):
    staff_user.totp_secret, staff_user.totp_enabled_at = TOTP_SECRET, staff_user.created_at
    db.session.commit()
    now = 1_800_000_000.0
    step = accounts_totp.current_step(now)
    totp = pyotp.TOTP(TOTP_SECRET)
    code_of = totp.generate_otp
    assert not accounts_totp.verify_code(staff_user, code_of(step - 2), now)  # too old
    assert not accounts_totp.verify_code(staff_user, code_of(step + 2), now)  # too far ahead
    assert accounts_totp.verify_code(staff_user, code_of(step - 1), now)
    assert not accounts_totp.verify_code(staff_user, code_of(step - 1), now)  # used
    assert accounts_totp.verify_code(staff_user, code_of(step + 1), now)
    # A code of an earlier step than the last one used never works again.
    assert not accounts_totp.verify_code(staff_user, code_of(step), now)
    assert staff_user.totp_last_step == step + 1
    for garbage in ["", "12345", "1234567", "abcdef", " " * 6]:
        assert not accounts_totp.verify_code(staff_user, garbage, now)


def test_two_requests_cannot_both_claim_one_step(app, staff_user):
    """The step is claimed with a conditional UPDATE: of two requests that both read the old
    last step, only one is accepted."""
    staff_user.totp_secret, staff_user.totp_enabled_at = TOTP_SECRET, staff_user.created_at
    db.session.commit()
    assert accounts_totp._claim_step(staff_user, 100)
    # What a second request read before the first one wrote: no step used yet.
    set_committed_value(staff_user, "totp_last_step", None)
    assert not accounts_totp._claim_step(staff_user, 100)
    assert accounts_totp._claim_step(staff_user, 101)


def test_the_code_page_needs_a_fresh_password_step(app, staff_user):
    make_user("two@example.org", Role.STAFF, two_step=True)
    client = app.test_client()
    assert client.get(CODE_PAGE).location.endswith("/staff/login")
    password_step(client, "two@example.org")
    with client.session_transaction() as session:
        pending = session["signin_pending"]
        pending["at"] = int(time.time()) - 301
        session["signin_pending"] = pending
    response = client.post(CODE_PAGE, data={"code": totp_code("two@example.org")})
    assert response.location.endswith("/staff/login")
    assert "That took too long." in client.get("/staff/login").get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_wrong_codes_count_toward_the_account_lock(app, seeded):
    make_user("two@example.org", Role.STAFF, two_step=True)
    client = app.test_client()
    password_step(client, "two@example.org")
    for _ in range(4):
        assert client.post(CODE_PAGE, data={"code": "000000"}).status_code == 200
    response = client.post(CODE_PAGE, data={"code": "000000"})
    assert response.location.endswith("/staff/login")
    assert len(audit_rows("auth.totp_failed")) == 5 and audit_rows("auth.login_locked")
    # Locked: even the right password and code do not get in now.
    page = password_step(client, "two@example.org").get_data(as_text=True)
    assert "Too many tries to sign in to this account." in page


def test_an_admin_without_two_step_must_set_it_up_first(app, seeded):
    admin = make_user("new-admin@example.org", Role.ADMIN, two_step=False)
    client = app.test_client()
    response = sign_in(client, admin.email)
    assert response.status_code == 302
    response = client.get("/staff/")
    assert response.location.endswith(SETUP_PAGE)
    page = client.get(SETUP_PAGE).get_data(as_text=True)
    assert "Administrators must use two-step sign-in." in page
    assert 'href="/staff/users"' not in page and "Sign out" in page
    set_up(client)
    assert client.get("/staff/users").status_code == 200


def test_staff_turn_it_off_with_their_password(app, staff_user):
    client = app.test_client()
    sign_in(client, staff_user.email)
    set_up(client)
    page = client.post("/staff/account/two-step/off", data={"off-current": "wrong password 1"})
    assert "Your current password is not right." in page.get_data(as_text=True)
    response = client.post("/staff/account/two-step/off", data={"off-current": PASSWORD})
    assert response.location.endswith("/staff/account")
    db.session.refresh(staff_user)
    assert not staff_user.totp_enabled and staff_user.totp_secret is None
    assert db.session.scalar(sa.select(sa.func.count(RecoveryCode.id))) == 0
    assert audit_rows("auth.totp_disabled")[0].user_id == staff_user.id
    client.post("/staff/logout")
    assert password_step(client, staff_user.email).location.endswith("/staff/")


def test_an_admin_moving_to_a_new_phone_sets_up_again_at_once(admin_client, admin_user):
    response = admin_client.post("/staff/account/two-step/off", data={"off-current": PASSWORD})
    assert response.location.endswith(SETUP_PAGE)
    assert admin_client.get("/staff/users").location.endswith(SETUP_PAGE)
    _secret, codes = set_up(admin_client)
    assert len(codes) == 10
    assert admin_client.get("/staff/users").status_code == 200


def test_an_admin_turns_it_off_for_someone_who_lost_their_phone(app, admin_client, seeded):
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"], two_step=True)
    page = admin_client.get(f"/staff/users/{lead.id}/edit").get_data(as_text=True)
    assert "Turn off two-step sign-in" in page
    admin_client.post(f"/staff/users/{lead.id}/two-step-off")
    db.session.refresh(lead)
    assert not lead.totp_enabled
    row = audit_rows("auth.totp_disabled")[0]
    assert row.target == lead.email and row.actor == "admin@example.org"


def test_cli_turns_it_off(runner, seeded):
    make_user("admin@example.org", Role.ADMIN)
    result = runner.invoke(args=["users", "two-step-off", "Admin@Example.org"])
    assert result.exit_code == 0, result.output
    assert audit_rows("auth.totp_disabled")[0].actor == "cli"
    assert "is not on" in runner.invoke(args=["users", "two-step-off", "admin@example.org"]).output


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_setup_and_code_pages_are_translated(app, staff_client, lang):
    page = staff_client.get(f"{SETUP_PAGE}?lang={lang}").get_data(as_text=True)
    assert "Set up two-step sign-in" not in page and "<svg" in page
