"""engagement.staff.access on its own: capabilities per role, council scope, the loader of an
engagement's children and the self-lockout rule (the HTTP side is test_access_matrix.py)."""

import pytest
from flask import url_for
from flask_login import AnonymousUserMixin
from werkzeug.exceptions import NotFound

from engagement.extensions import db
from engagement.models import (
    ActionStatus,
    Event,
    LoopAction,
    Question,
    QuestionOption,
    Role,
    utcnow,
)
from engagement.staff import access
from engagement.staff.dashboard import ENGAGEMENT_LINKS
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import sign_in

# What each role may do; written out by hand so that a change to access.py shows here.
EXPECTED = {
    Role.ADMIN: set(access.CAPABILITIES) - {"may_suggest_changes"},
    Role.STAFF: set(access.CAPABILITIES)
    - {
        "may_unmask_quotes",
        "may_export_contacts",
        "may_see_contacts",
        "may_manage_users",
        "may_suggest_changes",
    },
    Role.COUNCIL_LEAD: {
        "may_write_loop_actions",
        "may_read_summaries",
        "may_suggest_changes",
        "may_export_summary",
    },
}


def _councils(role):
    return ["sepac"] if role == Role.COUNCIL_LEAD else []


@pytest.mark.parametrize("role", list(Role))
def test_capabilities_per_role(seeded, role):
    user = make_user(f"{role.value}@example.org", role, councils=_councils(role))
    granted = {name for name, allowed in access.capabilities(user).items() if allowed}
    assert granted == EXPECTED[role]


def test_every_role_has_an_expected_row():
    assert set(EXPECTED) == set(Role)
    assert {"may_author", "may_manage_users", "may_unmask_quotes"} <= set(access.CAPABILITIES)


def test_anonymous_has_no_capability(seeded):
    assert not any(access.capabilities(AnonymousUserMixin()).values())
    assert not any(access.capabilities(None).values())


def test_council_scope(seeded):
    admin = make_user("admin@example.org", Role.ADMIN)
    staff = make_user("staff@example.org", Role.STAFF)
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac", "elpac"])
    assert access.council_scope(admin) is None
    assert access.council_scope(staff) is None
    assert access.council_scope(lead) == frozenset({group("sepac").id, group("elpac").id})


def test_council_scope_limits_visible_engagements(seeded):
    mine = make_engagement(slug="mine", council=group("sepac"))
    theirs = make_engagement(slug="theirs", council=group("elpac"))
    district = make_engagement(slug="district")
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    staff = make_user("staff@example.org", Role.STAFF)
    seen = set(db.session.scalars(access.visible_engagements(lead)))
    assert seen == {mine}
    assert access.can_see(lead, mine)
    assert not access.can_see(lead, theirs) and not access.can_see(lead, district)
    assert set(db.session.scalars(access.visible_engagements(staff))) == {mine, theirs, district}


def test_lead_without_council_sees_nothing(seeded):
    make_engagement(slug="some", council=group("sepac"))
    lead = make_user("lonely@example.org", Role.COUNCIL_LEAD)
    assert access.council_scope(lead) == frozenset()
    assert list(db.session.scalars(access.visible_engagements(lead))) == []


def _children(engagement):
    question = next(q for q in engagement.questions if q.has_options)
    event = Event(engagement_id=engagement.id, held_on=utcnow().date(), attendance=3)
    action = LoopAction(engagement_id=engagement.id, status=ActionStatus.PLANNED)
    db.session.add_all([event, action])
    db.session.commit()
    return {
        Question: question.id,
        QuestionOption: question.options[0].id,
        Event: event.id,
        LoopAction: action.id,
    }


@pytest.mark.parametrize("model", [Question, QuestionOption, Event, LoopAction])
def test_child_or_404(seeded, model):
    mine = make_engagement(slug="mine")
    other = make_engagement(slug="other")
    own, foreign = _children(mine), _children(other)
    assert access.child_or_404(model, mine, own[model]).id == own[model]
    with pytest.raises(NotFound):
        access.child_or_404(model, mine, foreign[model])
    with pytest.raises(NotFound):
        access.child_or_404(model, mine, 10_000_000)


def test_admin_may_not_lock_themself_out(seeded):
    admin = make_user("admin@example.org", Role.ADMIN)
    other = make_user("other@example.org", Role.ADMIN)
    assert not access.may_set_own_access(admin, admin, Role.STAFF, True)
    assert not access.may_set_own_access(admin, admin, "council_lead", True)
    assert not access.may_set_own_access(admin, admin, Role.ADMIN, False)
    assert access.may_set_own_access(admin, admin, "admin", True)
    # Other accounts, and new ones, may be given any role and be deactivated.
    assert access.may_set_own_access(admin, other, Role.STAFF, False)
    assert access.may_set_own_access(admin, None, Role.STAFF, True)


@pytest.mark.parametrize("role", list(Role))
def test_dashboard_links_show_exactly_the_pages_that_open(app, client, seeded, role):
    """A quick link on the home page is shown when, and only when, its page opens."""
    make_engagement(slug="sepac-survey", council=group("sepac"))
    user = make_user("me@example.org", role, councils=_councils(role))
    assert sign_in(client, user.email).status_code == 302
    home = client.get("/staff/").get_data(as_text=True)
    for endpoint, _label, capability in ENGAGEMENT_LINKS:
        with app.test_request_context():
            url = url_for(endpoint, slug="sepac-survey")
        shown = f'href="{url}"' in home
        status = client.get(url).status_code
        assert shown == capability(user), (endpoint, role)
        assert (status == 200) == shown, (endpoint, role, status)
