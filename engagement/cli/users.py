"""`flask users ...`: staff accounts from the command line."""

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from engagement.extensions import db
from engagement.models import Role, User
from engagement.staff.services import accounts

users_cli = AppGroup("users", help="Manage staff accounts.")


# The account service's rules, in the command line's own words.
CLI_MESSAGES = {
    "email_taken": "A user with the e-mail {email} already exists.",
    "council_missing": "A council lead needs at least one --council.",
    "council_not_lead": "--council only applies to council leads.",
    "password_missing": "The password must be at least {n} characters long.",
    "password_too_short": "The password must be at least {n} characters long.",
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
    """Create a staff account (the password is prompted, or read with --password-stdin)."""
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
            message = message.format(email=email, n=accounts.MIN_PASSWORD_LENGTH)
        raise click.ClickException(message or str(error)) from None
    click.echo(f"Created {role} {email}.")


def _council(code: str):
    group = accounts.council_by_code(code)
    if group is None:
        raise click.ClickException(f"No council with the code {code!r}.")
    return group


@users_cli.command("list")
def list_users():
    """List staff accounts with their role and councils."""
    for user in db.session.scalars(sa.select(User).order_by(User.email)):
        councils = ",".join(c.code for c in user.councils)
        state = "" if user.active else " (inactive)"
        click.echo(f"{user.email}\t{user.role.value}\t{councils}{state}")
