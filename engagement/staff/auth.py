"""Signing in and out, and the Flask-Login user loader.

The session cookie holds "user id:session_version" and a random token naming a
`StaffSession` row. The session ends, whichever comes first: at sign-out (the row is
deleted, so a copied cookie stops working), SESSION_IDLE_MINUTES after the last request,
SESSION_MINUTES after sign-in, when the password or role changes (session_version is
bumped), or when the account is deactivated. Nothing derived from the staff member's address
or browser is put in the cookie (Flask-Login's session protection is off: the server-side
row does its job).
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from engagement import audit
from engagement.extensions import db, limiter, login_manager
from engagement.i18n import _, _l
from engagement.models import StaffSession, User, utcnow
from engagement.staff import bp
from engagement.staff.access import public_view
from engagement.staff.forms import ROLE_LABELS, LoginForm, LogoutForm

SESSION_TOKEN = "sid"
# last_seen_at is written at most this often, so that a busy page costs no write per request.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)
# Compared against when the e-mail is unknown, so that both paths take the same time.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")

login_manager.login_view = "staff.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _current_staff_session() -> StaffSession | None:
    token = session.get(SESSION_TOKEN)
    if not isinstance(token, str) or not token:
        return None
    return db.session.get(StaffSession, _token_hash(token))


def _expired(row: StaffSession, now) -> bool:
    config = current_app.config
    return now - row.created_at > timedelta(
        minutes=config["SESSION_MINUTES"]
    ) or now - row.last_seen_at > timedelta(minutes=config["SESSION_IDLE_MINUTES"])


def start_staff_session(user: User) -> None:
    """Sign `user` in on this browser: a fresh cookie naming a new server-side session."""
    now = utcnow()
    stale = [
        row
        for row in db.session.scalars(
            sa.select(StaffSession).where(StaffSession.user_id == user.id)
        )
        if _expired(row, now)
    ]
    for row in stale:
        db.session.delete(row)
    token = secrets.token_urlsafe(32)
    db.session.add(
        StaffSession(
            token_hash=_token_hash(token), user_id=user.id, created_at=now, last_seen_at=now
        )
    )
    session.clear()
    session.permanent = True
    login_user(user)
    session.pop("_id", None)  # Flask-Login's hash of the address and browser: not kept
    session[SESSION_TOKEN] = token


def end_staff_session() -> None:
    """Sign out: the server-side session is deleted, then the cookie is cleared."""
    row = _current_staff_session()
    if row is not None:
        db.session.delete(row)
        db.session.commit()
    logout_user()
    session.clear()


@login_manager.user_loader
def load_user(user_id: str):
    """The user of a live session "id:version", or None if it ended, expired or is stale."""
    user_pk, _sep, version = str(user_id).partition(":")
    if not user_pk.isdigit() or not version.isdigit():
        return None
    row = _current_staff_session()
    if row is None or row.user_id != int(user_pk):
        return None
    now = utcnow()
    if _expired(row, now):
        db.session.delete(row)
        db.session.commit()
        return None
    user = db.session.get(User, int(user_pk))
    if user is None or not user.active or user.session_version != int(version):
        return None
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
        db.session.commit()
    return user


def is_safe_next(target: str | None) -> bool:
    """True for a same-site path like "/staff/engagements" (no scheme, host or "//")."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@public_view
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    target = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(target if is_safe_next(target) else url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = authenticate(email, form.password.data)
        if user is None:
            audit.record("auth.login_failed", target=email, actor=email, user=None)
            form.password.errors.append(_("The e-mail address or password is not right."))
        else:
            start_staff_session(user)
            user.last_login_at = utcnow()
            audit.record("auth.login", target=user.email, user=user)
            return redirect(target if is_safe_next(target) else url_for("staff.dashboard"))
    return render_template("staff/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        audit.record("auth.logout", target=current_user.email)
        end_staff_session()
        flash(_("You are signed out."), "success")
    return redirect(url_for("staff.login"))


@bp.after_request
def never_cache_staff_pages(response):
    """No staff page (summaries, review, users, audit, reports) is kept by a browser or proxy."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.context_processor
def staff_template_globals():
    """The sign-out button and the signed-in role on every staff page (what the account may
    do comes from engagement.staff.access.capability_flags)."""
    signed_in = current_user.is_authenticated
    return {
        # formdata=None: the sign-out button never reads this request's body, so a page
        # for a body that could not be read (too large, bad JSON) can still be shown.
        "logout_form": LogoutForm(formdata=None) if signed_in else None,
        "role_labels": ROLE_LABELS,
        "format_datetime": format_datetime,
    }
