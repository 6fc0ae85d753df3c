"""The account service: one set of rules and audit records for the web form and the CLI."""

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AuditLog, Role, User
from engagement.staff.services import accounts, accounts_passwords
from tests.factories import PASSWORD, group, make_user


def audit_rows(action):
    query = sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
    return list(db.session.scalars(query))


def user_count():
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def cli_create(runner, email, password, *args):
    return runner.invoke(
        args=["users", "create", email, "--role", "staff", *args, "--password-stdin"],
        input=password + "\n",
    )


def web_create(client, email):
    return client.post("/staff/users/new", data={"email": email, "role": "staff"}).get_data(
        as_text=True
    )


def test_password_rule_uses_the_one_constant():
    short = "plinth crayon tuba"[: accounts.MIN_PASSWORD_LENGTH - 1]
    with pytest.raises(accounts.AccountError) as refused:
        accounts.password_rule(short)
    assert refused.value.reason == "password_too_short"
    assert str(accounts.MIN_PASSWORD_LENGTH) in str(refused.value)
    assert accounts.MIN_PASSWORD_LENGTH == accounts_passwords.MIN_PASSWORD_LENGTH == 12
    accounts.password_rule("plinth crayon tuba")


@pytest.mark.parametrize("length", [16, 20])
def test_cli_link_and_account_page_refuse_the_same_short_password(
    runner, app, seeded, monkeypatch, length
):
    """Every face reads MIN_PASSWORD_LENGTH from the service: raising it raises them all."""
    from tests.staff.conftest import sign_in

    monkeypatch.setattr(accounts_passwords, "MIN_PASSWORD_LENGTH", length)
    short = "plinth crayon tuba heron quilt"[: length - 1]  # strong, one character short
    message = f"The password must be at least {length} characters long."

    result = cli_create(runner, "cli@example.org", short)
    assert result.exit_code != 0 and message in result.output
    assert user_count() == 0

    person = make_user("person@example.org", Role.STAFF)
    link = accounts.issue_password_link(person)
    client = app.test_client()
    page = client.post(
        f"/staff/set-password/{link.token}", data={"password": short, "confirm": short}
    ).get_data(as_text=True)
    assert message in page

    sign_in(client, person.email)
    page = client.post(
        "/staff/account",
        data={"current": PASSWORD, "password": short, "confirm": short},
    ).get_data(as_text=True)
    assert message in page
    db.session.refresh(person)
    assert person.check_password(PASSWORD)

    long_enough = "plinth crayon tuba heron quilt"[:length]
    assert cli_create(runner, "cli@example.org", long_enough).exit_code == 0


def test_cli_and_web_write_the_same_audit_record(runner, client, seeded):
    from tests.staff.conftest import sign_in

    admin = make_user("admin@example.org", Role.ADMIN)
    sign_in(client, admin.email)
    assert cli_create(runner, "CLI@example.org", "a long enough password").exit_code == 0
    web_create(client, "Web@Example.org")
    cli_row, web_row = audit_rows("user.create")
    assert (cli_row.target, cli_row.actor, cli_row.user_id) == ("cli@example.org", "cli", None)
    assert (web_row.target, web_row.actor, web_row.user_id) == (
        "web@example.org",
        "admin@example.org",
        admin.id,
    )
    assert cli_row.details == web_row.details == {"role": "staff", "councils": [], "active": True}


def test_save_account_creates_and_refuses(seeded):
    lead = accounts.save_account(
        None,
        email=" Lead@Example.org ",
        role="council_lead",
        councils=[group("sepac")],
        password="a long enough password",
        actor="test",
    )
    assert lead.email == "lead@example.org" and lead.role == Role.COUNCIL_LEAD
    assert lead.check_password("a long enough password") and lead.active

    def refused(**change):
        data = {"email": "new@example.org", "role": "staff", "password": "a long password!"}
        with pytest.raises(accounts.AccountError) as error:
            accounts.save_account(None, **{**data, **change})
        return error.value.reason

    assert refused(email="LEAD@example.org") == "email_taken"
    assert refused(email="not an address") == "email_invalid"
    assert refused(role="council_lead") == "council_missing"
    assert refused(councils=[group("elpac")]) == "council_not_lead"
    assert refused(password="") == "password_too_short"
    assert refused(password="short") == "password_too_short"
    assert refused(password="password1234") == "password_guessable"
    assert user_count() == 1
    assert [row.actor for row in audit_rows("user.create")] == ["test"]


def test_save_account_changes_end_sessions_and_are_audited(seeded):
    user = make_user("someone@example.org", Role.STAFF)
    version = user.session_version
    accounts.save_account(user, email=user.email, role=Role.STAFF, active=True)
    assert user.session_version == version  # nothing changed
    assert audit_rows("user.role_change") == []

    accounts.save_account(user, email=user.email, role=Role.ADMIN, active=True)
    assert user.session_version == version + 1
    change = audit_rows("user.role_change")[0]
    assert change.details["from"]["role"] == "staff" and change.details["to"]["role"] == "admin"

    with pytest.raises(ValueError):  # administrators never type others' passwords
        accounts.save_account(
            user, email=user.email, role=Role.ADMIN, active=True, password="another long one"
        )
    accounts.issue_password_link(user, reset=True)
    assert user.session_version == version + 2 and not user.check_password(PASSWORD)
    assert audit_rows("user.password_link")[0].details == {"reset": True, "hours": 72}

    accounts.save_account(user, email=user.email, role=Role.ADMIN, active=False)
    assert not user.active and audit_rows("user.deactivate")
