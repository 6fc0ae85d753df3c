"""Engagement.public_state and is_accepting: one definition, the same in Python and in SQL."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from engagement.models import Engagement, EngagementStatus, PublicState
from tests.factories import make_engagement

NOW = datetime(2025, 3, 10, 15, 30, 0, 123456, tzinfo=UTC)
DAY = timedelta(days=1)

# Where a window edge lies relative to NOW; "now" is the exact instant (the edge cases).
EDGES = {"none": None, "past": NOW - DAY, "now": NOW, "future": NOW + DAY}

OPEN = PublicState.OPEN
NOT_YET = PublicState.NOT_YET_OPEN
CLOSED = PublicState.CLOSED

# What families see of an OPEN engagement, by (opens_at, closes_at), written out by hand so
# that Python and SQL cannot agree on a wrong answer. A window opens at opens_at and ends
# at closes_at: open from opens_at (included) until closes_at (excluded).
OPEN_STATUS_EXPECTED = {
    ("none", "none"): OPEN,
    ("none", "past"): CLOSED,
    ("none", "now"): CLOSED,
    ("none", "future"): OPEN,
    ("past", "none"): OPEN,
    ("past", "now"): CLOSED,
    ("past", "future"): OPEN,
    ("now", "none"): OPEN,
    ("now", "future"): OPEN,
    ("future", "none"): NOT_YET,
}
# The staff's word wins over the dates: a draft is never shown, a closed one stays closed.
OVERRIDES = {EngagementStatus.DRAFT: PublicState.DRAFT, EngagementStatus.CLOSED: CLOSED}


def valid_windows():
    """Every (opens, closes) pair the database accepts (closes_at > opens_at when both)."""
    for opens, closes in itertools.product(EDGES, repeat=2):
        if EDGES[opens] and EDGES[closes] and EDGES[closes] <= EDGES[opens]:
            continue
        yield opens, closes


def expected(status, opens, closes):
    if status in OVERRIDES:
        return OVERRIDES[status]
    return OPEN_STATUS_EXPECTED[(opens, closes)]


def test_the_expected_table_covers_every_valid_open_window():
    assert set(OPEN_STATUS_EXPECTED) == set(valid_windows())


@pytest.fixture
def engagements(db):
    """One engagement for each status and valid window: {(status, opens, closes): id}."""
    ids = {}
    for status in EngagementStatus:
        for opens, closes in valid_windows():
            engagement = Engagement(
                slug=f"{status}-{opens}-{closes}",
                kind="survey",
                status=status,
                opens_at=EDGES[opens],
                closes_at=EDGES[closes],
            )
            db.session.add(engagement)
            db.session.flush()
            ids[(status, opens, closes)] = engagement.id
    db.session.commit()
    db.session.expire_all()
    return ids


def test_python_and_sql_agree_with_the_table(db, engagements):
    in_sql = dict(db.session.execute(sa.select(Engagement.id, Engagement.public_state(NOW))).all())
    for (status, opens, closes), engagement_id in engagements.items():
        engagement = db.session.get(Engagement, engagement_id)
        want = expected(status, opens, closes)
        case = (status, opens, closes)
        assert engagement.public_state(NOW) is want, case
        assert in_sql[engagement_id] is want, case
        assert engagement.is_accepting(NOW) is (want is OPEN), case


def test_is_accepting_in_sql_selects_the_open_ones(db, engagements):
    selected = set(db.session.scalars(sa.select(Engagement.id).where(Engagement.is_accepting(NOW))))
    wanted = {i for case, i in engagements.items() if expected(*case) is OPEN}
    assert selected == wanted
    assert len(wanted) == 6  # the OPEN rows of OPEN_STATUS_EXPECTED


def test_sql_state_filters_and_compares_with_the_enum(db, engagements):
    for state in PublicState:
        query = sa.select(Engagement.id).where(Engagement.public_state(NOW) == state)
        assert set(db.session.scalars(query)) == {
            i for case, i in engagements.items() if expected(*case) is state
        }


def test_state_moves_with_time(db):
    engagement = make_engagement(slug="moving")
    opens, closes = engagement.opens_at, engagement.closes_at
    moments = {
        opens - timedelta(microseconds=1): NOT_YET,
        opens: OPEN,
        closes - timedelta(microseconds=1): OPEN,
        closes: CLOSED,
    }
    for moment, state in moments.items():
        assert engagement.public_state(moment) is state
        query = sa.select(Engagement.public_state(moment)).where(Engagement.id == engagement.id)
        assert db.session.scalar(query) is state


def test_default_now_is_the_current_time(db):
    running = make_engagement(slug="running")
    later = make_engagement(slug="later")
    later.opens_at = later.closes_at - timedelta(days=1)
    db.session.commit()
    assert running.public_state() is OPEN and running.is_accepting()
    assert later.public_state() is NOT_YET and not later.is_accepting()
    query = sa.select(Engagement.slug).where(Engagement.is_accepting())
    assert list(db.session.scalars(query)) == ["running"]
