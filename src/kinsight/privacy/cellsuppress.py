"""Secondary suppression for a two-way table of counts with (published or implied) margins.

The table is seen as a grid whose last row and column are the totals.  Every line that has a known
total gives one equation.  Suppressed cells are edges of a bipartite graph between row lines and
column lines (lines without an equation all meet in one "ground" vertex, since they constrain
nothing).  Moving values round a cycle of suppressed cells by +d/-d keeps every line total, so a
suppressed value on such a cycle cannot be worked out; one on no cycle is determined exactly.  Zeros
add a twist: a suppressed zero can only go up, so the cycle must pass it in the right direction
(see :func:`exposed`).

The method, in two greedy passes (not an optimal search):

1. every line with exactly one suppressed cell gets a second: the smallest eligible non-zero cell
   in that line, preferring one whose crossing line also has a single suppressed cell (one cell then
   protects two lines), and interior cells over totals;
2. any suppressed cell still exposed gets a cycle: the smallest eligible cell that closes one
   through it is suppressed too, repeated until no cell is exposed.

Zeros are used only when no non-zero cell will do.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass

from kinsight.errors import UsageError

Cell = tuple[int, int]
GROUND = ("g", -1)


@dataclass(frozen=True)
class Grid:
    """Values of the full grid (interior plus margins) and which lines carry an equation.

    ``values[i][j]`` for ``i`` in 0..rows and ``j`` in 0..cols: index ``rows`` is the total row,
    ``cols`` the total column.  ``present`` marks cells that exist (a margin may not exist), and
    ``eligible`` the cells that may be suppressed (implied margins may not: they are not published
    but an intruder may know them).
    """

    values: Sequence[Sequence[float]]
    present: Sequence[Sequence[bool]]
    eligible: Sequence[Sequence[bool]]
    row_equations: Sequence[bool]  # per row line 0..rows
    col_equations: Sequence[bool]  # per column line 0..cols

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0]) if self.values else 0


def _row_vertex(grid: Grid, i: int) -> tuple[str, int]:
    return ("r", i) if grid.row_equations[i] else GROUND


def _col_vertex(grid: Grid, j: int) -> tuple[str, int]:
    return ("c", j) if grid.col_equations[j] else GROUND


def secondary_suppression(grid: Grid, primary: set[Cell]) -> set[Cell]:
    """The extra cells to suppress so that no cell in ``primary`` (or added) can be recovered."""
    suppressed = set(primary)
    n_rows, n_cols = grid.shape
    for _ in range(n_rows * n_cols + 1):
        added = _complete_lines(grid, suppressed) or _close_cycles(grid, suppressed)
        if not added:
            return suppressed - set(primary)
    raise UsageError("secondary suppression did not settle", hint="Report this table to the Kinsight team.")


def _line_cells(grid: Grid, kind: str, index: int) -> list[Cell]:
    n_rows, n_cols = grid.shape
    cells = [(index, j) for j in range(n_cols)] if kind == "r" else [(i, index) for i in range(n_rows)]
    return [c for c in cells if grid.present[c[0]][c[1]]]


def _is_margin(grid: Grid, cell: Cell) -> bool:
    n_rows, n_cols = grid.shape
    return cell[0] == n_rows - 1 or cell[1] == n_cols - 1


def _pinned(grid: Grid, cell: Cell) -> bool:
    """A zero that no cycle can ever move: every published value of its row (or column) is zero and
    that line's total cannot be hidden.  Raising it would push another cell of the line below zero, so
    hiding it protects nothing and an intruder recovers it exactly; it is never chosen as a secondary.
    """
    i, j = cell
    if grid.values[i][j] != 0 or _is_margin(grid, cell):
        return False
    n_rows, n_cols = grid.shape

    def all_zero(cells: list[Cell], total: Cell) -> bool:
        movable_total = grid.present[total[0]][total[1]] and grid.eligible[total[0]][total[1]]
        return not movable_total and all(grid.values[a][b] == 0 for a, b in cells if grid.present[a][b])

    row = grid.row_equations[i] and all_zero([(i, k) for k in range(n_cols)], (i, n_cols - 1))
    col = grid.col_equations[j] and all_zero([(k, j) for k in range(n_rows)], (n_rows - 1, j))
    return row or col


def _candidate_key(grid: Grid, cell: Cell, suppressed: set[Cell], cross: tuple[str, int]) -> tuple:
    value = grid.values[cell[0]][cell[1]]
    cross_count = sum(1 for c in _line_cells(grid, *cross) if c in suppressed) if cross != GROUND else 0
    return (value == 0, cross_count != 1, _is_margin(grid, cell), value, cell)


def _complete_lines(grid: Grid, suppressed: set[Cell]) -> bool:
    """Pass 1: give every line with one suppressed cell a second one.  True if a cell was added."""
    n_rows, n_cols = grid.shape
    lines = [("r", i) for i in range(n_rows) if grid.row_equations[i]]
    lines += [("c", j) for j in range(n_cols) if grid.col_equations[j]]
    added = False
    for kind, index in lines:
        cells = _line_cells(grid, kind, index)
        if sum(1 for c in cells if c in suppressed) != 1:
            continue
        options = [
            c for c in cells if c not in suppressed and grid.eligible[c[0]][c[1]] and not _pinned(grid, c)
        ]
        if not options:
            continue  # pass 2 looks wider: the lone cell gets a cycle through other lines
        best = min(
            options,
            key=lambda c: _candidate_key(grid, c, suppressed, ("c", c[1]) if kind == "r" else ("r", c[0])),
        )
        suppressed.add(best)
        added = True
    return added


Vertex = tuple[str, int]


def _arcs(grid: Grid, cell: Cell) -> list[tuple[Vertex, Vertex]]:
    """The directions a suppressed cell can move along a cycle without going below zero.

    Moving round a cycle, a cell traversed row → column goes up by d and one traversed column → row
    goes down.  A non-zero cell can go either way; a zero can only go up.  Margins enter the line
    equations with the opposite sign, so a zero total (in just one margin) may only be traversed the
    other way; the grand total sits in both margins and keeps the interior's direction.
    """
    a, b = _row_vertex(grid, cell[0]), _col_vertex(grid, cell[1])
    if grid.values[cell[0]][cell[1]] != 0:
        return [(a, b), (b, a)]
    n_rows, n_cols = grid.shape
    flipped = (cell[0] == n_rows - 1) != (cell[1] == n_cols - 1)
    return [(b, a)] if flipped else [(a, b)]


def _reach(
    arcs: dict[Cell, list[tuple[Vertex, Vertex]]], start: Vertex, skip: Cell, forward: bool
) -> set[Vertex]:
    adjacency: dict[Vertex, list[Vertex]] = defaultdict(list)
    for cell, pairs in arcs.items():
        if cell == skip:
            continue
        for u, v in pairs:
            if forward:
                adjacency[u].append(v)
            else:
                adjacency[v].append(u)
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in adjacency[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def exposed(grid: Grid, suppressed: set[Cell]) -> list[Cell]:
    """Suppressed cells whose value the published cells and totals pin down exactly.

    A cell is safe when it lies on a cycle of suppressed cells that can be followed in the directions
    each cell may move (:func:`_arcs`); then the whole cycle can shift by a small amount and every
    total stays the same.  Otherwise its value is determined.
    """
    arcs = {cell: _arcs(grid, cell) for cell in suppressed}
    found = []
    for cell in sorted(suppressed):
        if not any(
            tail == head or tail in _reach(arcs, head, cell, forward=True) for tail, head in arcs[cell]
        ):
            found.append(cell)
    return found


def _close_cycles(grid: Grid, suppressed: set[Cell]) -> bool:
    """Pass 2: put the first exposed cell on a cycle with the cheapest joining cell.  True if added."""
    found = exposed(grid, suppressed)
    if not found:
        return False
    cell = found[0]
    arcs = {c: _arcs(grid, c) for c in suppressed}
    n_rows, n_cols = grid.shape
    options = []
    for tail, head in arcs[cell]:
        after = _reach(arcs, head, cell, forward=True)  # where we can get to after crossing the cell
        before = _reach(arcs, tail, cell, forward=False)  # where we must come from to reach its tail
        for i in range(n_rows):
            for j in range(n_cols):
                if (i, j) in suppressed or not grid.present[i][j] or not grid.eligible[i][j]:
                    continue
                if _pinned(grid, (i, j)):
                    continue
                if any(u in after and v in before for u, v in _arcs(grid, (i, j))):
                    value = grid.values[i][j]
                    options.append((value == 0, _is_margin(grid, (i, j)), value, (i, j)))
    if not options:
        raise UsageError(
            "this table cannot be protected: a suppressed count could still be worked out from its totals",
            hint="Publish a coarser table (merge small rows or columns) or withhold it.",
        )
    suppressed.add(min(options)[3])
    return True
