"""Staff accounts: the one way an account is created or changed, from the administrators'
web pages (staff/users.py), the Account page (staff/account.py) and `flask users` alike.

The rules (the password rule of accounts_passwords, one account per e-mail, councils for
council leads only) and the audit records live here, so the faces cannot drift apart. A
change of role, councils, activity or password ends the account's existing sessions.

Administrators never type passwords for others: creating an account, or resetting its
password, makes a one-time set-password link (a random token; only its SHA-256 is stored;
it works once, for SET_PASSWORD_LINK_HOURS) that the administrator hands over. Only the
CLI sets a password directly, for the first administrator.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from engagement import audit
from engagement.extensions import db
from engagement.i18n import _
from engagement.models import GroupKind, Role, StaffSession, StakeholderGroup, User, utcnow
from engagement.staff.services import accounts_totp
from engagement.staff.services.accounts_passwords import (
    MIN_PASSWORD_LENGTH as MIN_PASSWORD_LENGTH,  # the one constant; the CLI reads it here
)
from engagement.staff.services.accounts_passwords import PasswordRefused, check_password

# A light check; whether an address works is the administrator's to know. No control
# characters (PostgreSQL cannot even compare text holding NUL).
EMAIL_RE = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


class AccountError(ValueError):
    """A refused account change. str() is the message for the web (in the user's language);
    `reason` names the rule broken, so the CLI can say it in its own words."""

    def __init__(self, reason: str, message):
        super().__init__(str(message))
        self.reason = reason


def normalize_email(email: str) -> str:
    """E-mail addresses are stored trimmed and lowercase."""
    return (email or "").strip().lower()


def is_email(text: str) -> bool:
    """True for something shaped like an e-mail address (name@domain.tld)."""
    return bool(EMAIL_RE.match(text or "")) and len(text) <= 254


def password_rule(password: str, email: str = "") -> None:
    """Refuse a short or guessable password (accounts_passwords), saying why."""
    try:
        check_password(password, email=email)
    except PasswordRefused as refused:
        raise AccountError(refused.reason, str(refused)) from None


def email_rule(email: str, account: User | None = None) -> None:
    """Refuse an address that is not one, or that another account already uses."""
    email = normalize_email(email)
    if not is_email(email):
        raise AccountError("email_invalid", _("Enter an e-mail address like name@example.org."))
    clash = db.session.scalar(sa.select(User).where(User.email == email))
    if clash is not None and clash is not account:
        raise AccountError("email_taken", _("Another account already uses this e-mail address."))


def council_rule(role, councils) -> None:
    """A council lead needs at least one council; other roles are tied to none."""
    if role == Role.COUNCIL_LEAD and not councils:
        raise AccountError("council_missing", _("Choose at least one council for a council lead."))
    if role != Role.COUNCIL_LEAD and councils:
        raise AccountError("council_not_lead", _("Only council leads are tied to councils."))


def all_councils() -> list[StakeholderGroup]:
    """Every council, in display order."""
    query = (
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind == GroupKind.COUNCIL)
        .order_by(StakeholderGroup.position)
    )
    return list(db.session.scalars(query))


def councils_by_id(ids) -> list[StakeholderGroup]:
    """The councils with these ids."""
    ids = list(ids or [])
    if not ids:
        return []
    query = sa.select(StakeholderGroup).where(
        StakeholderGroup.id.in_(ids), StakeholderGroup.kind == GroupKind.COUNCIL
    )
    return list(db.session.scalars(query))


def council_by_code(code: str) -> StakeholderGroup | None:
    """The council with this code, or None."""
    query = sa.select(StakeholderGroup).where(
        StakeholderGroup.code == code, StakeholderGroup.kind == GroupKind.COUNCIL
    )
    return db.session.scalar(query)


def _access(user: User) -> dict:
    return {
        "role": user.role.value,
        "councils": sorted(c.code for c in user.councils),
        "active": user.active,
    }


def save_account(
    account: User | None,
    *,
    email: str,
    role,
    councils=(),
    active: bool = True,
    password: str | None = None,
    actor: str | None = None,
) -> User:
    """Create (account=None) or update an account and audit it; commits.

    `councils` are StakeholderGroup rows. A new account gets `password` (the CLI) or, without
    one, a random password nobody knows until a set-password link is used (the web: call
    `issue_password_link` next). `actor` names who acted when nobody is signed in (the CLI).
    Raises AccountError when a rule is broken, before anything is written.
    """
    if account is not None and password is not None:
        raise ValueError("an existing account's password is set with a link")
    email = normalize_email(email)
    role = Role(role)
    councils = list(councils)
    email_rule(email, account)
    council_rule(role, councils)
    created = account is None
    if password is not None:
        password_rule(password, email=email)
    if created:
        account = User(email=email, role=role, active=True, session_version=0)
        account.set_password(password if password is not None else secrets.token_urlsafe(32))
        db.session.add(account)
        before = None
    else:
        before = _access(account)
    account.email = email
    account.role = role
    account.active = True if created else bool(active)
    account.councils = councils
    after = _access(account)
    if not created and before != after:
        account.session_version += 1
    db.session.flush()
    if created:
        audit.record("user.create", target=email, details=after, actor=actor, commit=False)
    elif before != after:
        deactivated = before["active"] and not after["active"]
        audit.record(
            "user.deactivate" if deactivated else "user.role_change",
            target=email,
            details={"from": before, "to": after},
            actor=actor,
            commit=False,
        )
    db.session.commit()
    return account


# --- one-time set-password links ---------------------------------------------------------


@dataclass
class PasswordLink:
    """A link just made: `token` goes in the address; it is shown once and not stored."""

    token: str
    expires_at: datetime


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_password_link(
    account: User, *, reset: bool = False, actor: str | None = None
) -> PasswordLink:
    """A new set-password link for `account` (any earlier one stops working); commits.

    With `reset`, the current password stops working at once and every session of the
    account ends (an administrator's "reset password")."""
    token = secrets.token_urlsafe(32)
    hours = int(current_app.config["SET_PASSWORD_LINK_HOURS"])
    expires_at = utcnow() + timedelta(hours=hours)
    account.password_link_hash = _token_hash(token)
    account.password_link_expires_at = expires_at
    if reset:
        account.set_password(secrets.token_urlsafe(32))  # also ends every session
    audit.record(
        "user.password_link",
        target=account.email,
        details={"reset": reset, "hours": hours},
        actor=actor,
        commit=False,
    )
    db.session.commit()
    return PasswordLink(token=token, expires_at=expires_at)


def account_for_link(token: str) -> User | None:
    """The active account whose unexpired, unused link has this token, else None."""
    if not token or len(token) > 200:
        return None
    account = db.session.scalar(
        sa.select(User).where(User.password_link_hash == _token_hash(token))
    )
    if account is None or not account.active:
        return None
    if account.password_link_expires_at is None or account.password_link_expires_at <= utcnow():
        return None
    return account


def set_password_with_link(account: User, password: str) -> None:
    """Set the password chosen through a link, which is then used up; every session of the
    account ends. Raises AccountError for a password the rule refuses. Commits."""
    password_rule(password, email=account.email)
    account.set_password(password)
    account.password_link_hash = None
    account.password_link_expires_at = None
    audit.record("user.password_set", target=account.email, user=account, commit=False)
    db.session.commit()


def password_link_address(token: str) -> str:
    """Where a link leads: the set-password page at PUBLIC_BASE_URL (never the Host header
    of a request, which a visitor chooses)."""
    from engagement.urls import public_url

    return public_url("staff.set_password", token=token)


# --- the Account page --------------------------------------------------------------------


def change_own_password(
    account: User, current: str, new: str, keep_session: str | None = None
) -> None:
    """Change `account`'s password on its own Account page: the current one must be right
    and the new one pass the rule. Every other session of the account ends; the session
    whose token hash is `keep_session` (this browser) stays. Commits."""
    if not account.check_password(current or ""):
        raise AccountError("password_wrong", _("Your current password is not right."))
    password_rule(new, email=account.email)
    account.set_password(new, end_sessions=False)
    others = sa.delete(StaffSession).where(StaffSession.user_id == account.id)
    if keep_session:
        others = others.where(StaffSession.token_hash != keep_session)
    ended = db.session.execute(others).rowcount
    audit.record(
        "user.password_change",
        target=account.email,
        details={"other_sessions_ended": ended},
        user=account,
        commit=False,
    )
    db.session.commit()


def turn_off_own_two_step(account: User, current: str) -> None:
    """Turn off `account`'s two-step sign-in from its Account page, with its current
    password. Commits."""
    if not account.check_password(current or ""):
        raise AccountError("password_wrong", _("Your current password is not right."))
    accounts_totp.turn_off(account)
