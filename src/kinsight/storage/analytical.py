"""The analytical store: one DuckDB file in the Kinsight home, opened only here.

``open_store`` yields a connection with the bookkeeping tables in place (``_submissions``, ``_files``,
``_ingest_findings``, ``_catalogue_meta``, ``_changes``), so every capability can rely on them.  Data
tables (``raw_<dataset>_<table>`` and ``<dataset>_<table>``) are created by the ingest as needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kinsight.errors import ConfigurationError, NotFoundError

BOOKKEEPING_DDL = (
    """CREATE TABLE IF NOT EXISTS _submissions (
        submission_id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL, year VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL, files INTEGER NOT NULL, tables_loaded INTEGER NOT NULL,
        tables_unchanged INTEGER NOT NULL, findings INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS _files (
        submission_id INTEGER, dataset VARCHAR NOT NULL, "table" VARCHAR NOT NULL, year VARCHAR NOT NULL,
        file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, "rows" BIGINT NOT NULL, loaded_at TIMESTAMP NOT NULL,
        status VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS _ingest_findings (
        submission_id INTEGER, dataset VARCHAR, year VARCHAR, file VARCHAR, "row" INTEGER, field VARCHAR,
        "table" VARCHAR, code VARCHAR NOT NULL, message VARCHAR NOT NULL, severity VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS _catalogue_meta (
        dataset VARCHAR PRIMARY KEY, owner VARCHAR, source VARCHAR, updated_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS _changes (
        submission_id INTEGER, dataset VARCHAR NOT NULL, "table" VARCHAR NOT NULL, year VARCHAR NOT NULL,
        file VARCHAR NOT NULL, old_sha256 VARCHAR NOT NULL, new_sha256 VARCHAR NOT NULL,
        old_rows BIGINT NOT NULL, new_rows BIGINT NOT NULL, changed_at TIMESTAMP NOT NULL)""",
)


BOOKKEEPING_TABLES = ("_submissions", "_files", "_ingest_findings", "_catalogue_meta", "_changes")


def create_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    """Create whichever bookkeeping tables are missing, in one transaction.

    Every command opens the store, so the usual case (all there) costs one catalogue look-up and no
    write; a new store gets its tables in one commit rather than one commit (and WAL sync) each.
    """
    held = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main'"
        ).fetchall()
    }
    if held.issuperset(BOOKKEEPING_TABLES):
        return
    con.begin()
    try:
        for statement in BOOKKEEPING_DDL:
            con.execute(statement)
        con.commit()
    except BaseException:
        con.rollback()
        raise


@contextmanager
def open_store(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store at ``path`` (creating it and its folder when writing) and close it afterwards.

    Read-only opens of a store that does not exist yet raise NotFoundError, so readers can say
    "nothing ingested yet" instead of creating an empty file as a side effect.
    """
    if read_only and not path.exists():
        raise NotFoundError(f"no analytical store at {path}", hint="Load data first: kinsight ingest PATH")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        raise ConfigurationError(
            f"cannot open the analytical store {path}: {error}",
            hint="Another Kinsight command may be writing to it; try again when it has finished.",
        ) from error
    try:
        con.execute("SET enable_progress_bar = false")  # DuckDB's own bar would write to stdout
        if not read_only:
            create_bookkeeping(con)
        yield con
    finally:
        con.close()


@contextmanager
def scratch_store() -> Iterator[duckdb.DuckDBPyConnection]:
    """A store in memory, with the bookkeeping tables, thrown away on leaving: for checking return files
    without loading them into the Kinsight home's store (``kinsight check``)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        create_bookkeeping(con)
        yield con
    finally:
        con.close()
