"""`flask users ...`: staff accounts from the command line."""

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from engagement.extensions import db
from engagement.models import AuditLog, GroupKind, Role, StakeholderGroup, User

users_cli = AppGroup("users", help="Manage staff accounts.")


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
    email = email.strip().lower()
    if db.session.scalar(sa.select(User).where(User.email == email)):
        raise click.ClickException(f"A user with the e-mail {email} already exists.")
    role = Role(role)
    groups = []
    for code in councils:
        group = db.session.scalar(
            sa.select(StakeholderGroup).where(
                StakeholderGroup.code == code, StakeholderGroup.kind == GroupKind.COUNCIL
            )
        )
        if group is None:
            raise click.ClickException(f"No council with the code {code!r}.")
        groups.append(group)
    if role == Role.COUNCIL_LEAD and not groups:
        raise click.ClickException("A council lead needs at least one --council.")
    if role != Role.COUNCIL_LEAD and groups:
        raise click.ClickException("--council only applies to council leads.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 12:
        raise click.ClickException("The password must be at least 12 characters long.")
    user = User(email=email, role=role, councils=groups)
    user.set_password(password)
    db.session.add(user)
    db.session.add(
        AuditLog(
            action="user.create",
            actor="cli",
            target=email,
            details={"role": role.value, "councils": list(councils)},
        )
    )
    db.session.commit()
    click.echo(f"Created {role.value} {email}.")


@users_cli.command("list")
def list_users():
    """List staff accounts with their role and councils."""
    for user in db.session.scalars(sa.select(User).order_by(User.email)):
        councils = ",".join(c.code for c in user.councils)
        state = "" if user.active else " (inactive)"
        click.echo(f"{user.email}\t{user.role.value}\t{councils}{state}")
