"""Every family form and thank-you page says, in the family's language, that answers are not
read in real time, and gives 911, the 988 Suicide & Crisis Lifeline and the district contact
when one is configured."""

import pytest

from tests.public.conftest import LOCALES, tr, valid_data

NOT_REAL_TIME = (
    "Your answers are not read in real time: staff read them later. Please do not use this "
    "form to ask for urgent help."
)
EMERGENCY = "In an emergency, call 911."
LIFELINE = (
    "If you, your child or someone you know is thinking about suicide or is in a mental "
    "health crisis, call or text 988 (988 Suicide & Crisis Lifeline). It is free and open "
    "day and night. By phone, you can ask for an interpreter."
)


@pytest.mark.parametrize("locale", LOCALES)
def test_form_and_thanks_page_carry_the_notice_in_the_familys_language(app, client, survey, locale):
    form = client.get(f"/e/family-survey?lang={locale}").get_data(as_text=True)
    sent = client.post(f"/e/family-survey?lang={locale}", data=valid_data(survey))
    thanks = client.get(sent.location).get_data(as_text=True)
    for body in (form, thanks):
        assert body.count('class="help-notice"') == 1
        for msgid in (NOT_REAL_TIME, EMERGENCY, LIFELINE):
            assert tr(app, locale, msgid, template=True) in body
        assert "911" in body and "988" in body


def test_the_notice_sits_before_the_send_button(client, survey):
    body = client.get("/e/family-survey").get_data(as_text=True)
    # The page's last button is Send (the first, hidden one only catches Enter in a text box).
    assert body.index('class="help-notice"') < body.rindex('type="submit"')


def notice(body: str) -> str:
    return body[body.index('class="help-notice"') : body.index("</aside>")]


def test_district_contact_is_shown_only_when_configured(app, client, survey):
    # Pages are cached per language: each setting is read by a language not shown yet.
    app.config["DISTRICT_CONTACT_PHONE"] = None
    body = client.get("/e/family-survey?lang=es").get_data(as_text=True)
    assert "617-555-0142" not in notice(body)
    app.config["DISTRICT_CONTACT_PHONE"] = "617-555-0142"
    body = client.get("/e/family-survey?lang=ht").get_data(as_text=True)
    assert "617-555-0142" in notice(body)
