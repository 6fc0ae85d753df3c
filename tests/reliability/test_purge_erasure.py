"""A purge leaves no answer text behind in the database files, not only in its tables.

Deleted rows normally stay on disk until their space is reused: in SQLite's free pages and
its write-ahead log, in PostgreSQL's dead tuples. These tests read the raw bytes.
"""

from pathlib import Path

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.maintenance import Erasure
from tests.reliability.helpers import add_responses

MARKER = "PURGE-MARKER-7f3a9"


def add_old_and_new():
    """Three old responses carrying the marker in the comment and the contact's name, and
    two recent ones without it."""
    add_responses(
        [60, 45, 40],
        slug="old-survey",
        comment=MARKER + " comment {n}: more buses please",
        contact_name=MARKER + " family {n}",
        contact_every=1,
    )
    add_responses([5, 1], slug="new-survey")


def marked(blobs: dict[str, bytes]) -> list[str]:
    """Names of the blobs that contain the marker, in any letter case (phrases are lowered)."""
    needle = MARKER.lower().encode()
    return sorted(name for name, data in blobs.items() if needle in data.lower())


# --- SQLite ---------------------------------------------------------------------------------


@pytest.fixture
def sqlite_file(backend, app):
    if backend != "sqlite":
        pytest.skip("SQLite files; PostgreSQL is covered by the page-level test below")
    return Path(sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)


def sqlite_bytes(path: Path) -> dict[str, bytes]:
    """The database file and its write-ahead log, as they are on disk now."""
    files = [path, path.with_name(path.name + "-wal")]
    return {f.name: f.read_bytes() for f in files if f.exists()}


@pytest.mark.only_on("sqlite")
def test_purge_leaves_no_text_in_the_sqlite_file_or_its_wal(sqlite_file, seeded, runner):
    add_old_and_new()
    before = sqlite_bytes(sqlite_file)
    assert "test.sqlite-wal" in before
    assert marked(before), "the marker should be on disk before the purge"

    result = runner.invoke(args=["purge", "--older-than", "30", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Deleted: 3 responses" in result.output

    after = sqlite_bytes(sqlite_file)
    assert marked(after) == []
    # The recent responses are still there, on disk and through the app.
    assert b"Respuesta n" in b"".join(after.values())
    assert db.session.scalar(sa.text("SELECT count(*) FROM response")) == 2


@pytest.mark.only_on("sqlite")
def test_purge_vacuum_compacts_the_sqlite_file(sqlite_file, seeded, runner):
    # Long comments, so that a purge frees whole pages.
    long_comment = MARKER + " {n} " + "the late bus again, " * 90
    add_responses([60] * 8, slug="old-survey", comment=long_comment)
    add_responses([1], slug="new-survey")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = sqlite_file.stat().st_size

    result = runner.invoke(args=["purge", "--older-than", "30", "--yes", "--vacuum"])
    assert result.exit_code == 0, result.output
    assert "VACUUM rebuilt the database file" in result.output
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() == 0
    assert sqlite_file.stat().st_size < size_before
    assert marked(sqlite_bytes(sqlite_file)) == []


@pytest.mark.only_on("sqlite")
def test_vacuum_runs_even_when_nothing_is_left_to_delete(sqlite_file, seeded, runner):
    add_responses([60] * 8, slug="old-survey", comment="the late bus again, " * 90)
    result = runner.invoke(args=["purge", "--older-than", "30", "--yes"])
    assert result.exit_code == 0, result.output
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() > 0
    # Say the first purge ran while the app was busy: the administrator runs it again later.
    result = runner.invoke(args=["purge", "--older-than", "30", "--yes", "--vacuum"])
    assert result.exit_code == 0, result.output
    assert "Nothing to delete" in result.output
    assert "VACUUM rebuilt the database file" in result.output
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() == 0


def test_purge_help_says_what_each_engine_guarantees(runner):
    result = runner.invoke(args=["purge", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--vacuum" in text
    assert "SQLite" in text and "PostgreSQL" in text
    assert "VACUUM FULL" in text


# --- PostgreSQL -----------------------------------------------------------------------------


PURGED_TABLES = ["answer", "answer_analysis", "follow_up_contact", "response"]


@pytest.fixture
def raw_pages(backend, app):
    """A function returning {table: bytes of all its pages} read with pageinspect."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL pages; SQLite is covered by the file-level tests above")
    try:
        with db.engine.begin() as conn:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public"))
    except sa.exc.DBAPIError as error:
        pytest.skip(f"pageinspect is not available here: {error.orig}")
    with db.engine.connect() as conn:
        schema = conn.scalar(
            sa.text(
                "SELECT n.nspname FROM pg_extension e "
                "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pageinspect'"
            )
        )

    def read():
        pages = {}
        with db.engine.connect() as conn:
            for table in PURGED_TABLES:
                blocks = conn.scalar(
                    sa.text("SELECT pg_relation_size(:t) / current_setting('block_size')::int"),
                    {"t": table},
                )
                pages[table] = b"".join(
                    conn.scalar(
                        sa.text(f'SELECT "{schema}".get_raw_page(:t, :b)'),
                        {"t": table, "b": block},
                    )
                    for block in range(blocks)
                )
        return pages

    return read


@pytest.mark.only_on("postgresql")
def test_postgresql_purge_leaves_dead_tuples_until_vacuum_full(raw_pages, seeded, runner):
    add_old_and_new()
    assert {"answer", "follow_up_contact"} <= set(marked(raw_pages()))
    # Without --vacuum the rows are gone from every query but their bytes stay in the pages,
    # as the command's help says.
    result = runner.invoke(args=["purge", "--older-than", "50", "--yes"])
    assert result.exit_code == 0, result.output
    assert {"answer", "follow_up_contact"} <= set(marked(raw_pages()))

    result = runner.invoke(args=["purge", "--older-than", "30", "--yes", "--vacuum"])
    assert result.exit_code == 0, result.output
    assert "VACUUM FULL" in result.output
    assert marked(raw_pages()) == []
    assert db.session.scalar(sa.text("SELECT count(*) FROM response")) == 2


def test_a_busy_write_ahead_log_is_reported():
    # Another connection reading while the purge checkpoints keeps the old pages in the log.
    notes = " ".join(Erasure("sqlite", overwritten=True, wal_emptied=False).notes())
    assert "could not be emptied" in notes and "--vacuum" in notes
    notes = " ".join(Erasure("postgresql").notes())
    assert "VACUUM FULL" in notes
