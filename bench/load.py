"""Load benchmark: real families' traffic against the app under gunicorn, and a bare baseline.

    .venv/bin/python bench/load.py [--seconds 20] [--clients 16] [--workers 3] [--threads 2]
    .venv/bin/python bench/load.py [--seconds 20] [--clients 16] [--workers 3] [--threads 2]
                                   [--rounds 1] [--postgres URL | --no-postgres]
    .venv/bin/python bench/load.py --topology two-nodes [same options]  (see its section below)

For SQLite (a temp file) and PostgreSQL (a throw-away schema in --postgres, default
TEST_DATABASE_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test) it:
1. prepares the schema, the district and the 10-question "family-survey-2026" survey;
2. starts gunicorn on a loopback port with the app (`wsgi:app`, production config);
3. from separate driver processes, runs `--clients` families for `--seconds`: each GETs the
   form, POSTs a full answer with the CSRF token, form token and cookie, and follows the
   redirect to the thank-you page;
4. compares what was accepted with what is stored (lost = accepted but not stored, or stored
   with different text);
5. repeats 1-4 with bench/baseline_app.py (Flask + sqlite3/psycopg, one INSERT transaction)
   under the same gunicorn settings, and prints the app/baseline throughput ratio;
6. with --rounds N, does 1-5 N times per database and reports the median ratio.

Latency is the whole family round trip (form + POST + thank-you page), in milliseconds.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from tests.reliability.live import (  # noqa: E402
    Family,
    Server,
    prepare_database,
    submit_once,
)

DEFAULT_PG = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def drive(args):
    """One driver process: `threads` families submitting until `deadline`."""
    import threading

    host, slug, threads, deadline, seed = args
    results = []
    lock = threading.Lock()

    def family_loop(n):
        rng = random.Random(seed * 1000 + n)
        family = Family(host)
        i = 0
        while time.time() < deadline:
            try:
                result = submit_once(family, slug, rng, f"bench {seed}-{n}-{i}")
            except Exception as error:  # counted as an error, the run goes on
                family.close()
                family = Family(host)
                result = None, repr(error)
            with lock:
                if isinstance(result, tuple):
                    results.append((False, 0, None, {}, 0.0, result[1]))
                else:
                    results.append(
                        (
                            result.ok,
                            result.status,
                            result.receipt,
                            result.texts,
                            result.seconds,
                            result.error,
                        )
                    )
            i += 1
        family.close()

    workers = [threading.Thread(target=family_loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


def stored_texts(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM response")).scalar()
        texts = {}
        for receipt, question_id, text in conn.execute(
            sa.text(
                "SELECT r.receipt_code, a.question_id, a.text FROM response r "
                "JOIN answer a ON a.response_id = r.id WHERE a.text IS NOT NULL"
            )
        ):
            texts.setdefault(receipt, {})[f"q_{question_id}"] = text
    engine.dispose()
    return count, texts


def percentile(values, fraction):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def run(label, url, app_spec, opts, log_dir):
    """Serve `app_spec` on a fresh database at `url`, drive it, and measure."""
    slug = prepare_database(url)
    processes = max(1, min(opts.drivers, opts.clients))
    per_process = [
        opts.clients // processes + (i < opts.clients % processes) for i in range(processes)
    ]
    env = {"BENCH_SLUG": slug}
    with Server(
        url,
        app_spec=app_spec,
        workers=opts.workers,
        threads=opts.threads,
        env=env,
        log_dir=log_dir,
        # A machine shared with test runs can take long to start three workers.
        start_seconds=300,
    ) as server:
        # Warm up every worker (imports, first queries, the text-analysis dictionaries) before
        # the clock starts; these submissions are checked for loss like the others.
        warmed = []
        for n in range(opts.workers * opts.threads * 2):
            warm = Family(server.host)
            result = submit_once(warm, slug, random.Random(-n), f"warm-up {n}")
            warmed.append(
                (result.ok, result.status, result.receipt, result.texts, 0.0, result.error)
            )
            warm.close()
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(processes) as pool:
            # The clock starts once the drivers are up: on a busy machine, starting them and
            # importing what they use can take longer than the run itself.
            pool.map(time.sleep, [0.5] * processes)
            started = time.time()
            deadline = started + opts.seconds
            batches = pool.map(
                drive, [(server.host, slug, n, deadline, i) for i, n in enumerate(per_process)]
            )
        elapsed = time.time() - started
        log = server.output()
    results = [r for batch in batches for r in batch]
    accepted = {r[2]: r[3] for r in results + warmed if r[0]}
    errors = [r for r in results + warmed if not r[0]]
    count, texts = stored_texts(url)
    lost = sum(1 for receipt, sent in accepted.items() if texts.get(receipt) != sent)
    latencies = [r[4] * 1000 for r in results if r[0]]
    return {
        "label": label,
        "rate": sum(1 for r in results if r[0]) / elapsed,
        "accepted": len(accepted),
        "stored": count,
        "lost": lost,
        "extra": count - len(accepted),
        "warm_errors": sum(1 for r in warmed if not r[0]),
        "errors": len(errors),
        "error_sample": errors[0][5] if errors else "",
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
        "tracebacks": log.count("Traceback"),
        "first_traceback": log[log.find("Traceback") :][:3000] if "Traceback" in log else "",
    }


def pg_schema(base_url):
    """A throw-away schema; returns (url with search_path, drop function) or None."""
    from tests.conftest import PostgresSchema

    try:
        schema = PostgresSchema(base_url, prefix="bench")
    except BaseException as error:  # pytest.skip inside PostgresSchema raises its own type
        print(f"PostgreSQL at {base_url} is not reachable ({error}); skipped.")
        return None
    return schema


def print_row(row):
    print(
        f"  {row['label']:<22} {row['rate']:8.1f}/s  p50 {row['p50']:7.1f}  "
        f"p95 {row['p95']:7.1f}  p99 {row['p99']:7.1f} ms  accepted {row['accepted']:5d}  "
        f"stored {row['stored']:5d}  lost {row['lost']}  errors {row['errors']}"
        + (f"  (e.g. {row['error_sample'][:120]})" if row["error_sample"] else "")
        + (f"  server tracebacks {row['tracebacks']}" if row["tracebacks"] else "")
    )


def run_backend(backend, opts, tmp, round_number):
    """One app run and one baseline run on `backend`, one after the other: their rows."""
    rows = []
    for label, spec in (("app", "wsgi:app"), ("baseline", "bench.baseline_app:app")):
        if backend == "sqlite":
            url = f"sqlite:///{tmp}/{label}-{round_number}.sqlite"
            rows.append(run(f"{backend} {label}", url, spec, opts, tmp))
            continue
        schema = pg_schema(opts.postgres)
        if schema is None:
            return []
        try:
            rows.append(run(f"{backend} {label}", schema.url, spec, opts, tmp))
        finally:
            schema.drop()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16, help="concurrent families")
    parser.add_argument("--drivers", type=int, default=2, help="client processes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="app/baseline pairs per database; the median ratio is the figure (a shared "
        "machine's load moves between runs)",
    )
    parser.add_argument("--postgres", default=DEFAULT_PG)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--verbose", action="store_true", help="print server tracebacks")
    parser.add_argument("--topology", choices=["one-node", "two-nodes"], default="one-node")
    opts = parser.parse_args()
    if opts.topology == "two-nodes":
        return two_nodes_main(opts)

    print(
        f"gunicorn --workers {opts.workers} --worker-class gthread --threads {opts.threads}; "
        f"{opts.clients} families in {opts.drivers} driver processes; {opts.seconds:g} s each; "
        f"{opts.rounds} round(s) of app then baseline"
    )
    print("latency = form GET + answer POST + thank-you GET, in ms")
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        backends = ["sqlite", "postgresql"]
        if opts.no_postgres:
            backends.remove("postgresql")
        if opts.only:
            backends = [opts.only]
        for backend in backends:
            ratios, clean = [], True
            print(f"\n{backend}:")
            for round_number in range(opts.rounds):
                rows = run_backend(backend, opts, tmp, round_number)
                if len(rows) < 2:
                    break
                for row in rows:
                    print_row(row)
                    if row["first_traceback"] and opts.verbose:
                        print(row["first_traceback"])
                app_row, baseline_row = rows
                ratio = app_row["rate"] / baseline_row["rate"] if baseline_row["rate"] else 0.0
                ratios.append(ratio)
                clean = clean and not (app_row["errors"] or app_row["lost"] or app_row["extra"])
                print(f"  ratio app/baseline: {ratio:.2f}")
            if not ratios:
                continue
            ratio = statistics.median(ratios)
            meets = ratio >= 0.5 and clean
            print(
                f"  {backend}: median ratio app/baseline {ratio:.2f} over {len(ratios)} round(s) "
                f"({'meets' if meets else 'MISSES'} the aim: ratio >= 0.5, zero errors, "
                "zero lost)"
            )
            ok = ok and meets
    return 0 if ok else 1


# --- --topology two-nodes -------------------------------------------------------------------
# README "Production, two or more machines": nginx (deploy/nginx.conf) balancing gunicorn
# nodes on separate ports over one PostgreSQL and one Redis. The same families are driven
# through nginx at one node, then at two nodes with the same settings each; the table shows
# both side by side. On one machine the nodes share its cores, so the figure is what the
# set-up costs and whether it holds up (lost, doubled, errors), not what a second machine adds.

REDIS_URI = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def run_cluster(label, nodes, opts, folder):
    """Drive families through nginx in front of `nodes` gunicorns on a fresh schema."""
    import uuid

    from tests.reliability.nodes import Cluster

    schema = pg_schema(opts.postgres)
    if schema is None:
        return None
    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    env = {"SUBMIT_RATE_LIMIT": "1000000 per minute"}  # every driver shares one address
    try:
        slug = prepare_database(schema.url)
        cluster = Cluster(
            schema.url,
            Path(folder) / label.replace(" ", "-"),
            REDIS_URI,
            prefix,
            nodes=nodes,
            workers=opts.workers,
            threads=opts.threads,
            env=env,
        )
        with cluster:
            row = drive_host(label, cluster.host, slug, schema.url, opts)
            row["posts"] = cluster.posts_served()
            row["connections"] = max(cluster.connections(schema.url).values(), default=0)
            row["budget"] = cluster.connection_budget
            log = cluster.logs()
        row["tracebacks"] = log.count("Traceback")
        return row
    finally:
        schema.drop()
        _drop_redis_keys(prefix)


def _drop_redis_keys(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URI, socket_connect_timeout=2)
    try:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
    except redis.exceptions.RedisError:
        pass
    finally:
        client.close()


def drive_host(label, host, slug, url, opts):
    """Warm up, then run `--clients` families against `host` for `--seconds`; measure."""
    warmed = []
    for n in range(opts.workers * opts.threads * 2):
        warm = Family(host)
        result = submit_once(warm, slug, random.Random(-n), f"warm-up {n}")
        warmed.append((result.ok, result.status, result.receipt, result.texts, 0.0, result.error))
        warm.close()
    processes = max(1, min(opts.drivers, opts.clients))
    per_process = [
        opts.clients // processes + (i < opts.clients % processes) for i in range(processes)
    ]
    started = time.time()
    deadline = started + opts.seconds
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        batches = pool.map(drive, [(host, slug, n, deadline, i) for i, n in enumerate(per_process)])
    elapsed = time.time() - started
    results = [r for batch in batches for r in batch]
    accepted = {r[2]: r[3] for r in results + warmed if r[0]}
    errors = [r for r in results + warmed if not r[0]]
    count, texts = stored_texts(url)
    latencies = [r[4] * 1000 for r in results if r[0]]
    return {
        "label": label,
        "rate": sum(1 for r in results if r[0]) / elapsed,
        "accepted": len(accepted),
        "stored": count,
        "lost": sum(1 for receipt, sent in accepted.items() if texts.get(receipt) != sent),
        "extra": count - len(accepted),
        "errors": len(errors),
        "error_sample": errors[0][5] if errors else "",
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
    }


def two_nodes_main(opts):
    """Throughput through nginx at one node and at two nodes (PostgreSQL and Redis shared)."""
    print(
        f"nginx (deploy/nginx.conf) -> N x gunicorn --workers {opts.workers} --threads "
        f"{opts.threads}, PostgreSQL + Redis shared; {opts.clients} families in {opts.drivers} "
        f"driver processes; {opts.seconds:g} s each; {os.cpu_count()} CPU cores on this machine"
    )
    print("latency = form GET + answer POST + thank-you GET, in ms")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-nodes-") as tmp:
        for label, nodes in (("one node", 1), ("two nodes", 2)):
            row = run_cluster(label, nodes, opts, tmp)
            if row is None:
                return 1
            rows.append(row)
    for row in rows:
        print_row(row)
        print(
            f"  {'':<22} POSTs per node {row['posts']}; most connections of one node "
            f"{row['connections']} (budget workers x pool = {row['budget']})"
        )
    ratio = rows[1]["rate"] / rows[0]["rate"] if rows[0]["rate"] else float("nan")
    clean = all(not (r["errors"] or r["lost"] or r["extra"] or r["tracebacks"]) for r in rows)
    verdict = "clean" if clean else "NOT CLEAN"
    print(f"  two nodes / one node: {ratio:.2f}  ({verdict}: errors, lost, doubled, tracebacks)")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
