"""Per-engagement response counts, kept up to date in the transaction that changes them.

A summary of a whole engagement used to scan every response, answer, analysis and theme
row (seconds at a million responses). Instead, each counted response adds its
"contribution" to small per-engagement tables (`ResponseAggregate`), and
engagement.summary reads those. A contribution is what the summary's grouped queries count
for one response (engagement.summary.queries, which stays the reference and the check):

- ``responses`` ``locale|channel|school|race``: one per response (the school the response
  gave, or blank: the engagement's school is resolved when read, as it can change);
- ``at_event``; ``group`` (per stakeholder group); ``choice`` ``question|code`` (per answer
  row) and ``answered`` (per question answered with a choice);
- ``written`` ``all|focus|en|other`` and ``lang`` (responses with a written answer, per the
  language of their analysed answers);
- per theme code: ``theme`` (responses), ``theme_sent`` (theme rows with a sentiment, and
  their sum in millionths), ``theme_sent_r``, ``theme_focus``, ``theme_en``, ``theme_other``
  (responses with the theme and a sentiment, from a focus subgroup, in English, in another
  language);
- ``last`` (the highest response id ever stored, held or not: a summary "as of" that id is
  the whole engagement) and ``meta|stale`` (counts not built yet: read the raw rows).

Who keeps it exact, always inside the transaction that changes the rows:
- `record`: one multi-row upsert per new response (engagement.submissions);
- ORM changes to responses, answers, analyses and theme rows (a reviewer's re-code, a
  re-analysis, a test's fixture): a session hook takes the changed responses'
  contributions before the flush and after it, and applies the difference;
- `tracked` around bulk Core statements (holds and releases) and `remove_where` before a
  purge, the same way by hand;
- `rebuild`: from the raw rows, for anything rare or after an upgrade.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engagement.extensions import db
from engagement.models import (
    FOCUS_SUBGROUPS,
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Response,
    ResponseAggregate,
    response_group,
)

LAST = "last"
META = "meta"
STALE = "stale"
MICRO = 1_000_000  # sentiment sums are kept in millionths, as integers
_FOCUS = frozenset(str(r) for r in FOCUS_SUBGROUPS)
_BATCH = 20_000  # responses per rebuild query; ids per IN list


@dataclass
class Written:
    """One answer with text or theme rows: what the theme counts need of it."""

    has_text: bool
    lang: str | None
    sentiment: float | None
    themes: list[str] = field(default_factory=list)


@dataclass
class Facts:
    """One counted response, as far as the summary's counts are concerned."""

    engagement_id: int
    locale: str
    channel: str
    school_id: int | None
    race: str | None
    at_event: bool
    group_ids: list[int] = field(default_factory=list)
    choices: list[tuple[int, str]] = field(default_factory=list)  # (question id, code)
    written: list[Written] = field(default_factory=list)


Delta = dict[tuple[int, str, str], list[int]]  # (engagement, dimension, key) -> [n, total]


def response_key(locale, channel, school_id, race) -> str:
    """The ``responses`` key of a response: locale|channel|school id|race (blank if none)."""
    return f"{locale}|{channel}|{school_id or ''}|{race or ''}"


def contribute(facts: Facts, delta: Delta, sign: int = 1) -> None:
    """Add (sign=1) or take away (-1) what one response counts for, into `delta`."""
    e = facts.engagement_id

    def add(dimension: str, key: str, n: int = 1, total: int = 0) -> None:
        cell = delta.setdefault((e, dimension, key), [0, 0])
        cell[0] += sign * n
        cell[1] += sign * total

    add("responses", response_key(facts.locale, facts.channel, facts.school_id, facts.race))
    if facts.at_event:
        add("at_event", "")
    for group_id in set(facts.group_ids):
        add("group", str(group_id))
    for question_id, code in facts.choices:
        add("choice", f"{question_id}|{code}")
    for question_id in {q for q, _code in facts.choices}:
        add("answered", str(question_id))
    texts = [w for w in facts.written if w.has_text]
    focus = str(facts.race) in _FOCUS if facts.race else False
    if texts:
        add("written", "all")
        if focus:
            add("written", "focus")
        if any(w.lang == "en" for w in texts):
            add("written", "en")
        if any(w.lang is not None and w.lang != "en" for w in texts):
            add("written", "other")
        for lang in {w.lang for w in texts if w.lang is not None}:
            add("lang", lang)
    flags: dict[str, set[str]] = defaultdict(set)
    for w in facts.written:
        for code in set(w.themes):
            flags[code].add("theme")
            if w.sentiment is not None:
                add("theme_sent", code, 1, round(w.sentiment * MICRO))
                flags[code].add("theme_sent_r")
            if focus:
                flags[code].add("theme_focus")
            if w.lang == "en":
                flags[code].add("theme_en")
            elif w.lang is not None:
                flags[code].add("theme_other")
    for code, dimensions in flags.items():
        for dimension in dimensions:
            add(dimension, code)


# --------------------------------------------------------------------------------------
# Reading responses' facts from the raw rows
# --------------------------------------------------------------------------------------


def load_facts(*conditions, session=None) -> dict[int, Facts]:
    """{response id: Facts} of the counted responses matching `conditions` (four queries)."""
    session = session or db.session
    where = (*conditions, Response.counted)
    facts = {
        row.id: Facts(
            row.engagement_id,
            row.locale,
            str(row.channel),
            row.school_id,
            None if row.race_ethnicity is None else str(row.race_ethnicity),
            row.event_id is not None,
        )
        for row in session.execute(
            sa.select(
                Response.id,
                Response.engagement_id,
                Response.locale,
                Response.channel,
                Response.school_id,
                Response.race_ethnicity,
                Response.event_id,
            ).where(*where)
        )
    }
    if not facts:
        return facts
    for response_id, group_id in session.execute(
        sa.select(response_group.c.response_id, response_group.c.group_id)
        .join(Response, Response.id == response_group.c.response_id)
        .where(*where)
    ):
        facts[response_id].group_ids.append(group_id)
    written: dict[int, Written] = {}
    answers = session.execute(
        sa.select(
            Answer.id,
            Answer.response_id,
            Answer.question_id,
            Answer.choice,
            Answer.text.is_not(None),
            AnswerAnalysis.lang,
            AnswerAnalysis.sentiment,
        )
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(*where)
    )
    for answer_id, response_id, question_id, choice, has_text, lang, sentiment in answers:
        if choice is not None:
            facts[response_id].choices.append((question_id, choice))
        item = Written(bool(has_text), lang, sentiment)
        written[answer_id] = item
        facts[response_id].written.append(item)
    for answer_id, code in session.execute(
        sa.select(AnswerTheme.answer_id, AnswerTheme.theme_code)
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*where, AnswerTheme.removed.is_(False))
    ):
        written[answer_id].themes.append(code)
    return facts


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(ids))
    for lo in range(0, len(ids), _BATCH):
        yield ids[lo : lo + _BATCH]


def contributions(response_ids: Iterable[int], session=None) -> Delta:
    """What the given responses count for now (nothing for those held or gone)."""
    delta: Delta = {}
    for chunk in _chunks(response_ids):
        for facts in load_facts(Response.id.in_(chunk), session=session).values():
            contribute(facts, delta)
    return delta


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _upsert(rows: list[dict], session=None) -> None:
    """Add rows to the table in one statement: n and total add up, except ``last`` (max)."""
    if not rows:
        return
    session = session or db.session
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ResponseAggregate.__table__
    statement = insert(table).values(rows)
    new = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.engagement_id, table.c.dimension, table.c.key],
        set_={
            "n": sa.case(
                (
                    table.c.dimension == LAST,
                    sa.case((new.n > table.c.n, new.n), else_=table.c.n),
                ),
                else_=table.c.n + new.n,
            ),
            "total": table.c.total + new.total,
        },
    )
    session.execute(statement)


def _rows(delta: Delta) -> list[dict]:
    return [
        {"engagement_id": e, "dimension": d, "key": k, "n": n, "total": total}
        for (e, d, k), (n, total) in sorted(delta.items())
        if n or total
    ]


def apply(delta: Delta, session=None) -> None:
    """Add `delta` to the stored counts (one statement per few thousand cells)."""
    rows = _rows(delta)
    for lo in range(0, len(rows), 2_000):  # bound the statement's parameters
        _upsert(rows[lo : lo + 2_000], session)


def record(response_id: int, facts: Facts | None, engagement_id: int) -> None:
    """Count a response just stored (`facts` None when it is held): ONE statement."""
    delta: Delta = {}
    if facts is not None:
        contribute(facts, delta)
    delta[(engagement_id, LAST, "")] = [response_id, 0]
    _upsert(_rows(delta))


def difference(after: Delta, before: Delta) -> Delta:
    """after - before, cell by cell."""
    delta = {key: list(value) for key, value in after.items()}
    for key, (n, total) in before.items():
        cell = delta.setdefault(key, [0, 0])
        cell[0] -= n
        cell[1] -= total
    return delta


@contextmanager
def tracked(response_ids: Iterable[int]):
    """Keep the counts exact across a change to stored responses (inside the caller's
    transaction): their contributions before, then after, applied as one delta."""
    ids = sorted(set(response_ids))
    before = contributions(ids)
    yield
    db.session.flush()
    apply(difference(contributions(ids), before))


def remove_where(*conditions) -> None:
    """Take the responses matching `conditions` out of the counts, before they are deleted
    or held (four queries, and one statement when they counted for anything)."""
    delta: Delta = {}
    for facts in load_facts(*conditions).values():
        contribute(facts, delta, -1)
    apply(delta)


def skip_hook(session, response: Response) -> None:
    """Leave a new response to `record` (its answers are written with Core statements)."""
    session.info.setdefault(_SKIP, set()).add(id(response))


def rebuild(engagement_id: int) -> int:
    """Count an engagement again from its raw rows (inside the caller's transaction);
    returns the number of cells stored.

    Its cells are deleted first and, on PostgreSQL, the table locked against writers: a
    response stored meanwhile waits for the commit instead of being counted then lost."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("LOCK TABLE response_aggregate IN EXCLUSIVE MODE"))
    db.session.execute(
        sa.delete(ResponseAggregate).where(ResponseAggregate.engagement_id == engagement_id)
    )
    delta: Delta = {}
    last = db.session.scalar(
        sa.select(sa.func.max(Response.id)).where(Response.engagement_id == engagement_id)
    )
    lo = 0
    while last is not None and lo < last:
        hi = lo + _BATCH
        batch = load_facts(
            Response.engagement_id == engagement_id, Response.id > lo, Response.id <= hi
        )
        for facts in batch.values():
            contribute(facts, delta)
        lo = hi
    if last is not None:
        delta[(engagement_id, LAST, "")] = [last, 0]
    apply(delta)
    return len(_rows(delta))


def mark_stale(engagement_ids: Iterable[int]) -> None:
    """Have summaries of these engagements read the raw rows until they are rebuilt."""
    delta: Delta = {(e, META, STALE): [1, 0] for e in set(engagement_ids)}
    db.session.execute(
        sa.delete(ResponseAggregate).where(
            ResponseAggregate.engagement_id.in_([e for e, _d, _k in delta]),
            ResponseAggregate.dimension == META,
        )
    )
    apply(delta)


def stale_engagements() -> list[int]:
    """Engagements whose counts wait for a rebuild."""
    return list(
        db.session.scalars(
            sa.select(ResponseAggregate.engagement_id)
            .where(ResponseAggregate.dimension == META, ResponseAggregate.key == STALE)
            .order_by(ResponseAggregate.engagement_id)
        )
    )


def stored(engagement_ids: Iterable[int]) -> list:
    """The stored cells of these engagements: (engagement, dimension, key, n, total) rows."""
    table = ResponseAggregate
    return db.session.execute(
        sa.select(table.engagement_id, table.dimension, table.key, table.n, table.total).where(
            table.engagement_id.in_(sorted(set(engagement_ids)) or [-1])
        )
    ).all()


# --------------------------------------------------------------------------------------
# The session hook: ORM changes keep the counts exact by themselves
# --------------------------------------------------------------------------------------

_SKIP = "aggregates_skip"
_PENDING = "aggregates_pending"


def _changed(session) -> tuple[set[int], set[int], list]:
    """(response ids, answer ids, objects whose ids the flush will assign) the pending ORM
    changes touch, as far as the counts are concerned."""
    skip = session.info.get(_SKIP, set())
    responses: set[int] = set()
    answers: set[int] = set()
    later: list = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Response):
            if id(obj) in skip:
                continue
            if obj.id is None:
                later.append(obj)
            else:
                responses.add(obj.id)
        elif isinstance(obj, Answer):
            if obj in session.dirty and not _counted_change(obj):
                continue  # a quote approved or masked: nothing counted moves
            known = obj.response_id or (obj.response.id if obj.response is not None else None)
            if known is not None:
                responses.add(known)
            later.append(obj)
        elif isinstance(obj, AnswerAnalysis | AnswerTheme):
            answer_id = obj.answer_id
            if answer_id is None and getattr(obj, "answer", None) is not None:
                answer_id = obj.answer.id
            if answer_id is None:
                later.append(obj)
            else:
                answers.add(answer_id)
    return responses, answers, later


def _counted_change(answer: Answer) -> bool:
    state = sa.inspect(answer)
    return any(
        state.attrs[name].history.has_changes() for name in ("choice", "text", "response_id")
    )


def _responses_of(session, answer_ids: set[int]) -> set[int]:
    if not answer_ids:
        return set()
    return set(
        session.scalars(sa.select(Answer.response_id).where(Answer.id.in_(sorted(answer_ids))))
    )


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session, flush_context, instances):
    with session.no_autoflush:
        responses, answers, later = _changed(session)
        if not (responses or answers or later):
            return
        responses |= _responses_of(session, answers)
        session.info[_PENDING] = (responses, contributions(responses, session), later)


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context):
    pending = session.info.pop(_PENDING, None)
    session.info.pop(_SKIP, None)
    if pending is None:
        return
    responses, before, later = pending
    answers = set()
    for obj in later:
        if isinstance(obj, Response):
            responses.add(obj.id)
        elif isinstance(obj, Answer):
            responses.add(obj.response_id)
        else:
            answers.add(obj.answer_id)
    responses |= _responses_of(session, answers)
    responses.discard(None)
    delta = difference(contributions(responses, session), before)
    for obj in later:
        if isinstance(obj, Response):  # held or not, the engagement's latest response id
            cell = delta.setdefault((obj.engagement_id, LAST, ""), [0, 0])
            cell[0] = max(cell[0], obj.id)
    apply(delta, session)
