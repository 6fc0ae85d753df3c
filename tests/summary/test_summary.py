"""The summary service on rows inserted directly: counts, themes, quotes, protection."""

from datetime import timedelta

import pytest

from engagement.extensions import db
from engagement.models import Event, RaceEthnicity, utcnow
from engagement.summary import SummaryFilters, build_summary, display, summary_for
from tests.factories import make_engagement
from tests.summary.helpers import add_response


@pytest.fixture
def ctx(app, seeded):
    with app.test_request_context("/"):
        yield


def theme(summary, code):
    return next(t for t in summary.themes if t.code == code)


def test_themes_ranked_with_share_sentiment_and_quotes(ctx):
    e = make_engagement()
    for i in range(8):
        add_response(
            e,
            f"The bus was late again {i}",
            ["transportation"],
            sentiment=-0.1 * i,
            phrases=["bus"] * (i % 3),
        )
    for i in range(5):
        add_response(e, f"Comunicación {i}", ["communication"], lang="es", sentiment=None)
    add_response(e, "Nothing", [])
    s = summary_for(e)
    assert [t.code for t in s.themes] == ["transportation", "communication"]
    bus = theme(s, "transportation")
    assert bus.count.n == 8 and bus.count.share == pytest.approx(8 / 14)
    assert bus.sentiment == pytest.approx(round(-0.1 * sum(range(8)) / 8, 2))
    # Strongest feeling first, deterministic.
    assert [q.text for q in bus.quotes] == [f"The bus was late again {i}" for i in (7, 6, 5)]
    comm = theme(s, "communication")
    assert comm.sentiment is None  # shown as "not available", never 0
    assert len(comm.quotes) == 3 and all(q.lang == "es" for q in comm.quotes)


def test_manual_codes_win_and_hidden_quotes_never_show(ctx):
    e = make_engagement()
    for i in range(6):
        add_response(e, f"Safety {i}", ["safety"], removed=["safety"] if i == 0 else ())
    for i in range(5):
        add_response(e, f"Staff {i}", [], manual=["staffing"], hidden=(i < 4), sentiment=0.5)
    s = summary_for(e)
    # The removed row replaced the automatic one in the table: only 5 of 6 count.
    assert theme(s, "safety").count.n == 5
    staffing = theme(s, "staffing")
    assert staffing.count.n == 5
    assert [q.text for q in staffing.quotes] == ["Staff 4"]


def test_pii_masked_unless_admin_on_screen(ctx):
    e = make_engagement()
    for i in range(5):
        add_response(e, f"Call me at 617-555-01{i}2 about the bus", ["transportation"])
    masked = theme(summary_for(e), "transportation").quotes
    assert masked and all("617" not in q.text and q.masked for q in masked)
    raw = theme(summary_for(e, unmasked_quotes=True), "transportation").quotes
    assert all("617" in q.text and not q.masked for q in raw)


def test_group_of_four_shows_no_quote_and_no_number(ctx):
    e = make_engagement()
    for i in range(4):
        add_response(e, f"Bus {i}", ["transportation"], sentiment=-0.5)
    s = summary_for(e)
    assert s.too_small and s.themes == [] and s.responses.n is None
    assert display(s.responses) == "fewer than 5"


def test_small_theme_is_suppressed_without_quotes(ctx):
    e = make_engagement()
    for i in range(10):
        add_response(e, f"Bus {i}", ["transportation"])
    for i in range(4):
        add_response(e, f"Lunch {i}", ["facilities"], sentiment=0.9)
    facilities = theme(summary_for(e), "facilities")
    assert facilities.count.suppressed and facilities.count.n is None
    assert facilities.quotes == [] and facilities.sentiment is None


def test_min_group_size_comes_from_config(app, seeded):
    app.config["MIN_GROUP_SIZE"] = 3
    with app.test_request_context("/"):
        e = make_engagement()
        for i in range(4):
            add_response(e, f"Bus {i}", ["transportation"])
        s = summary_for(e)
        assert theme(s, "transportation").count.n == 4 and theme(s, "transportation").quotes
        add_response(make_engagement(slug="tiny"), "x", ["safety"])
        assert display(build_summary(SummaryFilters(engagement_ids=(2,))).responses) == (
            "fewer than 3"
        )


def test_likert_agree_share_and_complementary_suppression(ctx):
    e = make_engagement()
    for value, n in (("5", 7), ("4", 9), ("2", 3), ("1", 6)):
        for _ in range(n):
            add_response(e, likert=value)
    informed = next(q for q in summary_for(e).questions if q.code == "informed")
    cells = {c.key: c for c in informed.options}
    assert informed.answered.n == 25
    assert cells["2"].suppressed and cells["1"].suppressed  # 3 people, and its complement
    assert cells["3"].n == 0  # zeros are shown
    assert informed.agree.n == 16 and informed.agree.share == pytest.approx(0.64)


def test_agree_hidden_when_it_would_reveal_a_hidden_option(ctx):
    e = make_engagement()
    for value, n in (("5", 6), ("4", 9), ("2", 3), ("1", 7)):
        for _ in range(n):
            add_response(e, likert=value)
    informed = next(q for q in summary_for(e).questions if q.code == "informed")
    # 3 ("2") is hidden with 6 ("5") as complement; agree = 15 with "4" = 9 shown would give
    # "5" = 6 and then "2" = 3 back.
    assert {c.key for c in informed.options if c.suppressed} == {"2", "5"}
    assert informed.agree.suppressed


def test_equity_view_and_change_against_previous(ctx):
    now = utcnow()
    old = make_engagement(slug="fall-2023", series="fall-climate")
    old.opens_at = now - timedelta(days=400)
    old.closes_at = now - timedelta(days=380)
    new = make_engagement(slug="fall-2024", series="fall-climate")
    db.session.commit()
    for i in range(10):
        add_response(old, f"old {i}", ["language_access"] if i < 2 else ["academics"])
    for i in range(12):
        race = RaceEthnicity.HISPANIC_LATINX if i < 6 else RaceEthnicity.WHITE
        lang = "es" if i < 6 else "en"
        add_response(
            new, f"new {i}", ["language_access"] if i < 6 else ["academics"], race=race, lang=lang
        )
    s = summary_for(new)
    assert s.previous_engagement_id == old.id
    la = theme(s, "language_access")
    assert la.count.share == pytest.approx(0.5)
    assert la.previous.suppressed and la.change is None  # 2 of 10 last time: hidden
    acad = theme(s, "academics")
    assert acad.previous.n == 8 and acad.change == pytest.approx(50.0 - 80.0)
    row = next(r for r in s.equity if r.code == "language_access")
    assert row.focus.n == 6 and row.focus.share == pytest.approx(1.0)
    assert row.non_english.n == 6 and row.english.n == 0


def test_attendance_counts_towards_participants(ctx):
    e = make_engagement(kind="forum")
    event = Event(engagement_id=e.id, held_on=utcnow().date(), attendance=30)
    db.session.add(event)
    db.session.commit()
    for i in range(6):
        add_response(e, f"card {i}", ["safety"], event=event)
    for i in range(5):
        add_response(e, f"web {i}", ["safety"])
    s = summary_for(e)
    assert s.attendance.n == 30 and s.participants.n == 35 and s.responses.n == 11


def test_filters_and_council_scope(ctx):
    from tests.factories import group

    a = make_engagement(slug="a", council=group("sepac"))
    b = make_engagement(slug="b", council=group("elpac"))
    for i in range(5):
        add_response(a, f"a {i}", ["safety"], locale="es")
        add_response(b, f"b {i}", ["safety"])
    every = build_summary(SummaryFilters())
    assert every.responses.n == 10 and every.engagement_count == 2
    scoped = build_summary(SummaryFilters(council_scope=frozenset({group("sepac").id})))
    assert scoped.responses.n == 5
    assert build_summary(SummaryFilters(locale="es")).responses.n == 5
    assert build_summary(SummaryFilters(council_scope=frozenset())).responses.n == 0


def test_quotes_mix_languages_when_the_theme_has_other_language_comments(ctx):
    e = make_engagement()
    for i in range(9):
        add_response(e, f"English {i}", ["communication"], sentiment=0.1 * i, phrases=["x"])
    for i, lang in enumerate(["ar", "ar", "ar", "ar", "ar", "es", "zh_Hans"]):
        add_response(
            e,
            f"Otra {i}",
            ["communication"],
            lang=lang,
            sentiment=None,
            phrases=["p"] * i,
            hidden=(i == 4),
        )
    comm = theme(summary_for(e), "communication")
    # English leads (9 against 7); the best other-language comment has the most key phrases
    # (the hidden one and the two in languages only one person wrote in, with more, never
    # show); original language kept.
    assert [(q.text, q.lang) for q in comm.quotes] == [
        ("English 8", "en"),
        ("Otra 3", "ar"),
        ("English 7", "en"),
    ]
    assert [q.text for q in theme(summary_for(e), "communication").quotes] == [
        q.text for q in comm.quotes
    ]  # deterministic


def test_other_languages_lead_when_most_of_a_theme_is_not_english(ctx):
    e = make_engagement()
    for i in range(5):
        add_response(e, f"English {i}", ["language_access"], sentiment=0.5)
    for i in range(6):
        add_response(e, f"Kreyòl {i}", ["language_access"], lang="ht", phrases=["p"] * i)
    quotes = theme(summary_for(e), "language_access").quotes
    assert [q.text for q in quotes] == ["Kreyòl 5", "English 0", "Kreyòl 4"]


def test_a_small_language_group_in_a_theme_is_not_quoted(ctx):
    e = make_engagement()
    for i in range(8):
        add_response(e, f"English {i}", ["safety"], sentiment=-0.5)
    for i in range(2):
        add_response(e, f"Árabe {i}", ["safety"], lang="ar", phrases=["p", "q"])
    quotes = theme(summary_for(e), "safety").quotes
    assert len(quotes) == 3 and all(q.lang == "en" for q in quotes)


def test_a_filter_that_leaves_out_a_small_group_shows_nothing(ctx):
    """Differencing: 'everyone' minus 'English only' must not reveal 3 Haitian Creole
    answers, so the filtered view is withheld while it leaves out fewer than k people."""
    engagement = make_engagement(slug="diff")
    for i in range(12):
        add_response(engagement, f"en {i}", ["safety"], locale="en")
    for i in range(3):
        add_response(engagement, f"ht {i}", ["safety"], lang="ht", locale="ht")
    ids = (engagement.id,)
    whole = build_summary(SummaryFilters(engagement_ids=ids))
    assert whole.responses.n == 15 and not whole.complement_too_small

    english = build_summary(SummaryFilters(engagement_ids=ids, locale="en"))
    assert english.complement_too_small and english.too_small
    assert english.responses.n is None and english.themes == [] and english.questions == []
    assert display(english.responses) != "12"

    # Once the left-out group reaches k, the filtered view is shown again.
    for i in range(2):
        add_response(engagement, f"ht more {i}", ["safety"], lang="ht", locale="ht")
    english = build_summary(SummaryFilters(engagement_ids=ids, locale="en"))
    assert not english.complement_too_small and english.responses.n == 12
    # A date window selects a period, not people: not counted as leaving people out.
    recent = build_summary(
        SummaryFilters(engagement_ids=ids, date_from=(utcnow() - timedelta(days=1)).date())
    )
    assert recent.responses.n == 17 and not recent.complement_too_small
