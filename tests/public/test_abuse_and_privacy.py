"""CSRF, rate limits, oversize bodies, privacy of responses and logs, compression."""

import gzip
import logging
import re

import pytest
import sqlalchemy as sa
from flask import g

from engagement import create_app
from engagement.extensions import db as _db
from engagement.models import Response
from tests.public.conftest import field, html_attr, responses, title, token_in, tr, valid_data

CSRF_EXPIRED = (
    "For your security, this page expired before it was sent. Your answers are still here: "
    "please check them and press “Send my answers” again."
)


def form_csrf_token(body: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_missing_csrf_token_keeps_every_answer(csrf_app, survey, db, locale):
    client = csrf_app.test_client()
    comments = field(survey, "comments")
    data = valid_data(survey, **{comments: "Mi respuesta larga, escrita con cuidado."})
    response = client.post(f"/e/family-survey?lang={locale}", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert responses(db) == []
    assert html_attr(body, "lang") == locale
    step = tr(csrf_app, locale, "Answer the questions", template=True)
    assert title(body).startswith(tr(csrf_app, locale, "Error: %(step)s", template=True, step=step))
    assert tr(csrf_app, locale, CSRF_EXPIRED, template=True) in body
    assert "Mi respuesta larga, escrita con cuidado." in body
    assert (
        f'name="{field(survey, "news")}" id="{field(survey, "news")}-0" value="email" checked'
        in body
    )
    # The page carries a fresh token: sending again now works, with the same answers.
    data["csrf_token"] = form_csrf_token(body)
    again = client.post(f"/e/family-survey?lang={locale}", data=data)
    assert again.status_code == 303
    assert len(responses(db)) == 1


def test_page_open_too_long_says_so_once(csrf_app, survey, db):
    """Both tokens too old (or missing): one "expired" message, not two saying the same."""
    body = csrf_app.test_client().post("/e/family-survey", data=valid_data(survey, token="t" * 43))
    body = body.get_data(as_text=True)
    assert CSRF_EXPIRED in body
    assert "This page was open a long time." not in body
    assert body.count("Your answers are still here") == 1


def test_expired_csrf_token_keeps_answers(csrf_app, survey, db, monkeypatch):
    import itsdangerous.timed

    client = csrf_app.test_client()
    token = form_csrf_token(client.get("/e/family-survey?lang=ar").get_data(as_text=True))
    later = itsdangerous.timed.time.time() + csrf_app.config["WTF_CSRF_TIME_LIMIT"] + 60
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    # Flask-WTF caches the signed token on `g`, which outlives a request in tests only.
    g.pop("csrf_token", None)
    comments = field(survey, "comments")
    data = valid_data(survey, csrf_token=token, **{comments: "كتبت هذا بعناية"})
    response = client.post("/e/family-survey?lang=ar", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "كتبت هذا بعناية" in body
    assert tr(csrf_app, "ar", CSRF_EXPIRED, template=True) in body
    assert responses(db) == []
    data["csrf_token"] = form_csrf_token(body)
    assert client.post("/e/family-survey?lang=ar", data=data).status_code == 303


def test_csrf_token_from_another_session_is_refused_kindly(csrf_app, survey, db):
    other = csrf_app.test_client()
    stolen = form_csrf_token(other.get("/e/family-survey").get_data(as_text=True))
    client = csrf_app.test_client()
    response = client.post("/e/family-survey", data=valid_data(survey, csrf_token=stolen))
    assert response.status_code == 400
    assert "Your answers are still here" in response.get_data(as_text=True)
    assert responses(db) == []


def test_valid_csrf_token_and_replay_store_once(csrf_app, survey, db):
    client = csrf_app.test_client()
    token = form_csrf_token(client.get("/e/family-survey").get_data(as_text=True))
    data = valid_data(survey, csrf_token=token)
    first = client.post("/e/family-survey", data=data)
    replay = client.post("/e/family-survey", data=data)
    assert first.status_code == replay.status_code == 303
    assert first.location == replay.location
    assert len(responses(db)) == 1


def test_csrf_and_validation_errors_together(csrf_app, survey, db):
    client = csrf_app.test_client()
    response = client.post(
        "/e/family-survey", data=valid_data(survey, **{field(survey, "informed"): ""})
    )
    body = response.get_data(as_text=True)
    assert "press “Send my answers” again" in body
    assert "Choose how much you agree with “I feel informed.”" in body


@pytest.fixture
def limited_app(app, database_url):
    limited = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "SUBMIT_RATE_LIMIT": "3 per minute",
        }
    )
    with limited.app_context():
        yield limited
        _db.session.remove()
        _db.engine.dispose()


BUSY = (
    "Many answers are arriving from your network right now, and yours was not saved yet. "
    "Your answers are still here: please wait a minute, then press “Send my answers” again."
)


def count_responses():
    return _db.session.scalar(sa.select(sa.func.count(Response.id)))


def test_rate_limit_sends_the_answers_back_in_the_visitors_language(limited_app, survey):
    client = limited_app.test_client()
    statuses = [
        client.post("/e/family-survey?lang=es", data=valid_data(survey)).status_code
        for _ in range(3)
    ]
    assert statuses == [303, 303, 303]
    comments = field(survey, "comments")
    data = valid_data(survey, **{comments: "Quiero más reuniones por la tarde."})
    response = client.post("/e/family-survey?lang=es", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert html_attr(body, "lang") == "es"
    step = tr(limited_app, "es", "Answer the questions", template=True)
    assert title(body).startswith(
        tr(limited_app, "es", "Error: %(step)s", template=True, step=step)
    )
    assert tr(limited_app, "es", BUSY, template=True) in body
    # Every answer is back in the form, with the same (still unused) token.
    assert ">Quiero más reuniones por la tarde.</textarea>" in body
    assert (
        f'name="{field(survey, "news")}" id="{field(survey, "news")}-0" value="email" checked'
        in body
    )
    assert f'name="{field(survey, "rating")}" value="5" checked' in body
    assert token_in(body) == data["token"]
    assert count_responses() == 3
    # Reading the form is never limited.
    assert client.get("/e/family-survey?lang=es").status_code == 200


def test_pages_sent_back_never_use_up_the_limit(limited_app, survey):
    """Answers to correct (422), a missing or stale token (400): none of them counts."""
    client = limited_app.test_client()
    informed = field(survey, "informed")
    for _ in range(5):
        response = client.post("/e/family-survey", data=valid_data(survey, **{informed: ""}))
        assert response.status_code == 422
    for token in ("", "made-up-token-" * 3):
        assert (
            client.post("/e/family-survey", data=valid_data(survey, token=token)).status_code == 400
        )
    statuses = [
        client.post("/e/family-survey", data=valid_data(survey)).status_code for _ in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    assert count_responses() == 3


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_oversize_body_gives_a_clear_413(app, client, survey, db, locale):
    huge = valid_data(survey, **{field(survey, "comments"): "x" * (300 * 1024)})
    response = client.post(f"/e/family-survey?lang={locale}", data=huge)
    body = response.get_data(as_text=True)
    assert response.status_code == 413
    assert html_attr(body, "lang") == locale
    assert tr(app, locale, "What you sent is too large") in title(body)
    assert responses(db) == []


def test_no_ip_address_or_user_agent_is_stored(client, survey, db):
    client.post(
        "/e/family-survey",
        data=valid_data(survey),
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
        headers={"User-Agent": "Mozilla/5.0 TestPhone/1.0", "X-Forwarded-For": "198.51.100.9"},
    )
    columns = {c.name for c in Response.__table__.columns}
    assert not columns & {"ip", "ip_address", "remote_addr", "user_agent", "client", "address"}
    row = db.session.execute(sa.select(Response.__table__)).mappings().one()
    for value in row.values():
        assert "203.0.113.77" not in str(value)
        assert "198.51.100.9" not in str(value)
        assert "TestPhone" not in str(value)


def test_logs_never_contain_answer_text(app, client, survey, db, caplog):
    secret = "My son was bullied on the bus"
    caplog.set_level(logging.DEBUG)
    # Listen on the loggers themselves: a migration test's logging.config (Alembic's
    # fileConfig) may have disabled them or stopped them propagating.
    loggers = [app.logger, logging.getLogger("sqlalchemy"), logging.getLogger("werkzeug")]
    disabled = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.addHandler(caplog.handler)
        logger.disabled = False
    try:
        comments = field(survey, "comments")
        client.post("/e/family-survey", data=valid_data(survey, **{comments: secret}))
        client.post(
            "/e/family-survey",
            data=valid_data(survey, homepage="x", **{comments: secret}),
        )
        client.post("/e/family-survey", data={comments: secret})
    finally:
        for logger, was_disabled in zip(loggers, disabled, strict=True):
            logger.removeHandler(caplog.handler)
            logger.disabled = was_disabled
    assert len(responses(db)) == 1
    assert caplog.records  # the app does log, just not the answers
    assert secret not in caplog.text
    assert "email" not in caplog.text


def test_html_is_gzip_compressed_when_accepted(client, survey):
    response = client.get("/e/family-survey", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.data).decode()
    assert "<form" in html
    assert len(response.data) < len(html.encode()) / 3
    plain = client.get("/e/family-survey")
    assert "Content-Encoding" not in plain.headers


def test_static_files_are_fingerprinted_and_cached_forever(client, survey):
    body = client.get("/e/family-survey").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', body)
    assert len(urls) == 2  # one stylesheet, one optional script
    for url in urls:
        assert re.search(r"\.[0-9a-f]{10}\.(css|js)$", url)
        with client.get(url) as asset:
            assert asset.status_code == 200
            assert "immutable" in asset.headers["Cache-Control"]
            assert "max-age=31536000" in asset.headers["Cache-Control"]


def test_security_headers_on_the_form(client, survey):
    response = client.get("/e/family-survey")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    body = response.get_data(as_text=True)
    assert "<script>" not in body and " style=" not in body and " onclick" not in body
