"""Two-step sign-in: a time-based code (TOTP, RFC 6238: 6 digits, 30-second steps, from an
authenticator app) after the password, or one of ten one-time recovery codes.

- Setup: `start_setup` keeps a new secret on the account (not yet in force) and the page
  shows it as a QR code and as text; `confirm_setup` turns two-step sign-in on when a code
  made from it is right, and returns ten recovery codes to show once.
- A code is accepted for the step before, the current step and the one after (phones whose
  clock is a little off), and only for a step later than the last one accepted: a code
  cannot be used twice, even by two requests at the same moment (conditional UPDATE).
- Recovery codes are random (60 bits), stored as SHA-256 and deleted when used.

The secret sits in the user row: anyone who reads the database can make codes, so the
database (and its backups) must be guarded like the password hashes (README).
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from engagement import audit
from engagement.extensions import db
from engagement.models import RecoveryCode, User, utcnow

RECOVERY_CODE_COUNT = 10
# 12 characters of an alphabet without look-alikes (0/o, 1/l/i): 31^12, about 60 bits.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_CODE_LENGTH = 12
# What every authenticator app expects: 6 digits, 30-second steps, SHA-1.
STEP_SECONDS = 30
DIGITS = 6
# Codes of the step before and after the current one are accepted too.
VALID_WINDOW = 1


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def current_step(now: float | None = None) -> int:
    """The TOTP time step (30-second interval since 1970) at `now` (default: the clock)."""
    return int((time.time() if now is None else now) // STEP_SECONDS)


def start_setup(user: User) -> str:
    """The secret to show for setting up two-step sign-in: the pending one, or a new one.
    Not in force until `confirm_setup`. Commits."""
    if user.totp_enabled:
        raise ValueError("two-step sign-in is already on")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()  # 32 characters, 160 bits
        user.totp_last_step = None
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = current_app.config.get("DISTRICT_NAME") or "engagement"
    return _totp(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str, title: str) -> Markup:
    """Inline SVG of the QR code (made here: the secret never leaves the server)."""
    svg = segno.make_qr(uri, error="m").svg_inline(
        scale=1, omitsize=True, title=title, svgclass="qr-code", light="#fff"
    )
    # segno SVG; segno escapes the title (bandit B704)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # nosec B704


def grouped_secret(secret: str) -> str:
    """The secret in groups of four letters, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: float | None) -> int | None:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == DIGITS):
        return None
    totp = _totp(secret)
    step = current_step(now)
    for candidate in range(step - VALID_WINDOW, step + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record `step` as used, unless it (or a later one) was used already."""
    result = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def verify_code(user: User, code: str, now: float | None = None) -> bool:
    """True (once) for a right TOTP code of `user`'s secret. Does not commit."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, now)
    return step is not None and _claim_step(user, step)


def _code_hash(code: str) -> str:
    normalized = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def new_recovery_code() -> str:
    """A random recovery code, shown as xxxx-xxxx-xxxx."""
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def use_recovery_code(user: User, code: str) -> bool:
    """True (once) for one of `user`'s recovery codes, which is then used up. Does not commit."""
    if not user.totp_enabled or not code.strip():
        return False
    row = db.session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_hash(code)
        )
    )
    if row is None:
        return False
    # Deleting by id with a row count: of two requests with the same code, one wins.
    result = db.session.execute(
        sa.delete(RecoveryCode)
        .where(RecoveryCode.id == row.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["recovery_codes"])
    return result.rowcount == 1


def remaining_recovery_codes(user: User) -> int:
    """How many unused recovery codes `user` has."""
    query = sa.select(sa.func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id)
    return db.session.scalar(query)


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(c)) for c in codes)
    db.session.expire(user, ["recovery_codes"])
    return codes


@dataclass
class SecondStep:
    """What a code typed at sign-in was: `ok`, and whether it was a recovery code."""

    ok: bool
    recovery: bool = False


def check_second_step(user: User, code: str, now: float | None = None) -> SecondStep:
    """Check a TOTP code or a recovery code typed at sign-in, audit it and commit."""
    code = (code or "").strip()
    if verify_code(user, code, now):
        db.session.commit()
        return SecondStep(ok=True)
    if use_recovery_code(user, code):
        audit.record(
            "auth.recovery_code_used",
            target=user.email,
            details={"remaining": remaining_recovery_codes(user)},
            user=user,
        )
        return SecondStep(ok=True, recovery=True)
    audit.record("auth.totp_failed", target=user.email, user=user)
    return SecondStep(ok=False)


def confirm_setup(user: User, code: str, now: float | None = None) -> list[str] | None:
    """Turn two-step sign-in on if `code` is right for the pending secret; returns the ten
    recovery codes (shown once, stored hashed), or None for a wrong code. Commits."""
    if user.totp_enabled or not user.totp_secret:
        return None
    if not verify_code(user, code, now):
        audit.record("auth.totp_failed", target=user.email, details={"setup": True}, user=user)
        return None
    user.totp_enabled_at = utcnow()
    codes = _replace_recovery_codes(user)
    audit.record("auth.totp_enabled", target=user.email, user=user, commit=False)
    db.session.commit()
    return codes


def turn_off(user: User, actor: str | None = None) -> None:
    """Turn two-step sign-in off for `user` and audit it (by the signed-in account, or
    `actor` from the CLI). Commits. An administrator is asked to set it up again at once
    (staff/access.py)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.expire(user, ["recovery_codes"])
    audit.record("auth.totp_disabled", target=user.email, actor=actor, commit=False)
    db.session.commit()
