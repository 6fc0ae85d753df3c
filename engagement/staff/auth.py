"""Signing in and out, and the Flask-Login user loader.

A session cookie holds "user id:session_version" and the time of sign-in. The session ends
when the password or role changes (session_version is bumped), when the account is
deactivated, or SESSION_MINUTES after sign-in, whichever comes first.
"""

import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from engagement import audit
from engagement.extensions import db, limiter, login_manager
from engagement.i18n import _, _l
from engagement.models import User, utcnow
from engagement.staff import bp
from engagement.staff.access import public_view
from engagement.staff.forms import ROLE_LABELS, LoginForm, LogoutForm

SIGNED_IN_AT = "signed_in_at"
# Compared against when the e-mail is unknown, so that both paths take the same time.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")

login_manager.login_view = "staff.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str):
    """The user of a session id "id:version", or None if it is stale, expired or inactive."""
    user_pk, _sep, version = str(user_id).partition(":")
    if not user_pk.isdigit() or not version.isdigit():
        return None
    signed_in_at = session.get(SIGNED_IN_AT)
    lifetime = current_app.config["SESSION_MINUTES"] * 60
    if not isinstance(signed_in_at, int | float) or time.time() - signed_in_at > lifetime:
        return None
    user = db.session.get(User, int(user_pk))
    if user is None or not user.active or user.session_version != int(version):
        return None
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
            session.clear()
            session.permanent = True
            session[SIGNED_IN_AT] = int(time.time())
            login_user(user)
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
        logout_user()
        session.clear()
        flash(_("You are signed out."), "success")
    return redirect(url_for("staff.login"))


@bp.context_processor
def staff_template_globals():
    """The sign-out button and the signed-in role on every staff page (what the account may
    do comes from engagement.staff.access.capability_flags)."""
    signed_in = current_user.is_authenticated
    return {
        "logout_form": LogoutForm() if signed_in else None,
        "role_labels": ROLE_LABELS,
        "format_datetime": format_datetime,
    }
