"""Authoring through the HTTP forms: a bilingual engagement end to end, stale translations,
the English-text check before opening, hide-not-delete and stable option codes."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Answer,
    AuditLog,
    Engagement,
    EngagementStatus,
    Question,
    QuestionOption,
    Response,
)
from engagement.staff.services.texts import source_row
from engagement.staff.services.translation_io import completeness, units
from tests.factories import make_engagement


def engagement(slug="family-survey"):
    db.session.expire_all()
    return db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))


def create_bilingual_survey(client, slug="family-survey"):
    response = client.post(
        "/staff/engagements/new",
        data={
            "kind": "survey",
            "slug": slug,
            "title": "Family survey",
            "description": "Tell us how we are doing.",
            "school_id": "",
            "council_id": "",
            "opens_at": "2030-09-01T08:00",
            "closes_at": "2030-10-01T17:00",
            "series": "fall",
            "languages": ["es"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    base = f"/staff/engagements/{slug}"
    client.post(
        f"{base}/questions/new",
        data={
            "kind": "single_choice",
            "code": "news",
            "text": "How do you get news?",
            "required": "y",
        },
    )
    question = engagement(slug).questions[0]
    for code, label in [("email", "E-mail"), ("text", "Text message")]:
        client.post(
            f"{base}/questions/{question.id}/options/new", data={"code": code, "label": label}
        )
    client.post(
        f"{base}/questions/new",
        data={"kind": "open_text", "code": "comments", "text": "Anything else?"},
    )
    page = client.get(f"{base}/translations/es").get_data(as_text=True)
    assert "es: 0/6 strings" in page
    form = translation_post_data(
        engagement(slug),
        "es",
        {
            "engagement:title": "Encuesta familiar",
            "engagement:description": "Díganos cómo lo estamos haciendo.",
            "question:news:text": "¿Cómo recibe noticias?",
            "option:news:email:label": "Correo electrónico",
            "option:news:text:label": "Mensaje de texto",
            "question:comments:text": "¿Algo más?",
        },
    )
    assert client.post(f"{base}/translations/es", data=form).status_code == 302
    return engagement(slug)


def translation_post_data(eng, locale, values, confirm=()):
    """Form data for the side-by-side page: field u<index>_<name> per unit key."""
    data = {}
    for index, unit in enumerate(units(eng)):
        for name in unit.fields:
            key = unit.key_of(name)
            if unit.source(name):
                data[f"u{index}_{name}"] = values.get(key, unit.value(locale, name))
        if unit.key in confirm:
            data[f"u{index}_confirm"] = "y"
    return data


def test_bilingual_round_trip_shows_spanish_on_the_public_form(staff_client):
    eng = create_bilingual_survey(staff_client)
    assert eng.opens_at.isoformat() == "2030-09-01T12:00:00+00:00"  # 08:00 EDT
    assert completeness(eng, "es").done == 6 and completeness(eng, "es").total == 6
    page = staff_client.get("/staff/engagements/family-survey/translations").get_data(as_text=True)
    assert "es: 6/6 strings" in page and "pt_BR: 0/6 strings" in page
    response = staff_client.post("/staff/engagements/family-survey/open")
    assert response.status_code == 302
    assert engagement().status == EngagementStatus.OPEN
    # The window starts in 2030: move it so that the public form accepts answers now.
    eng = engagement()
    eng.opens_at = None
    db.session.commit()
    public = staff_client.get("/e/family-survey?lang=es").get_data(as_text=True)
    for text in ("Encuesta familiar", "¿Cómo recibe noticias?", "Correo electrónico", "¿Algo más?"):
        assert text in public
    english = staff_client.get("/e/family-survey?lang=en").get_data(as_text=True)
    assert "How do you get news?" in english


def test_editing_english_marks_translations_out_of_date_until_confirmed(staff_client):
    eng = create_bilingual_survey(staff_client)
    question = next(q for q in eng.questions if q.code == "comments")
    staff_client.post(
        f"/staff/engagements/family-survey/questions/{question.id}/edit",
        data={"kind": "open_text", "code": "comments", "text": "Anything else to tell us?"},
    )
    eng = engagement()
    status = completeness(eng, "es")
    assert [s.key for s in status.stale] == ["question:comments:text"]
    page = staff_client.get("/staff/engagements/family-survey/translations/es")
    html = page.get_data(as_text=True)
    assert "es: 5/6 strings" in html and "Out of date" in html
    # Families still see the older translation meanwhile.
    eng.opens_at = None
    db.session.commit()
    staff_client.post("/staff/engagements/family-survey/open")
    assert "¿Algo más?" in staff_client.get("/e/family-survey?lang=es").get_data(as_text=True)
    # A translator confirms it is still correct.
    data = translation_post_data(engagement(), "es", {}, confirm={"question:comments"})
    staff_client.post("/staff/engagements/family-survey/translations/es", data=data)
    assert completeness(engagement(), "es").stale == []
    assert completeness(engagement(), "es").done == 6


def test_saving_unchanged_stale_translation_without_confirming_keeps_it_stale(staff_client):
    eng = create_bilingual_survey(staff_client)
    question = next(q for q in eng.questions if q.code == "comments")
    staff_client.post(
        f"/staff/engagements/family-survey/questions/{question.id}/edit",
        data={"kind": "open_text", "code": "comments", "text": "Something else?"},
    )
    data = translation_post_data(engagement(), "es", {})
    staff_client.post("/staff/engagements/family-survey/translations/es", data=data)
    assert [s.key for s in completeness(engagement(), "es").stale] == ["question:comments:text"]


def test_cannot_open_while_a_required_question_lacks_english(staff_client, seeded):
    eng = make_engagement(slug="draft-one", status=EngagementStatus.DRAFT)
    required = next(q for q in eng.questions if q.required)
    english = source_row(required.texts)
    english.text = ""
    db.session.commit()
    page = staff_client.post("/staff/engagements/draft-one/open", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Required question informed has no English text." in html
    assert engagement("draft-one").status == EngagementStatus.DRAFT
    assert not db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "engagement.open"))


def test_open_close_reopen_are_audited(staff_client, seeded):
    make_engagement(slug="cycle", status=EngagementStatus.DRAFT, languages="en,es")
    for path in ("open", "close", "open"):
        sent = staff_client.post(f"/staff/engagements/cycle/{path}", data={"confirm": "yes"})
        assert sent.status_code == 302
    actions = list(
        db.session.scalars(
            sa.select(AuditLog.action).where(AuditLog.target == "cycle").order_by(AuditLog.id)
        )
    )
    assert actions == ["engagement.open", "engagement.close", "engagement.reopen"]
    assert engagement("cycle").status == EngagementStatus.OPEN


YES = {"confirm": "yes"}


def answer_comments(eng, text="hello", choice=None):
    question = next(q for q in eng.questions if q.code == "comments")
    response = Response(engagement_id=eng.id, locale="en", channel="web")
    response.answers.append(Answer(question_id=question.id, text=text))
    if choice:
        news = next(q for q in eng.questions if q.code == "news")
        response.answers.append(Answer(question_id=news.id, choice=choice))
    db.session.add(response)
    db.session.commit()


def test_questions_and_options_with_answers_are_hidden_not_deleted(staff_client, seeded):
    eng = make_engagement(slug="answered")
    answer_comments(eng, choice="email")
    comments = next(q for q in eng.questions if q.code == "comments")
    rating = next(q for q in eng.questions if q.code == "rating")
    news = next(q for q in eng.questions if q.code == "news")
    email = next(o for o in news.options if o.code == "email")
    text = next(o for o in news.options if o.code == "text")
    base = "/staff/engagements/answered"
    staff_client.post(f"{base}/questions/{comments.id}/remove", data=YES)
    staff_client.post(f"{base}/questions/{rating.id}/remove", data=YES)
    staff_client.post(f"{base}/options/{email.id}/remove", data=YES)
    staff_client.post(f"{base}/options/{text.id}/remove", data=YES)
    db.session.expire_all()
    assert db.session.get(Question, comments.id).hidden is True
    assert db.session.get(Question, rating.id) is None
    assert db.session.get(QuestionOption, email.id).hidden is True
    assert db.session.get(QuestionOption, text.id) is None
    assert db.session.scalar(sa.select(sa.func.count(Answer.id))) == 2
    # Codes and kinds of answered questions, and codes of answered options, are frozen.
    page = staff_client.post(
        f"{base}/questions/{news.id}/edit",
        data={"kind": "single_choice", "code": "news2", "text": "How do you get news?"},
    ).get_data(as_text=True)
    assert "its code and kind can no longer change" in page
    page = staff_client.post(
        f"{base}/options/{email.id}/edit", data={"code": "mail", "label": "E-mail"}
    ).get_data(as_text=True)
    assert "its code cannot change" in page
    db.session.expire_all()
    assert db.session.get(QuestionOption, email.id).code == "email"
    # Hidden questions come back.
    staff_client.post(f"{base}/questions/{comments.id}/show")
    db.session.expire_all()
    assert db.session.get(Question, comments.id).hidden is False


def test_reorder_questions_up_and_down(staff_client, seeded):
    eng = make_engagement(slug="order")

    def codes():
        questions = engagement("order").questions
        return [q.code for q in sorted(questions, key=lambda q: q.position)]

    first = codes()
    last = engagement("order").questions[-1]
    staff_client.post(f"/staff/engagements/order/questions/{last.id}/move/up")
    assert codes() == first[:-2] + [first[-1], first[-2]]
    top = engagement("order").questions[0]
    staff_client.post(f"/staff/engagements/order/questions/{top.id}/move/up")  # no-op at top
    assert codes()[0] == first[0]
    assert eng.id


def test_duplicate_slug_and_bad_times_are_refused_with_messages(staff_client, seeded):
    make_engagement(slug="taken")
    data = {"kind": "survey", "slug": "taken", "title": "X", "school_id": "", "council_id": ""}
    page = staff_client.post("/staff/engagements/new", data=data).get_data(as_text=True)
    assert "Another engagement already uses this web address name." in page
    data.update(slug="fresh", opens_at="2030-09-02T08:00", closes_at="2030-09-01T08:00")
    page = staff_client.post("/staff/engagements/new", data=data).get_data(as_text=True)
    assert "The closing time must be after the opening time." in page
    assert engagement("fresh") is None


def test_codes_are_made_from_the_english_text_when_left_empty(staff_client, seeded):
    from engagement.staff.services.authoring import code_from_text

    assert code_from_text("How do you get school news?", set()) == "get_school_news"
    assert code_from_text("¿Qué tal?", set()) == "que_tal"
    assert code_from_text("2 buses", set()) == "q_2_buses"
    assert code_from_text("What?", {"what"}) == "what_2"
    eng = make_engagement(slug="codes", status=EngagementStatus.DRAFT, questions=[])
    staff_client.post(
        "/staff/engagements/codes/questions/new",
        data={"kind": "single_choice", "code": "", "text": "How do you get school news?"},
    )
    staff_client.post(
        "/staff/engagements/codes/questions/new",
        data={"kind": "open_text", "code": "", "text": "How do you get school news?"},
    )
    questions = engagement("codes").questions
    assert [q.code for q in questions] == ["get_school_news", "get_school_news_2"]
    first = questions[0]
    staff_client.post(
        f"/staff/engagements/codes/questions/{first.id}/options/new",
        data={"code": "", "label": "Text message"},
    )
    assert [o.code for o in engagement("codes").questions[0].options] == ["text_message"]
    # An edit that leaves the code empty keeps the code it had.
    staff_client.post(
        f"/staff/engagements/codes/questions/{first.id}/edit",
        data={"kind": "single_choice", "code": "", "text": "Where do you hear school news?"},
    )
    assert engagement("codes").questions[0].code == "get_school_news"
    assert eng.id


def test_an_answered_question_shows_its_code_and_kind_as_fixed(staff_client, seeded):
    eng = make_engagement(slug="answered")
    answer_comments(eng)
    comments = next(q for q in eng.questions if q.code == "comments")
    page = staff_client.get(f"/staff/engagements/answered/questions/{comments.id}/edit").get_data(
        as_text=True
    )
    assert 'name="code" value="comments"' in page and 'type="hidden" name="code"' in page
    assert '<select id="kind"' not in page
