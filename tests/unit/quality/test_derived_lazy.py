"""Derived relations compute only what the run's rules read, and the shared ones agree with hand pairings."""

from __future__ import annotations

import random
from datetime import date, timedelta

import duckdb

from kinsight.quality.context import YearContext

YEAR = "2025-26"
LAST = "2024-25"


def _store(rows: list[tuple[str, str, date | None, date | None, str]]) -> duckdb.DuckDBPyConnection:
    """``rows``: (year, child, DECOM, DEC, LS); ``_row`` numbers them within each year."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ds_episodes (CHILD VARCHAR, DECOM DATE, DEC DATE, LS VARCHAR, RNE VARCHAR,"
        " collection_year VARCHAR, _row INTEGER, _file VARCHAR)"
    )
    numbers: dict[str, int] = {}
    values = []
    for year, child, start, end, ls in rows:
        numbers[year] = numbers.get(year, 0) + 1
        values.append((child, start, end, ls, "P", year, numbers[year]))
    if values:
        con.executemany("INSERT INTO ds_episodes VALUES (?, ?, ?, ?, ?, ?, ?, 'e.csv')", values)
    return con


def _columns(con: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}


def test_a_planned_run_links_only_the_columns_its_sequence_rules_name() -> None:
    con = _store([(YEAR, "A", date(2025, 5, 1), None, "C2"), (YEAR, "A", date(2025, 4, 1), None, "C1")])
    ctx = YearContext(con, "ds", YEAR, ["episodes"], {"episodes"})
    ctx.plan(
        [
            "SELECT * FROM episodes_seq WHERE prev_LS = LS AND next_DECOM IS NULL",
            # its own aliases, not read from a sequence: no reason to link RNE
            "SELECT lag(RNE) OVER () AS prev_RNE FROM episodes",
        ]
    )
    ctx.ensure(["episodes_seq"])
    linked = {c for c in _columns(con, "episodes_seq") if c.startswith(("prev_", "next_"))}
    assert linked == {"prev_LS", "next_DECOM"}
    got = con.execute("SELECT _row, prev_LS, next_DECOM FROM episodes_seq ORDER BY _row").fetchall()
    # row 2 (1 April) comes first, row 1 (1 May) second
    assert got == [(1, "C1", None), (2, None, date(2025, 5, 1))]
    ctx.close()


def test_without_a_plan_every_column_is_linked() -> None:
    con = _store([(YEAR, "A", date(2025, 4, 1), None, "C1")])
    ctx = YearContext(con, "ds", YEAR, ["episodes"], {"episodes"})
    ctx.ensure(["episodes_seq"])
    assert {"prev_LS", "next_LS", "prev_RNE", "next_DEC", "prev__row"} <= _columns(con, "episodes_seq")
    ctx.close()


def _random_rows(seed: int) -> list[tuple[str, str, date | None, date | None, str]]:
    rng = random.Random(seed)
    rows = []
    for year, first in ((LAST, date(2024, 4, 1)), (YEAR, date(2025, 4, 1))):
        for _ in range(200):
            start = first + timedelta(days=rng.randrange(0, 20))
            end = None if rng.random() < 0.3 else start + timedelta(days=rng.randrange(0, 5))
            rows.append((year, f"C{rng.randrange(30)}", start, end, rng.choice(["C1", "C2", "V2"])))
    return rows


def test_carried_over_episodes_pairs_each_first_episode_with_last_years_open_ones() -> None:
    for seed in (1, 2, 3):
        rows = _random_rows(seed)
        con = _store(rows)
        ctx = YearContext(con, "ds", YEAR, ["episodes"], {"episodes"})
        ctx.ensure(["carried_over_episodes"])
        got = sorted(
            con.execute("SELECT _row, last_open._row, LS, last_open.LS FROM carried_over_episodes").fetchall()
        )
        numbered: dict[str, list[tuple[int, tuple]]] = {YEAR: [], LAST: []}
        for row in rows:
            numbered[row[0]].append((len(numbered[row[0]]) + 1, row))
        first: dict[str, date] = {}
        for _n, (_y, child, start, _e, _ls) in numbered[YEAR]:
            if start is not None and (child not in first or start < first[child]):
                first[child] = start
        expected = sorted(
            (n, m, ls, last_ls)
            for n, (_y, child, start, _e, ls) in numbered[YEAR]
            if start == first.get(child)
            for m, (_y2, last_child, _s, last_end, last_ls) in numbered[LAST]
            if last_child == child and last_end is None
        )
        assert got == expected and expected, seed
        ctx.close()
