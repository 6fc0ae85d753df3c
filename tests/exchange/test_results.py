"""Discover: shrunk-mean ranking, group averages withheld below k, common ground, and the
same results from the same data."""

from fractions import Fraction

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import ExchangeExposure, ExchangeRating
from engagement.summary.exchange import PRIOR_WEIGHT, GroupKey, results
from tests.exchange.helpers import approve_all, make_exchange, participant, share
from tests.factories import group


def rate(idea, person, stars):
    """A rating as the Rate page stores it (after the idea was shown)."""
    db.session.add(ExchangeExposure(idea_id=idea.id, participant_id=person.id))
    db.session.add(ExchangeRating(idea_id=idea.id, participant_id=person.id, stars=stars))
    db.session.commit()


def people(exchange, n, locale="en", groups=()):
    return [participant(exchange, locale, groups) for _ in range(n)]


def test_few_high_ratings_do_not_outrank_many_good_ones(app, seeded):
    exchange = make_exchange()
    few, many = share(exchange, "Few ratings idea."), share(exchange, "Many ratings idea.")
    usual = [share(exchange, f"An ordinary idea {n}.") for n in range(3)]
    approve_all(exchange)
    for person in people(exchange, 3):
        rate(few, person, 5)
    crowd = people(exchange, 40)
    for n, person in enumerate(crowd):
        rate(many, person, 5 if n % 5 else 3)  # mean 4.6
        for idea in usual:
            rate(idea, person, 3)
    result = results(exchange.id, k=5)
    assert [r.idea_id for r in result.ranked][:2] == [many.id, few.id]
    top = result.ranked[0]
    global_mean = Fraction(3 * 5 + 32 * 5 + 8 * 3 + 120 * 3, 3 + 40 + 120)
    assert result.global_mean == global_mean
    assert top.score == (PRIOR_WEIGHT * global_mean + top.total) / (PRIOR_WEIGHT + 40)
    # Three ratings are fewer than k: the idea's own mean is not shown, its score is.
    assert result.ranked[1].mean is None and result.ranked[1].n == 3


def test_group_averages_below_k_are_withheld(app, seeded):
    exchange = make_exchange()
    idea = share(exchange, "Evening meetings with childcare.")
    approve_all(exchange)
    for person in people(exchange, 5, "es", ["parent_guardian"]):
        rate(idea, person, 4)
    for person in people(exchange, 4, "en", ["educator"]):
        rate(idea, person, 1)
    (row,) = results(exchange.id, k=5).ranked
    parents = GroupKey("group", group("parent_guardian").id)
    assert row.groups == {parents: Fraction(4), GroupKey("lang", "es"): Fraction(4)}
    # Educators (4) and English (4) are withheld: nothing of them is in the result.
    assert row.withheld == 2
    assert GroupKey("group", group("educator").id) not in row.groups
    # With k = 4 they show.
    (row,) = results(exchange.id, k=4).ranked
    assert row.groups[GroupKey("group", group("educator").id)] == Fraction(1)


def test_common_ground_and_divides(app, seeded):
    exchange = make_exchange()
    shared_view = share(exchange, "Translate every school notice.")
    split = share(exchange, "Move meetings to Saturday mornings.")
    approve_all(exchange)
    parents = people(exchange, 5, "es", ["parent_guardian"])
    educators = people(exchange, 5, "en", ["educator"])
    for person in parents + educators:
        rate(shared_view, person, 4)
    for person in parents:
        rate(split, person, 5)
    for person in educators:
        rate(split, person, 2)
    result = results(exchange.id, k=5)
    assert [r.idea_id for r in result.common_ground] == [shared_view.id]
    assert [r.idea_id for r in result.divides] == [split.id]
    assert result.divides[0].spread == 3


def test_rejected_and_pending_ideas_are_left_out(app, seeded):
    exchange = make_exchange()
    share(exchange, "Pending idea.")
    assert results(exchange.id, k=5).ranked == []


def snapshot(result):
    return [
        (r.idea_id, r.score, r.mean, sorted(r.groups.items(), key=lambda kv: kv[0].sort_key()))
        for r in result.ranked
    ] + [("common", [r.idea_id for r in result.common_ground])]


def test_same_data_same_results_whatever_the_row_order(app, seeded):
    exchange = make_exchange()
    ideas = [share(exchange, f"Idea {n} about the buses.") for n in range(6)]
    approve_all(exchange)
    crowd = people(exchange, 12, "es", ["parent_guardian"])
    # Equal scores on purpose: ties are ordered by id, not by storage order.
    plan = [
        (idea, person, 1 + (i * 7 + j * 3) % 5)
        for i, idea in enumerate(ideas)
        for j, person in enumerate(crowd)
    ]
    for idea, person, stars in plan:
        rate(idea, person, stars)
    first = snapshot(results(exchange.id, k=5))
    assert snapshot(results(exchange.id, k=5)) == first
    # The same ratings stored in the reverse order give the same results.
    db.session.execute(sa.delete(ExchangeRating))
    db.session.commit()
    for idea, person, stars in reversed(plan):
        db.session.add(ExchangeRating(idea_id=idea.id, participant_id=person.id, stars=stars))
    db.session.commit()
    assert snapshot(results(exchange.id, k=5)) == first
