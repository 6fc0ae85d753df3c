"""Privacy: no client address or user agent stored, access logs without them, no answer text
in logs."""

import logging
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AnswerAnalysis, Channel, FollowUpContact, Response
from engagement.submissions import Submission, record_response
from tests.factories import make_engagement
from tests.reliability.live import Family, Server, prepare_database

# The README's production command uses exactly this access-log format: time, request line
# without query string, status, size, duration. No %(h)s (address), %(a)s (user agent),
# %(f)s (referer) or %(q)s (query string).
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

SUSPECT_COLUMN = re.compile(
    r"(^|_)(ip|ips|ip_address|addr|address|remote|agent|user_agent|ua)($|_)"
)


def test_no_table_has_a_column_for_address_or_user_agent(app):
    # "email" lives only in follow_up_contact, given with consent.
    suspects = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if SUSPECT_COLUMN.search(column.name.lower()) and column.name != "email"
    ]
    assert suspects == []
    response_columns = {c.name for c in db.metadata.tables["response"].columns}
    assert not response_columns & {"ip", "ip_address", "remote_addr", "user_agent", "referrer"}


def test_answer_text_is_never_logged(app, caplog):
    secret = "Mi hijo tiene un IEP y nadie me llama zq9x"
    engagement = make_engagement()
    ids = {q.code: q.id for q in engagement.questions}
    caplog.set_level(logging.DEBUG)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    submission = Submission(
        locale="es",
        channel=Channel.WEB,
        idempotency_key="p" * 20,
        answers={ids["informed"]: "2", ids["comments"]: secret},
    )
    record_response(engagement, submission)
    # Even a failing write must not put the text in a log or an error message.
    broken = Submission(
        locale="es",
        channel=Channel.WEB,
        idempotency_key=None,
        answers={ids["informed"]: "2", ids["comments"]: secret},
    )
    broken.race_ethnicity = "not-a-race"
    with pytest.raises(Exception) as raised:
        record_response(engagement, broken)
    db.session.rollback()
    assert "zq9x" not in str(raised.value)
    logged = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert "zq9x" not in logged


def test_response_times_are_stored_to_the_minute(app):
    # Seconds and microseconds would help match a response to a proxy's or Wi-Fi log entry;
    # so would the time of its text analysis or of the contact's consent, written with it.
    engagement = make_engagement()
    ids = {q.code: q.id for q in engagement.questions}
    given = datetime(2026, 3, 5, 18, 41, 27, 123456, tzinfo=UTC)
    for key, submitted_at in [("now" * 7, None), ("given" * 4, given)]:
        submission = Submission(
            locale="en",
            channel=Channel.WEB,
            idempotency_key=key,
            answers={ids["informed"]: "2", ids["comments"]: "More buses in the morning."},
            submitted_at=submitted_at,
            contact={"name": "A family", "email": "family@example.org", "phone": ""},
        )
        record_response(engagement, submission)
    # The model's own default, for code that builds a response without a time.
    db.session.add(Response(engagement_id=engagement.id, locale="en", channel=Channel.PAPER))
    db.session.commit()
    db.session.expire_all()
    stored = list(db.session.scalars(sa.select(Response.submitted_at).order_by(Response.id)))
    analysed = list(db.session.scalars(sa.select(AnswerAnalysis.analyzed_at)))
    consented = list(db.session.scalars(sa.select(FollowUpContact.consented_at)))
    assert (len(stored), len(analysed), len(consented)) == (3, 2, 2)
    times = stored + analysed + consented
    assert [(t.second, t.microsecond) for t in times] == [(0, 0)] * 7
    assert stored[1] == datetime(2026, 3, 5, 18, 41, tzinfo=UTC)


@pytest.mark.slow
@pytest.mark.only_on("sqlite")
def test_gunicorn_access_log_has_no_address_or_user_agent(backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("logging does not depend on the database")
    url = f"sqlite:///{tmp_path / 'log.sqlite'}"
    prepare_database(url)
    ua = {"User-Agent": "AgentSmith/1.0 (zq9x)", "X-Forwarded-For": "198.51.100.23"}
    server = Server(url, log_dir=tmp_path, workers=1, threads=1)
    server.command[-1:-1] = ["--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT]
    with server:
        family = Family(server.host)
        status, _response, _html = family.request("GET", "/?lang=es&secret=zq9x", headers=ua)
        family.close()
        log = server.output()
    assert status == 200
    request_lines = [line for line in log.splitlines() if '"GET /"' in line]
    assert request_lines and " 200 " in request_lines[-1], log
    for forbidden in ("127.0.0.1", "198.51.100.23", "AgentSmith", "zq9x"):
        assert forbidden not in "\n".join(request_lines), forbidden


@pytest.mark.slow
@pytest.mark.only_on("sqlite")
def test_gunicorn_writes_no_access_log_by_default(backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("logging does not depend on the database")
    url = f"sqlite:///{tmp_path / 'log.sqlite'}"
    prepare_database(url)
    with Server(url, log_dir=tmp_path, workers=1, threads=1) as server:
        family = Family(server.host)
        status, _response, _html = family.get("/e/family-survey-2026?from=zq9x")
        family.close()
        log = server.output()
    assert status == 200
    assert "zq9x" not in log and "GET /" not in log and "127.0.0.1 -" not in log
