"""Staff accounts and the audit log."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow
from engagement.models.district import StakeholderGroup


class Role(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    COUNCIL_LEAD = "council_lead"


# scrypt is werkzeug's memory-hard default; named here so a change is deliberate.
PASSWORD_METHOD = "scrypt"  # nosec B105: a hash method name, not a password

user_council = sa.Table(
    "user_council",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "group_id", sa.ForeignKey("stakeholder_group.id", ondelete="RESTRICT"), primary_key=True
    ),
)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password or role change so that existing sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-step sign-in (TOTP). The secret is as sensitive as the password hash: with it, anyone
    # can make codes. It is kept from the start of the setup; two-step sign-in is on once
    # totp_enabled_at is set. totp_last_step is the time step of the last code accepted, so
    # that a code works once.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # A one-time set-password link: only the SHA-256 of its token is stored.
    password_link_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    password_link_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    councils: Mapped[list[StakeholderGroup]] = relationship(secondary=user_council)
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def set_password(self, password: str, end_sessions: bool = True) -> None:
        """Store the hash of `password`; by default every session of the account ends."""
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        if end_sessions:
            self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def council_ids(self) -> set[int]:
        return {c.id for c in self.councils}

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def __repr__(self):
        return f"<User {self.email} {self.role}>"


class RecoveryCode(db.Model):
    """A one-time code that replaces a TOTP code when the phone is lost. Only its SHA-256 is
    stored (the codes are random, 60 bits each); the row is deleted when it is used."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))

    user: Mapped[User] = relationship(back_populates="recovery_codes")

    def __repr__(self):
        return f"<RecoveryCode user={self.user_id}>"


class SignInThrottle(db.Model):
    """Failed sign-ins per e-mail address tried (an account's or not), for the per-account
    lock. `key` is an HMAC of the address with SECRET_KEY, so the table holds no address."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self):
        return f"<SignInThrottle {self.key[:8]} failures={self.failures}>"


class StaffSession(db.Model):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so
    that reading the database gives no usable session. Deleting the row ends the session."""

    __tablename__ = "staff_session"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self):
        return f"<StaffSession user={self.user_id} since {self.created_at:%Y-%m-%d %H:%M}>"


class AuditLog(db.Model):
    """Who did what, when: sign-ins, role changes, status changes, exports, re-coding."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    # For failed sign-ins, the e-mail that was tried (never the password).
    actor: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target: Mapped[str] = mapped_column(sa.String(200), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    row_count: Mapped[int | None] = mapped_column()

    user: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<AuditLog {self.action} {self.target}>"
