"""The summary package's public API: the cheap small-group flag, locale-aware percentages,
and a boundary that loads no language model."""

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.summary import (
    Cell,
    SummaryFilters,
    build_summary,
    display,
    is_too_small,
    percent,
)
from tests.factories import make_engagement
from tests.summary.helpers import add_response

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ctx(app, seeded):
    with app.test_request_context("/"):
        yield


@contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_is_too_small_agrees_with_the_full_summary(ctx):
    empty = make_engagement(slug="empty")
    small = make_engagement(slug="small")
    for i in range(3):
        add_response(small, f"small {i}", ["safety"])
    mixed = make_engagement(slug="mixed")
    for i in range(12):
        add_response(mixed, f"en {i}", ["safety"], locale="en")
    for i in range(3):
        add_response(mixed, f"ht {i}", ["safety"], lang="ht", locale="ht")
    cases = [
        SummaryFilters(engagement_ids=(empty.id,)),
        SummaryFilters(engagement_ids=(small.id,)),
        SummaryFilters(engagement_ids=(mixed.id,)),
        SummaryFilters(engagement_ids=(mixed.id,), locale="en"),  # leaves out 3: withheld
        SummaryFilters(engagement_ids=(mixed.id,), locale="ht"),  # 3 people
        SummaryFilters(engagement_ids=(mixed.id,), council_scope=frozenset()),
        SummaryFilters(),
    ]
    flags = [is_too_small(f) for f in cases]
    assert flags == [build_summary(f).too_small for f in cases]
    assert flags == [False, True, False, True, True, False, False]


def test_is_too_small_runs_one_query(ctx):
    engagement = make_engagement()
    for i in range(6):
        add_response(engagement, f"answer {i}", ["safety"])
    filters = SummaryFilters(engagement_ids=(engagement.id,))
    with counted_queries() as statements:
        is_too_small(filters)
    # One read of the engagement's stored counts (engagement.aggregates).
    assert len(statements) == 1 and "response_aggregate" in statements[0].lower()
    with counted_queries() as statements:
        build_summary(filters)
    assert len(statements) > 1  # the full build is what the flag saves


@pytest.mark.parametrize(
    ("lang", "whole", "one_decimal"),
    [
        ("en", "42%", "4.3%"),
        ("es", "42\xa0%", "4,3\xa0%"),
        ("pt_BR", "42%", "4,3%"),
        # Arabic keeps its percent sign after the number in right-to-left text.
        ("ar", "42\u200e%\u200e", "4.3\u200e%\u200e"),
    ],
)
def test_percent_follows_the_locale(app, lang, whole, one_decimal):
    with app.test_request_context(f"/?lang={lang}"):
        assert percent(Cell("x", "X", 42, 0.42)) == whole
        assert percent(0.043, 1) == one_decimal


def test_percent_and_display_of_hidden_cells(app):
    with app.test_request_context("/"):
        hidden = Cell("x", "X", None, None, True)
        assert percent(hidden) == "" and percent(None) == ""
        assert percent(Cell("x", "X", 3, None)) == ""  # a share without a base
        assert display(hidden) == "fewer than 5" and display(Cell("x", "X", 12, 0.5)) == "12"


def _modules_after(statement: str) -> set[str]:
    script = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(proc.stdout.split())


def test_the_summary_loads_no_language_model():
    modules = _modules_after("import engagement.summary, engagement.themes.codebook")
    assert "engagement.summary.build" in modules
    assert not {m for m in modules if m.split(".")[0] in ("textblob", "jieba", "nltk")}
    assert "engagement.themes.pipeline" not in modules


def test_the_themes_package_imports_nothing_itself():
    modules = _modules_after("import engagement.themes")
    assert not {m for m in modules if m.startswith("engagement.themes.")}
