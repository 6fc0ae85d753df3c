"""Security headers on every kind of response, and cookie flags in production."""

import re

import pytest
from flask import session
from sqlalchemy.exc import OperationalError

from engagement import create_app
from engagement.security import CSP

STRONG_KEY = "k" * 48


def assert_security_headers(response):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", headers["Content-Security-Policy"]).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.fixture
def failing_app(app):
    """The test app with routes that fail the ways production can."""

    def boom():
        raise RuntimeError("unexpected")

    def busy():
        raise OperationalError("INSERT ...", {}, Exception("database is locked"))

    app.add_url_rule("/_test/boom", view_func=boom)
    app.add_url_rule("/_test/busy", view_func=busy)
    # Let the 500 handler answer instead of re-raising into the test.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_html_page_has_headers_and_no_inline_script(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_security_headers(response)
    html = response.get_data(as_text=True)
    # The CSP forbids inline script; the pages must not need it.
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html, flags=re.I), "inline style attribute"


def test_static_file_has_headers(app, client):
    with app.test_request_context():
        url = app.jinja_env.globals["asset_url"]("app.css")
    with client.get(url) as response:
        assert response.status_code == 200
        assert_security_headers(response)


@pytest.mark.parametrize(
    ("path", "status"), [("/no-such-page", 404), ("/_test/boom", 500), ("/_test/busy", 503)]
)
def test_error_pages_have_headers(failing_app, path, status):
    response = failing_app.test_client().get(path)
    assert response.status_code == status
    assert_security_headers(response)
    assert "text/html" in response.content_type


def test_hsts_only_over_https(app):
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_forwarded_proto_trusted_only_behind_configured_proxy(database_url):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    for proxies, expect_hsts in ((0, False), (1, True)):
        app = create_app(
            {
                "CONFIG": "testing",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "TRUSTED_PROXIES": proxies,
            }
        )
        app.add_url_rule("/_test/ok", view_func=lambda: "ok")
        response = app.test_client().get("/_test/ok", headers=forwarded)
        assert ("Strict-Transport-Security" in response.headers) is expect_hsts


def production_app(database_url):
    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": STRONG_KEY,
            "PUBLIC_BASE_URL": "https://localhost",
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )

    def remember():
        session["visited"] = True
        return "ok"

    app.add_url_rule("/_test/session", view_func=remember)
    return app


def cookie_flags(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")}
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def test_production_cookies_are_secure_httponly_samesite(app, database_url):
    prod = production_app(database_url)
    client = prod.test_client()
    response = client.get("/_test/session?lang=es", base_url="https://localhost")
    assert response.status_code == 200
    for name in ("session", "lang"):
        flags = cookie_flags(response, name)
        assert "secure" in flags and "httponly" in flags, (name, flags)
        assert flags["samesite"].lower() == "samesite=lax", (name, flags)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_development_cookies_work_over_plain_http(app):
    app.add_url_rule("/_test/session", view_func=lambda: session.update(a=1) or "ok")
    response = app.test_client().get("/_test/session")
    flags = cookie_flags(response, "session")
    assert "secure" not in flags and "httponly" in flags
