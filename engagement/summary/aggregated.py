"""Where a summary's counts come from: the per-engagement aggregates, or the raw rows.

A view of whole engagements -- one engagement's page, a kind or a council without finer
filters, a snapshot "as of" an engagement's latest response -- reads the small tables that
engagement.aggregates keeps up to date at write time: a few hundred rows per engagement,
whatever the number of responses. A view with a finer filter (dates, a school, a stakeholder
group, a language, race or ethnicity), an older snapshot, or an engagement whose counts wait
for a rebuild reads the raw rows with the grouped queries of `queries`, which remain the
reference: `compare` checks one against the other.

Both sources answer the same questions with the same numbers (`Raw` and `Aggregated`), so
`build` assembles and protects a summary the same way whichever it reads.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa

from engagement import aggregates
from engagement.extensions import db
from engagement.models import (
    Channel,
    Engagement,
    QuestionKind,
    RaceEthnicity,
    Response,
)
from engagement.summary import differencing, periods, queries
from engagement.summary.model import SummaryFilters

# Filters on a person (or a date) that the per-engagement counts cannot answer.
_FINE = ("date_from", "date_to", "school_id", "group_id", "locale", "subgroup")


class Raw:
    """Counts from the raw rows: the grouped queries of `queries` over `where`."""

    def __init__(self, where: list):
        self.where = where

    def response_count(self) -> int:
        return queries.response_count(self.where)

    def response_totals(self):
        return queries.response_totals(self.where)

    def group_counts(self):
        return queries.group_counts(self.where)

    def responses_at_events(self) -> int:
        return queries.responses_at_events(self.where)

    def written_bases(self) -> dict:
        return queries.written_bases(self.where)

    def written_languages(self) -> dict:
        return queries.written_languages(self.where)

    def choice_counts(self, questions):
        return queries.choice_counts(questions, self.where)

    def theme_counts(self) -> list:
        return queries.theme_counts(self.where)

    def theme_responses(self, engagement_id: int):
        """({theme code: responses}, responses with a written answer) of one engagement."""
        cells = _cells([engagement_id])
        if cells is not None:
            return Aggregated([engagement_id], cells, self.where).theme_responses_of_all()
        return queries.theme_responses([Response.engagement_id == engagement_id, Response.counted])


class Aggregated(Raw):
    """Counts of whole engagements, added up from their stored aggregates.

    `where` (the same engagements, as SQL conditions) is kept for what is not counted:
    the choice of quotes."""

    def __init__(self, engagement_ids, cells, where: list):
        super().__init__(where)
        self.engagement_ids = list(engagement_ids)
        self.by_engagement: dict[int, dict] = defaultdict(dict)
        self.cells: dict[tuple[str, str], list[int]] = {}
        for e, dimension, key, n, total in cells:
            if dimension in (aggregates.META, aggregates.LAST) or not (n or total):
                continue
            if dimension == "responses":
                self.by_engagement[e][key] = n
            cell = self.cells.setdefault((dimension, key), [0, 0])
            cell[0] += n
            cell[1] += total

    def _dimension(self, dimension: str) -> dict[str, int]:
        return {key: n for (d, key), (n, _t) in self.cells.items() if d == dimension and n}

    def response_totals(self):
        schools = dict(
            db.session.execute(
                sa.select(Engagement.id, Engagement.school_id).where(
                    Engagement.id.in_(list(self.by_engagement) or [-1])
                )
            ).all()
        )
        totals: dict = {}
        counted = 0
        for e, keys in self.by_engagement.items():
            if not any(keys.values()):
                continue
            counted += 1
            for key, n in keys.items():
                locale, channel, school, race = key.split("|")
                school_id = int(school) if school else schools.get(e)
                row = (locale, Channel(channel), school_id, RaceEthnicity(race) if race else None)
                totals[row] = totals.get(row, 0) + n
        return totals, counted

    def response_count(self) -> int:
        return sum(n for keys in self.by_engagement.values() for n in keys.values())

    def group_counts(self):
        return {int(g): n for g, n in self._dimension("group").items()}

    def responses_at_events(self) -> int:
        return self._dimension("at_event").get("", 0)

    def written_bases(self) -> dict:
        written = self._dimension("written")
        return {name: written.get("all" if name == "written" else name, 0) for name in _BASES}

    def written_languages(self) -> dict:
        return self._dimension("lang")

    def choice_counts(self, questions):
        wanted = {q.id for q in questions}
        counts: dict = {}
        for key, n in self._dimension("choice").items():
            question_id, choice = key.split("|", 1)
            if int(question_id) in wanted:
                counts.setdefault(int(question_id), {})[choice] = n
        answered = {qid: sum(by_choice.values()) for qid, by_choice in counts.items()}
        distinct = self._dimension("answered")
        for q in questions:
            if q.kind == QuestionKind.MULTI_CHOICE and q.id in counts:
                answered[q.id] = distinct.get(str(q.id), 0)
        return counts, answered

    def theme_counts(self) -> list:
        rows = []
        for code, n in self._dimension("theme").items():
            rated, total = self.cells.get(("theme_sent", code), (0, 0))
            rows.append(
                (
                    code,
                    n,
                    total / aggregates.MICRO / rated if rated else None,
                    self.cells.get(("theme_sent_r", code), (0, 0))[0],
                    self.cells.get(("theme_focus", code), (0, 0))[0],
                    self.cells.get(("theme_en", code), (0, 0))[0],
                    self.cells.get(("theme_other", code), (0, 0))[0],
                )
            )
        return rows

    def theme_responses_of_all(self):
        return self._dimension("theme"), self._dimension("written").get("all", 0)


_BASES = ("written", "focus", "en", "other")


def _cells(engagement_ids, as_of: dict[int, int] | None = None):
    """The stored cells of these engagements, or None when one of them cannot be read from
    them: its counts wait for a rebuild, or (with `as_of`) it has responses after the
    last one the view counts."""
    cells = aggregates.stored(engagement_ids)
    last = {e: 0 for e in engagement_ids}
    for e, dimension, key, n, _total in cells:
        if dimension == aggregates.META and key == aggregates.STALE and n:
            return None
        if dimension == aggregates.LAST:
            last[e] = n
    if as_of is not None and any(last[e] > as_of.get(e, 0) for e in engagement_ids):
        return None
    return cells


def _engagements(filters: SummaryFilters) -> list[int]:
    conditions = queries.engagement_conditions(filters)
    if filters.engagement_ids is not None and len(conditions) == 1:
        return sorted(set(filters.engagement_ids))  # no query for the engagements named
    return list(db.session.scalars(sa.select(Engagement.id).where(*conditions)))


def source(filters: SummaryFilters, k: int) -> Raw:
    """Where the counts of the view `filters` (snapped to weeks) come from."""
    if all(getattr(filters, name) is None for name in _FINE) or _holds_whole(filters):
        found = _aggregated(filters, k)
        if found is not None:
            return found
    return Raw(queries.response_conditions(filters) + differencing.population(filters, k))


def _holds_whole(filters: SummaryFilters) -> bool:
    """True for a dated view (no other fine filter) whose window holds every counted
    response of its engagements: the same people as the whole engagements, so their stored
    counts answer it (a report of a school year whose engagements all ran inside it)."""
    if filters.as_of is not None or (filters.date_from is None and filters.date_to is None):
        return False
    if any(getattr(filters, name) is not None for name in _FINE[2:]):
        return False
    outside = []
    if filters.date_from is not None:
        outside.append(Response.submitted_at < periods.day_start(filters.date_from))
    if filters.date_to is not None:
        after = filters.date_to + timedelta(days=1)
        outside.append(Response.submitted_at >= periods.day_start(after))
    engagement_level = queries.engagement_conditions(filters)
    stmt = sa.select(Response.id).where(Response.counted, sa.or_(*outside))
    if engagement_level:
        stmt = stmt.where(
            Response.engagement_id.in_(sa.select(Engagement.id).where(*engagement_level))
        )
    return db.session.scalar(stmt.limit(1)) is None


def _aggregated(filters: SummaryFilters, k: int) -> Aggregated | None:
    ids = _engagements(filters)
    as_of = None
    if filters.as_of is not None:
        as_of = dict(filters.as_of)
        ids = [e for e in ids if e in as_of]
    cells = _cells(ids, as_of)
    if cells is None:
        return None
    source = Aggregated(ids, cells, [])
    if differencing.population(filters, k):
        # Views across engagements count only engagements of at least k (differencing).
        ids = [e for e in ids if sum(source.by_engagement.get(e, {}).values()) >= k]
        cells = [row for row in cells if row[0] in set(ids)]
        source = Aggregated(ids, cells, [])
    # The same engagements as SQL conditions, for the choice of quotes.
    source.where = [Response.counted, Response.engagement_id.in_(ids or [-1])]
    return source


def live(engagement_id: int) -> tuple[int, int] | None:
    """(responses counted now, highest response id stored) of an engagement from its
    stored counts, or None while they wait for a rebuild."""
    cells = _cells([engagement_id])
    if cells is None:
        return None
    last = max((n for _e, d, _k, n, _t in cells if d == aggregates.LAST), default=0)
    return Aggregated([engagement_id], cells, []).response_count(), last


def compare(engagement_id: int) -> list[str]:
    """Where the stored counts of an engagement differ from its raw rows (empty: none)."""
    cells = _cells([engagement_id])
    if cells is None:
        return ["counts wait for a rebuild (flask aggregates rebuild)"]
    stored = Aggregated([engagement_id], cells, [])
    raw = Raw([Response.counted, Response.engagement_id == engagement_id])
    questions = db.session.get(Engagement, engagement_id).questions
    problems = []
    for name, mine, theirs in (
        ("responses", stored.response_totals(), raw.response_totals()),
        ("groups", stored.group_counts(), raw.group_counts()),
        ("at events", stored.responses_at_events(), raw.responses_at_events()),
        ("written", stored.written_bases(), raw.written_bases()),
        ("languages", stored.written_languages(), raw.written_languages()),
        ("choices", stored.choice_counts(questions), raw.choice_counts(questions)),
        ("themes", _themes(stored.theme_counts()), _themes(raw.theme_counts())),
        ("sentiment", _means(stored.theme_counts()), _means(raw.theme_counts())),
    ):
        if not _same(mine, theirs):
            problems.append(f"{name}: stored {mine!r}, raw rows {theirs!r}")
    return problems


def _themes(rows) -> dict:
    return {code: (n, *rest) for code, n, _mean, *rest in rows}


def _means(rows) -> dict:
    return {code: None if mean is None else float(mean) for code, _n, mean, *_rest in rows}


def _same(mine, theirs) -> bool:
    """Equal, means to within a millionth (sentiment sums are kept in millionths)."""
    if isinstance(mine, dict) and isinstance(theirs, dict) and mine.keys() == theirs.keys():
        return all(_same(mine[key], theirs[key]) for key in mine)
    if isinstance(mine, float) and isinstance(theirs, float):
        return abs(mine - theirs) <= 1e-6
    return mine == theirs
