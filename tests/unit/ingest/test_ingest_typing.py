"""``typed_select`` types raw text the one agreed way; checked against hand-worked values."""

from __future__ import annotations

from datetime import date

import duckdb
from ingest_fixtures import DEMO_TABLE as TABLE

from kinsight.ingest.typing import META_COLUMNS, staged_select, typed_select, untypeable_sql

RAW = [
    # D, I, N, B, C, S
    ("01/02/2024", "12", "3.5", "true", " u4 ", " keep Case "),
    ("2024-02-29", " -7 ", "10", "0", "K2", ""),
    ("1/2/2024", "12.5", "abc", "maybe", "ZZ", None),
    ("31/02/2024", "x", "1e3", "FALSE", None, "  "),
    ("01/02/24", None, ".5", "1", "", "x"),
]


def _relation() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE raw (D VARCHAR, I VARCHAR, N VARCHAR, B VARCHAR, C VARCHAR, S VARCHAR, _row INTEGER)"
    )
    con.executemany(
        "INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?)", [[*r, i] for i, r in enumerate(RAW, start=1)]
    )
    return con


def test_values_are_typed_as_hand_worked() -> None:
    con = _relation()
    rows = con.sql(
        typed_select(TABLE, "raw", ["D", "I", "N", "B", "C", "S", "_row"]) + " ORDER BY _row"
    ).fetchall()
    got = [r[len(META_COLUMNS) :] for r in rows]  # skip meta columns
    assert got == [
        (date(2024, 2, 1), 12, 3.5, True, "U4", "keep Case"),
        (date(2024, 2, 29), -7, 10.0, False, "K2", None),
        (date(2024, 2, 1), None, None, None, "ZZ", None),
        (None, None, None, False, None, None),
        (None, None, 0.5, True, None, "x"),
    ]
    assert [r[1] for r in rows] == [1, 2, 3, 4, 5]


def test_missing_columns_come_out_as_typed_nulls() -> None:
    con = duckdb.connect()
    sql = typed_select(TABLE, "(SELECT '05/04/2025' AS D)", ["D"])
    rel = con.sql(sql)
    assert rel.fetchall() == [(*(None,) * len(META_COLUMNS), date(2025, 4, 5), None, None, None, None, None)]
    types = dict(zip(rel.columns, [str(t) for t in rel.types], strict=True))
    assert types["I"] == "INTEGER" and types["B"] == "BOOLEAN" and types["_row"] == "INTEGER"


def test_untypeable_values_and_unknown_codes_are_listed_by_row_and_field() -> None:
    con = _relation()
    columns = ["D", "I", "N", "B", "C", "S", "_row"]
    con.execute(f"CREATE TABLE stage AS {staged_select(TABLE, 'raw', columns)}")
    sql = untypeable_sql(TABLE, "stage", {"cs": ["U4", "K2"]}, columns)
    assert sql is not None
    found = sorted((r[0], r[1], r[2]) for r in con.sql(sql).fetchall())
    assert found == [
        (3, "B", "bad_boolean"),
        (3, "C", "unknown_code"),
        (3, "I", "bad_number"),
        (3, "N", "bad_number"),
        (4, "D", "bad_date"),
        (4, "I", "bad_number"),
        (4, "N", "bad_number"),
        (5, "D", "bad_date"),
    ]
