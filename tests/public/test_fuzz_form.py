"""Property: random form payloads never cause a 500; each is stored validly or refused."""

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagement.models import Engagement, QuestionKind, Response
from engagement.public.forms import ABOUT_FIELDS
from tests.public.conftest import field, html_attr, tr, valid_data

ABOUT = [*ABOUT_FIELDS, "homepage", "channel", "token", "csrf_token"]
JUNK = ["q_0", "q_999999", "q_-1", "q_1e3", "", "__proto__", "q_1; DROP TABLE answer", "ü"]
CODES = [
    "1",
    "2",
    "3",
    "4",
    "5",
    "0",
    "6",
    "email",
    "text",
    "childcare",
    "interpreter",
    "evening",
    "prefer_not_to_say",
    "asian",
    "y",
    "qr",
    "web",
    "-1",
    "999999",
]

texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1900, max_size=2200),
    st.sampled_from(
        [
            "\x00",
            "\r\n",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\ufffd",
            "ا" * 50,
            "   ",
            "%FF%FE",
        ]
    ),
)
values = st.one_of(st.sampled_from(CODES), texts, st.lists(st.sampled_from(CODES), max_size=4))


def payloads(engagement):
    names = [field(engagement, q.code) for q in engagement.questions] + ABOUT + JUNK
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=12), values, max_size=14)


def count(db):
    return db.session.scalar(sa.select(sa.func.count(Response.id)))


def check_stored(engagement, response, app):
    """The stored response fits the engagement: known questions, valid codes, clean text."""
    questions = {q.id: q for q in engagement.questions}
    limit = app.config["OPEN_TEXT_MAX_LENGTH"]
    for answer in response.answers:
        question = questions[answer.question_id]
        if question.kind == QuestionKind.OPEN_TEXT:
            assert answer.text and len(answer.text) <= limit
            assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in answer.text)
        else:
            assert answer.choice in question.choice_codes
    answered = {a.question_id for a in response.answers}
    assert all(q.id in answered for q in engagement.questions if q.required)


def test_random_payloads_never_500(app, survey, db):
    client = app.test_client()
    survey_id = survey.id
    outcomes = {200: 0, 303: 0, 400: 0, 409: 0, 422: 0}
    receipt_heading = {
        locale: tr(app, locale, "Your receipt code", template=True) for locale in ("en", "es", "ar")
    }

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        changes=payloads(survey),
        start_valid=st.booleans(),
        lang=st.sampled_from(["en", "es", "ar", "zz"]),
    )
    def run(changes, start_valid, lang):
        # Half the payloads start from a complete answer, so that both outcomes are explored.
        data = valid_data(survey) if start_valid else {}
        data.update(changes)
        before = count(db)
        response = client.post(f"/e/family-survey?lang={lang}", data=data)
        assert response.status_code in outcomes, response.status_code
        outcomes[response.status_code] += 1
        body = response.get_data(as_text=True)
        if response.status_code == 303:
            thanks = client.get(response.location).get_data(as_text=True)
            receipt = thanks.split('<span class="receipt">')[1].split("<")[0]
            stored = db.session.scalar(sa.select(Response).where(Response.receipt_code == receipt))
            assert stored is not None and count(db) - before in (0, 1)
            # Each request ends the app context's session, so load the engagement afresh
            # rather than using the fixture's (now detached) objects.
            check_stored(db.session.get(Engagement, survey_id), stored, app)
        elif response.status_code == 200:
            # The honeypot's pretend success, in the page's language. An unknown ?lang= falls
            # back to the language cookie an earlier example left on this client.
            page_locale = html_attr(body, "lang")
            assert lang == "zz" or page_locale == lang
            assert receipt_heading[page_locale] in body
            assert count(db) == before
        else:
            assert 'class="error-summary"' in body
            assert count(db) == before
        db.session.remove()

    run()
    assert outcomes[303] and outcomes[422], outcomes
