"""Helpers for staff tests: accounts per role and signing in through the real form."""

import pytest
from flask import g, request_started

from engagement.models import Role
from tests.factories import PASSWORD, make_engagement, make_user, totp_code


def _forget_cached_user(sender, **extra):
    g.pop("_login_user", None)


@pytest.fixture(autouse=True)
def fresh_user_per_request(app):
    """Load the user anew on every request, as in production.

    The shared `app` fixture keeps one app context for the whole test, so `g` (where
    Flask-Login caches the user) would otherwise survive from one test request to the next.
    """
    request_started.connect(_forget_cached_user)
    yield
    request_started.disconnect(_forget_cached_user)


def sign_in(client, email, password=PASSWORD, next_url=None):
    """Sign in through the login form, and through the code page when two-step sign-in is
    on (with a code made from the account's secret); returns the last response (not
    followed)."""
    url = "/staff/login" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, data={"email": email, "password": password})
    if response.status_code == 302 and response.location.endswith("/staff/login/code"):
        response = client.post("/staff/login/code", data={"code": totp_code(email)})
    return response


@pytest.fixture
def staff_user(seeded):
    return make_user("staff@example.org", Role.STAFF)


@pytest.fixture
def admin_user(seeded):
    return make_user("admin@example.org", Role.ADMIN)


@pytest.fixture
def lead_user(seeded):
    """A council lead of SEPAC (council A)."""
    return make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])


@pytest.fixture
def staff_client(client, staff_user):
    assert sign_in(client, staff_user.email).status_code == 302
    return client


@pytest.fixture
def admin_client(client, admin_user):
    assert sign_in(client, admin_user.email).status_code == 302
    return client


@pytest.fixture
def survey(seeded):
    return make_engagement()
