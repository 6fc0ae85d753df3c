"""Time the Commitment 4 report at 100,000 responses (build, HTML, PDF).

    .venv/bin/python bench/report_speed.py [--responses 100000] [--no-postgres] [--no-sqlite]
        [--keep NAME] [--runs 3] [--profile] [--roles]

The data is the one of bench/summary_speed.py (one survey, three written answers per
response, analysed, with its aggregates), built once and kept with --keep NAME (SQLite file
/tmp/NAME.sqlite, PostgreSQL schema NAME). Prints the best of --runs for `build_report` of
the school year, the standalone HTML and the PDF; --profile prints the slowest calls of one
build. --roles seeds the district's stakeholder groups and gives every response one role
(as a real survey does; the report then shows themes per role, one view each), counted
again into the aggregates: kept with the data.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import summary_speed  # noqa: E402

from engagement import create_app  # noqa: E402
from engagement.extensions import db  # noqa: E402
from engagement.models import Engagement, Response  # noqa: E402


def best_of(fn, runs: int) -> tuple[float, object]:
    """(best seconds of `runs` calls, the last result)."""
    best, result = None, None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - t
        best = seconds if best is None else min(best, seconds)
    return best, result


def add_roles() -> None:
    """Give every response one stakeholder role (once), and count the engagement again."""
    import random

    from engagement import aggregates
    from engagement.models import GroupKind, StakeholderGroup, response_group
    from engagement.seed import seed_district

    if db.session.scalar(sa.select(sa.func.count()).select_from(response_group)):
        return
    seed_district()
    roles = list(
        db.session.scalars(
            sa.select(StakeholderGroup.id).where(StakeholderGroup.kind == GroupKind.ROLE)
        )
    )
    weights = [8, 2, 1, 1][: len(roles)] + [1] * (len(roles) - 4)
    rng = random.Random(11)
    ids = list(db.session.scalars(sa.select(Response.id).order_by(Response.id)))
    for lo in range(0, len(ids), summary_speed.BATCH):
        rows = [
            {"response_id": rid, "group_id": rng.choices(roles, weights)[0]}
            for rid in ids[lo : lo + summary_speed.BATCH]
        ]
        db.session.execute(sa.insert(response_group), rows)
    engagement_id = db.session.scalar(
        sa.select(Engagement.id).where(Engagement.slug == "bench-survey")
    )
    aggregates.rebuild(engagement_id)
    db.session.commit()


def run(label: str, url: str, n: int, options) -> None:
    from engagement.exports import render, report

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        if db.session.scalar(sa.select(Engagement.id).where(Engagement.slug == "bench-survey")):
            n = db.session.scalar(sa.select(sa.func.count(Response.id)))
        else:
            summary_speed.build(n)
        if options.roles:
            with app.test_request_context("/"):
                add_roles()
        with app.test_request_context("/"):
            start, end = report.date_range(None, None)
            build = lambda: report.build_report(start, end)  # noqa: E731
            built, data = best_of(build, options.runs)
            html, _page = best_of(lambda: render.render_html(data, standalone=True), options.runs)
            pdf, document = best_of(lambda: render.render_pdf(data), 1)
            if options.profile:
                profile = cProfile.Profile()
                profile.runcall(build)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        print(
            f"{label}: {n:,} responses; report build {built:.2f} s; + HTML {html:.2f} s; "
            f"+ PDF {pdf:.2f} s ({len(document) // 1024} KB); responses shown "
            f"{data.response_count}",
            flush=True,
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--roles", action="store_true", help="give each response a role")
    parser.add_argument("--keep", metavar="NAME", help="keep and reuse the data under NAME")
    args = parser.parse_args()
    if not args.no_sqlite:
        path = f"/tmp/{args.keep}.sqlite" if args.keep else None
        if path is None:
            import tempfile

            path = tempfile.mkstemp(suffix=".sqlite")[1]
        try:
            run("SQLite", f"sqlite:///{path}", args.responses, args)
        finally:
            if not args.keep:
                os.unlink(path)
    if not args.no_postgres:
        base = os.environ.get(
            "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
        schema = args.keep or f"bench_report_{os.getpid()}"
        engine = sa.create_engine(base)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        try:
            url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
            run("PostgreSQL", url.render_as_string(hide_password=False), args.responses, args)
        finally:
            if not args.keep:
                with engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


if __name__ == "__main__":
    main()
