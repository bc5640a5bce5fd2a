"""Bad values found by the writer (a summary of each file, then a row-by-row check of the fields it flags)
are checked value by value against a plain Python check; and the one-pass ``problems_sql`` lists exactly
what the per-field ``untypeable_sql`` lists."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
from ingest_fixtures import DEMO_TABLE as TABLE
from ingest_fixtures import EPISODE_COLUMNS, expected_problems, write_csv

from kinsight.ingest import ingest_files
from kinsight.ingest.typing import problems_sql, staged_select, untypeable_sql

YEARS = ("2024-25", "2025-26")
GOOD_DATES = ["01/05/2024", "2024-06-30", "15/01/2025", "", "  "]
BAD_DATES = ["31/02/2025", "1/5/25", "banana", "15/13/2025"]


def _episodes(seed: int, rows: int, *, bad_decom: bool) -> list[list[str]]:
    """Episodes whose DEC is always a good date or blank; DECOM has bad dates only when asked."""
    rng = random.Random(seed)
    out = []
    for i in range(rows):
        row = {c: "" for c in EPISODE_COLUMNS}
        decom = rng.choice(GOOD_DATES + (BAD_DATES if bad_decom else []))
        row.update(CHILD=f"C{i % 50}", DECOM=decom, DEC=rng.choice(GOOD_DATES), RNE=rng.choice("SPLQx "))
        out.append([row[c] for c in EPISODE_COLUMNS])
    return out


def _expected(rows: list[list[str]], year: str) -> set[tuple[str, int, str, str]]:
    return {(year, *problem) for problem in expected_problems(rows, year)}


def test_bad_values_found_are_what_python_finds_in_each_year(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Last year's file is clean in DECOM, this year's is not: counts must be taken per file and year.
    files = {YEARS[0]: _episodes(1, 400, bad_decom=False), YEARS[1]: _episodes(2, 400, bad_decom=True)}
    for year, rows in files.items():
        write_csv(tmp_path / year / "episodes.csv", EPISODE_COLUMNS, rows)
    result = ingest_files(store, [tmp_path / year for year in YEARS])
    got = set(
        store.execute(
            'SELECT year, "row", field, code FROM _ingest_findings '
            "WHERE code IN ('bad_date', 'unknown_code')"
        ).fetchall()
    )
    expected = _expected(files[YEARS[0]], YEARS[0]) | _expected(files[YEARS[1]], YEARS[1])
    assert got == expected
    assert {f for _, _, f, c in expected if c == "bad_date"} == {"DECOM"}
    # Each table's finding count is what the store holds for it.
    for outcome in result.tables:
        held = store.execute(
            'SELECT count(*) FROM _ingest_findings WHERE year = ? AND "table" = ?',
            [outcome.year, outcome.table],
        ).fetchone()
        assert held is not None and outcome.findings == held[0]


def test_replacing_a_year_rechecks_only_the_new_file(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first = _episodes(3, 300, bad_decom=True)
    write_csv(tmp_path / YEARS[1] / "episodes.csv", EPISODE_COLUMNS, first)
    ingest_files(store, [tmp_path / YEARS[1]])
    second = _episodes(4, 250, bad_decom=True)
    write_csv(tmp_path / YEARS[1] / "episodes.csv", EPISODE_COLUMNS, second)
    result = ingest_files(store, [tmp_path / YEARS[1]])
    assert [t.outcome for t in result.tables] == ["replaced"]
    got = set(
        store.execute(
            'SELECT year, "row", field, code FROM _ingest_findings '
            "WHERE code IN ('bad_date', 'unknown_code')"
        ).fetchall()
    )
    assert got == _expected(second, YEARS[1])


def test_one_pass_lists_what_the_per_field_query_lists() -> None:
    rng = random.Random(5)
    pool = {
        "D": ["01/02/2024", "31/02/2024", "x", "", None],
        "I": ["12", "12.5", " 7 ", "a", None],
        "N": ["1.5", ".5", "1e3", "", None],
        "B": ["true", "0", "maybe", None],
        "C": ["u4", "K2", "ZZ", " ", None],
        "S": ["a", None],
    }
    rows = [[rng.choice(pool[c]) for c in TABLE.fields] + [i] for i in range(1, 301)]
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE raw (D VARCHAR, I VARCHAR, N VARCHAR, B VARCHAR, C VARCHAR, S VARCHAR, _row INT)"
    )
    con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    columns = [*TABLE.fields, "_row"]
    codes = {"cs": ["U4", "K2"]}
    con.execute(f"CREATE TABLE stage AS {staged_select(TABLE, 'raw', columns)}")
    per_field = untypeable_sql(TABLE, "stage", codes, columns)
    one_pass = problems_sql(TABLE, "stage", codes, columns)
    assert per_field is not None and one_pass is not None
    expected = sorted(con.sql(per_field).fetchall())
    assert sorted(con.sql(one_pass).fetchall()) == expected
    assert {r[2] for r in expected} == {"bad_date", "bad_number", "bad_boolean", "unknown_code"}
