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


ROW_GROUP_SIZE = 16_384
"""Rows per row group in what a writing connection stores (DuckDB's default is 122,880).

A return's file is far smaller than DuckDB's default group, so every row of an ingest used to wait in
memory and be compressed at commit, on one thread: 1.2 s of a 50,000-child return's 3 s.  With groups of
16,384 rows, full groups are compressed and written while the rows are inserted, on every thread, and the
commit has only the last part-filled group of each file left.  Smaller groups also let a scan of one
year's rows skip the other years' groups by their min/max.  Measured on that return, runs interleaved:
with the inserts on every thread (``kinsight.ingest.writer``) the ingest's median went from 4.9 s to
3.6 s on a slow host, and the audit is about a tenth faster; the file is half as large again (49 MB
against 32 MB).
"""


CHECKPOINT_THRESHOLD = "1MB"
"""Changes a writer's commit sends straight into the store file rather than through the write-ahead log.

DuckDB logs a commit's changes and copies them into the file when the connection closes, unless the log
would pass this size, in which case the commit writes the file at once.  Its default (16 MB) let a
50,000-child ingest write 9 MB of log, wait for it to reach the disk, and then write the same rows again at
close; committing straight into the file took about 0.2 s off that ingest (runs interleaved).  Small
changes still go through the log.
"""


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection whose database is the store file.

    A writer attaches the file to an in-memory database because DuckDB takes the row group size only as
    an ``ATTACH`` option (it is not kept in the file), and commits large changes straight into the file
    (``CHECKPOINT_THRESHOLD``).  Readers connect to the file itself, so readers in one process (the web
    app's requests) keep sharing one DuckDB instance.
    """
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    con = duckdb.connect(":memory:")
    try:
        location = str(path).replace("'", "''")
        con.execute(f"ATTACH '{location}' AS store (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute("USE store")
        con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
    except BaseException:
        con.close()
        raise
    return con


def file_order(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The clause ``ORDER BY collection_year, _row`` (with a leading space) for a store table: its rows
    year by year in the order of their files (``_row`` is a row's line).  Ingest writes rows on several
    threads, so a table's own order is not the files' order; a reader that hands rows on whole (to a
    model, an export) asks for it.  Empty for a table without those columns (one made by hand)."""
    # Imported here: the ingest package brings pyarrow, and every command opens the store; the readers
    # that ask for file order load whole tables through Arrow anyway.
    from kinsight.ingest.writer import table_columns

    held = table_columns(con, table) or set()
    wanted = [column for column in ("collection_year", "_row") if column in held]
    return f" ORDER BY {', '.join(wanted)}" if wanted else ""


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
        con = _connect(path, read_only)
    except (duckdb.IOException, duckdb.ResourceInUseException) as error:
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
