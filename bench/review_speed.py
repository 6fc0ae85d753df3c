"""Time the review page over 100,000 written comments, with and without filters.

    .venv/bin/python bench/review_speed.py [--comments 100000] [--no-postgres]

Builds one engagement with the comments (bulk Core inserts, as bench/summary_speed.py does:
every third answer of a response is written, analysed and themed) on SQLite (a temp file) and
on PostgreSQL (TEST_DATABASE_URL, in a throw-away schema dropped afterwards), signs in as staff
and times GET /staff/summary/<slug>/review for each filter below (best of 3, milliseconds).
The aim (issue 13): under 0.3 s at 100,000 comments.
"""

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from summary_speed import PASSWORD, build  # noqa: E402

from engagement import create_app  # noqa: E402
from engagement.extensions import db  # noqa: E402
from engagement.models import Role, User  # noqa: E402

FILTERS = {
    "no filter": "",
    "theme": "theme=equity_inclusion",
    "search": "q=comment+12",
    "written in": "written_in=es",
    "waiting for a decision": "state=pending",
    "theme + language + channel": "theme=safety&written_in=en&channel=web",
    "search, 100 a page": "q=school&per_page=100",
    "page 500": "page=500",
}


def best_of(fn, runs=3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(label: str, url: str, comments: int) -> None:
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        slug = build(-(-comments // 3))  # three written answers per response
        built = time.perf_counter() - started
        staff = User(email="staff@bench.example", role=Role.STAFF)
        staff.set_password(PASSWORD)
        db.session.add(staff)
        db.session.commit()
        client = app.test_client()
        signed_in = client.post(
            "/staff/login", data={"email": "staff@bench.example", "password": PASSWORD}
        )
        assert signed_in.status_code == 302, signed_in.status_code
        print(f"{label}: {comments:,} comments built in {built:.1f} s")
        for name, query in FILTERS.items():
            path = f"/staff/summary/{slug}/review?{query}"
            page = client.get(path)
            assert page.status_code == 200, (path, page.status_code)
            seconds = best_of(lambda path=path: client.get(path))
            print(f"  {name:<28} {seconds * 1000:6.0f} ms  ({len(page.data) // 1024} KB)")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.comments)
    if args.no_postgres:
        return
    base = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        run("PostgreSQL", url.render_as_string(hide_password=False), args.comments)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
