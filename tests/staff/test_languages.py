"""Offered languages per engagement (issue 13): the family pages offer only them, opening
needs every string in each, a question added while open waits for its translations, and
staff see the state from the dates."""

import re
from datetime import timedelta

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    AuditLog,
    Engagement,
    EngagementStatus,
    QuestionKind,
    QuestionText,
    Response,
    utcnow,
)
from engagement.staff.services import languages
from tests.factories import make_engagement

SPANISH_ONLY = [
    {
        "code": "informed",
        "kind": QuestionKind.LIKERT5,
        "required": True,
        "texts": {"en": "I feel informed.", "es": "Me siento informado."},
    },
    {
        "code": "comments",
        "kind": QuestionKind.OPEN_TEXT,
        "texts": {"en": "Anything else?", "es": "¿Algo más?"},
    },
]


def bilingual(slug="bilingual", status=EngagementStatus.OPEN, questions=None):
    """An engagement offered in English and Spanish, fully translated into Spanish."""
    return make_engagement(
        slug=slug,
        status=status,
        languages="en,es",
        questions=questions if questions is not None else [dict(q) for q in SPANISH_ONLY],
    )


def language_control(body: str) -> list[str]:
    """The languages of the header's language control, as their lang attributes."""
    nav = body.split('class="languages"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'lang="([^"]+)"', nav.split("<ul>", 1)[1])


def html_lang(body: str) -> str:
    return re.search(r'<html lang="([^"]+)"', body).group(1)


def test_new_engagement_form_saves_the_offered_languages(staff_client, seeded):
    page = staff_client.get("/staff/engagements/new").get_data(as_text=True)
    # Every language is ticked at first.
    for code in ("es", "pt_BR", "zh_Hans", "ht", "ar"):
        assert re.search(rf'<input[^>]*checked[^>]*value="{code}"', page), code
    sent = staff_client.post(
        "/staff/engagements/new",
        data={"kind": "survey", "slug": "three", "title": "Three", "languages": ["es", "ar"]},
    )
    assert sent.status_code == 302
    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == "three"))
    assert engagement.offered_languages == ["en", "es", "ar"]
    created = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "engagement.create"))
    assert created.details["languages"]["after"] == "en,es,ar"


def test_family_form_offers_only_the_offered_languages(client, seeded):
    bilingual()
    body = client.get("/e/bilingual?lang=es").get_data(as_text=True)
    assert html_lang(body) == "es"
    assert language_control(body) == ["en", "es"]
    assert "Me siento informado." in body
    assert "This form is not offered in your language" not in body


def test_a_language_not_offered_gets_english_with_a_notice_in_its_own(client, seeded):
    bilingual()
    body = client.get("/e/bilingual?lang=pt_BR").get_data(as_text=True)
    assert html_lang(body) == "en"
    assert language_control(body) == ["en", "es"]
    assert "I feel informed." in body
    notice = re.search(r'<p class="language-notice" lang="pt-BR" dir="ltr">([^<]+)</p>', body)
    assert notice and "Español" in notice.group(1) and "English" in notice.group(1)
    assert "not offered in your language" not in notice.group(1)  # written in Portuguese
    # Arabic: right to left, in Arabic.
    body = client.get("/e/bilingual?lang=ar").get_data(as_text=True)
    assert '<p class="language-notice" lang="ar" dir="rtl">' in body


def test_the_browser_language_picks_the_best_offered_one(client, seeded):
    bilingual()
    page = client.get("/e/bilingual", headers={"Accept-Language": "pt-BR, es;q=0.8"})
    body = page.get_data(as_text=True)
    assert html_lang(body) == "es"  # Portuguese is not offered, Spanish is
    assert 'lang="pt-BR"' in body and "language-notice" in body
    # The page kept for an English visitor has no notice (the cache tells them apart).
    plain = client.get("/e/bilingual", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<p class="language-notice"' not in plain


def test_an_answer_sent_in_a_language_not_offered_is_stored_in_the_shown_one(client, seeded):
    engagement = bilingual()
    body = client.get("/e/bilingual?lang=ht").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    informed = f"q_{engagement.questions[0].id}"
    sent = client.post("/e/bilingual?lang=ht", data={informed: "4", "token": token})
    assert sent.status_code == 303
    stored = db.session.scalar(sa.select(Response))
    assert stored.locale == "en"


def test_opening_is_refused_while_a_string_is_missing(staff_client, seeded):
    questions = [dict(q) for q in SPANISH_ONLY]
    questions[1] = {**questions[1], "texts": {"en": "Anything else?"}}
    engagement = bilingual(slug="half", status=EngagementStatus.DRAFT, questions=questions)
    page = staff_client.post("/staff/engagements/half/open", follow_redirects=True)
    body = page.get_data(as_text=True)
    assert "Español is missing: question comments, question." in body
    assert 'href="/staff/engagements/half/translations/es"' in body
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).status == EngagementStatus.DRAFT
    assert not db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "engagement.open"))
    # Translated, it opens.
    question = engagement.questions[1]
    staff_client.post(
        "/staff/engagements/half/translations/es",
        data={"u2_text": "¿Algo más?"},
    )
    assert question.texts and any(t.locale == "es" for t in question.texts)
    page = staff_client.post("/staff/engagements/half/open", follow_redirects=True)
    assert "The engagement is open." in page.get_data(as_text=True)


def test_missing_strings_are_listed_per_offered_language(app, seeded):
    with app.test_request_context("/"):
        engagement = make_engagement(slug="three", status=EngagementStatus.DRAFT)
        engagement.offered_languages = ["es", "ht"]
        missing = {m.locale: m.descriptions() for m in languages.missing_strings(engagement)}
        assert list(missing) == ["ht"]  # the factory's texts are English and Spanish
        assert "Title" in missing["ht"]
        assert "question informed, question" in missing["ht"]
        assert "option email of question news" in missing["ht"]


def test_a_question_added_while_open_waits_for_its_translations(staff_client, client, seeded):
    engagement = bilingual(slug="live")
    sent = staff_client.post(
        "/staff/engagements/live/questions/new",
        data={"kind": "open_text", "code": "late", "text": "One more thing?", "required": "y"},
    )
    assert sent.status_code == 302
    late = next(q for q in engagement.questions if q.code == "late")
    assert late.awaiting_translation
    detail = staff_client.get("/staff/engagements/live").get_data(as_text=True)
    assert "Hidden from families until translated" in detail
    waiting = detail.split('id="waiting-questions"', 1)[1].split("</div>", 1)[0]
    assert "late" in waiting and "Español" in waiting
    # Families (in English too) do not see it, and its being required blocks no one.
    for lang in ("en", "es"):
        body = client.get(f"/e/live?lang={lang}").get_data(as_text=True)
        assert f"q_{late.id}" not in body
    body = client.get("/e/live?lang=es").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    sent = client.post(
        "/e/live?lang=es", data={f"q_{engagement.questions[0].id}": "3", "token": token}
    )
    assert sent.status_code == 303
    # Translated into Spanish on the translation page: shown to families. (The one client
    # visited the family page in Spanish: the staff pages are asked for in English.)
    page = staff_client.get("/staff/engagements/live/translations/es?lang=en")
    index = re.search(r'name="(u\d+)_text"[^>]*>\s*</textarea>', page.get_data(as_text=True))
    index = index.group(1)
    saved = staff_client.post(
        "/staff/engagements/live/translations/es?lang=en",
        data={f"{index}_text": "¿Una cosa más?"},
        follow_redirects=True,
    )
    assert "Now shown to families: late" in saved.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(type(late), late.id).awaiting_translation
    body = client.get("/e/live?lang=es").get_data(as_text=True)
    assert "¿Una cosa más?" in body


def test_a_language_is_added_to_an_open_engagement_only_once_translated(staff_client, seeded):
    engagement = bilingual(slug="grow")
    data = {"kind": "survey", "slug": "grow", "title": "Test survey", "languages": ["es", "ht"]}
    page = staff_client.post("/staff/engagements/grow/edit", data=data)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kreyòl ayisyen is missing" in body
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).offered_languages == ["en", "es"]
    # Removing one is always allowed.
    data["languages"] = []
    assert staff_client.post("/staff/engagements/grow/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).offered_languages == ["en"]


def test_translation_overview_lists_offered_languages_first(staff_client, seeded):
    bilingual(slug="over")
    body = staff_client.get("/staff/engagements/over/translations").get_data(as_text=True)
    rows = re.findall(r'/translations/(\w+)" lang', body)
    assert rows[0] == "es"
    assert body.count("Not offered") == 4


def test_staff_see_the_state_from_the_dates(staff_client, seeded):
    now = utcnow()
    soon = make_engagement(slug="soon", languages="en,es")
    soon.opens_at = now + timedelta(days=3)
    ended = make_engagement(slug="ended", languages="en,es")
    ended.closes_at = now - timedelta(days=1)
    ended.opens_at = now - timedelta(days=10)
    db.session.commit()
    make_engagement(slug="running", languages="en,es")
    body = staff_client.get("/staff/engagements").get_data(as_text=True)
    assert "Scheduled — opens" in body
    assert "Open — closes" in body
    assert re.search(r"<td>Closed [A-Z][a-z]{2} \d", body)
    detail = staff_client.get("/staff/engagements/ended").get_data(as_text=True)
    meta = detail.split('class="meta"', 1)[1].split("</p>", 1)[0]
    assert "Closed" in meta and "closes" not in meta


def test_question_text_rows_are_what_the_factory_made(app, seeded):
    """Guard for the tests above: a Spanish row is a QuestionText with locale es."""
    with app.test_request_context("/"):
        bilingual(slug="guard")
        rows = db.session.scalars(sa.select(QuestionText.locale)).all()
        assert sorted(set(rows)) == ["en", "es"]
