"""Any change to what families see on a form marks its engagement as updated."""

import sqlalchemy as sa

from engagement.models import Engagement, OptionText, QuestionText
from tests.factories import make_engagement


def updated(db, engagement_id):
    db.session.expire_all()
    return db.session.get(Engagement, engagement_id).updated_at


def test_editing_texts_options_or_questions_touches_the_engagement(db):
    engagement = make_engagement()
    eid = engagement.id
    steps = []

    def step(change):
        before = updated(db, eid)
        change(db.session.get(Engagement, eid))
        db.session.commit()
        steps.append(updated(db, eid) > before)

    step(lambda e: setattr(e.questions[0].texts[0], "text", "New wording"))
    step(lambda e: setattr(e.questions[1].options[0].texts[0], "label", "Email"))
    step(lambda e: setattr(e.questions[2], "hidden", True))
    step(lambda e: e.questions[0].texts.append(QuestionText(locale="ht", text="Mwen enfòme")))
    step(
        lambda e: db.session.add(
            OptionText(option_id=e.questions[1].options[1].id, locale="ar", label="رسالة")
        )
    )
    step(lambda e: db.session.delete(e.texts[-1]))
    assert steps == [True] * 6


def test_core_status_update_also_moves_updated_at(db):
    engagement = make_engagement()
    before = updated(db, engagement.id)
    db.session.execute(sa.update(Engagement).values(status="closed"))
    db.session.commit()
    assert updated(db, engagement.id) > before


def test_family_form_cache_never_serves_an_old_form(client, db):
    engagement = make_engagement(slug="cached")
    page = client.get("/e/cached").get_data(as_text=True)  # warms the cache
    assert "I feel informed." in page and '<form method="post"' in page

    engagement.questions[0].texts[0].text = "I get the news I need."
    db.session.commit()
    page = client.get("/e/cached").get_data(as_text=True)
    assert "I get the news I need." in page and "I feel informed." not in page

    engagement.status = "closed"
    db.session.commit()
    assert '<form method="post"' not in client.get("/e/cached").get_data(as_text=True)
    assert client.post("/e/cached", data={}).status_code == 410


def test_closed_early_has_no_end_date_yet(db):
    engagement = make_engagement(status="closed")
    assert engagement.closes_at > engagement.opens_at
    assert engagement.ended_at() is None
    assert engagement.ended_at(now=engagement.closes_at) == engagement.closes_at
