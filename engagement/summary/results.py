"""Public results ("What we heard"): what any family may read of an engagement.

Families read PUBLIC snapshots only, never a live query. A public snapshot counts exactly
the people of one of the engagement's snapshots (the ones council leads read, made by
engagement.summary.snapshots), protected again with k = REPORT_MIN_GROUP_SIZE:
- it hides at least what that engagement snapshot hides (its counts are the same numbers,
  so a lead who reads both learns nothing from the pair);
- every count of 1 to k-1 is hidden, with complementary suppression in every table whose
  cells add up (engagement.summary.suppression);
- the time rules hold against every earlier public snapshot of the engagement, withdrawn
  ones included (they were public once): a count that moved by 1 to k-1 is hidden, with a
  complement on the difference table;
- quotes are chosen when the results are published, with k, among the people the snapshot
  allows for each theme; only the chosen answers' ids are kept, and an answer shows only
  while staff still approve it as a quote (its text as masked now, so a purge or a hand
  mask applies at once).

When results are published: staff publish them (`publish`, any time once the engagement
has a snapshot), and an engagement that has closed publishes its own from its latest
snapshot when a family first asks (`public_snapshot`), unless staff withdrew them
(`withdraw`); then nothing is shown until staff publish again. New results replace the
published ones only once they count at least k more people (or k fewer), so the public
total never moves by 1 to k-1.

Call inside a request context.
"""

from __future__ import annotations

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Engagement,
    PublicState,
    SnapshotScope,
    SummarySnapshot,
    utcnow,
)
from engagement.summary import stats
from engagement.summary.build import build_summary, report_min_group_size
from engagement.summary.model import Summary, SummaryFilters
from engagement.summary.published import snapshot_summary
from engagement.summary.snapshots import (
    _basis,
    _fill,
    _store,
    engagement_snapshot,
    history,
    latest,
    protect,
)

__all__ = [
    "is_shown",
    "latest_public",
    "public_snapshot",
    "public_summary",
    "publish",
    "report_min_group_size",
    "withdraw",
]


def latest_public(engagement: Engagement) -> SummarySnapshot | None:
    """The newest public snapshot of `engagement`, withdrawn or not, without making one."""
    return latest(SnapshotScope.PUBLIC, engagement.id)


def is_shown(snapshot: SummarySnapshot | None) -> bool:
    """True for a public snapshot families may read (one staff have not withdrawn)."""
    return snapshot is not None and snapshot.withdrawn_at is None


def public_snapshot(engagement: Engagement) -> SummarySnapshot | None:
    """The results families read: the latest public snapshot unless withdrawn; for a
    closed engagement, brought up to its latest engagement snapshot first."""
    last = latest_public(engagement)
    if last is not None and last.withdrawn_at is not None:
        return None
    if engagement.public_state() != PublicState.CLOSED:
        return last
    source = engagement_snapshot(engagement)
    if source is None or (last is not None and not _moved(last, source)):
        return last
    return _store(_make_public(engagement, source))


def publish(engagement: Engagement) -> SummarySnapshot | None:
    """Publish the engagement's results as of its latest snapshot (made first when due);
    None when it has none yet (fewer answers than the workspace's group size)."""
    source = engagement_snapshot(engagement)
    if source is None:
        return None
    basis = _public_basis(engagement, source)
    existing = db.session.scalar(sa.select(SummarySnapshot).where(SummarySnapshot.basis == basis))
    last = latest_public(engagement)
    if existing is None and last is not None and not _moved(last, source):
        existing = last  # fewer than k more answers: the published results stay as they are
    if existing is not None:
        if existing.withdrawn_at is not None:
            existing.withdrawn_at = None
            db.session.commit()
        return existing
    return _store(_make_public(engagement, source))


def _moved(last: SummarySnapshot, source: SummarySnapshot) -> bool:
    """True when `source` counts at least k more (or fewer) people than the public results
    `last` (k = REPORT_MIN_GROUP_SIZE), so new results may be published: like the leads'
    snapshots, the public total never moves by 1 to k-1."""
    if last.data.get("source") == source.id:
        return False
    return abs(source.response_count - last.response_count) >= report_min_group_size()


def withdraw(engagement: Engagement) -> bool:
    """Take the engagement's public results down; False when none were shown."""
    last = latest_public(engagement)
    if not is_shown(last):
        return False
    last.withdrawn_at = utcnow()
    db.session.commit()
    return True


def public_summary(snapshot: SummarySnapshot) -> Summary:
    """A public snapshot as a `Summary`, labelled in the reader's language."""
    return snapshot_summary(snapshot)


def _public_basis(engagement: Engagement, source: SummarySnapshot) -> str:
    return _basis("public", engagement.id, [source.id])


def _make_public(engagement: Engagement, source: SummarySnapshot) -> SummarySnapshot:
    k = report_min_group_size()
    last_id = int(source.counts["last_response_id"])
    filters = SummaryFilters(engagement_ids=(engagement.id,), as_of=((engagement.id, last_id),))
    raw = build_summary(filters, k=1)
    counts = _source_counts(stats.flatten(raw), source)
    earlier = history(SnapshotScope.PUBLIC, engagement.id)
    hidden = protect(counts, k, [s.counts for s in earlier], forced=set(source.counts["hidden"]))
    snapshot = SummarySnapshot(
        scope=SnapshotScope.PUBLIC,
        engagement_id=engagement.id,
        basis=_public_basis(engagement, source),
        made_at=utcnow(),
        response_count=source.response_count,
        k=k,
    )
    _fill(snapshot, raw, counts, hidden, filters, earlier, k)
    values = counts.values
    data = snapshot.data
    data["themes"] = [code for code in data["themes"] if f"theme/{code}" in values]
    data["previous"] = None
    data["source"] = source.id
    data["quote_ids"] = _chosen_quotes(engagement, data.get("quote_pools", {}), k)
    return snapshot


def _source_counts(counts: stats.Stats, source: SummarySnapshot) -> stats.Stats:
    """The tables of a summary of the source's people, holding the source's own counts (a
    theme re-coded since counts as the source counted it: both pages show one number)."""
    values = dict(source.counts["values"])
    tables = [
        stats.Table(t.name, t.base, tuple(n for n in t.keys if n in values), t.partition)
        for t in counts.tables
        if t.base in values
    ]
    return stats.Stats(values=values, tables=tables)


def _chosen_quotes(engagement: Engagement, pools: dict, k: int) -> dict[str, list[int]]:
    """The answer ids quoted under each shown theme, chosen with k among its pool."""
    by_pool: dict[tuple, list[str]] = {}
    for code, pool in pools.items():
        by_pool.setdefault(tuple(tuple(pair) for pair in pool), []).append(code)
    chosen = {}
    for pool, codes in by_pool.items():
        filters = SummaryFilters(engagement_ids=(engagement.id,), as_of=pool)
        for theme in build_summary(filters, k=k).themes:
            if theme.code in codes:
                chosen[theme.code] = [q.answer_id for q in theme.quotes]
    return chosen
