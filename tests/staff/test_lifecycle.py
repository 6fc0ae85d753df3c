"""An engagement's life: its address never breaks, dates are kept, irreversible steps ask twice."""

from datetime import timedelta

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    AuditLog,
    Engagement,
    EngagementAddress,
    EngagementStatus,
    Question,
    utcnow,
)
from tests.factories import make_engagement

YES = {"confirm": "yes"}


def engagement(slug):
    db.session.expire_all()
    return db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))


def edit(client, eng, **changes):
    data = {
        "kind": "survey",
        "slug": eng.slug,
        "title": "Family survey",
        "school_id": "",
        "council_id": "",
    }
    data.update(changes)
    return client.post(f"/staff/engagements/{eng.slug}/edit", data=data)


def test_a_renamed_draft_keeps_its_old_address_as_a_redirect(staff_client, client, seeded):
    draft = make_engagement(slug="fall-survey", status=EngagementStatus.DRAFT)
    assert edit(staff_client, draft, slug="fall-family-survey").status_code == 302
    assert engagement("fall-family-survey").id == draft.id
    kept = db.session.scalar(sa.select(EngagementAddress))
    assert (kept.slug, kept.engagement_id) == ("fall-survey", draft.id)

    engagement("fall-family-survey").status = EngagementStatus.OPEN
    db.session.commit()
    moved = client.get("/e/fall-survey?channel=qr&lang=ht")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/e/fall-family-survey?channel=qr&lang=ht")
    assert client.get(moved.headers["Location"]).status_code == 200
    # The thank-you page follows too, and an address nobody used is still a 404.
    assert client.get("/e/fall-survey/thanks").status_code == 301
    assert client.get("/e/no-such-survey").status_code == 404


def test_addresses_match_in_any_case_and_with_a_trailing_slash(client, seeded):
    make_engagement(slug="family-survey-2026")
    upper = client.get("/e/FAMILY-SURVEY-2026?channel=qr")
    assert upper.status_code == 301
    assert upper.headers["Location"].endswith("/e/family-survey-2026?channel=qr")
    slash = client.get("/e/family-survey-2026/?channel=qr")
    assert slash.status_code == 301
    assert slash.headers["Location"].endswith("/e/family-survey-2026?channel=qr")
    both = client.get("/e/Family-Survey-2026/")
    assert both.status_code == 301
    assert both.headers["Location"].endswith("/e/family-survey-2026")


def test_the_address_is_fixed_once_the_engagement_has_opened(staff_client, seeded):
    survey = make_engagement(slug="family-survey-2026", status=EngagementStatus.OPEN)
    page = edit(staff_client, survey, slug="family-survey-new").get_data(as_text=True)
    assert "The web address cannot change once the engagement has opened" in page
    assert engagement("family-survey-2026") is not None
    assert engagement("family-survey-new") is None
    # Its other details still save.
    survey = engagement("family-survey-2026")
    assert edit(staff_client, survey, series="annual").status_code == 302
    assert engagement("family-survey-2026").series == "annual"


def test_an_earlier_address_is_never_given_to_another_engagement(staff_client, seeded):
    first = make_engagement(slug="coffee", status=EngagementStatus.DRAFT)
    edit(staff_client, first, slug="coffee-fall")
    second = make_engagement(slug="coffee-spring", status=EngagementStatus.DRAFT)
    page = edit(staff_client, second, slug="coffee").get_data(as_text=True)
    assert "Another engagement already uses this web address name." in page
    # The engagement itself may go back to its earlier address.
    assert edit(staff_client, engagement("coffee-fall"), slug="coffee").status_code == 302
    assert engagement("coffee").id == first.id
    addresses = db.session.scalars(sa.select(EngagementAddress.slug)).all()
    assert addresses == ["coffee-fall"]


def test_an_engagement_whose_closing_date_has_passed_cannot_be_opened(staff_client, seeded):
    late = make_engagement(slug="late", status=EngagementStatus.DRAFT)
    late.opens_at = utcnow() - timedelta(days=20)
    late.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    page = staff_client.post(f"/staff/engagements/{late.slug}/open", follow_redirects=True)
    assert "Its closing date has passed." in page.get_data(as_text=True)
    assert engagement("late").status == EngagementStatus.DRAFT


def test_closing_asks_first(staff_client, seeded):
    survey = make_engagement(slug="survey")
    asked = staff_client.post("/staff/engagements/survey/close")
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "Close the engagement?" in html and 'name="confirm" value="yes"' in html
    assert engagement("survey").status == EngagementStatus.OPEN
    assert staff_client.post("/staff/engagements/survey/close", data=YES).status_code == 302
    assert engagement("survey").status == EngagementStatus.CLOSED
    assert survey.id


def test_removing_a_question_or_option_asks_first(staff_client, seeded):
    survey = make_engagement(slug="survey")
    news = next(q for q in survey.questions if q.code == "news")
    email = next(o for o in news.options if o.code == "email")
    base = "/staff/engagements/survey"
    asked = staff_client.post(f"{base}/questions/{news.id}/remove").get_data(as_text=True)
    assert "Remove question news?" in asked
    asked = staff_client.post(f"{base}/options/{email.id}/remove").get_data(as_text=True)
    assert "Remove option email?" in asked
    db.session.expire_all()
    assert db.session.get(Question, news.id) is not None
    staff_client.post(f"{base}/questions/{news.id}/remove", data=YES)
    db.session.expire_all()
    assert db.session.get(Question, news.id) is None


def test_creating_and_editing_an_engagement_is_audited_field_by_field(staff_client, seeded):
    draft = make_engagement(slug="council-night", status=EngagementStatus.DRAFT)
    edit(
        staff_client,
        draft,
        slug="council-night-2026",
        closes_at="2030-10-01T17:00",
        series="councils",
    )
    row = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "engagement.edit"))
    assert row.target == "council-night-2026"
    assert row.details["slug"] == {"before": "council-night", "after": "council-night-2026"}
    assert row.details["series"] == {"before": None, "after": "councils"}
    assert row.details["closes_at"]["after"].startswith("2030-10-01T")
    assert "kind" not in row.details
