"""Public results ("What we heard"): a published snapshot only, never a small group."""

import re

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    ActionStatus,
    Answer,
    AuditLog,
    EngagementStatus,
    LoopAction,
    LoopActionText,
    QuoteState,
    SnapshotScope,
    SummarySnapshot,
)
from engagement.summary import results
from tests.factories import group, make_engagement
from tests.public.conftest import LOCALES, TITLES
from tests.summary.helpers import add_response

K = 10  # REPORT_MIN_GROUP_SIZE in the testing config


def answers(engagement, n, start=0, **fields):
    fields.setdefault("themes", ["safety"])
    for i in range(start, start + n):
        add_response(engagement, f"Comment number {i} about the buses", **fields)


def public_rows(engagement):
    return db.session.scalars(
        sa.select(SummarySnapshot).where(
            SummarySnapshot.engagement_id == engagement.id,
            SummarySnapshot.scope == SnapshotScope.PUBLIC,
        )
    ).all()


def text_of(page) -> str:
    """The visible text of a page, tags removed, spaces collapsed."""
    body = page.get_data(as_text=True)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def closed(seeded):
    e = make_engagement(slug="closed-survey", titles=TITLES, status=EngagementStatus.CLOSED)
    return e


def test_a_closed_engagement_publishes_its_results_from_a_snapshot(client, closed):
    answers(closed, 14, locale="en")
    page = client.get("/e/closed-survey/results")
    assert page.status_code == 200
    text = text_of(page)
    assert "What we heard" in text and "Responses 14" in text
    (row,) = public_rows(closed)
    assert row.k == K and row.data["values"]["responses"] == 14
    # The page shows the snapshot's numbers, whatever the live rows say now.
    row.data = {**row.data, "values": {**row.data["values"], "responses": 4242}}
    db.session.commit()
    assert "Responses 4242" in text_of(client.get("/e/closed-survey/results"))


def test_published_results_stay_put_while_answers_arrive(app, client, seeded):
    e = make_engagement(slug="open-survey", titles=TITLES)
    answers(e, 12)
    with app.test_request_context("/"):
        assert results.publish(e) is not None
    answers(e, 20, start=12)  # live rows move; the published results do not
    text = text_of(client.get("/e/open-survey/results"))
    assert "Responses 12" in text and "32" not in text
    assert "still open" in text


def test_no_group_below_the_report_group_size(client, closed):
    sepac = group("sepac")
    answers(closed, 14, locale="en")
    answers(closed, 3, start=14, locale="es", groups=[sepac])  # 3 Spanish, 3 SEPAC
    page = client.get("/e/closed-survey/results")
    (row,) = public_rows(closed)
    values = row.data["values"]
    assert values["responses"] == 17
    assert values.get("language/es") is None
    # Complementary: 17 minus the English count would give the 3 Spanish answers back.
    assert values.get("language/en") is None
    assert values.get("group/sepac") is None
    for name, n in values.items():
        assert n is None or n == 0 or n >= K, name
    for table in row.data["tables"]:  # what a margin gives away by subtraction
        base = values.get(table["base"])
        shown = [values.get(name) for name in table["keys"]]
        if table["partition"] and base is not None and shown:
            rest = base - sum(n for n in shown if n is not None)
            assert rest == 0 or rest >= K, table["name"]
    text = text_of(page)
    assert "fewer than 10" in text
    took_part = text.split("Who took part", 1)[1].split("What families told us", 1)[0]
    assert not re.search(r"(?<![\d.,])3(?![\d.,%])", took_part)


def test_fewer_than_k_in_all_shows_nothing(client, closed):
    answers(closed, 7)
    text = text_of(client.get("/e/closed-survey/results"))
    assert "Fewer than 10 people took part" in text
    assert "Comment number" not in text


def test_quotes_are_approved_answers_only(app, client, closed):
    answers(closed, 12, sentiment=0.5)
    add_response(closed, "A pending comment", ["safety"], sentiment=0.99, quote=QuoteState.PENDING)
    text = text_of(client.get("/e/closed-survey/results"))
    quoted = re.findall(r"Comment number \d+ about the buses", text)
    assert quoted and "A pending comment" not in text
    # A quote staff reject after publishing leaves the page at once.
    first = db.session.scalar(sa.select(Answer).where(Answer.text == quoted[0]))
    first.quote_state = QuoteState.REJECTED
    db.session.commit()
    assert quoted[0] not in text_of(client.get("/e/closed-survey/results"))


@pytest.mark.parametrize("locale", LOCALES)
def test_renders_in_every_language(client, closed, locale):
    answers(closed, 12, locale="es")
    action = LoopAction(engagement=closed, status=ActionStatus.DONE)
    action.texts.append(LoopActionText(locale="en", heard="Buses late.", did="New routes."))
    db.session.add(action)
    db.session.commit()
    page = client.get(f"/e/closed-survey/results?lang={locale}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert TITLES[locale] in body and "New routes." in body
    assert ('dir="rtl"' in body) == (locale == "ar")
    if locale != "en":
        assert "What we heard" not in body


def test_draft_and_open_say_results_are_not_published(client, seeded):
    from datetime import timedelta

    from engagement.models import utcnow

    make_engagement(slug="draft-one", status=EngagementStatus.DRAFT)
    open_one = make_engagement(slug="open-one", titles=TITLES)
    open_one.closes_at = utcnow() + timedelta(days=9)
    db.session.commit()
    answers(open_one, 12)
    draft = client.get("/e/draft-one/results")
    assert draft.status_code == 200 and "Results not published yet" in text_of(draft)
    page = client.get("/e/open-one/results")
    assert page.status_code == 200
    text = text_of(page)
    assert "not published yet" in text and "open until" in text
    assert "Responses" not in text
    assert client.get("/e/no-such-thing/results").status_code == 404


def test_staff_publish_and_take_down_with_confirmation(app, client, seeded):
    from engagement.models import Role
    from tests.factories import make_user
    from tests.staff.conftest import sign_in

    e = make_engagement(slug="open-survey", titles=TITLES)
    answers(e, 12)
    make_user("staff@example.org", Role.STAFF)
    assert sign_in(client, "staff@example.org").status_code == 302
    asked = client.post("/staff/engagements/open-survey/results/publish")
    assert asked.status_code == 200 and "Publish the results?" in asked.get_data(as_text=True)
    assert public_rows(e) == []
    done = client.post("/staff/engagements/open-survey/results/publish", data={"confirm": "yes"})
    assert done.status_code == 302
    assert "Responses 12" in text_of(client.get("/e/open-survey/results"))
    client.post("/staff/engagements/open-survey/results/unpublish", data={"confirm": "yes"})
    assert "not published yet" in text_of(client.get("/e/open-survey/results"))
    # Taken down stays down after the close, until staff publish again.
    e.status = EngagementStatus.CLOSED
    db.session.commit()
    assert "not published yet" in text_of(client.get("/e/open-survey/results"))
    client.post("/staff/engagements/open-survey/results/publish", data={"confirm": "yes"})
    assert "Responses 12" in text_of(client.get("/e/open-survey/results"))
    actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert [a for a in actions if a.startswith("results.")] == [
        "results.publish",
        "results.unpublish",
        "results.publish",
    ]


def test_home_and_thanks_link_to_the_results(app, client, seeded, closed):
    answers(closed, 12)
    make_engagement(slug="quiet", status=EngagementStatus.CLOSED)  # nobody answered
    assert "/results" not in client.get("/").get_data(as_text=True)  # nothing published yet
    closed_page = client.get("/e/closed-survey").get_data(as_text=True)
    assert 'href="/e/closed-survey/results"' in closed_page
    client.get("/e/closed-survey/results")
    client.get("/e/quiet/results")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/e/closed-survey/results"' in home and "/e/quiet/results" not in home
    with app.test_request_context("/"):
        assert results.withdraw(closed)
    assert 'href="/e/closed-survey/results"' not in client.get("/").get_data(as_text=True)
    make_engagement(slug="family-survey", titles=TITLES)
    thanks = client.get("/e/family-survey/thanks").get_data(as_text=True)
    assert 'href="/e/family-survey/results"' in thanks


def test_closed_questions_are_charted_with_small_options_hidden(client, closed):
    for i in range(24):
        add_response(closed, f"c{i}", ["safety"], likert=(4 if i < 20 else 2))
    page = client.get("/e/closed-survey/results")
    (row,) = public_rows(closed)
    values = row.data["values"]
    assert values.get("option/informed/4") is None  # 20 shown would give the 4 away
    assert values.get("option/informed/2") is None
    text = text_of(page)
    assert "I feel informed." in text and "Answered: 24" in text
    assert "<meter" not in page.get_data(as_text=True).split("I feel informed.", 1)[1]


def test_closed_question_shares_are_shown_above_the_group_size(client, closed):
    for i in range(24):
        add_response(closed, f"c{i}", ["safety"], likert=(4 if i % 2 else 2))
    body = client.get("/e/closed-survey/results?lang=es").get_data(as_text=True)
    assert "Me siento informado." in body and "50" in text_of(
        client.get("/e/closed-survey/results")
    )
    question = body.split("Me siento informado.", 1)[1]
    assert question.count('<meter value="0.50"') == 2  # the two answers, as bars


def test_published_results_move_only_by_k_and_hide_small_changes(app, client, seeded):
    e = make_engagement(slug="open-survey", titles=TITLES)
    answers(e, 20, locale="en")
    with app.test_request_context("/"):
        first = results.publish(e)
        answers(e, 6, start=20, locale="es")  # 6 more: a new lead snapshot, not k more
        assert results.publish(e).id == first.id  # 26 next to 20 would single out the 6
        answers(e, 4, start=26, locale="es")
        answers(e, 6, start=30, locale="ht")
        second = results.publish(e)
    assert second.id != first.id
    values = second.data["values"]
    assert values["responses"] == 36
    assert values.get("language/ht") is None  # 6 Haitian Creole answers: a small group
    for name, n in values.items():  # no count moved by 1 to k-1 since the first publication
        before = first.data["values"].get(name)
        if n is not None and before is not None:
            assert n == before or abs(n - before) >= K, name
    text = text_of(client.get("/e/open-survey/results"))
    assert "Responses 36" in text


def test_closing_from_the_staff_page_publishes_the_results(client, seeded):
    from engagement.models import Role
    from tests.factories import make_user
    from tests.staff.conftest import sign_in

    e = make_engagement(slug="open-survey", titles=TITLES)
    answers(e, 12)
    make_user("staff@example.org", Role.STAFF)
    assert sign_in(client, "staff@example.org").status_code == 302
    client.post("/staff/engagements/open-survey/close", data={"confirm": "yes"})
    assert len(public_rows(e)) == 1
    detail = client.get("/staff/engagements/open-survey").get_data(as_text=True)
    assert 'href="/e/open-survey/results"' in detail and "Take the results down" in detail
