"""The bare baseline for bench/load.py: Flask + the database driver, nothing else.

It serves the same three requests a family makes (the form, the POST, the thank-you page)
and stores the same rows (a response, its answers and group link) in one transaction, with
no ORM, templates, CSRF, i18n, validation or rate limits. What the real app costs on top of
this is the price of those features.

Run under gunicorn as `bench.baseline_app:app` with DATABASE_URL pointing at a database
prepared by tests/reliability/live.py (sqlite:///... or postgresql+psycopg://...).
"""

import html
import os
import secrets
import sqlite3
import threading
from datetime import UTC, datetime

from flask import Flask, redirect, request
from sqlalchemy.engine import make_url

app = Flask(__name__)
URL = make_url(os.environ["DATABASE_URL"])
SLUG = os.environ.get("BENCH_SLUG", "family-survey-2026")
_local = threading.local()


def connect():
    """One connection per thread, like a pool of size one per worker thread."""
    conn = getattr(_local, "conn", None)
    if conn is not None:
        return conn
    if URL.get_backend_name() == "sqlite":
        conn = sqlite3.connect(URL.database, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    else:
        import psycopg

        libpq = URL.set(drivername="postgresql")
        conn = psycopg.connect(libpq.render_as_string(hide_password=False))
    _local.conn = conn
    return conn


def param(sql):
    return sql if URL.get_backend_name() == "sqlite" else sql.replace("?", "%s")


def query(sql, args=()):
    conn = connect()
    cursor = conn.execute(param(sql), args)
    rows = cursor.fetchall()
    if URL.get_backend_name() != "sqlite":
        conn.commit()
    return rows


def load_form():
    """The survey's questions and choices, read once per worker."""
    (engagement_id,) = query("SELECT id FROM engagement WHERE slug = ?", (SLUG,))[0]
    questions = query(
        "SELECT id, kind FROM question WHERE engagement_id = ? ORDER BY position",
        (engagement_id,),
    )
    options = {}
    for question_id, code in query(
        "SELECT question_id, code FROM question_option ORDER BY position"
    ):
        options.setdefault(question_id, []).append(code)
    roles = [row[0] for row in query("SELECT id FROM stakeholder_group WHERE kind = 'role'")]
    return engagement_id, questions, options, roles


FORM = None


def form_parts():
    global FORM
    if FORM is None:
        FORM = load_form()
    return FORM


@app.get("/e/<slug>")
def form(slug):
    _engagement_id, questions, options, roles = form_parts()
    parts = [
        f'<form method="post" action="/e/{html.escape(slug)}">',
        f'<input type="hidden" name="token" value="{secrets.token_urlsafe(32)}">',
    ]
    for question_id, kind in questions:
        name = f"q_{question_id}"
        if kind == "open_text":
            parts.append(f'<textarea name="{name}"></textarea>')
            continue
        codes = options.get(question_id) or ["1", "2", "3", "4", "5"]
        kind_attr = "checkbox" if kind == "multi_choice" else "radio"
        parts += [f'<input type="{kind_attr}" name="{name}" value="{c}">' for c in codes]
    parts += [f'<input type="checkbox" name="roles" value="{r}">' for r in roles]
    parts.append("</form>")
    return "\n".join(parts)


@app.post("/e/<slug>")
def submit(slug):
    engagement_id, questions, _options, _roles = form_parts()
    kinds = dict(questions)
    token = request.form.get("token")
    receipt = secrets.token_hex(4).upper()
    now = datetime.now(UTC).isoformat(sep=" ")
    conn = connect()
    sqlite = URL.get_backend_name() == "sqlite"
    if sqlite:
        conn.execute("BEGIN IMMEDIATE")
    try:
        returning = "" if sqlite else " RETURNING id"
        cursor = conn.execute(
            param(
                "INSERT INTO response (engagement_id, submitted_at, locale, channel, receipt_code, "
                "idempotency_key, is_demo) VALUES (?, ?, 'en', 'web', ?, ?, ?)" + returning
            ),
            (engagement_id, now, receipt, token, False),
        )
        response_id = cursor.lastrowid if sqlite else cursor.fetchone()[0]
        rows = []
        for name in request.form:
            if not name.startswith("q_"):
                continue
            question_id = int(name[2:])
            for value in request.form.getlist(name):
                if kinds.get(question_id) == "open_text":
                    rows.append((response_id, question_id, None, value))
                else:
                    rows.append((response_id, question_id, value, None))
        conn.cursor().executemany(
            param(
                "INSERT INTO answer (response_id, question_id, choice, text, quote_state) "
                "VALUES (?, ?, ?, ?, 'pending')"
            ),
            rows,
        )
        for role in request.form.getlist("roles"):
            conn.execute(
                param("INSERT INTO response_group (response_id, group_id) VALUES (?, ?)"),
                (response_id, int(role)),
            )
        if sqlite:
            conn.execute("COMMIT")
        else:
            conn.commit()
    except Exception:
        if sqlite:
            conn.execute("ROLLBACK")
        else:
            conn.rollback()
        raise
    return redirect(f"/e/{slug}/thanks/{receipt}", code=303)


@app.get("/e/<slug>/thanks/<receipt>")
def thanks(slug, receipt):
    # Marked up like the app's thank-you page, so that bench/load.py finds the receipt.
    return f'<p>Thank you. Your receipt: <span class="receipt">{html.escape(receipt)}</span></p>'


@app.get("/")
def home():
    return "ok"
