"""Time the theme summary over 100,000 responses (3 written answers each, analysed).

    .venv/bin/python bench/summary_speed.py [--responses 100000] [--no-postgres]
        [--raw] [--rebuild] [--report]

Builds the data with bulk Core inserts on SQLite (a temp file) and on PostgreSQL
(TEST_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test, in a
throw-away schema that is dropped afterwards), with the engagement's aggregates added up
from the same rows (engagement.aggregates.contribute, as record_response would have), then
times `build_summary` for the engagement and the rendering of its staff summary page.

--raw also times the summary read from the raw rows (the path before issue 17, still used
for finer filters) and checks that the aggregates equal the raw rows; --rebuild times
`flask aggregates rebuild` of the engagement; --report times the Commitment 4 report for
the school year (build, HTML, PDF).
"""

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engagement import aggregates, create_app  # noqa: E402
from engagement.extensions import db  # noqa: E402
from engagement.models import (  # noqa: E402
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Engagement,
    EngagementText,
    Question,
    QuestionText,
    Response,
    ResponseAggregate,
    Role,
    User,
)

THEMES = [
    "communication",
    "language_access",
    "academics",
    "equity_inclusion",
    "belonging_wellbeing",
    "special_education",
    "safety",
    "transportation",
    "facilities",
    "staffing",
    "family_involvement",
    "scheduling",
]
LOCALES = ["en"] * 6 + ["es", "es", "pt_BR", "zh_Hans", "ht", "ar"]
RACES = [
    None,
    "black",
    "hispanic_latinx",
    "multiracial",
    "asian",
    "white",
    "white",
    "prefer_not_to_say",
]
CHANNELS = ["web", "web", "web", "qr", "paper"]
BATCH = 20_000
# Staff approve quotes by hand: 1 written answer in 100 (30,000 at a million responses) is
# already far more than a district reads. Before issue 17 every answer was approved here.
APPROVED_SHARE = 0.01
PASSWORD = "bench-password-not-secret"


def build(n_responses: int, seed: int = 7) -> str:
    """Insert one engagement with n responses; return its slug."""
    rng = random.Random(seed)
    engagement = Engagement(
        slug="bench-survey",
        kind="survey",
        status="open",
        opens_at=datetime.now(UTC) - timedelta(days=30),
    )
    engagement.texts.append(EngagementText(locale="en", title="Bench survey"))
    questions = [Question(code="informed", kind="likert5", position=0)]
    questions += [Question(code=f"open{i}", kind="open_text", position=i + 1) for i in range(3)]
    for q in questions:
        q.texts.append(QuestionText(locale="en", text=q.code))
    engagement.questions.extend(questions)
    user = User(email="staff@bench.example", role=Role.STAFF)
    user.set_password(PASSWORD)
    db.session.add_all([engagement, user])
    db.session.commit()
    likert_id, open_ids = questions[0].id, [q.id for q in questions[1:]]
    start = datetime.now(UTC) - timedelta(days=20)
    answer_id = 0
    delta: aggregates.Delta = {}
    with db.engine.begin() as conn:
        for lo in range(0, n_responses, BATCH):
            responses, answers, analyses, themes = [], [], [], []
            for rid in range(lo + 1, min(lo + BATCH, n_responses) + 1):
                locale = rng.choice(LOCALES)
                facts = aggregates.Facts(engagement.id, locale, "", None, None, False)
                responses.append(
                    {
                        "id": rid,
                        "engagement_id": engagement.id,
                        "locale": locale,
                        "channel": rng.choice(CHANNELS),
                        "race_ethnicity": rng.choice(RACES),
                        "receipt_code": f"B{rid:010d}",
                        "is_demo": False,
                        "submitted_at": start + timedelta(seconds=rid),
                    }
                )
                facts.channel = responses[-1]["channel"]
                facts.race = responses[-1]["race_ethnicity"]
                answer_id += 1
                answers.append(
                    {
                        "id": answer_id,
                        "response_id": rid,
                        "question_id": likert_id,
                        "choice": str(rng.randint(1, 5)),
                        "text": None,
                        "quote_state": "pending",
                    }
                )
                facts.choices.append((likert_id, answers[-1]["choice"]))
                for qid in open_ids:
                    answer_id += 1
                    lang = locale if rng.random() < 0.9 else "en"
                    answers.append(
                        {
                            "id": answer_id,
                            "response_id": rid,
                            "question_id": qid,
                            "choice": None,
                            # Quotes are picked among answers staff approved one by one.
                            "quote_state": "approved"
                            if rng.random() < APPROVED_SHARE
                            else "pending",
                            "text": f"comment {answer_id} about school call 617-555-0199",
                        }
                    )
                    analyses.append(
                        {
                            "answer_id": answer_id,
                            "lang": lang,
                            "sentiment": round(rng.uniform(-1, 1), 3) if lang == "en" else None,
                            "phrases": [
                                f"phrase {rng.randint(1, 400)}" for _ in range(rng.randint(0, 3))
                            ],
                            "codebook_version": "bench",
                            "analyzed_at": start,
                        }
                    )
                    written = aggregates.Written(True, lang, analyses[-1]["sentiment"])
                    facts.written.append(written)
                    for code in rng.sample(THEMES, rng.choice([0, 1, 1, 2])):
                        written.themes.append(code)
                        themes.append(
                            {
                                "answer_id": answer_id,
                                "theme_code": code,
                                "source": "auto",
                                "removed": False,
                            }
                        )
                aggregates.contribute(facts, delta)
            conn.execute(sa.insert(Response.__table__), responses)
            conn.execute(sa.insert(Answer.__table__), answers)
            conn.execute(sa.insert(AnswerAnalysis.__table__), analyses)
            conn.execute(sa.insert(AnswerTheme.__table__), themes)
        delta[(engagement.id, aggregates.LAST, "")] = [n_responses, 0]
        conn.execute(
            sa.insert(ResponseAggregate.__table__),
            [
                {"engagement_id": e, "dimension": d, "key": k, "n": n, "total": total}
                for (e, d, k), (n, total) in delta.items()
            ],
        )
        conn.execute(sa.text("ANALYZE"))
    return engagement.slug


def best_of(fn, runs=3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(label: str, url: str, n: int, options) -> None:
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        t = time.perf_counter()
        slug = "bench-survey"
        if db.session.scalar(sa.select(Engagement.id).where(Engagement.slug == slug)) is None:
            build(n)
        else:
            n = db.session.scalar(sa.select(sa.func.count(Response.id)))
        built = time.perf_counter() - t
        from engagement.summary import aggregated, summary_for

        engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))
        with app.test_request_context("/"):
            summary = summary_for(engagement)
            seconds = best_of(lambda: summary_for(engagement))
        client = app.test_client()
        client.post("/staff/login", data={"email": "staff@bench.example", "password": PASSWORD})
        page = client.get(f"/staff/summary/{slug}")
        assert page.status_code == 200, page.status_code
        page_seconds = best_of(lambda: client.get(f"/staff/summary/{slug}"))
        print(
            f"{label}: built {n:,} responses ({3 * n:,} written answers) in {built:.1f} s; "
            f"build_summary {seconds * 1000:.0f} ms; summary page {page_seconds * 1000:.0f} ms "
            f"({len(page.data) // 1024} KB); themes={len(summary.themes)} "
            f"responses={summary.responses.n}",
            flush=True,
        )
        if options.raw:
            with app.test_request_context("/"):
                real = aggregated.source
                aggregated.source = lambda f, k: aggregated.Raw(
                    aggregated.queries.response_conditions(f)
                    + aggregated.differencing.population(f, k)
                )
                try:
                    raw_seconds = best_of(lambda: summary_for(engagement), runs=1)
                finally:
                    aggregated.source = real
                t = time.perf_counter()
                problems = aggregated.compare(engagement.id)
                checked = time.perf_counter() - t
            print(
                f"{label}: raw-rows build_summary {raw_seconds * 1000:.0f} ms; aggregates "
                f"{problems or 'equal the raw rows'} (check {checked:.1f} s)",
                flush=True,
            )
        if options.rebuild:
            t = time.perf_counter()
            cells = aggregates.rebuild(engagement.id)
            db.session.commit()
            print(
                f"{label}: aggregates rebuild {time.perf_counter() - t:.1f} s ({cells} cells)",
                flush=True,
            )
        if options.report:
            time_report(label, app)
        db.session.remove()
        db.engine.dispose()


def time_report(label: str, app) -> None:
    """The Commitment 4 report of this school year: build, HTML, PDF (one run each)."""
    from engagement.exports import render, report

    with app.test_request_context("/"):
        start, end = report.date_range(None, None)
        t = time.perf_counter()
        data = report.build_report(start, end)
        built = time.perf_counter() - t
        t = time.perf_counter()
        render.render_html(data, standalone=True)
        html = time.perf_counter() - t
        t = time.perf_counter()
        pdf = render.render_pdf(data)
        pdf_seconds = time.perf_counter() - t
    print(
        f"{label}: report build {built:.2f} s; HTML {built + html:.2f} s; "
        f"PDF {built + pdf_seconds:.2f} s ({len(pdf) // 1024} KB)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--raw", action="store_true", help="also time the raw-rows path")
    parser.add_argument("--rebuild", action="store_true", help="also time a rebuild")
    parser.add_argument("--report", action="store_true", help="also time the report")
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="keep the data (SQLite file /tmp/NAME.sqlite, PostgreSQL schema NAME) and reuse "
        "it when it exists: time again without inserting a million rows again",
    )
    args = parser.parse_args()
    if not args.no_sqlite:
        if args.keep:
            run("SQLite", f"sqlite:////tmp/{args.keep}.sqlite", args.responses, args)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                run("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.responses, args)
    if args.no_postgres:
        return
    base = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    schema = args.keep or f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL: skipped, not reachable ({error.orig})")
        return
    try:
        url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        run("PostgreSQL", url.render_as_string(hide_password=False), args.responses, args)
    finally:
        if not args.keep:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
