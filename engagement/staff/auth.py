"""Signing in and out, set-password links, and the Flask-Login user loader.

Signing in is one step (e-mail and password) or, with two-step sign-in on, two: after the
right password the browser's cookie remembers the account for PENDING_SECONDS (not signed
in yet) and the code page asks for a code from the app or a recovery code. The rules, the
per-account throttle and the audit records live in services/accounts_signin.py and
services/accounts_totp.py.

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
import time
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from engagement import audit
from engagement.extensions import db, limiter, login_manager
from engagement.i18n import _, _l, format_datetime
from engagement.models import StaffSession, User, utcnow
from engagement.staff import bp
from engagement.staff.access import public_view, setup_view
from engagement.staff.forms import (
    ROLE_LABELS,
    LoginForm,
    LogoutForm,
    SecondStepForm,
    SetPasswordForm,
)
from engagement.staff.services import accounts, accounts_signin, accounts_totp

SESSION_TOKEN = "sid"  # nosec B105: the session key name, not a password
# last_seen_at is written at most this often, so that a busy page costs no write per request.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)
# Between the password and the code: who is signing in, for at most PENDING_SECONDS.
PENDING = "signin_pending"
PENDING_SECONDS = 5 * 60

login_manager.login_view = "staff.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_session_hash() -> str | None:
    """The token hash of this browser's staff session (to keep it while ending others)."""
    token = session.get(SESSION_TOKEN)
    return _token_hash(token) if isinstance(token, str) and token else None


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


def _refusal(outcome: str) -> str:
    if outcome == "locked":
        return _(
            "Too many tries to sign in to this account. Please wait %(minutes)s minutes, "
            "then try again.",
            minutes=int(accounts_signin.LOCK_TIME.total_seconds() // 60),
        )
    if outcome == "inactive":
        return _("This account is turned off. Ask a district administrator.")
    return _("The e-mail address or password is not right.")


def _finish_sign_in(user: User, target: str | None):
    start_staff_session(user)
    accounts_signin.signed_in(user)
    return redirect(target if is_safe_next(target) else url_for("staff.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
@public_view
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    target = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(target if is_safe_next(target) else url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        step = accounts_signin.check_password_step(form.email.data, form.password.data)
        if step.outcome == "ok" and step.user.totp_enabled:
            session[PENDING] = {
                "user": step.user.id,
                "version": step.user.session_version,
                "at": int(time.time()),
                "next": target if is_safe_next(target) else None,
            }
            return redirect(url_for("staff.login_code"))
        if step.outcome == "ok":
            return _finish_sign_in(step.user, target)
        form.password.errors.append(_refusal(step.outcome))
    return render_template("staff/login.html", form=form)


def _pending_sign_in() -> tuple[User | None, str | None, bool]:
    """(account, target, expired) of a sign-in waiting for its code."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None, None, False
    user = db.session.get(User, pending.get("user") or 0)
    fresh = time.time() - float(pending.get("at") or 0) <= PENDING_SECONDS
    if (
        not fresh
        or user is None
        or not user.active
        or not user.totp_enabled
        or user.session_version != pending.get("version")
    ):
        session.pop(PENDING, None)
        return None, None, True
    return user, pending.get("next"), False


@bp.route("/login/code", methods=["GET", "POST"])
@public_view
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login_code():
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    user, target, expired = _pending_sign_in()
    if user is None:
        if expired:
            flash(_("That took too long. Please sign in again."), "info")
        return redirect(url_for("staff.login"))
    form = SecondStepForm()
    if form.validate_on_submit():
        if accounts_signin.locked_until(user.email) is not None:
            session.pop(PENDING, None)
            flash(_refusal("locked"), "error")
            return redirect(url_for("staff.login"))
        result = accounts_totp.check_second_step(user, form.code.data)
        if result.ok:
            response = _finish_sign_in(user, target)
            if result.recovery:
                left = accounts_totp.remaining_recovery_codes(user)
                message = ngettext(
                    "You used a recovery code; %(num)s is left. Each works only once.",
                    "You used a recovery code; %(num)s are left. Each works only once.",
                    left,
                )
                flash(message, "info")
            return response
        if accounts_signin.record_code_failure(user):
            session.pop(PENDING, None)
            flash(_refusal("locked"), "error")
            return redirect(url_for("staff.login"))
        form.code.errors.append(
            _("This code is not right or was used already. Wait for the next code and try again.")
        )
    return render_template("staff/login_code.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public_view
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def set_password(token):
    account = accounts.account_for_link(token)
    if account is None:
        return render_template("staff/set_password_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password_with_link(account, form.password.data)
        except accounts.AccountError as error:
            form.password.errors.append(str(error))
        else:
            flash(_("Your password is set. Please sign in with it."), "success")
            return redirect(url_for("staff.login"))
    return render_template("staff/set_password.html", form=form, account=account)


@bp.route("/logout", methods=["POST"])
@login_required
@setup_view
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
