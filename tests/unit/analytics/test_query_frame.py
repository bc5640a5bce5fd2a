"""``query_frame`` (polars reading DuckDB's Arrow stream) gives what DuckDB's own ``.pl()`` gives."""

from __future__ import annotations

import duckdb
import pytest

from kinsight.analytics.store import query_frame

QUERIES = [
    "SELECT * FROM t",
    "SELECT * FROM t WHERE 1 = 0",
    "SELECT CAST(NULL AS VARCHAR) AS x, CAST(NULL AS DATE) AS d",
    "SELECT code, count(*) AS n, min(day) AS first FROM t GROUP BY code ORDER BY code",
    "SELECT day + INTERVAL 1 DAY AS ts, 2.5::DECIMAL(5, 2) AS m, [1, 2] AS l, flag FROM t",
]


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (code VARCHAR, day DATE, n INTEGER, v DOUBLE, flag BOOLEAN)")
    con.execute(
        "INSERT INTO t VALUES ('A', DATE '2024-03-31', 1, 0.5, true), (NULL, NULL, NULL, NULL, NULL),"
        " ('B', DATE '2020-02-29', -3, 1e300, false)"
    )
    return con


@pytest.mark.parametrize("query", QUERIES)
def test_same_frame_as_duckdb_pl(con: duckdb.DuckDBPyConnection, query: str) -> None:
    got, want = query_frame(con, query), con.sql(query).pl()
    assert got.schema == want.schema
    assert got.equals(want)


def test_parameters_are_passed(con: duckdb.DuckDBPyConnection) -> None:
    assert query_frame(con, "SELECT n FROM t WHERE code = ?", ["B"])["n"].to_list() == [-3]
