"""Small-group protection: primary and complementary cell suppression.

Policy (what a reader of a published table may learn):
- A count from 1 to k-1 respondents (k = MIN_GROUP_SIZE) is never shown ("fewer than k"),
  nor are shares or quotes built from it.
- Zeros are shown, except in a row or column whose total is itself below k (there a zero
  would tell what every member of a small group answered), and when the whole table total
  is below k (then nothing is shown).
- Complementary suppression: no hidden value can be derived exactly from the shown cells
  and totals. The attacker we guard against knows every shown number, the additivity of the
  table (cells sum to their totals), that counts are non-negative whole numbers, and that a
  hidden cell whose totals are both shown is not zero (because such zeros are published).
- Hidden mass: along a line (a row or column) whose total is shown, the hidden cells together
  hold 0 or at least k people. Otherwise the total minus the shown cells would single out a
  group of 1 to k-1 ("the 3 who are not in any shown language"), even if no hidden cell can
  be told apart from the others.

The check is exact: a hidden value is pinned down iff no cycle of hidden entries in the
table's flow network can move it (cell x_ij is an edge row_i -> col_j, row total R_i an
edge S -> row_i, column total C_j an edge col_j -> T, grand total an edge T -> S; every
solution differs from another by a circulation, which splits into simple cycles).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Table1D:
    """Suppression result for cells that add up to a total."""

    cells: list[bool]  # True = hidden
    total: bool


@dataclass(frozen=True)
class Table2D:
    cells: list[list[bool]]
    row_totals: list[bool]
    col_totals: list[bool]
    total: bool


def is_small(n: int | None, k: int) -> bool:
    """True for a count that must not be shown on its own (1..k-1)."""
    return n is not None and 0 < n < k


def suppress_independent(values: list[int], k: int) -> list[bool]:
    """Primary suppression only, for counts that do not add up to any shown total
    (e.g. themes or multi-choice options, where one respondent may count several times)."""
    return [is_small(v, k) for v in values]


def suppress_1d(
    values: list[int],
    k: int,
    total: int | None = None,
    forced=(),
    total_hidden: bool = False,
) -> Table1D:
    """Suppress cells that add up to `total` (default: their sum), complementary included.

    `total` may exceed the sum when some respondents are in no shown cell; the rest is
    then treated as one more hidden, unpublished cell. `forced` lists the indexes of cells
    hidden for a reason outside this table (a linked table, an earlier snapshot), and
    `total_hidden` hides the total the same way; complements are added around them.
    """
    values = list(values)
    total = sum(values) if total is None else total
    if total < sum(values):
        raise ValueError("total is smaller than the sum of its cells")
    if is_small(total, k):
        return Table1D([True] * len(values), True)
    rest = total - sum(values)
    # A 1-D table is a 1-row 2-D table whose row total is the grand total.
    table = [values + ([rest] if rest else [])]
    start = {("x", 0, j) for j in forced} | ({("g",)} if total_hidden else set())
    hidden = _suppress(table, k, rest_hidden=bool(rest), forced=start)
    cells = hidden.cells[0][: len(values)]
    return Table1D(cells, hidden.total or hidden.row_totals[0])


def suppress_2d(table: list[list[int]], k: int, forced=()) -> Table2D:
    """Suppress a table with row totals, column totals and a grand total. `forced` holds
    entries hidden from the start: ("x", i, j), ("r", i), ("c", j) or ("g",)."""
    if not table or not table[0]:
        return Table2D([[] for _ in table], [False] * len(table), [], False)
    return _suppress([list(row) for row in table], k, forced=set(forced))


def subtraction_isolates(total: int, rows: list[list[int]], k: int) -> bool:
    """True when `total` minus at most one shown value of each row can leave 1 to k-1.

    The rows are parts of the total that are published on their own (engagement pages in
    a council or a view across engagements); a row may have been shown with several values
    over time (its snapshots), of which a reader can subtract any one."""
    reach = {0}
    for values in rows:
        reach |= {s + v for s in reach for v in values if v > 0 and s + v <= total}
    return any(is_small(total - s, k) for s in reach)


def protect_columns(
    table: list[list[int]],
    k: int,
    hidden_cells=(),
    free_rows=(),
    hidden_cols=(),
) -> set[int]:
    """Column totals to hide in a linked table whose rows are already published.

    Rows are engagements (their own pages show their cells, with `hidden_cells` (i, j)
    hidden, and their totals); the column totals and the grand total are the counts of a
    view that holds them all (a council, or a staff view across engagements). Only column
    totals may still be hidden. `free_rows` are rows shown nowhere (people of the view in
    no row): their cells are unknown and may be zero, and keeping them hidden is not a goal.
    Returns the indexes of the column totals to hide, `hidden_cols` included.
    """
    if not table or not table[0]:
        return set(hidden_cols)
    m, n = len(table), len(table[0])
    rows = [sum(r) for r in table]
    cols = [sum(table[i][j] for i in range(m)) for j in range(n)]
    net = _Network(table, rows, cols, sum(rows))
    for i in free_rows:
        net.free |= {("r", i)} | {("x", i, j) for j in range(n)}
    for key in net.free:
        net.hide(key)
    for i, j in hidden_cells:
        net.hide(("x", i, j))
    for j in range(n):
        if j in hidden_cols or is_small(cols[j], k):
            net.hide(("c", j))
    while True:
        columns = [("c", j) for j in range(n) if ("c", j) not in net.hidden]
        if not columns:
            break
        pinned = next((e for e in sorted(net.hidden - net.free) if net.is_pinned(e)), None)
        if pinned is not None:
            extra = net.complement_for(pinned, among=columns)
        else:
            extra = net.mass_complement(k, among=columns, lines="columns")
        if extra is None:
            break
        net.hide(extra)
    return {j for j in range(n) if ("c", j) in net.hidden}


# --------------------------------------------------------------------------------------


def _suppress(table, k, rest_hidden=False, forced=frozenset()) -> Table2D:
    m, n = len(table), len(table[0])
    if m == 1 and n == 1:
        small = is_small(table[0][0], k) or bool(forced)
        return Table2D([[small]], [small], [small], small)
    rows = [sum(r) for r in table]
    cols = [sum(table[i][j] for i in range(m)) for j in range(n)]
    grand = sum(rows)
    if is_small(grand, k):
        return Table2D([[True] * n for _ in range(m)], [True] * m, [True] * n, True)

    net = _Network(table, rows, cols, grand)
    for i in range(m):
        for j in range(n):
            v = table[i][j]
            small_margin = is_small(rows[i], k) or is_small(cols[j], k)
            zero_margin = rows[i] == 0 or cols[j] == 0
            if is_small(v, k) or (v == 0 and small_margin and not zero_margin):
                net.hide(("x", i, j))
    for i in range(m):
        if is_small(rows[i], k):
            net.hide(("r", i))
    for j in range(n):
        if is_small(cols[j], k):
            net.hide(("c", j))
    if rest_hidden:
        net.hide(("x", 0, n - 1))
    for key in forced:
        net.hide(key)
    # In a one-row (or one-column) table a cell and its column (row) total are the same
    # published number, as are the row (column) total and the grand total.
    if m == 1:
        net.tie(("r", 0), ("g",))
        for j in range(n):
            net.tie(("x", 0, j), ("c", j))
    elif n == 1:
        net.tie(("c", 0), ("g",))
        for i in range(m):
            net.tie(("x", i, 0), ("r", i))

    while True:
        pinned = next((e for e in sorted(net.hidden) if net.is_pinned(e)), None)
        extra = net.complement_for(pinned) if pinned is not None else net.mass_complement(k)
        if extra is None:  # nothing pinned and no small hidden mass, or nothing left to hide
            break
        net.hide(extra)

    h = net.hidden
    return Table2D(
        [[("x", i, j) in h for j in range(n)] for i in range(m)],
        [("r", i) in h for i in range(m)],
        [("c", j) in h for j in range(n)],
        ("g",) in h,
    )


class _Network:
    """The table as a flow network; entries are keyed ("x",i,j), ("r",i), ("c",j), ("g",)."""

    def __init__(self, table, rows, cols, grand):
        self.m, self.n = len(rows), len(cols)
        self.rows, self.cols = rows, cols
        self.value, self.ends = {}, {}
        for i in range(self.m):
            self._add(("r", i), rows[i], "S", ("row", i))
            for j in range(self.n):
                self._add(("x", i, j), table[i][j], ("row", i), ("col", j))
        for j in range(self.n):
            self._add(("c", j), cols[j], ("col", j), "T")
        self._add(("g",), grand, "T", "S")
        self.hidden: set = set()
        self.ties: dict = {}
        self.free: set = set()  # unpublished entries: may be zero, need no protection

    def _add(self, key, value, tail, head):
        self.value[key] = value
        self.ends[key] = (tail, head)

    def tie(self, a, b):
        """`a` and `b` are the same published number: hidden together."""
        self.ties[a], self.ties[b] = b, a
        if a in self.hidden or b in self.hidden:
            self.hidden |= {a, b}

    def hide(self, key):
        self.hidden.add(key)
        if key in self.ties:
            self.hidden.add(self.ties[key])

    def lower_bound(self, key) -> int:
        """What the reader knows: hidden totals and hidden cells with both totals shown
        are non-zero (zeros there would be shown)."""
        if key in self.free:
            return 0
        if key[0] != "x":
            return 1
        _, i, j = key
        margins = {("r", i), ("c", j)} - {self.ties.get(key)}
        return 0 if margins & self.hidden else 1

    def _residual_path(self, start, goal, skip) -> bool:
        """Is there a path start -> goal along hidden edges, forward always, backward only
        where the value is above its lower bound (it may go down by one)?"""
        adjacency: dict = {}
        for key in self.hidden:
            if key == skip or (key in self.ties and self.ties[key] == skip):
                continue
            tail, head = self.ends[key]
            adjacency.setdefault(tail, []).append(head)
            if self.value[key] > self.lower_bound(key):
                adjacency.setdefault(head, []).append(tail)
        seen, queue = {start}, deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                return True
            for nxt in adjacency.get(node, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return False

    def _ends(self, key):
        """Ends of an entry; a tied pair is two edges in series, seen as one."""
        tail, head = self.ends[key]
        if key not in self.ties:
            return tail, head
        t2, h2 = self.ends[self.ties[key]]
        return (tail, h2) if head == t2 else (t2, head)

    def is_pinned(self, key) -> bool:
        """True when the published table fixes this hidden entry's value."""
        tail, head = self._ends(key)
        can_rise = self._residual_path(head, tail, key)
        can_fall = self.value[key] > self.lower_bound(key) and self._residual_path(tail, head, key)
        return not (can_rise or can_fall)

    def _lines(self):
        """(total, cells) of every row and column: the cells that add up to that total."""
        for i in range(self.m):
            yield ("r", i), [("x", i, j) for j in range(self.n)]
        for j in range(self.n):
            yield ("c", j), [("x", i, j) for i in range(self.m)]

    def mass_complement(self, k, among=None, lines="all"):
        """An entry to hide when the hidden cells of a line with a shown total hold 1 to k-1
        people together: the smallest shown non-zero cell of that line, or (`among` given:
        only those entries may be hidden) that line's total. None: no such line."""
        for total, cells in self._lines():
            if total in self.hidden or (lines == "columns" and total[0] != "c"):
                continue
            mass = sum(self.value[c] for c in cells if c in self.hidden)
            if is_small(mass, k):
                if among is not None:
                    if total in among:
                        return total
                    continue
                shown = [c for c in cells if c not in self.hidden and self.value[c] > 0]
                if shown:
                    return min(shown, key=lambda c: (self.value[c], c))
        return None

    def complement_for(self, key, among=None):
        """The next entry to hide so `key` can move: the smallest non-zero shown entry that
        frees it on its own (cells before totals), else the smallest one next to it."""
        tail, head = self.ends[key]
        # Zeros are never complements: a hidden cell with both totals shown is read as >= 1.
        pool = self.value if among is None else among
        shown = sorted(e for e in pool if e not in self.hidden and self.value[e] > 0)
        if not shown:
            return None

        def rank(e):
            near = bool({tail, head} & set(self.ends[e]))
            return (e[0] != "x", self.value[e], not near, e)

        for candidate in sorted(shown, key=rank):
            trial = set(self.hidden)
            self.hide(candidate)
            freed = not self.is_pinned(key)
            self.hidden = trial
            if freed:
                return candidate
        return min(shown, key=lambda e: (not ({tail, head} & set(self.ends[e])),) + rank(e))
