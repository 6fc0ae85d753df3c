"""The one submission service: every refusal, blank answers, and storing each form once."""

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from engagement import submissions
from engagement.models import Answer, Channel, Response, new_receipt_code, utcnow
from engagement.submissions import Submission, SubmissionError, build_answers, record_response
from tests.factories import default_questions, make_engagement

MISSING = "required questions unanswered: {}"


def questions_with_required(*codes):
    """The factory's questions (one of each kind), only `codes` required."""
    questions = default_questions()
    for spec in questions:
        spec["required"] = spec["code"] in codes
    return questions


@pytest.fixture
def survey(db):
    """Every question kind; the scale, the multi-choice and the text question required."""
    return make_engagement(questions=questions_with_required("informed", "help", "comments"))


def ids(engagement):
    return {q.code: q.id for q in engagement.questions}


def complete(engagement, **changes):
    """A full valid answer, by question code, with `changes` applied."""
    q = ids(engagement)
    answers = {
        q["informed"]: "4",
        q["news"]: "email",
        q["help"]: ["childcare", "evening"],
        q["rating"]: "5",
        q["comments"]: "More evening meetings, please.",
    }
    for code, value in changes.items():
        answers[q[code]] = value
    return answers


def refusal(engagement, answers, **kwargs) -> str:
    with pytest.raises(SubmissionError) as caught:
        build_answers(engagement, answers, **kwargs)
    return str(caught.value)


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_complete_answer_makes_one_row_per_choice_or_text(survey):
    rows = build_answers(survey, complete(survey))
    q = ids(survey)
    assert sorted((r["question_id"], r["choice"] or r["text"]) for r in rows) == sorted(
        [
            (q["informed"], "4"),
            (q["news"], "email"),
            (q["help"], "childcare"),
            (q["help"], "evening"),
            (q["rating"], "5"),
            (q["comments"], "More evening meetings, please."),
        ]
    )


def test_question_of_another_engagement_is_refused(survey):
    other = make_engagement(slug="other")
    foreign = other.questions[0].id
    message = refusal(survey, {**complete(survey), foreign: "4"})
    assert message == f"question {foreign} is not part of test-survey"


def test_hidden_question_is_refused(survey, db):
    news = next(q for q in survey.questions if q.code == "news")
    news.hidden = True
    db.session.commit()
    assert refusal(survey, complete(survey)) == f"question {news.id} is not part of test-survey"


@pytest.mark.parametrize("value", [["a", "b"], 3, {"text": "hi"}])
def test_open_text_takes_text(survey, value):
    assert refusal(survey, complete(survey, comments=value)) == "question comments takes text"


@pytest.mark.parametrize("code", ["informed", "news", "rating"])
def test_single_answer_questions_take_one_choice(survey, code):
    value = {"news": ["email", "text"]}.get(code, ["4", "5"])
    assert refusal(survey, complete(survey, **{code: value})) == f"question {code} takes one choice"


@pytest.mark.parametrize(
    "code, value, bad",
    [
        ("informed", "6", "6"),
        ("rating", "0", "0"),
        ("news", "carrier-pigeon", "carrier-pigeon"),
        ("help", ["childcare", "nap"], "nap"),
        ("news", ["nap"], "nap"),  # a one-item list is still checked
    ],
)
def test_unknown_choice_is_refused(survey, code, value, bad):
    message = refusal(survey, complete(survey, **{code: value}))
    assert message == f"{bad!r} is not a choice of {code}"


def test_hidden_option_is_refused(survey, db):
    email = next(o for q in survey.questions for o in q.options if o.code == "email")
    email.hidden = True
    db.session.commit()
    assert refusal(survey, complete(survey)) == "'email' is not a choice of news"


def test_missing_required_answers_are_refused_together(survey):
    q = ids(survey)
    answers = complete(survey)
    del answers[q["informed"]], answers[q["comments"]]
    assert refusal(survey, answers) == MISSING.format("informed, comments")


@pytest.mark.parametrize(
    "code, blank",
    [
        ("comments", ""),
        ("comments", "   "),
        ("comments", "\n\t "),
        ("comments", None),
        ("help", []),
        ("informed", ""),
        ("informed", None),
    ],
)
def test_blank_answer_to_a_required_question_is_refused_like_a_missing_one(survey, code, blank):
    answers = complete(survey, **{code: blank})
    assert refusal(survey, answers) == MISSING.format(code)
    del answers[ids(survey)[code]]
    assert refusal(survey, answers) == MISSING.format(code)


@pytest.mark.parametrize("blank", ["", "  \n", None, []])
def test_blank_answers_to_optional_questions_store_nothing(survey, blank):
    q = ids(survey)
    rows = build_answers(survey, complete(survey, news=blank, rating=blank))
    answered = {row["question_id"] for row in rows}
    assert q["news"] not in answered and q["rating"] not in answered
    assert {q["informed"], q["help"], q["comments"]} <= answered


def test_partial_submissions_skip_the_required_check_only(survey):
    q = ids(survey)
    rows = build_answers(survey, {q["comments"]: "A card."}, check_required=False)
    assert rows == [{"question_id": q["comments"], "choice": None, "text": "A card."}]
    assert build_answers(survey, {q["comments"]: " "}, check_required=False) == []
    message = refusal(survey, {q["news"]: "nap"}, check_required=False)
    assert message == "'nap' is not a choice of news"


def submission(answers, **extra) -> Submission:
    return Submission(locale="en", channel=Channel.WEB, answers=answers, **extra)


def test_a_refused_submission_stores_nothing(survey, db):
    with pytest.raises(SubmissionError, match="required questions unanswered: comments"):
        record_response(survey, submission(complete(survey, comments="  "), idempotency_key="k1"))
    assert count(db, Response) == count(db, Answer) == 0
    # The session is still usable, and the same key can then be stored.
    stored = record_response(survey, submission(complete(survey), idempotency_key="k1"))
    assert count(db, Response) == 1 and len(stored.answers) == 6


def test_same_key_sent_again_returns_the_first_response(survey, db):
    first = record_response(survey, submission(complete(survey), idempotency_key="twice"))
    again = record_response(
        survey, submission(complete(survey, rating="1"), idempotency_key="twice")
    )
    assert again.id == first.id
    assert count(db, Response) == 1


def test_a_concurrent_twin_with_the_same_key_wins_and_is_returned(survey, db, monkeypatch):
    """Two requests with one form token: the other one commits between our check for the
    key and our insert, so our insert hits the unique key and we return its response."""
    engagement_id = survey.id
    twins = []

    def analyze_then_lose_the_race(engagement, sub):
        analyses = real_analyze(engagement, sub)
        with Session(db.engine) as other:  # the other request, on its own connection
            twin = Response(
                engagement_id=engagement_id,
                locale="es",
                channel=Channel.QR,
                submitted_at=utcnow(),
                receipt_code=new_receipt_code(),
                idempotency_key=sub.idempotency_key,
            )
            other.add(twin)
            other.commit()
            twins.append(twin.id)
        return analyses

    real_analyze = submissions.analyze_texts
    monkeypatch.setattr(submissions, "analyze_texts", analyze_then_lose_the_race)
    returned = record_response(survey, submission(complete(survey), idempotency_key="race"))

    assert twins and returned.id == twins[0]
    assert (returned.locale, returned.channel) == ("es", Channel.QR)
    assert count(db, Response) == 1
    assert count(db, Answer) == 0  # ours were rolled back with our response
    # A third try with the key finds the stored one at once.
    monkeypatch.setattr(submissions, "analyze_texts", real_analyze)
    assert record_response(survey, submission({}, idempotency_key="race")).id == twins[0]
