"""Administrators: staff accounts and the audit log."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from engagement.extensions import db
from engagement.i18n import _, localized_name
from engagement.models import AuditLog, User
from engagement.staff import bp
from engagement.staff.access import may_manage_users, may_set_own_access, requires
from engagement.staff.forms import AuditFilterForm, UserForm, as_choices, page_number
from engagement.staff.services import accounts

AUDIT_PAGE_SIZE = 50


@bp.route("/users")
@requires(may_manage_users)
def users():
    rows = db.session.scalars(sa.select(User).order_by(User.role, User.email))
    return render_template("staff/users.html", users=list(rows))


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
        if not may_set_own_access(current_user, user, form.role.data, form.active.data):
            form.email.errors.append(_("You cannot remove your own administrator access."))
        else:
            try:
                saved = accounts.save_account(
                    user,
                    email=form.email.data,
                    role=form.role.data,
                    councils=accounts.councils_by_id(form.councils.data),
                    active=form.active.data,
                    password=form.password.data or "",
                )
            except accounts.AccountError as error:
                form.email.errors.append(str(error))
            else:
                flash(_("Account %(email)s saved.", email=saved.email), "success")
                return redirect(url_for("staff.users"))
    return render_template("staff/user_form.html", form=form, user=user)


@bp.route("/users/new", methods=["GET", "POST"])
@requires(may_manage_users)
def user_new():
    return _user_page(None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(may_manage_users)
def user_edit(user_id):
    return _user_page(db.get_or_404(User, user_id))


@bp.route("/audit")
@requires(may_manage_users)
def audit_log():
    actions = db.session.scalars(sa.select(AuditLog.action).distinct().order_by(AuditLog.action))
    form = AuditFilterForm(request.args)
    form.action.choices = as_choices([("", _("All actions"))] + [(a, a) for a in actions])
    query = sa.select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if form.validate() and form.action.data:
        query = query.where(AuditLog.action == form.action.data)
    page = db.paginate(
        query, page=page_number(request.args), per_page=AUDIT_PAGE_SIZE, error_out=False
    )
    return render_template("staff/audit.html", form=form, page=page)
