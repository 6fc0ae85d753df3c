"""Typing in returned paper forms (issue 16): the printed form's questions and numbers, in
its language, stored as paper answers; blanks stay blank, wrong values are refused."""

import sqlalchemy as sa

from engagement.models import AuditLog, Channel, Response
from engagement.public.forms import field_name
from tests.factories import make_engagement


def question(engagement, code):
    return next(q for q in engagement.questions if q.code == code)


def test_entry_screen_shows_the_printed_numbers_in_the_paper_language(staff_client, seeded):
    survey = make_engagement(slug="s")
    body = staff_client.get("/staff/engagements/s/paper?paper=es").get_data(as_text=True)
    assert '<div class="paper-questions" lang="es" dir="ltr">' in body
    for number in range(1, len(survey.visible_questions) + 1):
        assert f"<small>{number}.</small>" in body
    assert "Totalmente de acuerdo" in body  # Likert labels in the paper's language


def test_a_paper_form_with_blanks_is_stored_as_paper(staff_client, seeded, db):
    survey = make_engagement(slug="s")
    page = staff_client.get("/staff/engagements/s/paper?paper=ar").get_data(as_text=True)
    token = page.split('name="token" value="')[1].split('"')[0]
    data = {"token": token, field_name(question(survey, "comments")): "نحتاج مترجمين"}
    response = staff_client.post("/staff/engagements/s/paper?paper=ar", data=data)
    assert response.status_code == 302
    assert "saved=1" in response.headers["Location"]
    [stored] = db.session.scalars(sa.select(Response)).all()
    assert stored.channel == Channel.PAPER and stored.locale == "ar"
    assert [a.text for a in stored.answers] == ["نحتاج مترجمين"]
    # The same form sent twice (a double click) is stored once.
    staff_client.post("/staff/engagements/s/paper?paper=ar", data=data)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditLog.id)).where(AuditLog.action == "response.paper_entered")
        )
        == 1
    )


def test_a_value_the_paper_does_not_have_is_refused_and_kept(staff_client, seeded, db):
    survey = make_engagement(slug="s")
    page = staff_client.get("/staff/engagements/s/paper").get_data(as_text=True)
    token = page.split('name="token" value="')[1].split('"')[0]
    comments = field_name(question(survey, "comments"))
    data = {
        "token": token,
        field_name(question(survey, "informed")): "9",
        comments: "Typed text stays",
    }
    response = staff_client.post("/staff/engagements/s/paper", data=data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Typed text stays" in body
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_an_empty_form_is_not_stored(staff_client, seeded, db):
    make_engagement(slug="s")
    page = staff_client.get("/staff/engagements/s/paper").get_data(as_text=True)
    token = page.split('name="token" value="')[1].split('"')[0]
    response = staff_client.post("/staff/engagements/s/paper", data={"token": token})
    assert response.status_code == 200
    assert "Nothing is filled in on this form" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_a_token_that_is_not_the_pages_is_no_key(staff_client, seeded, db):
    survey = make_engagement(slug="s")
    comments = field_name(question(survey, "comments"))
    for token in ("x" * 5000, "", "A" * 32):
        data = {"token": token, comments: "Written on paper"}
        assert staff_client.post("/staff/engagements/s/paper", data=data).status_code == 302
    keys = db.session.scalars(sa.select(Response.idempotency_key)).all()
    assert keys == [None, None, None]


def test_choices_the_paper_does_not_have_are_refused_not_an_error(staff_client, seeded, db):
    make_engagement(slug="s")
    for field, value in (("school", "abc"), ("roles", "x"), ("race_ethnicity", "zzz")):
        response = staff_client.post("/staff/engagements/s/paper", data={field: value})
        assert response.status_code == 200, field
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
