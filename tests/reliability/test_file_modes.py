"""Files that hold families' answers are readable by their owner only, whatever the umask."""

import os
import sqlite3
import stat

import pytest

from engagement import create_app, make_instance_folder
from engagement.extensions import db
from tests.reliability.helpers import add_responses


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("file modes of SQLite files; the PostgreSQL server owns its own files")


@pytest.fixture
def loose_umask():
    """The usual default umask (0022): files would be world-readable unless the app says no."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def sqlite_files(path):
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


@pytest.mark.only_on("sqlite")
def test_sqlite_database_its_wal_and_backups_are_owner_only(sqlite_only, loose_umask, tmp_path):
    path = tmp_path / "live.sqlite"
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        from engagement.seed import seed_district

        seed_district()
        db.session.commit()
        add_responses([1, 2])
        files = sqlite_files(path)
        # The WAL and shared-memory files exist while a connection is open.
        assert all(f.exists() for f in files)
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}

        copy = tmp_path / "copy.sqlite"
        result = app.test_cli_runner().invoke(args=["backup", "--output", str(copy)])
        assert result.exit_code == 0, result.output
        assert mode(copy) == 0o600
        # --force over a file someone made world-readable: the new copy is owner-only too.
        copy.chmod(0o644)
        result = app.test_cli_runner().invoke(args=["backup", "--output", str(copy), "--force"])
        assert result.exit_code == 0, result.output
        assert mode(copy) == 0o600
        db.session.remove()
        db.engine.dispose()


@pytest.mark.only_on("sqlite")
def test_existing_world_readable_database_is_tightened(sqlite_only, loose_umask, tmp_path):
    # A database made before this rule (or by hand) with the umask's 0644.
    path = tmp_path / "old.sqlite"
    made = sqlite3.connect(path)
    made.execute("CREATE TABLE t (x)")
    made.close()
    path.chmod(0o644)
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        add_responses([1], contact_every=1)
        assert {f.name: mode(f) for f in sqlite_files(path)} == {
            f.name: 0o600 for f in sqlite_files(path)
        }
        db.session.remove()
        db.engine.dispose()


def test_in_memory_database_needs_no_file(loose_umask, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    assert list(tmp_path.iterdir()) == []


def test_instance_folder_is_created_owner_only(loose_umask, tmp_path):
    folder = tmp_path / "deploy" / "instance"
    assert make_instance_folder(folder) == folder
    assert mode(folder) == 0o700
    # An existing folder is left as the administrator set it.
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o750)
    make_instance_folder(shared)
    assert mode(shared) == 0o750
