"""Bad input: a clear message in the visitor's language, nothing typed lost, nothing stored."""

import re

import pytest

from tests.factories import make_engagement
from tests.public.conftest import field, html_attr, qid, responses, title, tr, valid_data


def post(client, survey, locale="en", **changes):
    data = valid_data(survey)
    client.sent_token = data["token"]
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(f"/e/family-survey?lang={locale}", data=data)


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_missing_required_answers_rerender_with_summary_and_answers_kept(
    app, client, survey, db, locale
):
    informed, news, comments = (field(survey, c) for c in ("informed", "news", "comments"))
    response = post(
        client,
        survey,
        locale,
        **{informed: None, comments: "   ", field(survey, "rating"): "2"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert responses(db) == []
    assert html_attr(body, "lang") == locale
    # Title: says error, the step and the engagement.
    page_title = title(body)
    step = tr(app, locale, "Answer the questions", template=True)
    assert page_title.startswith(tr(app, locale, "Error: %(step)s", template=True, step=step))
    assert {"en": "Family survey", "es": "Encuesta para familias", "ar": "استطلاع العائلات"}[
        locale
    ] in page_title
    # The summary comes first, is focusable and links to each field.
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', body, re.S)
    assert summary and 'tabindex="-1"' in body.split('class="error-summary"')[1][:80]
    assert body.index("error-summary") < body.index("<form")
    # The links go to the question's fieldset or box, so that its text comes into view.
    links = re.findall(r'<a href="#([^"]+)">', summary.group(1))
    assert links == [informed, f"{comments}-field"]
    assert f'<fieldset class="choices has-error" id="{informed}"' in body
    assert f'class="field has-error" id="{comments}-field"' in body
    # Each message names its question in words fit for its kind, in the summary and next
    # to its field. The Arabic page has no Arabic text for the comments question.
    assert f'id="{informed}-error"' in body and f'id="{comments}-error"' in body
    assert f'aria-describedby="{informed}-error"' in body
    informed_text = {"en": "I feel informed.", "es": "Me siento informado."}.get(
        locale, "أشعر بأنني على اطلاع."
    )
    comments_text = {"es": "¿Qué deberíamos cambiar?"}.get(locale, "What should we change?")
    agree = "Choose how much you agree with “%(question)s”"
    write = "Write an answer to “%(question)s”"
    assert body.count(tr(app, locale, agree, question=informed_text)) == 2
    assert body.count(tr(app, locale, write, question=comments_text)) == 2
    assert "Question 1" not in body.split("<form")[0]
    # What was given is kept.
    assert f'name="{news}" id="{news}-0" value="email" checked' in body
    assert f'name="{field(survey, "rating")}" value="2" checked' in body
    helps = field(survey, "help")
    assert f'id="{helps}-0" value="childcare" checked' in body
    assert f'name="{helps}" value="evening" checked' in body
    assert f'name="{helps}" value="interpreter">' in body
    assert 'name="token" value="' + client.sent_token + '"' in body  # the same, unused token


def test_about_you_and_contact_answers_are_kept_on_error(client, survey, db):
    from tests.factories import group

    elpac = str(group("elpac").id)
    response = post(
        client,
        survey,
        "es",
        **{
            field(survey, "informed"): None,
            "councils": [elpac],
            "race_ethnicity": "asian",
            "contact_name": "Zoë <Q>",
            "channel": "qr",
        },
    )
    body = response.get_data(as_text=True)
    assert f'value="{elpac}" checked' in body
    assert 'value="asian" checked' in body
    assert 'value="Zoë &lt;Q&gt;"' in body
    assert '<input type="hidden" name="channel" value="qr">' in body


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("informed", "6"),
        ("informed", "strongly"),
        ("news", "fax"),
        ("rating", "0"),
        ("help", ["childcare", "pigeons"]),
    ],
)
def test_tampered_choice_codes_are_refused_clearly(app, client, survey, db, code, value):
    response = post(client, survey, "es", **{field(survey, code): value})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    text = {
        "informed": "Me siento informado.",
        "news": "¿Cómo recibe noticias?",
        "rating": "Califique la comunicación.",
        "help": "¿Qué le ayudaría?",
    }[code]
    assert tr(app, "es", "Choose one of the answers shown for “%(what)s”", what=text) in body
    assert f'href="#{field(survey, code)}"' in body
    assert responses(db) == []


@pytest.mark.parametrize("name", ["roles", "councils", "school", "race_ethnicity"])
def test_tampered_about_you_codes_are_refused(client, survey, db, name):
    response = post(client, survey, **{name: "999999"})
    assert response.status_code == 422
    label = {
        "roles": "I am a…",
        "councils": "I am a member of…",
        "school": "School",
        "race_ethnicity": "Race or ethnicity",
    }[name]
    assert f"Choose one of the answers shown for “{label}”" in response.get_data(as_text=True)
    assert responses(db) == []


def test_answers_to_another_engagements_questions_are_ignored(client, survey, db):
    other = make_engagement(slug="other")
    foreign = f"q_{other.questions[0].id}"
    response = post(client, survey, **{foreign: "5", "q_999999": "x", "q_abc": "y", "junk": "z"})
    assert response.status_code == 303
    [stored] = responses(db)
    assert {a.question_id for a in stored.answers} <= {q.id for q in survey.questions}
    assert other.questions[0].id not in {a.question_id for a in stored.answers}


def test_multiple_values_for_a_single_choice_take_the_first(client, survey, db):
    response = post(client, survey, **{field(survey, "informed"): ["2", "5"]})
    assert response.status_code == 303
    answer = next(a for a in responses(db)[0].answers if a.question_id == qid(survey, "informed"))
    assert answer.choice == "2"


def test_overlong_text_is_refused_and_kept(client, survey, db, app):
    limit = app.config["OPEN_TEXT_MAX_LENGTH"]
    text = "é" * (limit + 1)
    response = post(client, survey, "es", **{field(survey, "comments"): text})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    shorten = (
        "Shorten your answer to “%(question)s” to %(max)s characters or fewer "
        "(it has %(count)s now). Your text is kept below."
    )
    question = "¿Qué deberíamos cambiar?"
    assert tr(app, "es", shorten, question=question, max="2.000", count="2.001") in body
    # The counter writes numbers the same way (its script reads the group sign).
    assert 'data-max="2000" data-group="."' in body
    assert text in body
    assert responses(db) == []
    # Exactly at the limit is fine; CRLF line breaks count as one character.
    ok = "a" * (limit - 2) + "\r\nb"
    assert post(client, survey, **{field(survey, "comments"): ok}).status_code == 303
    assert responses(db)[0].answers[-1].text == "a" * (limit - 2) + "\nb"


def test_contact_fields_have_length_limits(client, survey, db):
    response = post(
        client, survey, contact_consent="y", contact_email="a@b.co", contact_name="N" * 201
    )
    assert response.status_code == 422
    assert "Shorten your name to 200 characters or fewer." in response.get_data(as_text=True)


def test_control_characters_are_stripped(client, survey, db):
    text = "Line one\x00\x07\x1b[31m\r\n\tLine two\x7f\x0b"
    assert post(client, survey, **{field(survey, "comments"): text}).status_code == 303
    stored = next(a.text for a in responses(db)[0].answers if a.text)
    assert stored == "Line one[31m\n\tLine two"


def test_only_control_characters_count_as_missing(client, survey, db):
    response = post(client, survey, **{field(survey, "comments"): "\x00\x01\x02"})
    assert response.status_code == 422
    assert responses(db) == []


def test_invalid_utf8_is_not_a_500(client, survey, db):
    """Werkzeug keeps undecodable %-escapes as text and replaces raw bytes in multipart."""
    from urllib.parse import urlencode

    data = valid_data(survey)
    data[field(survey, "comments")] = "PLACEHOLDER"
    body = urlencode(data, doseq=True).replace("PLACEHOLDER", "caf%C3%A9+%FF%FE+ok").encode()
    body += b"&%FF%FE=junk"
    response = client.post(
        "/e/family-survey", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 303
    text = next(a.text for a in responses(db)[0].answers if a.text)
    assert text == "café %FF%FE ok"

    # Raw bytes in a multipart body (what a browser sends for a file-upload form).
    data = valid_data(survey)
    data[field(survey, "comments")] = "PLACEHOLDER"
    parts = b"".join(
        b'--b\r\nContent-Disposition: form-data; name="'
        + k.encode()
        + b'"\r\n\r\n'
        + (b"caf\xc3\xa9 \xff\xfe ok" if v == "PLACEHOLDER" else v.encode())
        + b"\r\n"
        for k, values in data.items()
        for v in (values if isinstance(values, list) else [values])
    )
    response = client.post(
        "/e/family-survey",
        data=parts + b"--b--\r\n",
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code == 303
    text = next(a.text for a in responses(db)[1].answers if a.text)
    assert text.startswith("café ") and text.endswith(" ok") and "\ufffd" in text

    # Raw bytes in a urlencoded body: Werkzeug drops the body, form token included; the
    # form asks again.
    response = client.post(
        "/e/family-survey",
        data=b"a=caf\xc3\xa9 \xff\xfe",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert len(responses(db)) == 2


def test_invalid_utf8_in_a_choice_is_a_clear_error(app, client, survey, db):
    from urllib.parse import urlencode

    data = valid_data(survey)
    data[field(survey, "informed")] = "PLACEHOLDER"
    body = urlencode(data, doseq=True).replace("PLACEHOLDER", "%FF").encode()
    response = client.post(
        "/e/family-survey?lang=ar", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 422
    shown = tr(
        app, "ar", "Choose one of the answers shown for “%(what)s”", what="أشعر بأنني على اطلاع."
    )
    assert shown in response.get_data(as_text=True)


def test_html_and_script_are_stored_as_given_and_escaped(client, survey, db):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
    comments = field(survey, "comments")
    # On the error page, the text is shown escaped.
    response = post(client, survey, **{comments: evil, field(survey, "informed"): None})
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    # Stored exactly as given.
    assert post(client, survey, **{comments: evil}).status_code == 303
    assert next(a.text for a in responses(db)[0].answers if a.text) == evil


def test_sql_looking_text_is_just_text(client, survey, db):
    sql = "Robert'); DROP TABLE response;-- ' OR '1'='1"
    assert post(client, survey, **{field(survey, "comments"): sql}).status_code == 303
    assert post(client, survey, **{field(survey, "comments"): sql}).status_code == 303
    stored = responses(db)
    assert len(stored) == 2
    assert all(next(a.text for a in r.answers if a.text) == sql for r in stored)
