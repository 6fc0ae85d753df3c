import sqlalchemy as sa

from engagement.models import AuditLog, Engagement, EngagementStatus, Response, Role, User


def test_demo_is_idempotent_and_marked(runner, seeded, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    engagements = db.session.scalar(sa.select(sa.func.count(Engagement.id)))
    responses = db.session.scalar(sa.select(sa.func.count(Response.id)))
    assert engagements >= 5 and responses >= 300
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.is_demo.is_(False))) == 0
    statuses = set(db.session.scalars(sa.select(Engagement.status)))
    assert statuses == {EngagementStatus.OPEN, EngagementStatus.CLOSED, EngagementStatus.DRAFT}
    locales = set(db.session.scalars(sa.select(Response.locale).distinct()))
    assert {"en", "es", "zh_Hans", "ar"} <= locales

    result = runner.invoke(args=["demo"])
    assert "0 new engagements, 0 new responses" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == responses


def test_demo_needs_the_seed(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "seed" in str(result.exception)


def test_users_create_council_lead(runner, seeded, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Lead@Example.org",
            "--role",
            "council_lead",
            "--council",
            "elpac",
            "--council",
            "metco",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert user.email == "lead@example.org" and user.role == Role.COUNCIL_LEAD
    assert {c.code for c in user.councils} == {"elpac", "metco"}
    assert user.check_password("a long enough password")
    assert user.password_hash.startswith("scrypt:")
    assert db.session.scalar(sa.select(AuditLog.action)) == "user.create"


def test_users_create_refuses_bad_input(runner, seeded, db):
    def create(*args, password="a long enough password"):
        return runner.invoke(
            args=["users", "create", *args, "--password-stdin"], input=password + "\n"
        )

    assert "needs at least one --council" in create("a@x.org", "--role", "council_lead").output
    assert "No council" in create("a@x.org", "--role", "council_lead", "--council", "nope").output
    assert "only applies" in create("a@x.org", "--role", "staff", "--council", "elpac").output
    assert "at least 12" in create("a@x.org", "--role", "staff", password="short").output
    assert create("a@x.org", "--role", "staff").exit_code == 0
    assert "already exists" in create("a@x.org", "--role", "admin").output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
