"""Per-engagement aggregates against the raw rows, on random data (issue 17).

Random responses go in through the real write path (record_response), then everything that
changes what is counted happens to them: held answers released or set aside, earlier copies
held by a burst, reviewers' re-codes, a re-analysis, a deleted response, a purge. After each
step the stored counts must equal the raw rows' grouped queries (`aggregated.compare`), a
rebuild must store exactly the same cells, and the summaries read from the aggregates must
equal the summaries read from the raw rows.
"""

import dataclasses
import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engagement import aggregates, holds
from engagement.extensions import db
from engagement.maintenance import purge_responses
from engagement.models import (
    Answer,
    Channel,
    HoldReason,
    HoldState,
    RaceEthnicity,
    Response,
    ResponseAggregate,
    School,
    StakeholderGroup,
    utcnow,
)
from engagement.submissions import Submission, record_response
from engagement.summary import SummaryFilters, aggregated, build_summary, summary_for
from engagement.themes import review
from engagement.themes.store import reanalyze
from tests.factories import make_engagement

TEXTS = [
    ("en", "The bus is always late and the drivers do not call us"),
    ("en", "We need an interpreter at meetings, my English is not good"),
    ("en", "Teachers are wonderful and my child feels safe at school"),
    ("en", "The building is old, the bathrooms are dirty"),
    ("es", "Necesitamos intérpretes en las reuniones de padres"),
    ("es", "El autobús llega tarde todos los días"),
    ("pt_BR", "A escola precisa de mais professores e segurança"),
    ("ht", "Lekòl la bon men bis la toujou an reta"),
    ("zh_Hans", "学校的交通很不方便"),
    ("en", "ok"),
]


@pytest.fixture
def ctx(app, seeded):
    with app.test_request_context("/"):
        yield


def _stored(engagement_id):
    rows = db.session.execute(
        sa.select(
            ResponseAggregate.dimension,
            ResponseAggregate.key,
            ResponseAggregate.n,
            ResponseAggregate.total,
        ).where(ResponseAggregate.engagement_id == engagement_id)
    ).all()
    # `last` is the highest id ever stored; a rebuild after a purge may find a lower one.
    return {(d, k): (n, t) for d, k, n, t in rows if (n or t) and d != aggregates.LAST}


def _submission(rng, engagement, schools, groups, old=False):
    q = {question.code: question.id for question in engagement.questions}
    locale, text = rng.choice(TEXTS)
    answers = {q["informed"]: str(rng.randint(1, 5))}
    if rng.random() < 0.7:
        answers[q["news"]] = rng.choice(["email", "text"])
    if rng.random() < 0.7:
        answers[q["help"]] = rng.sample(["childcare", "interpreter", "evening"], rng.randint(1, 3))
    if rng.random() < 0.5:
        answers[q["rating"]] = str(rng.randint(1, 5))
    if rng.random() < 0.8:
        answers[q["comments"]] = text
    return Submission(
        locale=locale,
        channel=rng.choice(list(Channel)),
        answers=answers,
        group_ids=rng.sample(groups, rng.randint(0, 2)),
        school_id=rng.choice([None, *schools]),
        race_ethnicity=rng.choice([None, *RaceEthnicity]),
        held_reason=HoldReason.MACHINE_SPEED if rng.random() < 0.2 else None,
        submitted_at=utcnow() - timedelta(days=400 if old else rng.randint(0, 30)),
    )


def _summary_fields(summary):
    """A summary as plain data, mean sentiments left out (sums are kept in millionths, so a
    mean may differ in its last bit; `compare` checks them to within a millionth)."""
    data = dataclasses.asdict(summary)
    for theme in data["themes"]:
        theme["sentiment"] = None
    return data


def _both_ways(monkeypatch, filters, k=None):
    fast = build_summary(filters, k=k)
    with monkeypatch.context() as patch:
        patch.setattr(
            aggregated,
            "source",
            lambda f, k: aggregated.Raw(
                aggregated.queries.response_conditions(f) + aggregated.differencing.population(f, k)
            ),
        )
        slow = build_summary(filters, k=k)
    return _summary_fields(fast), _summary_fields(slow)


def _check(engagements, monkeypatch):
    for engagement in engagements:
        assert aggregated.compare(engagement.id) == []
        before = _stored(engagement.id)
        aggregates.rebuild(engagement.id)
        assert _stored(engagement.id) == before
        db.session.rollback()
        for k in (1, 5):
            fast, slow = _both_ways(monkeypatch, SummaryFilters(engagement_ids=(engagement.id,)), k)
            assert fast == slow
    fast, slow = _both_ways(monkeypatch, SummaryFilters(kind="survey"), 3)
    assert fast == slow


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregates_equal_the_raw_rows_through_every_change(ctx, monkeypatch, seed):
    rng = random.Random(seed)
    schools = list(db.session.scalars(sa.select(School.id)))[:3]
    groups = list(db.session.scalars(sa.select(StakeholderGroup.id)))[:4]
    school = db.session.get(School, schools[0])
    engagements = [make_engagement(), make_engagement(slug="second", school=school)]
    for _ in range(60):
        engagement = rng.choice(engagements)
        old = rng.random() < 0.2
        record_response(engagement, _submission(rng, engagement, schools, groups, old))
    _check(engagements, monkeypatch)

    # Held answers: some released, some set aside.
    held = list(db.session.scalars(sa.select(Response.id).where(Response.hold_state.is_not(None))))
    rng.shuffle(held)
    holds.decide(held[: len(held) // 2], HoldState.RELEASED)
    holds.decide(held[len(held) // 2 :], HoldState.SET_ASIDE)
    _check(engagements, monkeypatch)

    # Earlier copies held by a burst (counted ones become uncounted).
    fingerprints = list(
        db.session.scalars(
            sa.select(Answer.text_fingerprint).where(Answer.text_fingerprint.is_not(None))
        )
    )
    for engagement in engagements:
        holds.hold_earlier_copies(engagement.id, sorted(set(fingerprints))[:2], utcnow())
    db.session.commit()
    _check(engagements, monkeypatch)

    # Reviewers re-code: themes added and removed by hand.
    written = list(db.session.scalars(sa.select(Answer).where(Answer.text.is_not(None))))
    for answer in rng.sample(written, min(15, len(written))):
        code = rng.choice(["safety", "transportation", "language_access", "facilities"])
        review.set_theme(answer, code, rng.random() < 0.5)
    _check(engagements, monkeypatch)

    # A re-analysis (automatic codes rewritten, manual ones kept).
    for _progress in reanalyze(batch_size=7, force=True):
        pass
    _check(engagements, monkeypatch)

    # A response deleted through the ORM, then the purge of everything older than a year.
    victim = db.session.scalar(sa.select(Response).where(Response.hold_state.is_(None)).limit(1))
    db.session.delete(victim)
    db.session.commit()
    _check(engagements, monkeypatch)
    purge_responses(365)
    assert db.session.scalar(sa.select(sa.func.count(Response.id)))
    _check(engagements, monkeypatch)


def test_record_response_counts_in_one_statement(ctx):
    engagement = make_engagement()
    q = {question.code: question.id for question in engagement.questions}
    statements = []

    def count(conn, cursor, statement, *args):
        if "response_aggregate" in statement:
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        record_response(
            engagement,
            Submission(
                locale="en",
                channel=Channel.WEB,
                answers={
                    q["informed"]: "4",
                    q["help"]: ["childcare", "evening"],
                    q["comments"]: "The bus is late",
                },
            ),
        )
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert aggregated.compare(engagement.id) == []


def test_stale_engagements_read_the_raw_rows_until_rebuilt(ctx):
    engagement = make_engagement()
    q = {question.code: question.id for question in engagement.questions}
    for choice in "12345":
        record_response(
            engagement,
            Submission(locale="en", channel=Channel.WEB, answers={q["informed"]: choice}),
        )
    # As after the upgrade: counts missing, the engagement marked stale.
    db.session.execute(
        sa.delete(ResponseAggregate).where(ResponseAggregate.engagement_id == engagement.id)
    )
    aggregates.mark_stale([engagement.id])
    db.session.commit()
    assert summary_for(engagement).responses.n == 5
    assert aggregated.compare(engagement.id) != []
    assert aggregates.stale_engagements() == [engagement.id]
    aggregates.rebuild(engagement.id)
    db.session.commit()
    assert aggregates.stale_engagements() == []
    assert aggregated.compare(engagement.id) == []
    assert summary_for(engagement).responses.n == 5


def test_a_snapshot_older_than_the_counts_reads_the_raw_rows(ctx):
    engagement = make_engagement()
    q = {question.code: question.id for question in engagement.questions}
    ids = [
        record_response(
            engagement, Submission(locale="en", channel=Channel.WEB, answers={q["informed"]: "3"})
        ).id
        for _ in range(7)
    ]
    as_of = SummaryFilters(engagement_ids=(engagement.id,), as_of=((engagement.id, ids[4]),))
    assert build_summary(as_of, k=1).responses.n == 5
    now = SummaryFilters(engagement_ids=(engagement.id,), as_of=((engagement.id, ids[-1]),))
    assert isinstance(aggregated.source(now, 1), aggregated.Aggregated)
    assert build_summary(now, k=1).responses.n == 7


def test_cli_check_finds_a_difference_and_rebuild_mends_it(app, seeded, runner):
    with app.test_request_context("/"):
        engagement = make_engagement()
        q = {question.code: question.id for question in engagement.questions}
        for choice in "123":
            record_response(
                engagement,
                Submission(locale="en", channel=Channel.WEB, answers={q["informed"]: choice}),
            )
        assert runner.invoke(args=["aggregates", "check"]).exit_code == 0
        # A row changed behind the counts' back (a Core statement, as a manual fix would).
        db.session.execute(sa.update(Answer).where(Answer.choice == "1").values(choice="2"))
        db.session.commit()
    result = runner.invoke(args=["aggregates", "check"])
    assert result.exit_code == 1 and "choices" in result.output
    result = runner.invoke(args=["aggregates", "rebuild", "--engagement", "test-survey"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["aggregates", "check"]).exit_code == 0
