"""A small fixed data set for the export tests: one survey with answers in six languages."""

from datetime import UTC, datetime

import pytest

from engagement.models import Channel, RaceEthnicity, Role
from engagement.submissions import Submission, record_response
from tests.factories import PASSWORD, group, make_engagement, make_user

CHINESE = "希望学校能提供中文翻译的通知。"
ARABIC = "نحتاج إلى مترجم في اجتماعات أولياء الأمور."
CREOLE = "Mwen ta renmen resevwa mesaj yo an kreyòl, mèsi anpil."
FORMULA = '=HYPERLINK("http://evil.example", "click")'


def sign_in(client, email):
    """Sign in through the real login form (and the code page for administrators)."""
    from tests.staff.conftest import sign_in as sign_in_with_code

    response = sign_in_with_code(client, email, PASSWORD)
    assert response.status_code == 302, response.status_code
    return client


def add_response(
    engagement,
    locale="en",
    text=None,
    choices=None,
    groups=("parent_guardian",),
    race=None,
    when=None,
    contact=None,
):
    """Store one response through the one submission service."""
    q = {question.code: question.id for question in engagement.questions}
    answers = {q["informed"]: "4", q["news"]: "email", q["rating"]: "5"}
    if choices is not None:
        answers[q["help"]] = choices
    if text is not None:
        answers[q["comments"]] = text
    return record_response(
        engagement,
        Submission(
            locale=locale,
            channel=Channel.WEB,
            answers=answers,
            group_ids=[group(code).id for code in groups],
            race_ethnicity=race,
            submitted_at=when or datetime(2024, 10, 3, 18, 5, tzinfo=UTC),
            contact=contact,
        ),
    )


@pytest.fixture
def survey(seeded):
    """A SEPAC survey with five responses, incl. Chinese, Arabic and Creole written answers."""
    engagement = make_engagement(slug="sepac-survey", council=group("sepac"))
    add_response(engagement, "zh_Hans", CHINESE, ["interpreter"], race=RaceEthnicity.ASIAN)
    add_response(engagement, "ar", ARABIC, ["childcare", "evening"])
    add_response(
        engagement,
        "ht",
        CREOLE,
        race=RaceEthnicity.BLACK,
        contact={"name": "Marie", "email": "marie@example.org"},
    )
    add_response(engagement, "en", FORMULA, ["evening"])
    add_response(engagement, "es", None, [])
    return engagement


@pytest.fixture
def admin(seeded):
    return make_user("admin@example.org", Role.ADMIN)


@pytest.fixture
def staff(seeded):
    return make_user("staff@example.org", Role.STAFF)


@pytest.fixture
def lead(seeded):
    return make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
