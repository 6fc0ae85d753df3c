"""Reuse: duplicating an engagement, and the question bank (issue 13)."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Answer,
    AuditLog,
    BankQuestion,
    Engagement,
    EngagementStatus,
    Event,
    LoopAction,
    LoopActionText,
    Question,
    Response,
    utcnow,
)
from engagement.models.content import is_stale
from engagement.staff.services import reuse
from engagement.staff.services.authoring import AuthoringError
from engagement.staff.services.texts import source_row
from tests.factories import make_engagement


def audit_rows(action):
    return list(db.session.scalars(sa.select(AuditLog).where(AuditLog.action == action)))


def with_history(engagement):
    """A response, an event and a "you said, we did" note on `engagement`."""
    comments = next(q for q in engagement.questions if q.code == "comments")
    response = Response(engagement_id=engagement.id, locale="en", channel="web")
    response.answers.append(Answer(question_id=comments.id, text="More buses please"))
    action = LoopAction(engagement_id=engagement.id)
    action.texts.append(LoopActionText(locale="en", heard="h", did="d"))
    event = Event(engagement_id=engagement.id, held_on=utcnow().date(), attendance=4)
    db.session.add_all([response, action, event])
    db.session.commit()


def counts(model, engagement):
    query = sa.select(sa.func.count()).select_from(model)
    return db.session.scalar(query.where(model.engagement_id == engagement.id))


# --- duplicate -----------------------------------------------------------------------------


def test_duplicate_copies_questions_options_and_translations_only(seeded):
    original = make_engagement(
        slug="fall-2026", series="fall", titles={"en": "Fall", "es": "Otoño"}
    )
    with_history(original)
    original.questions[1].hidden = True  # removed question: not carried over
    db.session.commit()

    copy = reuse.duplicate_engagement(original, "Fall-2027", "Fall")

    assert copy.slug == "fall-2027" and copy.status == EngagementStatus.DRAFT
    assert copy.series == "fall" and copy.kind == original.kind
    assert copy.opens_at is None and copy.closes_at is None
    assert copy.title("es") == "Otoño"
    assert [q.code for q in copy.questions] == ["informed", "help", "rating", "comments"]
    assert [q.position for q in copy.questions] == [0, 1, 2, 3]
    help_q = next(q for q in copy.questions if q.code == "help")
    assert [o.code for o in help_q.options] == ["childcare", "interpreter", "evening"]
    assert help_q.options[0].text("es")[0].label == "Cuidado de niños"
    assert help_q.text("es")[0].text == "¿Qué le ayudaría?"
    # New rows, not shared ones: the original keeps its own.
    original_ids = {q.id for q in original.questions}
    assert not original_ids & {q.id for q in copy.questions}
    for model in (Response, Event, LoopAction):
        assert counts(model, copy) == 0
        assert counts(model, original) == 1
    (row,) = audit_rows("engagement.duplicate")
    assert row.target == "fall-2027"
    assert row.details["copied_from"] == {"before": None, "after": "fall-2026"}
    assert row.details["questions"] == {"before": None, "after": 4}


def test_duplicate_with_a_new_title_marks_the_title_translation_out_of_date(seeded):
    original = make_engagement(slug="fall-2026", titles={"en": "Fall 2026", "es": "Otoño 2026"})
    for row in original.texts:
        row.source_hash = source_row(original.texts).content_hash()
    db.session.commit()
    copy = reuse.duplicate_engagement(original, "fall-2027", "Fall 2027")
    spanish = next(r for r in copy.texts if r.locale == "es")
    assert copy.title("en") == "Fall 2027"
    assert is_stale(spanish, source_row(copy.texts))
    assert not is_stale(
        next(r for r in original.texts if r.locale == "es"), source_row(original.texts)
    )


def test_duplicate_refuses_a_taken_or_reserved_address(seeded):
    original = make_engagement(slug="fall-2026")
    make_engagement(slug="fall-2027")
    for slug in ("fall-2027", "FALL-2026", "new"):
        try:
            reuse.duplicate_engagement(original, slug, "Copy")
        except AuthoringError:
            pass
        else:
            raise AssertionError(f"{slug} was accepted")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == 2
    assert audit_rows("engagement.duplicate") == []


def test_duplicate_page_suggests_a_free_address_and_makes_the_copy(staff_client, seeded):
    make_engagement(slug="fall", titles={"en": "Fall survey"})
    make_engagement(slug="fall-copy")
    page = staff_client.get("/staff/engagements/fall/duplicate").get_data(as_text=True)
    assert 'value="fall-copy-2"' in page and 'value="Fall survey"' in page
    detail = staff_client.get("/staff/engagements/fall").get_data(as_text=True)
    assert "/staff/engagements/fall/duplicate" in detail
    response = staff_client.post(
        "/staff/engagements/fall/duplicate", data={"slug": "fall-copy", "title": "Again"}
    )
    assert "Another engagement already uses this web address name." in response.get_data(
        as_text=True
    )
    response = staff_client.post(
        "/staff/engagements/fall/duplicate", data={"slug": "winter", "title": "Winter survey"}
    )
    assert response.status_code == 302 and response.location.endswith("/staff/engagements/winter")
    winter = db.session.scalar(sa.select(Engagement).where(Engagement.slug == "winter"))
    assert winter.title("en") == "Winter survey" and len(winter.questions) == 5


# --- the question bank ----------------------------------------------------------------------


def news_question(engagement):
    return next(q for q in engagement.questions if q.code == "news")


def test_save_to_bank_copies_options_and_translations(seeded):
    engagement = make_engagement(slug="fall")
    entry = reuse.save_to_bank(news_question(engagement))
    assert entry.code == "news" and entry.kind == "single_choice"
    assert entry.text("es")[0].text == "¿Cómo recibe noticias?"
    assert [(o.code, o.text("es")[0].label) for o in entry.options] == [
        ("email", "Correo electrónico"),
        ("text", "Mensaje de texto"),
    ]
    assert news_question(engagement).bank_question_id == entry.id
    (row,) = audit_rows("bank.save")
    assert row.target == "news" and row.details["from"]["after"] == "fall"


def test_the_same_code_cannot_enter_the_bank_twice(seeded):
    reuse.save_to_bank(news_question(make_engagement(slug="fall")))
    other = news_question(make_engagement(slug="spring"))
    try:
        reuse.save_to_bank(other)
    except reuse.BankError as error:
        assert "already has a question with the code news" in str(error)
    else:
        raise AssertionError("a second 'news' entered the bank")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BankQuestion)) == 1


def test_bank_questions_keep_their_code_across_a_series(seeded):
    fall = make_engagement(slug="fall-2026", series="climate")
    entry = reuse.save_to_bank(news_question(fall))
    spring = make_engagement(slug="spring-2027", series="climate", questions=[])
    (added,) = reuse.add_from_bank(spring, [entry])
    assert added.code == "news" and added.bank_question_id == entry.id
    assert [o.code for o in added.options] == ["email", "text"]
    assert added.text("es")[0].text == "¿Cómo recibe noticias?"
    # A clash refuses the whole choice and adds nothing.
    try:
        reuse.add_from_bank(spring, [entry])
    except reuse.BankError as error:
        assert "news" in str(error)
    else:
        raise AssertionError("the code news was added twice")
    assert len(spring.questions) == 1
    (row,) = audit_rows("bank.use")
    assert row.target == "spring-2027" and row.details["questions"]["after"] == ["news"]


def test_editing_the_bank_never_changes_questions_already_asked(seeded):
    fall = make_engagement(slug="fall")
    entry = reuse.save_to_bank(news_question(fall))
    reuse.edit_bank_question(entry, {"code": "news", "text": "Where do you hear news?"})
    assert news_question(fall).text("en")[0].text == "How do you get news?"
    assert entry.text("en")[0].text == "Where do you hear news?"
    (row,) = audit_rows("bank.edit")
    assert row.details == {
        "text": {"before": "How do you get news?", "after": "Where do you hear news?"}
    }


def test_a_bank_code_is_editable_until_first_answered_and_follows_to_its_copies(seeded):
    fall = make_engagement(slug="fall")
    entry = reuse.save_to_bank(news_question(fall))
    spring = make_engagement(slug="spring", questions=[])
    reuse.add_from_bank(spring, [entry])
    # No answers yet: the new code goes to the bank and to both copies, so they still match.
    reuse.edit_bank_question(entry, {"code": "news_source", "text": "How do you get news?"})
    assert entry.code == "news_source"
    assert [q.code for q in spring.questions] == ["news_source"]
    assert "news_source" in {q.code for q in fall.questions}
    (row,) = audit_rows("bank.edit")
    assert row.details["code"] == {"before": "news", "after": "news_source"}
    assert row.details["engagements_given_the_new_code"]["after"] == ["fall", "spring"]
    # Once a copy has answers, the code is fixed.
    response = Response(engagement_id=spring.id, locale="en", channel="web")
    response.answers.append(Answer(question_id=spring.questions[0].id, choice="email"))
    db.session.add(response)
    db.session.commit()
    try:
        reuse.edit_bank_question(entry, {"code": "news_again", "text": "How do you get news?"})
    except reuse.BankError as error:
        assert "can no longer change" in str(error)
    else:
        raise AssertionError("the code of an answered bank question changed")
    db.session.rollback()
    assert entry.code == "news_source" and spring.questions[0].code == "news_source"


def test_a_new_bank_code_that_clashes_in_a_copy_is_refused(seeded):
    fall = make_engagement(slug="fall")
    entry = reuse.save_to_bank(news_question(fall))
    try:
        reuse.edit_bank_question(entry, {"code": "comments", "text": "How do you get news?"})
    except reuse.BankError as error:
        assert "fall" in str(error) and "comments" in str(error)
    else:
        raise AssertionError("two questions of one engagement got the same code")
    db.session.rollback()
    assert entry.code == "news"
    # Taken out of the bank, the engagement keeps its copy.
    reuse.remove_bank_question(entry)
    assert news_question(fall).bank_question_id is None


def test_new_engagement_from_several_bank_questions(staff_client, seeded):
    fall = make_engagement(slug="fall")
    ids = [reuse.save_to_bank(q).id for q in fall.questions if q.code in ("news", "comments")]
    bank_page = staff_client.get("/staff/bank").get_data(as_text=True)
    assert "How do you get news?" in bank_page and 'name="bank"' in bank_page
    query = "&".join(f"bank={i}" for i in ids)
    page = staff_client.get(f"/staff/engagements/new?{query}").get_data(as_text=True)
    assert page.count("checked") == 2
    data = {
        "kind": "survey",
        "title": "Spring survey",
        "slug": "spring",
        "school_id": "",
        "council_id": "",
        "bank_questions": ids,
    }
    response = staff_client.post("/staff/engagements/new", data=data)
    assert response.status_code == 302
    spring = db.session.scalar(sa.select(Engagement).where(Engagement.slug == "spring"))
    assert [q.code for q in spring.questions] == ["comments", "news"]
    assert spring.questions[1].text("es")[0].text == "¿Cómo recibe noticias?"
    assert audit_rows("engagement.create") and audit_rows("bank.use")


def test_add_from_bank_page_offers_only_codes_not_yet_used(staff_client, seeded):
    fall = make_engagement(slug="fall")
    news = reuse.save_to_bank(news_question(fall))
    other = make_engagement(slug="other", questions=[])
    page = staff_client.get("/staff/engagements/fall/from-bank").get_data(as_text=True)
    assert "There is no bank question left to add." in page
    response = staff_client.post("/staff/engagements/other/from-bank", data={})
    assert "Choose at least one question." in response.get_data(as_text=True)
    response = staff_client.post(
        "/staff/engagements/other/from-bank", data={"bank_questions": [news.id]}
    )
    assert response.status_code == 302
    assert [q.code for q in other.questions] == ["news"]


def test_save_to_bank_button_and_removal_with_confirmation(staff_client, seeded):
    fall = make_engagement(slug="fall")
    question = news_question(fall)
    detail = staff_client.get("/staff/engagements/fall").get_data(as_text=True)
    assert f"/staff/engagements/fall/questions/{question.id}/to-bank" in detail
    response = staff_client.post(f"/staff/engagements/fall/questions/{question.id}/to-bank")
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(BankQuestion))
    page = staff_client.get(f"/staff/bank/{entry.id}/edit").get_data(as_text=True)
    assert 'name="code"' in page and "The code is fixed" not in page
    response = staff_client.post(f"/staff/bank/{entry.id}/remove")
    assert "Take news out of the bank?" in response.get_data(as_text=True)
    assert db.session.get(BankQuestion, entry.id) is not None
    response = staff_client.post(f"/staff/bank/{entry.id}/remove", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(BankQuestion)) is None
    assert db.session.get(Question, question.id).code == "news"
    assert audit_rows("bank.remove")


def test_a_question_from_the_bank_keeps_the_banks_code_and_kind(staff_client, seeded):
    fall = make_engagement(slug="fall")
    question = news_question(fall)
    reuse.save_to_bank(question)
    url = f"/staff/engagements/fall/questions/{question.id}/edit"
    page = staff_client.get(url).get_data(as_text=True)
    assert "This question comes from the question bank" in page
    data = {"kind": "single_choice", "code": "news_2", "text": "How do you get news?"}
    page = staff_client.post(url, data=data).get_data(as_text=True)
    assert "its code and kind stay the bank&#39;s" in page
    assert news_question(fall).code == "news"
    # The English text can still be corrected.
    data["code"] = "news"
    data["text"] = "How do you usually get news?"
    assert staff_client.post(url, data=data).status_code == 302
    assert news_question(fall).text("en")[0].text == "How do you usually get news?"


def test_a_bank_question_is_translated_on_its_own_page(staff_client, seeded):
    fall = make_engagement(slug="fall")
    entry = reuse.save_to_bank(news_question(fall))
    page = staff_client.get(f"/staff/bank/{entry.id}/edit").get_data(as_text=True)
    assert f"/staff/bank/{entry.id}/translations/ht" in page
    assert "0/3 strings" in page  # question and two options, nothing in Haitian Creole yet
    url = f"/staff/bank/{entry.id}/translations/ht"
    page = staff_client.get(url).get_data(as_text=True)
    assert 'name="u0_text"' in page and 'name="u1_label"' in page
    data = {"u0_text": "Kijan ou resevwa nouvèl?", "u1_label": "Imèl", "u2_label": ""}
    response = staff_client.post(url, data=data, follow_redirects=True)
    assert "2 strings saved." in response.get_data(as_text=True)
    assert entry.text("ht")[0].text == "Kijan ou resevwa nouvèl?"
    assert news_question(fall).text("ht")[0].text != "Kijan ou resevwa nouvèl?"
    # An engagement that adds it now gets the translation with it.
    spring = make_engagement(slug="spring", questions=[])
    (added,) = reuse.add_from_bank(spring, [entry])
    assert added.text("ht")[0].text == "Kijan ou resevwa nouvèl?"
    assert added.options[0].text("ht")[0].label == "Imèl"
    assert staff_client.get(f"/staff/bank/{entry.id}/translations/xx").status_code == 404
