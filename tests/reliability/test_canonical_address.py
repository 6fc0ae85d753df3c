"""Canonical addresses: links never come from the Host header, and production answers only
to its own host (TRUSTED_HOSTS, from PUBLIC_BASE_URL) with a 400 page for any other."""

import pytest

from engagement import create_app
from engagement.extensions import db
from engagement.models import Role
from engagement.urls import public_url
from tests.factories import PASSWORD, make_engagement, make_user, totp_code
from tests.reliability.test_no_500 import rule_url, rules, world_values
from tests.reliability.test_security_headers import STRONG_KEY, assert_security_headers

EVIL = "evil.example"


def test_public_url_is_built_on_the_configured_address(app):
    app.config["PUBLIC_BASE_URL"] = "https://voice.district.org/"
    with app.test_request_context("/", headers={"Host": EVIL}):
        url = public_url("public.engagement", slug="fall", channel="qr", lang=None)
    assert url == "https://voice.district.org/e/fall?channel=qr"


def test_no_page_takes_its_links_from_the_host_header(app, world):
    """Every page an administrator can open, asked for under another host name."""
    make_user("admin@example.org", Role.ADMIN)
    client = app.test_client()
    base = f"http://{EVIL}"
    signed_in = client.post(
        "/staff/login", data={"email": "admin@example.org", "password": PASSWORD}, base_url=base
    )
    assert signed_in.status_code == 302 and EVIL not in signed_in.location
    signed_in = client.post(  # the admin's second step, under the same host name
        "/staff/login/code", data={"code": totp_code("admin@example.org")}, base_url=base
    )
    assert signed_in.status_code == 302 and EVIL not in signed_in.location
    values = world_values(world, "B")
    seen = 0
    for rule in rules(app):
        if "GET" not in rule.methods:
            continue
        response = client.get(rule_url(app, rule, values), base_url=base)
        assert EVIL not in response.headers.get("Location", ""), rule.endpoint
        if response.mimetype == "text/html":
            assert EVIL not in response.get_data(as_text=True), rule.endpoint
            seen += response.status_code == 200
    assert seen > 20


def test_saving_translations_redirects_without_the_host(staff_user_client, app):
    make_engagement(slug="fall", titles={"en": "Fall survey"})
    response = staff_user_client.post(
        "/staff/engagements/fall/translations/es?lang=es",
        data={"u0_title": "Encuesta de otoño"},
        base_url=f"http://{EVIL}",
    )
    assert response.status_code == 302
    assert response.location == "/staff/engagements/fall/translations/es?lang=es"


@pytest.fixture
def staff_user_client(app, seeded, fresh_user_per_request):
    make_user("staff@example.org", Role.STAFF)
    client = app.test_client()
    data = {"email": "staff@example.org", "password": PASSWORD}
    assert client.post("/staff/login", data=data, base_url=f"http://{EVIL}").status_code == 302
    return client


@pytest.fixture
def production(app, database_url):
    """A production app at https://voice.district.org, on the test's database."""
    production = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": STRONG_KEY,
            "PUBLIC_BASE_URL": "https://voice.district.org",
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )
    yield production
    with production.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("host", [EVIL, "voice.district.org.evil.example", "district.org"])
def test_production_answers_another_host_with_the_400_page(production, seeded, host):
    client = production.test_client()
    for method, url in (("GET", "/?lang=es"), ("GET", "/staff/login"), ("POST", "/e/x")):
        response = client.open(url, method=method, base_url=f"https://{host}")
        assert response.status_code == 400, (method, url)
        assert_security_headers(response)
        assert host not in response.get_data(as_text=True)
    page = client.get("/?lang=es", base_url=f"https://{host}").get_data(as_text=True)
    assert "Hubo un problema con la solicitud" in page


def test_production_answers_its_own_host(production, seeded):
    client = production.test_client()
    assert client.get("/", base_url="https://voice.district.org").status_code == 200
    assert client.get("/", base_url="https://voice.district.org:443").status_code == 200
