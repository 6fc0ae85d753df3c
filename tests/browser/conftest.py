"""A live server and one Chromium for the real-browser tests of the family flow.

The server is the real app (CSRF on) on a free loopback port, in a thread of this process,
against a SQLite file prepared for this session. Debian's Chromium only; never a download.
"""

import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from engagement import create_app
from engagement.extensions import db
from engagement.models import (
    ActionStatus,
    EngagementStatus,
    LoopAction,
    LoopActionText,
    utcnow,
)
from tests.factories import make_engagement
from tests.public.conftest import TITLES, survey_questions
from tests.system_deps import CHROMIUM, require_chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(autouse=True)
def _chromium_installed():
    """Every real-browser test fails (never skips) without Debian's Chromium."""
    require_chromium()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        # Its own address, for the flyer's QR code and any other absolute link.
        app.config["PUBLIC_BASE_URL"] = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()


def prepare_data():
    """The district, an open survey in six languages and a closed one with its notes."""
    from engagement.seed import seed_district

    seed_district()
    questions = survey_questions()
    for spec in questions:  # translate the first question into every language
        if spec["code"] == "informed":
            spec["texts"].update(
                {
                    "pt_BR": "Sinto-me informado.",
                    "zh_Hans": "我觉得信息充分。",
                    "ht": "Mwen santi m byen enfòme.",
                }
            )
    make_engagement(slug="family-survey", titles=TITLES, questions=questions)
    coffee = make_engagement(slug="coffee", kind="coffee_conversation", titles=TITLES)
    coffee.event_starts_at = utcnow() + timedelta(days=5)
    coffee.event_ends_at = coffee.event_starts_at + timedelta(minutes=90)
    for row in coffee.texts:
        row.place = {"en": "Chenery library", "es": "Biblioteca de Chenery"}.get(row.locale, "")
        if row.locale == "en":
            row.childcare, row.interpreters = "Free, ages 3 to 12.", "Spanish and Arabic."
    closed = make_engagement(
        slug="spring-forum",
        kind="forum",
        status=EngagementStatus.CLOSED,
        titles={"en": "Spring forum", "es": "Foro de primavera", "ar": "منتدى الربيع"},
        questions=[],
    )
    action = LoopAction(engagement=closed, status=ActionStatus.DONE)
    action.texts.append(
        LoopActionText(
            locale="en", heard="Meetings start too early.", did="Meetings now start at 6:30 pm."
        )
    )
    action.texts.append(
        LoopActionText(
            locale="es",
            heard="Las reuniones empiezan temprano.",
            did="Ahora empiezan a las 6:30 p. m.",
        )
    )
    db.session.add(action)
    db.session.commit()


@contextmanager
def serving(path, prepare):
    """The real app (CSRF on) on a free loopback port, with a fresh SQLite file at `path`
    filled by `prepare()` inside the app context."""
    require_chromium()
    app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        db.create_all()
        prepare()
        db.session.remove()
    server = LiveServer(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("browser") / "live.sqlite", prepare_data) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized page (375x667), its own cookies, English browser settings."""
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, locale="en-US", device_scale_factor=1
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
