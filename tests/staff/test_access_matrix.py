"""Every staff URL, for every role: anonymous, a council lead of council A asking for an
engagement of council B (and of A), staff and admin.

The list of URLs comes from app.url_map, so views added later are covered automatically;
an endpoint missing from access_table.ACCESS fails the test.
"""

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    ActionStatus,
    Answer,
    BankQuestion,
    BankQuestionText,
    Event,
    FollowUp,
    FollowUpReason,
    LoopAction,
    LoopActionText,
    Proposal,
    ProposalKind,
    Response,
    Role,
    utcnow,
)
from tests.factories import group, make_engagement, make_user
from tests.staff import access_table
from tests.staff.access_table import ACCESS, ADMIN, PUBLIC, SCOPED, SIGNED_IN, STAFF
from tests.staff.conftest import sign_in

FORBIDDEN = {403, 404}


def staff_rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint.startswith("staff.")),
        key=lambda r: (r.rule, r.endpoint),
    )


def build_context():
    """Engagement B (council ELPAC) with one of everything, engagement A (council SEPAC)."""

    def one(slug, council):
        engagement = make_engagement(slug=slug, council=group(council))
        question = next(q for q in engagement.questions if q.has_options)
        event = Event(engagement_id=engagement.id, held_on=utcnow().date(), attendance=3)
        action = LoopAction(engagement_id=engagement.id, status=ActionStatus.PLANNED)
        action.texts.append(LoopActionText(locale="en", heard="h", did="d"))
        comments = next(q for q in engagement.questions if q.code == "comments")
        response = Response(engagement_id=engagement.id, locale="en", channel="web")
        response.answers.append(Answer(question_id=comments.id, text="A written comment"))
        db.session.add_all([event, action, response])
        db.session.flush()
        proposal = Proposal(
            kind=ProposalKind.NO_QUOTE, engagement_id=engagement.id, answer_id=answer_of(response)
        )
        follow_up = FollowUp(
            response_id=response.id,
            answer_id=answer_of(response),
            reason=FollowUpReason.HAZARD,
            created_at=utcnow(),
        )
        bank = BankQuestion(code=f"bank_{council}", kind="open_text")
        bank.texts.append(BankQuestionText(locale="en", text="A bank question", help=""))
        db.session.add_all([proposal, follow_up, bank])
        db.session.commit()
        return {
            "slug": slug,
            "question_id": question.id,
            "option_id": question.options[0].id,
            "event_id": event.id,
            "action_id": action.id,
            "answer_id": answer_of(response),
            "proposal_id": proposal.id,
            "item_id": follow_up.id,
            "bank_id": bank.id,
            "locale": "es",
            "direction": "down",
            "code": council,  # the council's code, for council-wide pages
        }

    def answer_of(response):
        return response.answers[0].id

    other = make_user("other@example.org", Role.STAFF)
    return {"B": one("council-b", "elpac"), "A": one("council-a", "sepac"), "user_id": other.id}


def url_for_rule(app, rule, values):
    args = {}
    for name in rule.arguments:
        if name in values:
            args[name] = values[name]
        elif name in access_table.EXTRA_ARGS:
            extra = access_table.EXTRA_ARGS[name]
            args[name] = extra(values) if callable(extra) else extra
        else:
            pytest.fail(
                f"{rule.endpoint}: no test value for URL argument {name!r}; "
                "add it to tests/staff/access_table.EXTRA_ARGS"
            )
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


def requests_for(app, ctx, engagement_key):
    """(endpoint, method, url) for every staff rule, with engagement `engagement_key`."""
    values = dict(ctx[engagement_key], user_id=ctx["user_id"])
    for rule in staff_rules(app):
        if rule.endpoint not in ACCESS:
            continue  # test_every_staff_endpoint_has_an_access_decision fails for it
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        url = url_for_rule(app, rule, values)
        for method in methods:
            yield rule.endpoint, method, url


def db_fingerprint():
    """Row counts of every table plus engagement states: a forbidden request changes none."""
    counts = {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name != "audit_log"
    }
    from engagement.models import Engagement, Question, QuestionOption

    states = db.session.execute(
        sa.select(Engagement.slug, Engagement.status).order_by(Engagement.slug)
    ).all()
    hidden = db.session.execute(sa.select(Question.id, Question.hidden, Question.position)).all()
    options = db.session.execute(
        sa.select(QuestionOption.id, QuestionOption.hidden, QuestionOption.position)
    ).all()
    return counts, states, sorted(hidden), sorted(options)


def test_every_staff_endpoint_has_an_access_decision(app):
    endpoints = {r.endpoint for r in staff_rules(app)}
    missing = sorted(endpoints - set(ACCESS))
    assert not missing, f"add these endpoints to tests/staff/access_table.py: {missing}"
    stale = sorted(set(ACCESS) - endpoints)
    assert not stale, f"access_table lists endpoints that no longer exist: {stale}"


def login_as(client, email):
    assert sign_in(client, email).status_code == 302


def allowed(response) -> bool:
    """A page, or a redirect that is not to the sign-in page."""
    if response.status_code == 200:
        return True
    return response.status_code == 302 and "/staff/login" not in response.location


def run(client, method, url):
    db.session.expire_all()
    return client.open(url, method=method, data={})


def test_anonymous_is_sent_to_sign_in_everywhere(app, seeded):
    ctx = build_context()
    client = app.test_client()
    before = db_fingerprint()
    for endpoint, method, url in requests_for(app, ctx, "B"):
        response = run(client, method, url)
        if ACCESS[endpoint] == PUBLIC:
            assert response.status_code in (200, 302), (endpoint, method, url)
            continue
        assert response.status_code == 302, (endpoint, method, url, response.status_code)
        assert "/staff/login?next=" in response.location, (endpoint, url)
    assert db_fingerprint() == before


def test_council_lead_of_a_is_refused_everything_of_b(app, seeded):
    ctx = build_context()
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    client = app.test_client()
    login_as(client, lead.email)
    before = db_fingerprint()
    tried = []
    for endpoint, method, url in requests_for(app, ctx, "B"):
        if endpoint == "staff.logout":
            continue
        response = run(client, method, url)
        tried.append((method, url, response.status_code))
        level = ACCESS[endpoint]
        if level == PUBLIC:
            assert response.status_code in (200, 302), (endpoint, method, url)
        elif level == SIGNED_IN:
            assert allowed(response), (endpoint, url)
        elif level == SCOPED:
            # Another council's engagement: not found, so its existence is not revealed.
            assert response.status_code == 404, (endpoint, method, url, response.status_code)
        else:
            assert response.status_code in FORBIDDEN, (endpoint, method, url, response.status_code)
    assert db_fingerprint() == before
    page = client.get("/staff/").get_data(as_text=True)
    assert "council-a" in page and "council-b" not in page
    print("\nCouncil lead of SEPAC, engagement of ELPAC:")
    for method, url, status in tried:
        print(f"  {method:4} {url} -> {status}")


def test_council_lead_gets_its_own_council_and_nothing_staff_only(app, seeded):
    ctx = build_context()
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    client = app.test_client()
    login_as(client, lead.email)
    for endpoint, method, url in requests_for(app, ctx, "A"):
        if endpoint == "staff.logout" or method != "GET":
            continue
        response = run(client, method, url)
        level = ACCESS[endpoint]
        if level in (PUBLIC, SIGNED_IN, SCOPED):
            assert allowed(response), (endpoint, url, response.status_code)
        else:
            assert response.status_code in FORBIDDEN, (endpoint, url, response.status_code)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admin(app, seeded, role):
    ctx = build_context()
    user = make_user("me@example.org", role)
    client = app.test_client()
    login_as(client, user.email)
    before = db_fingerprint()
    for endpoint, method, url in requests_for(app, ctx, "B"):
        if endpoint == "staff.logout":
            continue
        level = ACCESS[endpoint]
        permitted = level != ADMIN or role == Role.ADMIN
        if permitted and method != "GET":
            continue  # allowed actions are exercised by the feature tests
        response = run(client, method, url)
        if permitted:
            assert allowed(response), (endpoint, url, response.status_code)
        else:
            assert level == ADMIN and response.status_code in FORBIDDEN, (endpoint, method, url)
    assert db_fingerprint() == before
    assert STAFF and SCOPED  # levels staff and admin may use


def test_admin_without_two_step_can_only_set_it_up(app, seeded):
    """An administrator whose two-step sign-in is off is sent to set it up from every staff
    URL but the setup page and sign-out, and changes nothing on the way."""
    ctx = build_context()
    admin = make_user("new-admin@example.org", Role.ADMIN, two_step=False)
    client = app.test_client()
    login_as(client, admin.email)
    before = db_fingerprint()
    for endpoint, method, url in requests_for(app, ctx, "B"):
        if endpoint in ("staff.logout", "staff.two_step_setup") or ACCESS[endpoint] == PUBLIC:
            continue
        response = run(client, method, url)
        assert response.status_code == 302, (endpoint, method, url, response.status_code)
        assert response.location.endswith("/staff/account/two-step"), (endpoint, method, url)
    assert db_fingerprint() == before
    assert client.get("/staff/account/two-step").status_code == 200
