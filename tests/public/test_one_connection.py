"""A family request never holds two of the pool's connections at once.

Production runs gthread workers with as many pooled connections as threads and no overflow
(README, "Connection budget"). A request that took a second connection while holding its
first would, with every thread doing the same on a cold cache, leave each thread waiting for a
connection another one holds: the page hangs for the pool timeout and fails. Here the pool
has one connection and waits one second, so any request that needs two fails at once."""

import sqlalchemy as sa

from engagement import create_app
from engagement.extensions import db as _db
from engagement.models import Response
from tests.public.conftest import valid_data

ONE_CONNECTION = {"pool_pre_ping": True, "pool_size": 1, "max_overflow": 0, "pool_timeout": 1}


def test_family_pages_run_on_one_connection_from_a_cold_start(database_url, survey):
    data = valid_data(survey)  # built before the app under test exists: its caches are cold
    tight = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": ONE_CONNECTION,
        }
    )
    try:
        client = tight.test_client()
        assert client.get("/").status_code == 200
        assert client.get("/e/family-survey").status_code == 200
        assert client.get("/e/family-survey?lang=es").status_code == 200
        sent = client.post("/e/family-survey", data=data)
        assert sent.status_code == 303
        assert client.get(sent.headers["Location"]).status_code == 200
        assert client.get("/privacy").status_code == 200
        with tight.app_context():
            assert _db.session.scalar(sa.select(sa.func.count(Response.id))) == 1
            _db.session.remove()
    finally:
        with tight.app_context():
            _db.engine.dispose()
