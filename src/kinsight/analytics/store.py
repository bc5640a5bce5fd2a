"""Small helpers for reading the typed store tables without assuming every table is held."""

from __future__ import annotations

import duckdb


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    rows = con.execute(
        "SELECT 1 FROM information_schema.tables WHERE lower(table_name) = lower(?)", [name]
    ).fetchall()
    return bool(rows)


def columns(con: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    """Upper-cased column names of a table (DuckDB identifiers are case-insensitive)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE lower(table_name) = lower(?)", [name]
    ).fetchall()
    return {str(r[0]).upper() for r in rows}


def column_or_null(present: set[str], name: str, sql_type: str = "VARCHAR") -> str:
    """``name`` if the table has it, else a typed NULL under that name (older years lack some fields)."""
    return name if name.upper() in present else f"CAST(NULL AS {sql_type}) AS {name}"
