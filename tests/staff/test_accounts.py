"""The account service: one set of rules and audit records for the web form and the CLI."""

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AuditLog, Role, User
from engagement.staff.services import accounts
from tests.factories import group, make_user


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


def web_create(client, email, password):
    return client.post(
        "/staff/users/new", data={"email": email, "role": "staff", "password": password}
    ).get_data(as_text=True)


def test_password_rule_uses_the_one_constant():
    short = "x" * (accounts.MIN_PASSWORD_LENGTH - 1)
    with pytest.raises(accounts.AccountError) as refused:
        accounts.password_rule(short)
    assert refused.value.reason == "password_too_short"
    assert str(accounts.MIN_PASSWORD_LENGTH) in str(refused.value)
    accounts.password_rule("x" * accounts.MIN_PASSWORD_LENGTH)


@pytest.mark.parametrize("length", [16, 20])
def test_cli_and_web_refuse_the_same_short_password(runner, client, seeded, monkeypatch, length):
    """Both faces read MIN_PASSWORD_LENGTH from the service: raising it raises both."""
    from tests.staff.conftest import sign_in

    admin = make_user("admin@example.org", Role.ADMIN)
    assert sign_in(client, admin.email).status_code == 302
    monkeypatch.setattr(accounts, "MIN_PASSWORD_LENGTH", length)
    short = "p" * (length - 1)

    result = cli_create(runner, "cli@example.org", short)
    assert result.exit_code != 0
    assert f"The password must be at least {length} characters long." in result.output
    page = web_create(client, "web@example.org", short)
    assert f"The password must be at least {length} characters long." in page
    assert user_count() == 1  # the admin only

    long_enough = "p" * length
    assert cli_create(runner, "cli@example.org", long_enough).exit_code == 0
    web_create(client, "web@example.org", long_enough)
    emails = set(db.session.scalars(sa.select(User.email)))
    assert emails == {"admin@example.org", "cli@example.org", "web@example.org"}


def test_cli_and_web_write_the_same_audit_record(runner, client, seeded):
    from tests.staff.conftest import sign_in

    admin = make_user("admin@example.org", Role.ADMIN)
    sign_in(client, admin.email)
    assert cli_create(runner, "CLI@example.org", "a long enough password").exit_code == 0
    web_create(client, "Web@Example.org", "a long enough password")
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
    assert refused(role="council_lead") == "council_missing"
    assert refused(councils=[group("elpac")]) == "council_not_lead"
    assert refused(password="") == "password_missing"
    assert refused(password="short") == "password_too_short"
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

    accounts.save_account(
        user, email=user.email, role=Role.ADMIN, active=True, password="another long one"
    )
    assert user.session_version == version + 2 and user.check_password("another long one")
    assert audit_rows("user.password_reset")

    accounts.save_account(user, email=user.email, role=Role.ADMIN, active=False)
    assert not user.active and audit_rows("user.deactivate")
