import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import Answer, AnswerAnalysis, AnswerTheme, Channel, ThemeSource
from engagement.submissions import Submission, record_response
from tests.factories import make_engagement


def submit(engagement, text, locale="en"):
    question = next(q for q in engagement.questions if q.code == "comments")
    informed = next(q for q in engagement.questions if q.code == "informed")
    return record_response(
        engagement,
        Submission(
            locale=locale, channel=Channel.WEB, answers={informed.id: "4", question.id: text}
        ),
    )


def test_submissions_are_analysed_in_the_same_transaction(app):
    engagement = make_engagement()
    response = submit(engagement, "El autobús siempre llega tarde.", locale="en")
    answer = db.session.scalar(
        sa.select(Answer).where(Answer.response_id == response.id, Answer.text.is_not(None))
    )
    analysis = db.session.get(AnswerAnalysis, answer.id)
    assert analysis.lang == "es" and analysis.sentiment is None
    codes = set(
        db.session.scalars(
            sa.select(AnswerTheme.theme_code).where(AnswerTheme.answer_id == answer.id)
        )
    )
    assert "transportation" in codes


def test_reanalyze_keeps_manual_codes_and_resumes(app, runner):
    engagement = make_engagement()
    for i in range(7):
        submit(engagement, f"The bus was late again, day {i}.")
    answer_ids = list(
        db.session.scalars(sa.select(Answer.id).where(Answer.text.is_not(None)).order_by(Answer.id))
    )
    # A reviewer removed the automatic code on the first answer and added another.
    first = answer_ids[0]
    db.session.execute(sa.delete(AnswerTheme).where(AnswerTheme.answer_id == first))
    db.session.add_all(
        [
            AnswerTheme(
                answer_id=first,
                theme_code="transportation",
                source=ThemeSource.MANUAL,
                removed=True,
            ),
            AnswerTheme(answer_id=first, theme_code="safety", source=ThemeSource.MANUAL),
        ]
    )
    # Pretend the codebook changed since these were analysed.
    db.session.execute(sa.update(AnswerAnalysis).values(codebook_version="old"))
    db.session.commit()

    result = runner.invoke(args=["themes", "reanalyze", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    assert "Reanalysed 7 answers." in result.output
    rows = {
        (r.theme_code, r.source, r.removed)
        for r in db.session.scalars(sa.select(AnswerTheme).where(AnswerTheme.answer_id == first))
    }
    assert rows == {
        ("transportation", ThemeSource.MANUAL, True),
        ("safety", ThemeSource.MANUAL, False),
    }

    result = runner.invoke(args=["themes", "reanalyze"])
    assert "Reanalysed 0 answers." in result.output
