"""Suspicious answers are stored and thanked like any other, but held out of every count
until staff release them: the same text sent again and again, and forms sent at machine
speed. Nothing is refused and nothing is dropped."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engagement import holds
from engagement.exports.responses import build_plan, stream_csv
from engagement.models import HoldReason, HoldState, Response
from engagement.public import tokens
from engagement.staff.services.responses import response_counts
from engagement.summary import summary_for
from tests.factories import make_engagement
from tests.public.conftest import field, responses, token_in, tr, valid_data

BURST = [
    "Please fire the principal now!!",
    "please FIRE the principal   now",
    "Please, fire the principal now.",
]


def send(client, survey, text, **extra):
    """One family's form with `text` as its written answer; the thank-you page must show."""
    data = valid_data(survey, **{field(survey, "comments"): text}, **extra)
    response = client.post("/e/family-survey", data=data)
    assert response.status_code == 303
    thanks = client.get(response.location)
    assert thanks.status_code == 200 and "Your receipt code" in thanks.get_data(as_text=True)
    return response


def held_reasons(db):
    return [(r.held_reason, r.hold_state) for r in responses(db)]


DUPLICATE = (HoldReason.DUPLICATE_TEXT, HoldState.HELD)


def test_the_same_text_three_times_holds_every_copy(client, survey, db):
    for text in BURST:
        send(client, survey, text)
    stored = responses(db)
    assert len(stored) == 3
    # The first two were counted until the third showed the burst; now all three wait.
    assert held_reasons(db) == [DUPLICATE] * 3
    assert all(r.held_at is not None for r in stored)
    assert [next(a.text for a in r.answers if a.text) for r in stored] == BURST


def test_two_copies_are_counted(client, survey, db):
    for text in BURST[:2]:
        send(client, survey, text)
    assert held_reasons(db) == [(None, None)] * 2


def test_short_answers_repeat_by_nature_and_are_never_held(client, survey, db):
    for _ in range(5):
        send(client, survey, "No comment!")
    assert held_reasons(db) == [(None, None)] * 5
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.counted)) == 5


def test_copies_are_counted_per_engagement_and_within_the_window(client, survey, db):
    other = make_engagement(slug="other-survey", questions=None)
    comments = next(q.id for q in other.questions if q.code == "comments")
    informed = next(q.id for q in other.questions if q.code == "informed")
    for _ in range(2):
        data = {f"q_{informed}": "3", f"q_{comments}": BURST[0], "token": tokens.issue(other.id)}
        assert client.post("/e/other-survey", data=data).status_code == 303
    send(client, survey, BURST[0])
    send(client, survey, BURST[1])
    # Two copies here and two in another engagement: no burst anywhere.
    assert held_reasons(db) == [(None, None)] * 4
    # Copies older than the window do not count either.
    for response in responses(db):
        response.submitted_at -= timedelta(minutes=11)
    db.session.commit()
    send(client, survey, BURST[2])
    assert held_reasons(db) == [(None, None)] * 5


def test_limit_and_window_are_settings(app, client, survey, db):
    app.config["DUPLICATE_TEXT_LIMIT"] = 5
    for text in BURST + BURST[:1]:
        send(client, survey, text)
    assert held_reasons(db) == [(None, None)] * 4
    send(client, survey, BURST[1])
    assert held_reasons(db) == [DUPLICATE] * 5


def test_a_released_copy_stays_released_when_the_burst_goes_on(client, survey, db):
    for text in BURST:
        send(client, survey, text)
    first = responses(db)[0]
    assert holds.decide([first.id], HoldState.RELEASED) == 1
    send(client, survey, BURST[0])
    assert [r.hold_state for r in responses(db)] == [HoldState.RELEASED] + [HoldState.HELD] * 3


class Clock:
    """A stand-in for the `time` module of engagement.public.tokens."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(app, monkeypatch):
    app.config["FORM_MIN_SECONDS"] = 3
    clock = Clock(1_900_000_000.0)
    monkeypatch.setattr(tokens, "time", SimpleNamespace(time=clock.time))
    return clock


def test_a_form_sent_at_machine_speed_is_held(app, client, survey, db, clock):
    token = token_in(client.get("/e/family-survey").get_data(as_text=True))
    clock.now += 1.5
    send(client, survey, "Sent faster than anyone reads", token=token)
    assert held_reasons(db) == [(HoldReason.MACHINE_SPEED, HoldState.HELD)]


def test_a_person_who_reads_the_form_is_counted(app, client, survey, db, clock):
    token = token_in(client.get("/e/family-survey").get_data(as_text=True))
    clock.now += 3.2
    send(client, survey, "I read every question first", token=token)
    assert held_reasons(db) == [(None, None)]


def test_a_double_tap_after_a_fast_send_stores_nothing_new(app, client, survey, db, clock):
    token = token_in(client.get("/e/family-survey").get_data(as_text=True))
    clock.now += 1
    first = send(client, survey, "Fast, then tapped again", token=token)
    again = send(client, survey, "Fast, then tapped again", token=token)
    assert first.location == again.location
    assert len(responses(db)) == 1


def summary_numbers(app, survey):
    with app.test_request_context("/"):
        summary = summary_for(survey)
        return summary.responses.n, summary.written.n, summary.themes


def csv_rows(app, survey):
    with app.test_request_context("/"):
        body = b"".join(stream_csv(build_plan(survey))).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_held_answers_are_left_out_of_every_count_until_released(app, client, survey, db):
    for n in range(5):
        send(client, survey, f"Family {n}: more evening meetings, please.")
    for text in BURST:
        send(client, survey, text)
    held = [r.id for r in responses(db) if r.hold_state == HoldState.HELD]
    assert len(held) == 3

    assert summary_numbers(app, survey)[:2] == (5, 5)
    assert response_counts([survey.id]) == {survey.id: 5}
    rows = csv_rows(app, survey)
    assert len(rows) == 5 and not any("principal" in row["comments"] for row in rows)

    assert holds.decide(held[:2], HoldState.RELEASED) == 2
    assert holds.decide(held[2:], HoldState.SET_ASIDE) == 1
    assert summary_numbers(app, survey)[:2] == (7, 7)
    assert response_counts([survey.id]) == {survey.id: 7}
    assert sum("principal" in row["comments"] for row in csv_rows(app, survey)) == 2
    # Decided answers are kept, and leave the queue.
    assert len(responses(db)) == 8 and holds.waiting_count() == 0


def test_held_texts_never_become_quotes_or_themes(app, client, survey, db):
    burst = ["The bus is always late to school!"] * 3
    for n in range(5):
        send(client, survey, f"Family {n} says the teachers communicate well with us.")
    for text in burst:
        send(client, survey, text)
    _responses, _written, themes = summary_numbers(app, survey)
    quotes = [q.text for t in themes for q in t.quotes]
    assert all("bus" not in q for q in quotes)
    assert all(t.code != "transportation" for t in themes)


def test_the_family_sees_the_usual_thanks_in_its_language(app, client, survey, db):
    for text in BURST[:2]:
        send(client, survey, text)
    data = valid_data(survey, **{field(survey, "comments"): BURST[2]})
    response = client.post("/e/family-survey?lang=es", data=data)
    body = client.get(response.location).get_data(as_text=True)
    assert tr(app, "es", "What happens next", template=True) in body
    assert held_reasons(db) == [DUPLICATE] * 3


class Statements:
    """Counts the SQL statements the app sends while it is active."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self.seen)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self.seen)

    def seen(self, *args):
        self.count += 1


def test_screening_costs_no_query_of_its_own_and_a_burst_one_update(app, client, survey, db):
    """The repeated-text count is part of the response's INSERT (engagement.submissions)."""

    def statements(text):
        """Statements of one submission whose texts have the same analysis (no themes)."""
        data = valid_data(survey, **{field(survey, "comments"): text})
        with Statements(db.engine) as counter:
            assert client.post("/e/family-survey", data=data).status_code == 303
        return counter.count

    statements("Fine.")  # the first request also fills the form cache
    short = statements("Fine.")  # too short to compare: no duplicate query
    long = "Fine, nothing else to add."
    assert statements(long) == short
    assert statements(long.upper()) == short
    # The update that holds the earlier copies, after taking them out of the counts
    # (engagement.aggregates: their four queries of facts and one upsert).
    assert statements(long + "!") == short + 1 + 5
