"""Signing in: the password step and the per-account throttle.

Threat model: someone guesses passwords for one account from many network addresses (the
per-address limit, LOGIN_RATE_LIMIT, does not stop that), or learns which e-mail addresses
have accounts from how sign-in answers.

- After FAILURE_LIMIT failed passwords (or second-step codes) for one e-mail address within
  FAILURE_WINDOW, sign-in with that address is refused for LOCK_TIME, from any address, even
  with the right password.
- Counts are kept per e-mail address tried, whether an account has it or not, and every
  answer does the same work (one password hash, the same queries), so a made-up address is
  locked, answered and timed like a real one.
- The throttle table's key is an HMAC of the address with SECRET_KEY; only well-formed
  e-mail addresses are counted or written to the audit log, so a password typed into the
  e-mail box is never stored, not even hashed.
- A turned-off account is told so only after its right password.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from engagement import audit
from engagement.extensions import db
from engagement.models import SignInThrottle, User, utcnow
from engagement.models.base import UTCDateTime
from engagement.models.user import PASSWORD_METHOD
from engagement.staff.services.accounts import is_email, normalize_email

FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=15)
NOT_AN_EMAIL = "(not an e-mail address)"
# Compared against when the e-mail is unknown, so that both paths take the same time.
_DUMMY_HASH = generate_password_hash("not a real password", method=PASSWORD_METHOD)


def loggable_email(text: str) -> str:
    """What the audit log may keep of a typed e-mail: the address, or a placeholder."""
    text = normalize_email(text)
    return text if is_email(text) else NOT_AN_EMAIL


# --- the per-account throttle ------------------------------------------------------------


def _key(email: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, normalize_email(email).encode(), hashlib.sha256).hexdigest()


def locked_until(email: str, now=None):
    """When sign-in with `email` opens again, or None if it is not locked."""
    now = now or utcnow()
    until = db.session.scalar(
        sa.select(SignInThrottle.locked_until).where(SignInThrottle.key == _key(email))
    )
    return until if until is not None and until > now else None


def record_failure(email: str, now=None) -> bool:
    """Count a failed password or code for `email`; True when this failure locks it.
    Commits. Counting is done in SQL, so parallel failures are all counted."""
    now = now or utcnow()
    key = _key(email)
    at = sa.literal(now, UTCDateTime())
    cutoff = now - FAILURE_WINDOW
    # Forget counts whose window has passed and locks that have ended (any address).
    db.session.execute(
        sa.delete(SignInThrottle).where(
            SignInThrottle.window_started_at < cutoff,
            sa.or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now),
        )
    )
    expired = SignInThrottle.window_started_at < cutoff
    count = sa.update(SignInThrottle).where(SignInThrottle.key == key)
    count = count.values(
        failures=sa.case((expired, 1), else_=SignInThrottle.failures + 1),
        window_started_at=sa.case((expired, at), else_=SignInThrottle.window_started_at),
    ).execution_options(synchronize_session=False)
    if db.session.execute(count).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(SignInThrottle(key=key, failures=1, window_started_at=now))
        except IntegrityError:  # another request added it just now
            db.session.execute(count)
    failures = db.session.scalar(
        sa.select(SignInThrottle.failures).where(SignInThrottle.key == key)
    )
    locked = failures >= FAILURE_LIMIT
    if locked:
        db.session.execute(
            sa.update(SignInThrottle)
            .where(SignInThrottle.key == key)
            .values(failures=0, window_started_at=at, locked_until=now + LOCK_TIME)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return locked


def clear_failures(email: str) -> None:
    """Forget the failures of `email` (after a complete sign-in). Does not commit."""
    db.session.execute(sa.delete(SignInThrottle).where(SignInThrottle.key == _key(email)))


# --- the password step -------------------------------------------------------------------


@dataclass
class PasswordStep:
    """The answer to an e-mail and password: `outcome` is "ok", "wrong", "locked" or
    "inactive" (right password, account turned off); `user` is set for "ok" and "inactive"."""

    outcome: str
    user: User | None = None


def check_password_step(typed_email: str, password: str, now=None) -> PasswordStep:
    """Check an e-mail and password typed at sign-in, count and audit a failure; commits.
    Every outcome costs one password hash, whether or not the account exists."""
    email = normalize_email(typed_email)
    shown = loggable_email(email)
    counted = shown != NOT_AN_EMAIL
    if counted and locked_until(email, now) is not None:
        check_password_hash(_DUMMY_HASH, password)
        audit.record(
            "auth.login_failed", target=shown, actor=shown, user=None, details={"locked": True}
        )
        return PasswordStep("locked")
    user = db.session.scalar(sa.select(User).where(User.email == email)) if counted else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        right = False
    else:
        right = user.check_password(password)
    if not right:
        return _failed(email, shown, counted, now)
    if not user.active:
        audit.record(
            "auth.login_failed", target=shown, actor=shown, user=user, details={"inactive": True}
        )
        return PasswordStep("inactive", user)
    return PasswordStep("ok", user)


def _failed(email: str, shown: str, counted: bool, now) -> PasswordStep:
    locked = record_failure(email, now) if counted else False
    audit.record("auth.login_failed", target=shown, actor=shown, user=None)
    if locked:
        audit.record("auth.login_locked", target=shown, actor=shown, user=None)
    return PasswordStep("wrong")


def record_code_failure(user: User, now=None) -> bool:
    """Count a wrong second-step code against `user`'s address; True when it locks."""
    locked = record_failure(user.email, now)
    if locked:
        audit.record("auth.login_locked", target=user.email, actor=user.email, user=None)
    return locked


def signed_in(user: User) -> None:
    """Record a complete sign-in (password, and code if two-step sign-in is on): earlier
    failures are forgotten, the time is kept, and it is audited. Commits."""
    clear_failures(user.email)
    user.last_login_at = utcnow()
    audit.record("auth.login", target=user.email, user=user)
