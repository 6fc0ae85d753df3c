"""Tracked invitation links (issue 16): the channel and the school's list a family's link
was sent to are stored with the response, and nothing about who followed it."""

import sqlalchemy as sa

from engagement.models import Channel, EngagementStatus, Response, School
from tests.factories import make_engagement
from tests.public.conftest import responses, token_in, valid_data


def burbank(db):
    return db.session.scalar(sa.select(School).order_by(School.position, School.id))


def test_a_tracked_link_stores_its_channel_and_school(client, survey, db):
    school = burbank(db)
    page = client.get(f"/e/family-survey?channel=sms&school={school.code}&lang=es")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="channel" value="sms"' in body
    assert f'name="source" value="{school.code}"' in body
    data = valid_data(survey, channel="sms", source=school.code, token=token_in(body))
    assert client.post("/e/family-survey?lang=es", data=data).status_code == 303
    [stored] = responses(db)
    assert stored.channel == Channel.SMS
    assert stored.source_school_id == school.id
    assert stored.school_id is None  # the family chose no school: the link's is not theirs


def test_each_kit_channel_is_stored(client, survey, db):
    for channel in (Channel.EMAIL, Channel.NEWSLETTER, Channel.QR):
        data = valid_data(survey, channel=channel.value)
        assert client.post("/e/family-survey", data=data).status_code == 303
    assert [r.channel for r in responses(db)] == [Channel.EMAIL, Channel.NEWSLETTER, Channel.QR]
    assert {r.source_school_id for r in responses(db)} == {None}


def test_unknown_school_or_staff_channel_is_not_stored(client, survey, db):
    data = valid_data(survey, channel="staff_entry", source="no-such-school")
    assert client.post("/e/family-survey", data=data).status_code == 303
    [stored] = responses(db)
    assert stored.channel == Channel.WEB
    assert stored.source_school_id is None


def test_a_page_for_an_unknown_school_is_the_form_without_it(client, survey):
    body = client.get("/e/family-survey?channel=email&school=nowhere").get_data(as_text=True)
    assert 'name="channel" value="email"' in body
    assert 'name="source" value="nowhere"' in body  # dropped when stored (test above)


def test_short_link_leads_to_the_tracked_form(client, survey, db):
    school = burbank(db)
    response = client.get(f"/i/{survey.id}/s/ht/{school.id}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/e/family-survey?")
    assert "channel=sms" in location and "lang=ht" in location
    assert f"school={school.code}" in location
    district_wide = client.get(f"/i/{survey.id}/e/es").headers["Location"]
    assert "school=" not in district_wide and "channel=email" in district_wide


def test_short_links_that_name_nothing_are_not_found(client, survey, db):
    assert client.get(f"/i/{survey.id}/x/es").status_code == 404
    assert client.get("/i/999999/s/es").status_code == 404
    # Counting ids never leads to a draft's address.
    draft = make_engagement(slug="not-yet-announced", status=EngagementStatus.DRAFT)
    assert client.get(f"/i/{draft.id}/s/es").status_code == 404
    # An unknown language or school is left out; the form picks the language as usual.
    location = client.get(f"/i/{survey.id}/s/xx/999999").headers["Location"]
    assert "lang=" not in location and "school=" not in location


def test_response_never_stores_address_or_agent(survey):
    columns = {column.name for column in Response.__table__.columns}
    assert not {"ip", "ip_address", "user_agent", "remote_addr"} & columns
