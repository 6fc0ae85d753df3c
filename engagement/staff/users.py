"""Administrators: staff accounts and the audit log."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engagement import audit
from engagement.extensions import db
from engagement.i18n import _, localized_name
from engagement.models import AuditLog, GroupKind, Role, StakeholderGroup, User
from engagement.staff import bp
from engagement.staff.access import roles_required
from engagement.staff.forms import AuditFilterForm, UserForm, as_choices

AUDIT_PAGE_SIZE = 50


def council_choices():
    councils = db.session.scalars(
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind == GroupKind.COUNCIL)
        .order_by(StakeholderGroup.position)
    )
    return [(c.id, localized_name(c).text) for c in councils]


def save_user(user: User | None, data: dict) -> User:
    """Create or update an account; role, council, activity and password changes are audited
    and end the account's existing sessions."""
    email = data["email"].strip().lower()
    clash = db.session.scalar(sa.select(User).where(User.email == email))
    if clash is not None and clash is not user:
        raise ValueError(_("Another account already uses this e-mail address."))
    created = user is None
    if created:
        if not data.get("password"):
            raise ValueError(_("Set a password of at least 12 characters for a new account."))
        user = User(email=email, role=Role(data["role"]), active=True, session_version=0)
        user.set_password(data["password"])
        db.session.add(user)
    before = {
        "role": None if created else user.role.value,
        "councils": [] if created else sorted(c.code for c in user.councils),
        "active": None if created else user.active,
    }
    ids = data.get("councils") or []
    user.email = email
    user.role = Role(data["role"])
    user.active = bool(data.get("active")) if not created else True
    user.councils = (
        list(db.session.scalars(sa.select(StakeholderGroup).where(StakeholderGroup.id.in_(ids))))
        if ids
        else []
    )
    after = {
        "role": user.role.value,
        "councils": sorted(c.code for c in user.councils),
        "active": user.active,
    }
    if data.get("password") and not created:
        user.set_password(data["password"])  # also bumps session_version
    elif not created and before != after:
        user.session_version += 1
    db.session.flush()
    if created:
        audit.record("user.create", target=email, details=after, commit=False)
    elif before != after:
        deactivated = before["active"] and not after["active"]
        action = "user.deactivate" if deactivated else "user.role_change"
        audit.record(action, target=email, details={"from": before, "to": after}, commit=False)
    if data.get("password") and not created:
        audit.record("user.password_reset", target=email, commit=False)
    db.session.commit()
    return user


@bp.route("/users")
@roles_required(Role.ADMIN)
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
    form.councils.choices = as_choices(council_choices())
    if form.validate_on_submit():
        try:
            if (
                user is not None
                and user.id == current_user.id
                and (form.role.data != Role.ADMIN or not form.active.data)
            ):
                # Keeps the district from locking itself out of account management.
                raise ValueError(_("You cannot remove your own administrator access."))
            saved = save_user(user, form.data)
        except ValueError as error:
            form.email.errors.append(str(error))
        else:
            flash(_("Account %(email)s saved.", email=saved.email), "success")
            return redirect(url_for("staff.users"))
    return render_template("staff/user_form.html", form=form, user=user)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_new():
    return _user_page(None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_edit(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return _user_page(user)


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    actions = db.session.scalars(sa.select(AuditLog.action).distinct().order_by(AuditLog.action))
    form = AuditFilterForm(request.args)
    form.action.choices = as_choices([("", _("All actions"))] + [(a, a) for a in actions])
    query = sa.select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if form.validate() and form.action.data:
        query = query.where(AuditLog.action == form.action.data)
    page = db.paginate(query, per_page=AUDIT_PAGE_SIZE, error_out=False, max_per_page=100)
    return render_template("staff/audit.html", form=form, page=page)
