"""Where a family's submit path spends its time: SQL statements and a cProfile of the
cached form GET + answer POST + thank-you GET, in one process through Flask's test client.

    .venv/bin/python bench/submit_profile.py [--flows 200] [--top 25] [--postgres URL]

It prepares the 10-question survey of bench/load.py (SQLite in a temp folder, or a
throw-away schema in --postgres), warms the caches with a few flows, then prints:
1. the SQL statements of one cached flow, by request;
2. flows per second in this one thread, unprofiled (server and test client together), for
   the app and for the bare baseline (bench/baseline_app.py) on the same database, and
   their ratio: the CPU cost of a flow, apart from the concurrency of bench/load.py;
3. the functions with the most cumulative time over --flows profiled flows, the test
   client's own HTML parsing left out.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from tests.reliability.live import (  # noqa: E402
    RECEIPT_ON_PAGE,
    SECRET_KEY,
    fill_answers,
    parse_form,
    prepare_database,
)


def make_app(url):
    from engagement import create_app

    return create_app(
        {
            "CONFIG": "production",
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET_KEY,
            "RATELIMIT_ENABLED": False,
            "FORM_MIN_SECONDS": 0,
            "PUBLIC_BASE_URL": "http://localhost",
            "LOG_LEVEL": "WARNING",
        }
    )


def flow(client, slug, rng, tag, seen=None):
    """One family: the form, its answer, the thank-you page. `seen` collects statements
    per request when given."""

    def phase(name):
        if seen is not None:
            seen.append((name, []))

    phase("GET form")
    page = client.get(f"/e/{slug}")
    assert page.status_code == 200, page.status_code
    form = parse_form(page.get_data(as_text=True))
    pairs, _texts = fill_answers(form, rng, tag)
    phase("POST answers")
    sent = client.post(f"/e/{slug}", data=MultiDict(list(form.hidden.items()) + pairs))
    assert sent.status_code == 303, sent.status_code
    phase("GET thank-you")
    thanks = client.get(sent.headers["Location"])
    assert thanks.status_code == 200 and RECEIPT_ON_PAGE.search(thanks.get_data(as_text=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flows", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    parser.add_argument("--postgres", help="a PostgreSQL URL (a throw-away schema is used)")
    opts = parser.parse_args()

    schema = None
    if opts.postgres:
        from tests.conftest import PostgresSchema

        schema = PostgresSchema(opts.postgres, prefix="bench")
        url = schema.url
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-submit-')}/bench.sqlite"
    try:
        slug = prepare_database(url)
        app = make_app(url)
        with app.app_context():
            from engagement.extensions import db

            engine = db.engine
        seen = []

        def count(conn, cursor, statement, *args):
            if seen:
                seen[-1][1].append(" ".join(statement.split())[:110])

        client = app.test_client()
        rng = random.Random(1)
        for i in range(5):
            flow(client, slug, rng, f"warm {i}")
        sa.event.listen(engine, "before_cursor_execute", count)
        flow(client, slug, rng, "counted", seen)
        sa.event.remove(engine, "before_cursor_execute", count)
        total = sum(len(statements) for _name, statements in seen)
        print(f"{engine.dialect.name}: {total} SQL statements for one cached flow")
        for name, statements in seen:
            print(f"  {name}: {len(statements)}")
            for statement in statements:
                print(f"    {statement}")

        os.environ.update(DATABASE_URL=url, BENCH_SLUG=slug)
        from bench import baseline_app

        baseline = baseline_app.app.test_client()
        flow(baseline, slug, rng, "baseline warm")
        rates = {"app": [], "baseline": []}
        # Interleaved, so that a shared machine's load weighs on both alike.
        for _round in range(3):
            for name, each in (("app", client), ("baseline", baseline)):
                started = time.perf_counter()
                for i in range(opts.flows // 3):
                    flow(each, slug, rng, f"timed {name} {i}")
                rates[name].append((opts.flows // 3) / (time.perf_counter() - started))
        app_rate, baseline_rate = (statistics.median(rates[n]) for n in ("app", "baseline"))
        print(
            f"one thread, unprofiled: app {app_rate:.1f} flows/s, baseline "
            f"{baseline_rate:.1f} flows/s, ratio {app_rate / baseline_rate:.2f}"
        )

        profile = cProfile.Profile()
        profile.enable()
        for i in range(opts.flows):
            flow(client, slug, rng, f"profiled {i}")
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(opts.sort).print_stats(r"engagement|flask|wtforms|jinja2|sqlalchemy")
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\n{opts.sort} seconds over {opts.flows} profiled flows (top {opts.top}):")
        for line in lines[start : start + opts.top + 1]:
            print("  " + line[:150])
    finally:
        if schema is not None:
            schema.drop()


if __name__ == "__main__":
    main()
