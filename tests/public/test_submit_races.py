"""Sending the form while something else changes: staff edit the form, or the same form is
sent twice at once. The family keeps its answers, and a form is never stored twice."""

import pytest
import sqlalchemy as sa
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from engagement import submissions
from engagement.models import Channel, QuestionOption, Response, new_receipt_code, utcnow
from tests.public.conftest import field, html_attr, qid, responses, title, tr, valid_data

CHANGED = (
    "This form changed while you were answering. Your answers are still here: please check "
    "them and press “Send my answers” again."
)


def hide_option(db, question_id, code):
    """A staff edit, committed on its own connection as another request would."""
    with Session(db.engine) as staff:
        option = staff.scalar(
            sa.select(QuestionOption).where(
                QuestionOption.question_id == question_id, QuestionOption.code == code
            )
        )
        option.hidden = True
        staff.commit()


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_form_changed_while_sending_gives_409_with_every_answer_kept(
    app, client, survey, db, monkeypatch, locale
):
    """Staff hide the option the family chose while the family's answer waits for the
    database: the retry sees the new form, refuses the answer, and the page says why."""
    news = qid(survey, "news")
    real_insert = submissions._insert
    calls = []

    def locked_while_staff_edit(engagement, submission, analyses, *screening):
        calls.append(engagement)
        if len(calls) == 1:
            hide_option(db, news, "email")
            raise OperationalError("INSERT INTO response", {}, Exception("database is locked"))
        return real_insert(engagement, submission, analyses, *screening)

    monkeypatch.setattr(submissions, "_insert", locked_while_staff_edit)
    monkeypatch.setattr(submissions.time, "sleep", lambda seconds: None)
    comment = "Les réunions du soir, s'il vous plaît <b>merci</b>"
    data = valid_data(survey, **{field(survey, "comments"): comment})
    response = client.post(f"/e/family-survey?lang={locale}", data=data)

    body = response.get_data(as_text=True)
    assert len(calls) == 2  # the refusal came from the retry, on the reloaded engagement
    assert response.status_code == 409
    assert responses(db) == []
    assert html_attr(body, "lang") == locale
    step = tr(app, locale, "Answer the questions", template=True)
    assert title(body).startswith(tr(app, locale, "Error: %(step)s", template=True, step=step))
    assert tr(app, locale, CHANGED, template=True) in body
    # Everything the family gave is back in the form, ready to send again.
    assert f">{escape(comment)}</textarea>" in body
    assert f'name="{field(survey, "informed")}" value="4" checked' in body
    assert f'id="{field(survey, "news")}-0" value="email" checked' in body
    helps = field(survey, "help")
    assert f'id="{helps}-0" value="childcare" checked' in body
    assert f'name="{helps}" value="evening" checked' in body
    assert f'name="{field(survey, "rating")}" value="5" checked' in body
    assert f'name="token" value="{data["token"]}"' in body


def test_same_form_sent_twice_at_once_stores_one_and_thanks_with_the_first(
    client, survey, db, monkeypatch
):
    """The other request stores the same token between our check and our insert: the
    unique key refuses ours, and the family is thanked with the stored response's receipt."""
    engagement_id = survey.id
    real_analyze = submissions.analyze_texts
    first = {}

    def analyze_while_the_twin_commits(engagement, submission):
        analyses = real_analyze(engagement, submission)
        with Session(db.engine) as other:
            twin = Response(
                engagement_id=engagement_id,
                locale="en",
                channel=Channel.WEB,
                submitted_at=utcnow(),
                receipt_code=new_receipt_code(),
                idempotency_key=submission.idempotency_key,
            )
            other.add(twin)
            other.commit()
            first.update(id=twin.id, receipt=twin.receipt_code)
        return analyses

    monkeypatch.setattr(submissions, "analyze_texts", analyze_while_the_twin_commits)
    response = client.post("/e/family-survey", data=valid_data(survey))
    assert response.status_code == 303
    assert response.location == "/e/family-survey/thanks?lang=en"
    assert [r.id for r in responses(db)] == [first["id"]]
    thanks = client.get(response.location)
    assert thanks.status_code == 200 and first["receipt"] in thanks.get_data(as_text=True)
