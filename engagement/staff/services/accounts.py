"""Staff accounts: the one way an account is created or changed, from the administrators'
web form (staff/users.py) and from `flask users create` alike.

The rules (password length, one account per e-mail, councils for council leads only) and
the audit records live here, so the two faces cannot drift apart. A change of role,
councils, activity or password ends the account's existing sessions.
"""

import sqlalchemy as sa

from engagement import audit
from engagement.extensions import db
from engagement.i18n import _
from engagement.models import GroupKind, Role, StakeholderGroup, User

MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A refused account change. str() is the message for the web (in the user's language);
    `reason` names the rule broken, so the CLI can say it in its own words."""

    def __init__(self, reason: str, message):
        super().__init__(str(message))
        self.reason = reason


def normalize_email(email: str) -> str:
    """E-mail addresses are stored trimmed and lowercase."""
    return email.strip().lower()


def password_rule(password: str) -> None:
    """Refuse a password shorter than MIN_PASSWORD_LENGTH characters."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "password_too_short",
            _("The password must be at least %(n)s characters long.", n=MIN_PASSWORD_LENGTH),
        )


def email_rule(email: str, account: User | None = None) -> None:
    """Refuse an e-mail address that another account already uses."""
    clash = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
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
    password: str = "",
    actor: str | None = None,
) -> User:
    """Create (account=None) or update an account and audit it; commits.

    `councils` are StakeholderGroup rows; an empty `password` keeps the current one (a new
    account needs one). `actor` names who acted when nobody is signed in (the CLI).
    Raises AccountError when a rule is broken, before anything is written.
    """
    email = normalize_email(email)
    role = Role(role)
    councils = list(councils)
    email_rule(email, account)
    council_rule(role, councils)
    created = account is None
    if created and not password:
        raise AccountError(
            "password_missing",
            _(
                "Set a password of at least %(n)s characters for a new account.",
                n=MIN_PASSWORD_LENGTH,
            ),
        )
    if password:
        password_rule(password)
    if created:
        account = User(email=email, role=role, active=True, session_version=0)
        account.set_password(password)
        db.session.add(account)
        before = None
    else:
        before = _access(account)
    account.email = email
    account.role = role
    account.active = True if created else bool(active)
    account.councils = councils
    after = _access(account)
    if password and not created:
        account.set_password(password)  # also bumps session_version
    elif not created and before != after:
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
    if password and not created:
        audit.record("user.password_reset", target=email, actor=actor, commit=False)
    db.session.commit()
    return account
