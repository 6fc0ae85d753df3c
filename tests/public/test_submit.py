"""Sending the form: stored once, redirected to a thank-you page in the same language."""

import pytest
import sqlalchemy as sa
from flask_babel import format_date

from engagement.models import (
    ActionStatus,
    Channel,
    Engagement,
    EngagementStatus,
    FollowUpContact,
    LoopAction,
    LoopActionText,
    RaceEthnicity,
    School,
)
from tests.factories import group, make_engagement
from tests.public.conftest import field, html_attr, in_locale, qid, responses, title, tr, valid_data


@pytest.mark.parametrize("locale", ["en", "es", "ar", "zh_Hans"])
def test_valid_answer_is_stored_and_redirects_to_thanks(app, client, survey, db, locale):
    response = client.post(f"/e/family-survey?lang={locale}", data=valid_data(survey))
    assert response.status_code == 303
    [stored] = responses(db)
    assert response.location == (f"/e/family-survey/thanks/{stored.receipt_code}?lang={locale}")
    assert stored.locale == locale
    assert stored.channel == Channel.WEB
    answers = {(a.question_id, a.choice, a.text) for a in stored.answers}
    assert answers == {
        (qid(survey, "informed"), "4", None),
        (qid(survey, "news"), "email", None),
        (qid(survey, "help"), "childcare", None),
        (qid(survey, "help"), "evening", None),
        (qid(survey, "rating"), "5", None),
        (qid(survey, "comments"), None, "More evening meetings, please."),
    }
    thanks = client.get(response.location)
    body = thanks.get_data(as_text=True)
    assert thanks.status_code == 200
    assert html_attr(body, "lang") == locale.replace("_", "-")
    assert stored.receipt_code in body
    assert tr(app, locale, "What happens next", template=True) in body
    assert title(body).startswith(tr(app, locale, "Thank you", template=True) + " – ")
    # The thank-you page shows no answers.
    assert "More evening meetings" not in body


def test_about_you_and_channel_are_stored(client, survey, db):
    school = db.session.scalar(sa.select(School).where(School.code == "butler"))
    data = valid_data(
        survey,
        channel="qr",
        roles=[str(group("parent_guardian").id)],
        councils=[str(group("elpac").id), str(group("sepac").id)],
        school=str(school.id),
        race_ethnicity="hispanic_latinx",
    )
    assert client.post("/e/family-survey", data=data).status_code == 303
    [stored] = responses(db)
    assert stored.channel == Channel.QR
    assert stored.school_id == school.id
    assert stored.race_ethnicity == RaceEthnicity.HISPANIC_LATINX
    assert {g.code for g in stored.groups} == {"parent_guardian", "elpac", "sepac"}
    assert db.session.scalar(sa.select(sa.func.count(FollowUpContact.id))) == 0


def test_prefer_not_to_say_and_empty_about_you(client, survey, db):
    data = valid_data(survey, race_ethnicity="prefer_not_to_say", school="")
    assert client.post("/e/family-survey", data=data).status_code == 303
    [stored] = responses(db)
    assert stored.race_ethnicity == RaceEthnicity.PREFER_NOT_TO_SAY
    assert stored.school_id is None and stored.groups == []


def test_follow_up_contact_needs_consent(app, client, survey, db):
    data = valid_data(survey, contact_name="Ana", contact_email="ana@example.org")
    response = client.post("/e/family-survey?lang=es", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    tick = (
        "Please tick this box if we may contact you, or clear your contact "
        "details. We only keep them with your permission."
    )
    assert tr(app, "es", tick) in body
    assert 'value="ana@example.org"' in body and 'value="Ana"' in body
    assert responses(db) == []

    data["contact_consent"] = "y"
    assert client.post("/e/family-survey?lang=es", data=data).status_code == 303
    contact = db.session.scalar(sa.select(FollowUpContact))
    assert (contact.name, contact.email, contact.phone) == ("Ana", "ana@example.org", "")
    assert contact.preferred_locale == "es"
    assert contact.response_id == responses(db)[0].id


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"contact_consent": "y"}, "please give an e-mail address or a phone number"),
        ({"contact_consent": "y", "contact_email": "not-an-address"}, "like name@example.com"),
        ({"contact_consent": "y", "contact_phone": "call me maybe"}, "phone number with digits"),
    ],
)
def test_follow_up_contact_errors(client, survey, db, extra, message):
    response = client.post("/e/family-survey", data=valid_data(survey, **extra))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert responses(db) == []


def test_phone_only_contact(client, survey, db):
    data = valid_data(survey, contact_consent="y", contact_phone="+1 (617) 555-0100")
    assert client.post("/e/family-survey", data=data).status_code == 303
    assert db.session.scalar(sa.select(FollowUpContact)).phone == "+1 (617) 555-0100"


def test_double_post_stores_one_response_and_both_see_thanks(client, survey, db):
    data = valid_data(survey)
    first = client.post("/e/family-survey?lang=es", data=data)
    second = client.post("/e/family-survey?lang=es", data=data)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert len(responses(db)) == 1
    assert client.get(second.location).status_code == 200


def test_different_tokens_store_two_responses(client, survey, db):
    client.post("/e/family-survey", data=valid_data(survey, token="a" * 43))
    client.post("/e/family-survey", data=valid_data(survey, token="b" * 43))
    assert len(responses(db)) == 2


def test_missing_or_malformed_token_still_stores_once(client, survey, db):
    data = valid_data(survey)
    del data["token"]
    assert client.post("/e/family-survey", data=data).status_code == 303
    data["token"] = "'; DROP TABLE response; --"
    assert client.post("/e/family-survey", data=data).status_code == 303
    stored = responses(db)
    assert len(stored) == 2
    assert all(r.idempotency_key and r.idempotency_key != data["token"] for r in stored)


def test_honeypot_pretends_success_and_stores_nothing(client, survey, db, caplog):
    response = client.post("/e/family-survey", data=valid_data(survey, homepage="http://spam"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your receipt code" in body
    assert responses(db) == []


def test_thanks_page_needs_a_real_receipt_of_that_engagement(client, survey, db):
    other = make_engagement(slug="other")
    location = client.post("/e/family-survey", data=valid_data(survey)).location
    receipt = responses(db)[0].receipt_code
    assert client.get(location).status_code == 200
    assert client.get(f"/e/family-survey/thanks/{receipt.lower()}").status_code == 200
    assert client.get(f"/e/{other.slug}/thanks/{receipt}").status_code == 404
    assert client.get("/e/family-survey/thanks/AAAA-BBBB").status_code == 404
    assert client.get("/e/family-survey/thanks/" + "A" * 200).status_code == 404


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_unknown_slug_is_a_404_in_the_visitors_language(app, client, seeded, locale):
    response = client.get(f"/e/no-such-thing?lang={locale}")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert html_attr(body, "lang") == locale
    assert tr(app, locale, "Page not found") in title(body)
    assert client.post(f"/e/no-such-thing?lang={locale}", data={}).status_code == 404


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_closed_engagement_shows_you_said_we_did(app, client, seeded, db, locale):
    engagement = make_engagement(
        slug="closed",
        status=EngagementStatus.CLOSED,
        titles={"en": "Closed survey", "es": "Encuesta cerrada"},
    )
    action = LoopAction(engagement=engagement, status=ActionStatus.IN_PROGRESS)
    action.texts.append(
        LoopActionText(locale="en", heard="Too few interpreters.", did="We hired two more.")
    )
    action.texts.append(
        LoopActionText(locale="es", heard="Pocos intérpretes.", did="Contratamos a dos más.")
    )
    db.session.add(action)
    db.session.commit()
    response = client.get(f"/e/closed?lang={locale}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_attr(body, "lang") == locale
    assert title(body).startswith(tr(app, locale, "Closed", template=True) + " – ")
    with in_locale(app, locale):
        closed_on = format_date(engagement.closes_at, "long")
    notices = [
        tr(
            app,
            locale,
            "This is closed and no longer takes answers. Thank you to everyone who took part.",
            template=True,
        ),
        tr(
            app,
            locale,
            "This closed on %(date)s and no longer takes answers. Thank you to "
            "everyone who took part.",
            template=True,
            date=closed_on,
        ),
    ]
    assert any(notice in body for notice in notices)
    if locale == "es":
        assert "Contratamos a dos más." in body and 'lang="en"' not in body.split("<main")[1]
    else:
        assert "We hired two more." in body
    assert "<form" not in body


def test_post_to_closed_engagement_keeps_what_was_written(app, client, survey, db):
    data = valid_data(survey, **{field(survey, "comments"): "Please <b>keep</b> this\r\ntext"})
    survey.status = EngagementStatus.CLOSED
    db.session.commit()
    response = client.post("/e/family-survey?lang=es", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 410
    assert tr(app, "es", "Your answers were not saved", template=True) in body
    assert "Please &lt;b&gt;keep&lt;/b&gt; this\ntext" in body
    assert responses(db) == []


def test_engagement_past_its_closing_date_is_closed(client, survey, db):
    from datetime import timedelta

    from engagement.models import utcnow

    survey.opens_at = utcnow() - timedelta(days=10)
    survey.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    body = client.get("/e/family-survey").get_data(as_text=True)
    assert "no longer takes answers" in body
    assert client.post("/e/family-survey", data=valid_data(survey)).status_code == 410
    assert responses(db) == []


def test_draft_and_not_yet_open(app, client, survey, db):
    from datetime import timedelta

    from engagement.models import utcnow

    survey.status = EngagementStatus.DRAFT
    db.session.commit()
    body = client.get("/e/family-survey").get_data(as_text=True)
    assert "This form is not open yet" in body
    assert "Family survey" not in body.split("<main")[1]  # a draft's content is not shown
    assert client.post("/e/family-survey", data=valid_data(survey)).status_code == 410

    # The form cache took its copy of `survey` out of the session, which the app shares with
    # this test: load it again so that the changes below are saved.
    survey = db.session.get(Engagement, survey.id)
    survey.status = EngagementStatus.OPEN
    survey.opens_at = utcnow() + timedelta(days=2)
    db.session.commit()
    body = client.get("/e/family-survey?lang=es").get_data(as_text=True)
    with in_locale(app, "es"):
        opens_on = format_date(survey.opens_at, "long")
    opens = tr(
        app, "es", "This opens on %(date)s. Please come back then.", template=True, date=opens_on
    )
    assert opens in body and "Encuesta para familias" in body
    assert responses(db) == []
