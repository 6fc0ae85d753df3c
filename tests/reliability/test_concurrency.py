"""Many families at once against a real gunicorn server: nothing lost, nothing doubled, no 500.

Runs on SQLite (a temp file) and, with TEST_DATABASE_URL, on a throw-away PostgreSQL schema.
"""

import random
import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from tests.reliability.live import Family, Server, submit_once

pytestmark = pytest.mark.slow

THREADS = 16
PER_THREAD = 10
# Every 7th family double-clicks: the same form (same token) is posted twice.
DOUBLE_EVERY = 7


def stored(url):
    """(receipt -> {question id: text}, number of responses) as stored in the database."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            count = conn.execute(sa.text("SELECT count(*) FROM response")).scalar()
            rows = conn.execute(
                sa.text(
                    "SELECT r.receipt_code, a.question_id, a.text FROM response r "
                    "JOIN answer a ON a.response_id = r.id WHERE a.text IS NOT NULL"
                )
            )
            texts = {}
            for receipt, question_id, text in rows:
                texts.setdefault(receipt, {})[f"q_{question_id}"] = text
            answers = conn.execute(sa.text("SELECT count(*) FROM answer")).scalar()
    finally:
        engine.dispose()
    return texts, count, answers


def many_families(host, slug):
    """THREADS families submitting PER_THREAD answers each (some double-clicking) through
    `host`; returns [(repeat, Result)] and the client threads' crashes."""
    results, crashes = [], []
    lock = threading.Lock()

    def family_thread(n):
        rng = random.Random(n)
        family = Family(host)
        try:
            for i in range(PER_THREAD):
                repeat = 2 if (n * PER_THREAD + i) % DOUBLE_EVERY == 0 else 1
                result = submit_once(family, slug, rng, f"family {n}-{i}", repeat=repeat)
                with lock:
                    results.append((repeat, result))
        except Exception as error:  # a crashed client thread must fail the test
            crashes.append(repr(error))
        finally:
            family.close()

    threads = [threading.Thread(target=family_thread, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, crashes


def check_nothing_lost_or_doubled(url, results, crashes, log):
    """Every family was accepted, and stored exactly once with the texts it sent."""
    assert not crashes, crashes
    failures = [r for _repeat, r in results if not r.ok]
    assert not failures, (failures[:5], log)
    assert "Traceback" not in log, log
    assert len(results) == THREADS * PER_THREAD
    doubles = sum(1 for repeat, _r in results if repeat == 2)
    assert doubles >= 20

    texts, count, answers = stored(url)
    receipts = Counter(r.receipt for _repeat, r in results)
    # One stored response per accepted family, double-clicks included.
    assert count == len(receipts) == THREADS * PER_THREAD
    assert set(texts) == set(receipts)
    for _repeat, result in results:
        assert texts[result.receipt] == result.texts, result.receipt
    assert answers >= count * 4


def test_concurrent_families_nothing_lost_or_doubled(live_database, tmp_path):
    url, slug = live_database
    with Server(url, log_dir=tmp_path) as server:
        results, crashes = many_families(server.host, slug)
        log = server.output()
    check_nothing_lost_or_doubled(url, results, crashes, log)
