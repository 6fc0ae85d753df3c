"""Each input that once made an error 500, as its own case with the answer it gets now.

tests/reliability/test_no_500.py finds such inputs by walking every rule; these cases say
what the visitor sees instead (a page, a message, a 404 or 413), on both engines.
"""

import io

import pytest
import sqlalchemy as sa

from engagement.models import Engagement, Event, Response, Role
from tests.factories import make_engagement, make_user
from tests.reliability.conftest import add_response
from tests.reliability.test_no_500 import HUGE
from tests.staff.conftest import sign_in


@pytest.fixture
def survey(seeded):
    return make_engagement(slug="family-survey")


@pytest.fixture
def staff(client, seeded, fresh_user_per_request):
    make_user("staff@example.org", Role.STAFF)
    assert sign_in(client, "staff@example.org").status_code == 302
    return client


@pytest.fixture
def admin(client, seeded, fresh_user_per_request):
    make_user("admin@example.org", Role.ADMIN)
    assert sign_in(client, "admin@example.org").status_code == 302
    return client


def field(engagement, code):
    return "q_" + str(next(q.id for q in engagement.questions if q.code == code))


# --- query strings are never url_for's options ------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["_method=x", "_anchor=x", "_scheme=x&_external=1", "_external=1", "endpoint=x", "slug=x"],
)
def test_language_switcher_keeps_odd_query_arguments_as_they_are(client, survey, query):
    response = client.get(f"/e/family-survey?{query}")
    assert response.status_code == 200
    link = f'formaction="?{query.replace("&", "&amp;")}&amp;lang=ar"'
    assert link in response.get_data(as_text=True)


def test_language_switcher_replaces_the_language_once(client, survey):
    body = client.get("/e/family-survey?lang=es&channel=qr&lang=pt").get_data(as_text=True)
    assert 'formaction="?lang=ar&amp;channel=qr" name="change_language"' in body


# --- bodies that are no HTML form --------------------------------------------------------


def test_json_body_with_numbers_to_the_family_form_stores_nothing(client, db, survey):
    body = {field(survey, "informed"): 5, field(survey, "help"): [1, {}], "token": 7}
    response = client.post("/e/family-survey", json=body)
    assert response.status_code in (400, 422)
    assert "text/html" in response.content_type
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_json_array_body_to_a_staff_form_shows_the_form(staff, db):
    response = staff.post("/staff/engagements/new", json=[1, 2, {"slug": 5}])
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == 0


def test_a_file_sent_as_a_text_field_is_ignored(staff, db):
    data = {
        "kind": "survey",
        "slug": "from-a-file",
        "title": (io.BytesIO(b"not a title"), "title.txt"),
    }
    response = staff.post("/staff/engagements/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200  # the form again: the title is missing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == 0


def test_nul_characters_are_dropped_from_staff_text(staff, db):
    data = {"kind": "survey", "slug": "nul-survey", "title": "Fall\x00 survey"}
    assert staff.post("/staff/engagements/new", data=data).status_code == 302
    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == "nul-survey"))
    assert engagement.texts[0].title == "Fall survey"


def test_oversize_body_while_signed_in_gets_the_413_page(staff, app):
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = staff.post("/staff/engagements/new", data={"title": "x" * size})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_malformed_json_while_signed_in_gets_the_400_page(staff):
    response = staff.post(
        "/staff/engagements/new", data=b'{"title": ', content_type="application/json"
    )
    assert response.status_code in (200, 400)


# --- numbers and dates beyond what the database holds ------------------------------------


def test_huge_review_page_shows_the_last_page(staff, survey):
    add_response(survey.id, 1)
    response = staff.get(f"/staff/summary/family-survey/review?page={HUGE}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Page 1 of 1" in body or "More buses" in body


@pytest.mark.parametrize("page", [HUGE, "-3", "0", "x"])
def test_odd_audit_page_numbers_show_a_page(admin, page):
    assert admin.get(f"/staff/audit?page={page}").status_code == 200


def test_ids_beyond_the_database_are_not_found(admin, survey):
    assert admin.get(f"/staff/users/{HUGE}/edit").status_code == 404
    assert admin.get(f"/staff/engagements/family-survey/questions/{HUGE}/edit").status_code == 404
    assert admin.get("/staff/users/2147483648/edit").status_code == 404


def test_answer_id_beyond_the_database_is_refused(staff, survey):
    url = "/staff/summary/family-survey/review/quotes"
    response = staff.post(url, data={"answer_ids": HUGE, "decision": "approve"})
    assert response.status_code == 302
    page = staff.get(response.location).get_data(as_text=True)
    assert "Tick at least one comment, then approve or reject." in page


@pytest.mark.parametrize(
    "url",
    ["/e/%00", "/e/family-survey/thanks/%00", "/staff/exports?engagement=%00"],
)
def test_nul_in_a_slug_is_not_found(staff, survey, url):
    assert staff.get(url).status_code == 404


def test_far_dates_in_the_summary_filter_get_a_message(staff, survey):
    for query in ("date_to=9999-12-31", "date_from=0001-01-01"):
        response = staff.get(f"/staff/summary/all?{query}")
        assert response.status_code == 200
        assert "Choose a date between" in response.get_data(as_text=True)


def test_far_dates_in_the_report_period_get_a_message(staff):
    response = staff.get("/staff/exports/report?start=0001-01-01&end=9999-12-31")
    assert response.status_code == 400
    assert "Choose a date between" in response.get_data(as_text=True)


def test_far_dates_in_the_message_are_in_the_visitors_language(staff):
    response = staff.get("/staff/exports/report?end=9999-12-31&lang=es")
    assert "Elija una fecha entre" in response.get_data(as_text=True)


def test_far_dates_for_an_event_and_an_engagement_get_a_message(staff, db, survey):
    response = staff.post(
        "/staff/engagements/family-survey/events",
        data={"held_on": "9999-12-31", "attendance": "3"},
    )
    assert response.status_code == 200
    assert "Choose a date between" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    response = staff.post(
        "/staff/engagements/new",
        data={"kind": "survey", "slug": "far", "title": "Far", "closes_at": "9999-12-31T23:59"},
    )
    assert response.status_code == 200
    assert "Choose a date between" in response.get_data(as_text=True)
