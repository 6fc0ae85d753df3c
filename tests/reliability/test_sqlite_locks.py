"""A locked SQLite database makes a submission wait or retry, never fail with a 500."""

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from engagement.extensions import db
from engagement.models import Channel, Response
from engagement.submissions import Submission, record_response
from tests.factories import make_engagement

pytestmark = pytest.mark.only_on("sqlite")


@pytest.fixture
def sqlite_file(backend, app):
    if backend != "sqlite":
        pytest.skip("SQLite locking; PostgreSQL has row locks and no database-wide write lock")
    return db.engine.url.database


class WriteLock:
    """Another connection holding SQLite's write lock for `seconds` (BEGIN IMMEDIATE)."""

    def __init__(self, path, seconds):
        self.path, self.seconds = path, seconds
        self.held = threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO audit_log (at, actor, action, target, details) "
                "VALUES ('2026-01-01 00:00:00', '', 'lock.test', '', '{}')"
            )
            self.held.set()
            time.sleep(self.seconds)
            conn.execute("COMMIT")
        finally:
            conn.close()

    def __enter__(self):
        self.thread.start()
        assert self.held.wait(5)
        return self

    def __exit__(self, *exc):
        self.thread.join()


def short_busy_timeout(milliseconds):
    """Make the app's SQLite connections give up waiting after `milliseconds`."""
    db.session.remove()
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def _short(dbapi_connection, record):
        dbapi_connection.execute(f"PRAGMA busy_timeout={milliseconds}")

    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == milliseconds


def submission(key="k" * 20, text="hello"):
    engagement = make_engagement()
    questions = {q.code: q.id for q in engagement.questions}
    answers = {questions["informed"]: "4", questions["comments"]: text}
    return engagement, Submission(
        locale="en", channel=Channel.WEB, answers=answers, idempotency_key=key
    )


def test_waits_for_a_lock_within_busy_timeout(sqlite_file):
    engagement, sub = submission()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    started = time.monotonic()
    with WriteLock(sqlite_file, 0.8):
        response = record_response(engagement, sub)
    assert time.monotonic() - started >= 0.7
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert {a.text for a in response.answers} >= {"hello"}


def test_retries_when_the_lock_outlasts_busy_timeout(sqlite_file):
    engagement, sub = submission()
    short_busy_timeout(20)
    # Each attempt waits 20 ms, then record_response backs off and tries again (5 tries,
    # about 0.8 s in all), so a lock of 0.3 s is outlasted by the retries, not the timeout.
    with WriteLock(sqlite_file, 0.3):
        response = record_response(engagement, sub)
    assert response.id is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_two_threads_submitting_under_a_lock_both_store(app, sqlite_file):
    engagement, _ = submission()
    slug, results, errors = engagement.slug, [], []

    def submit(n):
        try:
            with app.app_context():
                from engagement.models import Engagement

                eng = db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))
                ids = {q.code: q.id for q in eng.questions}
                sub = Submission(
                    locale="es",
                    channel=Channel.WEB,
                    answers={ids["informed"]: "3", ids["comments"]: f"texto {n}"},
                    idempotency_key=f"thread-key-{n:04d}-xxxxxxxx",
                )
                results.append(record_response(eng, sub).receipt_code)
                db.session.remove()
        except Exception as error:  # reported below
            errors.append(error)

    with WriteLock(sqlite_file, 0.5):
        threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors and len(set(results)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 2


def test_a_lock_that_never_clears_gives_the_busy_page_not_a_500(app, sqlite_file):
    engagement, sub = submission()

    def store():
        record_response(engagement, sub)
        return "stored"

    app.add_url_rule("/_test/store", view_func=store, methods=["POST"])
    short_busy_timeout(20)
    with WriteLock(sqlite_file, 2.5):
        response = app.test_client().post("/_test/store", headers={"Accept-Language": "es"})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert '<html lang="es"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
