"""The district's theme classifier: trained from reviewer codes with `themes train`, used by
`analyze-text` and the store, never overriding a reviewer."""

import json

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerTheme,
    Channel,
    Engagement,
    Question,
    QuestionKind,
    Response,
    ThemeSource,
)
from engagement.themes.learned import ThemeModel
from engagement.themes.store import analyze_answers, reanalyze
from tests.factories import make_engagement
from tests.themes.test_store import themes_of

# A word no codebook knows: only a model trained on the reviewers' codes can tie it to a theme.
PLAIN = [
    "We had a lovely picnic with the class.",
    "Thank you for the concert last week.",
    "My daughter enjoyed the science fair.",
    "The art show was wonderful this year.",
    "Nice to see everyone at the open house.",
    "Good job on the spring fair.",
]
NEW_WORD = [
    "The zorbleflux in room 12 is broken again.",
    "Please fix the zorbleflux near the gym.",
    "Our zorbleflux has not worked for weeks.",
    "Who looks after the zorbleflux upstairs?",
    "A zorbleflux leaked all over the hallway.",
    "The zorbleflux makes a terrible noise.",
]


def make_answers(texts):
    """Written answers to the one test engagement (made on first use)."""
    engagement = db.session.scalar(sa.select(Engagement)) or make_engagement()
    question = db.session.scalar(
        sa.select(Question).where(
            Question.engagement_id == engagement.id, Question.kind == QuestionKind.OPEN_TEXT
        )
    )
    answers = []
    for text in texts:
        response = Response(engagement_id=engagement.id, locale="en", channel=Channel.WEB)
        answer = Answer(question_id=question.id, text=text)
        response.answers.append(answer)
        db.session.add(response)
        answers.append(answer)
    db.session.commit()
    return answers


@pytest.fixture
def model_path(app, tmp_path):
    path = tmp_path / "theme_model.npz"
    app.config["THEME_MODEL_PATH"] = str(path)
    return path


def review(answers, code):
    """A reviewer adds `code` to each answer (a manual row)."""
    for answer in answers:
        db.session.merge(
            AnswerTheme(
                answer_id=answer.id, theme_code=code, source=ThemeSource.MANUAL, removed=False
            )
        )
    db.session.commit()


def reviewed_district():
    """Twenty-four reviewed answers: 'zorbleflux' comments coded facilities, others not."""
    answers = make_answers(NEW_WORD * 2 + PLAIN * 2)
    coded, plain = answers[:12], answers[12:]
    analyze_answers(coded + plain)
    db.session.commit()
    review(coded, "facilities")
    review(plain, "family_involvement")
    return coded, plain


def analyze_text(runner, text):
    line = json.dumps({"id": 7, "text": text, "lang": "en"})
    result = runner.invoke(args=["analyze-text"], input=line + "\n")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_train_refuses_too_few_reviewed(app, runner, model_path):
    make_answers(["Hello"])
    result = runner.invoke(args=["themes", "train"])
    assert result.exit_code != 0
    assert "0 reviewed comments" in result.output
    assert not model_path.exists()


def test_model_round_trips_through_train_and_analyze_text(app, runner, model_path):
    sentence = "The zorbleflux by the library is still out of order."
    assert "facilities" not in analyze_text(runner, sentence)["themes"]  # no model yet
    reviewed_district()

    result = runner.invoke(args=["themes", "train"])
    assert result.exit_code == 0, result.output
    assert "Trained on 24 reviewed comments" in result.output
    assert model_path.exists()
    model = ThemeModel.load(model_path)
    assert "facilities" in model.learned and model.meta["examples"] == 24

    out = analyze_text(runner, sentence)
    assert out["id"] == 7 and out["lang"] == "en"  # the JSON-lines interface is unchanged
    assert "facilities" in out["themes"]
    assert "facilities" not in analyze_text(runner, "We loved the picnic.")["themes"]


def test_model_never_overrides_reviewer_codes(app, runner, model_path):
    reviewed_district()
    assert runner.invoke(args=["themes", "train"]).exit_code == 0
    removed, kept, fresh = make_answers(
        [
            "The zorbleflux is out of order.",
            "The zorbleflux is out of order!",
            "That zorbleflux is out of order.",
        ]
    )
    analyze_answers([removed, kept, fresh])
    db.session.commit()
    # The model codes all three; a reviewer takes facilities off one and adds safety to another.
    for answer in (removed, kept, fresh):
        assert ("facilities", ThemeSource.AUTO, False) in themes_of(answer.id)
    db.session.execute(
        sa.update(AnswerTheme)
        .where(AnswerTheme.answer_id == removed.id, AnswerTheme.theme_code == "facilities")
        .values(source=ThemeSource.MANUAL, removed=True)
    )
    review([kept], "safety")

    list(reanalyze(force=True))
    assert ("facilities", ThemeSource.MANUAL, True) in themes_of(removed.id)
    assert ("facilities", ThemeSource.AUTO, False) not in themes_of(removed.id)
    assert ("safety", ThemeSource.MANUAL, False) in themes_of(kept.id)
    assert ("facilities", ThemeSource.AUTO, False) in themes_of(fresh.id)

    # Retraining learns from the reviewer: a removed code is a negative example.
    from engagement.themes.store import reviewed_examples

    examples = {e.text: e.themes for e in reviewed_examples()}
    assert "facilities" not in examples["The zorbleflux is out of order."]
    assert "safety" in examples["The zorbleflux is out of order!"]


def test_no_model_path_means_codebook_only(app, runner):
    app.config["THEME_MODEL_PATH"] = ""
    assert runner.invoke(args=["themes", "train"]).exit_code != 0
    assert analyze_text(runner, "The bus is late.")["themes"] == ["transportation"]
