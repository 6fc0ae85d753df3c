"""Exchange mode through the family and staff pages: Share, moderate, Rate."""

import re

import pytest
import sqlalchemy as sa

from engagement import exchanges
from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerAnalysis,
    ExchangeIdea,
    ExchangePhase,
    ExchangeRating,
    IdeaState,
    Response,
    Role,
)
from tests.exchange.helpers import approve_all, make_exchange, share
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import sign_in

IDEA = "Hold meetings in the evening with childcare and interpreters, please."


def token_in(body):
    return re.search(r'name="token" value="([^"]+)"', body).group(1)


def send_idea(client, slug, text, lang="en", **extra):
    page = client.get(f"/e/{slug}/exchange/share?lang={lang}")
    assert page.status_code == 200
    data = {"token": token_in(page.get_data(as_text=True)), "idea": text, **extra}
    return client.post(f"/e/{slug}/exchange/share?lang={lang}", data=data)


def rate_page_ideas(body):
    return [int(i) for i in re.findall(r'name="idea_(\d+)"', body)][::6]


def test_share_stores_an_answer_and_queues_it(app, seeded, client):
    exchange = make_exchange()
    response = send_idea(client, "spring-forum", IDEA, roles=str(group("parent_guardian").id))
    assert response.status_code == 303
    assert response.location.startswith("/e/spring-forum/exchange/shared")
    idea = db.session.scalar(sa.select(ExchangeIdea))
    assert idea.state == IdeaState.PENDING and idea.locale == "en"
    answer = db.session.get(Answer, idea.answer_id)
    assert answer.text == IDEA and answer.question_id == exchange.question_id
    # Analysed at submit like any answer, and stored with the family's group.
    assert db.session.get(AnswerAnalysis, answer.id) is not None
    assert [g.code for g in db.session.get(Response, answer.response_id).groups] == [
        "parent_guardian"
    ]


def test_the_share_question_is_not_on_the_ordinary_form(app, seeded, client):
    make_exchange()
    body = client.get("/e/spring-forum").get_data(as_text=True)
    assert "help families like yours be heard" not in body


def test_a_resent_share_form_stores_one_idea(app, seeded, client):
    make_exchange()
    page = client.get("/e/spring-forum/exchange/share")
    data = {"token": token_in(page.get_data(as_text=True)), "idea": IDEA}
    assert client.post("/e/spring-forum/exchange/share", data=data).status_code == 303
    assert client.post("/e/spring-forum/exchange/share", data=data).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(ExchangeIdea.id))) == 1


def test_share_without_token_or_text_stores_nothing(app, seeded, client):
    make_exchange()
    assert client.post("/e/spring-forum/exchange/share", data={"idea": IDEA}).status_code == 400
    assert send_idea(client, "spring-forum", "   ").status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(ExchangeIdea.id))) == 0


def test_qr_address_follows_the_phase(app, seeded, client):
    exchange = make_exchange()
    response = client.get("/e/spring-forum/exchange?channel=qr&lang=es")
    assert response.status_code == 303 and "/exchange/share" in response.location
    assert "channel=qr" in response.location
    exchanges.set_phase(exchange, ExchangePhase.RATE)
    response = client.get("/e/spring-forum/exchange")
    assert response.status_code == 303 and "/exchange/rate" in response.location
    assert client.get("/e/spring-forum/exchange/share").status_code == 302
    exchanges.set_phase(exchange, ExchangePhase.CLOSED)
    assert client.get("/e/spring-forum/exchange").status_code == 200
    assert client.post("/e/spring-forum/exchange/share", data={"idea": IDEA}).status_code == 410


def test_no_exchange_is_a_404(app, seeded, client):
    make_engagement(slug="plain-survey")
    for path in ("", "/share", "/rate", "/shared", "/rated"):
        assert client.get(f"/e/plain-survey/exchange{path}").status_code == 404


def test_rate_a_sample_never_own_and_only_approved(app, seeded, client):
    exchange = make_exchange(sample_size=3)
    send_idea(client, "spring-forum", "My own idea about evening meetings and childcare.")
    own = db.session.scalar(sa.select(ExchangeIdea))
    others = [share(exchange, f"Idea number {n} about school buses and routes.") for n in range(4)]
    waiting = share(exchange, "An idea nobody approved about the lunch menu.")
    approve_all(exchange)
    exchanges.decide(exchange, waiting.id, IdeaState.REJECTED)
    exchanges.set_phase(exchange, ExchangePhase.RATE)
    body = client.get("/e/spring-forum/exchange/rate").get_data(as_text=True)
    shown = rate_page_ideas(body)
    assert len(shown) == 3
    assert own.id not in shown and waiting.id not in shown
    assert set(shown) <= {i.id for i in others}
    assert "lunch menu" not in body and "My own idea" not in body
    # A reload shows the same sample.
    assert (
        rate_page_ideas(client.get("/e/spring-forum/exchange/rate").get_data(as_text=True)) == shown
    )
    data = {"shown": shown, f"idea_{shown[0]}": "5", f"idea_{shown[1]}": "skip"}
    response = client.post("/e/spring-forum/exchange/rate", data=data)
    assert response.status_code == 303
    ratings = {r.idea_id: r.stars for r in db.session.scalars(sa.select(ExchangeRating))}
    assert ratings == {shown[0]: 5, shown[1]: None, shown[2]: None}
    # The next sample: the one idea left, never one already answered or one's own.
    body = client.get("/e/spring-forum/exchange/rate").get_data(as_text=True)
    assert rate_page_ideas(body) == sorted(set(i.id for i in others) - set(shown))
    # Resending the first form stores nothing twice.
    client.post("/e/spring-forum/exchange/rate", data=data)
    assert db.session.scalar(sa.select(sa.func.count(ExchangeRating.id))) == 3


def test_a_tampered_star_value_is_refused(app, seeded, client):
    exchange = make_exchange()
    share(exchange, "Idea about school buses and safer routes for walkers.")
    approve_all(exchange)
    exchanges.set_phase(exchange, ExchangePhase.RATE)
    shown = rate_page_ideas(client.get("/e/spring-forum/exchange/rate").get_data(as_text=True))
    response = client.post(
        "/e/spring-forum/exchange/rate", data={"shown": shown, f"idea_{shown[0]}": "9"}
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(ExchangeRating.id))) == 0


@pytest.mark.parametrize(
    ("texts", "rater", "shown", "note"),
    [
        ({}, "es", "Idée", "Written in"),
        ({"en": "English version"}, "es", "English version", "English version by"),
        ({"en": "English version", "es": "Versión en español"}, "es", "Versión", "Translated"),
        ({"en": "English version"}, "fr_only", "Idée", "Written in"),
    ],
)
def test_ideas_in_another_language(app, seeded, texts, rater, shown, note):
    exchange = make_exchange()
    idea = share(exchange, "Idée: des réunions le soir avec garde d'enfants.", locale="ht")
    exchanges.save_renderings(idea, texts)
    locale = "es" if rater != "fr_only" else "ht"
    view = exchanges.sample_views([idea], locale)[0]
    if rater == "fr_only":  # a reader of the idea's own language sees it as written
        assert view.how == "own"
        return
    assert view.text.startswith(shown)
    assert {"Written in": "original", "English version by": "english", "Translated": "translation"}[
        note
    ] == view.how


def test_staff_approve_and_read_results(app, seeded, client):
    exchange = make_exchange()
    idea = share(exchange, "Call me at 617-555-0123 about evening meetings with childcare.")
    staff = make_user("staff@example.org", Role.STAFF)
    assert sign_in(client, staff.email).status_code == 302
    page = client.get("/staff/engagements/spring-forum/exchange/ideas").get_data(as_text=True)
    assert "617-555-0123" not in page  # masked
    response = client.post(
        "/staff/engagements/spring-forum/exchange/ideas/decide",
        data={"idea_id": idea.id, "decision": "approved"},
    )
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.state == IdeaState.APPROVED
    response = client.post(
        "/staff/engagements/spring-forum/exchange/translate",
        data={"idea": idea.id, "text_es": "Reuniones por la noche", "text_ar": ""},
    )
    assert response.status_code == 302
    assert {row.locale: row.text for row in idea.texts} == {"es": "Reuniones por la noche"}
    assert client.get("/staff/engagements/spring-forum/exchange/results").status_code == 200
    projector = client.get("/staff/engagements/spring-forum/exchange/projector")
    assert projector.status_code == 200
    assert "evening meetings" not in projector.get_data(as_text=True)
    response = client.post("/staff/engagements/spring-forum/exchange/phase", data={"phase": "rate"})
    assert response.status_code == 302 and exchange.phase == ExchangePhase.RATE


def test_staff_turn_exchange_on_for_forums_only(app, seeded, client):
    staff = make_user("staff@example.org", Role.STAFF)
    sign_in(client, staff.email)
    coffee = make_engagement(slug="coffee", kind="coffee_conversation", questions=[])
    survey = make_engagement(slug="survey", questions=[])
    response = client.post("/staff/engagements/coffee/exchange", data={"sample_size": "6"})
    assert response.status_code == 302
    assert exchanges.exchange_of(coffee.id).sample_size == 6
    page = client.get("/staff/engagements/coffee/exchange").get_data(as_text=True)
    assert "/e/coffee/exchange?channel=qr" in page
    response = client.post("/staff/engagements/survey/exchange", data={"sample_size": "6"})
    assert response.status_code == 400 and exchanges.exchange_of(survey.id) is None


def test_held_idea_cannot_be_approved(app, seeded):
    from engagement.models import HoldReason

    exchange = make_exchange()
    idea = exchanges.share_idea(
        exchange,
        exchanges.new_participant(exchange, "en"),
        "A machine-speed idea about buses.",
        "en",
        "nonce-1",
        held_reason=HoldReason.MACHINE_SPEED,
    )
    with pytest.raises(exchanges.ExchangeError):
        exchanges.decide(exchange, idea.id, IdeaState.APPROVED)


def test_deleting_the_share_question_turns_exchange_off(app, seeded, client):
    exchange = make_exchange()
    engagement_id, question_id = exchange.engagement_id, exchange.question_id
    staff = make_user("staff@example.org", Role.STAFF)
    sign_in(client, staff.email)
    url = f"/staff/engagements/spring-forum/questions/{question_id}/remove"
    assert client.post(url, data={"confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert exchanges.exchange_of(engagement_id) is None
    assert client.get("/e/spring-forum/exchange").status_code == 404
