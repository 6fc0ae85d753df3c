"""Fixtures of the reliability tests: a real server's database, and a world with one of
everything for the tests that walk every page."""

import pytest
from flask import g, request_started

from engagement.extensions import db
from engagement.models import Channel, Engagement, utcnow
from engagement.submissions import Submission, record_response
from tests.conftest import IN_CI, PG_URL, PostgresSchema
from tests.factories import group
from tests.reliability.live import prepare_database
from tests.staff.test_access_matrix import build_context


@pytest.fixture
def fresh_user_per_request(app):
    """Load the signed-in user anew on each request, as in production (see tests/staff)."""

    def forget(sender, **extra):
        g.pop("_login_user", None)

    request_started.connect(forget)
    yield
    request_started.disconnect(forget)


def add_response(engagement_id, n):
    """One fully answered response with a written comment."""
    engagement = db.session.get(Engagement, engagement_id)
    ids = {q.code: q.id for q in engagement.questions}
    parent = group("parent_guardian")
    return record_response(
        engagement,
        Submission(
            locale="en",
            channel=Channel.WEB,
            answers={
                ids["informed"]: "4",
                ids["news"]: "email",
                ids["help"]: ["childcare"],
                ids["rating"]: "3",
                ids["comments"]: f"More buses and evening meetings please, number {n}.",
            },
            group_ids=[parent.id],
            idempotency_key=f"no500-{engagement.slug}-{n:04d}-abcdefgh",
            submitted_at=utcnow(),
        ),
    )


@pytest.fixture
def world(seeded, fresh_user_per_request):
    """Engagements of councils ELPAC (B) and SEPAC (A) with one of everything and answers;
    signed-in users are loaded anew on every request, as in production."""
    ctx = build_context()
    for key in ("A", "B"):
        engagement = db.session.scalar(
            db.select(Engagement).where(Engagement.slug == ctx[key]["slug"])
        )
        receipts = [add_response(engagement.id, n).receipt_code for n in range(6)]
        ctx[key]["receipt"] = receipts[0]
        add_exchange(engagement)
    return ctx


def add_exchange(engagement):
    """Exchange mode on (issue 18), in its Share phase, with one approved idea: the
    exchange's pages are walked too."""
    from engagement import exchanges
    from engagement.models import EngagementKind, IdeaState

    engagement.kind = EngagementKind.FORUM
    db.session.commit()
    exchange = exchanges.enable(engagement)
    author = exchanges.new_participant(exchange, "en")
    idea = exchanges.share_idea(
        exchange, author, "Evening meetings with childcare.", "en", f"no500-idea-{engagement.id}"
    )
    exchanges.decide(exchange, idea.id, IdeaState.APPROVED)


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


def redis_client_or_skip(uri: str, what: str):
    """A connected Redis client at `uri`; without an answer the test fails in CI and is
    skipped elsewhere, saying which test (`what`) did not run."""
    import redis

    client = redis.Redis.from_url(uri, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        client.close()
        message = f"Redis at {uri} is not answering ({error}); {what} not run"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return client
