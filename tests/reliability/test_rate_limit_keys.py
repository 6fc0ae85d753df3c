"""Rate-limit keys name a client address: with the default limits they expire within minutes.

The limits are a high last line, not the abuse control: a school's families sending from one
address (a family night on the school's Wi-Fi) all get through.
"""

import os

import pytest

from config import Config
from engagement import create_app
from engagement.extensions import db
from tests.factories import PASSWORD, make_engagement, make_user
from tests.public.conftest import survey_questions, valid_data
from tests.reliability.conftest import redis_client_or_skip

# Database 9: test_rate_limit_storage.py uses database 0 (TEST_REDIS_URL).
REDIS_URI = os.environ.get("TEST_REDIS_KEYS_URL", "redis://127.0.0.1:6379/9")
# The longest a key holding a client address may live.
MAX_TTL_SECONDS = 15 * 60


@pytest.fixture
def redis_client():
    client = redis_client_or_skip(REDIS_URI, "key expiry test")
    yield client
    client.close()


@pytest.fixture
def limited(app, database_url, redis_client):
    """An app with the default limits, counted in this test's own Redis database.

    The database is emptied before and after: Flask-Limiter keeps the key prefix of the first
    app made in a process, so a prefix cannot tell this test's keys apart.
    """
    redis_client.flushdb()
    limited = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": REDIS_URI,
        }
    )
    assert limited.config["SUBMIT_RATE_LIMIT"] == Config.SUBMIT_RATE_LIMIT
    assert limited.config["LOGIN_RATE_LIMIT"] == Config.LOGIN_RATE_LIMIT
    with limited.app_context():
        yield limited
        db.session.remove()
        db.engine.dispose()
    redis_client.flushdb()


def ttls(redis_client, endpoint):
    """{key: seconds to live} of the limiter's keys for `endpoint`."""
    # Flask-Limiter names them "LIMITS:LIMITER/<prefix>/<address>/<endpoint>/<limit>".
    keys = [k.decode() for k in redis_client.scan_iter(f"*/{endpoint}/*")]
    return {key: redis_client.ttl(key) for key in keys}


def test_sixty_families_from_one_address_all_get_through(limited, seeded, redis_client):
    app = limited
    survey = make_engagement(slug="family-survey", questions=survey_questions())
    client = app.test_client()
    codes = [
        client.post("/e/family-survey", data=valid_data(survey)).status_code for _ in range(60)
    ]
    assert codes == [303] * 60
    keys = ttls(redis_client, "public.engagement")
    assert keys, "the submissions should have been counted in Redis"
    # -1 would mean "never expires", -2 "already gone".
    assert all(0 < ttl <= MAX_TTL_SECONDS for ttl in keys.values()), keys


def test_sign_in_keys_expire_within_minutes(limited, redis_client):
    app = limited
    make_user("staff@example.org")
    client = app.test_client()
    for password in ["wrong", "also wrong", PASSWORD]:
        data = {"email": "staff@example.org", "password": password}
        assert client.post("/staff/login", data=data).status_code in {200, 302}
    keys = ttls(redis_client, "staff.login")
    assert keys, "the sign-in attempts should have been counted in Redis"
    assert all(0 < ttl <= MAX_TTL_SECONDS for ttl in keys.values()), keys
