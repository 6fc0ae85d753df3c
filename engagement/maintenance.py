"""Backups and retention: plain functions behind `flask backup` and `flask purge`."""

import os
import shlex
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from engagement import audit
from engagement.extensions import db, owner_only_file
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    FollowUpContact,
    Response,
    response_group,
    utcnow,
)


class MaintenanceError(RuntimeError):
    """A backup or purge that cannot be done as asked; the message says what to do."""


# --- backup ---------------------------------------------------------------------------------


def sqlite_path(url: URL) -> Path:
    """The file behind a SQLite URL; refuses in-memory databases."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
        raise MaintenanceError("This SQLite database is in memory; there is no file to back up.")
    return Path(url.database)


def backup_sqlite(url: URL, output: Path) -> Path:
    """Copy the SQLite database at `url` to `output` with the online backup API.

    The copy is consistent even while the app is writing: SQLite copies the pages of one
    snapshot. It is written next to `output` first and renamed into place, so a failed
    backup never leaves a half-written file under the final name. The copy is readable by
    its owner only (0600), whatever the umask.
    """
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise MaintenanceError(f"The database file {source_path} does not exist.")
    output = Path(output)
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    owner_only_file(partial)
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise MaintenanceError(f"The backup copy failed its integrity check: {check}")
    finally:
        target.close()
        source.close()
    partial.replace(output)
    return output


def pg_dump_command(url: URL, output: Path) -> list[str]:
    """The pg_dump command (custom format) for the database at `url`, without the password."""
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={output}"]
    if url.host:
        command.append(f"--host={url.host}")
    if url.port:
        command.append(f"--port={url.port}")
    if url.username:
        command.append(f"--username={url.username}")
    options = url.query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    for option in options.split():
        if option.startswith("-csearch_path="):
            for schema in option.split("=", 1)[1].split(","):
                command.append(f"--schema={schema.strip()}")
    command.append(url.database or "")
    return command


def pg_restore_command(url: URL, dump: Path) -> list[str]:
    """The matching pg_restore command, into an empty database named like the source."""
    command = ["pg_restore", "--no-owner", "--exit-on-error"]
    if url.host:
        command.append(f"--host={url.host}")
    if url.port:
        command.append(f"--port={url.port}")
    if url.username:
        command.append(f"--username={url.username}")
    command += [f"--dbname={url.database or ''}", str(dump)]
    return command


def run_pg_dump(url: URL, output: Path) -> Path:
    """Run pg_dump for `url`; the password, if any, goes through PGPASSWORD, never argv.

    Like the SQLite copy, the archive is written owner-only (0600) next to `output` and
    renamed into place when pg_dump succeeds.
    """
    output = Path(output)
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    owner_only_file(partial)
    command = pg_dump_command(url, partial)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    try:
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, check=False, umask=0o077
        )
    except FileNotFoundError as error:
        partial.unlink(missing_ok=True)
        raise MaintenanceError(
            "pg_dump is not installed here. Install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) or run this on the database server:\n  "
            + shlex.join(pg_dump_command(url, output))
        ) from error
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise MaintenanceError(f"pg_dump failed: {result.stderr.strip()}")
    partial.replace(output)
    return output


def quoted(command: list[str]) -> str:
    """A command line that can be pasted into a shell."""
    return shlex.join(command)


# --- retention ------------------------------------------------------------------------------


@dataclass
class PurgeCounts:
    responses: int = 0
    answers: int = 0
    analyses: int = 0
    themes: int = 0
    contacts: int = 0
    group_links: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def purge_cutoff(days: int, now: datetime | None = None) -> datetime:
    """The moment before which responses are purged."""
    if days < 1:
        raise MaintenanceError("The retention period must be at least 1 day.")
    return (now or utcnow()) - timedelta(days=days)


def count_purgeable(cutoff: datetime) -> PurgeCounts:
    """How many rows a purge at `cutoff` removes, table by table."""
    old = sa.select(Response.id).where(Response.submitted_at < cutoff)
    old_answers = sa.select(Answer.id).where(Answer.response_id.in_(old))

    def count(table, column, ids):
        query = sa.select(sa.func.count()).select_from(table).where(column.in_(ids))
        return db.session.scalar(query)

    return PurgeCounts(
        responses=db.session.scalar(sa.select(sa.func.count()).select_from(old.subquery())),
        answers=count(Answer, Answer.response_id, old),
        analyses=count(AnswerAnalysis, AnswerAnalysis.answer_id, old_answers),
        themes=count(AnswerTheme, AnswerTheme.answer_id, old_answers),
        contacts=count(FollowUpContact, FollowUpContact.response_id, old),
        group_links=count(response_group, response_group.c.response_id, old),
    )


def purge_responses(days: int, dry_run: bool = False, now: datetime | None = None) -> PurgeCounts:
    """Delete responses submitted more than `days` days ago, with everything hanging off them.

    One transaction, audited in the same commit. Children are deleted explicitly (deepest
    first) rather than left to ON DELETE CASCADE, so the purge does not depend on SQLite's
    foreign-key pragma. Published reports are files and keep their aggregates.
    """
    cutoff = purge_cutoff(days, now)
    counts = count_purgeable(cutoff)
    if dry_run or counts.responses == 0:
        return counts
    old = sa.select(Response.id).where(Response.submitted_at < cutoff)
    old_answers = sa.select(Answer.id).where(Answer.response_id.in_(old))
    statements = [
        sa.delete(AnswerTheme).where(AnswerTheme.answer_id.in_(old_answers)),
        sa.delete(AnswerAnalysis).where(AnswerAnalysis.answer_id.in_(old_answers)),
        sa.delete(Answer).where(Answer.response_id.in_(old)),
        sa.delete(FollowUpContact).where(FollowUpContact.response_id.in_(old)),
        sa.delete(response_group).where(response_group.c.response_id.in_(old)),
        sa.delete(Response).where(Response.submitted_at < cutoff),
    ]
    done = PurgeCounts()
    fields = ["themes", "analyses", "answers", "contacts", "group_links", "responses"]
    try:
        for name, statement in zip(fields, statements, strict=True):
            options = {"synchronize_session": False}
            result = db.session.execute(statement, execution_options=options)
            setattr(done, name, result.rowcount)
        audit.record(
            "responses.purge",
            target=f"older than {days} days",
            details={"cutoff": cutoff.isoformat(), **done.as_dict()},
            row_count=done.responses,
            actor="cli",
            commit=False,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return done
