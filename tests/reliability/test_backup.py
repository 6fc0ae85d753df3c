"""`flask backup`: a consistent copy that opens with every row, on SQLite and PostgreSQL."""

import os
import shutil
import stat
import subprocess
import sys
import threading
import uuid

import pytest
import sqlalchemy as sa

from engagement import create_app
from engagement.extensions import db
from engagement.maintenance import pg_dump_command
from tests.conftest import PG_URL, PostgresSchema
from tests.reliability.helpers import add_responses, row_counts
from tests.reliability.live import ROOT


def migrated_app(url):
    """An app on `url` with the schema made by `flask db upgrade` (so `db current` works)."""
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return app


def head_revision():
    """The newest revision in migrations/versions (what a restored copy must be at)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def current_revision(url):
    """What `flask --app wsgi db current` prints for the database at `url`."""
    env = {**os.environ, "DATABASE_URL": url, "ENGAGEMENT_CONFIG": "testing"}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "current"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("SQLite backup API; PostgreSQL is covered by the pg_dump tests")


@pytest.mark.only_on("sqlite")
def test_sqlite_backup_restores_every_row(sqlite_only, tmp_path):
    source = migrated_app(f"sqlite:///{tmp_path / 'live.sqlite'}")
    with source.app_context():
        from engagement.seed import seed_district

        seed_district()
        db.session.commit()
        add_responses([1, 2, 3, 40, 50])
        with db.engine.connect() as conn:
            expected = row_counts(conn)
        assert expected["response"] == 5 and expected["answer_theme"] >= 5

        # A writer keeps adding audit rows while the backup runs: the copy must still open
        # cleanly (one consistent snapshot), and hold at least the rows written before.
        stop = threading.Event()

        def keep_writing():
            engine = sa.create_engine(f"sqlite:///{tmp_path / 'live.sqlite'}")
            with engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=10000")
            while not stop.is_set():
                with engine.begin() as conn:
                    conn.exec_driver_sql(
                        "INSERT INTO audit_log (at, actor, action, target, details) "
                        "VALUES ('2026-01-01 00:00:00', '', 'writer', '', '{}')"
                    )
            engine.dispose()

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            result = source.test_cli_runner().invoke(
                args=["backup", "--output", str(tmp_path / "copy.sqlite")]
            )
        finally:
            stop.set()
            writer.join()
        assert result.exit_code == 0, result.output
        assert "Backed up" in result.output
        db.engine.dispose()

    copy = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'copy.sqlite'}"}
    )
    with copy.app_context():
        with db.engine.connect() as conn:
            restored = row_counts(conn)
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert restored.pop("audit_log") >= expected.pop("audit_log")
        assert restored == expected
        assert current_revision(copy.config["SQLALCHEMY_DATABASE_URI"]).startswith(
            f"{head_revision()} (head)"
        )
        db.engine.dispose()


@pytest.mark.only_on("sqlite")
def test_backup_refuses_to_overwrite(sqlite_only, tmp_path):
    app = migrated_app(f"sqlite:///{tmp_path / 'live.sqlite'}")
    target = tmp_path / "exists.sqlite"
    target.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(target)])
    assert result.exit_code != 0 and "--force" in result.output
    assert target.read_text() == "keep me"
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_in_memory_database_has_nothing_to_back_up(tmp_path):
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path / "x")])
    assert result.exit_code != 0 and "in memory" in result.output


def test_postgresql_backup_prints_pg_dump_without_password(tmp_path):
    url = "postgresql+psycopg://survey:s3cret-pw@db.example:5433/engagement"
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path / "b.dump")])
    assert result.exit_code != 0
    assert (
        f"pg_dump --format=custom --no-owner --file={tmp_path / 'b.dump'} --host=db.example "
        "--port=5433 --username=survey engagement" in result.output
    )
    assert "pg_restore" in result.output
    assert "s3cret" not in result.output


@pytest.fixture
def pg_source(backend):
    if backend != "postgresql":
        pytest.skip("pg_dump round trip runs in the PostgreSQL pass")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed")
    schema = PostgresSchema(PG_URL, prefix="bak")
    yield schema
    schema.drop()


@pytest.mark.only_on("postgresql")
def test_postgresql_pg_dump_round_trip(pg_source, tmp_path):
    app = migrated_app(pg_source.url)
    dump = tmp_path / "engagement.dump"
    with app.app_context():
        from engagement.seed import seed_district

        seed_district()
        db.session.commit()
        add_responses([1, 2, 40])
        with db.engine.connect() as conn:
            expected = row_counts(conn)
        old_umask = os.umask(0o022)
        try:
            result = app.test_cli_runner().invoke(
                args=["backup", "--output", str(dump), "--run-pg-dump"]
            )
        finally:
            os.umask(old_umask)
        assert result.exit_code == 0, result.output
        # The archive holds families' answers: readable by its owner only.
        assert stat.S_IMODE(dump.stat().st_mode) == 0o600
        db.engine.dispose()

    # Restore into a fresh database and open it with a new app.
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"restore_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.ProgrammingError as error:
        pytest.skip(f"cannot create a scratch database to restore into: {error.orig}")
    try:
        target = sa.engine.make_url(pg_source.url).set(database=name)
        libpq_url = target.set(drivername="postgresql", query={})
        restore = [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={libpq_url.render_as_string(hide_password=False)}",
            str(dump),
        ]
        done = subprocess.run(restore, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        copy = create_app(
            {
                "CONFIG": "testing",
                "SQLALCHEMY_DATABASE_URI": target.render_as_string(hide_password=False),
            }
        )
        with copy.app_context():
            with db.engine.connect() as conn:
                assert row_counts(conn) == expected
            assert current_revision(copy.config["SQLALCHEMY_DATABASE_URI"]).startswith(
                f"{head_revision()} (head)"
            )
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_pg_dump_command_keeps_the_schema_of_the_search_path():
    url = sa.engine.make_url("postgresql+psycopg://u@h/db?options=-csearch_path%3Dtenant_a")
    assert "--schema=tenant_a" in pg_dump_command(url, "out.dump")
