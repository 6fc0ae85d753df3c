"""Export speed and memory: raw-response CSV and XLSX at two sizes, SQLite and PostgreSQL.

    .venv/bin/python bench/export_speed.py [--sizes 20000 100000 | --rows 1000000]
                                           [--formats csv xlsx] [--pg URL | --no-pg]

For each database and size it creates a fresh database with that many responses (bulk Core
inserts, COPY on PostgreSQL: five questions, multilingual written answers with theme codes,
some set by a reviewer), then runs each export in its own subprocess and reports rows/s, CPU
seconds and memory: the subprocess's peak resident memory (ru_maxrss), the highest resident
memory after any batch above what the process held just before the export, and the
tracemalloc peak. Flat memory across sizes is the point: rows are streamed in batches
(yield_per: a server-side cursor on PostgreSQL) and XLSX is written in XlsxWriter's
constant-memory mode. PostgreSQL runs when reachable
(default: TEST_DATABASE_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test), in a
throw-away schema.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "bench-survey"
COMMENTS = [
    "The bus was late three times this week and nobody called us.",
    "Teachers answer e-mails quickly, thank you.",
    "Necesitamos intérpretes en las reuniones de padres.",
    "Comunicação em português seria muito útil para nossa família.",
    "希望学校能提供中文翻译的通知。",
    "Mwen ta renmen resevwa mesaj yo an kreyòl.",
    "نحتاج إلى مترجم في اجتماعات أولياء الأمور.",
    '=HYPERLINK("http://example.org", "spreadsheet formula")',
]
QUESTIONS = [
    ("informed", "likert5", []),
    ("news", "single_choice", ["email", "text", "paper"]),
    ("help", "multi_choice", ["childcare", "interpreter", "evening", "transport"]),
    ("rating", "rating", []),
    ("comments", "open_text", []),
]


def make_app(url):
    from engagement import create_app

    return create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})


def build_database(url: str, size: int) -> float:
    """Create the schema, the district, one engagement and `size` responses; return seconds."""
    from engagement.extensions import db
    from engagement.models import (
        Answer,
        AnswerTheme,
        Engagement,
        EngagementText,
        Question,
        QuestionOption,
        Response,
        StakeholderGroup,
        response_group,
    )
    from engagement.seed import seed_district

    app = make_app(url)
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        seed_district()
        engagement = Engagement(slug=SLUG, kind="survey", status="open")
        engagement.texts.append(EngagementText(locale="en", title="Bench survey"))
        for position, (code, kind, options) in enumerate(QUESTIONS):
            question = Question(code=code, kind=kind, position=position)
            for opt_position, option in enumerate(options):
                question.options.append(QuestionOption(code=option, position=opt_position))
            engagement.questions.append(question)
        db.session.add(engagement)
        db.session.commit()
        qids = {q.code: q.id for q in engagement.questions}
        groups = list(db.session.scalars(sa.select(StakeholderGroup.id)))
        rng = random.Random(size)
        start = datetime(2024, 9, 1, tzinfo=UTC)
        locales = ["en", "es", "pt_BR", "zh_Hans", "ht", "ar"]
        chunk = 10_000
        last_answer_id = 0
        with db.engine.begin() as conn:
            for first in range(1, size + 1, chunk):
                ids = range(first, min(first + chunk, size + 1))
                responses, answers, links, coded = [], [], [], []
                for rid in ids:
                    responses.append(
                        {
                            "id": rid,
                            "engagement_id": engagement.id,
                            "submitted_at": start + timedelta(seconds=rid * 97),
                            "locale": rng.choice(locales),
                            "channel": "web",
                            "receipt_code": f"B{rid:09d}",
                            "is_demo": False,
                        }
                    )
                    answers.append(
                        {
                            "response_id": rid,
                            "question_id": qids["informed"],
                            "choice": str(rng.randint(1, 5)),
                            "text": None,
                            "quote_state": "pending",
                        }
                    )
                    answers.append(
                        {
                            "response_id": rid,
                            "question_id": qids["news"],
                            "choice": rng.choice(QUESTIONS[1][2]),
                            "text": None,
                            "quote_state": "pending",
                        }
                    )
                    for option in rng.sample(QUESTIONS[2][2], k=rng.randint(1, 3)):
                        answers.append(
                            {
                                "response_id": rid,
                                "question_id": qids["help"],
                                "choice": option,
                                "text": None,
                                "quote_state": "pending",
                            }
                        )
                    answers.append(
                        {
                            "response_id": rid,
                            "question_id": qids["rating"],
                            "choice": str(rng.randint(1, 5)),
                            "text": None,
                            "quote_state": "pending",
                        }
                    )
                    if rng.random() < 0.6:
                        comment = {
                            "response_id": rid,
                            "question_id": qids["comments"],
                            "choice": None,
                            "text": rng.choice(COMMENTS),
                            "quote_state": "pending",
                        }
                        answers.append(comment)
                        coded.append(comment)
                    links.append({"response_id": rid, "group_id": rng.choice(groups)})
                for answer in answers:
                    last_answer_id += 1
                    answer["id"] = last_answer_id
                insert_rows(conn, Response.__table__, responses)
                insert_rows(conn, Answer.__table__, answers)
                insert_rows(conn, response_group, links)
                themes = [row for answer in coded for row in theme_rows(rng, answer["id"])]
                insert_rows(conn, AnswerTheme.__table__, themes)
            if conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text("SELECT setval(pg_get_serial_sequence('response', 'id'), :n)"),
                    {"n": size},
                )
                conn.execute(
                    sa.text("SELECT setval(pg_get_serial_sequence('answer', 'id'), :n)"),
                    {"n": last_answer_id},
                )
        db.engine.dispose()
    return time.perf_counter() - started


THEMES = ["communication", "language_access", "transportation", "staffing", "safety"]


def theme_rows(rng, answer_id: int) -> list[dict]:
    """A written answer's theme codes as the pipeline and reviewers leave them: one or two
    automatic codes, and for one answer in ten a reviewer's added or removed code."""
    codes = rng.sample(THEMES, k=rng.randint(1, 2))
    rows = [
        {"answer_id": answer_id, "theme_code": code, "source": "auto", "removed": False}
        for code in codes
    ]
    if rng.random() < 0.1:
        rows[0].update(source="manual", removed=rng.random() < 0.5)
    return rows


def insert_rows(conn, table, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys, every NOT NULL column given): PostgreSQL's
    COPY, which builds a million responses in minutes rather than a quarter of an hour."""
    if conn.dialect.name != "postgresql":
        conn.execute(sa.insert(table), rows)
        return
    columns = list(rows[0])
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def current_rss_kb() -> int:
    """This process's resident memory now, in KiB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def run_export(url: str, fmt: str, trace: bool = False) -> dict:
    """In this (sub)process: export every response once; return timings and memory.

    With `trace`, tracemalloc records the peak of Python allocations during the export
    (slower, so that run is not timed)."""
    import tracemalloc

    from engagement.exports import responses

    app = make_app(url)
    with app.app_context():
        plan = responses.build_plan(None)
        rows = responses.count_responses(plan)
        before = current_rss_kb()
        highest = [before]

        def sample(_rows):
            # After every batch: the resident memory now (ru_maxrss would still show the
            # import-time peak, which the export itself may never exceed).
            highest[0] = max(highest[0], current_rss_kb())

        writer = responses.write_csv if fmt == "csv" else responses.write_xlsx
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"out.{fmt}"
            if trace:
                tracemalloc.start()
            started, cpu = time.perf_counter(), time.process_time()
            with path.open("wb") as out:
                writer(plan, out, progress=sample)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            heap_peak = tracemalloc.get_traced_memory()[1] if trace else None
            tracemalloc.stop()
            size = path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": rows,
        "seconds": seconds,
        "cpu": cpu,
        "bytes": size,
        "rss_before_kb": before,
        "rss_high_kb": highest[0],
        "peak_kb": peak,
        "heap_peak": heap_peak,
    }


def measure(url: str, fmt: str, trace: bool = False) -> dict:
    """Run one export in a fresh interpreter, so each peak-memory figure is its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", fmt, "--url", url] + (["--trace"] if trace else []),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode:
        raise SystemExit(f"export {fmt} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pg_schema_url(base: str):
    """A throw-away schema on the PostgreSQL server at `base`, or None if unreachable."""
    from tests.conftest import with_search_path

    engine = sa.create_engine(base, poolclass=sa.pool.NullPool)
    name = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL not reachable at {base}: skipped ({error.orig})".splitlines()[0])
        return None, None

    def drop():
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        engine.dispose()

    return with_search_path(base, name).render_as_string(hide_password=False), drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--rows", type=int, help="one size only (same as --sizes ROWS)")
    parser.add_argument("--formats", nargs="+", choices=["csv", "xlsx"], default=["csv", "xlsx"])
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--no-trace", action="store_true", help="skip the (slow) tracemalloc run; RSS only"
    )
    parser.add_argument("--child")
    parser.add_argument("--url")
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.rows:
        args.sizes = [args.rows]
    if args.child:
        print(json.dumps(run_export(args.url, args.child, args.trace)))
        return
    print("peak RSS: whole process (ru_maxrss, imports included); +RSS: the highest resident")
    print("memory after any batch, above the RSS just before the export; heap: tracemalloc peak")
    print("of Python allocations during the export.")
    print("seconds: wall clock; cpu: this process's CPU time (the database server's is not in it).")
    print(
        f"{'db':<10} {'format':<6} {'rows':>8} {'seconds':>8} {'cpu s':>6} {'rows/s':>9} "
        f"{'peak RSS MB':>11} {'+RSS MB':>7} {'heap MB':>7} {'file MB':>7}"
    )
    backends = ([] if args.no_sqlite else ["sqlite"]) + ([] if args.no_pg else ["postgresql"])
    for backend in backends:
        for size in args.sizes:
            with tempfile.TemporaryDirectory() as tmp:
                drop = None
                if backend == "sqlite":
                    url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
                else:
                    url, drop = pg_schema_url(args.pg)
                    if url is None:
                        break
                try:
                    built = build_database(url, size)
                    print(f"# {backend}: {size} responses inserted in {built:.1f} s")
                    for fmt in args.formats:
                        r = measure(url, fmt)
                        heap = (
                            float("nan")
                            if args.no_trace
                            else measure(url, fmt, trace=True)["heap_peak"] / 2**20
                        )
                        print(
                            f"{backend:<10} {fmt:<6} {r['rows']:>8} {r['seconds']:>8.2f} "
                            f"{r['cpu']:>6.2f} "
                            f"{r['rows'] / r['seconds']:>9.0f} {r['peak_kb'] / 1024:>11.1f} "
                            f"{(r['rss_high_kb'] - r['rss_before_kb']) / 1024:>7.1f} "
                            f"{heap:>7.1f} {r['bytes'] / 1e6:>7.1f}",
                            flush=True,
                        )
                finally:
                    if drop:
                        drop()


if __name__ == "__main__":
    main()
