"""Administrators: staff accounts and the audit log."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engagement.extensions import db
from engagement.i18n import _, localized_name
from engagement.models import AuditLog, User, utcnow
from engagement.staff import audit_view, bp, confirm
from engagement.staff.access import (
    may_manage_users,
    may_reset_password_of,
    may_set_own_access,
    requires,
)
from engagement.staff.forms import ActionForm, AuditFilterForm, UserForm, as_choices, page_number
from engagement.staff.services import accounts, accounts_totp

AUDIT_PAGE_SIZE = 50


@bp.route("/users")
@requires(may_manage_users)
def users():
    rows = db.session.scalars(sa.select(User).order_by(User.role, User.email))
    return render_template("staff/users.html", users=list(rows), now=utcnow())


def _link_page(account, link, created=False):
    """The set-password link, shown this once (only its hash is stored)."""
    address = accounts.password_link_address(link.token)
    return render_template(
        "staff/password_link.html",
        account=account,
        address=address,
        expires_at=link.expires_at,
        created=created,
    )


def _user_page(user):
    data = None
    if user is not None:
        data = {
            "email": user.email,
            "role": user.role.value,
            "councils": [c.id for c in user.councils],
            "active": user.active,
        }
    form = UserForm(data=data)
    form.councils.choices = as_choices(
        (c.id, localized_name(c).text) for c in accounts.all_councils()
    )
    if form.validate_on_submit():
        deactivating = user is not None and user.active and not form.active.data
        if not may_set_own_access(current_user, user, form.role.data, form.active.data):
            form.email.errors.append(_("You cannot remove your own administrator access."))
        elif deactivating and not confirm.is_confirmed():
            return confirm.ask(
                title=_("Deactivate %(email)s?", email=user.email),
                message=_(
                    "This person is signed out everywhere and can no longer sign in. Their "
                    "name stays in the audit log. You can activate the account again later."
                ),
                button=_("Yes, deactivate the account"),
                back=url_for("staff.user_edit", user_id=user.id),
                keep_form=True,
            )
        else:
            try:
                saved = accounts.save_account(
                    user,
                    email=form.email.data,
                    role=form.role.data,
                    councils=accounts.councils_by_id(form.councils.data),
                    active=form.active.data,
                )
            except accounts.AccountError as error:
                form.email.errors.append(str(error))
            else:
                if user is None:  # the new account's owner chooses a password with a link
                    return _link_page(saved, accounts.issue_password_link(saved), created=True)
                flash(_("Account %(email)s saved.", email=saved.email), "success")
                return redirect(url_for("staff.users"))
    return render_template(
        "staff/user_form.html",
        form=form,
        user=user,
        action_form=ActionForm(formdata=None),
        may_reset=user is not None and may_reset_password_of(current_user, user),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires(may_manage_users)
def user_new():
    return _user_page(None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(may_manage_users)
def user_edit(user_id):
    return _user_page(db.get_or_404(User, user_id))


@bp.route("/users/<int:user_id>/password-link", methods=["POST"])
@requires(may_manage_users)
def user_password_link(user_id):
    account = db.get_or_404(User, user_id)
    if not may_reset_password_of(current_user, account):
        flash(_("Change your own password on your Account page."), "error")
        return redirect(url_for("staff.account"))
    if not ActionForm().validate_on_submit():
        return redirect(url_for("staff.user_edit", user_id=account.id))
    return _link_page(account, accounts.issue_password_link(account, reset=True))


@bp.route("/users/<int:user_id>/two-step-off", methods=["POST"])
@requires(may_manage_users)
def user_two_step_off(user_id):
    account = db.get_or_404(User, user_id)
    if not may_reset_password_of(current_user, account):
        return redirect(url_for("staff.account"))
    if ActionForm().validate_on_submit() and account.totp_enabled:
        accounts_totp.turn_off(account)
        flash(
            _("Two-step sign-in is off for %(email)s.", email=account.email),
            "success",
        )
    return redirect(url_for("staff.user_edit", user_id=account.id))


def district_day_start(day):
    """Midnight of `day` in the district's time zone (the dates staff type are local)."""
    zone = ZoneInfo(current_app.config["DISTRICT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone)


@bp.route("/audit")
@requires(may_manage_users)
def audit_log():
    """Every audited step, newest first, filtered by person, action and dates."""
    form = AuditFilterForm(request.args)
    actions = db.session.scalars(sa.select(AuditLog.action).distinct())
    form.action.choices = as_choices(
        [("", _("All actions"))]
        + sorted(((a, audit_view.action_name(a)) for a in actions), key=lambda c: c[1].lower())
    )
    people = db.session.execute(sa.select(User.id, User.email).order_by(User.email))
    form.person.choices = as_choices(
        [("", _("Everyone"))] + [(str(user_id), email) for user_id, email in people]
    )
    query = sa.select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if form.validate():
        if form.person.data:
            query = query.where(AuditLog.user_id == int(form.person.data))
        if form.action.data:
            query = query.where(AuditLog.action == form.action.data)
        if form.date_from.data:
            query = query.where(AuditLog.at >= district_day_start(form.date_from.data))
        if form.date_to.data:
            query = query.where(
                AuditLog.at < district_day_start(form.date_to.data + timedelta(days=1))
            )
    page = db.paginate(
        query, page=page_number(request.args), per_page=AUDIT_PAGE_SIZE, error_out=False
    )
    filters = {
        name: request.args.get(name)
        for name in ("person", "action", "date_from", "date_to")
        if request.args.get(name)
    }
    return render_template(
        "staff/audit.html",
        form=form,
        page=page,
        filters=filters,
        action_name=audit_view.action_name,
        details=audit_view.details,
    )
