"""Live views compared with every view they could be subtracted from (staff and admins).

A view across engagements (the staff filter page, exports, the report) is one of many a
staff member can open. For a view V this module finds the views that hold V's people by
construction, and hides what a subtraction would single out:

- broader views ("ancestors"): V with any of its filters dropped or widened (a race to the
  plan's focus subgroups, an engagement to its kind and council, the date window to any
  window of whole weeks that contains it, including no window at all);
- the pages of the engagements V holds whole (every response of the engagement falls
  inside V): a page is never hidden to protect a broader view, the broader view adapts.

Rules, with k = MIN_GROUP_SIZE and "differ" meaning the count of the broader view minus V's:
1. V is withheld when its total differs from a broader view's by 1..k-1, or when V minus
   the totals of the engagement pages it holds leaves 1..k-1 people (`left_out`).
2. A count V shows is hidden when the same count of a broader view differs by 1..k-1. A 0
   that V shows (a language nobody in V used) counts: it is then listed as hidden too.
3. In a table whose cells add up (languages, channels, schools, race or ethnicity), the
   cells V hides hold, in every broader view, 0 or at least k more people than in V: else
   one more cell is hidden (the difference table's margin cannot give them back).
4. Engagement pages as rows, V's counts as the column totals of a linked table: V hides
   what keeps every cell an engagement page hides from being worked out (only V's counts
   are hidden, never a page's), and what would leave 1..k-1 people outside the shown rows.
5. Each table of V keeps its own complementary suppression (engagement.summary.suppression).
6. A filter on a person's school, language, race or ethnicity, or stakeholder group makes V's
   total a cell (or a sum of cells) of the view without that filter. If that view hides the
   cell -- as a complement, or by these rules -- V is withheld: its total would give the
   hidden cell back, and with it the small group the cell was hiding.

Views across engagements count only whole engagements with at least k responses
(`queries.whole_engagements`): an engagement too small to show on its own page is counted
nowhere, so no view minus the pages of the engagements it holds gives its few answers away.

Counts come from a few grouped queries ("atoms": responses grouped by engagement, language,
school, race or ethnicity, week and stakeholder-group membership); every broader view's
counts, and the hidden cells of the views without one of V's filters (rule 6), are worked
out from them in Python, with no further query.

Not covered: sums over sibling views -- a cell a view hides (its Spanish speakers, say) added
up from the same cell of views that split it by another filter (each school's Spanish
speakers), when every one of those is shown. Each sibling is checked against the view, not
against the sum of the others.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import sqlalchemy as sa

from engagement import labels
from engagement.extensions import db
from engagement.models import (
    FOCUS_SUBGROUPS,
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Engagement,
    Response,
    School,
    StakeholderGroup,
    response_group,
)
from engagement.summary import periods, queries, stats
from engagement.summary.model import Summary, SummaryFilters, blank_if_too_small, protected_cells
from engagement.summary.suppression import (
    is_small,
    protect_columns,
    subtraction_isolates,
    suppress_1d,
)

NOT_STATED = "not_stated"
FOCUS = frozenset(str(r) for r in FOCUS_SUBGROUPS)


def is_page(filters: SummaryFilters) -> bool:
    """True for one engagement's own page: that engagement, no other filter, no dates."""
    return (
        filters.engagement_ids is not None
        and len(filters.engagement_ids) == 1
        and filters.as_of is None
        and all(
            getattr(filters, name) is None
            for name in (
                "date_from",
                "date_to",
                "kind",
                "school_id",
                "council_id",
                "group_id",
                "locale",
                "subgroup",
            )
        )
    )


def compared(filters: SummaryFilters) -> bool:
    """True for a view these rules apply to: a live view that is not an engagement's page
    (snapshots, `as_of`, have rules of their own in engagement.summary.snapshots)."""
    return filters.as_of is None and not is_page(filters)


def population(filters: SummaryFilters, k: int) -> list:
    """Extra WHERE conditions of a compared view: whole engagements of at least k."""
    if not compared(filters) or k <= 1:
        return []
    return [Response.engagement_id.in_(queries.whole_engagements(k))]


# --------------------------------------------------------------------------------------
# Atoms: counts by engagement, language, school, race or ethnicity, group and week
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Atom:
    engagement: int
    locale: str
    school: int | None  # the response's school, else its engagement's
    race: str | None
    in_group: bool
    week: int


@dataclass
class Views:
    """V and every view it is compared with, as counts by name (stats.py names)."""

    filters: SummaryFilters
    k: int
    weeks: int  # number of week buckets (1 when V has no dates)
    window: tuple[int, int]  # V's first and last bucket
    atoms: dict[Atom, dict[str, int]] = field(default_factory=dict)
    included: set[int] = field(default_factory=set)
    combos: list[tuple] = field(default_factory=list)  # combos[0] is V's own
    index: list[tuple] = field(default_factory=list)  # per combo: option index per field
    names: list[str] = field(default_factory=list)  # the lattice's fields
    series: list[dict[str, list[int]]] = field(default_factory=list)
    engagements: dict = field(default_factory=dict)
    school_codes: dict = field(default_factory=dict)
    school_ids: dict = field(default_factory=dict)
    group_codes: dict = field(default_factory=dict)
    _pages: dict = field(default_factory=dict)

    # -- loading ---------------------------------------------------------------------

    @classmethod
    def load(cls, filters: SummaryFilters, k: int, parts=("responses",)) -> Views:
        """Run the grouped queries for `parts` ("responses", "groups", "written",
        "themes") and work out every compared view's counts. Answers held for review are
        counted nowhere (engagement.holds)."""
        scope = [Response.counted]
        if filters.council_scope is not None:
            scope.append(
                Response.engagement_id.in_(
                    sa.select(Engagement.id).where(
                        Engagement.council_id.in_(filters.council_scope or {-1})
                    )
                )
            )
        bounds, window = _buckets(filters, scope)
        views = cls(filters, k, len(bounds) + 2 if bounds else 1, window)
        week = _week_column(bounds)
        group = _group_column(filters.group_id)
        views.engagements = engagements = _engagements()
        views.school_codes = schools = _codes(School)
        views.school_ids = {code: i for i, code in schools.items()}
        views.group_codes = groups = _codes(StakeholderGroup)
        for part in parts:
            for row in _rows(part, filters, bounds, scope, week, group):
                attrs, counts = row[:6], row[6:]
                eng, locale, school, race, in_group, bucket = attrs
                atom = Atom(
                    eng,
                    locale,
                    school or engagements.get(eng, (None, None, None))[2],
                    str(race) if race is not None else None,
                    bool(in_group),
                    int(bucket or 0),
                )
                target = views.atoms.setdefault(atom, defaultdict(int))
                for name, n in _NAMES[part](atom, counts, schools, groups):
                    target[name] += n
        totals: dict[int, int] = defaultdict(int)
        for atom, counts in views.atoms.items():
            totals[atom.engagement] += counts.get("responses", 0)
        views.included = {e for e, n in totals.items() if n >= k}
        views._combine()
        return views

    def _combine(self):
        fields = _options(self.filters, self.engagements)
        self.names = [name for name, _options_ in fields]
        ranges = [range(len(options)) for _name, options in fields]
        self.index = list(itertools.product(*ranges))
        self.combos = [
            tuple(options[i] for (_n, options), i in zip(fields, index, strict=True))
            for index in self.index
        ]
        self.series = [defaultdict(lambda: [0] * self.weeks) for _ in self.combos]
        for atom, counts in self.atoms.items():
            if atom.engagement not in self.included:
                continue
            facts = _facts(atom, self.engagements)
            for number, combo in enumerate(self.combos):
                if self._holds(combo, facts):
                    target = self.series[number]
                    for name, n in counts.items():
                        target[name][atom.week] += n

    def _holds(self, combo, facts) -> bool:
        return all(_match(n, v, facts) for n, v in zip(self.names, combo, strict=True))

    # -- the lattice ---------------------------------------------------------------------

    def ancestors(self, own: int = 0) -> list[int]:
        """The combos that hold `own`'s people by construction (`own` itself included)."""
        mine = self.index[own]
        return [
            c
            for c, index in enumerate(self.index)
            if all(i >= j for i, j in zip(index, mine, strict=True))
        ]

    def widened(self, own: int, field_name: str) -> list[int]:
        """`own` with the filter `field_name` widened (to the focus subgroups) or dropped."""
        position = self.names.index(field_name)
        mine = self.index[own]
        return [
            c
            for c, index in enumerate(self.index)
            if index[position] > mine[position]
            and all(
                i == j for p, (i, j) in enumerate(zip(index, mine, strict=True)) if p != position
            )
        ]

    def pages(self, own: int = 0) -> dict[int, dict[str, int]]:
        """The engagement pages `own` holds whole: none if it picks people by a person's
        school, language, race or ethnicity or group; else each included engagement that
        matches its other filters with every response inside its window."""
        if own in self._pages:
            return self._pages[own]
        combo = dict(zip(self.names, self.combos[own], strict=True))
        pages: dict[int, dict[str, int]] = {}
        if all(combo[f] is None for f in _PERSON_FIELDS):
            first, last = self.window
            outside = {a.engagement for a in self.atoms if not first <= a.week <= last}
            for atom, counts in self.atoms.items():
                eng = atom.engagement
                if eng not in self.included or eng in outside:
                    continue
                if not self._holds(self.combos[own], _facts(atom, self.engagements)):
                    continue
                page = pages.setdefault(eng, defaultdict(int))
                for name, n in counts.items():
                    page[name] += n
        self._pages[own] = pages
        return pages

    # -- counts and checks -------------------------------------------------------------

    def value(self, name: str, own: int = 0) -> int:
        """The count `name` of a compared view over V's window."""
        first, last = self.window
        return sum(self.series[own].get(name, [0] * self.weeks)[first : last + 1])

    def isolated(self, names, own: int = 0) -> int:
        """The smallest number 1..k-1 of people that some view holding `own` (V by
        default) has beyond it in the counts `names` together (0: none)."""
        first, last = self.window
        found = 0
        mine = _sum_series(self.series[own], names, self.weeks)
        for combo in self.ancestors(own):
            theirs = _sum_series(self.series[combo], names, self.weeks)
            inner = sum(theirs[first : last + 1]) - sum(mine[first : last + 1])
            if inner >= self.k:
                continue
            lefts = _partials(reversed(theirs[:first]), self.k - inner)
            rights = _partials(theirs[last + 1 :], self.k - inner)
            for left in lefts:
                for right in rights:
                    d = inner + left + right
                    if 0 < d < self.k and (not found or d < found):
                        found = d
        return found

    def left_out(self, own: int = 0) -> int:
        """1..k-1 when `own`'s total differs from a broader view's by that many, or when the
        engagement pages it holds leave that many of its people out; else 0."""
        found = self.isolated(["responses"], own)
        pages = self.pages(own)
        rest = self.value("responses", own) - sum(p.get("responses", 0) for p in pages.values())
        if pages and is_small(rest, self.k) and (not found or rest < found):
            found = rest
        return found


_PERSON_FIELDS = ("school", "group", "locale", "subgroup")


def _sum_series(series, names, weeks) -> list[int]:
    out = [0] * weeks
    for name in names:
        for i, n in enumerate(series.get(name, ())):
            out[i] += n
    return out


def _partials(values, limit) -> set[int]:
    """0 and the running sums of `values` below `limit` (how much a window grows by)."""
    out, total = {0}, 0
    for value in values:
        total += value
        if total >= limit:
            break
        out.add(total)
    return out


def _engagements() -> dict[int, tuple]:
    rows = db.session.execute(
        sa.select(Engagement.id, Engagement.kind, Engagement.council_id, Engagement.school_id)
    ).all()
    return {eng: (str(kind), council, school) for eng, kind, council, school in rows}


def _codes(model) -> dict[int, str]:
    return dict(db.session.execute(sa.select(model.id, model.code)).all())


def _buckets(filters: SummaryFilters, scope) -> tuple[list, tuple[int, int]]:
    """Week boundaries (aware datetimes) and V's window as bucket indexes. No boundaries
    (one bucket) when V has no dates. Buckets: 0 before the first answer (empty), one per
    week from the first answer's to the last's, and one after (empty), so that a window far
    outside the answers costs nothing."""
    if not filters.date_from and not filters.date_to:
        return [], (0, 0)
    first, last = db.session.execute(
        sa.select(sa.func.min(Response.submitted_at), sa.func.max(Response.submitted_at)).where(
            *scope
        )
    ).one()
    if first is None:
        return [], (0, 0)
    mondays = periods.weeks_between(periods.local_day(first), periods.local_day(last))
    bounds = [periods.day_start(monday) for monday in mondays]
    after = len(mondays) + 1

    def bucket(day, default):
        if day is None:
            return default
        monday = periods.week_start(day)
        if monday < mondays[0]:
            return 0
        if monday > mondays[-1]:
            return after
        return mondays.index(monday) + 1

    start, end = bucket(filters.date_from, 0), bucket(filters.date_to, after)
    return bounds, (start, max(start, end))


def _week_column(bounds):
    if not bounds:
        return sa.literal(0)
    return sa.case(
        *((Response.submitted_at < bound, i) for i, bound in enumerate(bounds)),
        else_=len(bounds),
    )


def _group_column(group_id):
    if group_id is None:
        return sa.literal(0)
    member = response_group.alias("member")
    return sa.case(
        (
            sa.exists().where(member.c.response_id == Response.id, member.c.group_id == group_id),
            1,
        ),
        else_=0,
    )


def _attrs(week, group):
    """The atom's columns, and those to group by (a constant is not grouped by)."""
    attrs = (
        Response.engagement_id,
        Response.locale,
        Response.school_id,
        Response.race_ethnicity,
        group,
        week,
    )
    return attrs, [a for a in attrs if not isinstance(a, sa.sql.elements.BindParameter)]


def _response_rows(scope, week, group):
    attrs, grouped = _attrs(week, group)
    return db.session.execute(
        sa.select(*attrs, Response.channel, sa.func.count(Response.id))
        .where(*scope)
        .group_by(*grouped, Response.channel)
    ).all()


def _group_rows(scope, week, group):
    attrs, grouped = _attrs(week, group)
    return db.session.execute(
        sa.select(*attrs, response_group.c.group_id, sa.func.count(Response.id))
        .join(Response, Response.id == response_group.c.response_id)
        .where(*scope)
        .group_by(*grouped, response_group.c.group_id)
    ).all()


def _written_rows(scope, week, group):
    attrs, grouped = _attrs(week, group)
    flag = lambda cond: sa.func.max(sa.case((cond, 1), else_=0))  # noqa: E731
    per_response = (
        sa.select(
            *(a.label(f"a{i}") for i, a in enumerate(attrs)),
            flag(AnswerAnalysis.lang == "en").label("en"),
            flag(AnswerAnalysis.lang != "en").label("other"),
        )
        .join(Answer, sa.and_(Answer.response_id == Response.id, Answer.text.is_not(None)))
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(*scope)
        .group_by(Response.id, *grouped)
        .subquery()
    )
    # Outside the subquery every attribute is a column, constants too: group by them all.
    columns = [per_response.c[f"a{i}"] for i in range(len(attrs))]
    return db.session.execute(
        sa.select(
            *columns,
            sa.func.count(),
            sa.func.sum(per_response.c.en),
            sa.func.sum(per_response.c.other),
        ).group_by(*columns)
    ).all()


def _theme_rows(scope, week, group):
    attrs, grouped = _attrs(week, group)
    distinct_if = lambda cond: sa.func.count(sa.distinct(sa.case((cond, Response.id))))  # noqa: E731
    return db.session.execute(
        sa.select(
            *attrs,
            AnswerTheme.theme_code,
            sa.func.count(sa.distinct(Response.id)),
            distinct_if(AnswerAnalysis.lang == "en"),
            distinct_if(AnswerAnalysis.lang != "en"),
        )
        .select_from(AnswerTheme)
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(*scope, AnswerTheme.removed.is_(False))
        .group_by(*grouped, AnswerTheme.theme_code)
    ).all()


_PARTS = {
    "responses": _response_rows,
    "groups": _group_rows,
    "written": _written_rows,
    "themes": _theme_rows,
}


# Grouped rows shared by the views built inside `shared_counts` (None outside it).
_SHARED: ContextVar[dict | None] = ContextVar("differencing_shared", default=None)


@contextmanager
def shared_counts():
    """Inside the block, views with the same scope, weeks and stakeholder group reuse one
    set of grouped queries: a report builds a dozen views of one period. Only for reading
    (nothing is written in between, so the rows cannot change)."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


# Per part: how many columns after an atom's six are keys (the rest are counts).
_KEYS = {"responses": 1, "groups": 1, "written": 0, "themes": 1}


def _rows(part, filters: SummaryFilters, bounds, scope, week, group):
    shared = _SHARED.get()
    if shared is None:
        return _PARTS[part](scope, week, group)
    key = (part, filters.council_scope, tuple(bounds))
    if key not in shared:
        shared[key] = _PARTS[part](scope, week, _group_column(None))
    if filters.group_id is None:
        return shared[key]
    # A stakeholder group's view: the rows of every group's members from one query, and
    # everyone else's as all rows minus the members' (each count adds up per response).
    by_group = (*key, "by_group")
    if by_group not in shared:
        member = response_group.alias("member_of")
        shared[by_group] = _PARTS[part](
            [*scope, member.c.response_id == Response.id], week, member.c.group_id
        )
    return _split(shared[key], shared[by_group], filters.group_id, 6 + _KEYS[part])


def _split(everyone, by_group, group_id: int, width: int) -> list[tuple]:
    """Rows with the in-group flag for `group_id`, from everyone's rows (flag 0) and the
    rows of each group's members (the group id in the flag's place)."""
    members: dict[tuple, list[int]] = {}
    for row in by_group:
        if row[4] == group_id:
            counts = members.setdefault((*row[:4], *row[5:width]), [0] * (len(row) - width))
            for i, n in enumerate(row[width:]):
                counts[i] += n or 0
    rows = [(*key[:4], 1, *key[4:], *counts) for key, counts in members.items()]
    for row in everyone:
        mine = members.get((*row[:4], *row[5:width]))
        counts = [(n or 0) - (mine[i] if mine else 0) for i, n in enumerate(row[width:])]
        if any(counts):
            rows.append((*row[:4], 0, *row[5:width], *counts))
    return rows


def _school_key(atom, schools):
    return schools.get(atom.school, NOT_STATED) if atom.school is not None else NOT_STATED


def _response_names(atom, counts, schools, groups):
    channel, n = counts
    return [
        ("responses", n),
        (f"language/{atom.locale}", n),
        (f"channel/{channel}", n),
        (f"school/{_school_key(atom, schools)}", n),
        (f"subgroup/{atom.race or NOT_STATED}", n),
    ]


def _group_names(atom, counts, schools, groups):
    group_id, n = counts
    return [(f"group/{groups.get(group_id, group_id)}", n)]


def _written_names(atom, counts, schools, groups):
    n, en, other = counts
    focus = n if atom.race in FOCUS else 0
    return [
        ("written", n),
        ("focus_base", focus),
        ("english_base", int(en or 0)),
        ("non_english_base", int(other or 0)),
    ]


def _theme_names(atom, counts, schools, groups):
    code, n, en, other = counts
    return [
        (f"theme/{code}", n),
        (f"focus/{code}", n if atom.race in FOCUS else 0),
        (f"english/{code}", en),
        (f"non_english/{code}", other),
    ]


_NAMES = {
    "responses": _response_names,
    "groups": _group_names,
    "written": _written_names,
    "themes": _theme_names,
}


# --------------------------------------------------------------------------------------
# The views compared with V: each filter kept, dropped or widened
# --------------------------------------------------------------------------------------


def _options(filters: SummaryFilters, engagements) -> list[tuple[str, list]]:
    """(field, [V's value, broader values..., None]) for every field of the lattice."""
    single = (
        engagements.get(filters.engagement_ids[0])
        if filters.engagement_ids and len(filters.engagement_ids) == 1
        else None
    )
    ids = frozenset(filters.engagement_ids) if filters.engagement_ids is not None else None
    kind = filters.kind or (single[0] if single else None)
    council = filters.council_id
    if council is None and single:
        council = single[1]
    subgroups = [filters.subgroup]
    if filters.subgroup and filters.subgroup != "focus" and filters.subgroup in FOCUS:
        subgroups.append("focus")
    out = [
        ("engagement", [ids]),
        ("kind", [kind]),
        ("council", [council]),
        ("school", [filters.school_id]),
        ("group", [filters.group_id]),
        ("locale", [filters.locale]),
        ("subgroup", subgroups),
    ]
    return [(name, values + [None] if values[0] is not None else [None]) for name, values in out]


def _facts(atom: Atom, engagements) -> dict:
    kind, council, _school = engagements.get(atom.engagement, (None, None, None))
    return {
        "engagement": atom.engagement,
        "kind": kind,
        "council": council,
        "school": atom.school,
        "group": atom.in_group,
        "locale": atom.locale,
        "subgroup": atom.race,
    }


def _match(name, value, facts) -> bool:
    if value is None:
        return True
    fact = facts[name]
    if name == "engagement":
        return fact in value
    if name == "group":
        return fact
    if name == "subgroup" and value == "focus":
        return fact in FOCUS
    return fact == value


# --------------------------------------------------------------------------------------
# Protecting a view
# --------------------------------------------------------------------------------------

_PAGE_PARTS = ("responses", "groups", "written", "themes")


def left_out(filters: SummaryFilters, k: int) -> int:
    """1..k-1 when a broader view, or the engagement pages the view holds, would single out
    that many of its people by subtraction; 0 otherwise (and for pages and snapshots)."""
    if not compared(filters) or k <= 1:
        return 0
    return Views.load(periods.snap(filters), k).left_out()


def flag_parts(filters: SummaryFilters) -> tuple[str, ...]:
    """The grouped queries `withheld` needs for this view (a filter on a stakeholder group
    needs the group counts of the view without it)."""
    return ("responses", "groups") if filters.group_id is not None else ("responses",)


def withheld(views: Views, own: int = 0) -> bool:
    """Rules 1 and 6: is the view `own` (V by default) withheld as a whole?"""
    return bool(views.left_out(own)) or parent_hides_total(views, own)


def protect(summary: Summary, k: int) -> Summary:
    """Apply rules 1-6 to a summary built for a compared view (in place)."""
    filters = summary.filters
    if not compared(filters) or k <= 1 or summary.too_small:
        return summary
    views = Views.load(filters, k, _PAGE_PARTS)
    if withheld(views):
        summary.complement_too_small = True
        return blank_if_too_small(summary)
    tables = [_with_domain(views, 0, t) for t in stats.tables(summary) if _compared_table(t)]
    hidden = _hidden_names(views, 0, tables, stats.hidden_names(summary), k)
    return stats.add_hidden(stats.hide(summary, hidden), hidden)


def _with_domain(views: Views, own: int, table: stats.Table) -> stats.Table:
    """A table whose cells add up, with the cells the view shows as 0 (it does not list
    them) but a broader view counts: a 0 is a shown number too (rule 2)."""
    if not table.partition:
        return table
    prefix = f"{table.name}/"
    extra = set()
    for combo in views.ancestors(own):
        extra |= {n for n in views.series[combo] if n.startswith(prefix)}
    extra -= set(table.keys)
    return stats.Table(table.name, table.base, table.keys + tuple(sorted(extra)), True)


def _compared_table(table) -> bool:
    return not table.name.startswith(("option/", "agree/")) and table.name != "attendance_group"


# Person-level filters: (lattice field, breakdown whose cells it selects).
_CELL_FILTERS = (
    ("school", "school"),
    ("locale", "language"),
    ("subgroup", "subgroup"),
    ("group", "group"),
)


def parent_hides_total(views: Views, own: int = 0) -> bool:
    """Rule 6: is the total of `own` a cell (or cells) that a view without one of its
    filters on people hides? That view's hidden cells are worked out here from the same
    counts, by the same rules, as its own page would."""
    combo = dict(zip(views.names, views.combos[own], strict=True))
    for field_name, dimension in _CELL_FILTERS:
        value = combo[field_name]
        if value is None:
            continue
        for parent in views.widened(own, field_name):
            if views.value("responses", parent) < views.k or withheld(views, parent):
                continue  # the parent shows nothing
            selected = _selected_keys(field_name, value, views, parent, dimension)
            table = _with_domain(views, parent, _table(views, parent, dimension))
            start = _own_start(views, parent, table)
            hidden = _hidden_names(views, parent, [table], start, views.k)
            hidden &= set(table.keys)
            partition = dimension in stats.PARTITIONS
            if hidden & selected and (not partition or hidden - selected):
                return True
    return False


def _table(views: Views, own: int, dimension: str) -> stats.Table:
    """The breakdown `dimension` of the view `own`, its cells in its page's order."""
    names = [n for n in views.series[own] if n.startswith(f"{dimension}/")]
    names = [n for n in names if views.value(n, own) > 0]
    names.sort(key=lambda n: _ORDER.get(dimension, _by_code)(n.split("/", 1)[1], views))
    return stats.Table(dimension, "responses", tuple(names), dimension in stats.PARTITIONS)


def _by_code(code, views):
    return (0, code)


def _school_order(code, views):
    if code == NOT_STATED:
        return (1, 0)
    return (0, views.school_ids.get(code, 0))


def _race_order(code, views):
    order = [str(r) for r in labels.RACE_ETHNICITY]
    return (0, order.index(code)) if code in order else (1, 0)


# The order of a breakdown's cells on its page (engagement.summary.build): complementary
# suppression picks among equal cells by position, so the same order gives the same choice.
_ORDER = {"school": _school_order, "subgroup": _race_order}


def _own_start(views: Views, own: int, table: stats.Table) -> set[str]:
    """What the view's own page hides in `table` before the rules: small counts, and their
    complements where the cells add up (engagement.summary.build)."""
    items = [(n, n, views.value(n, own)) for n in table.keys]
    total = views.value("responses", own)
    cells = protected_cells(items, total, views.k, table.partition)
    return {c.key for c in cells if c.suppressed}


def _selected_keys(field_name, value, views, parent, dimension) -> set[str]:
    """The cell names of the parent's breakdown that the filter `value` keeps."""
    if field_name == "school":
        return {f"school/{views.school_codes.get(value, value)}"}
    if field_name == "group":
        return {f"group/{views.group_codes.get(value, value)}"}
    if field_name == "subgroup" and value == "focus":
        return {f"subgroup/{r}" for r in FOCUS}
    return {f"{dimension}/{value}"}


def _hidden_names(views: Views, own: int, tables, start: set[str], k: int) -> set[str]:
    """The names the view `own` must hide in `tables`, starting from `start` (what its own
    suppression hides)."""
    hidden = set(start)
    singles = [] if own else ["written", "focus_base", "english_base", "non_english_base"]
    mine = {name: views.value(name, own) for t in tables for name in t.keys}
    mine.update({name: views.value(name, own) for name in [*singles, "responses"]})
    held = views.pages(own)
    pages = {eng: _page_hidden(counts, tables, k) for eng, counts in held.items()}
    zeros = {name for t in tables if t.partition for name in t.keys if not mine[name]}
    checked: set[str] = set()
    while True:
        before = set(hidden)
        for name, n in mine.items():  # rule 2, a shown 0 in a table that adds up included
            if name not in hidden and name not in checked and (n or name in zeros):
                checked.add(name)
                if views.isolated([name], own):
                    hidden.add(name)
        for table in tables:
            if table.partition:
                _difference_mass(table, hidden, mine, views, own)  # rule 3
            _linked(table, hidden, mine, held, pages, k)  # rule 4
            if table.partition:
                _own(table, hidden, mine, k)  # rule 5
        for name in singles:
            _linked_cell(name, hidden, mine, held, pages, k)
        if hidden == before:
            return hidden


def _difference_mass(table, hidden, mine, views, own):
    keys = [name for name in table.keys if name in hidden]
    while keys and views.isolated(keys, own):
        shown = [n for n in table.keys if n not in hidden and mine.get(n, 0) > 0]
        if not shown:
            return
        extra = min(shown, key=lambda n: (mine[n], n))
        hidden.add(extra)
        keys.append(extra)


def _own(table, hidden, mine, k):
    values = [mine.get(name, 0) for name in table.keys]
    total = mine.get(table.base, 0)
    if not values or total < sum(values):
        return
    forced = [i for i, name in enumerate(table.keys) if name in hidden]
    result = suppress_1d(values, k, total, forced=forced, total_hidden=table.base in hidden)
    hidden.update(name for name, h in zip(table.keys, result.cells, strict=True) if h)


def _linked(table, hidden, mine, held, pages, k):
    if not held:
        return
    for name in table.keys:
        _linked_cell(name, hidden, mine, held, pages, k)
    if not table.partition:
        return
    engagements = sorted(held)
    rows = [[held[e].get(name, 0) for name in table.keys] for e in engagements]
    rest = [mine.get(name, 0) - sum(row[j] for row in rows) for j, name in enumerate(table.keys)]
    cells = [
        (i, j)
        for i, e in enumerate(engagements)
        for j, name in enumerate(table.keys)
        if name in pages[e]
    ]
    free = [len(rows)] if any(rest) else []
    grid = rows + ([rest] if free else [])
    cols = {j for j, name in enumerate(table.keys) if name in hidden}
    for j in protect_columns(grid, k, cells, free, cols):
        hidden.add(table.keys[j])


def _linked_cell(name, hidden, mine, held, pages, k):
    """An overlap cell (or a margin other than the total) as the sum of the engagement
    pages' cells and the rest: hidden when the part not shown by the pages is 1..k-1, when
    one page's hidden cell would be the difference, or when subtracting some shown pages
    leaves 1..k-1."""
    if name in hidden or not held or not mine.get(name):
        return
    secret = [held[e].get(name, 0) for e in held if name in pages[e]]
    rest = mine.get(name, 0) - sum(p.get(name, 0) for p in held.values())
    mass = sum(secret) + rest
    pinned = rest == 0 and secret and (len(secret) == 1 or mass == len(secret))
    shown = [[p.get(name, 0)] for e, p in held.items() if name not in pages[e]]
    if is_small(mass, k) or pinned or subtraction_isolates(mine[name], shown, k):
        hidden.add(name)


def _page_hidden(counts, tables, k) -> set[str]:
    """What an engagement's own page hides (engagement.summary.build's rules, by name):
    complementary suppression in the partition tables, small counts elsewhere, and the
    English / other-languages pairs hidden together."""
    hidden = set()
    total = counts.get("responses", 0)
    for table in tables:
        keys = [name for name in table.keys if counts.get(name, 0) > 0]
        items = [(name, name, counts[name]) for name in keys]
        partition = table.name in stats.PARTITIONS
        cells = protected_cells(items, total if table.base == "responses" else None, k, partition)
        hidden.update(c.key for c in cells if c.suppressed)
    for name in ("written", "focus_base", "english_base", "non_english_base"):
        if is_small(counts.get(name, 0), k):
            hidden.add(name)
    for name in list(hidden):
        other = _PAIRED.get(name.split("/")[0])
        if other:
            twin = other + name[name.index("/") :] if "/" in name else other
            if counts.get(twin, 0):
                hidden.add(twin)
    return hidden


# English and other-language counts of one whole are hidden together (build.pair).
_PAIRED = {
    "english": "non_english",
    "non_english": "english",
    "english_base": "non_english_base",
    "non_english_base": "english_base",
}
