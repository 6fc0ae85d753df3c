"""Rate-limit counts live in Redis when configured, so every worker and machine shares them."""

import json
import os
import subprocess
import sys
import uuid

import pytest

from engagement import create_app
from engagement.extensions import limiter
from tests.reliability.conftest import redis_client_or_skip

REDIS_URI = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# One app instance in its own process: create the app from the real config, add a route
# limited to 5 per minute, hit it N times and print the status codes.
INSTANCE = """
import json, sys
from engagement import create_app
from engagement.extensions import limiter
uri, prefix, hits = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                  "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": uri,
                  "RATELIMIT_KEY_PREFIX": prefix})
app.add_url_rule("/probe", view_func=limiter.limit("5 per minute")(lambda: "ok"))
client = app.test_client()
print(json.dumps([client.get("/probe").status_code for _ in range(hits)]))
"""


def run_instance(uri, prefix, hits):
    result = subprocess.run(
        [sys.executable, "-c", INSTANCE, uri, prefix, str(hits)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_uri():
    redis_client_or_skip(REDIS_URI, "shared-count test").close()
    return REDIS_URI


def test_two_app_instances_share_one_count_in_redis(redis_uri):
    prefix = f"test-{uuid.uuid4().hex}"
    try:
        assert run_instance(redis_uri, prefix, 3) == [200, 200, 200]
        # The second instance sees the first one's 3 hits: the 6th request overall is refused.
        assert run_instance(redis_uri, prefix, 3) == [200, 200, 429]
    finally:
        import redis

        client = redis.Redis.from_url(redis_uri)
        for key in client.scan_iter(f"*/{prefix}/*"):
            client.delete(key)


def test_memory_storage_is_per_instance():
    # The control: without Redis each process counts alone, which is why production needs it.
    prefix = f"test-{uuid.uuid4().hex}"
    assert run_instance("memory://", prefix, 3) == [200, 200, 200]
    assert run_instance("memory://", prefix, 3) == [200, 200, 200]


def test_unreachable_redis_never_blocks_a_request(database_url):
    app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    )
    app.add_url_rule("/probe", view_func=limiter.limit("2 per minute")(lambda: "ok"))
    client = app.test_client()
    # Redis is down: the limiter falls back to counting in memory instead of failing.
    assert [client.get("/probe").status_code for _ in range(3)] == [200, 200, 429]
