"""`flask users ...`: staff accounts from the command line."""

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from engagement.extensions import db
from engagement.models import Role, User, utcnow
from engagement.staff.services import accounts, accounts_totp

users_cli = AppGroup("users", help="Manage staff accounts.")


# The account service's rules, in the command line's own words (the password rule's own
# explanation is used as it is).
CLI_MESSAGES = {
    "email_invalid": "{email} is not an e-mail address.",
    "email_taken": "A user with the e-mail {email} already exists.",
    "council_missing": "A council lead needs at least one --council.",
    "council_not_lead": "--council only applies to council leads.",
}


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option(
    "--council",
    "councils",
    multiple=True,
    help="Council code a council lead is scoped to (repeat for several).",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, role, councils, password_stdin):
    """Create a staff account with a password (prompted, or read with --password-stdin)."""
    email = accounts.normalize_email(email)
    try:
        # Refuse what can be refused before asking for a password.
        accounts.email_rule(email)
        groups = [_council(code) for code in councils]
        accounts.council_rule(role, groups)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        accounts.save_account(
            None, email=email, role=role, councils=groups, password=password, actor="cli"
        )
    except accounts.AccountError as error:
        message = CLI_MESSAGES.get(error.reason)
        if message:
            message = message.format(email=email)
        raise click.ClickException(message or str(error)) from None
    click.echo(f"Created {role} {email}.")


def _council(code: str):
    group = accounts.council_by_code(code)
    if group is None:
        raise click.ClickException(f"No council with the code {code!r}.")
    return group


@users_cli.command("link")
@click.argument("email")
def password_link(email):
    """Print a one-time link with which EMAIL chooses a new password."""
    account = _account(email)
    if not account.active:
        raise click.ClickException(f"{account.email} is turned off; a link would not work.")
    link = accounts.issue_password_link(account, reset=True, actor="cli")
    hours = round((link.expires_at - utcnow()).total_seconds() / 3600)
    click.echo(accounts.password_link_address(link.token))
    click.echo(
        f"It works once, for {hours} hours. The current password of {account.email} no "
        "longer works and every session of the account has ended.",
        err=True,
    )


@users_cli.command("two-step-off")
@click.argument("email")
def two_step_off(email):
    """Turn off EMAIL's two-step sign-in (a lost phone and lost recovery codes)."""
    account = _account(email)
    if not account.totp_enabled:
        raise click.ClickException(f"Two-step sign-in is not on for {account.email}.")
    accounts_totp.turn_off(account, actor="cli")
    click.echo(f"Two-step sign-in is off for {account.email}.")


def _account(email: str) -> User:
    account = db.session.scalar(
        sa.select(User).where(User.email == accounts.normalize_email(email))
    )
    if account is None:
        raise click.ClickException(f"No account with the e-mail {email}.")
    return account


@users_cli.command("list")
def list_users():
    """List staff accounts with their role and councils."""
    for user in db.session.scalars(sa.select(User).order_by(User.email)):
        councils = ",".join(c.code for c in user.councils)
        state = "" if user.active else " (inactive)"
        click.echo(f"{user.email}\t{user.role.value}\t{councils}{state}")
