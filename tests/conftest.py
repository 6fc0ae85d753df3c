"""Fixtures: every test runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set.

Each test gets a clean database: a fresh SQLite file, or a truncated PostgreSQL schema that
belongs to this test session only.
"""

import os
import uuid

import pytest
import sqlalchemy as sa

from engagement import create_app
from engagement.extensions import db as _db

PG_URL = os.environ.get("TEST_DATABASE_URL")
IN_CI = bool(os.environ.get("CI"))
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_configure(config):
    if IN_CI and not PG_URL:
        raise pytest.UsageError("CI must run the PostgreSQL tests: set TEST_DATABASE_URL.")


def pytest_collection_modifyitems(config, items):
    """A test marked only_on(engine) is collected for that engine's pass only: in the other
    pass it is not a test at all, rather than a skip."""
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("only_on")
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec else None
        if marker and backend is not None and backend != marker.args[0]:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def with_search_path(url: str, schema: str) -> str:
    """`url` with the connection's search_path set to `schema`."""
    return sa.engine.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})


class PostgresSchema:
    """A throw-away schema in the test database, so parallel runs never collide."""

    def __init__(self, url: str, prefix: str = "t"):
        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.admin = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with self.admin.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        except sa.exc.OperationalError as error:
            message = f"PostgreSQL at {url} is not reachable: {error.orig}"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        self.url = with_search_path(url, self.name).render_as_string(hide_password=False)

    def drop(self):
        with self.admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    """The database engine this pass of the suite runs on: 'sqlite' or 'postgresql'."""
    return request.param


@pytest.fixture(scope="session")
def pg_schema(backend):
    if backend != "postgresql":
        yield None
        return
    schema = PostgresSchema(PG_URL)
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": schema.url})
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()
    yield schema
    schema.drop()


@pytest.fixture
def database_url(backend, pg_schema, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return pg_schema.url


@pytest.fixture
def app(backend, database_url):
    """An app with a clean database for this test."""
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        if backend == "sqlite":
            _db.create_all()
        yield app
        _db.session.remove()
        if backend == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            with _db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seeded(app):
    """The district structure from engagement/data/district.json."""
    from engagement.seed import seed_district

    seed_district()
    return app
