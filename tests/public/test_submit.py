"""Sending the form: stored once, redirected to a thank-you page in the same language."""

import time

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
from engagement.public import tokens
from tests.factories import group, make_engagement
from tests.public.conftest import (
    field,
    form_token,
    html_attr,
    in_locale,
    qid,
    responses,
    title,
    token_in,
    tr,
    valid_data,
)

STALE = (
    "This page was open a long time. Your answers are still here: please check them and "
    "press “Send my answers” again."
)


@pytest.mark.parametrize("locale", ["en", "es", "ar", "zh_Hans"])
def test_valid_answer_is_stored_and_redirects_to_thanks(app, client, survey, db, locale):
    response = client.post(f"/e/family-survey?lang={locale}", data=valid_data(survey))
    assert response.status_code == 303
    [stored] = responses(db)
    assert response.location == f"/e/family-survey/thanks?lang={locale}"
    assert stored.receipt_code not in response.location
    thanks = client.get(response.location)
    assert stored.receipt_code in thanks.get_data(as_text=True)
    assert thanks.headers["Cache-Control"] == "private, no-store"
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
        "Tick the box if we may contact you, or clear your contact details. "
        "We keep them only with your permission."
    )
    # The summary links to the box with the checkbox; neither repeats the box's sentence.
    assert body.count(str(tr(app, "es", tick))) == 2
    assert '<a href="#contact_consent-field">' in body
    consent = "Yes, you may contact me about my answers. I understand this links my name to them."
    assert body.count(str(tr(app, "es", consent))) == 1
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
        ({"contact_consent": "y"}, "give an e-mail address or a phone number"),
        ({"contact_consent": "y", "contact_email": "not-an-address"}, "like name@example.com"),
        ({"contact_consent": "y", "contact_phone": "call me maybe"}, "like 617-555-0123"),
        ({"contact_consent": "y", "contact_phone": "555-012"}, "like 617-555-0123"),
        ({"contact_consent": "y", "contact_phone": "617 555 0123 ext"}, "like 617-555-0123"),
        ({"contact_consent": "y", "contact_phone": "617 555 0123 ext 1234567"}, "like 617"),
    ],
)
def test_follow_up_contact_errors(client, survey, db, extra, message):
    response = client.post("/e/family-survey", data=valid_data(survey, **extra))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert responses(db) == []


@pytest.mark.parametrize(
    "phone",
    ["+1 (617) 555-0100", "617.555.0100", "617-555-0123 ext 2", "(617) 555-0123 x12", "6175550123"],
)
def test_phone_only_contact(client, survey, db, phone):
    data = valid_data(survey, contact_consent="y", contact_phone=phone)
    assert client.post("/e/family-survey", data=data).status_code == 303
    assert db.session.scalar(sa.select(FollowUpContact)).phone == phone


def test_double_post_stores_one_response_and_both_see_thanks(client, survey, db):
    data = valid_data(survey)
    first = client.post("/e/family-survey?lang=es", data=data)
    second = client.post("/e/family-survey?lang=es", data=data)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert len(responses(db)) == 1
    assert client.get(second.location).status_code == 200


def test_each_form_page_carries_a_token_that_stores_one_response(client, survey, db):
    first = token_in(client.get("/e/family-survey").get_data(as_text=True))
    second = token_in(client.get("/e/family-survey").get_data(as_text=True))
    assert first != second
    for token in (first, second, first, second):
        assert (
            client.post("/e/family-survey", data=valid_data(survey, token=token)).status_code == 303
        )
    assert len(responses(db)) == 2


def test_no_shared_cache_keeps_a_form_page_and_its_token(client, survey, db):
    for response in (
        client.get("/e/family-survey"),
        client.post("/e/family-survey", data=valid_data(survey, token="")),
        client.post("/e/family-survey", data=valid_data(survey, **{field(survey, "news"): ""})),
    ):
        assert response.headers["Cache-Control"] == "private, no-cache"


def test_a_replayed_token_gives_the_first_thanks_and_stores_nothing_new(client, survey, db):
    """A script that sends one real token again with other answers stores nothing new."""
    token = token_in(client.get("/e/family-survey").get_data(as_text=True))
    comments = field(survey, "comments")
    first = client.post("/e/family-survey", data=valid_data(survey, token=token))
    [stored] = responses(db)
    for n in range(5):
        data = valid_data(survey, token=token, **{comments: f"Spam number {n}, again and again"})
        replay = client.post("/e/family-survey?lang=es", data=data)
        assert replay.status_code == 303
        assert replay.location == first.location  # the first response's thank-you page
    assert [r.id for r in responses(db)] == [stored.id]
    assert {a.text for a in stored.answers if a.text} == {"More evening meetings, please."}


def bad_token(kind, survey):
    """A token a script could send without loading the form (None: no token at all)."""
    if kind == "missing":
        return None
    if kind == "made up":
        return "t" * 43
    if kind == "other engagement":
        return form_token(make_engagement(slug="other-survey"))
    if kind == "expired":
        return tokens.issue(survey.id, now=time.time() - 24 * 3600 - 60)
    real = form_token(survey)  # tampered: another engagement id under the old signature
    signature = real.rsplit(".", 1)[1]
    other = tokens._serializer().dumps([survey.id + 1, "x" * 32, int(time.time() * 1000)])
    return other.rsplit(".", 1)[0] + "." + signature


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
@pytest.mark.parametrize("kind", ["missing", "made up", "other engagement", "expired", "tampered"])
def test_a_post_without_a_fresh_form_token_stores_nothing_and_keeps_the_answers(
    app, client, survey, db, locale, kind
):
    token = bad_token(kind, survey)
    comments = field(survey, "comments")
    data = valid_data(survey, **{comments: "Mi respuesta, escrita con cuidado."})
    if token is None:
        del data["token"]
    else:
        data["token"] = token
    response = client.post(f"/e/family-survey?lang={locale}", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert responses(db) == []
    assert html_attr(body, "lang") == locale
    assert tr(app, locale, STALE, template=True) in body
    assert ">Mi respuesta, escrita con cuidado.</textarea>" in body
    assert f'id="{field(survey, "news")}-0" value="email" checked' in body
    # A fresh token for this engagement: sending again now works.
    fresh = token_in(body)
    assert fresh != token and tokens.read(fresh, survey.id).problem is None
    data["token"] = fresh
    again = client.post(f"/e/family-survey?lang={locale}", data=data)
    assert again.status_code == 303
    assert len(responses(db)) == 1


def test_token_lifetime_is_a_setting(app, client, survey, db):
    app.config["FORM_TOKEN_HOURS"] = 1
    old = tokens.issue(survey.id, now=time.time() - 3600 - 5)
    assert client.post("/e/family-survey", data=valid_data(survey, token=old)).status_code == 400
    app.config["FORM_TOKEN_HOURS"] = 2
    assert client.post("/e/family-survey", data=valid_data(survey, token=old)).status_code == 303


def test_stale_token_and_other_errors_are_shown_together(app, client, survey, db):
    data = valid_data(survey, token="t" * 43, **{field(survey, "informed"): ""})
    body = client.post("/e/family-survey", data=data).get_data(as_text=True)
    assert STALE in body
    assert "Choose how much you agree with “I feel informed.”" in body
    assert responses(db) == []


def test_honeypot_pretends_success_and_stores_nothing(client, survey, db, caplog):
    response = client.post("/e/family-survey", data=valid_data(survey, homepage="http://spam"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your receipt code" in body
    assert responses(db) == []


def test_the_receipt_is_shown_from_the_session_never_from_a_url(app, client, survey, db):
    other = make_engagement(slug="other")
    location = client.post("/e/family-survey", data=valid_data(survey)).location
    receipt = responses(db)[0].receipt_code
    assert receipt not in location
    assert receipt in client.get(location).get_data(as_text=True)
    # Another browser, or the same one on another engagement: thanks, but no code.
    stranger = app.test_client()
    page = stranger.get(location)
    assert page.status_code == 200 and receipt not in page.get_data(as_text=True)
    assert "Your receipt code" not in page.get_data(as_text=True)
    assert receipt not in client.get(f"/e/{other.slug}/thanks").get_data(as_text=True)
    assert client.get("/e/no-such-engagement/thanks").status_code == 404
    assert client.get(f"/e/family-survey/thanks/{receipt}").status_code == 404


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
