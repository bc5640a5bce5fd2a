"""Derived relations (``episodes_seq`` ...) agree with a plain Python ordering of each child's episodes."""

from __future__ import annotations

import random
from datetime import date, timedelta

import duckdb
import pytest

from kinsight.quality.context import YearContext, derived_relations, derived_used

YEAR = "2025-26"


def _store(rows: list[tuple[str, date | None, date | None, str]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ds_episodes (CHILD VARCHAR, DECOM DATE, DEC DATE, RNE VARCHAR,"
        " collection_year VARCHAR, _row INTEGER, _file VARCHAR)"
    )
    if rows:
        con.executemany(
            "INSERT INTO ds_episodes VALUES (?, ?, ?, ?, ?, ?, 'e.csv')",
            [(c, s, e, r, YEAR, i + 1) for i, (c, s, e, r) in enumerate(rows)],
        )
    con.execute(
        "CREATE TABLE ds_header (CHILD VARCHAR, DOB DATE, collection_year VARCHAR, _row INTEGER, _file"
        " VARCHAR)"
    )
    return con


def _random_rows(seed: int) -> list[tuple[str, date | None, date | None, str]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(300):
        start = None if rng.random() < 0.05 else date(2025, 4, 1) + timedelta(days=rng.randrange(0, 40))
        end = None if start is None or rng.random() < 0.3 else start + timedelta(days=rng.randrange(0, 9))
        rows.append((f"C{rng.randrange(25)}", start, end, rng.choice("SPLTBU")))
    return rows


def _expected(rows: list[tuple[str, date | None, date | None, str]]) -> dict[int, tuple]:
    """row -> (seq_no, seq_from_end, count, prev row, next row, prev DEC, next RNE), computed by hand."""
    by_child: dict[str, list[int]] = {}
    for i, (child, *_rest) in enumerate(rows):
        by_child.setdefault(child, []).append(i + 1)
    out = {}
    for numbers in by_child.values():
        # DuckDB sorts NULL last both ascending and descending, so the two orders are spelled out separately.
        forward = sorted(numbers, key=lambda n: (rows[n - 1][1] is None, rows[n - 1][1] or date.min, n))
        backward = sorted(
            numbers, key=lambda n: (rows[n - 1][1] is None, -(rows[n - 1][1] or date.min).toordinal(), -n)
        )
        for k, n in enumerate(forward):
            prev_n = forward[k - 1] if k else None
            next_n = forward[k + 1] if k + 1 < len(forward) else None
            out[n] = (
                k + 1,
                backward.index(n) + 1,
                len(numbers),
                prev_n,
                next_n,
                rows[prev_n - 1][2] if prev_n else None,
                rows[next_n - 1][3] if next_n else None,
            )
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_episodes_seq_matches_a_hand_ordering(seed: int) -> None:
    rows = _random_rows(seed)
    con = _store(rows)
    ctx = YearContext(con, "ds", YEAR, ["episodes", "header"], {"episodes", "header"})
    ctx.ensure(["episodes_seq"])
    got = {
        r[0]: tuple(r[1:])
        for r in con.execute(
            "SELECT _row, seq_no, seq_from_end, seq_count, prev__row, next__row, prev_DEC, next_RNE FROM"
            " episodes_seq"
        ).fetchall()
    }
    assert got == _expected(rows)
    ctx.ensure(["final_episodes", "first_episodes"])
    finals = {r[0] for r in con.execute("SELECT _row FROM final_episodes").fetchall()}
    firsts = {r[0] for r in con.execute("SELECT _row FROM first_episodes").fetchall()}
    expected = _expected(rows)
    assert finals == {n for n, v in expected.items() if v[1] == 1}
    assert firsts == {n for n, v in expected.items() if v[0] == 1}
    ctx.close()


def test_child_ages_count_birthdays_on_the_day() -> None:
    con = _store([])
    con.executemany(
        "INSERT INTO ds_header VALUES (?, ?, ?, ?, 'h.csv')",
        [
            ("A", date(2010, 4, 1), YEAR, 1),
            ("B", date(2010, 4, 2), YEAR, 2),
            ("C", date(2011, 3, 31), YEAR, 3),
        ],
    )
    ctx = YearContext(con, "ds", YEAR, ["episodes", "header"], {"episodes", "header"})
    ctx.ensure(["child_ages"])
    got = dict(
        (c, (s, e))
        for c, s, e in con.execute("SELECT CHILD, age_at_start, age_at_end FROM child_ages").fetchall()
    )
    # 1 April 2025 and 31 March 2026, worked by hand
    assert got == {"A": (15, 15), "B": (14, 15), "C": (14, 15)}
    ctx.close()


def test_rule_sql_naming_a_derived_relation_is_detected() -> None:
    assert derived_used("SELECT * FROM episodes_seq e JOIN final_episodes f USING (CHILD)") == [
        "episodes_seq",
        "final_episodes",
    ]
    assert derived_used("SELECT * FROM episodes_sequel") == []
    assert set(derived_relations()) >= {"episodes_seq", "episodes_last_seq", "final_episodes", "child_ages"}
