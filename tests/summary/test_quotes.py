"""Quotes: approved comments only, as staff masked them, in languages enough people wrote in."""

import pytest

from engagement.extensions import db
from engagement.models import QuoteState
from engagement.summary import summary_for
from engagement.themes import review
from tests.factories import make_engagement
from tests.summary.helpers import add_response


@pytest.fixture
def ctx(app, seeded):
    with app.test_request_context("/"):
        yield


def theme(summary, code):
    return next(t for t in summary.themes if t.code == code)


def test_only_approved_comments_are_quoted(ctx):
    e = make_engagement()
    answers = [
        add_response(e, f"The bus is late {i}", ["transportation"], quote=state)[1]
        for i, state in enumerate([QuoteState.PENDING] * 4 + [QuoteState.REJECTED] * 2)
    ]
    bus = theme(summary_for(e), "transportation")
    assert bus.count.n == 6 and bus.quotes == []  # counted, never quoted
    review.set_quote_state(answers[:1] + answers[4:5], QuoteState.APPROVED)
    quoted = [q.answer_id for q in theme(summary_for(e), "transportation").quotes]
    assert sorted(quoted) == sorted([answers[0].id, answers[4].id])
    # The admin's unmasked view is no way around approval either.
    unmasked = theme(summary_for(e, unmasked_quotes=True), "transportation").quotes
    assert sorted(q.answer_id for q in unmasked) == sorted(quoted)


def test_a_hand_masked_quote_is_quoted_as_masked_and_the_text_is_kept(ctx):
    e = make_engagement()
    # Names nobody introduces: automatic masking cannot find them, staff can.
    text = "Sofia and Daniel wait at the corner every day: the bus is late."
    _r, answer = add_response(e, text, ["transportation"])
    for i in range(5):
        add_response(e, f"The bus is late {i}", ["transportation"], quote=QuoteState.PENDING)
    # Words 0 (Sofia) and 2 (Daniel).
    assert review.mask_words(answer, [0, 2], e.slug)
    db.session.expire_all()
    assert answer.text == text
    expected = "[…] and […] wait at the corner every day: the bus is late."
    assert answer.quote_text == expected
    assert [q.text for q in theme(summary_for(e), "transportation").quotes] == [expected]
    unmasked = theme(summary_for(e, unmasked_quotes=True), "transportation").quotes
    assert [q.text for q in unmasked] == [text]  # admins on screen: the family's words


def test_clearing_a_hand_mask_asks_for_approval_again(ctx):
    e = make_engagement()
    _r, answer = add_response(e, "Sofia's teacher is great", ["staffing"])
    review.mask_words(answer, [0], e.slug)
    assert answer.quote_state == QuoteState.APPROVED
    review.clear_mask(answer, e.slug)
    assert answer.quote_text is None and answer.quote_state == QuoteState.PENDING


def language_survey(spanish: int, portuguese: int):
    """Ten English comments on safety, and Spanish and Portuguese ones with more key phrases
    (so that they would lead their group), every comment approved."""
    e = make_engagement()
    for i in range(10):
        add_response(e, f"English {i}", ["safety"], sentiment=-0.2)
    for i in range(spanish):
        add_response(e, f"Español {i}", ["safety"], lang="es", locale="es", phrases=["a", "b"])
    for i in range(portuguese):
        add_response(
            e, f"Português {i}", ["safety"], lang="pt", locale="pt_BR", phrases=["a", "b", "c"]
        )
    return e


def test_a_language_fewer_than_k_people_wrote_in_is_never_quoted(ctx):
    # Four Spanish and three Portuguese comments: seven in "other languages" (not a small
    # group), but each language alone is, and its count is suppressed in the summary.
    summary = summary_for(language_survey(spanish=4, portuguese=3))
    language = next(b for b in summary.breakdowns if b.dimension == "language")
    cells = {c.key: c for c in language.cells}
    assert cells["es"].suppressed and cells["pt_BR"].suppressed
    safety = theme(summary, "safety")
    assert safety.quotes and all(q.lang == "en" for q in safety.quotes)


def test_a_language_k_people_wrote_in_is_quoted(ctx):
    summary = summary_for(language_survey(spanish=5, portuguese=3))
    langs = [q.lang for q in theme(summary, "safety").quotes]
    assert "es" in langs and "pt" not in langs
