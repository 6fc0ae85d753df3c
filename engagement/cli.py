"""Flask command-line commands: `flask --app wsgi <command>`."""

import json
import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from engagement.extensions import db
from engagement.models import AuditLog, GroupKind, Role, StakeholderGroup, User

users_cli = AppGroup("users", help="Manage staff accounts.")
themes_cli = AppGroup("themes", help="Theme analysis of open-text answers.")


@click.command("seed")
def seed_command():
    """Load schools, stakeholder groups and priorities (safe to run again)."""
    from engagement.seed import seed_district

    created = seed_district()
    click.echo(
        "Seeded district: {schools} new schools, {groups} new groups, "
        "{priorities} new priorities.".format(**created)
    )


@click.command("demo")
def demo_command():
    """Add demo engagements and responses in several languages (safe to run again)."""
    from engagement.demo import DEMO_FILE, load_demo

    total = _demo_target(DEMO_FILE)
    with click.progressbar(length=total, label="Demo responses", file=sys.stderr) as bar:
        added = load_demo(progress=bar.update)
    click.echo(
        "Demo data: {engagements} new engagements, {responses} new responses.".format(**added)
    )


def _demo_target(path):
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    return sum(item.get("responses", 0) for item in data["engagements"])


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


@click.command("analyze-text")
def analyze_text_command():
    """Analyse JSON lines {"id", "text", "lang"?} from stdin; one JSON line out per input.

    Offline and without the database: language, sentiment (or null), themes, phrases.
    """
    from engagement.themes.pipeline import analyze

    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError("text must be a string")
        except (ValueError, KeyError, TypeError) as error:
            message = f'line {number}: expected {{"id", "text", "lang"?}}: {error}'
            click.echo(json.dumps({"id": None, "error": message}), err=False)
            continue
        result = analyze(text, item.get("lang"))
        click.echo(json.dumps({"id": item.get("id"), **result.to_json_dict()}, ensure_ascii=False))


@themes_cli.command("reanalyze")
@click.option("--batch-size", default=500, show_default=True, help="Answers per transaction.")
@click.option(
    "--all",
    "force",
    is_flag=True,
    help="Also redo answers already analysed with the current codebook.",
)
@click.option(
    "--after-id",
    default=0,
    show_default=True,
    help="Resume after this answer id (printed when a run is interrupted).",
)
def reanalyze_command(batch_size, force, after_id):
    """Re-run the pipeline over stored open answers, in batches; safe to stop and rerun."""
    from engagement.themes.store import pending_count, reanalyze

    total = pending_count(after_id=after_id, force=force)
    progress = None
    try:
        with click.progressbar(length=total, label="Reanalysing", file=sys.stderr) as bar:
            for progress in reanalyze(batch_size=batch_size, after_id=after_id, force=force):
                bar.update(progress.analyzed)
    except KeyboardInterrupt:
        last = progress.last_id if progress else after_id
        raise click.ClickException(
            f"Interrupted. Batches up to answer {last} are saved; run again to continue"
            + (f" (with --all, add --after-id {last})." if force else ".")
        ) from None
    click.echo(f"Reanalysed {progress.done if progress else 0} answers.")


def init_app(app):
    from engagement.maintenance_cli import COMMANDS as maintenance_commands

    for command in (
        seed_command,
        demo_command,
        users_cli,
        analyze_text_command,
        themes_cli,
        *maintenance_commands,
    ):
        app.cli.add_command(command)
    from engagement.exports.cli import export_cli

    app.cli.add_command(export_cli)
