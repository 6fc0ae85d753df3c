"""The password rule: long enough and not guessable (zxcvbn), explained in the user's own
language, the same for the CLI, set-password links and the Account page."""

import html

import pytest
import sqlalchemy as sa
from zxcvbn import zxcvbn

from engagement.extensions import db
from engagement.models import Role, User
from engagement.staff.services import accounts
from engagement.staff.services.accounts_passwords import (
    PasswordRefused,
    check_password,
    personal_words,
    weaknesses,
)
from tests.factories import make_user

REPEAT = "Repeated letters or patterns, like aaa or abcabc, are easy to guess."
COMMON = "It is one of the passwords people use most, or close to one."
PERSONAL = "It contains your e-mail address or the district's name."
TOO_EASY = "This password is too easy to guess."


def refusal(app, password, email="", lang="en"):
    with app.test_request_context(f"/staff/account?lang={lang}"):
        try:
            check_password(password, email=email)
        except PasswordRefused as refused:
            return refused.reason, str(refused)
    return None, ""


@pytest.mark.parametrize(
    "password, reason",
    [
        ("aaaaaaaaaaaa", REPEAT),
        ("password1234", COMMON),
        ("qwertyuiop12", COMMON),
        ("abcdefghijkl", "Sequences like abc or 1234 are easy to guess."),
        ("jennifer1234", "Names are easy to guess."),
    ],
)
def test_guessable_passwords_are_refused_with_the_reason(app, password, reason):
    rule, message = refusal(app, password)
    assert rule == "password_guessable"
    assert message.startswith(TOO_EASY) and reason in message
    assert "Try three or four unrelated words" in message


def test_the_district_name_and_the_email_count_as_guessable(app):
    assert refusal(app, "belmont2026!")[1].startswith(TOO_EASY)
    assert PERSONAL in refusal(app, "belmont2026!")[1]
    assert PERSONAL in refusal(app, "jdoe.heron@example.org", email="jdoe.heron@example.org")[1]
    app.config["DISTRICT_NAME"] = "Springfield Public Schools"
    assert refusal(app, "belmont2026!") == (None, "")  # only the district's name made it weak
    with app.test_request_context():
        assert personal_words("J.Doe@Example.org") == [
            "j.doe@example.org",
            "doe",
            "example",
            "org",
            "springfield public schools",
            "springfield",
            "public",
            "schools",
        ]


def test_strong_passwords_pass(app):
    for password in ["correct horse battery staple", "plinth crayon tuba", "Tr0ub4dor&3xyz"]:
        assert refusal(app, password) == (None, "")


def test_long_passwords_are_judged_by_their_beginning(app):
    assert refusal(app, "x" * 500)[0] == "password_guessable"  # zxcvbn alone would raise
    assert refusal(app, "plinth crayon tuba heron quilt " * 10) == (None, "")


def test_reasons_come_from_zxcvbns_kinds_longest_match_first():
    result = zxcvbn("P@ssw0rd2024")
    assert weaknesses(result) == ["common", "substitution", "date"]
    assert weaknesses(zxcvbn("correct horse battery staple")) == ["word"]


def test_the_explanation_is_in_the_users_language_not_zxcvbns_english(app):
    rule, message = refusal(app, "aaaaaaaaaaaa", lang="es")
    assert rule == "password_guessable"
    assert message.startswith("Esta contraseña es demasiado fácil de adivinar.")
    assert "aaa" in message and "Repeated" not in message and "Repeats like" not in message
    _rule, message = refusal(app, "abc", lang="ar")
    assert "12" in message and "The password" not in message


def test_cli_refuses_a_guessable_first_admin_password(runner, seeded):
    result = runner.invoke(
        args=["users", "create", "admin@example.org", "--role", "admin", "--password-stdin"],
        input="password1234\n",
    )
    assert result.exit_code != 0
    assert TOO_EASY in result.output and COMMON in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_set_password_link_refuses_the_email_as_password(app, seeded):
    person = make_user("heron.lantern@example.org", Role.STAFF)
    link = accounts.issue_password_link(person)
    client = app.test_client()
    password = "heron.lantern@example.org"
    page = client.post(
        f"/staff/set-password/{link.token}", data={"password": password, "confirm": password}
    ).get_data(as_text=True)
    assert TOO_EASY in page and PERSONAL in html.unescape(page)
    assert accounts.account_for_link(link.token) is not None  # the link is not used up
