"""Build responses with stored analyses directly (no pipeline), for summary tests."""

from datetime import timedelta

from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Channel,
    QuoteState,
    Response,
    ThemeSource,
    utcnow,
)


def question(engagement, code):
    return next(q for q in engagement.questions if q.code == code)


def add_response(
    engagement,
    text=None,
    themes=(),
    lang="en",
    sentiment=None,
    phrases=(),
    locale="en",
    race=None,
    likert=None,
    groups=(),
    channel=Channel.WEB,
    school=None,
    hidden=False,
    quote=QuoteState.APPROVED,
    manual=(),
    removed=(),
    event=None,
):
    """One response with an optional written answer, its analysis and theme rows. The answer
    is approved as a quote unless `quote` says otherwise (`hidden=True`: rejected)."""
    response = Response(
        engagement_id=engagement.id,
        locale=locale,
        channel=channel,
        race_ethnicity=race,
        school=school,
        groups=list(groups),
        event=event,
        submitted_at=utcnow() - timedelta(hours=1),
    )
    db.session.add(response)
    if likert is not None:
        response.answers.append(
            Answer(question=question(engagement, "informed"), choice=str(likert))
        )
    answer = None
    if text is not None:
        state = QuoteState.REJECTED if hidden else quote
        answer = Answer(question=question(engagement, "comments"), text=text, quote_state=state)
        response.answers.append(answer)
        db.session.flush()
        db.session.add(
            AnswerAnalysis(
                answer_id=answer.id,
                lang=lang,
                sentiment=sentiment,
                phrases=list(phrases),
                codebook_version="test",
            )
        )
        for code in set(themes) - set(manual) - set(removed):  # one row per answer and code
            db.session.add(
                AnswerTheme(
                    answer_id=answer.id, theme_code=code, source=ThemeSource.AUTO, removed=False
                )
            )
        for code in manual:
            db.session.add(
                AnswerTheme(
                    answer_id=answer.id, theme_code=code, source=ThemeSource.MANUAL, removed=False
                )
            )
        for code in removed:
            db.session.add(
                AnswerTheme(
                    answer_id=answer.id, theme_code=code, source=ThemeSource.MANUAL, removed=True
                )
            )
    db.session.commit()
    return response, answer
