"""The Account page: every signed-in account changes its own password and turns two-step
sign-in on or off here. Administrators cannot do without it: one whose two-step sign-in is
not on is sent to its setup after the password (staff/access.py)."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from engagement.extensions import limiter
from engagement.i18n import _
from engagement.staff import bp
from engagement.staff.access import setup_view, two_step_required
from engagement.staff.auth import current_session_hash
from engagement.staff.forms import ChangePasswordForm, TwoStepOffForm, TwoStepSetupForm
from engagement.staff.services import accounts, accounts_totp


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_page(form=None, off_form=None):
    user = current_user._get_current_object()
    return render_template(
        "staff/account.html",
        form=form or ChangePasswordForm(formdata=None),
        off_form=off_form or TwoStepOffForm(formdata=None, prefix="off"),
        recovery_left=accounts_totp.remaining_recovery_codes(user) if user.totp_enabled else 0,
    )


@bp.route("/account", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(
                current_user._get_current_object(),
                form.current.data,
                form.password.data,
                keep_session=current_session_hash(),
            )
        except accounts.AccountError as error:
            field = form.current if error.reason == "password_wrong" else form.password
            field.errors.append(str(error))
        else:
            flash(
                _("Your password is changed. Every other browser signed in as you is signed out."),
                "success",
            )
            return redirect(url_for("staff.account"))
    return _account_page(form=form)


@bp.route("/account/two-step", methods=["GET", "POST"])
@setup_view
@limiter.limit(_login_limit, methods=["POST"])
def two_step_setup():
    user = current_user._get_current_object()
    if user.totp_enabled:
        return redirect(url_for("staff.account"))
    secret = accounts_totp.start_setup(user)
    form = TwoStepSetupForm()
    if form.validate_on_submit():
        codes = accounts_totp.confirm_setup(user, form.code.data)
        if codes is not None:
            return render_template("staff/recovery_codes.html", codes=codes)
        form.code.errors.append(
            _(
                "This code is not right. Check that the time on your phone is right, then "
                "type the code your app shows now."
            )
        )
    uri = accounts_totp.provisioning_uri(user)
    return render_template(
        "staff/two_step_setup.html",
        form=form,
        qr=accounts_totp.qr_svg(uri, _("QR code to add this account to your app")),
        secret=accounts_totp.grouped_secret(secret),
    )


@bp.route("/account/two-step/off", methods=["POST"])
@limiter.limit(_login_limit)
def two_step_off():
    user = current_user._get_current_object()
    if not user.totp_enabled:
        return redirect(url_for("staff.account"))
    off_form = TwoStepOffForm(prefix="off")
    if off_form.validate_on_submit():
        try:
            accounts.turn_off_own_two_step(user, off_form.current.data)
        except accounts.AccountError as error:
            off_form.current.errors.append(str(error))
        else:
            if two_step_required(user):
                flash(_("Now set up two-step sign-in with your new phone."), "info")
                return redirect(url_for("staff.two_step_setup"))
            flash(_("Two-step sign-in is off."), "success")
            return redirect(url_for("staff.account"))
    return _account_page(off_form=off_form)
