"""The Alembic chain upgrades and downgrades on both engines and matches the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from engagement import create_app
from engagement.extensions import db
from tests.conftest import PG_URL, PostgresSchema


@pytest.fixture
def empty_database(backend, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    schema = PostgresSchema(PG_URL, prefix="mig")
    yield schema.url
    schema.drop()


def table_names():
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_check_downgrade(empty_database):
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        assert table_names() == set(db.metadata.tables)
        result = app.test_cli_runner().invoke(args=["db", "check"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert table_names() == set()
        upgrade()
        assert table_names() == set(db.metadata.tables)
        db.engine.dispose()
