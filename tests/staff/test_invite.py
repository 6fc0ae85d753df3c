"""The distribution kit (issue 16): texts in every language with tracked links, text
messages counted as phones split them, the whole kit as one sheet, answers by link."""

import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from engagement.invitations import KINDS, kit, sms_count
from engagement.models import Channel, School
from engagement.submissions import Submission, record_response
from tests.factories import make_engagement

LANGUAGES = ("en", "es", "pt_BR", "zh_Hans", "ht", "ar")
TITLES = {
    "en": "Family survey 2026",
    "es": "Encuesta a las familias 2026",
    "pt_BR": "Pesquisa com as famílias 2026",
    "zh_Hans": "2026年家庭调查",
    "ht": "Sondaj fanmi 2026",
    "ar": "استبيان العائلات 2026",
}


@pytest.mark.parametrize(
    ("text", "encoding", "length", "parts"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters count twice
        ("Ñandú " * 10, "UCS-2", 60, 1),  # ú is not in the GSM alphabet
        ("é" * 160, "GSM-7", 160, 1),  # é is
        ("家" * 70, "UCS-2", 70, 1),
        ("家" * 71, "UCS-2", 71, 2),
        ("😀" * 35, "UCS-2", 70, 1),  # an emoji is two UTF-16 units
        ("😀" * 36, "UCS-2", 72, 2),
    ],
)
def test_text_messages_are_counted_as_phones_split_them(text, encoding, length, parts):
    count = sms_count(text)
    assert (count.encoding, count.length, count.parts) == (encoding, length, parts)


@pytest.fixture
def survey(seeded):
    return make_engagement(slug="family-survey-2026", titles=TITLES)


def test_every_text_message_fits_one_message_in_every_language(app, survey):
    # A real district address, longer than the test client's.
    app.config["PUBLIC_BASE_URL"] = "https://voice.district.org"
    with app.test_request_context():
        for lang in LANGUAGES:
            messages = kit(survey, lang)
            assert [m.kind for m in messages] == list(KINDS)
            for message in messages:
                assert message.link in message.body
                if message.sms is not None:
                    assert message.sms.fits_one, (lang, message.body, message.sms)


def test_kit_texts_are_in_their_language_with_tagged_links(app, survey, db):
    school = db.session.scalar(sa.select(School).order_by(School.id))
    with app.test_request_context():
        messages = {m.kind: m for m in kit(survey, "es", school)}
    assert TITLES["es"] in messages["email_invitation"].body
    assert "channel=email" in messages["email_invitation"].link
    assert f"school={school.code}" in messages["email_invitation"].link
    assert "lang=es" in messages["newsletter"].link
    assert messages["sms_invitation"].link.endswith(f"/i/{survey.id}/s/es/{school.id}")


def test_kit_page_says_how_many_messages_a_long_text_takes(app, staff_client, db, seeded):
    # Even the shortest wording cannot fit with an address this long.
    app.config["PUBLIC_BASE_URL"] = "https://" + ".".join(["very-long-district-name"] * 7) + ".org"
    make_engagement(slug="long", titles={"en": "A very long title " * 8})
    body = staff_client.get("/staff/engagements/long/invite").get_data(as_text=True)
    assert re.search(r"Sent as \d+ text messages", body)
    assert "Fits in one text message" not in body.split('id="kit-en"')[1].split("</section>")[0]


def test_kit_page_shows_every_language(staff_client, survey):
    body = staff_client.get("/staff/engagements/family-survey-2026/invite").get_data(as_text=True)
    for lang in LANGUAGES:
        assert f'id="kit-{lang}"' in body
        assert TITLES[lang] in body
    assert "Fits in one text message" in body


def test_kit_sheet_has_a_row_per_language_and_text(staff_client, survey, db):
    school = db.session.scalar(sa.select(School).order_by(School.id))
    response = staff_client.get(
        f"/staff/engagements/family-survey-2026/invite.xlsx?school={school.code}"
    )
    assert response.status_code == 200
    assert (
        f"family-survey-2026-invitations-{school.code}-" in response.headers["Content-Disposition"]
    )
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + len(LANGUAGES) * len(KINDS)
    sms_rows = [row for row in rows[1:] if row[7] is not None]
    assert len(sms_rows) == 2 * len(LANGUAGES)
    assert all(row[7] == 1 and isinstance(row[6], int) for row in sms_rows)
    assert all(f"school={school.code}" in row[5] or f"/{school.id}" in row[5] for row in rows[1:])


def test_answers_by_link_counts_channel_and_school(staff_client, survey, db):
    school = db.session.scalar(sa.select(School).order_by(School.id))
    for channel, source in (
        (Channel.SMS, school.id),
        (Channel.SMS, school.id),
        (Channel.WEB, None),
    ):
        record_response(
            survey,
            Submission(
                locale="en", channel=channel, answers={}, partial=True, source_school_id=source
            ),
        )
    db.session.commit()
    body = staff_client.get("/staff/engagements/family-survey-2026/invite").get_data(as_text=True)
    table = body.split('id="by-link"')[1]
    assert re.search(rf"Text message link.*?{re.escape(school.name)}.*?>2<", table, re.S)
    assert re.search(r"Web form.*?District-wide.*?>1<", table, re.S)


def test_council_leads_cannot_open_the_kit(client, lead_user, survey):
    from tests.staff.conftest import sign_in

    sign_in(client, lead_user.email)
    assert client.get("/staff/engagements/family-survey-2026/invite").status_code in (403, 404)


def test_kit_and_paper_form_only_in_the_offered_languages(staff_client, seeded):
    make_engagement(slug="two", titles={"en": "Two", "es": "Dos"}, languages="en,es")
    body = staff_client.get("/staff/engagements/two/invite").get_data(as_text=True)
    assert 'id="kit-es"' in body and 'id="kit-ar"' not in body
    assert staff_client.get("/staff/engagements/two/paper.pdf?lang=es").status_code == 200
    assert staff_client.get("/staff/engagements/two/paper.pdf?lang=ar").status_code == 404
