"""Two app nodes behind Debian's nginx over one PostgreSQL and one Redis (README,
"Production, two or more machines"): each node a gunicorn on its own port, as if on its own
machine, with the same SECRET_KEY, DATABASE_URL and RATELIMIT_STORAGE_URI.

- many families at once through nginx: every accepted answer stored once, none doubled by a
  double-click (even when the two clicks reach different nodes), no 500; both nodes served;
  each node held no more database connections than its budget (workers x pool);
- a family may read the form on one node and send it to the other (form token, CSRF cookie
  and the thank-you page's session work across nodes);
- rate-limit counts are shared through Redis: the limit holds across both nodes;
- with one node down, nginx sends every family to the other.

PostgreSQL only (SQLite is one machine's database). Without nginx or Redis the tests fail in
CI (`make system-deps`; Redis at TEST_REDIS_URL), like the other proxy tests.
"""

import os
import random
import urllib.parse
import uuid
from urllib.parse import urljoin

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL, PostgresSchema
from tests.reliability.conftest import redis_client_or_skip
from tests.reliability.live import (
    RECEIPT_ON_PAGE,
    Family,
    fill_answers,
    parse_form,
    prepare_database,
    submit_once,
)
from tests.reliability.nodes import Cluster
from tests.reliability.test_concurrency import (
    check_nothing_lost_or_doubled,
    many_families,
    stored,
)
from tests.reliability.test_proxy import nginx_binary

pytestmark = [pytest.mark.slow, pytest.mark.only_on("postgresql")]

REDIS_URI = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Low enough to reach in a test, on sign-in only: answers have their own, high limit.
LOGIN_LIMIT = 4


@pytest.fixture(scope="module")
def cluster(backend, tmp_path_factory):
    """Two nodes (2 workers x 2 threads each) and nginx, on a throw-away PostgreSQL schema."""
    nginx_binary()
    redis = redis_client_or_skip(REDIS_URI, "two-node tests")
    prefix = f"nodes-{uuid.uuid4().hex[:10]}"
    schema = PostgresSchema(PG_URL, prefix="nodes")
    try:
        slug = prepare_database(schema.url)
        env = {
            "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
            # Every family of this test shares one address; the per-address limit on answers
            # is not what is tested here.
            "SUBMIT_RATE_LIMIT": "100000 per minute",
        }
        folder = tmp_path_factory.mktemp("nodes")
        with Cluster(schema.url, folder, REDIS_URI, prefix, env=env) as running:
            yield running, schema.url, slug
    finally:
        schema.drop()
        for key in redis.scan_iter(f"*{prefix}*"):
            redis.delete(key)
        redis.close()


def test_many_families_through_two_nodes_nothing_lost_or_doubled(cluster):
    nodes, url, slug = cluster
    results, crashes = many_families(nodes.host, slug)
    check_nothing_lost_or_doubled(url, results, crashes, nodes.logs())
    # nginx shares the answers out: each node took a good part of them.
    posts = nodes.posts_served()
    assert all(count >= sum(posts) // 4 for count in posts), posts
    # Connection budget: no node held more than workers x (pool + overflow) connections.
    connections = nodes.connections(url)
    assert set(connections) <= set(nodes.names), connections
    assert all(n <= nodes.connection_budget for n in connections.values()), connections


def post_form(family, path, pairs):
    status, response, body = family.post(path, pairs)
    assert status == 303, (status, body[:300])
    return urllib.parse.urlsplit(response.getheader("Location")).path


def test_a_family_reads_on_one_node_and_sends_to_the_other(cluster):
    nodes, url, slug = cluster
    first, second = (server.host for server in nodes.servers)
    family = Family(first)
    try:
        status, _response, html = family.get(f"/e/{slug}")
        assert status == 200
        form = parse_form(html)
        pairs, texts = fill_answers(form, random.Random(11), "moving family")
        hidden = list(form.hidden.items())
        family.close()
        family.host = second
        action = urljoin(f"/e/{slug}", form.action or "")  # relative, as a browser reads it
        thanks = post_form(family, action, hidden + pairs)
        family.close()
        family.host = first
        status, _response, page = family.get(thanks)
        assert status == 200
        receipt = RECEIPT_ON_PAGE.search(page).group(1)
        # The same form sent again (a double-click reaching the other node): stored once,
        # and the family sees the same receipt.
        again = post_form(family, action, hidden + pairs)
        status, _response, page = family.get(again)
        assert RECEIPT_ON_PAGE.search(page).group(1) == receipt
    finally:
        family.close()
    texts_stored, _count, _answers = stored(url)
    assert texts_stored[receipt] == texts
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            copies = conn.execute(
                sa.text("SELECT count(*) FROM response WHERE receipt_code = :r"), {"r": receipt}
            ).scalar()
    finally:
        engine.dispose()
    assert copies == 1


def failed_sign_in(host: str) -> int:
    """One wrong password at `host`'s sign-in page, sent with its form; the status."""
    family = Family(host)
    try:
        status, _response, html = family.get("/staff/login")
        assert status == 200, status
        form = parse_form(html)
        pairs = list(form.hidden.items()) + [
            ("email", "nobody@example.org"),
            ("password", "not the password, twice over"),
        ]
        status, _response, _body = family.post(form.action or "/staff/login", pairs)
        return status
    finally:
        family.close()


def test_rate_limit_counts_hold_across_both_nodes(cluster):
    nodes, _url, _slug = cluster
    first, second = (server.host for server in nodes.servers)
    # Alternate between the nodes: each sees only half the attempts, yet the shared count
    # in Redis refuses the one over the limit.
    statuses = [failed_sign_in(first if n % 2 == 0 else second) for n in range(LOGIN_LIMIT + 1)]
    assert statuses[:LOGIN_LIMIT] == [200] * LOGIN_LIMIT, statuses
    assert statuses[LOGIN_LIMIT] == 429, statuses


def test_with_one_node_down_families_are_served_by_the_other(cluster):
    # Last in this file: it stops a node. nginx finds out on its own (a refused connection
    # is tried on the next node, even for an answer's POST, which never reached a node).
    nodes, url, slug = cluster
    _texts, before, _answers = stored(url)
    nodes.stop_node(1)
    family = Family(nodes.host)
    try:
        for n in range(6):
            result = submit_once(family, slug, random.Random(100 + n), f"one node {n}")
            assert result.ok, result.error
    finally:
        family.close()
    _texts, after, _answers = stored(url)
    assert after == before + 6
    assert "Traceback" not in nodes.logs()
