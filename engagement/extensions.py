"""Flask extensions, created here once and bound to the app in `create_app`."""

import logging
import os
import stat
from pathlib import Path

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# One naming convention from the first migration on, so that later migrations can name,
# rename and drop constraints the same way on SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
compress = Compress()
# The client address is used only as an in-memory/Redis rate-limit key with a short expiry;
# it is never written to the database or the logs.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def owner_only_file(path: Path) -> Path:
    """Create `path` empty with mode 0600, or take group and other access off an existing file.

    Used for files that hold families' answers (the SQLite database, backups): a mode given
    at creation, not a chmod afterwards, so no other user can open the file in between.
    """
    path = Path(path)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)
    return path


@event.listens_for(Engine, "do_connect")
def _sqlite_owner_only(dialect, connection_record, cargs, cparams):
    """Make a SQLite database file owner-only before SQLite opens it.

    SQLite creates a new database file with the process umask (often 0644: world-readable)
    and gives its -wal and -shm files the database file's mode. Creating the file 0600 first
    makes all three owner-only, without changing the umask of the whole process (tests, the
    CLI and gunicorn workers create files of their own). Files made before this rule are
    tightened when the app connects.
    """
    if dialect.name != "sqlite" or not cargs or cparams.get("uri"):
        return
    name = str(cargs[0])
    if name in ("", ":memory:") or name.startswith("file:"):
        return
    path = Path(name)
    try:
        owner_only_file(path)
        for suffix in ("-wal", "-shm", "-journal"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                owner_only_file(companion)
    except FileNotFoundError:
        pass  # no such folder: SQLite itself says so when it opens the file
    except OSError as error:
        logging.getLogger(__name__).warning(
            "Could not make %s readable by its owner only: %s", path, error
        )


def _fold_or_none(fold):
    def fold_sql(value):
        return fold(value) if isinstance(value, str) else value

    return fold_sql


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL journal, a busy timeout and secure delete for every SQLite
    connection.

    secure_delete overwrites deleted rows with zeros, so that a purged answer or a removed
    contact does not linger in free pages. Measured when it was turned on, its cost was
    within run-to-run noise, both on a purge of 10,000 responses and on submissions.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    from engagement.themes.review import fold

    # The review page's search folds case and accents in SQL as `fold` does in Python.
    dbapi_connection.create_function("fold", 1, _fold_or_none(fold), deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
