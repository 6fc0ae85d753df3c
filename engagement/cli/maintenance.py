"""`flask backup` and `flask purge`: a consistent copy of the database, and retention."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from engagement import maintenance
from engagement.extensions import db
from engagement.models import utcnow


@click.command("backup")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (SQLite copy, or pg_dump custom-format archive).",
)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option(
    "--run-pg-dump",
    is_flag=True,
    help="PostgreSQL only: run pg_dump here instead of printing the command.",
)
@with_appcontext
def backup_command(output, force, run_pg_dump):
    """Write a consistent copy of the database while the app keeps running."""
    if output.exists() and not force:
        raise click.ClickException(f"{output} exists; choose another name or pass --force.")
    url = db.engine.url
    try:
        if url.get_backend_name() == "sqlite":
            maintenance.backup_sqlite(url, output)
            click.echo(f"Backed up {maintenance.sqlite_path(url)} to {output}.")
            click.echo(f"Restore: stop the app, then copy {output} over the database file.")
            return
        if url.get_backend_name() != "postgresql":
            raise click.ClickException(f"No backup method for {url.get_backend_name()}.")
        dump = maintenance.pg_dump_command(url, output)
        restore = maintenance.quoted(maintenance.pg_restore_command(url, output))
        if run_pg_dump:
            maintenance.run_pg_dump(url, output)
            click.echo(f"Backed up PostgreSQL database {url.database} to {output}.")
            click.echo(f"Restore into an empty database: {restore}")
            return
    except maintenance.MaintenanceError as error:
        raise click.ClickException(str(error)) from error
    raise click.ClickException(
        "PostgreSQL databases are backed up with pg_dump, which gives a consistent snapshot "
        "while the app runs. Run this (the password comes from PGPASSWORD or ~/.pgpass):\n"
        f"  {maintenance.quoted(dump)}\n"
        f"Restore into an empty database with:\n  {restore}\n"
        "Or run `flask --app wsgi backup --run-pg-dump --output PATH` where pg_dump is installed."
    )


@click.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    help="Delete responses submitted more than DAYS days ago (default: RETENTION_DAYS).",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--vacuum",
    is_flag=True,
    help="Also rewrite the database files without the deleted rows: VACUUM on SQLite, "
    "VACUUM FULL on PostgreSQL (locks the purged tables while it runs; run it when the app "
    "is quiet).",
)
@with_appcontext
def purge_command(days, dry_run, yes, vacuum):
    """Delete old responses with their answers, analyses, themes and contacts.

    \b
    What is left of the deleted text afterwards:
    - SQLite: the deleted rows are overwritten with zeros and the write-ahead log is
      emptied, so the text is gone from the database file and its -wal file (unless
      another connection was reading at that moment: the command then says so).
      --vacuum also rebuilds the file without its free pages.
    - PostgreSQL: the rows are gone from every query at once, but their bytes stay in
      the table files until reused; only --vacuum (VACUUM FULL) rewrites the tables
      without them. PostgreSQL's WAL archive and replicas keep the text until they
      age out.
    - Neither engine reaches earlier backups or export files.
    """
    if days is None:
        days = int(current_app.config.get("RETENTION_DAYS") or 0)
        if days < 1:
            raise click.ClickException(
                "RETENTION_DAYS is 0, which keeps every response. Set RETENTION_DAYS or pass "
                "--older-than DAYS."
            )
    now = utcnow()
    cutoff = maintenance.purge_cutoff(days, now)
    counts = maintenance.count_purgeable(cutoff)
    click.echo(f"Responses submitted before {cutoff:%Y-%m-%d %H:%M} UTC ({days} days ago):")
    click.echo(_summary(counts))
    if dry_run:
        click.echo("Dry run: nothing was deleted.")
        return
    if counts.responses == 0:
        click.echo("Nothing to delete.")
        if vacuum:
            for note in maintenance.erase_deleted_rows(vacuum=True).notes():
                click.echo(note)
        return
    if not yes:
        click.confirm("Delete these rows for good?", abort=True)
    done = maintenance.purge_responses(days, now=now, vacuum=vacuum)
    click.echo(f"Deleted: {_summary(done)}. Published report files are not affected.")
    for note in done.erasure.notes():
        click.echo(note)


def _summary(counts):
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.as_dict().items())
