"""deploy/nginx.conf in front of gunicorn: slow clients (slowloris) cannot stall the app.

gunicorn hands a connection to a worker thread as soon as its first bytes arrive, and that
thread then waits for the rest of the request: a few dozen sockets that send a header a byte
a second occupy every thread. nginx holds such clients itself (cheaply, and only up to its
client_header_timeout) and passes a request on only once it has the whole of it, so families
keep being served. The tests render the real deploy/nginx.conf with their own ports and
folders and run Debian's nginx; without nginx they fail (`apt-get install nginx`, or
`make system-deps`), like the browser tests without Chromium.
"""

import gzip
import http.client
import os
import pwd
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from config import Config
from engagement.assets import load_assets
from tests.reliability.live import ROOT, Family, Server, free_port, prepare_database, submit_once
from tests.system_deps import INSTALL_HINT

# The proxy does not depend on the database: the live tests run in the SQLite pass only.
pytestmark = [pytest.mark.slow, pytest.mark.only_on("sqlite")]

CONFIG_TEMPLATE = ROOT / "deploy" / "nginx.conf"
STATIC_DIR = ROOT / "engagement" / "static"
SLUG = "family-survey-2026"
HEADER_DRIPPERS = 32  # send a request header a byte a second
BODY_DRIPPERS = 16  # send a whole header, then the body a byte a second
# A normal request must be answered within this (a stalled server never answers at all).
CLIENT_TIMEOUT = 10
# nginx's client_header_timeout is 10 s; the header drippers must be cut off well before this.
CUT_OFF_DEADLINE = 30


def nginx_binary() -> str:
    """The nginx executable; fails (never skips) the calling test when it is not installed."""
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin" + os.pathsep + "/sbin"
    binary = shutil.which("nginx", path=path)
    if binary is None:
        pytest.fail(
            "The proxy tests need Debian's nginx: " + INSTALL_HINT.format(packages="nginx"),
            pytrace=False,
        )
    return binary


def render_config(folder: Path, listen_port: int, upstream: str | list[str]) -> Path:
    """deploy/nginx.conf with its placeholders filled in for a test under `folder`; with a
    list of upstreams (several app machines), one `server` line each, as README shows."""
    if not isinstance(upstream, str):
        upstream = "; server ".join(upstream)
    values = {
        "USER": _user_name(),
        "LISTEN": f"127.0.0.1:{listen_port}",
        "UPSTREAM": upstream,
        "STATIC_DIR": str(STATIC_DIR),
        "STATE_DIR": str(folder / "state"),
        "LOG_DIR": str(folder / "logs"),
    }
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    left = re.findall(r"\{\{[A-Z_]+\}\}", text)
    assert not left, f"placeholders the test does not fill: {left}"
    for sub in ("state", "logs"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    path = folder / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def _user_name() -> str:
    # Workers run as this user when nginx starts as root; as the test's own user they can
    # read the test's private temporary folders (nginx ignores the line when not root).
    return pwd.getpwuid(os.getuid()).pw_name


class Nginx:
    """nginx in the foreground with a rendered deploy/nginx.conf, for a `with` block."""

    def __init__(self, folder: Path, upstream: str | list[str]):
        self.folder = folder
        self.port = free_port()
        self.conf = render_config(folder, self.port, upstream)
        self.command = [
            nginx_binary(),
            "-p",
            str(folder),
            "-c",
            str(self.conf),
            "-e",
            str(folder / "logs" / "startup.log"),
            "-g",
            f"pid {folder / 'nginx.pid'}; daemon off;",
        ]
        self.process = None

    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    def __enter__(self):
        # Its own process group, so that workers left behind by a killed master go too.
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited early:\n{self.errors()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"nginx did not listen within 15 s:\n{self.errors()}")

    def __exit__(self, *exc):
        self.process.terminate()  # SIGTERM: the master stops its workers and exits
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def errors(self) -> str:
        logs = [self.folder / "logs" / n for n in ("startup.log", "engagement-error.log")]
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in logs if p.exists())

    def access_log(self) -> str:
        path = self.folder / "logs" / "engagement-access.log"
        return path.read_text(errors="replace") if path.exists() else ""


class SlowClients:
    """Sockets that send a request a byte a second and never finish it (slowloris).

    Some drip a request header; the others send a whole POST header and drip its body. One
    thread sends the next byte on every open socket each second and notes which sockets the
    server closed. Every socket is closed on leaving the `with` block.
    """

    def __init__(self, port: int, headers: int = HEADER_DRIPPERS, bodies: int = BODY_DRIPPERS):
        self.port = port
        self.kinds = ["header"] * headers + ["body"] * bodies
        self.sockets = []  # (kind, socket)
        self.closed = {}  # socket -> seconds after the start at which the server closed it
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._drip, daemon=True)
        self.error = None

    def __enter__(self):
        self.started = time.monotonic()
        try:
            for kind in self.kinds:
                sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                self.sockets.append((kind, sock))
                if kind == "header":
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                else:
                    sock.sendall(
                        f"POST /e/{SLUG} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/x-www-form-urlencoded\r\n"
                        "Content-Length: 100000\r\n\r\nslow=".encode()
                    )
            self.thread.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=10)
        for _kind, sock in self.sockets:
            sock.close()

    def _drip(self):
        try:
            while not self.stop.wait(1.0):
                open_sockets = [s for _k, s in self.sockets if s not in self.closed]
                readable = select.select(open_sockets, [], [], 0)[0] if open_sockets else []
                for sock in open_sockets:
                    try:
                        if sock in readable:
                            sock.recv(4096)  # an answer (408) or the end: either way, cut off
                            raise ConnectionResetError
                        sock.send(b"a")
                    except OSError:
                        self.closed[sock] = time.monotonic() - self.started
        except Exception as error:  # reported by the test, not lost in the thread
            self.error = error

    def still_open(self, kind: str) -> int:
        return sum(1 for k, s in self.sockets if k == kind and s not in self.closed)

    def wait_until_cut_off(self, kind: str, seconds: float) -> bool:
        """Whether the server closed every socket of `kind` within `seconds` of the start."""
        while time.monotonic() - self.started < seconds:
            if not self.still_open(kind):
                return True
            time.sleep(0.2)
        return not self.still_open(kind)


def serve_a_family(host: str) -> None:
    """The home page, then a full answer: the form, the POST and the thank-you page."""
    family = Family(host, timeout=CLIENT_TIMEOUT)
    try:
        status, _response, _html = family.get("/")
        assert status == 200
        result = submit_once(family, SLUG, random.Random(7), "behind nginx")
        assert result.ok, result.error
    finally:
        family.close()


FORBIDDEN_IN_LOG = re.compile(
    r"\$\{?(remote_addr|binary_remote_addr|realip_remote_addr|remote_user|http_user_agent"
    r"|http_referer|http_x_forwarded_for|http_cookie|args|arg_\w+|query_string|is_args"
    r"|request_uri|request|request_body)\b"
)


def test_config_matches_the_app_and_is_valid(tmp_path):
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    directives = {
        name: value for name, value in re.findall(r"^\s*([a-z_]+)\s+([^;{]*);", text, re.MULTILINE)
    }
    # The body limit is the app's own, so nginx never holds a body the app would refuse.
    assert directives["client_max_body_size"] == f"{Config.MAX_CONTENT_LENGTH // 1024}k"
    # Many families share one address (a school's Wi-Fi): never fewer than 100 connections.
    assert int(directives["limit_conn"].split()[-1]) >= 100
    for timeout in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        assert int(directives[timeout].rstrip("s")) <= 30, timeout
    assert directives["proxy_request_buffering"] == "on"
    log_format = re.search(r"log_format\s+privacy\s+([^;]*);", text).group(1)
    assert "$uri" in log_format and not FORBIDDEN_IN_LOG.search(log_format), log_format
    assert "$time_" not in log_format and "$msec" not in log_format, log_format
    assert re.search(r"access_log\s+\S+\s+privacy;", text)
    assert len(re.findall(r"^\s*access_log\b", text, re.MULTILINE)) == 1

    conf = render_config(tmp_path, free_port(), "127.0.0.1:8000")
    checked = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stderr


@pytest.fixture(scope="module")
def proxied(backend, tmp_path_factory):
    """gunicorn (TRUSTED_PROXIES=1) with a temp SQLite database, and nginx in front of it.

    One worker process: with several, Linux hands most new connections to whichever worker
    wakes first, so which requests a slowloris stalls is a matter of chance. With one, the
    control below is certain, and the same server is the one nginx protects.
    """
    # `backend` ties these tests to the engine passes, so only_on("sqlite") can apply.
    nginx_binary()
    folder = tmp_path_factory.mktemp("proxy")
    url = f"sqlite:///{folder / 'live.sqlite'}"
    prepare_database(url)
    with (
        Server(url, log_dir=folder, workers=1, threads=2, env={"TRUSTED_PROXIES": "1"}) as server,
        Nginx(folder / "nginx", server.host) as nginx,
    ):
        yield server, nginx


def test_families_are_served_while_slow_clients_hold_connections(proxied):
    _server, nginx = proxied
    with SlowClients(nginx.port) as slow:
        time.sleep(2)  # every slow socket has sent its first bytes and a couple more
        serve_a_family(nginx.host)
        serve_a_family(nginx.host)
        # The body drippers never pause 10 s, so nginx still holds all of them: the families
        # above were served while they were open, not after they were dropped.
        assert slow.still_open("body") == BODY_DRIPPERS
        # client_header_timeout: nginx closes a header that is not complete after 10 s.
        assert slow.wait_until_cut_off("header", CUT_OFF_DEADLINE), (
            f"{slow.still_open('header')} slow headers still open after {CUT_OFF_DEADLINE} s"
        )
        assert slow.error is None, slow.error
    serve_a_family(nginx.host)


def test_forwarded_headers_come_from_nginx(proxied):
    # A client claiming https must not get HSTS over plain http: nginx replaces the header,
    # and the app (ProxyFix, one trusted proxy) believes only nginx.
    _server, nginx = proxied
    conn = http.client.HTTPConnection(nginx.host, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") is None


def test_forwarded_proto_reaches_the_app(proxied):
    # The other half: the app does trust X-Forwarded-Proto from its one proxy. Straight to
    # gunicorn (standing in for nginx), "https" turns HSTS on.
    server, _nginx = proxied
    conn = http.client.HTTPConnection(server.host, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")


def test_static_files_come_from_nginx_with_a_long_cache(proxied):
    _server, nginx = proxied
    public_name, (name, content, digest) = next(
        (public, entry) for public, entry in load_assets().items() if public.endswith(".css")
    )
    conn = http.client.HTTPConnection(nginx.host, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", f"/static/{public_name}", headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        body = response.read()
        conn.request("GET", f"/static/{name}")  # not fingerprinted: the app's 404
        missing = conn.getresponse()
        missing.read()
    finally:
        conn.close()
    assert response.status == 200
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    # nginx serves the file as it is on disk; the app serves it minified (engagement.assets).
    assert body == (STATIC_DIR / name).read_bytes()
    assert len(content) < len(body)
    assert response.getheader("Content-Type", "").startswith("text/css")
    assert "immutable" in response.getheader("Cache-Control", "")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    # The app's ETag is the digest; nginx's own is "<mtime>-<size>" in hex.
    assert response.getheader("ETag") != f'"{digest}"'
    assert missing.status == 404


def test_a_body_over_the_app_limit_is_refused_by_nginx(proxied):
    _server, nginx = proxied
    conn = http.client.HTTPConnection(nginx.host, timeout=CLIENT_TIMEOUT)
    try:
        body = b"a=" + b"x" * Config.MAX_CONTENT_LENGTH
        conn.request("POST", f"/e/{SLUG}", body=body, headers={"Content-Type": "text/plain"})
        response = conn.getresponse()
        response.read()
    except (BrokenPipeError, ConnectionResetError):
        pytest.fail("nginx dropped the connection instead of answering 413")
    finally:
        conn.close()
    assert response.status == 413


def test_access_log_has_no_address_user_agent_query_or_receipt(proxied):
    _server, nginx = proxied
    serve_a_family(nginx.host)  # a thank-you page, whose path has the receipt code
    lines_before = len(nginx.access_log().splitlines())
    family = Family(nginx.host, timeout=CLIENT_TIMEOUT)
    headers = {"User-Agent": "AgentSmith/1.0 (zq9x)", "Referer": "http://example.org/zq9x"}
    try:
        status, _response, _html = family.request("GET", "/?lang=es&secret=zq9x", headers=headers)
    finally:
        family.close()
    assert status == 200

    def new_lines():
        return nginx.access_log().splitlines()[lines_before:]

    # nginx writes a line once it is done with a connection, so lines of earlier requests
    # may still come in: wait for this request's own.
    deadline = time.monotonic() + CLIENT_TIMEOUT
    while not any('"GET /" 200' in line for line in new_lines()):
        assert time.monotonic() < deadline, new_lines()
        time.sleep(0.1)
    log = nginx.access_log()
    for forbidden in ("127.0.0.1", "AgentSmith", "zq9x", "example.org"):
        assert forbidden not in log, forbidden
    # Times to the minute, and no receipt code (it is never in a URL): like the database's
    # response times, a line cannot be matched to the second with another network's log.
    assert '/thanks"' in log and not re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", log), log
    assert not re.search(r"T\d\d:\d\d:\d\d", log), log
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d\S* ", log.splitlines()[-1]), log


def test_control_without_nginx_the_same_slow_clients_stall_gunicorn(proxied):
    # The control (last in this file, as it occupies gunicorn while it runs): the slow
    # clients above are enough to stall the very same gunicorn when it faces them itself.
    # If this fails, gunicorn learned to cut off slow clients, and the test above no longer
    # shows what nginx adds.
    server, _nginx = proxied
    control_timeout = 5
    with SlowClients(server.port) as slow:
        time.sleep(2)
        family = Family(server.host, timeout=control_timeout)
        try:
            with pytest.raises(TimeoutError):
                family.get("/")
        finally:
            family.close()
        assert slow.error is None, slow.error
    # Once they are gone, gunicorn serves again.
    serve_a_family(server.host)
