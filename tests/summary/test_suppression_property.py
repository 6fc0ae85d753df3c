"""Property tests: no hidden cell of a suppressed table can be derived from what is shown.

Reader model (see engagement/summary/suppression.py): the reader knows every shown cell and
total, that cells add up to their totals, that counts are whole numbers >= 0, and that a
hidden cell whose row and column totals are both shown is not zero (zeros there are shown).
Policy checked as well: every shown cell is 0 or >= k; zeros are shown only where no total
of their row or column is below k.
"""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagement.summary.suppression import suppress_1d, suppress_2d

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def can_move(table, hidden, entry, delta, maybe_zero=frozenset()):
    """Is there a table consistent with the published one where `entry` differs from its
    true value by `delta`? Depth-first search over the hidden cells, nearest values first.
    (Any two solutions differ by a sum of +-1 cycles, so +-1 moves decide derivability.)
    `maybe_zero`: cells ("x", i, j) and column totals ("c", j) the reader cannot assume
    non-zero although their totals are shown (a table left out of a page whole)."""
    m, n = len(table), len(table[0])
    rows = [sum(r) for r in table]
    cols = [sum(table[i][j] for i in range(m)) for j in range(n)]
    grand = sum(rows)
    h_cells, h_rows, h_cols, h_grand = hidden
    cap = grand if not h_grand else grand + 3
    unknown = [(i, j) for i in range(m) for j in range(n) if h_cells[i][j]]
    if entry[0] == "x":  # decide the moved cell first
        unknown.sort(key=lambda c: c != entry[1:])
    later = [set(unknown[idx + 1 :]) for idx in range(len(unknown))]
    target = {
        "x": lambda w, e: w[e[1]][e[2]],
        "r": lambda w, e: sum(w[e[1]]),
        "c": lambda w, e: sum(w[i][e[1]] for i in range(m)),
        "g": lambda w, e: sum(map(sum, w)),
    }
    true_value = target[entry[0]](table, entry)
    work = [row[:] for row in table]
    for i, j in unknown:
        work[i][j] = 0

    # Zeros are shown whenever the table is (grand total >= k): a hidden total is then >= 1.
    floor = 0 if h_grand else 1

    # A moved total is searched as if shown with its new value, so the search can prune.
    fix_rows, fix_cols = [not h for h in h_rows], [not h for h in h_cols]
    want_rows, want_cols = rows[:], cols[:]
    if entry[0] == "r":
        fix_rows[entry[1]], want_rows[entry[1]] = True, rows[entry[1]] + delta
    if entry[0] == "c":
        fix_cols[entry[1]], want_cols[entry[1]] = True, cols[entry[1]] + delta

    def ok_final():
        for i in range(m):
            r = sum(work[i])
            if (not h_rows[i] and r != rows[i]) or (h_rows[i] and r < floor):
                return False
        for j in range(n):
            c = sum(work[i][j] for i in range(m))
            low = 0 if ("c", j) in maybe_zero else floor
            if (not h_cols[j] and c != cols[j]) or (h_cols[j] and c < low):
                return False
        g = sum(map(sum, work))
        if (not h_grand and g != grand) or (h_grand and g < floor):
            return False
        return target[entry[0]](work, entry) == true_value + delta

    def dfs(idx):
        if idx == len(unknown):
            return ok_final()
        i, j = unknown[idx]
        low = 1 if not h_rows[i] and not h_cols[j] and not h_grand else 0
        if ("x", i, j) in maybe_zero:
            low = 0
        high = cap
        if fix_rows[i]:
            fixed = sum(work[i][jj] for jj in range(n) if jj != j and (i, jj) not in later[idx])
            high = min(high, want_rows[i] - fixed)
        if fix_cols[j]:
            fixed = sum(work[ii][j] for ii in range(m) if ii != i and (ii, j) not in later[idx])
            high = min(high, want_cols[j] - fixed)
        last_in_row = fix_rows[i] and all((i, jj) not in later[idx] for jj in range(n))
        last_in_col = fix_cols[j] and all((ii, j) not in later[idx] for ii in range(m))
        if entry == ("x", i, j):
            candidates = [table[i][j] + delta]
        elif last_in_row:  # the row total fixes the last hidden cell of the row
            candidates = [want_rows[i] - sum(work[i][jj] for jj in range(n) if jj != j)]
        elif last_in_col:
            candidates = [want_cols[j] - sum(work[ii][j] for ii in range(m) if ii != i)]
        else:
            candidates = sorted(range(low, high + 1), key=lambda v: abs(v - table[i][j]))
        for v in candidates:
            if v < low or v > high:
                continue
            work[i][j] = v
            if dfs(idx + 1):
                return True
        work[i][j] = 0
        return False

    return dfs(0)


def hidden_entries(hidden):
    h_cells, h_rows, h_cols, h_grand = hidden
    out = [("x", i, j) for i, row in enumerate(h_cells) for j, h in enumerate(row) if h]
    out += [("r", i) for i, h in enumerate(h_rows) if h]
    out += [("c", j) for j, h in enumerate(h_cols) if h]
    return out + ([("g",)] if h_grand else [])


def assert_protected(table, hidden, k):
    h_cells, h_rows, h_cols, h_grand = hidden
    m, n = len(table), len(table[0])
    rows = [sum(r) for r in table]
    cols = [sum(table[i][j] for i in range(m)) for j in range(n)]
    for i, j in itertools.product(range(m), range(n)):
        v = table[i][j]
        if not h_cells[i][j]:
            assert v == 0 or v >= k, (table, hidden)
            if v == 0:
                assert not (0 < rows[i] < k or 0 < cols[j] < k) or rows[i] == 0 or cols[j] == 0
    for i in range(m):
        assert h_rows[i] or rows[i] == 0 or rows[i] >= k
    for j in range(n):
        assert h_cols[j] or cols[j] == 0 or cols[j] >= k
    assert h_grand or sum(rows) == 0 or sum(rows) >= k
    pinned = [
        e
        for e in hidden_entries(hidden)
        if not (can_move(table, hidden, e, 1) or can_move(table, hidden, e, -1))
    ]
    assert not pinned, f"derivable: {pinned} in {table} hidden={hidden}"


@SETTINGS
@given(
    k=st.integers(2, 6),
    values=st.lists(st.integers(0, 12), min_size=1, max_size=5),
)
def test_1d_no_hidden_cell_is_derivable(k, values):
    result = suppress_1d(values, k)
    table = [values]
    hidden = ([result.cells], [result.total], result.cells, result.total)
    assert_protected(table, hidden, k)


@SETTINGS
@given(
    k=st.integers(2, 5),
    shape=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    data=st.data(),
)
def test_2d_no_hidden_cell_is_derivable(k, shape, data):
    m, n = shape
    table = [data.draw(st.lists(st.integers(0, 7), min_size=n, max_size=n)) for _ in range(m)]
    r = suppress_2d(table, k)
    assert_protected(table, (r.cells, r.row_totals, r.col_totals, r.total), k)


def test_small_total_hides_everything_even_zeros():
    result = suppress_1d([3, 0, 1], 5)
    assert result.cells == [True, True, True] and result.total


def test_single_small_cell_gets_a_complement():
    result = suppress_1d([20, 3, 30], 5)
    assert result.cells == [True, True, False] and not result.total


def test_two_ones_are_not_enough_to_hide_each_other():
    # 1 + 1 = 2 with both known to be non-zero pins both: a third cell must go.
    result = suppress_1d([1, 1, 10, 12], 5)
    assert sum(result.cells) == 3 and result.cells[:3] == [True, True, True]


def test_large_table_unchanged():
    r = suppress_2d([[10, 20], [30, 40]], 5)
    assert not any(map(any, r.cells)) and not any(r.row_totals + r.col_totals) and not r.total


def test_one_small_cell_in_2d_hides_a_rectangle():
    r = suppress_2d([[10, 3], [10, 10]], 5)
    assert r.cells == [[True, True], [True, True]] and not any(r.row_totals + r.col_totals)
