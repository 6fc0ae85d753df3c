"""Published snapshots: what council leads read instead of live queries.

When a snapshot is made (lazily, when someone reads it: the families' submit path stays a
plain insert, no worker is needed, and a snapshot nobody reads is never built):
- an engagement's first snapshot once it has at least k responses, or when it has closed
  (then even with fewer: the page says so and shows nothing);
- a new one only when at least k responses have arrived since the last one. This holds
  after the close too: if the last 1 to k-1 answers never reach k, the last snapshot stays
  the final one, so its total never moves by 1 to k-1;
- a council's snapshot adds up its engagements' latest snapshots, so every council figure
  is the sum of engagement figures the lead can also read, at the same moment. Only
  engagements whose own snapshot shows its total count ("included"); an engagement too
  small to show is counted nowhere. It is remade whenever one of those snapshots changes.

What a new snapshot hides, besides each table's own suppression:
- time: a count shown in an earlier snapshot of the same scope that would move by 1 to k-1;
  then, in every table whose cells add up, complementary suppression on the difference table
  (new minus old) so its margin cannot give the hidden change back, and no group of 1 to k-1
  among the hidden changes;
- linked tables: in a council snapshot, the engagements are the rows of a table whose column
  totals are the council's counts; the rows are already published, so the council hides
  what keeps every cell an engagement hides from being worked out;
- quotes: a theme's quotes come from the people it counted when its count last moved by k
  or more, never from a family that has just answered; among them, only answers staff
  approved (read when the snapshot is shown, so an approval or a rejection shows at once).

Snapshots are the same for every reader of a scope; access (which scopes a lead may read) is
decided in engagement.staff.access.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from engagement.extensions import db
from engagement.models import (
    Engagement,
    Exchange,
    PublicState,
    Response,
    SnapshotScope,
    StakeholderGroup,
    SummarySnapshot,
    utcnow,
)
from engagement.summary import aggregated, stats
from engagement.summary import exchange as exchange_results
from engagement.summary.build import build_summary, min_group_size
from engagement.summary.model import Cell, SummaryFilters
from engagement.summary.queries import previous_engagement
from engagement.summary.suppression import (
    is_small,
    protect_columns,
    subtraction_isolates,
    suppress_1d,
)

# Counts that exist only for one engagement (its questions), never added up for a council.
_ENGAGEMENT_ONLY = ("answered/", "option/", "agree/")
_AGREE = ("4", "5")


# --------------------------------------------------------------------------------------
# Reading (and making when due)
# --------------------------------------------------------------------------------------


def latest(scope: SnapshotScope, target_id: int) -> SummarySnapshot | None:
    """The newest snapshot of an engagement, a council or public results, without making
    one."""
    column = (
        SummarySnapshot.council_id
        if scope == SnapshotScope.COUNCIL
        else SummarySnapshot.engagement_id
    )
    return db.session.scalar(
        sa.select(SummarySnapshot)
        .where(SummarySnapshot.scope == scope, column == target_id)
        .order_by(SummarySnapshot.id.desc())
        .limit(1)
    )


def history(scope: SnapshotScope, target_id: int) -> list[SummarySnapshot]:
    """Every snapshot of an engagement or a council, oldest first."""
    column = (
        SummarySnapshot.council_id
        if scope == SnapshotScope.COUNCIL
        else SummarySnapshot.engagement_id
    )
    return list(
        db.session.scalars(
            sa.select(SummarySnapshot)
            .where(SummarySnapshot.scope == scope, column == target_id)
            .order_by(SummarySnapshot.id)
        )
    )


def _live(engagement_id: int) -> tuple[int, int]:
    """(responses counted now, last response id) of an engagement: answers held for review
    are not counted, and join a later snapshot once released."""
    stored = aggregated.live(engagement_id)
    if stored is not None:
        return stored
    n, last = db.session.execute(
        sa.select(
            sa.func.count(Response.id).filter(Response.counted), sa.func.max(Response.id)
        ).where(Response.engagement_id == engagement_id)
    ).one()
    return int(n), int(last or 0)


def is_due(engagement: Engagement, last: SummarySnapshot | None, live: tuple[int, int]) -> bool:
    """True when a new snapshot of `engagement` is to be made (see the module docstring)."""
    k = min_group_size()
    n, _last_id = live
    if last is None:
        return n >= k or engagement.public_state() == PublicState.CLOSED
    return abs(n - last.response_count) >= k


def engagement_snapshot(engagement: Engagement) -> SummarySnapshot | None:
    """The snapshot of `engagement` leads read: the latest, made first when due. None while
    nothing is published (open, fewer than k responses, never snapshotted)."""
    last = latest(SnapshotScope.ENGAGEMENT, engagement.id)
    live = _live(engagement.id)
    if not is_due(engagement, last, live) and not _exchange_due(engagement, last):
        return last
    return _store(_make_engagement(engagement, live))


def _exchange_id(engagement_id: int) -> int | None:
    return db.session.scalar(sa.select(Exchange.id).where(Exchange.engagement_id == engagement_id))


def _exchange_due(engagement: Engagement, last: SummarySnapshot | None) -> bool:
    """An exchange's ratings are not responses: a new snapshot is also due once k more
    star ratings have arrived since the last one (issue 18)."""
    exchange_id = _exchange_id(engagement.id)
    if exchange_id is None or last is None:
        return False
    before = (last.data.get("exchange") or {}).get("ratings", 0)
    return exchange_results.rating_count(exchange_id) - before >= min_group_size()


def council_snapshot(council: StakeholderGroup) -> SummarySnapshot | None:
    """The council-wide snapshot: its included engagements' latest snapshots added up."""
    engagements = db.session.scalars(
        sa.select(Engagement).where(Engagement.council_id == council.id).order_by(Engagement.id)
    ).all()
    rows = [(e, engagement_snapshot(e)) for e in engagements]
    rows = [(e, s) for e, s in rows if s is not None and _included(s)]
    basis = _basis("council", council.id, [s.id for _e, s in rows])
    last = latest(SnapshotScope.COUNCIL, council.id)
    if last is not None and last.basis == basis:
        return last
    if last is None and not rows:
        return None
    return _store(_make_council(council, rows, basis))


def _included(snapshot: SummarySnapshot) -> bool:
    return snapshot.data["values"].get("responses") not in (None, 0)


def _basis(scope: str, target: int, parts) -> str:
    text = f"{scope}:{target}:" + ",".join(str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def _store(snapshot: SummarySnapshot) -> SummarySnapshot:
    """Save a new snapshot; if another request saved the same one first, use theirs."""
    db.session.add(snapshot)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return db.session.scalar(
            sa.select(SummarySnapshot).where(SummarySnapshot.basis == snapshot.basis)
        )
    return snapshot


# --------------------------------------------------------------------------------------
# Making
# --------------------------------------------------------------------------------------


def _make_engagement(engagement: Engagement, live: tuple[int, int]) -> SummarySnapshot:
    k = min_group_size()
    n, last_id = live
    filters = SummaryFilters(engagement_ids=(engagement.id,), as_of=((engagement.id, last_id),))
    raw = build_summary(filters, k=1)
    counts = stats.flatten(raw)
    earlier = history(SnapshotScope.ENGAGEMENT, engagement.id)
    hidden = protect(counts, k, [s.counts for s in earlier])
    exchange_id = _exchange_id(engagement.id)
    parts = [last_id]
    if exchange_id is not None:  # the same responses with more ratings: another snapshot
        parts.append(f"x{exchange_results.rating_count(exchange_id)}")
    snapshot = SummarySnapshot(
        scope=SnapshotScope.ENGAGEMENT,
        engagement_id=engagement.id,
        basis=_basis("engagement", engagement.id, parts),
        made_at=utcnow(),
        response_count=n,
        k=k,
    )
    _fill(snapshot, raw, counts, hidden, filters, earlier, k)
    snapshot.data["previous"] = _previous(engagement, counts, hidden, k)
    if exchange_id is not None:
        snapshot.data["exchange"] = exchange_results.published(
            exchange_id, k, [s.data.get("exchange") for s in earlier]
        )
    return snapshot


def _make_council(council, rows, basis) -> SummarySnapshot:
    k = min_group_size()
    as_of = tuple(sorted((e.id, _last_id(s)) for e, s in rows))
    filters = SummaryFilters(council_id=council.id, as_of=as_of or ((-1, 0),))
    raw = build_summary(filters, k=1)
    counts = stats.flatten(raw)
    # The council's counts are the sums of the engagement snapshots' counts, exactly.
    total: dict[str, int] = {}
    for _e, snapshot in rows:
        for name, n in snapshot.counts["values"].items():
            if not name.startswith(_ENGAGEMENT_ONLY):
                total[name] = total.get(name, 0) + n
    counts.values = {name: total.get(name, 0) for name in counts.values} | {
        name: n for name, n in total.items() if name not in counts.values and "/" not in name
    }
    earlier = history(SnapshotScope.COUNCIL, council.id)
    linked = [(s.counts["values"], set(s.counts["hidden"]), _versions(e, s)) for e, s in rows]
    hidden = protect(counts, k, [s.counts for s in earlier], linked)
    snapshot = SummarySnapshot(
        scope=SnapshotScope.COUNCIL,
        council_id=council.id,
        basis=basis,
        made_at=utcnow(),
        response_count=counts.values.get("responses", 0),
        k=k,
    )
    _fill(snapshot, raw, counts, hidden, filters, earlier, k)
    snapshot.data["engagements"] = [e.id for e, _s in rows]
    snapshot.data["sources"] = [s.id for _e, s in rows]
    return snapshot


def _versions(engagement, current) -> list[tuple[dict, set]]:
    """Every snapshot of `engagement` up to `current`: a reader may subtract any of them."""
    return [
        (s.counts["values"], set(s.counts["hidden"]))
        for s in history(SnapshotScope.ENGAGEMENT, engagement.id)
        if s.id <= current.id
    ]


def _last_id(snapshot: SummarySnapshot) -> int:
    return int(snapshot.counts["last_response_id"])


def _fill(snapshot, raw, counts, hidden, filters, earlier, k):
    """The snapshot's JSON: `data` as rendered (hidden counts are null), `counts` raw."""
    values = counts.values
    shown = {name: (None if name in hidden else n) for name, n in values.items()}
    # Shown themes by count, then hidden ones by code: the order tells nothing of a hidden
    # count's size.
    order = sorted(
        raw.themes,
        key=lambda t: (
            (1, 0, t.code)
            if f"theme/{t.code}" in hidden
            else (0, -values.get(f"theme/{t.code}", 0), t.code)
        ),
    )
    pools, quote_basis = _quote_pools(filters, values, hidden, earlier, k)
    sentiment = {}
    for t in raw.themes:
        name = f"theme/{t.code}"
        if name not in hidden and t.sentiment is not None and (t.sentiment_n or 0) >= k:
            sentiment[t.code] = [t.sentiment, t.sentiment_n]
    last_id = max((last for _e, last in filters.as_of), default=0)
    tables = []
    for t in counts.tables:
        keys = list(t.keys)
        listed = [name for name in keys if values.get(name)]
        if t.partition and listed and all(name in hidden for name in listed):
            # Every cell hidden: leave the table out, labels too (stats.drop_hidden_tables).
            for name in keys:
                shown.pop(name, None)
            keys = []
        tables.append({"name": t.name, "base": t.base, "keys": keys, "partition": t.partition})
    snapshot.data = {
        "version": 1,
        "engagement_count": raw.engagement_count,
        "values": shown,
        "tables": tables,
        "questions": [{"code": q.code, "kind": q.kind} for q in raw.questions],
        "themes": [t.code for t in order],
        "sentiment": sentiment,
        "quote_pools": {
            code: pool for code, pool in pools.items() if f"theme/{code}" not in hidden
        },
        "attendance_available": raw.attendance.n is not None or raw.attendance.suppressed,
    }
    snapshot.counts = {
        "values": values,
        "hidden": sorted(hidden),
        "quote_pools": pools,
        "quote_basis": quote_basis,
        "last_response_id": last_id,
    }


def _quote_pools(filters, values, hidden, earlier, k):
    """Per theme, the people its quotes may come from: everyone the snapshot counts when the
    theme's count has moved by k or more since its quotes were last opened up (or it is new),
    else the same people as before -- so a family that has just answered is never quoted
    under a theme that grew by fewer than k. Which of them are quoted is decided when the
    snapshot is read (engagement.summary.published): only answers staff approve."""
    previous = earlier[-1].counts if earlier else {}
    old_pools = previous.get("quote_pools", {})
    old_basis = previous.get("quote_basis", {})
    pools, basis = {}, {}
    for name, n in values.items():
        if not name.startswith("theme/"):
            continue
        code = name[len("theme/") :]
        old = old_basis.get(code)
        if old is not None and code in old_pools and (name in hidden or abs(n - old) < k):
            pools[code], basis[code] = old_pools[code], old
        elif name not in hidden:
            pools[code], basis[code] = [list(pair) for pair in filters.as_of], n
    return pools, basis


def _previous(engagement, counts, hidden, k) -> dict | None:
    """The theme shares of the previous engagement of the series (same council), as its own
    latest snapshot shows them: a copy of published figures, never a new one."""
    scope = frozenset({engagement.council_id}) if engagement.council_id is not None else None
    previous_id = previous_engagement(
        SummaryFilters(engagement_ids=(engagement.id,), council_scope=scope)
    )
    if previous_id is None:
        return None
    snapshot = engagement_snapshot(db.session.get(Engagement, previous_id))
    if snapshot is None:
        return {"engagement_id": previous_id, "written": None, "themes": {}}
    shown = snapshot.data["values"]
    themes = {name[len("theme/") :]: n for name, n in shown.items() if name.startswith("theme/")}
    return {"engagement_id": previous_id, "written": shown.get("written"), "themes": themes}


# --------------------------------------------------------------------------------------
# Protecting
# --------------------------------------------------------------------------------------


def protect(counts: stats.Stats, k: int, earlier: list[dict], linked=None, forced=()) -> set[str]:
    """The names a new snapshot hides: each table's own suppression, the time rules against
    `earlier` snapshots' counts of the same scope, and (for a council) the linked-table rules
    against `linked` [(engagement counts, names it hides, [(counts, hidden) of every snapshot
    of that engagement so far])]. `forced`: names hidden from the start (public results
    hide at least what the engagement snapshot of the same people hides)."""
    values = counts.values
    hidden = {name for name, n in values.items() if is_small(n, k)}
    hidden |= {name for name in forced if values.get(name)}
    while True:
        before = set(hidden)
        for old in earlier:
            _time(counts, hidden, old, k)
        if linked:
            _linked(counts, hidden, linked, k)
        _own(counts, hidden, k)
        if hidden == before:
            return hidden


def _own(counts, hidden, k):
    values = counts.values
    for table in counts.tables:
        base = values.get(table.base, 0)
        if is_small(base, k):
            hidden.update(name for name in table.keys if values.get(name))
            continue
        if table.partition:
            cells = [values.get(name, 0) for name in table.keys]
            if cells and sum(cells) <= base:
                forced = [i for i, name in enumerate(table.keys) if name in hidden]
                result = suppress_1d(cells, k, base, forced, table.base in hidden)
                hidden.update(n for n, h in zip(table.keys, result.cells, strict=True) if h)
        if table.name.startswith("agree/"):
            _agree(table, counts, hidden)
    for name in list(hidden):  # English and other languages of one whole, hidden together
        twin = _twin(name)
        if twin and values.get(twin):
            hidden.add(twin)
    at_event = (
        values.get("responses", 0) + values.get("attendance", 0) - values.get("participants", 0)
    )
    if values.get("participants") and ("attendance" in hidden or is_small(at_event, k)):
        hidden.add("participants")


def _agree(table, counts, hidden):
    """Agree or strongly agree: hidden when it would split the hidden options into two
    known sums (engagement.summary.build's rule)."""
    code = table.name[len("agree/") :]
    options = counts.table(f"option/{code}")
    if options is None:
        return
    shown_hidden = {name.rsplit("/", 1)[1] for name in options.keys if name in hidden}
    if shown_hidden and not (shown_hidden <= set(_AGREE) or not shown_hidden & set(_AGREE)):
        hidden.add(table.keys[0])


def _twin(name: str) -> str | None:
    head, _sep, tail = name.partition("/")
    twins = {
        "english": "non_english",
        "non_english": "english",
        "english_base": "non_english_base",
        "non_english_base": "english_base",
    }
    if head not in twins:
        return None
    return twins[head] + (f"/{tail}" if tail else "")


def _time(counts, hidden, old, k):
    """Rules against one earlier snapshot of the same scope."""
    values = counts.values
    before, was_hidden = old["values"], set(old["hidden"])
    for name, n in values.items():
        if name in hidden or name in was_hidden or name not in before:
            continue
        if is_small(abs(n - before[name]), k):
            hidden.add(name)
    for table in counts.tables:
        if not table.partition or table.base in hidden or table.base in was_hidden:
            continue
        keys = list(table.keys) + [n for n in before if _in_table(n, table) and n not in table.keys]
        change = {name: values.get(name, 0) - before.get(name, 0) for name in keys}
        total = values.get(table.base, 0) - before.get(table.base, 0)
        unknown = [name for name in keys if name in hidden or name in was_hidden]
        _difference(keys, change, total, unknown, hidden, values, k)


def _in_table(name: str, table) -> bool:
    prefix = table.keys[0].rsplit("/", 1)[0] if table.keys else table.name
    return name.rsplit("/", 1)[0] == prefix


def _difference(keys, change, total, unknown, hidden, values, k):
    """The difference table (new minus old): its hidden part holds 0 or at least k people,
    and no hidden change can be worked out from the margin."""
    if not unknown:
        return

    def grow():
        shown = [n for n in keys if n not in hidden and change[n] and n in values]
        if not shown:
            return False
        extra = min(shown, key=lambda n: (values[n], n))
        hidden.add(extra)
        unknown.append(extra)
        return True

    while is_small(abs(sum(change[n] for n in unknown)), k):
        if not grow():
            return
    if any(change[n] < 0 for n in keys) or total < sum(change[n] for n in keys):
        return  # answers removed (re-coding, retention): no complementary step on a negative table
    diff = [change[n] for n in keys]
    forced = [i for i, n in enumerate(keys) if n in unknown]
    result = suppress_1d(diff, k, total, forced)
    for name, h in zip(keys, result.cells, strict=True):
        if h and name not in hidden and name in values:
            hidden.add(name)


def _linked(counts, hidden, linked, k):
    """A council's counts as column totals of the engagements' published rows."""
    values = counts.values
    for name, n in values.items():  # any earlier version of an engagement subtracted
        if name in hidden or not n:
            continue
        options = [
            [v.get(name, 0) for v, h in versions if name not in h] for _row, _h, versions in linked
        ]
        if subtraction_isolates(n, options, k):
            hidden.add(name)
    for table in counts.tables:
        if table.partition:
            rows = [[row.get(name, 0) for name in table.keys] for row, _h, _v in linked]
            cells = [
                (i, j)
                for i, (_row, secret, _v) in enumerate(linked)
                for j, name in enumerate(table.keys)
                if name in secret
            ]
            cols = {j for j, name in enumerate(table.keys) if name in hidden}
            for j in protect_columns(rows, k, cells, (), cols):
                hidden.add(table.keys[j])
        else:
            for name in table.keys:
                _linked_cell(name, values, hidden, linked, k)
    for name in ("written", "focus_base", "english_base", "non_english_base", "attendance"):
        _linked_cell(name, values, hidden, linked, k)


def _linked_cell(name, values, hidden, linked, k):
    if name in hidden or not values.get(name):
        return
    secret = [row.get(name, 0) for row, h, _v in linked if name in h and row.get(name, 0)]
    mass = sum(secret)
    if secret and (is_small(mass, k) or len(secret) == 1 or mass == len(secret)):
        hidden.add(name)


def published_responses(engagement: Engagement) -> tuple[Cell, SummarySnapshot | None]:
    """The response count a council lead may read for `engagement`, with its snapshot: the
    latest snapshot's (made first when due), or before the first one 0 or "fewer than k"
    (never an exact small number, never a count that moves by one)."""
    snapshot = engagement_snapshot(engagement)
    if snapshot is not None:
        n = snapshot.data["values"].get("responses")
        return Cell("responses", "", n, None, n is None), snapshot
    n, _last = _live(engagement.id)
    return (Cell("responses", "", None, None, True) if n else Cell("responses", "", 0)), None
