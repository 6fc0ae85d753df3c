"""An independent checker of the summary's privacy property (engagement/summary/__init__.py).

It knows nothing of how the summary decides what to hide. Given the people a view counts
(computed here from the test's own records) and the numbers the view shows, it checks:

1. every shown number is the true count of its people, and 0 or at least k;
2. pairs: for two views whose people are nested (B's inside A's), every count both show
   differs by 0 or at least k -- also every group of cells a reader can add up or subtract
   from a shown total in both views (a "derivable union") where asked;
3. tables: in each table whose cells add up to a shown total, no hidden cell can be worked
   out (a brute-force search for another table consistent with what is shown, from
   tests/summary/test_suppression_property.py);
4. linked tables: engagement pages as rows and a view holding them as column totals, the
   same search over the 2-D table.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from tests.summary.test_suppression_property import can_move

FOCUS = {"black", "hispanic_latinx", "multiracial", "american_indian_alaska_native"}
FOCUS |= {"native_hawaiian_pacific_islander"}
NOT_STATED = "not_stated"


@dataclass(frozen=True)
class Person:
    """One response as the test made it."""

    id: int
    engagement: int
    locale: str = "en"
    channel: str = "web"
    school: str = NOT_STATED
    race: str | None = None
    groups: frozenset = frozenset()
    lang: str | None = None  # language of the written answer; None: nothing written
    themes: frozenset = frozenset()
    likert: str | None = None
    week: int = 0


def true_count(name: str, people) -> int:
    """What a count named `name` (engagement/summary/stats.py names) must be."""
    head, _sep, rest = name.partition("/")
    written = [p for p in people if p.lang is not None]
    tests = {
        "responses": lambda p: True,
        "participants": lambda p: True,  # the test data has no events: no headcounts
        "attendance": lambda p: False,
        "attendance_group": lambda p: False,
        "written": lambda p: p.lang is not None,
        "focus_base": lambda p: p.lang is not None and p.race in FOCUS,
        "english_base": lambda p: p.lang == "en",
        "non_english_base": lambda p: p.lang is not None and p.lang != "en",
        "language": lambda p: p.locale == rest,
        "channel": lambda p: p.channel == rest,
        "school": lambda p: p.school == rest,
        "subgroup": lambda p: (p.race or NOT_STATED) == rest,
        "group": lambda p: rest in p.groups,
        "theme": lambda p: rest in p.themes,
        "focus": lambda p: rest in p.themes and p.race in FOCUS,
        "english": lambda p: rest in p.themes and p.lang == "en",
        "non_english": lambda p: rest in p.themes and p.lang not in (None, "en"),
        # Only the Likert question "informed" is ever answered in the test data.
        "answered": lambda p: rest == "informed" and p.likert is not None,
        "option": lambda p: rest.startswith("informed/") and p.likert == rest.split("/")[1],
        "agree": lambda p: rest == "informed" and p.likert in ("4", "5"),
    }
    test = tests.get(name) or tests[head]
    pool = written if head in ("theme", "focus", "english", "non_english") else people
    return sum(1 for p in pool if test(p))


# Tables whose cells add up to a total, with every cell the test's data can produce.
PARTITIONS = {
    "language": ("responses", ["en", "es", "ar"]),
    "channel": ("responses", ["web", "qr", "paper", "staff_entry"]),
    "school": ("responses", ["burbank", "butler", NOT_STATED]),
    "subgroup": ("responses", ["white", "black", NOT_STATED]),
    "option/informed": ("answered/informed", ["1", "2", "3", "4", "5"]),
}


@dataclass
class View:
    """What a reader sees: the numbers shown (None: hidden) over a set of people."""

    label: str
    people: frozenset  # ids
    values: dict  # name -> int | None; a name not listed in a listed table is a shown 0
    withheld: bool = False
    dimensions: set = field(default_factory=set)  # tables the view lists (e.g. "language")

    def shown(self, name: str) -> int | None:
        if self.withheld:
            return None
        if name in self.values:
            return self.values[name]
        head = name.rsplit("/", 1)[0] if name.startswith("option/") else name.split("/")[0]
        return 0 if head in self.dimensions and self.values.get("responses") else None


def dimensions_of(values: dict) -> set:
    """The tables a set of shown names comes from (listed tables show every non-zero cell)."""
    out = set()
    for name in values:
        if name.startswith("option/"):
            out.add(name.rsplit("/", 1)[0])
        elif "/" in name:
            out.add(name.split("/")[0])
    return out


class Violation(AssertionError):
    pass


def check_view(view: View, people: dict, k: int):
    """Rule 1: shown numbers are true, and 0 or at least k."""
    members = [people[i] for i in view.people]
    for name, n in view.values.items():
        if n is None or view.withheld:
            continue
        true = true_count(name, members)
        if n != true:
            raise Violation(f"{view.label}: {name} shows {n}, true {true}")
        if 0 < n < k:
            raise Violation(f"{view.label}: {name} shows a small count {n}")


def check_pair(a: View, b: View, people: dict, k: int, unions: bool = False):
    """Rule 2 for b inside a."""
    assert b.people <= a.people
    if a.withheld or b.withheld:
        return
    for name in set(a.values) | set(b.values):
        va, vb = a.shown(name), b.shown(name)
        if va is not None and vb is not None and 0 < abs(va - vb) < k:
            raise Violation(f"{a.label} - {b.label}: {name} differs by {abs(va - vb)}")
    if not unions:
        return
    for table, (base, cells) in PARTITIONS.items():
        names = [f"{table}/{c}" for c in cells]
        if not all(v.shown(base) is not None for v in (a, b)):
            continue
        for size in range(1, len(names)):
            for group in itertools.combinations(names, size):
                if derivable(a, group, names) and derivable(b, group, names):
                    ta = sum(true_count(n, [people[i] for i in a.people]) for n in group)
                    tb = sum(true_count(n, [people[i] for i in b.people]) for n in group)
                    if 0 < abs(ta - tb) < k:
                        raise Violation(f"{a.label} - {b.label}: cells {group} differ by {ta - tb}")


def derivable(view: View, group, names) -> bool:
    """Can a reader work out how many people are in these cells together?"""
    rest = [n for n in names if n not in group]
    return all(view.shown(n) is not None for n in group) or all(
        view.shown(n) is not None for n in rest
    )


def _entries_hidden(hidden):
    cells, rows, cols, grand = hidden
    out = [("x", i, j) for i, row in enumerate(cells) for j, h in enumerate(row) if h]
    out += [("r", i) for i, h in enumerate(rows) if h]
    out += [("c", j) for j, h in enumerate(cols) if h]
    return out + ([("g",)] if grand else [])


def _pinned(table, hidden, entries, maybe_zero=frozenset()):
    """Hidden entries of 1 or more people that the shown ones fix (a hidden 0 tells of no
    one)."""
    value = {
        "x": lambda e: table[e[1]][e[2]],
        "c": lambda e: sum(row[e[1]] for row in table),
        "r": lambda e: sum(table[e[1]]),
        "g": lambda e: sum(map(sum, table)),
    }
    return [
        e
        for e in entries
        if value[e[0]](e)
        and not (
            can_move(table, hidden, e, 1, maybe_zero) or can_move(table, hidden, e, -1, maybe_zero)
        )
    ]


def check_tables(view: View, people: dict, k: int):
    """Rule 3: each table whose cells add up to a shown total."""
    if view.withheld:
        return
    members = [people[i] for i in view.people]
    for table, (base, cells) in PARTITIONS.items():
        if view.shown(base) is None or table not in view.dimensions:
            continue
        names = [f"{table}/{c}" for c in cells]
        values = [true_count(n, members) for n in names]
        if not sum(values):
            continue
        flags = [view.shown(n) is None for n in names]
        hidden = ([flags], [False], flags, False)
        entries = [e for e in _entries_hidden(hidden) if e[0] == "x"]
        # A hidden 0 (a count that must not be told apart from a small one) is possible.
        zero = frozenset(("x", 0, j) for j, v in enumerate(values) if flags[j] and not v)
        pinned = _pinned([values], hidden, entries, zero)
        if pinned:
            raise Violation(
                f"{view.label}: {table} hidden cells {pinned} can be worked out from {values}"
            )


def check_linked(whole: View, rows: list[View], people: dict, k: int):
    """Rule 4: `rows` (engagement pages inside `whole`) and `whole` as their column totals;
    people of `whole` in no row are one more row that is shown nowhere."""
    if whole.withheld or any(r.withheld for r in rows) or not rows:
        return
    inside = frozenset().union(*(r.people for r in rows))
    rest = whole.people - inside
    for table, (base, cells) in PARTITIONS.items():
        if whole.shown(base) is None or table not in whole.dimensions:
            continue
        names = [f"{table}/{c}" for c in cells]
        grid, flags, maybe_zero = [], [], set()
        for index, row in enumerate(rows):
            members = [people[i] for i in row.people]
            grid.append([true_count(n, members) for n in names])
            flags.append([row.shown(n) is None for n in names])
            if table not in row.dimensions:  # a table left out whole: its zeros are hidden
                maybe_zero |= {("x", index, j) for j in range(len(names))}
            maybe_zero |= {
                ("x", index, j) for j, f in enumerate(flags[-1]) if f and not grid[-1][j]
            }
        if rest:
            members = [people[i] for i in rest]
            grid.append([true_count(n, members) for n in names])
            flags.append([True] * len(names))
            maybe_zero |= {("x", len(rows), j) for j in range(len(names))}
        if table not in whole.dimensions:
            maybe_zero |= {("c", j) for j in range(len(names))}
        col_flags = [whole.shown(n) is None for n in names]
        totals = [sum(row[j] for row in grid) for j in range(len(names))]
        maybe_zero |= {("c", j) for j, f in enumerate(col_flags) if f and not totals[j]}
        for j, n in enumerate(names):  # a column shown as 0 tells every cell in it
            if whole.shown(n) == 0:
                for row in flags:
                    row[j] = False
        row_flags = [False] * len(rows) + ([True] if rest else [])
        hidden = (flags, row_flags, col_flags, False)
        entries = [
            e for e in _entries_hidden(hidden) if (e[0] == "x" and e[1] < len(rows)) or e[0] == "c"
        ]
        pinned = _pinned(grid, hidden, entries, frozenset(maybe_zero))
        if pinned:
            raise Violation(
                f"{whole.label}: linked {table} entries {pinned} can be worked out "
                f"from {grid} hidden {hidden}"
            )
