"""Council leads read exchange results only through snapshots: group averages of at least k
raters, never one that moved by 1 to k-1 raters since an earlier snapshot."""

from engagement.models import Role
from engagement.summary.exchange import published
from tests.exchange.helpers import approve_all, make_exchange, participant, share
from tests.exchange.test_results import rate
from tests.factories import group, make_user
from tests.staff.conftest import sign_in


def forum_of(council):
    exchange = make_exchange(slug="sepac-forum")
    exchange.engagement.council = group(council)
    from engagement.extensions import db

    db.session.commit()
    return exchange


def test_lead_reads_published_exchange_results(app, seeded, client):
    exchange = forum_of("sepac")
    ideas = [share(exchange, f"Idea {n}: interpreters at every meeting.") for n in range(5)]
    approve_all(exchange)
    parents = [participant(exchange, "es", ["parent_guardian"]) for _ in range(5)]
    for person in parents:
        rate(ideas[0], person, 5)
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    sign_in(client, lead.email)
    page = client.get("/staff/summary/sepac-forum").get_data(as_text=True)
    assert "Idea 0: interpreters" in page
    assert "5.00" in page  # the parents' average, 5 raters = k
    # The live results page stays staff-only.
    assert client.get("/staff/engagements/sepac-forum/exchange/results").status_code in (403, 404)


def test_group_average_that_moved_by_fewer_than_k_is_withheld(app, seeded):
    exchange = forum_of("sepac")
    idea = share(exchange, "Evening meetings.")
    approve_all(exchange)
    first = [participant(exchange, "es", ["parent_guardian"]) for _ in range(5)]
    for person in first:
        rate(idea, person, 4)
    before = published(exchange.id, 5, [])
    key = f"group:{group('parent_guardian').id}"
    (shown,) = before["ideas"]
    assert shown["groups"][key] == "4.00" and shown["mean"] == "4.00"
    # One more parent: 6 raters, but 6 - 5 < k against the earlier snapshot: withheld, or
    # the two averages would give that parent's stars.
    rate(idea, participant(exchange, "es", ["parent_guardian"]), 1)
    (after,) = published(exchange.id, 5, [before])["ideas"]
    assert key not in after["groups"] and after["mean"] is None
    # Without the earlier snapshot it would show; with k more raters it shows again.
    assert key in published(exchange.id, 5, [])["ideas"][0]["groups"]
    for _ in range(4):
        rate(idea, participant(exchange, "es", ["parent_guardian"]), 2)
    (later,) = published(exchange.id, 5, [before])["ideas"]
    assert later["groups"][key] == "2.90"  # (5*4 + 1 + 4*2) / 10


def test_small_groups_never_enter_the_snapshot(app, seeded):
    exchange = forum_of("sepac")
    idea = share(exchange, "Evening meetings.")
    approve_all(exchange)
    for _ in range(4):
        rate(idea, participant(exchange, "en", ["educator"]), 1)
    part = published(exchange.id, 5, [])
    assert part["ideas"][0]["groups"] == {} and part["ideas"][0]["mean"] is None
    assert all(n >= 5 for n in part["counts"].values())
