"""The Commitment 4 report ready to publish: executive summary, participation against
enrollment, trend, per-school targets, council attendance, the staff caveat, each quote
once, Arabic numbers, and figures that match the summary module's."""

import re
from datetime import timedelta

import pytest

from engagement.exports import render, report, report_parts
from engagement.exports.targets import load_targets
from engagement.extensions import db
from engagement.models import Event, EventAttendance, RaceEthnicity, utcnow
from engagement.summary import Cell, SummaryFilters, aggregated, build_summary
from tests.exports.conftest import ARABIC, CHINESE, add_response
from tests.exports.test_report import approve_all_comments, dataset, period  # noqa: F401
from tests.factories import group, make_engagement, school


def build(app, dates, lang="en"):
    with app.test_request_context(f"/?lang={lang}"):
        data = report.build_report(*dates)
        return data, render.render_html(data, standalone=True)


def cells(summary, dimension):
    breakdown = next(b for b in summary.breakdowns if b.dimension == dimension)
    return {c.key: (c.n, c.suppressed) for c in breakdown.cells}


def test_numbers_match_the_summary_module(app, dataset, period):  # noqa: F811
    with app.test_request_context("/"):
        data = report.build_report(*period)
        k = data.min_group_size
        overview = build_summary(SummaryFilters(date_from=period[0], date_to=period[1]), k=k)
        before = report_parts.previous_period(*period)
        previous = build_summary(SummaryFilters(date_from=before[0], date_to=before[1]), k=k)
    assert data.response_count == overview.responses.n == 20
    languages = cells(overview, "language")
    for row in data.languages:
        if row.locale in languages:
            assert (row.responses.n, row.responses.suppressed) == languages[row.locale]
    schools = cells(overview, "school")
    for row in data.schools:
        if row.code in schools:
            assert (row.responses.n, row.responses.suppressed) == schools[row.code]
    assert [t.code for t in data.top_themes] == [
        t.code for t in overview.themes if not t.count.suppressed and t.count.n
    ][: report.TOP_THEMES]
    assert data.trend.responses_then.n == previous.responses.n == 0
    assert data.trend.change == 20


def test_the_report_reads_the_stored_counts_when_its_period_holds_whole_engagements(
    app,
    dataset,  # noqa: F811
    period,  # noqa: F811
):
    """A school year's report over engagements that ran inside it: the same people as the
    whole engagements, so their stored counts answer it -- with the raw rows' numbers."""
    with app.test_request_context("/"):
        filters = SummaryFilters(date_from=period[0], date_to=period[1])
        assert isinstance(aggregated.source(filters, 10), aggregated.Aggregated)
        fast = build_summary(filters, k=10)
        real = aggregated.source
        aggregated.source = lambda f, k: aggregated.Raw(
            aggregated.queries.response_conditions(f) + aggregated.differencing.population(f, k)
        )
        try:
            slow = build_summary(filters, k=10)
        finally:
            aggregated.source = real
        # A window that cuts an engagement's responses reads the raw rows.
        cut = SummaryFilters(date_from=report.district_today(), date_to=period[1])
        assert not isinstance(aggregated.source(cut, 10), aggregated.Aggregated)
    assert fast.responses == slow.responses
    assert [(t.code, t.count) for t in fast.themes] == [(t.code, t.count) for t in slow.themes]
    assert fast.breakdowns == slow.breakdowns


def test_executive_summary_comes_first_with_who_we_have_not_heard_from(app, dataset, period):  # noqa: F811
    data, page = build(app, period)
    summary = page.index('id="summary"')
    assert summary < page.index('id="held"')
    block = page[summary : page.index('id="held"')]
    for heading in (
        "Engagements by kind",
        "Families reached, by language",
        "Top themes",
        "Who we have not heard from",
    ):
        assert heading in block
    # Nobody answered in Spanish, Portuguese, Arabic or Haitian Creole, nor from White or
    # Multiracial families: all under their share of enrollment. Chinese is at 50%.
    gaps = {(g.dimension, g.lang or g.label) for g in data.gaps}
    assert ("language", "es") in gaps and ("language", "zh_Hans") not in gaps
    assert ("subgroup", "White") in gaps and ("subgroup", "Asian") not in gaps
    assert "Español" in block


def test_a_hidden_group_is_listed_as_unheard_only_when_that_tells_nothing_new():
    total = Cell("responses", "Responses", 100, None)
    hidden = Cell("x", "x", None, None, True)
    assert report_parts.under_enrollment(hidden, 0.2, total, 10)  # 20 expected, under 10
    assert not report_parts.under_enrollment(hidden, 0.05, total, 10)  # 5 expected: unknown
    assert report_parts.under_enrollment(Cell("x", "x", 0, 0.0), 0.01, total, 10)
    assert not report_parts.under_enrollment(Cell("x", "x", 30, 0.3), 0.2, total, 10)
    assert not report_parts.under_enrollment(Cell("x", "x", 30, 0.3), None, total, 10)


def test_per_school_targets_count_only_that_schools_meetings(app, dataset, period):  # noqa: F811
    """Two district-wide forums (the fixture) count for no school; a school's own forums
    count for it alone."""
    forum = make_engagement(slug="burbank-forum", kind="forum", titles={"en": "F"}, questions=[])
    day = report.district_today() - timedelta(days=5)
    for _ in range(2):
        db.session.add(Event(engagement_id=forum.id, held_on=day, school_id=school("burbank").id))
    db.session.commit()
    data, _page = build(app, period)
    forums = {row.code: row for row in data.targets}["forums_per_school"]
    assert forums.actual == 0.0 and forums.met is False
    assert "1 of 6 schools" in forums.detail
    others = [s for s in ("butler", "wellington", "winn_brook", "chenery", "bmhs")]
    forum_ids = []
    for code in others:
        for _ in range(2):
            event = Event(engagement_id=forum.id, held_on=day, school_id=school(code).id)
            db.session.add(event)
            forum_ids.append(event)
    db.session.commit()
    data, _page = build(app, period)
    forums = {row.code: row for row in data.targets}["forums_per_school"]
    assert forums.actual == 2.0 and forums.met is True and "6 of 6 schools" in forums.detail


def test_council_attendance_is_not_recorded_rather_than_zero(app, dataset, period):  # noqa: F811
    forum = make_engagement(
        slug="sepac-meeting", kind="forum", titles={"en": "M"}, questions=[], council=group("sepac")
    )
    event = Event(
        engagement_id=forum.id, held_on=report.district_today() - timedelta(days=3), attendance=12
    )
    event.attendance_by_group.append(EventAttendance(group_id=group("sepac").id, count=12))
    db.session.add(event)
    db.session.commit()
    data, page = build(app, period)
    councils = {row.code: row for row in data.councils}
    assert councils["sepac"].meetings == 1 and councils["sepac"].attendance.n == 12
    assert councils["elpac"].attendance is None and councils["metco"].attendance is None
    held = page[page.index('id="held"') : page.index('id="languages"')]
    assert held.count("not recorded") >= 2
    assert not re.search(r"METCO[^<]*</th><td class=\"num\">[^<]*</td><td class=\"num\">0<", held)


def test_caveat_for_staff_only_never_in_a_file(app, dataset, period):  # noqa: F811
    with app.test_request_context("/"):
        data = report.build_report(*period)
        file_page = render.render_html(data, standalone=True)
        staff_page = render.render_html(data, staff_view=True, css_url="/r.css")
    assert "must be checked" not in data.baseline.source
    for text in ("For staff", "must be checked", "., "):
        assert text not in file_page
    assert "For staff: not printed or exported" in staff_page
    assert "2025-10-01" in file_page and "2025-26" in file_page


def test_each_quote_used_once_in_the_whole_report(app, dataset, period):  # noqa: F811
    """Ten families wrote the same Chinese comment, ten the same English one: each shows
    at most once, across themes and within a theme."""
    _data, page = build(app, period)
    quotes = re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", page, re.S)
    assert quotes and len(quotes) == len(set(quotes))
    assert page.count(CHINESE) == 1


def test_quote_once_keeps_at_most_n_distinct_quotes():
    from engagement.exports.report import GroupThemes
    from engagement.summary import Quote, ThemeSummary

    def theme(code, *quotes):
        count = Cell(code, code, 10, 0.5)
        return ThemeSummary(code, code, "", count, None, None, None, None, list(quotes))

    a, b, c = (Quote(i, text, "en", None, True) for i, text in enumerate(["A", "B", "C"]))
    same_text = Quote(9, "a ", "en", None, True)
    groups = [
        GroupThemes("p", None, Cell("r", "r", 10), [theme("t1", a, b, c), theme("t2", a, c)]),
        GroupThemes("s", None, Cell("r", "r", 10), [theme("t1", same_text, b)]),
    ]
    report_parts.quote_once(groups, 2)
    assert [[q.text for q in t.quotes] for g in groups for t in g.themes] == [
        ["A", "B"],
        ["C"],
        [],
    ]


def visible_text(page: str) -> str:
    """The page's printed text outside left-to-right isolates (not styles, tags, or a
    chart's text alternative, which screen readers read as one sentence)."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    page = re.sub(r'<span class="visually-hidden"[^>]*>.*?</span>', "", page, flags=re.S)
    page = re.sub(r'<bdi[^>]*dir="ltr"[^>]*>.*?</bdi>', "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def test_arabic_numbers_and_percent_signs_stay_together(app, dataset, period):  # noqa: F811
    when = utcnow() - timedelta(days=2)
    for _ in range(10):
        add_response(dataset, "ar", ARABIC, ["evening"], when=when, race=RaceEthnicity.WHITE)
    approve_all_comments()
    _data, page = build(app, period, "ar")
    assert '<html lang="ar" dir="rtl">' in page
    # Every percentage (and every signed change) is isolated left to right.
    text = visible_text(page)
    assert "%" not in text and "٪" not in text and "+" not in text
    assert re.search(r'<bdi dir="ltr">33\.3\u200e?%\u200e?</bdi>', page)
    assert re.search(r'<bdi class="chart-value" dir="ltr">33\.3\u200e?%\u200e?</bdi>', page)


def test_shipped_baseline_is_dese_2025_26(app):
    baseline = load_targets().baseline
    assert baseline.students == 4099 and baseline.as_of == "2025-10-01"
    assert baseline.school_year == "2025-26"
    assert baseline.english_learner_share == 0.07 and baseline.high_needs_share == 0.338
    race = baseline.race_ethnicity
    assert (race["asian"], race["black"], race["hispanic_latinx"]) == (0.253, 0.041, 0.059)
    assert (race["multiracial"], race["white"]) == (0.084, 0.561)
    assert "must be checked" not in baseline.source and baseline.staff_note
    assert {"race_ethnicity", "home_language", "schools"} <= set(baseline.figures_from)


def test_school_enrollment_from_the_targets_file(app, tmp_path, dataset, period):  # noqa: F811
    import json

    from engagement.exports.targets import TargetsError, targets_path

    data = json.loads(targets_path().read_text())
    data["enrollment"]["schools"] = {"burbank": 400, "bmhs": 1200}
    path = tmp_path / "targets.json"
    path.write_text(json.dumps(data))
    app.config["REPORT_TARGETS_FILE"] = str(path)
    assert load_targets().baseline.school_shares() == {"burbank": 0.25, "bmhs": 0.75}
    report_data, _page = build(app, period)
    rows = {row.code: row for row in report_data.schools}
    assert rows["burbank"].enrollment == 0.25 and rows["butler"].enrollment is None
    data["enrollment"]["schools"] = {"burbank": -1}
    path.write_text(json.dumps(data))
    with pytest.raises(TargetsError, match="schools.burbank"):
        load_targets()
