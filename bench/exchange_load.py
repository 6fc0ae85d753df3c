"""Exchange mode (issue 18) under load: rating submissions per second against the bare
baseline, as bench/load.py measures the ordinary form.

    .venv/bin/python bench/exchange_load.py [--seconds 20] [--clients 16] [--workers 3]
                                            [--threads 2] [--ideas 60] [--postgres URL |
                                            --no-postgres]

For SQLite (a temp file) and PostgreSQL (a throw-away schema) it:
1. prepares the district and a forum whose exchange is in its Rate phase with --ideas
   approved ideas (sample size 8);
2. starts gunicorn with the app (`wsgi:app`, production config);
3. runs --clients families for --seconds: each is a new browser (a new participant, so a
   new balanced sample is drawn and its exposures written), GETs the Rate page, POSTs stars
   for its 8 ideas with the CSRF token and cookie, and follows the redirect to the thanks page;
4. checks that every accepted submission stored its ratings, and that exposures stayed
   balanced (max - min over ideas);
5. runs bench/load.py's ordinary-form loop against bench/baseline_app.py under the same
   gunicorn settings, and prints the ratio.

Latency is the whole round trip (Rate page + POST + thanks page), in milliseconds.
"""

import argparse
import multiprocessing
import random
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import load  # noqa: E402
from tests.reliability.live import Family, Server, prepare_database  # noqa: E402

# On a busy shared machine the app's workers can take over a minute to boot.
READY_SECONDS = 300


class PatientServer(Server):
    """tests/reliability/live.Server, waiting up to READY_SECONDS for the first answer."""

    def __enter__(self):
        import http.client
        import subprocess

        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.output()}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", self.ready_path)
                if conn.getresponse().status < 500:
                    return self
            except OSError:
                time.sleep(0.2)
            finally:
                conn.close()
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within {READY_SECONDS} s")


SLUG = "exchange-forum"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SHOWN = re.compile(r'name="shown" value="(\d+)"')


def prepare(url: str, ideas: int) -> None:
    """The district, the load survey, and a forum in its Rate phase with approved ideas."""
    prepare_database(url)
    from engagement import create_app, exchanges
    from engagement.extensions import db
    from engagement.models import Engagement, ExchangePhase, IdeaState

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        survey = db.session.scalar(sa.select(Engagement).where(Engagement.slug == load_slug()))
        forum = Engagement(
            slug=SLUG,
            kind="forum",
            status="open",
            opens_at=survey.opens_at,
            closes_at=survey.closes_at,
        )
        from engagement.models import EngagementText

        forum.texts.append(EngagementText(locale="en", title="Exchange forum", description=""))
        db.session.add(forum)
        db.session.commit()
        exchange = exchanges.enable(forum, 8)
        for n in range(ideas):
            author = exchanges.new_participant(exchange, "en")
            idea = exchanges.share_idea(
                exchange, author, f"Idea {n}: evening meetings with childcare.", "en", f"b{n}"
            )
            exchanges.decide(exchange, idea.id, IdeaState.APPROVED)
        exchanges.set_phase(exchange, ExchangePhase.RATE)
        db.session.remove()
        db.engine.dispose()


def load_slug():
    from tests.reliability.live import SLUG as SURVEY

    return SURVEY


def rate_once(family: Family, rng) -> tuple[bool, float, str]:
    """One family: the Rate page, its stars, the thanks page."""
    started = time.perf_counter()
    status, _r, html = family.get(f"/e/{SLUG}/exchange/rate")
    if status != 200:
        return False, 0.0, f"GET rate: {status}"
    token = CSRF.search(html)
    shown = SHOWN.findall(html)
    if not token or not shown:
        return False, 0.0, "no form on the Rate page"
    pairs = [("csrf_token", token.group(1))] + [("shown", i) for i in shown]
    pairs += [(f"idea_{i}", str(rng.randint(1, 5))) for i in shown]
    status, response, body = family.post(f"/e/{SLUG}/exchange/rate", pairs)
    if status not in (302, 303):
        return False, 0.0, f"POST: {status} {body[:200]!r}"
    location = urllib.parse.urlsplit(response.getheader("Location"))
    status, _r, _page = family.get(location.path + (f"?{location.query}" if location.query else ""))
    if status != 200:
        return False, 0.0, f"thanks page: {status}"
    return True, time.perf_counter() - started, ""


def drive(args):
    """One driver process: `threads` families rating until `deadline`."""
    import threading

    host, threads, deadline, seed = args
    results = []
    lock = threading.Lock()

    def loop(n):
        rng = random.Random(seed * 1000 + n)
        while time.time() < deadline:
            family = Family(host)  # a new browser: a new participant and a new sample
            try:
                result = rate_once(family, rng)
            except Exception as error:  # counted as an error, the run goes on
                result = (False, 0.0, repr(error))
            family.close()
            with lock:
                results.append(result)

    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


def stored(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        ratings = conn.execute(sa.text("SELECT count(*) FROM exchange_rating")).scalar()
        exposures = [
            n
            for (n,) in conn.execute(
                sa.text(
                    "SELECT count(x.id) FROM exchange_idea i LEFT JOIN exchange_exposure x "
                    "ON x.idea_id = i.id GROUP BY i.id"
                )
            )
        ]
    engine.dispose()
    return ratings, exposures


def run_exchange(label, url, opts, log_dir):
    prepare(url, opts.ideas)
    processes = max(1, min(opts.drivers, opts.clients))
    per_process = [
        opts.clients // processes + (i < opts.clients % processes) for i in range(processes)
    ]
    with PatientServer(
        url, workers=opts.workers, threads=opts.threads, env={"BENCH_SLUG": SLUG}, log_dir=log_dir
    ) as server:
        for n in range(opts.workers * opts.threads * 2):  # warm up every worker
            warm = Family(server.host)
            rate_once(warm, random.Random(-n))
            warm.close()
        _before, _ = stored(url)
        started = time.time()
        deadline = started + opts.seconds
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(processes) as pool:
            batches = pool.map(
                drive, [(server.host, n, deadline, i) for i, n in enumerate(per_process)]
            )
        elapsed = time.time() - started
        log = server.output()
    results = [r for batch in batches for r in batch]
    ok = [r for r in results if r[0]]
    ratings, exposures = stored(url)
    latencies = [r[1] * 1000 for r in ok]
    return {
        "label": label,
        "rate": len(ok) / elapsed,
        "accepted": len(ok),
        "ratings_expected": (len(ok) + opts.workers * opts.threads * 2) * 8,
        "ratings": ratings,
        "errors": len(results) - len(ok),
        "error_sample": next((r[2] for r in results if not r[0]), ""),
        "spread": (max(exposures) - min(exposures)) if exposures else 0,
        "p50": load.percentile(latencies, 0.5),
        "p95": load.percentile(latencies, 0.95),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
        "tracebacks": log.count("Traceback"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--drivers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ideas", type=int, default=60)
    parser.add_argument("--postgres", default=load.DEFAULT_PG)
    parser.add_argument("--no-postgres", action="store_true")
    opts = parser.parse_args()
    load.Server = PatientServer  # the baseline runs through bench/load.py's run()
    print(
        f"gunicorn --workers {opts.workers} --threads {opts.threads}; {opts.clients} families; "
        f"{opts.seconds:g} s each; {opts.ideas} approved ideas, samples of 8"
    )
    with tempfile.TemporaryDirectory(prefix="bench-exchange-") as tmp:
        backends = ["sqlite"] + ([] if opts.no_postgres else ["postgresql"])
        for backend in backends:
            if backend == "sqlite":
                app_url = f"sqlite:///{tmp}/exchange.sqlite"
                base_url = f"sqlite:///{tmp}/baseline.sqlite"
                app_row = run_exchange("app rating", app_url, opts, tmp)
                base_row = load.run("baseline form", base_url, "bench.baseline_app:app", opts, tmp)
            else:
                schema = load.pg_schema(opts.postgres)
                if schema is None:
                    continue
                try:
                    app_row = run_exchange("app rating", schema.url, opts, tmp)
                finally:
                    schema.drop()
                schema = load.pg_schema(opts.postgres)
                try:
                    base_row = load.run(
                        "baseline form", schema.url, "bench.baseline_app:app", opts, tmp
                    )
                finally:
                    schema.drop()
            print(f"\n{backend}:")
            print(
                f"  app rating submissions {app_row['rate']:8.1f}/s  p50 {app_row['p50']:7.1f}  "
                f"p95 {app_row['p95']:7.1f} ms  accepted {app_row['accepted']}  "
                f"ratings stored {app_row['ratings']} (expected {app_row['ratings_expected']})  "
                f"errors {app_row['errors']}  exposure spread {app_row['spread']}"
                + (f"  (e.g. {app_row['error_sample'][:120]})" if app_row["error_sample"] else "")
                + (f"  server tracebacks {app_row['tracebacks']}" if app_row["tracebacks"] else "")
            )
            load.print_row(base_row)
            ratio = app_row["rate"] / base_row["rate"] if base_row["rate"] else float("nan")
            print(f"  ratio app rating / baseline form: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
