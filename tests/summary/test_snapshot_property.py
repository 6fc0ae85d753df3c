"""Council leads, by brute force: every snapshot a lead can read, of every scope, at every
moment, checked with the independent checker (tests/summary/privacy_checker.py).

Each example: a council with two engagements (and another council's), responses arriving in
three rounds, the lead reading every engagement snapshot and the council-wide snapshot after
each round, one engagement closing on the way. Then every stored snapshot is a view:
- its numbers are true and 0 or >= k;
- any two whose people are nested (a later snapshot of the same scope and an earlier one;
  the council and an engagement it adds up, at any moment) differ by 0 or >= k in every
  count both show -- and, within one scope over time, in every group of cells a reader
  can add up or subtract from a total;
- no hidden cell of a table can be worked out, nor of the council's linked table whose rows
  are the engagement snapshots it adds up.
"""

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from engagement.extensions import db
from engagement.models import EngagementStatus, SnapshotScope, SummarySnapshot
from engagement.summary.snapshots import council_snapshot, engagement_snapshot
from tests.factories import group, make_engagement
from tests.summary.privacy_checker import (
    View,
    check_linked,
    check_pair,
    check_tables,
    check_view,
    dimensions_of,
)
from tests.summary.property_data import add, clear, person_spec

SETTINGS = settings(
    max_examples=int(os.environ.get("PRIVACY_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
    phases=[Phase.generate] if os.environ.get("NO_SHRINK") else tuple(Phase),
)

rounds = st.lists(
    st.lists(st.lists(person_spec, max_size=7), min_size=3, max_size=3),  # per engagement
    min_size=3,
    max_size=3,
)


@pytest.fixture
def ctx(app, seeded):
    with app.test_request_context("/"):
        yield app


@SETTINGS
@given(k=st.sampled_from([3, 5]), data=rounds, close_after=st.integers(0, 2))
def test_no_small_group_across_every_snapshot_a_lead_can_read(ctx, k, data, close_after):
    ctx.config["MIN_GROUP_SIZE"] = k
    clear()
    sepac, elpac = group("sepac"), group("elpac")
    engagements = [
        make_engagement(slug="survey", council=sepac),
        make_engagement(slug="forum", kind="forum", council=sepac),
        make_engagement(slug="other", council=elpac),
    ]
    people = {}
    for index, batch in enumerate(data):
        for engagement, specs in zip(engagements, batch, strict=True):
            for spec in specs:
                person = add(engagement, spec)
                people[person.id] = person
        if index == close_after:
            engagements[1].status = EngagementStatus.CLOSED
            db.session.commit()
        for engagement in engagements:
            engagement_snapshot(engagement)
        council_snapshot(sepac)
        council_snapshot(elpac)
    views, sources = _views(people)
    for view in views.values():
        check_view(view, people, k)
        check_tables(view, people, k)
    for a in views.values():
        for b in views.values():
            if a is not b and b.people <= a.people and b.people:
                same_scope = a.label.split("@")[0] == b.label.split("@")[0]
                check_pair(a, b, people, k, unions=same_scope)
    for snapshot_id, rows in sources.items():
        check_linked(views[snapshot_id], [views[r] for r in rows], people, k)


def _views(people):
    """Every stored snapshot as a checker view, and each council snapshot's rows."""
    snapshots = db.session.query(SummarySnapshot).order_by(SummarySnapshot.id).all()
    views, sources = {}, {}
    for s in snapshots:
        if s.scope == SnapshotScope.ENGAGEMENT:
            last = s.counts["last_response_id"]
            ids = frozenset(
                p.id for p in people.values() if p.engagement == s.engagement_id and p.id <= last
            )
            label = f"engagement {s.engagement_id}@{s.id}"
        else:
            sources[s.id] = s.data["sources"]
            ids = frozenset().union(*(views[r].people for r in s.data["sources"]))
            label = f"council {s.council_id}@{s.id}"
        values = s.data["values"]
        responses = values.get("responses")
        views[s.id] = View(
            label,
            ids,
            values,
            withheld=responses is None,
            dimensions=dimensions_of(values) | {"theme", "group"},
        )
    return views, sources
