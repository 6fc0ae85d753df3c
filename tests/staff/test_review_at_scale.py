"""Reviewing thousands of comments: search, filters, bulk re-coding, and staying in place."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AnswerTheme, AuditLog, Channel, QuoteState, ThemeSource
from tests.factories import group, make_engagement, school
from tests.summary.helpers import add_response


def ids_on(page: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r'id="answer-(\d+)"', page)}


def setup_comments():
    eng = make_engagement(slug="survey")
    burbank, parents = school("burbank"), group("parent_guardian")
    a = add_response(eng, "The bus is late every day", themes=["transportation"])
    b = add_response(
        eng,
        "El AUTOBÚS llega tarde",
        themes=["transportation"],
        lang="es",
        locale="es",
        school=burbank,
        groups=[parents],
        quote=QuoteState.PENDING,
    )
    c = add_response(
        eng, "Interpreters at meetings, please", themes=[], channel=Channel.PAPER, lang="en"
    )
    d = add_response(eng, "100% happy with 50_50 lunch", themes=["facilities"])
    db.session.commit()
    return eng, *(answer for _response, answer in (a, b, c, d))


def test_search_and_filters_narrow_the_page(staff_client, seeded):
    eng, a, b, c, d = setup_comments()
    base = "/staff/summary/survey/review"

    def shown(query):
        response = staff_client.get(f"{base}?{query}")
        assert response.status_code == 200
        return ids_on(response.get_data(as_text=True))

    assert shown("") == {a.id, b.id, c.id, d.id}
    assert shown("q=autob%C3%BAs") == {b.id}  # any case
    assert shown("q=BUS") == {a.id, b.id}  # "bus" inside AUTOBÚS too
    assert shown("q=100%25") == {d.id} and shown("q=50_50") == {d.id}  # wildcards are literal
    assert shown("written_in=es") == {b.id}
    assert shown(f"school={school('burbank').id}") == {b.id}
    assert shown(f"group={group('parent_guardian').id}") == {b.id}
    assert shown("channel=paper") == {c.id}
    assert shown("theme=transportation&state=pending") == {b.id}
    assert shown("theme=transportation&q=late") == {a.id}
    assert shown("date_from=2000-01-01&date_to=2000-01-02") == set()
    page = staff_client.get(f"{base}?date_from=2030-02-01&date_to=2030-01-01")
    assert "The end date must be on or after the start date." in page.get_data(as_text=True)


def test_bulk_recode_applies_to_every_ticked_comment_and_keeps_the_place(staff_client, seeded):
    eng, a, b, c, d = setup_comments()
    url = "/staff/summary/survey/review/codes/bulk?theme=transportation&q=bus&page=1"
    sent = staff_client.post(
        url, data={"answer_ids": [a.id, b.id], "theme": "language_access", "action": "add"}
    )
    assert sent.status_code == 302
    location = sent.headers["Location"]
    assert "theme=transportation" in location and "q=bus" in location and "page=1" in location
    codes = {
        (row.answer_id, row.theme_code)
        for row in db.session.scalars(
            sa.select(AnswerTheme).where(AnswerTheme.source == ThemeSource.MANUAL)
        )
    }
    assert codes == {(a.id, "language_access"), (b.id, "language_access")}
    rows = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "theme_added")).all()
    assert len(rows) == 2
    page = staff_client.get(location).get_data(as_text=True)
    assert "“Language access” added to 2 comments." in page
    # Removing in bulk, and nothing ticked says so.
    staff_client.post(
        url, data={"answer_ids": [a.id], "theme": "transportation", "action": "remove"}
    )
    removed = db.session.scalar(
        sa.select(AnswerTheme).where(
            AnswerTheme.answer_id == a.id, AnswerTheme.theme_code == "transportation"
        )
    )
    assert removed.removed is True
    none = staff_client.post(url, data={"theme": "safety", "action": "add"}, follow_redirects=True)
    assert "Tick at least one comment, then choose a theme." in none.get_data(as_text=True)


def test_a_single_action_returns_to_the_comment(staff_client, seeded):
    eng, a, b, c, d = setup_comments()
    sent = staff_client.post(
        "/staff/summary/survey/review/codes?written_in=es&per_page=50",
        data={"answer_id": b.id, "theme": "safety", "action": "add"},
    )
    location = sent.headers["Location"]
    assert location.endswith(f"#answer-{b.id}")
    assert "written_in=es" in location and "per_page=50" in location


def test_bulk_recode_cannot_reach_another_engagement(staff_client, seeded):
    eng, a, b, c, d = setup_comments()
    other = make_engagement(slug="other")
    _response, stranger = add_response(other, "Not yours", themes=[])
    db.session.commit()
    sent = staff_client.post(
        "/staff/summary/survey/review/codes/bulk",
        data={"answer_ids": [a.id, stranger.id], "theme": "safety", "action": "add"},
    )
    assert sent.status_code == 404
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AnswerTheme)
            .where(AnswerTheme.theme_code == "safety")
        )
        == 0
    )


def test_emerging_topics_are_counted_only_when_asked_for(staff_client, seeded):
    eng = make_engagement(slug="survey")
    for n in range(5):
        add_response(eng, f"robotics club please {n}", themes=[], phrases=["robotics club"])
    page = staff_client.get("/staff/summary/survey/review").get_data(as_text=True)
    assert "Find emerging topics" in page and "robotics club</span>" not in page
    asked = staff_client.get("/staff/summary/survey/review?topics=1&q=club")
    html = asked.get_data(as_text=True)
    assert "robotics club</span> – 5 comments" in html
