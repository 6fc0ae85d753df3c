"""A real server for the reliability tests and bench/load.py.

`prepare_database` creates the schema, the district and a 10-question survey; `Server`
runs gunicorn on a free loopback port; `Family` is one family's browser: a persistent
HTTP connection with its own cookies that reads the form, fills it in and sends it.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[2]
SLUG = "family-survey-2026"
SECRET_KEY = "live-server-secret-key-" + "x" * 32

# A 10-question survey shaped like the district's family survey, used when the demo data
# (engagement/data/demo.json) does not provide "family-survey-2026".
TEN_QUESTIONS = [
    ("welcome", "likert5", True, "I feel welcome at my child's school.", []),
    ("informed", "likert5", True, "I feel informed about my child's progress.", []),
    ("heard", "likert5", False, "The district listens to families like mine.", []),
    (
        "news",
        "single_choice",
        False,
        "How do you get school news?",
        ["email", "text", "paper", "app"],
    ),
    (
        "language",
        "single_choice",
        False,
        "In which language do you prefer news?",
        ["en", "es", "pt_BR", "zh_Hans", "ht", "ar"],
    ),
    (
        "help",
        "multi_choice",
        False,
        "What would help you take part?",
        ["childcare", "interpreter", "evening", "online", "transport"],
    ),
    (
        "topics",
        "multi_choice",
        False,
        "Which topics matter most to you?",
        ["safety", "homework", "special_ed", "arts", "sports"],
    ),
    ("rating", "rating", False, "Rate the district's communication.", []),
    ("best", "open_text", False, "What is working well?", []),
    ("change", "open_text", False, "What should change?", []),
]


def prepare_database(url: str, create_schema: bool = True) -> str:
    """Create the tables, the district and the 10-question survey at `url`; return its slug."""
    from engagement import create_app
    from engagement.extensions import db

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if create_schema:
            db.create_all()
        _add_survey()
        db.session.remove()
        db.engine.dispose()
    return SLUG


def _add_survey():
    import sqlalchemy as sa

    from engagement.extensions import db
    from engagement.models import (
        Engagement,
        EngagementStatus,
        EngagementText,
        OptionText,
        Question,
        QuestionOption,
        QuestionText,
        utcnow,
    )
    from engagement.seed import seed_district

    seed_district()
    db.session.commit()
    if db.session.scalar(sa.select(Engagement).where(Engagement.slug == SLUG)):
        return
    from datetime import timedelta

    engagement = Engagement(
        slug=SLUG,
        kind="survey",
        status=EngagementStatus.OPEN,
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=30),
    )
    engagement.texts.append(
        EngagementText(locale="en", title="Family survey 2026", description="Load test copy.")
    )
    for position, (code, kind, required, text, options) in enumerate(TEN_QUESTIONS):
        question = Question(code=code, kind=kind, required=required, position=position)
        question.texts.append(QuestionText(locale="en", text=text, help=""))
        for opt_position, option_code in enumerate(options):
            option = QuestionOption(code=option_code, position=opt_position)
            option.texts.append(OptionText(locale="en", label=option_code.title()))
            question.options.append(option)
        engagement.questions.append(question)
    db.session.add(engagement)
    db.session.commit()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving `app_spec` on a free loopback port, for a `with` block."""

    def __init__(
        self,
        database_url,
        app_spec="wsgi:app",
        workers=3,
        threads=2,
        env=None,
        log_dir=None,
        ready_path="/",
        # The app loads its text models in every worker before it answers: on a machine
        # shared with other busy jobs that alone has taken over a minute.
        start_seconds=180,
    ):
        self.port = free_port()
        self.start_seconds = start_seconds
        self.app_spec = app_spec
        self.ready_path = ready_path
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--keep-alive",
            "10",
            app_spec,
        ]
        self.env = {
            **os.environ,
            "ENGAGEMENT_CONFIG": "production",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": "0",
            # These clients send a form the moment they read it; a test of what a family
            # does (reading first) sets FORM_MIN_SECONDS and `read_seconds` of submit_once.
            "FORM_MIN_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            # Its own address: production trusts only this host (TRUSTED_HOSTS).
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}",
            **(env or {}),
        }
        self.log_path = Path(log_dir or "/tmp") / f"gunicorn-{self.port}.log"
        self.process = None

    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + self.start_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.output()
                self.log.close()
                raise RuntimeError(f"gunicorn exited early:\n{output}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", self.ready_path)
                if conn.getresponse().status < 500:
                    return self
            except OSError:
                time.sleep(0.1)
            finally:
                conn.close()
        output = self.output()
        self.__exit__()  # no server left running behind a failed start
        raise RuntimeError(f"gunicorn did not answer within {self.start_seconds} s:\n{output}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]


class FormParser(HTMLParser):
    """The fields of the first POST form: hidden values, and the choices of each input."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.in_form = False
        self.done = False
        self.hidden = {}
        self.choices = {}  # name -> [values] for radios, checkboxes and select options
        self.kinds = {}  # name -> radio | checkbox | text | textarea | select
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.in_form = True
            self.action = attrs.get("action")
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "hidden":
                self.hidden[name] = attrs.get("value") or ""
            elif kind in {"radio", "checkbox"}:
                self.choices.setdefault(name, []).append(attrs.get("value") or "on")
            self.kinds.setdefault(name, kind)
        elif tag == "textarea" and name:
            self.kinds.setdefault(name, "textarea")
        elif tag == "select" and name:
            self.kinds.setdefault(name, "select")
            self._select = name
        elif tag == "option" and self._select:
            self.choices.setdefault(self._select, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


# The tags FormParser reads, with their attributes (quoted values may hold ">").
FORM_TAG = re.compile(
    r"<(/?)(form|input|textarea|select|option)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I
)
ATTRIBUTE = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def parse_form(html: str) -> FormParser:
    """The first POST form of `html`, read like FormParser but from the form tags alone:
    a load-test client shares the server's CPU, and HTMLParser's walk over every tag of a
    page cost it about as much as the server's work on the same page."""
    parser = FormParser()
    for match in FORM_TAG.finditer(html):
        closing, tag, raw = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            parser.handle_endtag(tag)
            if parser.done:
                break
            continue
        attrs = []
        for attribute in ATTRIBUTE.finditer(raw):
            values = [v for v in attribute.group(2, 3, 4) if v is not None]
            attrs.append((attribute.group(1).lower(), unescape(values[0]) if values else None))
        parser.handle_starttag(tag, attrs)
    return parser


@dataclass
class Result:
    """One family's submission as the client saw it."""

    ok: bool
    status: int
    receipt: str | None = None
    texts: dict = field(default_factory=dict)  # field name -> text sent
    seconds: float = 0.0
    error: str = ""


# The thank-you page shows the receipt (from the session cookie; it is never in a URL).
RECEIPT_ON_PAGE = re.compile(r'<span class="receipt">([A-Z0-9-]+)</span>')


class Family:
    """A browser-like client: one keep-alive connection and its own cookie jar."""

    def __init__(self, host: str, timeout: float = 30):
        self.host = host
        self.timeout = timeout
        self.cookies = {}
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """Send one request (reconnecting once if the server closed the connection)."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # Only a request the server never read is safe to send again.
                if attempt or method != "GET":
                    raise
            except Exception:
                self.close()
                raise
        for header in response.headers.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            name, _, value = pair.partition("=")
            self.cookies[name.strip()] = value.strip()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, response, data.decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, pairs):
        body = urllib.parse.urlencode(pairs)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body=body, headers=headers)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def fill_answers(form: FormParser, rng, tag: str) -> tuple[list, dict]:
    """Answer every question field (q_*) of `form`; return the pairs and the texts sent."""
    pairs, texts = [], {}
    for name, kind in form.kinds.items():
        if not name.startswith("q_"):
            continue
        if kind == "radio":
            pairs.append((name, rng.choice(form.choices[name])))
        elif kind in {"checkbox", "select"}:
            options = [v for v in form.choices[name] if v]
            for value in rng.sample(options, k=rng.randint(1, min(3, len(options)))):
                pairs.append((name, value))
        else:
            # Text in several scripts, so a mangled encoding shows up as a mismatch.
            text = f"{tag} {name}: más tiempo, 更多时间, plis tan, وقت أكثر — {rng.random():.12f}"
            pairs.append((name, text))
            texts[name] = text
    # About you: one role, a school and the race/ethnicity question, as most families do.
    for name in ("roles", "school", "race_ethnicity"):
        options = [v for v in form.choices.get(name, []) if v]
        if options:
            pairs.append((name, rng.choice(options)))
    return pairs, texts


def submit_once(
    family: Family, slug: str, rng, tag: str, repeat: int = 1, read_seconds: float = 0.0
) -> Result:
    """GET the form, take `read_seconds` to answer, POST a full answer (`repeat` times, same
    token) and follow the redirect."""
    started = time.perf_counter()
    status, _response, html = family.get(f"/e/{slug}")
    if status != 200:
        return Result(False, status, error=f"GET form: {status}")
    form = parse_form(html)
    pairs, texts = fill_answers(form, rng, tag)
    time.sleep(read_seconds)
    hidden = [(k, v) for k, v in form.hidden.items()]
    # The action is relative ("?lang=en"), as a browser resolves it against the page.
    action = urljoin(f"/e/{slug}", form.action or "")
    receipts = set()
    for _ in range(repeat):
        status, response, body = family.post(action, hidden + pairs)
        if status not in (302, 303):
            return Result(False, status, texts=texts, error=f"POST: {status} {body[:300]!r}")
        location = urllib.parse.urlsplit(response.getheader("Location"))
        path = location.path + (f"?{location.query}" if location.query else "")
        status, _response, page = family.get(path)
        if status != 200:
            return Result(False, status, texts=texts, error=f"thank-you page: {status}")
        match = RECEIPT_ON_PAGE.search(page)
        receipts.add(match.group(1) if match else None)
    elapsed = time.perf_counter() - started
    if len(receipts) != 1 or None in receipts:
        return Result(False, status, texts=texts, error=f"receipts differ: {receipts}")
    return Result(True, status, receipts.pop(), texts, elapsed)
