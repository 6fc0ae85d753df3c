"""Backups and retention: plain functions behind `flask backup` and `flask purge`."""

import os
import shlex
import sqlite3
import subprocess  # nosec B404: pg_dump/pg_restore run with an argument list, never a shell
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from engagement import aggregates, audit
from engagement.extensions import db, owner_only_file
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    FollowUp,
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
        # fixed pg_dump argument list built from our own settings, no shell (bandit B603)
        result = subprocess.run(  # nosec B603
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

# The tables a purge deletes from, which VACUUM FULL rewrites on PostgreSQL.
PURGED_TABLES = [
    AnswerTheme.__table__,
    AnswerAnalysis.__table__,
    Answer.__table__,
    FollowUpContact.__table__,
    FollowUp.__table__,
    response_group,
    Response.__table__,
]


@dataclass
class Erasure:
    """What became of the bytes of the rows a purge deleted."""

    backend: str
    # SQLite: the deleted rows were overwritten with zeros (PRAGMA secure_delete).
    overwritten: bool = False
    # SQLite: the write-ahead log, which still held the old pages, was copied back and emptied.
    wal_emptied: bool = False
    # VACUUM (SQLite) or VACUUM FULL (PostgreSQL) rewrote the files.
    vacuumed: bool = False

    def notes(self) -> list[str]:
        """What an administrator should know, one sentence each."""
        if self.backend == "sqlite":
            notes = []
            if self.vacuumed:
                notes.append("VACUUM rebuilt the database file without its free pages.")
            elif not self.overwritten:
                notes.append(
                    "SQLite did not confirm secure_delete: deleted text may remain in free "
                    "pages. Run the purge again with --vacuum."
                )
            if self.wal_emptied:
                notes.append("The write-ahead log (-wal file) was emptied.")
            else:
                notes.append(
                    "The write-ahead log could not be emptied because another connection was "
                    "reading: deleted text may remain in the -wal file. Run the purge again "
                    "with --vacuum when the app is quiet."
                )
            return notes
        if self.vacuumed:
            return ["VACUUM FULL rewrote the purged tables without the deleted rows."]
        return [
            "PostgreSQL keeps the bytes of deleted rows in its table files until they are "
            "reused; run the purge with --vacuum (VACUUM FULL, which locks the tables while it "
            "runs) to rewrite the tables without them."
        ]


@dataclass
class PurgeCounts:
    responses: int = 0
    answers: int = 0
    analyses: int = 0
    themes: int = 0
    contacts: int = 0
    group_links: int = 0
    follow_ups: int = 0
    # Set by purge_responses once it has deleted rows or vacuumed.
    erasure: Erasure | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "erasure"}


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
        follow_ups=count(FollowUp, FollowUp.response_id, old),
    )


def purge_responses(
    days: int, dry_run: bool = False, now: datetime | None = None, vacuum: bool = False
) -> PurgeCounts:
    """Delete responses submitted more than `days` days ago, with everything hanging off them.

    One transaction, audited in the same commit. Children are deleted explicitly (deepest
    first) rather than left to ON DELETE CASCADE, so the purge does not depend on SQLite's
    foreign-key pragma. Published reports are files and keep their aggregates. Then the
    deleted rows' bytes are erased as far as the engine allows (see `erase_deleted_rows`).
    """
    cutoff = purge_cutoff(days, now)
    counts = count_purgeable(cutoff)
    if dry_run:
        return counts
    if counts.responses == 0:
        # Nothing new to delete, but a vacuum asked for (say after a busy purge) still runs.
        if vacuum:
            counts.erasure = erase_deleted_rows(vacuum=True)
        return counts
    old = sa.select(Response.id).where(Response.submitted_at < cutoff)
    # Counts first, while the rows are still there to say what they counted for.
    aggregates.remove_where(Response.submitted_at < cutoff)
    old_answers = sa.select(Answer.id).where(Answer.response_id.in_(old))
    statements = [
        sa.delete(FollowUp).where(FollowUp.response_id.in_(old)),
        sa.delete(AnswerTheme).where(AnswerTheme.answer_id.in_(old_answers)),
        sa.delete(AnswerAnalysis).where(AnswerAnalysis.answer_id.in_(old_answers)),
        sa.delete(Answer).where(Answer.response_id.in_(old)),
        sa.delete(FollowUpContact).where(FollowUpContact.response_id.in_(old)),
        sa.delete(response_group).where(response_group.c.response_id.in_(old)),
        sa.delete(Response).where(Response.submitted_at < cutoff),
    ]
    done = PurgeCounts()
    names = ["follow_ups", "themes", "analyses", "answers", "contacts", "group_links", "responses"]
    overwritten = False
    try:
        if db.session.get_bind().dialect.name == "sqlite":
            # Every SQLite connection already zeroes what it deletes (_sqlite_pragmas in
            # extensions.py); the purge's help promises it, so make sure on this connection.
            pragma = sa.text("PRAGMA secure_delete=ON")
            overwritten = db.session.execute(pragma).scalar() == 1
        for name, statement in zip(names, statements, strict=True):
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
    done.erasure = erase_deleted_rows(vacuum=vacuum)
    done.erasure.overwritten = overwritten
    return done


def erase_deleted_rows(vacuum: bool = False) -> Erasure:
    """Remove the bytes of deleted rows from the database files, as far as the engine allows.

    SQLite: the old pages stay in the write-ahead log after a delete; a TRUNCATE checkpoint
    copies the current pages into the database file and empties the log. `vacuum` runs VACUUM
    first, which rebuilds the file without free pages. PostgreSQL: deleted rows stay in the
    table files (plain VACUUM only marks their space reusable); `vacuum` runs VACUUM FULL,
    which writes each purged table to a new file and removes the old one, holding an
    exclusive lock on it meanwhile. Neither engine reaches backups, PostgreSQL's own WAL
    segments and replicas, or blocks the file system has already freed.
    """
    engine = db.session.get_bind()
    backend = engine.dialect.name
    erasure = Erasure(backend=backend)
    # VACUUM cannot run inside a transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if backend == "sqlite":
            if vacuum:
                conn.exec_driver_sql("VACUUM")
                erasure.vacuumed = True
            busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            erasure.wal_emptied = busy == 0
        elif backend == "postgresql" and vacuum:
            quote = conn.dialect.identifier_preparer.format_table
            for table in PURGED_TABLES:
                conn.exec_driver_sql(f"VACUUM (FULL, ANALYZE) {quote(table)}")
            erasure.vacuumed = True
    return erasure
