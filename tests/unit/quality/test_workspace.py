"""A year's workspace: rules on other cursors see it, the store's own tables stay where they are, and
closing it leaves the connection as it was."""

from __future__ import annotations

import duckdb

from kinsight.quality.context import YearContext

YEAR = "2025-26"


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ds_episodes AS SELECT * FROM (VALUES ('A', '2025-26', 1), ('B', '2024-25', 1),"
        " ('C', '2025-26', 2)) t(CHILD, collection_year, _row)"
    )
    return con


def _databases(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        r[0]
        for r in con.execute("SELECT database_name FROM duckdb_databases() WHERE NOT internal").fetchall()
    }


def test_a_cursor_sees_the_years_slices_params_and_macros() -> None:
    con = _store()
    ctx = YearContext(con, "ds", YEAR, ["episodes"], {"episodes"}, codesets={"sex": ["1", "2"]})
    ctx.ensure(["episodes", "episodes_last"])
    cursor = ctx.cursor()
    assert sorted(cursor.execute("SELECT CHILD FROM episodes").fetchall()) == [("A",), ("C",)]
    assert cursor.execute("SELECT CHILD FROM episodes_last").fetchall() == [("B",)]
    assert cursor.execute("SELECT year, last_year FROM params").fetchall() == [(YEAR, "2024-25")]
    assert sorted(cursor.execute("SELECT code FROM codeset('sex')").fetchall()) == [("1",), ("2",)]
    assert cursor.execute(
        "SELECT is_blank('  '), age_on(DATE '2010-06-01', DATE '2025-05-31')"
    ).fetchall() == [(True, 14)]
    cursor.close()
    ctx.close()


def test_a_table_created_without_a_schema_goes_to_the_store_and_closing_leaves_no_trace() -> None:
    con = _store()
    before_path = con.execute("SELECT current_setting('search_path')").fetchall()
    before_databases = _databases(con)
    ctx = YearContext(con, "ds", YEAR, ["episodes"], {"episodes"})
    ctx.ensure(["episodes"])
    assert ctx.database in _databases(con)
    con.execute("CREATE TABLE IF NOT EXISTS kept AS SELECT 1 AS x")  # as persisting findings does
    ctx.close()
    assert con.execute("SELECT current_setting('search_path')").fetchall() == before_path
    assert _databases(con) == before_databases
    assert con.execute("SELECT x FROM memory.main.kept").fetchall() == [(1,)]
    assert "episodes" not in {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
