"""Time the theme summary over 100,000 responses (3 written answers each, analysed).

    .venv/bin/python bench/summary_speed.py [--responses 100000] [--no-postgres]

Builds the data with bulk Core inserts on SQLite (a temp file) and on PostgreSQL
(TEST_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test, in a
throw-away schema that is dropped afterwards), then times `build_summary` for the
engagement and the rendering of its staff summary page.
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

from engagement import create_app  # noqa: E402
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
    user = User(email="admin@bench.example", role=Role.ADMIN)
    user.set_password(PASSWORD)
    db.session.add_all([engagement, user])
    db.session.commit()
    likert_id, open_ids = questions[0].id, [q.id for q in questions[1:]]
    start = datetime.now(UTC) - timedelta(days=20)
    answer_id = 0
    with db.engine.begin() as conn:
        for lo in range(0, n_responses, BATCH):
            responses, answers, analyses, themes = [], [], [], []
            for rid in range(lo + 1, min(lo + BATCH, n_responses) + 1):
                locale = rng.choice(LOCALES)
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
                for qid in open_ids:
                    answer_id += 1
                    lang = locale if rng.random() < 0.9 else "en"
                    answers.append(
                        {
                            "id": answer_id,
                            "response_id": rid,
                            "question_id": qid,
                            "choice": None,
                            "quote_state": "approved",  # quotes are picked among approved
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
                    for code in rng.sample(THEMES, rng.choice([0, 1, 1, 2])):
                        themes.append(
                            {
                                "answer_id": answer_id,
                                "theme_code": code,
                                "source": "auto",
                                "removed": False,
                            }
                        )
            conn.execute(sa.insert(Response.__table__), responses)
            conn.execute(sa.insert(Answer.__table__), answers)
            conn.execute(sa.insert(AnswerAnalysis.__table__), analyses)
            conn.execute(sa.insert(AnswerTheme.__table__), themes)
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("ANALYZE"))
        else:
            conn.execute(sa.text("ANALYZE"))
    return engagement.slug


def best_of(fn, runs=3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(label: str, url: str, n: int) -> None:
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        t = time.perf_counter()
        slug = build(n)
        built = time.perf_counter() - t
        from engagement.summary import summary_for

        engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))
        with app.test_request_context("/"):
            summary = summary_for(engagement)
            seconds = best_of(lambda: summary_for(engagement))
        client = app.test_client()
        client.post("/staff/login", data={"email": "admin@bench.example", "password": PASSWORD})
        page = client.get(f"/staff/summary/{slug}")
        assert page.status_code == 200, page.status_code
        page_seconds = best_of(lambda: client.get(f"/staff/summary/{slug}"))
        print(
            f"{label}: built {n:,} responses ({3 * n:,} written answers) in {built:.1f} s; "
            f"build_summary {seconds * 1000:.0f} ms; summary page {page_seconds * 1000:.0f} ms "
            f"({len(page.data) // 1024} KB); themes={len(summary.themes)} "
            f"responses={summary.responses.n}"
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.responses)
    if args.no_postgres:
        return
    base = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL: skipped, not reachable ({error.orig})")
        return
    try:
        url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        run("PostgreSQL", url.render_as_string(hide_password=False), args.responses)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
