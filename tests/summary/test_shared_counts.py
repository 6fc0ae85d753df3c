"""Views built inside `differencing.shared_counts` (the Commitment 4 report) read the same
grouped counts as views built alone: everyone's rows, and each stakeholder group's from one
query for every group."""

from datetime import timedelta

import pytest

from engagement.extensions import db
from engagement.models import Answer, QuoteState, RaceEthnicity, utcnow
from engagement.summary import SummaryFilters, build_summary, differencing
from tests.exports.conftest import ARABIC, CHINESE, add_response
from tests.factories import group, make_engagement

TEXTS = [
    CHINESE,
    ARABIC,
    "The bus is always late and nobody tells us.",
    "Please translate the newsletter, the teachers are great.",
]


@pytest.fixture
def answered(seeded):
    """Two surveys; families in one or two roles, some in no role, in several languages."""
    when = utcnow() - timedelta(days=3)
    memberships = [
        ("parent_guardian",),
        ("parent_guardian", "student"),
        ("student",),
        ("educator",),
        (),
    ]
    for number, slug in enumerate(("shared-a", "shared-b")):
        survey = make_engagement(slug=slug, titles={"en": slug})
        for index in range(23 + number * 9):
            add_response(
                survey,
                ["en", "zh_Hans", "ar", "es"][index % 4],
                TEXTS[index % len(TEXTS)],
                ["evening"],
                groups=memberships[index % len(memberships)],
                race=[RaceEthnicity.ASIAN, RaceEthnicity.BLACK, None][index % 3],
                when=when - timedelta(days=index % 9),
            )
    db.session.query(Answer).filter(Answer.text.is_not(None)).update(
        {Answer.quote_state: QuoteState.APPROVED}
    )
    db.session.commit()


def views():
    today = utcnow().date()
    dated = {"date_from": today - timedelta(days=30), "date_to": today}
    yield SummaryFilters(**dated)
    yield SummaryFilters(kind="survey", **dated)
    for code in ("parent_guardian", "student", "educator", "community_member"):
        yield SummaryFilters(group_id=group(code).id, **dated)
        yield SummaryFilters(group_id=group(code).id)


@pytest.mark.parametrize("k", [1, 5])
def test_shared_counts_give_the_same_summaries(app, answered, k):
    with app.test_request_context("/"):
        alone = [build_summary(filters, k=k) for filters in views()]
        with differencing.shared_counts():
            shared = [build_summary(filters, k=k) for filters in views()]
    assert any(s.responses.n for s in alone)
    assert shared == alone


def test_a_groups_rows_split_from_everyones(app, answered):
    """The rows a group's view reads equal those of its own query, part by part."""
    scope = [differencing.Response.counted]
    with app.test_request_context("/"):
        for code in ("parent_guardian", "student"):
            filters = SummaryFilters(group_id=group(code).id)
            column = differencing._group_column(filters.group_id)
            week = differencing._week_column([])
            with differencing.shared_counts():
                for part in differencing._PARTS:
                    mine = differencing._rows(part, filters, [], scope, week, column)
                    theirs = differencing._PARTS[part](scope, week, column)
                    assert sorted(map(normal, mine)) == sorted(map(normal, theirs)), part


def normal(row):
    return tuple("" if v is None else (int(v) if isinstance(v, bool) else v) for v in row)
