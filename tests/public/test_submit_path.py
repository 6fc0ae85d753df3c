"""The family's submit path, cached: the form, the answer and the thank-you page in a
handful of SQL statements, storing exactly what it always stored.

Statement budget of a cached GET + POST + thank-you (the form cache already holds the
engagement in this process):
- GET form: 1 (is the cached engagement current?);
- POST: 1 INSERT response (which also checks that the engagement is still the version
  the answers were checked against, and counts repeated texts), 1 INSERT response_group
  (when the family named a group), 1 INSERT answer (all rows), 1 INSERT answer_analysis
  (when something was written), and 1 INSERT answer_theme only when a text got themes;
- thank-you: 0 (the receipt and the form's version come from the session cookie).
"""

import re

import pytest
import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import Session

from engagement import holds
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Engagement,
    EngagementStatus,
    EngagementText,
    FollowUpContact,
    HoldReason,
    HoldState,
    QuestionOption,
    QuoteState,
    RaceEthnicity,
    Response,
    School,
    StakeholderGroup,
    ThemeSource,
    response_group,
)
from engagement.public.routes import CSRF_MARK, TOKEN_MARK
from engagement.themes.codebook import get_codebook
from engagement.themes.pipeline import analyze
from tests.public.conftest import field, qid, responses, token_in

NO_THEMES = "Fine, nothing else to add."  # analysed: language, phrases; no theme code
THEMES = "The bus is always late and there is too much homework."


class Statements:
    """The SQL statements sent while active (before_cursor_execute)."""

    def __init__(self, engine):
        self.engine, self.sent = engine, []

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self.seen)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self.seen)

    def seen(self, conn, cursor, statement, *args):
        self.sent.append(" ".join(statement.split()))


def about_you(db):
    role = db.session.scalar(
        sa.select(StakeholderGroup).where(StakeholderGroup.kind == "role").limit(1)
    )
    school = db.session.scalar(sa.select(School).limit(1))
    return role, school


def answers_for(survey, db, comment, **extra):
    role, school = about_you(db)
    data = {
        field(survey, "informed"): "4",
        field(survey, "news"): "email",
        field(survey, "help"): ["childcare", "evening"],
        field(survey, "rating"): "5",
        field(survey, "comments"): comment,
        "roles": str(role.id),
        "school": str(school.id),
        "race_ethnicity": RaceEthnicity.ASIAN.value,
    }
    data.update(extra)
    return data


def hidden_fields(body):
    """{name: value} of the page's hidden inputs (WTForms and the template order their
    attributes differently)."""
    fields = {}
    for tag in re.findall(r"<input [^>]*>", body):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attrs.get("type") == "hidden":
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def send(client, survey, data, lang="en"):
    """GET the form, POST `data` with the page's hidden fields; the POST's response."""
    page = client.get(f"/e/{survey.slug}?lang={lang}")
    assert page.status_code == 200
    return client.post(
        f"/e/{survey.slug}?lang={lang}", data={**hidden_fields(page.get_data(as_text=True)), **data}
    )


def test_cached_get_post_and_thank_you_cost_five_statements(app, client, survey, db):
    app.config["WTF_CSRF_ENABLED"] = True  # the CSRF token is filled into the cached page
    first = send(client, survey, answers_for(survey, db, NO_THEMES))
    assert first.status_code == 303  # fills the caches of this process
    assert client.get(first.location).status_code == 200

    data = answers_for(survey, db, NO_THEMES + " Really.")
    with Statements(db.engine) as get:
        page = client.get(f"/e/{survey.slug}?lang=en")
    assert page.status_code == 200
    with Statements(db.engine) as post:
        sent = client.post(
            f"/e/{survey.slug}?lang=en",
            data={**hidden_fields(page.get_data(as_text=True)), **data},
        )
    assert sent.status_code == 303
    with Statements(db.engine) as thanks:
        thanked = client.get(sent.location)
    assert thanked.status_code == 200

    assert len(get.sent) == 1 and get.sent[0].startswith("SELECT engagement.id")
    assert [s.split(" (")[0] for s in post.sent] == [
        "INSERT INTO response",
        "INSERT INTO response_group",
        "INSERT INTO response_aggregate",
        "INSERT INTO answer",
        "INSERT INTO answer_analysis",
    ]
    assert thanks.sent == []
    # Five for the answer itself, and one upsert that keeps the engagement's counts
    # (engagement.aggregates), so that summaries never scan the raw rows.
    assert len(get.sent + post.sent + thanks.sent) <= 6
    stored = responses(db)[-1]
    assert stored.receipt_code in thanked.get_data(as_text=True)


def test_a_text_with_themes_adds_one_insert(app, client, survey, db):
    assert send(client, survey, answers_for(survey, db, NO_THEMES)).status_code == 303
    data = answers_for(survey, db, THEMES)
    page = client.get(f"/e/{survey.slug}?lang=en")
    with Statements(db.engine) as post:
        sent = client.post(
            f"/e/{survey.slug}?lang=en",
            data={**hidden_fields(page.get_data(as_text=True)), **data},
        )
    assert sent.status_code == 303
    assert [s.split(" (")[0] for s in post.sent][-1] == "INSERT INTO answer_theme"
    assert len(post.sent) == 6


def stored_rows(db, response_id):
    """Everything stored for one response, in plain values."""
    response = db.session.get(Response, response_id)
    answers = db.session.scalars(
        sa.select(Answer).where(Answer.response_id == response_id).order_by(Answer.id)
    ).all()
    ids = [a.id for a in answers]
    analyses = db.session.scalars(
        sa.select(AnswerAnalysis).where(AnswerAnalysis.answer_id.in_(ids))
    ).all()
    themes = db.session.scalars(sa.select(AnswerTheme).where(AnswerTheme.answer_id.in_(ids))).all()
    groups = db.session.scalars(
        sa.select(response_group.c.group_id).where(response_group.c.response_id == response_id)
    ).all()
    contact = db.session.scalar(
        sa.select(FollowUpContact).where(FollowUpContact.response_id == response_id)
    )
    return response, answers, analyses, themes, groups, contact


@pytest.mark.parametrize("lang", ["en", "es"])
def test_stored_response_is_complete(app, client, survey, db, lang):
    """Every row and value the submit path always stored: the response with its school,
    race/ethnicity, locale, channel and receipt; its group; each answer with its quote
    state and text fingerprint; the text's analysis and theme codes; the contact."""
    role, school = about_you(db)
    data = answers_for(
        survey,
        db,
        THEMES,
        contact_consent="y",
        contact_name="Ana",
        contact_email="ana@example.org",
    )
    sent = send(client, survey, data, lang=lang)
    assert sent.status_code == 303
    thanked = client.get(sent.location).get_data(as_text=True)
    [only] = responses(db)
    db.session.expire_all()
    response, answers, analyses, themes, groups, contact = stored_rows(db, only.id)

    assert response.receipt_code in thanked
    assert (response.engagement_id, response.locale, response.channel) == (survey.id, lang, "web")
    assert (response.school_id, response.race_ethnicity) == (school.id, RaceEthnicity.ASIAN)
    assert response.idempotency_key and not response.is_demo and response.event_id is None
    assert response.submitted_at.second == 0 and response.submitted_at.microsecond == 0
    assert (response.held_reason, response.held_at, response.hold_state) == (None, None, None)
    assert groups == [role.id]
    assert sorted((a.question_id, a.choice, a.text) for a in answers) == sorted(
        [
            (qid(survey, "informed"), "4", None),
            (qid(survey, "news"), "email", None),
            (qid(survey, "help"), "childcare", None),
            (qid(survey, "help"), "evening", None),
            (qid(survey, "rating"), "5", None),
            (qid(survey, "comments"), None, THEMES),
        ]
    )
    assert {a.quote_state for a in answers} == {QuoteState.PENDING}
    written = next(a for a in answers if a.text)
    assert written.text_fingerprint == holds.text_fingerprint(THEMES)
    assert all(a.text_fingerprint is None for a in answers if a.choice)

    codebook = get_codebook()
    expected = analyze(THEMES, lang, codebook)
    [analysis] = analyses
    assert analysis.answer_id == written.id
    assert (analysis.lang, analysis.phrases, analysis.codebook_version) == (
        expected.lang,
        list(expected.phrases),
        codebook.version,
    )
    assert analysis.sentiment == pytest.approx(expected.sentiment)
    assert expected.themes
    assert sorted((t.answer_id, t.theme_code, t.source, t.removed) for t in themes) == sorted(
        (written.id, code, ThemeSource.AUTO, False) for code in set(expected.themes)
    )
    assert (contact.name, contact.email, contact.phone, contact.preferred_locale) == (
        "Ana",
        "ana@example.org",
        "",
        lang,
    )


def test_machine_speed_and_repeated_text_holds_are_stored_as_before(app, client, survey, db):
    app.config["DUPLICATE_TEXT_LIMIT"] = 2
    repeated = "Please add more bus routes to the north side."
    assert send(client, survey, answers_for(survey, db, repeated)).status_code == 303
    assert send(client, survey, answers_for(survey, db, repeated)).status_code == 303
    app.config["FORM_MIN_SECONDS"] = 3600
    assert send(client, survey, answers_for(survey, db, NO_THEMES)).status_code == 303
    db.session.expire_all()
    held = [(r.held_reason, r.hold_state, r.held_at is not None) for r in responses(db)]
    assert held == [
        (HoldReason.DUPLICATE_TEXT, HoldState.HELD, True),  # held with its later copy
        (HoldReason.DUPLICATE_TEXT, HoldState.HELD, True),
        (HoldReason.MACHINE_SPEED, HoldState.HELD, True),
    ]


def staff_edit(db, change):
    """A change committed on its own connection, as another worker's request would."""
    with Session(db.engine) as staff:
        change(staff)
        staff.commit()


def test_an_edit_between_form_and_answer_is_seen(app, client, survey, db):
    """The answer is checked against the engagement as it is when stored, not the copy
    this process served: an option hidden meanwhile refuses the answer, with the family's
    answers kept; an edit that changes nothing the family chose lets it through."""
    assert send(client, survey, answers_for(survey, db, NO_THEMES)).status_code == 303
    page = client.get(f"/e/{survey.slug}?lang=en").get_data(as_text=True)

    def hide_email(staff):
        option = staff.scalar(
            sa.select(QuestionOption).where(
                QuestionOption.question_id == qid(survey, "news"), QuestionOption.code == "email"
            )
        )
        option.hidden = True

    staff_edit(db, hide_email)
    refused = client.post(
        f"/e/{survey.slug}?lang=en",
        data={**hidden_fields(page), **answers_for(survey, db, "Kept, all of it.")},
    )
    assert refused.status_code == 422
    assert "Kept, all of it." in refused.get_data(as_text=True)
    assert len(responses(db)) == 1

    page = client.get(f"/e/{survey.slug}?lang=en").get_data(as_text=True)
    assert 'value="email"' not in page  # the new form, not the cached one

    def retitle(staff):
        text = staff.scalar(
            sa.select(EngagementText).where(
                EngagementText.engagement_id == survey.id, EngagementText.locale == "en"
            )
        )
        text.title = "Family survey, second round"

    staff_edit(db, retitle)
    data = answers_for(survey, db, NO_THEMES, **{field(survey, "news"): "text"})
    stored = client.post(f"/e/{survey.slug}?lang=en", data={**hidden_fields(page), **data})
    assert stored.status_code == 303
    assert len(responses(db)) == 2
    thanks = client.get(stored.location).get_data(as_text=True)
    assert "Family survey, second round" in thanks


def test_closed_between_form_and_answer_stores_nothing(app, client, survey, db):
    assert send(client, survey, answers_for(survey, db, NO_THEMES)).status_code == 303
    page = client.get(f"/e/{survey.slug}?lang=en").get_data(as_text=True)

    def close(staff):
        staff.get(Engagement, survey.id).status = EngagementStatus.CLOSED

    staff_edit(db, close)
    sent = client.post(
        f"/e/{survey.slug}?lang=en",
        data={**hidden_fields(page), **answers_for(survey, db, "Too late for this one.")},
    )
    assert sent.status_code == 410
    assert "Too late for this one." in sent.get_data(as_text=True)
    assert len(responses(db)) == 1


def test_cached_form_page_has_fresh_tokens_and_keeps_variants_apart(app, client, survey):
    app.config["WTF_CSRF_ENABLED"] = True
    pages = [client.get(f"/e/{survey.slug}").get_data(as_text=True) for _ in range(2)]
    assert token_in(pages[0]) != token_in(pages[1])
    assert not any(mark in page for page in pages for mark in (TOKEN_MARK, CSRF_MARK))
    csrf = {hidden_fields(page)["csrf_token"] for page in pages}
    assert len(csrf) == 1  # this session's token
    # The test's app context outlives requests, and Flask-WTF keeps a request's token on
    # `g`: drop it, as a new request in a served app starts without one.
    g.pop("csrf_token", None)
    other = app.test_client().get(f"/e/{survey.slug}").get_data(as_text=True)
    assert hidden_fields(other)["csrf_token"] not in csrf  # another browser, its own token

    qr = client.get(f"/e/{survey.slug}?channel=qr").get_data(as_text=True)
    assert hidden_fields(qr)["channel"] == "qr"
    assert hidden_fields(client.get(f"/e/{survey.slug}").get_data(as_text=True))["channel"] == (
        "web"
    )
    spanish = client.get(f"/e/{survey.slug}?lang=es").get_data(as_text=True)
    assert "Encuesta para familias" in spanish and 'lang="es"' in spanish
    # Query arguments outside the page's own are rendered for the request, links included.
    tagged = client.get(f"/e/{survey.slug}?lang=es&from=flyer").get_data(as_text=True)
    assert "from=flyer" in tagged and "from=flyer" not in spanish


def test_thank_you_page_without_a_receipt_reads_the_engagement(app, client, survey, db):
    with Statements(db.engine) as thanks:
        page = client.get(f"/e/{survey.slug}/thanks")
    assert page.status_code == 200
    assert len(thanks.sent) >= 1  # no receipt in the session: checked against the database
    assert client.get("/e/no-such-survey/thanks").status_code == 404
