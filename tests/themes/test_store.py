"""Stored analyses: upsert, manual codes win, resumable reanalysis. Uses the `app` fixture."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Channel,
    Question,
    QuestionKind,
    Response,
    ThemeSource,
)
from engagement.themes.codebook import get_codebook
from engagement.themes.store import analyze_answers, pending_count, reanalyze
from tests.factories import make_engagement


def make_answers(texts, locale="en"):
    engagement = make_engagement()
    question = db.session.scalar(
        sa.select(Question).where(
            Question.engagement_id == engagement.id, Question.kind == QuestionKind.OPEN_TEXT
        )
    )
    answers = []
    for text in texts:
        response = Response(engagement_id=engagement.id, locale=locale, channel=Channel.WEB)
        answer = Answer(question_id=question.id, text=text)
        response.answers.append(answer)
        db.session.add(response)
        answers.append(answer)
    db.session.commit()
    return answers


def themes_of(answer_id):
    rows = db.session.scalars(sa.select(AnswerTheme).where(AnswerTheme.answer_id == answer_id))
    return {(r.theme_code, r.source, r.removed) for r in rows}


def test_analyze_writes_analysis_and_auto_themes(app):
    (answer,) = make_answers(["The bus is always late and no one called back."])
    assert analyze_answers([answer]) == 1
    db.session.commit()
    analysis = db.session.get(AnswerAnalysis, answer.id)
    assert analysis.lang == "en"
    assert analysis.sentiment < 0
    assert analysis.codebook_version == get_codebook().version
    assert themes_of(answer.id) == {
        ("communication", ThemeSource.AUTO, False),
        ("transportation", ThemeSource.AUTO, False),
    }


def test_locale_comes_from_the_response_when_no_hint(app):
    (answer,) = make_answers(["ok"], locale="pt_BR")
    analyze_answers([answer])
    assert db.session.get(AnswerAnalysis, answer.id).lang == "pt_BR"


def test_upsert_replaces_auto_rows_and_keeps_manual_ones(app):
    (answer,) = make_answers(["The bus is always late."])
    analyze_answers([answer])
    db.session.add_all(
        [
            AnswerTheme(answer_id=answer.id, theme_code="safety", source=ThemeSource.MANUAL),
            # A reviewer removed "transportation": the automatic code must stay off.
        ]
    )
    db.session.execute(
        sa.update(AnswerTheme)
        .where(AnswerTheme.answer_id == answer.id, AnswerTheme.theme_code == "transportation")
        .values(source=ThemeSource.MANUAL, removed=True)
    )
    db.session.commit()

    answer.text = "The bus is late, the school is short-staffed and nobody answers e-mails."
    db.session.commit()
    analyze_answers([answer])
    db.session.commit()
    assert themes_of(answer.id) == {
        ("safety", ThemeSource.MANUAL, False),
        ("transportation", ThemeSource.MANUAL, True),
        ("staffing", ThemeSource.AUTO, False),
        ("communication", ThemeSource.AUTO, False),
    }
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerAnalysis)) == 1

    answer.text = "Nothing to add."
    db.session.commit()
    analyze_answers([answer])
    db.session.commit()
    assert themes_of(answer.id) == {
        ("safety", ThemeSource.MANUAL, False),
        ("transportation", ThemeSource.MANUAL, True),
    }


def test_reanalyze_in_batches_and_resumable(app):
    answers = make_answers([f"Comment {i}: the bus was late." for i in range(7)])
    ids = [a.id for a in answers]
    analyze_answers(answers[:2])
    db.session.commit()
    assert pending_count() == 5

    runs = list(reanalyze(batch_size=2))
    assert [p.analyzed for p in runs] == [2, 2, 1]
    assert runs[-1].done == 5 and runs[-1].last_id == ids[-1]
    assert pending_count() == 0
    assert list(reanalyze(batch_size=2)) == []  # nothing left: a rerun is a no-op

    # A stale codebook version is picked up again; after_id resumes mid-way.
    db.session.execute(sa.update(AnswerAnalysis).values(codebook_version="old"))
    db.session.commit()
    resumed = list(reanalyze(batch_size=10, after_id=ids[3]))
    assert sum(p.analyzed for p in resumed) == 3
    assert pending_count() == 4
    assert len(list(reanalyze(batch_size=3, force=True))) == 3


def test_closed_answers_are_skipped(app):
    (answer,) = make_answers(["Great teachers"])
    closed = Answer(response_id=answer.response_id, question_id=answer.question_id, choice="email")
    db.session.add(closed)
    db.session.commit()
    assert analyze_answers([answer, closed]) == 1
    assert db.session.get(AnswerAnalysis, closed.id) is None
