"""The per-account sign-in lock, which reveals nothing about which accounts exist, and what
the audit log keeps of failed sign-ins."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AuditLog, SignInThrottle, utcnow
from engagement.staff.services import accounts_signin
from tests.factories import PASSWORD

LOCKED = "Too many tries to sign in to this account. Please wait 15 minutes, then try again."
WRONG = "The e-mail address or password is not right."


def audit_rows(action):
    query = sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
    return list(db.session.scalars(query))


def attempt(app, email, password, address="192.0.2.1"):
    """One sign-in from its own browser and network address; returns the page text."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post("/staff/login", data={"email": email, "password": password})
    return response.status_code, response.get_data(as_text=True).replace("&#39;", "'")


def error_of(page: str) -> str:
    for message in (LOCKED, WRONG):
        if message in page:
            return message
    return ""


def test_five_failures_lock_the_account_from_every_address(app, staff_user):
    for n in range(5):
        status, page = attempt(app, staff_user.email, f"wrong guess {n}", f"198.51.100.{n}")
        assert status == 200 and error_of(page) == WRONG
    assert len(audit_rows("auth.login_locked")) == 1
    status, page = attempt(app, staff_user.email, PASSWORD, "203.0.113.9")
    assert status == 200 and error_of(page) == LOCKED
    assert audit_rows("auth.login_failed")[-1].details == {"locked": True}


def test_the_lock_and_the_count_end_after_15_minutes(app, staff_user):
    for n in range(5):
        attempt(app, staff_user.email, f"wrong guess {n}")
    row = db.session.scalars(sa.select(SignInThrottle)).one()
    row.locked_until = utcnow() - timedelta(seconds=1)
    row.window_started_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    status, _page = attempt(app, staff_user.email, PASSWORD)
    assert status == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInThrottle)) == 0


def test_failures_older_than_the_window_do_not_count(app, staff_user):
    for n in range(4):
        attempt(app, staff_user.email, f"wrong guess {n}")
    row = db.session.scalars(sa.select(SignInThrottle)).one()
    assert row.failures == 4
    row.window_started_at = utcnow() - timedelta(minutes=15, seconds=1)
    db.session.commit()
    attempt(app, staff_user.email, "wrong again")
    db.session.expire_all()
    row = db.session.scalars(sa.select(SignInThrottle)).one()
    assert row.failures == 1 and row.locked_until is None
    assert attempt(app, staff_user.email, PASSWORD)[0] == 302


def test_a_made_up_address_is_answered_like_a_real_one(app, staff_user):
    real = [error_of(attempt(app, staff_user.email, f"guess {n}")[1]) for n in range(6)]
    made_up = [error_of(attempt(app, "nobody@example.org", f"guess {n}")[1]) for n in range(6)]
    assert real == made_up == [WRONG] * 5 + [LOCKED]


def test_a_made_up_address_costs_the_same_work(app, staff_user, monkeypatch):
    """One password hash and the same SQL statements, whether the account exists or not (the
    time taken cannot tell them apart; timings themselves are not asserted)."""
    from werkzeug import security

    hashes = []

    def counting_check(pwhash, password):
        hashes.append(pwhash[:6])
        return security.check_password_hash(pwhash, password)

    monkeypatch.setattr(accounts_signin, "check_password_hash", counting_check)
    monkeypatch.setattr("engagement.models.user.check_password_hash", counting_check)
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement.split()[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        work = []
        for email in (staff_user.email, "nobody@example.org"):
            for n in range(2):
                hashes.clear()
                statements.clear()
                attempt(app, email, f"guess {n}")
                work.append((list(hashes), list(statements)))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert work[0] == work[2] and work[1] == work[3]
    assert all(used == ["scrypt"] for used, _ in work)


@pytest.mark.parametrize(
    "typed",
    ["hunter2 my secret", "Correct Horse Battery", "no-at-sign.example.org", "a@b", "x\x01@y.org"],
)
def test_a_password_typed_in_the_email_box_is_never_stored(app, staff_user, typed):
    attempt(app, typed, "whatever was typed")
    rows = audit_rows("auth.login_failed")
    assert [(r.actor, r.target) for r in rows] == [("(not an e-mail address)",) * 2]
    stored = repr([(r.actor, r.target, r.details) for r in db.session.scalars(sa.select(AuditLog))])
    assert typed.lower() not in stored.lower()
    # Not counted either, so not even a keyed hash of it is kept.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInThrottle)) == 0


def test_a_well_formed_address_is_audited_and_counted_by_keyed_hash(app, staff_user):
    attempt(app, " Someone@Example.org ", "a wrong password")
    assert [r.actor for r in audit_rows("auth.login_failed")] == ["someone@example.org"]
    key = db.session.scalars(sa.select(SignInThrottle.key)).one()
    assert len(key) == 64 and "someone" not in key
    assert key != hashlib.sha256(b"someone@example.org").hexdigest()  # HMAC with SECRET_KEY
