"""Fixtures of the reliability tests that run a real server."""

import pytest

from tests.conftest import PG_URL, PostgresSchema
from tests.reliability.live import prepare_database


@pytest.fixture
def live_database(backend, tmp_path):
    """A database URL with schema, district and the 10-question survey, nothing else."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'live.sqlite'}"
        yield url, prepare_database(url)
        return
    schema = PostgresSchema(PG_URL, prefix="live")
    try:
        yield schema.url, prepare_database(schema.url)
    finally:
        schema.drop()
